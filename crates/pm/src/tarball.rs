//! Package tarballs: integrity checked (sha512 SRI, or the legacy sha1
//! shasum) before anything is used, kept in a content-addressed cache, and
//! extracted refusing absolute paths, `..` and links, with npm's file
//! modes.

use std::{
    io::Read,
    path::{Component, Path, PathBuf},
};

use base64::Engine;
use sha2::Digest;

use crate::Error;

/// Checks `bytes` against an SRI string (`sha512-<base64>`, several allowed)
/// or `sha1-hex:<hex>` from a legacy `shasum`.
pub fn verify(name: &str, bytes: &[u8], integrity: &str) -> Result<(), Error> {
    for entry in integrity.split_whitespace() {
        let (algorithm, expected) = entry.split_once('-').unwrap_or(("", ""));
        let actual = match algorithm {
            "sha512" => base64::engine::general_purpose::STANDARD.encode(sha2::Sha512::digest(bytes)),
            "sha384" => base64::engine::general_purpose::STANDARD.encode(sha2::Sha384::digest(bytes)),
            "sha256" => base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(bytes)),
            "sha1" => base64::engine::general_purpose::STANDARD.encode(sha1::Sha1::digest(bytes)),
            "sha1-hex:" | "sha1-hex" => hex(&sha1::Sha1::digest(bytes)),
            _ => continue,
        };
        let expected = expected.trim_start_matches("hex:");
        return if actual == expected {
            Ok(())
        } else {
            Err(Error::Integrity(format!("{name}: the tarball's {algorithm} is {actual}, the registry says {expected}")))
        };
    }
    Err(Error::Integrity(format!("{name}: no usable integrity value ({integrity})")))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The integrity npm records for a tarball: `sha512-<base64>`.
pub fn sri(bytes: &[u8]) -> String {
    format!("sha512-{}", base64::engine::general_purpose::STANDARD.encode(sha2::Sha512::digest(bytes)))
}

/// Lode's cache folder: `LODE_CACHE_DIR`, else `$XDG_CACHE_HOME/lode`,
/// else `~/.cache/lode`.
pub fn cache_root() -> PathBuf {
    std::env::var_os("LODE_CACHE_DIR").map(PathBuf::from).unwrap_or_else(|| {
        std::env::var_os("XDG_CACHE_HOME")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(std::env::var("HOME").unwrap_or_else(|_| "/tmp".into())).join(".cache"))
            .join("lode")
    })
}

/// The content-addressed store: verified tarballs in
/// `<root>/content/<sha512 hex>.tgz`, and each extracted once into
/// `<root>/packages/<sha512 hex>/`, from which installs hard-link.
pub struct Store {
    root: PathBuf,
}

impl Store {
    pub fn open() -> Store {
        Store { root: cache_root() }
    }

    fn package_dir(&self, integrity: &str) -> Option<PathBuf> {
        let content = self.path(integrity)?;
        let stem = content.file_stem()?.to_owned();
        Some(self.root.join("packages").join(stem))
    }

    /// Whether the extracted package is in the store.
    pub fn has_package(&self, integrity: &str) -> bool {
        self.package_dir(integrity).is_some_and(|d| d.join(".lode-complete").exists())
    }

    /// Extracts verified `bytes` into the store (aside, then renamed).
    pub fn add_package(&self, name: &str, integrity: &str, bytes: &[u8]) -> Result<(), Error> {
        let Some(dir) = self.package_dir(integrity) else { return Ok(()) };
        if dir.join(".lode-complete").exists() {
            return Ok(());
        }
        let tmp = dir.with_extension(format!("tmp{}-{:?}", std::process::id(), std::thread::current().id()).replace(['(', ')'], ""));
        let _ = std::fs::remove_dir_all(&tmp);
        extract(name, bytes, &tmp)?;
        std::fs::write(tmp.join(".lode-complete"), b"").map_err(|e| Error::Io(e.to_string()))?;
        if let Some(parent) = dir.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        if std::fs::rename(&tmp, &dir).is_err() {
            // Another install got there first.
            let _ = std::fs::remove_dir_all(&tmp);
        }
        Ok(())
    }

    /// Puts the stored package at `dest` by hard links (copies across
    /// file systems).
    pub fn link_package(&self, integrity: &str, dest: &Path) -> Result<(), Error> {
        let dir = self.package_dir(integrity).ok_or_else(|| Error::Io("no sha512 integrity".into()))?;
        link_tree(&dir, dest).map_err(|e| Error::Io(format!("{}: {e}", dest.display())))
    }

    fn path(&self, integrity: &str) -> Option<PathBuf> {
        let b64 = integrity.split_whitespace().find_map(|e| e.strip_prefix("sha512-"))?;
        let digest = base64::engine::general_purpose::STANDARD.decode(b64).ok()?;
        Some(self.root.join("content").join(format!("{}.tgz", hex(&digest))))
    }

