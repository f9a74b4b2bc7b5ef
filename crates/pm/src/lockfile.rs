//! npm's `package-lock.json` (lockfileVersion 3, reading v2 too): whether
//! it is in sync with package.json, the tree it records, and the lockfile
//! for a resolved tree, so a project can move between npm and Lode.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use crate::{
    config::Config,
    install::{Link, Options, Placed},
    registry::Platform,
};

/// Whether the lockfile's root entry asks for what package.json asks for.
pub(crate) fn in_sync(lock: &Value, root: &Value) -> bool {
    let Some(entry) = lock.get("packages").and_then(|p| p.get("")) else { return false };
    ["dependencies", "devDependencies", "optionalDependencies", "peerDependencies"].iter().all(|key| {
        let want = root.get(*key).cloned().unwrap_or(Value::Object(Map::new()));
        let have = entry.get(*key).cloned().unwrap_or(Value::Object(Map::new()));
        want == have
    })
}

/// The tree recorded in a lockfile (v2/v3 `packages`).
pub(crate) fn read_tree(lock: &Value, options: &Options) -> BTreeMap<String, Placed> {
    let mut tree = BTreeMap::new();
    let Some(packages) = lock.get("packages").and_then(Value::as_object) else { return tree };
    for (path, entry) in packages {
        if path.is_empty() || !path.starts_with("node_modules/") && !path.contains("/node_modules/") || entry.get("link").and_then(Value::as_bool) == Some(true) {
            continue;
        }
        let flag = |key: &str| entry.get(key).and_then(Value::as_bool).unwrap_or(false);
        let dev = flag("dev");
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
        let platform = Platform { os: list("os"), cpu: list("cpu"), libc: list("libc") };
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
                peer_dependencies: strings("peerDependencies")
                    .into_iter()
                    .map(|(k, v)| {
                        let optional = entry.get("peerDependenciesMeta").and_then(|m| m.get(&k)).and_then(|m| m.get("optional")).and_then(Value::as_bool);
                        (k, v, optional.unwrap_or(false))
                    })
                    .collect(),
                bin: strings("bin"),
                dev,
                optional: flag("optional"),
                dev_optional: flag("devOptional"),
                peer: flag("peer"),
                has_install_script: entry.get("hasInstallScript").and_then(Value::as_bool).unwrap_or(false),
                license: entry.get("license").and_then(Value::as_str).map(String::from),
                engines: entry.get("engines").cloned(),
                funding: entry.get("funding").cloned(),
                peer_meta: entry.get("peerDependenciesMeta").cloned(),
                installed: platform.supported(),
                platform,
                name,
            },
        );
    }
    tree
}

/// The lockfile (v3) for `tree`.
/// With npm's `omit-lockfile-registry-resolved`, registry tarballs are
/// recorded without `resolved` (installs then ask the configured registry).
pub(crate) fn to_value(root: &Value, tree: &BTreeMap<String, Placed>, links: &BTreeMap<String, Link>, config: &Config) -> Value {
    let omit_registry_resolved = config.get("omit-lockfile-registry-resolved") == Some("true");
    let mut packages = Map::new();
    let mut root_entry = Map::new();
    for key in ["name", "version"] {
        if let Some(v) = root.get(key) {
            root_entry.insert(key.into(), v.clone());
        }
    }
    for key in ["dependencies", "devDependencies", "optionalDependencies", "peerDependencies", "bin", "license", "engines", "workspaces"] {
        match root.get(key) {
            // npm lists the root's dependencies by name.
            Some(Value::Object(deps)) if key.ends_with("ependencies") => {
                let sorted: BTreeMap<&String, &Value> = deps.iter().collect();
                root_entry.insert(key.into(), json!(sorted));
            }
            Some(v) => {
                root_entry.insert(key.into(), v.clone());
            }
            None => {}
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
        let from_registry = config.registry_for(&p.name).is_ok_and(|registry| p.resolved.starts_with(&registry));
        if !(omit_registry_resolved && from_registry) {
            entry.insert("resolved".into(), json!(p.resolved));
        }
        // npm records no integrity for a git dependency (its tarball is
        // packed locally, so not byte-stable across git versions).
        if let Some(integrity) = p.integrity.as_ref().filter(|_| !crate::git::is_git_resolved(&p.resolved)) {
            entry.insert("integrity".into(), json!(integrity));
        }
        if p.dev {
            entry.insert("dev".into(), json!(true));
        }
        if p.optional {
            entry.insert("optional".into(), json!(true));
        }
        if p.dev_optional {
            entry.insert("devOptional".into(), json!(true));
        }
        if p.peer {
            entry.insert("peer".into(), json!(true));
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
        if let Some(meta) = &p.peer_meta {
            entry.insert("peerDependenciesMeta".into(), meta.clone());
        }
        if let Some(funding) = &p.funding {
            entry.insert("funding".into(), funding.clone());
        }
        if !p.bin.is_empty() {
            entry.insert("bin".into(), map(&p.bin));
        }
        if let Some(engines) = &p.engines {
            entry.insert("engines".into(), engines.clone());
        }
        for (key, list) in [("os", &p.platform.os), ("cpu", &p.platform.cpu), ("libc", &p.platform.libc)] {
            if !list.is_empty() {
                entry.insert(key.into(), json!(list));
            }
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

