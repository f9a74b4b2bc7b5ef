//! `lode install`: resolve package.json's dependencies against the
//! registry (or take them exactly from an in-sync package-lock.json), lay
//! them out as npm does (flat and hoisted, nested only on conflict), fetch
//! and verify tarballs in parallel through the cache, link `.bin`, write
//! the lockfile (v3), and run the root's lifecycle scripts. The new tree is
//! built beside the old one and swapped in at the end, so a failed install
//! leaves `node_modules` and the lockfile as they were.

use std::{
    collections::{BTreeMap, BTreeSet, VecDeque},
    path::{Path, PathBuf},
    sync::Arc,
    time::Instant,
};

use serde_json::{json, Map, Value};

use crate::{
    registry::{Manifest, Registry},
    scripts,
    semver::{Range, Version},
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
struct Placed {
    name: String,
    version: String,
    resolved: String,
    integrity: Option<String>,
    dependencies: Vec<(String, String)>,
    optional_dependencies: Vec<(String, String)>,
    peer_dependencies: Vec<(String, String, bool)>,
    bin: Vec<(String, String)>,
    dev: bool,
    optional: bool,
    has_install_script: bool,
    license: Option<String>,
    engines: Option<Value>,
    os: Vec<String>,
    cpu: Vec<String>,
    /// False for an optional package this platform cannot use: it stays in
    /// the lockfile (which is the same on every platform, as npm's) but is
    /// not installed.
    installed: bool,
}

/// A package installed as a symlink: a workspace, or a `file:`/`link:`
/// dependency on a local folder. `target` is relative to the project.
#[derive(Debug, Clone)]
struct Link {
    name: String,
    target: String,
    manifest: Value,
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
fn deps_of(pkg: &Value, key: &str) -> Vec<(String, String)> {
    let mut deps: Vec<(String, String)> = pkg
        .get(key)
        .and_then(Value::as_object)
        .map(|o| o.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap_or("*").to_string())).collect())
        .unwrap_or_default();
    deps.sort();
    deps
}

fn platform_ok(os_list: &[String], cpu_list: &[String]) -> bool {
    let os = std::env::consts::OS;
    let cpu = match std::env::consts::ARCH {
        "x86_64" => "x64",
        "aarch64" => "arm64",
        other => other,
    };
    let allowed = |list: &[String], value: &str| {
        if list.is_empty() {
            return true;
        }
        let denied = list.iter().any(|e| e.strip_prefix('!') == Some(value));
        let positive: Vec<&String> = list.iter().filter(|e| !e.starts_with('!')).collect();
        !denied && (positive.is_empty() || positive.iter().any(|e| *e == value))
    };
    allowed(os_list, os) && allowed(cpu_list, cpu)
}

/// Picks the version a spec asks for: a dist-tag, or the highest in range.
/// A spec that names a tarball by URL (or a local .tgz with `file:`).
fn tarball_spec(spec: &str) -> bool {
    spec.starts_with("http://") || spec.starts_with("https://") || (spec.starts_with("file:") && spec.ends_with(".tgz"))
}

/// A spec that names a git repository, which only a git host can serve.
fn git_spec(spec: &str) -> bool {
    spec.starts_with("git+") || spec.starts_with("git:") || spec.starts_with("github:") || spec.starts_with("gitlab:")
        || spec.starts_with("bitbucket:") || (!spec.starts_with('@') && spec.split('/').count() == 2 && !spec.contains(':') && !spec.contains(' '))
}

/// The manifest of a package given by tarball: downloaded (or read), its
/// integrity computed, its package.json read from inside.
fn choose_tarball(registry: &Registry, name: &str, spec: &str) -> Result<Manifest, Error> {
    let bytes = match spec.strip_prefix("file:") {
        Some(path) => std::fs::read(path).map_err(|e| Error::Io(format!("{path}: {e}")))?,
        None => registry.tarball(spec)?,
    };
    let doc = tarball::read_manifest(&bytes).ok_or_else(|| Error::Extract(format!("{spec}: no package.json in the tarball")))?;
    let mut doc = doc;
    doc["dist"] = json!({ "tarball": spec, "integrity": tarball::sri(&bytes) });
    let store = Store::open();
    store.put(&bytes);
    crate::registry::manifest_from(name, &doc).ok_or_else(|| Error::Resolve(format!("{spec}: the package.json has no valid version")))
}