    /// A cached tarball, re-verified (a damaged cache entry is a miss).
    pub fn get(&self, name: &str, integrity: &str) -> Option<Vec<u8>> {
        let bytes = std::fs::read(self.path(integrity)?).ok()?;
        verify(name, &bytes, integrity).ok().map(|_| bytes)
    }

    /// Saves a verified tarball (written aside, then renamed into place).
    pub fn put(&self, bytes: &[u8]) {
        let Some(path) = self.path(&sri(bytes)) else { return };
        if path.exists() {
            return;
        }
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let tmp = path.with_extension(format!("tmp{}", std::process::id()));
        if std::fs::write(&tmp, bytes).is_ok() {
            let _ = std::fs::rename(&tmp, &path);
        }
    }
}

fn link_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let name = entry.file_name();
        if name == ".lode-complete" {
            continue;
        }
        let (src, dst) = (entry.path(), to.join(&name));
        if entry.file_type()?.is_dir() {
            link_tree(&src, &dst)?;
        } else if std::fs::hard_link(&src, &dst).is_err() {
            std::fs::copy(&src, &dst)?;
        }
    }
    Ok(())
}

/// The package.json inside a package tarball.
pub fn read_manifest(bytes: &[u8]) -> Option<serde_json::Value> {
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(bytes));
    for entry in archive.entries().ok()? {
        let mut entry = entry.ok()?;
        let path = entry.path().ok()?.into_owned();
        let mut parts = path.components();
        parts.next();
        if parts.as_path() == Path::new("package.json") {
            let mut text = String::new();
            entry.read_to_string(&mut text).ok()?;
            return serde_json::from_str(&text).ok();
        }
    }
    None
}

/// The entry's path inside the package, without the tarball's first
/// component (`package/`); `None` for anything that would leave `dest`.
fn safe_relative(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for (i, component) in path.components().enumerate() {
        match component {
            Component::Normal(part) if i > 0 => out.push(part),
            Component::Normal(_) | Component::CurDir => {}
            _ => return None,
        }
    }
    (!out.as_os_str().is_empty()).then_some(out)
}

/// Extracts a package tarball into `dest`. Absolute paths, `..` and
/// symbolic or hard links are refused: the install fails rather than write
/// outside the package's folder.
pub fn extract(name: &str, bytes: &[u8], dest: &Path) -> Result<(), Error> {
    use std::{io::Write, os::unix::fs::OpenOptionsExt};
    let fail = |what: String| Error::Extract(format!("{name}: {what}"));
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(bytes));
    std::fs::create_dir_all(dest).map_err(|e| fail(format!("{}: {e}", dest.display())))?;
    // Folders made so far: a package's files would otherwise cost a
    // mkdir each (most installs' system time is file-system calls).
    let mut made: std::collections::HashSet<PathBuf> = std::collections::HashSet::from([dest.to_path_buf()]);
    let mut make_dir = |dir: &Path| -> Result<(), Error> {
        if !made.contains(dir) {
            std::fs::create_dir_all(dir).map_err(|e| fail(format!("{}: {e}", dir.display())))?;
            made.insert(dir.to_path_buf());
        }
        Ok(())
    };
    let mut data = Vec::new();
    for entry in archive.entries().map_err(|e| fail(e.to_string()))? {
        let mut entry = entry.map_err(|e| fail(e.to_string()))?;
        let raw = entry.path().map_err(|e| fail(e.to_string()))?.into_owned();
        let kind = entry.header().entry_type();
        if kind.is_symlink() || kind.is_hard_link() {
            return Err(fail(format!("refusing the link {} in the tarball", raw.display())));
        }
        let Some(relative) = safe_relative(&raw) else {
            if raw.components().any(|c| matches!(c, Component::ParentDir | Component::RootDir | Component::Prefix(_))) {
                return Err(fail(format!("refusing the path {} in the tarball", raw.display())));
            }
            continue;
        };
        let target = dest.join(&relative);
        if kind.is_dir() {
            make_dir(&target)?;
            continue;
        }
        if !kind.is_file() {
            continue;
        }
        if let Some(parent) = target.parent() {
            make_dir(parent)?;
        }
        data.clear();
        entry.read_to_end(&mut data).map_err(|e| fail(e.to_string()))?;
        // npm's modes: executable bits kept, everything readable (the
        // umask applies, as it does to npm).
        let mode = if entry.header().mode().unwrap_or(0o644) & 0o111 != 0 { 0o755 } else { 0o644 };
        // A tarball may list a file twice; the last one wins, as with tar.
        std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(mode)
            .open(&target)
            .and_then(|mut file| file.write_all(&data))
            .map_err(|e| fail(format!("{}: {e}", target.display())))?;
    }
    Ok(())
}
