//! Git dependencies, as npm takes them: `git+https://…`, `git+ssh://…`,
//! `git+file://…`, `git://…`, the `github:`/`gitlab:`/`bitbucket:`
//! shortcuts and bare `user/repo`, each with an optional `#committish` or
//! `#semver:<range>`. The repository is cloned with the installed `git`,
//! the chosen commit packed with `git archive` (its tracked files, as npm
//! packs a git dependency without a `prepare` script), and from then on it
//! is a tarball like any other. The lockfile records `git+<url>#<sha>`.

use std::{path::Path, process::Command};

use crate::{
    registry::Manifest,
    semver::{Range, Version},
    tarball, Error,
};

/// A spec that names a git repository.
pub fn is_git_spec(spec: &str) -> bool {
    spec.starts_with("git+")
        || spec.starts_with("git:")
        || spec.starts_with("github:")
        || spec.starts_with("gitlab:")
        || spec.starts_with("bitbucket:")
        || (!spec.starts_with('@') && spec.split('/').count() == 2 && !spec.contains(':') && !spec.contains(' '))
}

/// A repository and what to take from it.
#[derive(Debug, PartialEq)]
struct GitSpec {
    /// What `git clone` is given.
    url: String,
    /// What the lockfile's `resolved` starts with (npm's spelling).
    resolved_base: String,
    reference: Reference,
}

#[derive(Debug, PartialEq)]
enum Reference {
    Head,
    Committish(String),
    Semver(String),
}

fn parse(spec: &str) -> GitSpec {
    let (repo, fragment) = match spec.split_once('#') {
        Some((repo, fragment)) => (repo, Some(fragment)),
        None => (spec, None),
    };
    let reference = match fragment {
        None | Some("") => Reference::Head,
        Some(f) => match f.strip_prefix("semver:") {
            Some(range) => Reference::Semver(range.to_string()),
            None => Reference::Committish(f.to_string()),
        },
    };
    let hosted = |host: &str, path: &str| {
        let path = path.trim_end_matches(".git");
        (format!("https://{host}/{path}.git"), format!("git+ssh://git@{host}/{path}.git"))
    };
    let (url, resolved_base) = if let Some(path) = repo.strip_prefix("github:") {
        hosted("github.com", path)
    } else if let Some(path) = repo.strip_prefix("gitlab:") {
        hosted("gitlab.com", path)
    } else if let Some(path) = repo.strip_prefix("bitbucket:") {
        hosted("bitbucket.org", path)
    } else if let Some(url) = repo.strip_prefix("git+") {
        (url.to_string(), repo.to_string())
    } else if repo.starts_with("git:") {
        (repo.to_string(), repo.to_string())
    } else {
        hosted("github.com", repo)
    };
    GitSpec { url, resolved_base, reference }
}

fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>, Error> {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_TERMINAL_PROMPT", "0")
        .output()
        .map_err(|e| Error::Resolve(format!("git dependencies need git on PATH: {e}")))?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        return Err(Error::Resolve(format!("git {}: {}", args.first().copied().unwrap_or_default(), stderr.trim())));
    }
    Ok(out.stdout)
}

/// Clones `spec`'s repository into a scratch folder, picks its commit and
/// packs it: (the commit's sha, the package tarball).
fn clone_and_pack(spec: &GitSpec, label: &str) -> Result<(String, Vec<u8>), Error> {
    let scratch = tarball::cache_root().join("git-tmp").join(format!("{}-{:?}", std::process::id(), std::thread::current().id()).replace(['(', ')'], ""));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).map_err(|e| Error::Io(format!("{}: {e}", scratch.display())))?;
    let result = (|| {
        let fail = |e: Error| Error::Resolve(format!("{label}: {e}"));
        git(&scratch, &["clone", "--quiet", "--no-checkout", &spec.url, "repo"]).map_err(fail)?;
        let repo = scratch.join("repo");
        let committish = match &spec.reference {
            Reference::Head => "HEAD".to_string(),
            Reference::Committish(c) => c.clone(),
            Reference::Semver(range) => {
                let parsed = Range::parse(range).ok_or_else(|| Error::Resolve(format!("{label}: {range} is not a semver range")))?;
                let tags = String::from_utf8_lossy(&git(&repo, &["tag", "--list"]).map_err(fail)?).into_owned();
                let versions: Vec<(Version, &str)> =
                    tags.lines().filter_map(|tag| Some((Version::parse(tag.trim_start_matches(['v', '=']))?, tag))).collect();
                let best = parsed.max_satisfying(versions.iter().map(|(v, _)| v));
                let tag = versions.iter().find(|(v, _)| Some(v) == best).map(|(_, tag)| tag.to_string());
                tag.ok_or_else(|| Error::Resolve(format!("{label}: no tag of the repository matches {range}")))?
            }
        };
        let sha = git(&repo, &["rev-parse", "--verify", "--quiet", &format!("{committish}^{{commit}}")])
            .map_err(|_| Error::Resolve(format!("{label}: the repository has no commit, branch or tag '{committish}'")))?;
        let sha = String::from_utf8_lossy(&sha).trim().to_string();
        let tar = git(&repo, &["archive", "--format=tar", "--prefix=package/", &sha]).map_err(fail)?;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        std::io::Write::write_all(&mut gz, &tar).map_err(|e| Error::Io(e.to_string()))?;
        Ok((sha, gz.finish().map_err(|e| Error::Io(e.to_string()))?))
    })();
    let _ = std::fs::remove_dir_all(&scratch);
    result
}

/// The manifest of a git dependency: its repository cloned, the commit
/// chosen and packed into the store; `resolved` pins the commit.
pub fn choose(name: &str, spec: &str) -> Result<Manifest, Error> {
    let parsed = parse(spec);
    let (sha, bytes) = clone_and_pack(&parsed, &format!("{name}@{spec}"))?;
    crate::resolve::manifest_of_tarball(name, &format!("{}#{sha}", parsed.resolved_base), &bytes)
}

/// A locked git dependency's tarball (`resolved` is `git+<url>#<sha>`).
pub fn pack_resolved(label: &str, resolved: &str) -> Result<Vec<u8>, Error> {
    let mut parsed = parse(resolved);
    // npm records hosted repositories as ssh; clone them over https.
    if let Some(path) = parsed.url.strip_prefix("ssh://git@") {
        if let Some((host, path)) = path.split_once('/') {
            parsed.url = format!("https://{host}/{path}");
        }
    }
    clone_and_pack(&parsed, label).map(|(_, bytes)| bytes)
}

/// Whether a lockfile's `resolved` names a git repository.
pub fn is_git_resolved(resolved: &str) -> bool {
    resolved.starts_with("git+") || resolved.starts_with("git:")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs() {
        assert!(is_git_spec("github:a/b") && is_git_spec("a/b#v1") && is_git_spec("git+file:///x/y.git"));
        assert!(!is_git_spec("@scope/name") && !is_git_spec("^1.0.0") && !is_git_spec("npm:a@1"));
        let shortcut = parse("someone/thing#semver:^1.2");
        assert_eq!(shortcut.url, "https://github.com/someone/thing.git");
        assert_eq!(shortcut.resolved_base, "git+ssh://git@github.com/someone/thing.git");
        assert_eq!(shortcut.reference, Reference::Semver("^1.2".into()));
        let file = parse("git+file:///srv/repo.git#main");
        assert_eq!((file.url.as_str(), file.reference), ("file:///srv/repo.git", Reference::Committish("main".into())));
        assert_eq!(parse("git://host/r.git").reference, Reference::Head);
    }
}
