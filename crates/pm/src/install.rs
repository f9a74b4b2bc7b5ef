//! `lode install`: resolve package.json's dependencies against the
//! registry (or take them exactly from an in-sync package-lock.json), lay
//! them out as npm does (flat and hoisted, nested only on conflict), fetch
//! and verify tarballs in parallel through the cache, link `.bin`, write
//! the lockfile (v3), and run the root's lifecycle scripts. The new tree is
//! built beside the old one and swapped in at the end, so a failed install
//! leaves `node_modules` and the lockfile as they were.

use std::{
    collections::{BTreeMap, BTreeSet},
    path::{Path, PathBuf},
    sync::Arc,
    time::Instant,
};

use serde_json::Value;

use crate::{
    lockfile,
    registry::{Manifest, Platform, Registry},
    resolve, scripts,
    tarball::{self, Store},
    Error,
};

#[derive(Default)]
pub struct Options {
    pub omit_dev: bool,
    pub frozen_lockfile: bool,
    pub ignore_scripts: bool,
    /// Resolve from the registry even with an in-sync lockfile (`update`).
    pub ignore_lockfile: bool,
    /// No summary line (`lode x` installing into the cache).
    pub quiet: bool,
}

/// One package placed in the tree.
#[derive(Debug, Clone)]
pub(crate) struct Placed {
    pub name: String,
    pub version: String,
    pub resolved: String,
    pub integrity: Option<String>,
    pub dependencies: Vec<(String, String)>,
    pub optional_dependencies: Vec<(String, String)>,
    pub peer_dependencies: Vec<(String, String, bool)>,
    pub bin: Vec<(String, String)>,
    /// npm's flags: reached only through devDependencies, only through
    /// optional edges, only through one or the other, only through peers.
    pub dev: bool,
    pub optional: bool,
    pub dev_optional: bool,
    pub peer: bool,
    pub has_install_script: bool,
    pub license: Option<String>,
    pub engines: Option<Value>,
    pub funding: Option<Value>,
    pub peer_meta: Option<Value>,
    pub platform: Platform,
    /// False for an optional package this platform cannot use: it stays in
    /// the lockfile (which is the same on every platform, as npm's) but is
    /// not installed.
    pub installed: bool,
}

impl Placed {
    pub fn from_manifest(manifest: Manifest, installed: bool) -> Placed {
        Placed {
            // An alias (`npm:real@range`) keeps the real name.
            name: manifest.name,
            version: manifest.version.to_string(),
            resolved: manifest.tarball,
            integrity: manifest.integrity,
            dependencies: manifest.dependencies,
            optional_dependencies: manifest.optional_dependencies,
            peer_dependencies: manifest.peer_dependencies,
            bin: manifest.bin,
            dev: false,
            optional: false,
            dev_optional: false,
            peer: false,
            has_install_script: manifest.has_install_script,
            license: manifest.license,
            engines: manifest.engines,
            funding: manifest.funding,
            peer_meta: manifest.peer_meta,
            platform: manifest.platform,
            installed,
        }
    }
}

/// A package installed as a symlink: a workspace, or a `file:`/`link:`
/// dependency on a local folder. `target` is relative to the project.
#[derive(Debug, Clone)]
pub(crate) struct Link {
    pub name: String,
    pub target: String,
    pub manifest: Value,
}