pub fn choose(registry: &Registry, name: &str, spec: &str) -> Result<Manifest, Error> {
    if tarball_spec(spec) {
        return choose_tarball(registry, name, spec);
    }
    if git_spec(spec) {
        return Err(Error::Resolve(format!("{name}@{spec}: git dependencies are not supported by lode install yet")));
    }
    let (name, spec) = match spec.strip_prefix("npm:") {
        Some(alias) => match alias.rfind('@').filter(|&i| i > 0) {
            Some(i) => (alias[..i].to_string(), alias[i + 1..].to_string()),
            None => (alias.to_string(), "latest".to_string()),
        },
        None => (name.to_string(), spec.to_string()),
    };
    let packument = registry.packument(&name)?;
    let spec = if spec.is_empty() { "latest".to_string() } else { spec };
    if let Some(m) = packument.dist_tags.get(&spec).and_then(|v| Version::parse(v)).and_then(|v| packument.manifest(&v)) {
        return Ok(m);
    }
    let range = Range::parse(&spec).ok_or_else(|| Error::Resolve(format!("{name}@{spec}: not a version, range or tag this registry knows")))?;
    // Like npm, prefer the `latest` tag when it satisfies the range.
    if let Some(latest) = packument.dist_tags.get("latest").and_then(|v| Version::parse(v)) {
        if range.satisfies(&latest) {
            if let Some(m) = packument.manifest(&latest) {
                return Ok(m);
            }
        }
    }
    let best = range.max_satisfying(&packument.versions).cloned();
    best.and_then(|v| packument.manifest(&v))
        .ok_or_else(|| Error::Resolve(format!("no version of {name} matches {spec}")))
}

/// Where a new version of `name` needed by the package at `from` goes, as
/// npm hoists: the highest `node_modules` on the way down from the root to
/// `from` whose slot is free and where it would not shadow the version
/// another package below that folder already resolves to.
fn placement(tree: &BTreeMap<String, Placed>, from: &str, name: &str) -> String {
    let mut bases = vec![String::new()];
    let mut at = 0;
    while let Some(i) = from[at..].find("/node_modules/") {
        bases.push(from[..at + i].to_string());
        at += i + "/node_modules/".len();
    }
    bases.push(from.to_string());
    for base in bases {
        let slot = if base.is_empty() { format!("node_modules/{name}") } else { format!("{base}/node_modules/{name}") };
        if tree.contains_key(&slot) {
            continue;
        }
        let below = if base.is_empty() { "node_modules/".to_string() } else { format!("{base}/node_modules/") };
        let shadows = tree.iter().any(|(path, placed)| {
            path.starts_with(&below) && placed.dependencies.iter().any(|(dep, _)| dep == name) && visible(tree, path, name).is_some()
        });
        if !shadows {
            return slot;
        }
    }
    format!("{from}/node_modules/{name}")
}

/// npm's `overrides` for a transitive dependency of `parent`: a top-level
/// `"name"` or `"name@range"` key replaces the spec everywhere; an object
/// under the parent's name applies to its dependencies; `$name` means the
/// root's own spec for `name`.
fn override_spec(overrides: &Value, root: &Value, parent: &str, name: &str, spec: &str) -> String {
    let Some(map) = overrides.as_object() else { return spec.to_string() };
    let pick = |value: &Value| -> Option<String> {
        let text = match value {
            Value::String(s) => s.clone(),
            Value::Object(o) => o.get(".")?.as_str()?.to_string(),
            _ => return None,
        };
        match text.strip_prefix('$') {
            Some(reference) => ["dependencies", "devDependencies", "optionalDependencies"]
                .iter()
                .find_map(|k| root.get(*k)?.get(reference)?.as_str().map(String::from)),
            None => Some(text),
        }
    };
    let matches = |key: &str| -> bool {
        match key.rfind('@').filter(|&i| i > 0) {
            Some(i) => &key[..i] == name && Range::parse(&key[i + 1..]).zip(spec_floor(spec)).is_some_and(|(r, v)| r.satisfies(&v)),
            None => key == name,
        }
    };
    // Scoped to the parent first, then global.
    if let Some(scoped) = map.iter().find(|(k, v)| v.is_object() && (k.as_str() == parent || k.starts_with(&format!("{parent}@")))) {
        if let Some(found) = scoped.1.as_object().and_then(|o| o.iter().find(|(k, _)| matches(k))).and_then(|(_, v)| pick(v)) {
            return found;
        }
    }
    map.iter().find(|(k, _)| matches(k)).and_then(|(_, v)| pick(v)).unwrap_or_else(|| spec.to_string())
}

