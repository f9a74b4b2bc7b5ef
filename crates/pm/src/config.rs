//! npm's configuration, read as npm reads it: `npm_config_*` environment
//! variables, then the project's `.npmrc`, the user's (`~/.npmrc` or
//! `npm_config_userconfig`) and the global one (`npm_config_globalconfig`),
//! with `${VAR}` expansion. The registry address comes only from there; if
//! none of them names one, from the installed npm (`npm config get
//! registry`), else an error that says how to set it.

use std::{
    collections::HashMap,
    path::{Path, PathBuf},
};

use crate::Error;

#[derive(Debug, Default)]
pub struct Config {
    values: HashMap<String, String>,
    /// The installed npm's registry, asked once (it takes a Node start).
    npm_registry: std::sync::OnceLock<Option<String>>,
}

/// `${NAME}` (and `${NAME?}`) replaced from the environment.
fn expand_env(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let Some(end) = rest[start..].find('}') else {
            out.push_str(&rest[start..]);
            return out;
        };
        let name = rest[start + 2..start + end].trim_end_matches('?');
        out.push_str(&std::env::var(name).unwrap_or_default());
        rest = &rest[start + end + 1..];
    }
    out.push_str(rest);
    out
}

/// Parses one `.npmrc` (ini lines `key = value`; `;` and `#` comments).
fn parse_npmrc(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with(';') || line.starts_with('#') || line.starts_with('[') {
            continue;
        }
        let Some((key, value)) = line.split_once('=') else { continue };
        let value = value.trim();
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
            .unwrap_or(value);
        out.push((expand_env(key.trim()), expand_env(value)));
    }
    out
}

impl Config {
    /// Reads every configuration source for a project rooted at `project`.
    pub fn load(project: &Path) -> Config {
        let mut values = HashMap::new();
        let home = std::env::var("HOME").unwrap_or_default();
        let env = |name: &str| std::env::var(format!("npm_config_{name}")).or_else(|_| std::env::var(format!("NPM_CONFIG_{}", name.to_uppercase()))).ok();
        let user = env("userconfig").unwrap_or_else(|| format!("{home}/.npmrc"));
        let mut files = Vec::new();
        if let Some(global) = env("globalconfig") {
            files.push(global);
        }
        files.push(user);
        files.push(project.join(".npmrc").to_string_lossy().into_owned());
        // Lowest precedence first: later files override earlier ones.
        for file in files {
            if let Ok(text) = std::fs::read_to_string(&file) {
                for (key, value) in parse_npmrc(&text) {
                    values.insert(key, value);
                }
            }
        }
        for (key, value) in std::env::vars() {
            let lower = key.to_lowercase();
            if let Some(name) = lower.strip_prefix("npm_config_") {
                // npm maps `_` to `-` in environment names, except leading ones.
                let name = if name.starts_with('_') { name.to_string() } else { name.replace('_', "-") };
                values.insert(name, value);
            }
        }
        Config { values, npm_registry: std::sync::OnceLock::new() }
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.values.get(key).map(String::as_str)
    }

    /// The registry for `package` (`@scope:registry` for scoped ones),
    /// with a trailing slash.
    pub fn registry_for(&self, package: &str) -> Result<String, Error> {
        if let Some((scope, _)) = package.split_once('/').filter(|_| package.starts_with('@')) {
            if let Some(url) = self.get(&format!("{scope}:registry")) {
                return Ok(with_slash(url));
            }
        }
        if let Some(url) = self.get("registry") {
            return Ok(with_slash(url));
        }
        let from_npm = self.npm_registry.get_or_init(npm_registry);
        match from_npm {
            Some(url) => Ok(with_slash(url)),
            None => Err(Error::Config(
                "no npm registry is configured: set `registry=<url>` in .npmrc (or the npm_config_registry \
                 environment variable), or install npm"
                    .into(),
            )),
        }
    }

    /// The auth header value for a request to `url`: the longest matching
    /// `//host/path/:_authToken` (or `_auth`) key.
    pub fn auth_for(&self, url: &str) -> Option<String> {
        let bare = url.split_once("//").map(|(_, rest)| rest)?;
        let mut best: Option<(usize, String)> = None;
        for (key, value) in &self.values {
            let Some(prefix) = key.strip_prefix("//") else { continue };
            let (scope, kind) = match prefix.rsplit_once(':') {
                Some(pair) => pair,
                None => continue,
            };
            if !bare.starts_with(scope.trim_end_matches('/')) {
                continue;
            }
            let header = match kind {
                "_authToken" => format!("Bearer {value}"),
                "_auth" => format!("Basic {value}"),
                _ => continue,
            };
            if best.as_ref().is_none_or(|(len, _)| scope.len() > *len) {
                best = Some((scope.len(), header));
            }
        }
        best.map(|(_, header)| header)
    }
}

/// The installed npm's registry. Asking npm costs a Node.js start, so the
/// answer is kept in Lode's cache, valid while npm's own files and the
/// user's .npmrc are unchanged.
fn npm_registry() -> Option<String> {
    let paths = std::env::var_os("PATH")?;
    let npm = std::env::split_paths(&paths).map(|p| p.join("npm")).find(|p| p.is_file())?;
    let stamp = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok().map(|t| format!("{t:?}")).unwrap_or_default();
    let home_rc = PathBuf::from(std::env::var("HOME").unwrap_or_default()).join(".npmrc");
    let key = format!("{}|{}|{}", npm.display(), stamp(&std::fs::canonicalize(&npm).unwrap_or(npm.clone())), stamp(&home_rc));
    let file = crate::tarball::cache_root().join("npm-registry");
    if let Some((cached_key, url)) = std::fs::read_to_string(&file).ok().and_then(|t| t.split_once('\n').map(|(k, v)| (k.to_string(), v.trim().to_string()))) {
        if cached_key == key && !url.is_empty() {
            return Some(url);
        }
    }
    let out = std::process::Command::new(&npm).args(["config", "get", "registry"]).output().ok()?;
    let url = String::from_utf8_lossy(&out.stdout).trim().to_string();
    if !out.status.success() || url.is_empty() {
        return None;
    }
    if let Some(dir) = file.parent() {
        let _ = std::fs::create_dir_all(dir);
        let _ = std::fs::write(&file, format!("{key}\n{url}\n"));
    }
    Some(url)
}

fn with_slash(url: &str) -> String {
    if url.ends_with('/') {
        url.to_string()
    } else {
        format!("{url}/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn npmrc_lines_scopes_and_tokens() {
        std::env::set_var("LODE_TEST_TOKEN", "s3cret");
        let parsed = parse_npmrc("; comment\nregistry = http://127.0.0.1:4873/\n@acme:registry=http://acme.test\n//127.0.0.1:4873/:_authToken=${LODE_TEST_TOKEN}\n");
        let config = Config { values: parsed.into_iter().collect(), ..Config::default() };
        assert_eq!(config.registry_for("left-pad").unwrap(), "http://127.0.0.1:4873/");
        assert_eq!(config.registry_for("@acme/thing").unwrap(), "http://acme.test/");
        assert_eq!(config.auth_for("http://127.0.0.1:4873/left-pad").as_deref(), Some("Bearer s3cret"));
        assert_eq!(config.auth_for("http://elsewhere/x"), None);
    }
}