/// The project's links: npm workspaces (`"workspaces": ["packages/*"]`)
/// and `file:`/`link:` dependencies on folders.
fn find_links(dir: &Path, root: &Value) -> Result<BTreeMap<String, Link>, Error> {
    let mut links = BTreeMap::new();
    let mut add = |target: String| -> Result<(), Error> {
        let manifest = read_package_json(&dir.join(&target))?;
        let name = manifest.get("name").and_then(Value::as_str).ok_or_else(|| Error::Config(format!("{target}/package.json has no name")))?.to_string();
        links.insert(format!("node_modules/{name}"), Link { name, target, manifest });
        Ok(())
    };
    let patterns: Vec<String> = match root.get("workspaces") {
        Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).map(String::from).collect(),
        Some(Value::Object(o)) => o.get("packages").and_then(Value::as_array).map(|l| l.iter().filter_map(Value::as_str).map(String::from).collect()).unwrap_or_default(),
        _ => Vec::new(),
    };
    for pattern in patterns {
        let pattern = pattern.trim_end_matches('/');
        match pattern.strip_suffix("/*") {
            Some(parent) => {
                let mut found: Vec<String> = std::fs::read_dir(dir.join(parent))
                    .into_iter()
                    .flatten()
                    .flatten()
                    .filter(|e| e.path().join("package.json").is_file())
                    .map(|e| format!("{parent}/{}", e.file_name().to_string_lossy()))
                    .collect();
                found.sort();
                for target in found {
                    add(target)?;
                }
            }
            None if dir.join(pattern).join("package.json").is_file() => add(pattern.to_string())?,
            None => {}
        }
    }
    for key in ["dependencies", "devDependencies", "optionalDependencies"] {
        for (_, spec) in deps_of(root, key) {
            if let Some(target) = spec.strip_prefix("file:").or_else(|| spec.strip_prefix("link:")) {
                if dir.join(target).join("package.json").is_file() {
                    add(target.trim_start_matches("./").to_string())?;
                }
            }
        }
    }
    Ok(links)
}

/// The root package.json, parsed with the position of a syntax error.
pub fn read_package_json(dir: &Path) -> Result<Value, Error> {
    let path = dir.join("package.json");
    let text = std::fs::read_to_string(&path).map_err(|e| Error::Config(format!("{}: {e}", path.display())))?;
    serde_json::from_str(&text).map_err(|e| {
        Error::Config(format!("{} is not valid JSON: {} (line {}, column {})", path.display(), e, e.line(), e.column()))
    })
}

/// A package's dependencies of one kind, sorted by name: npm visits a tree
/// level in name order, which decides who gets the top-level slot.
pub(crate) fn deps_of(pkg: &Value, key: &str) -> Vec<(String, String)> {
    let mut deps: Vec<(String, String)> = pkg
        .get(key)
        .and_then(Value::as_object)
        .map(|o| o.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap_or("*").to_string())).collect())
        .unwrap_or_default();
    deps.sort();
    deps
}

/// Progress on a terminal: one line rewritten in place (nothing when
/// stderr is a pipe or file, where only the summary line is printed).
struct Progress {
    tty: bool,
}

impl Progress {
    fn new() -> Progress {
        use std::io::IsTerminal;
        Progress { tty: std::io::stderr().is_terminal() }
    }

    fn show(&self, what: &str, done: usize, total: Option<usize>) {
        if self.tty {
            match total {
                Some(total) => eprint!("\r\x1b[2K{what} {done}/{total}"),
                None => eprint!("\r\x1b[2K{what} {done}"),
            }
        }
    }

    fn clear(&self) {
        if self.tty {
            eprint!("\r\x1b[2K");
        }
    }
}

/// Makes sure a package is extracted in the store, downloading and
/// verifying its tarball if needed. Returns its integrity, and the tarball
/// itself when it has no sha512 value (so cannot be stored by content).
fn ensure_stored(
    registry: &Registry,
    store: &Store,
    placed: &Placed,
    downloaded: &std::sync::atomic::AtomicUsize,
) -> Result<(String, Option<Vec<u8>>), Error> {
    let label = format!("{}@{}", placed.name, placed.version);
    // A locked git dependency has no integrity (as in npm's lockfile): it
    // is packed again from the pinned commit.
    if placed.integrity.is_none() && crate::git::is_git_resolved(&placed.resolved) {
        let bytes = crate::git::pack_resolved(&label, &placed.resolved)?;
        let integrity = tarball::sri(&bytes);
        store.add_package(&label, &integrity, &bytes)?;
        downloaded.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        return Ok((integrity, None));
    }
    let integrity = placed.integrity.clone().ok_or_else(|| Error::Integrity(format!("{label}: no integrity recorded")))?;
    if store.has_package(&integrity) {
        return Ok((integrity, None));
    }
    let bytes = match store.get(&label, &integrity) {
        Some(bytes) => bytes,
        None => {
            // A lockfile may leave `resolved` out (npm's
            // omit-lockfile-registry-resolved): the registry's conventional
            // tarball address then.
            let url = if placed.resolved.is_empty() {
                let base = placed.name.rsplit('/').next().unwrap_or(&placed.name);
                format!("{}{}/-/{base}-{}.tgz", registry.config().registry_for(&placed.name)?, placed.name, placed.version)
            } else {
                placed.resolved.clone()
            };
            let bytes = match url.strip_prefix("file:") {
                Some(path) => std::fs::read(path).map_err(|e| Error::Io(format!("{path}: {e}")))?,
                None => registry.tarball(&url)?,
            };
            tarball::verify(&label, &bytes, &integrity)?;
            // A package with a sha512 value is kept extracted (below); the
            // tarball itself is kept only for the others.
            if !integrity.contains("sha512-") {
                store.put(&bytes);
            }
            downloaded.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            bytes
        }
    };
    if !integrity.contains("sha512-") {
        return Ok((integrity, Some(bytes)));
    }
    store.add_package(&label, &integrity, &bytes)?;
    Ok((integrity, None))
}