/// The lowest version a spec allows, to test `name@range` override keys.
fn spec_floor(spec: &str) -> Option<Version> {
    Version::parse(spec.trim_start_matches(['^', '~', '=', '>', 'v']).split(' ').next()?)
}

/// The registry name a dependency spec fetches (`npm:` aliases name another).
fn real_name(name: &str, spec: &str) -> String {
    match spec.strip_prefix("npm:") {
        Some(alias) => match alias.rfind('@').filter(|&i| i > 0) {
            Some(i) => alias[..i].to_string(),
            None => alias.to_string(),
        },
        None => name.to_string(),
    }
}

/// The node_modules path a package at `from` sees for `name`, walking up.
fn visible(tree: &BTreeMap<String, Placed>, from: &str, name: &str) -> Option<String> {
    let mut base = from.to_string();
    loop {
        let candidate = if base.is_empty() { format!("node_modules/{name}") } else { format!("{base}/node_modules/{name}") };
        if tree.contains_key(&candidate) {
            return Some(candidate);
        }
        if base.is_empty() {
            return None;
        }
        base = match base.rfind("/node_modules/") {
            Some(i) => base[..i].to_string(),
            None => String::new(),
        };
    }
}

/// Resolves the whole tree from the registry, npm style: breadth first,
/// each package as high as it can go without shadowing another version.
fn resolve(
    registry: &Registry,
    root: &Value,
    links: &BTreeMap<String, Link>,
    options: &Options,
    progress: &Progress,
    prefetch: &Prefetcher,
) -> Result<BTreeMap<String, Placed>, Error> {
    let mut tree: BTreeMap<String, Placed> = BTreeMap::new();
    // (dependent path, name, spec, dev, optional, the dependent a peer is for)
    let mut queue: VecDeque<(String, String, String, bool, bool, Option<String>)> = VecDeque::new();
    let overrides = root.get("overrides").cloned().unwrap_or(Value::Null);
    // Workspaces' own dependencies install at the top, as npm hoists them.
    for link in links.values() {
        for (name, spec) in deps_of(&link.manifest, "dependencies") {
            queue.push_back((String::new(), name, spec, false, false, None));
        }
        if !options.omit_dev {
            for (name, spec) in deps_of(&link.manifest, "devDependencies") {
                queue.push_back((String::new(), name, spec, true, false, None));
            }
        }
    }
    for (name, spec) in deps_of(root, "dependencies") {
        queue.push_back((String::new(), name, spec, false, false, None));
    }
    for (name, spec) in deps_of(root, "optionalDependencies") {
        queue.push_back((String::new(), name, spec, false, true, None));
    }
    if !options.omit_dev {
        for (name, spec) in deps_of(root, "devDependencies") {
            queue.push_back((String::new(), name, spec, true, false, None));
        }
    }
    let mut warnings = BTreeSet::new();
    let mut requested: BTreeSet<String> = BTreeSet::new();
    loop {
        // Fetch the documents of every new name waiting, in parallel: one
        // round trip per level of the tree instead of one per package.
        let unseen: Vec<String> = queue
            .iter()
            .filter(|q| !links.contains_key(&format!("node_modules/{}", q.1)) && !tarball_spec(&q.2) && !git_spec(&q.2))
            .map(|q| real_name(&q.1, &q.2))
            .filter(|n| !requested.contains(n))
            .collect();
        if !unseen.is_empty() {
            requested.extend(unseen.iter().cloned());
            registry.prefetch(&unseen);
        }
        let Some((from, name, spec, dev, optional, peer_of)) = queue.pop_front() else { break };
        progress.show("resolved", tree.len(), None);
        // A workspace or local folder of that name is linked, not fetched.
        if links.contains_key(&format!("node_modules/{name}")) {
            continue;
        }
        if let Some(existing) = visible(&tree, &from, &name) {
            let placed = &tree[&existing];
            let fits = Range::parse(&spec).zip(Version::parse(&placed.version)).map(|(r, v)| r.satisfies(&v)).unwrap_or(true);
            if !fits && !spec.starts_with("npm:") {
                if let Some(dependent) = &peer_of {
                    // npm 7+ would refuse (ERESOLVE); report and keep going.
                    warnings.insert(format!("peer conflict: {dependent} wants {name}@{spec}, {} is installed", placed.version));
                    continue;
                }
            }
            if fits || spec.starts_with("npm:") {
                // Reached from a non-dev path: it is not dev-only after all.
                if !dev {
                    tree.get_mut(&existing).unwrap().dev = false;
                }
                if !optional {
                    tree.get_mut(&existing).unwrap().optional = false;
                }
                continue;
            }
        }
        let manifest = match choose(registry, &name, &spec) {
            Ok(m) => m,
            Err(e) if optional => {
                warnings.insert(format!("skipping optional {name}@{spec}: {e}"));
                continue;
            }
            Err(e) => return Err(e),
        };
        let installable = platform_ok(&manifest.os, &manifest.cpu);
        if !installable && !optional {
            return Err(Error::Resolve(format!("{}@{} does not support this platform (os {:?}, cpu {:?})", name, manifest.version, manifest.os, manifest.cpu)));
        }
        let root_slot = format!("node_modules/{name}");
        let path = if from.is_empty() { root_slot } else { placement(&tree, &from, &name) };
        let mut dependencies = manifest.dependencies.clone();
        dependencies.sort();
        let transitive = |dep: &str, range: &str| override_spec(&overrides, root, &manifest.name, dep, range);
        for (dep, range) in dependencies.iter().filter(|(dep, _)| installable && !manifest.bundled.contains(dep)) {
            queue.push_back((path.clone(), dep.clone(), transitive(dep, range), dev, optional, None));
        }
        for (dep, range) in manifest.optional_dependencies.iter().filter(|(dep, _)| !manifest.bundled.contains(dep)) {
            queue.push_back((path.clone(), dep.clone(), transitive(dep, range), dev, true, None));
        }
        // npm 7+ installs peers beside their dependent (so, usually at the
        // top); optional peers only when something else brings them.
        for (dep, range, peer_optional) in &manifest.peer_dependencies {
            if !peer_optional {
                let parent = path.rfind("/node_modules/").map(|i| path[..i].to_string()).unwrap_or_default();
                let label = format!("{}@{}", manifest.name, manifest.version);
                queue.push_back((parent, dep.clone(), range.clone(), dev, optional, Some(label)));
            }
        }
        tree.insert(
            path.clone(),
            Placed {
                // An alias (`npm:real@range`) keeps the real name.
                name: manifest.name.clone(),
                version: manifest.version.to_string(),
                resolved: manifest.tarball.clone(),
                integrity: manifest.integrity.clone(),
                dependencies: manifest.dependencies.clone(),
                optional_dependencies: manifest.optional_dependencies.clone(),
                peer_dependencies: manifest.peer_dependencies.clone(),
                bin: manifest.bin.clone(),
                dev,
                optional,
                has_install_script: manifest.has_install_script,
                license: manifest.license.clone(),
                engines: manifest.engines.clone(),
                os: manifest.os.clone(),
                cpu: manifest.cpu.clone(),
                installed: installable,
            },
        );
        if installable {
            prefetch.send(&tree[&path]);
        }
    }
    for warning in warnings {
        eprintln!("lode: {warning}");
    }
    Ok(tree)
}