/// Downloads packages into the store while resolution is still going:
/// each placed package is handed to a pool of threads at once, so the
/// network is busy with tarballs while documents are still being read.
/// Failures are left for the install proper to meet and report.
struct Prefetcher {
    sender: Option<std::sync::mpsc::Sender<Placed>>,
    workers: Vec<std::thread::JoinHandle<()>>,
    downloaded: Arc<std::sync::atomic::AtomicUsize>,
    sent: std::cell::Cell<usize>,
    /// Integrities handed over: one package placed at several paths is
    /// downloaded once.
    seen: std::cell::RefCell<BTreeSet<String>>,
}

impl Prefetcher {
    fn start(registry: &Arc<Registry>) -> Prefetcher {
        let (sender, receiver) = std::sync::mpsc::channel::<Placed>();
        let receiver = Arc::new(std::sync::Mutex::new(receiver));
        let downloaded = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let workers = (0..24)
            .map(|_| {
                let (receiver, registry, downloaded) = (receiver.clone(), registry.clone(), downloaded.clone());
                std::thread::spawn(move || {
                    let store = Store::open();
                    loop {
                        let next = receiver.lock().unwrap().recv();
                        let Ok(placed) = next else { return };
                        let _ = ensure_stored(&registry, &store, &placed, &downloaded);
                    }
                })
            })
            .collect();
        Prefetcher { sender: Some(sender), workers, downloaded, sent: std::cell::Cell::new(0), seen: Default::default() }
    }

    fn send(&self, placed: &Placed) {
        self.sent.set(self.sent.get() + 1);
        if let Some(integrity) = &placed.integrity {
            if !self.seen.borrow_mut().insert(integrity.clone()) {
                return;
            }
        }
        if let Some(sender) = &self.sender {
            let _ = sender.send(placed.clone());
        }
    }

    /// How many packages were handed over so far.
    fn sent(&self) -> usize {
        self.sent.get()
    }

    /// Waits for the downloads; returns how many there were.
    fn finish(mut self) -> usize {
        self.sender = None;
        for worker in self.workers.drain(..) {
            let _ = worker.join();
        }
        self.downloaded.load(std::sync::atomic::Ordering::SeqCst)
    }
}

/// Fetches (or takes from the cache) and verifies every package, several at
/// a time, and extracts each into the staging tree.
fn fetch_all(registry: &Registry, store: &Store, tree: &BTreeMap<String, Placed>, staging: &Path, progress: &Progress) -> Result<usize, Error> {
    let jobs: Vec<(&String, &Placed)> = tree.iter().filter(|(_, p)| p.installed).collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let downloaded = std::sync::atomic::AtomicUsize::new(0);
    let linked = std::sync::atomic::AtomicUsize::new(0);
    let workers = 16.min(jobs.len().max(1));
    let first_error: std::sync::Mutex<Option<Error>> = std::sync::Mutex::new(None);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let Some((path, placed)) = jobs.get(i) else { return };
                if first_error.lock().unwrap().is_some() {
                    return;
                }
                let result = (|| -> Result<(), Error> {
                    let dest = staging.join(path.strip_prefix("node_modules/").unwrap_or(path));
                    let (integrity, raw) = ensure_stored(registry, store, placed, &downloaded)?;
                    match raw {
                        // Packages without a sha512 value are extracted directly.
                        Some(bytes) => tarball::extract(&format!("{}@{}", placed.name, placed.version), &bytes, &dest),
                        None => store.link_package(&integrity, &dest),
                    }
                })();
                if let Err(e) = result {
                    first_error.lock().unwrap().get_or_insert(e);
                    return;
                }
                let done = linked.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
                progress.show("installed", done, Some(jobs.len()));
            });
        }
    });
    match first_error.into_inner().unwrap() {
        Some(e) => Err(e),
        None => Ok(downloaded.into_inner()),
    }
}