/// Whether the lockfile's root entry asks for what package.json asks for.
fn lock_in_sync(lock: &Value, root: &Value) -> bool {
    let Some(entry) = lock.get("packages").and_then(|p| p.get("")) else { return false };
    ["dependencies", "devDependencies", "optionalDependencies", "peerDependencies"].iter().all(|key| {
        let want = root.get(*key).cloned().unwrap_or(Value::Object(Map::new()));
        let have = entry.get(*key).cloned().unwrap_or(Value::Object(Map::new()));
        want == have
    })
}

/// The tree recorded in a lockfile (v2/v3 `packages`).
fn tree_from_lock(lock: &Value, options: &Options) -> BTreeMap<String, Placed> {
    let mut tree = BTreeMap::new();
    let Some(packages) = lock.get("packages").and_then(Value::as_object) else { return tree };
    for (path, entry) in packages {
        if path.is_empty() || !path.starts_with("node_modules/") && !path.contains("/node_modules/") || entry.get("link").and_then(Value::as_bool) == Some(true) {
            continue;
        }
        let dev = entry.get("dev").and_then(Value::as_bool).unwrap_or(false);
        if dev && options.omit_dev {
            continue;
        }
        let name = entry
            .get("name")
            .and_then(Value::as_str)
            .map(String::from)
            .unwrap_or_else(|| path.rsplit("node_modules/").next().unwrap_or(path).to_string());
        let list = |key: &str| -> Vec<String> {
            entry.get(key).and_then(Value::as_array).map(|a| a.iter().filter_map(Value::as_str).map(String::from).collect()).unwrap_or_default()
        };
        let (os, cpu) = (list("os"), list("cpu"));
        let strings = |key: &str| -> Vec<(String, String)> {
            entry.get(key).and_then(Value::as_object).map(|o| o.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string())).collect()).unwrap_or_default()
        };
        tree.insert(
            path.clone(),
            Placed {
                version: entry.get("version").and_then(Value::as_str).unwrap_or_default().to_string(),
                resolved: entry.get("resolved").and_then(Value::as_str).unwrap_or_default().to_string(),
                integrity: entry.get("integrity").and_then(Value::as_str).map(String::from),
                dependencies: strings("dependencies"),
                optional_dependencies: strings("optionalDependencies"),
                peer_dependencies: strings("peerDependencies").into_iter().map(|(k, v)| (k, v, false)).collect(),
                bin: strings("bin"),
                dev,
                optional: entry.get("optional").and_then(Value::as_bool).unwrap_or(false),
                has_install_script: entry.get("hasInstallScript").and_then(Value::as_bool).unwrap_or(false),
                license: entry.get("license").and_then(Value::as_str).map(String::from),
                engines: entry.get("engines").cloned(),
                installed: platform_ok(&os, &cpu),
                os,
                cpu,
                name,
            },
        );
    }
    tree
}