/// `node_modules/.bin` links for every package, beside the folder that
/// holds it; targets made executable.
fn link_bins(staging: &Path, tree: &BTreeMap<String, Placed>) -> Result<(), Error> {
    for (path, placed) in tree.iter().filter(|(_, p)| p.installed) {
        let inner = path.strip_prefix("node_modules/").unwrap_or(path);
        let package_dir = staging.join(inner);
        // The .bin of the node_modules folder holding the package (for
        // `@scope/name`, two levels up).
        let holder = inner.rfind("/node_modules/").map(|i| &inner[..i + "/node_modules".len()]).unwrap_or("");
        let bin_dir = staging.join(holder).join(".bin");
        for (command, target) in &placed.bin {
            if command.contains('/') || command.starts_with('.') {
                continue;
            }
            let target_path = package_dir.join(target.trim_start_matches("./"));
            if !target_path.starts_with(&package_dir) || !target_path.exists() {
                continue;
            }
            std::fs::create_dir_all(&bin_dir).map_err(|e| Error::Io(format!("{}: {e}", bin_dir.display())))?;
            let link = bin_dir.join(command);
            let _ = std::fs::remove_file(&link);
            let relative = pathdiff(&target_path, &bin_dir);
            std::os::unix::fs::symlink(&relative, &link).map_err(|e| Error::Io(format!("{}: {e}", link.display())))?;
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(&target_path, std::fs::Permissions::from_mode(0o755));
        }
    }
    Ok(())
}

/// Symlinks for workspaces and local folders, relative so the project can
/// move; their bins join `.bin` too.
fn link_local(dir: &Path, staging: &Path, links: &BTreeMap<String, Link>) -> Result<(), Error> {
    for (path, link) in links {
        let inner = path.strip_prefix("node_modules/").unwrap_or(path);
        let at = staging.join(inner);
        // Relative to where the link will live once staging is node_modules.
        let final_parent = dir.join("node_modules").join(inner);
        let final_parent = final_parent.parent().unwrap_or(dir);
        let target = pathdiff(&dir.join(&link.target), final_parent);
        if let Some(parent) = at.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::Io(e.to_string()))?;
        }
        std::os::unix::fs::symlink(&target, &at).map_err(|e| Error::Io(format!("{}: {e}", at.display())))?;
        for (command, file) in crate::registry::bins(&link.name, &link.manifest) {
            let bin_dir = staging.join(".bin");
            std::fs::create_dir_all(&bin_dir).map_err(|e| Error::Io(e.to_string()))?;
            let source = dir.join(&link.target).join(file.trim_start_matches("./"));
            let link_path = bin_dir.join(&command);
            let _ = std::fs::remove_file(&link_path);
            let relative = pathdiff(&source, &dir.join("node_modules/.bin"));
            std::os::unix::fs::symlink(relative, &link_path).map_err(|e| Error::Io(e.to_string()))?;
        }
    }
    Ok(())
}

/// `to` relative to the directory `from`.
fn pathdiff(to: &Path, from: &Path) -> PathBuf {
    let to: Vec<_> = to.components().collect();
    let from: Vec<_> = from.components().collect();
    let common = to.iter().zip(&from).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in common..from.len() {
        out.push("..");
    }
    for part in &to[common..] {
        out.push(part);
    }
    out
}