fn lockfile(root: &Value, tree: &BTreeMap<String, Placed>, links: &BTreeMap<String, Link>) -> Value {
    let mut packages = Map::new();
    let mut root_entry = Map::new();
    for key in ["name", "version"] {
        if let Some(v) = root.get(key) {
            root_entry.insert(key.into(), v.clone());
        }
    }
    for key in ["dependencies", "devDependencies", "optionalDependencies", "peerDependencies", "bin", "license", "engines", "workspaces"] {
        if let Some(v) = root.get(key) {
            root_entry.insert(key.into(), v.clone());
        }
    }
    packages.insert(String::new(), Value::Object(root_entry));
    for (path, link) in links {
        packages.insert(path.clone(), json!({ "resolved": link.target, "link": true }));
        let mut entry = Map::new();
        for key in ["name", "version", "dependencies", "devDependencies", "optionalDependencies", "peerDependencies", "bin", "license"] {
            if let Some(v) = link.manifest.get(key) {
                entry.insert(key.into(), v.clone());
            }
        }
        packages.insert(link.target.clone(), Value::Object(entry));
    }
    for (path, p) in tree {
        let mut entry = Map::new();
        if !path.ends_with(&format!("node_modules/{}", p.name)) {
            entry.insert("name".into(), json!(p.name));
        }
        entry.insert("version".into(), json!(p.version));
        entry.insert("resolved".into(), json!(p.resolved));
        if let Some(integrity) = &p.integrity {
            entry.insert("integrity".into(), json!(integrity));
        }
        if p.dev {
            entry.insert("dev".into(), json!(true));
        }
        if p.optional {
            entry.insert("optional".into(), json!(true));
        }
        if p.has_install_script {
            entry.insert("hasInstallScript".into(), json!(true));
        }
        if let Some(license) = &p.license {
            entry.insert("license".into(), json!(license));
        }
        let map = |pairs: &[(String, String)]| Value::Object(pairs.iter().map(|(k, v)| (k.clone(), json!(v))).collect());
        if !p.dependencies.is_empty() {
            entry.insert("dependencies".into(), map(&p.dependencies));
        }
        if !p.optional_dependencies.is_empty() {
            entry.insert("optionalDependencies".into(), map(&p.optional_dependencies));
        }
        if !p.peer_dependencies.is_empty() {
            let peers: Vec<(String, String)> = p.peer_dependencies.iter().map(|(k, v, _)| (k.clone(), v.clone())).collect();
            entry.insert("peerDependencies".into(), map(&peers));
        }
        if !p.bin.is_empty() {
            entry.insert("bin".into(), map(&p.bin));
        }
        if let Some(engines) = &p.engines {
            entry.insert("engines".into(), engines.clone());
        }
        if !p.os.is_empty() {
            entry.insert("os".into(), json!(p.os));
        }
        if !p.cpu.is_empty() {
            entry.insert("cpu".into(), json!(p.cpu));
        }
        packages.insert(path.clone(), Value::Object(entry));
    }
    json!({
        "name": root.get("name").cloned().unwrap_or(Value::Null),
        "version": root.get("version").cloned().unwrap_or(Value::Null),
        "lockfileVersion": 3,
        "requires": true,
        "packages": packages,
    })
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
            store.put(&bytes);
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
}