/// Cleans up after an install that was killed, going by processes no
/// longer running: its staging tree (`.node_modules.lode-<pid>`) is
/// removed; an old tree it was swapping out (`.node_modules.old-<pid>`)
/// goes back to `node_modules` if the new one never arrived.
fn remove_abandoned(dir: &Path) {
    let dead = |pid: &str| pid.parse::<u32>().is_ok() && !Path::new("/proc").join(pid).exists();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.strip_prefix(".node_modules.lode-").is_some_and(dead) {
            let _ = std::fs::remove_dir_all(entry.path());
        } else if name.strip_prefix(".node_modules.old-").is_some_and(dead) {
            let target = dir.join("node_modules");
            if target.exists() || std::fs::rename(entry.path(), &target).is_err() {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }
}

pub fn install(dir: &Path, options: &Options) -> Result<(), Error> {
    let started = Instant::now();
    let root = read_package_json(dir)?;
    let registry = Arc::new(Registry::new(crate::config::Config::load(dir))?);
    let lock_path = dir.join("package-lock.json");
    let lock: Option<Value> = std::fs::read_to_string(&lock_path).ok().and_then(|t| serde_json::from_str(&t).ok());
    let links = find_links(dir, &root)?;
    let progress = Progress::new();
    let mut prefetched = 0;
    let tree = match &lock {
        Some(lock) if lockfile::in_sync(lock, &root) && !options.ignore_lockfile => lockfile::read_tree(lock, options),
        Some(_) if options.frozen_lockfile => {
            return Err(Error::Config("package-lock.json does not match package.json (--frozen-lockfile)".into()));
        }
        None if options.frozen_lockfile => return Err(Error::Config("--frozen-lockfile needs a package-lock.json".into())),
        _ => {
            let prefetch = Prefetcher::start(&registry);
            let resolved = resolve::resolve(&registry, &root, &links, options, |placed| {
                prefetch.send(placed);
                progress.show("resolved", prefetch.sent(), None);
            });
            prefetched = prefetch.finish();
            resolved?
        }
    };

    // Build beside the old tree; swap in only once everything worked.
    remove_abandoned(dir);
    let staging = dir.join(format!(".node_modules.lode-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    std::fs::create_dir_all(&staging).map_err(|e| Error::Io(format!("{}: {e}", staging.display())))?;
    let store = Store::open();
    let built = fetch_all(&registry, &store, &tree, &staging, &progress)
        .and_then(|downloaded| link_local(dir, &staging, &links).map(|_| downloaded))
        .and_then(|downloaded| link_bins(&staging, &tree).map(|_| downloaded));
    progress.clear();
    let downloaded = match built {
        Ok(n) => n + prefetched,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(e);
        }
    };
    let target = dir.join("node_modules");
    let old = dir.join(format!(".node_modules.old-{}", std::process::id()));
    if target.exists() {
        std::fs::rename(&target, &old).map_err(|e| Error::Io(format!("{}: {e}", target.display())))?;
    }
    if let Err(e) = std::fs::rename(&staging, &target) {
        let _ = std::fs::rename(&old, &target);
        return Err(Error::Io(format!("{}: {e}", target.display())));
    }
    let _ = std::fs::remove_dir_all(&old);
    let lock_value = lockfile::to_value(&root, &tree, &links, registry.config());
    let tmp = dir.join(format!(".package-lock.json.lode-{}", std::process::id()));
    let text = serde_json::to_string_pretty(&lock_value).unwrap_or_default() + "\n";
    std::fs::write(&tmp, text).and_then(|_| std::fs::rename(&tmp, &lock_path)).map_err(|e| Error::Io(format!("{}: {e}", lock_path.display())))?;

    // Install scripts: the root's own, and only trusted dependencies'.
    let trusted: BTreeSet<String> = root
        .get("trustedDependencies")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).map(String::from).collect())
        .unwrap_or_default();
    let mut untrusted = Vec::new();
    if !options.ignore_scripts {
        for (path, placed) in tree.iter().filter(|(_, p)| p.installed) {
            if !placed.has_install_script {
                continue;
            }
            if !trusted.contains(&placed.name) {
                untrusted.push(format!("{}@{}", placed.name, placed.version));
                continue;
            }
            let package_dir = dir.join(path);
            let manifest = read_package_json(&package_dir)?;
            for event in ["preinstall", "install", "postinstall"] {
                scripts::run_lifecycle(&package_dir, &manifest, event, &[])?;
            }
        }
        for event in ["preinstall", "install", "postinstall", "prepare"] {
            scripts::run_lifecycle(dir, &root, event, &[])?;
        }
    }
    if !untrusted.is_empty() {
        eprintln!(
            "lode: not running install scripts of {} (list them in package.json's \"trustedDependencies\" to allow)",
            untrusted.join(", ")
        );
    }
    if options.quiet {
        return Ok(());
    }
    println!(
        "added {} packages ({} downloaded) in {:.1}s",
        tree.values().filter(|p| p.installed).count() + links.len(),
        downloaded,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