impl Prefetcher {
    fn start(registry: &Arc<Registry>) -> Prefetcher {
        let (sender, receiver) = std::sync::mpsc::channel::<Placed>();
        let receiver = Arc::new(std::sync::Mutex::new(receiver));
        let downloaded = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let workers = (0..12)
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
        Prefetcher { sender: Some(sender), workers, downloaded }
    }

    fn send(&self, placed: &Placed) {
        if let Some(sender) = &self.sender {
            let _ = sender.send(placed.clone());
        }
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

pub fn install(dir: &Path, options: &Options) -> Result<(), Error> {
    let started = Instant::now();
    let root = read_package_json(dir)?;
    let registry = Arc::new(Registry::new(crate::config::Config::load(dir)));
    let lock_path = dir.join("package-lock.json");
    let lock: Option<Value> = std::fs::read_to_string(&lock_path).ok().and_then(|t| serde_json::from_str(&t).ok());
    let links = find_links(dir, &root)?;
    let progress = Progress::new();
    let mut prefetched = 0;
    let tree = match &lock {
        Some(lock) if lock_in_sync(lock, &root) && !options.ignore_lockfile => tree_from_lock(lock, options),
        Some(_) if options.frozen_lockfile => {
            return Err(Error::Config("package-lock.json does not match package.json (--frozen-lockfile)".into()));
        }
        None if options.frozen_lockfile => return Err(Error::Config("--frozen-lockfile needs a package-lock.json".into())),
        _ => {
            let prefetch = Prefetcher::start(&registry);
            let resolved = resolve(&registry, &root, &links, options, &progress, &prefetch);
            prefetched = prefetch.finish();
            resolved?
        }
    };

    // Build beside the old tree; swap in only once everything worked.
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
    let lock_value = lockfile(&root, &tree, &links);
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
