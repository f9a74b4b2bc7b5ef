//! Resolution: the tree npm (arborist's "ideal tree") would build for a
//! package.json. Packages are visited shallowest first and, at one depth,
//! in locale order of their paths; a package's dependencies are placed in
//! name order, each as high as it can go walking up from its dependent
//! without crossing a conflicting version or breaking a package below
//! that already relies on another one. Which version wins a contested top
//! slot depends on exactly this order, so it follows npm's.

use std::{
    cmp::Ordering,
    collections::{BTreeMap, BTreeSet},
    sync::Arc,
};

use serde_json::{json, Value};

use crate::{
    install::{deps_of, Link, Options, Placed},
    registry::{Manifest, Registry},
    semver::{Range, Version},
    tarball::{self, Store},
    Error,
};

/// How a package depends on another; decides the lockfile's flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Prod,
    Optional,
    Dev,
    Peer,
}

#[derive(Debug, Clone)]
struct Edge {
    name: String,
    spec: String,
    kind: Kind,
}

/// A spec that names a tarball by URL (or a local .tgz with `file:`).
pub fn tarball_spec(spec: &str) -> bool {
    spec.starts_with("http://") || spec.starts_with("https://") || (spec.starts_with("file:") && spec.ends_with(".tgz"))
}

/// The manifest of a package given by tarball: downloaded (or read), its
/// integrity computed, its package.json read from inside.
fn choose_tarball(registry: &Registry, name: &str, spec: &str) -> Result<Manifest, Error> {
    let bytes = match spec.strip_prefix("file:") {
        Some(path) => std::fs::read(path).map_err(|e| Error::Io(format!("{path}: {e}")))?,
        None => registry.tarball(spec)?,
    };
    manifest_of_tarball(name, spec, &bytes)
}

/// A manifest for a package known only by its tarball (given by URL or
/// packed from git): `resolved` is where it came from.
pub fn manifest_of_tarball(name: &str, resolved: &str, bytes: &[u8]) -> Result<Manifest, Error> {
    let mut doc = tarball::read_manifest(bytes).ok_or_else(|| Error::Extract(format!("{resolved}: no package.json in the tarball")))?;
    doc["dist"] = json!({ "tarball": resolved, "integrity": tarball::sri(bytes) });
    Store::open().put(bytes);
    // Installed under the dependency's name, it keeps its own.
    let real_name = doc.get("name").and_then(Value::as_str).unwrap_or(name).to_string();
    crate::registry::manifest_from(&real_name, &doc).ok_or_else(|| Error::Resolve(format!("{resolved}: the package.json has no valid version")))
}

/// The manifest `spec` picks for `name`: from a tarball, a git repository
/// or the registry (a dist-tag, or the highest version in range; an
/// `npm:` alias names another package).
pub fn choose(registry: &Registry, name: &str, spec: &str) -> Result<Manifest, Error> {
    if tarball_spec(spec) {
        return choose_tarball(registry, name, spec);
    }
    if crate::git::is_git_spec(spec) {
        return crate::git::choose(name, spec);
    }
    let (name, spec) = crate::registry::registry_target(name, spec);
    registry.packument(name)?.pick(spec)
}

/// Whether `version` satisfies `spec`; specs that are not ranges (tags,
/// URLs, aliases) accept what is there, as npm does for a placed package.
fn satisfies(spec: &str, version: &str) -> bool {
    Range::parse(spec).zip(Version::parse(version)).map(|(r, v)| r.satisfies(&v)).unwrap_or(true)
}

/// The folder a package at `path` sits in: its parent package's path
/// (`""` for the root).
fn parent_of(path: &str) -> &str {
    path.rfind("/node_modules/").map(|i| &path[..i]).unwrap_or("")
}

fn slot(base: &str, name: &str) -> String {
    if base.is_empty() {
        format!("node_modules/{name}")
    } else {
        format!("{base}/node_modules/{name}")
    }
}

/// The node_modules path a package at `from` sees for `name`, walking up.
pub fn visible(tree: &BTreeMap<String, Placed>, from: &str, name: &str) -> Option<String> {
    let mut base = from;
    loop {
        let candidate = slot(base, name);
        if tree.contains_key(&candidate) {
            return Some(candidate);
        }
        if base.is_empty() {
            return None;
        }
        base = parent_of(base);
    }
}

/// Where `name@version`, needed by the package at `from`, goes: walking up
/// from `from`, the highest folder reached before one that holds another
/// `name`, or below which a package that now sees the higher `name` would
/// see this version and not accept it (arborist's CanPlaceDep).
fn placement(tree: &BTreeMap<String, Placed>, from: &str, name: &str, version: &str) -> String {
    let mut chosen = slot(from, name);
    let mut target = from;
    loop {
        let candidate = slot(target, name);
        if tree.contains_key(&candidate) {
            break;
        }
        if target != from {
            if let Some(current) = visible(tree, target, name) {
                let inside = |path: &str| target.is_empty() || path == target || path.starts_with(&format!("{target}/node_modules/"));
                let breaks = tree.iter().any(|(path, placed)| {
                    inside(path)
                        && placed.dependencies.iter().chain(&placed.optional_dependencies).any(|(dep, spec)| dep == name && !satisfies(spec, version))
                        && visible(tree, path, name).as_deref() == Some(current.as_str())
                });
                if breaks {
                    break;
                }
            }
        }
        chosen = candidate;
        if target.is_empty() {
            break;
        }
        target = parent_of(target);
    }
    chosen
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

/// `String.prototype.localeCompare` in English, which npm sorts with: case
/// and punctuation come before letters and digits, letters ignore case
/// (lower case first on a tie).
fn locale_cmp(a: &str, b: &str) -> Ordering {
    fn weight(c: char) -> u32 {
        const PUNCTUATION: &str = "_-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$";
        match c {
            c if PUNCTUATION.contains(c) => PUNCTUATION.find(c).unwrap_or(0) as u32,
            '0'..='9' => 100 + c as u32,
            c if c.is_ascii_alphabetic() => 200 + c.to_ascii_lowercase() as u32,
            c => 1000 + c as u32,
        }
    }
    let primary = a.chars().map(weight).cmp(b.chars().map(weight));
    primary.then_with(|| b.cmp(a))
}

/// The root's edges: its own dependencies, and its workspaces' (which npm
/// hoists to the top). A name listed twice counts once: optional over
/// prod, prod over dev.
fn root_edges(root: &Value, links: &BTreeMap<String, Link>, options: &Options) -> Vec<Edge> {
    let mut edges: BTreeMap<String, Edge> = BTreeMap::new();
    let mut add = |pkg: &Value, key: &str, kind: Kind| {
        for (name, spec) in deps_of(pkg, key) {
            let keep = edges.get(&name).is_some_and(|e| e.kind == Kind::Optional || (e.kind == Kind::Prod && kind == Kind::Dev));
            if !keep {
                edges.insert(name.clone(), Edge { name, spec, kind });
            }
        }
    };
    let mut sources: Vec<&Value> = links.values().map(|l| &l.manifest).collect();
    sources.push(root);
    for pkg in sources {
        add(pkg, "peerDependencies", Kind::Peer);
        add(pkg, "dependencies", Kind::Prod);
        add(pkg, "optionalDependencies", Kind::Optional);
        if !options.omit_dev {
            add(pkg, "devDependencies", Kind::Dev);
        }
    }
    edges.into_values().collect()
}

/// A placed package's edges (bundled dependencies ship inside it; optional
/// peers are only used when something else brings them).
fn package_edges(placed: &Placed, bundled: &[String]) -> Vec<Edge> {
    let mut edges: BTreeMap<String, Edge> = BTreeMap::new();
    for (name, spec, optional) in &placed.peer_dependencies {
        if !optional {
            edges.insert(name.clone(), Edge { name: name.clone(), spec: spec.clone(), kind: Kind::Peer });
        }
    }
    for (list, kind) in [(&placed.dependencies, Kind::Prod), (&placed.optional_dependencies, Kind::Optional)] {
        for (name, spec) in list.iter().filter(|(name, _)| !bundled.contains(name)) {
            edges.insert(name.clone(), Edge { name: name.clone(), spec: spec.clone(), kind });
        }
    }
    edges.into_values().collect()
}

/// Resolves the whole tree from the registry; `placed` is told of every
/// installable package as soon as it has its place (to start its download).
pub fn resolve(
    registry: &Arc<Registry>,
    root: &Value,
    links: &BTreeMap<String, Link>,
    options: &Options,
    mut placed: impl FnMut(&Placed),
) -> Result<BTreeMap<String, Placed>, Error> {
    let _look_ahead = registry.start_look_ahead(16);
    let overrides = root.get("overrides").cloned().unwrap_or(Value::Null);
    let linked = |name: &str| links.contains_key(&format!("node_modules/{name}"));
    let root_edges = root_edges(root, links, options);
    for edge in root_edges.iter().filter(|e| !linked(&e.name)) {
        registry.look_ahead(&edge.name, &edge.spec);
    }
    let mut tree: BTreeMap<String, Placed> = BTreeMap::new();
    let mut bundled: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut warnings = BTreeSet::new();
    // Packages whose dependencies are still to place; the shallowest, then
    // first in locale order, goes next.
    let mut queue: Vec<String> = vec![String::new()];
    while !queue.is_empty() {
        let next = (0..queue.len())
            .min_by(|&a, &b| {
                let (a, b) = (&queue[a], &queue[b]);
                a.matches("node_modules/").count().cmp(&b.matches("node_modules/").count()).then_with(|| locale_cmp(a, b))
            })
            .unwrap_or(0);
        let node = queue.swap_remove(next);
        let (mut edges, parent_name) = match tree.get(&node) {
            None => (root_edges.clone(), String::new()),
            Some(p) => (package_edges(p, bundled.get(&node).map(Vec::as_slice).unwrap_or_default()), p.name.clone()),
        };
        if !node.is_empty() {
            for edge in &mut edges {
                edge.spec = override_spec(&overrides, root, &parent_name, &edge.name, &edge.spec);
            }
        }
        edges.sort_by(|a, b| locale_cmp(&a.name, &b.name));
        for edge in edges {
            if linked(&edge.name) {
                continue;
            }
            // A peer is resolved from its dependent's parent: it must be
            // the copy the dependent's own dependents see.
            let from = if edge.kind == Kind::Peer && !node.is_empty() { parent_of(&node).to_string() } else { node.clone() };
            if let Some(existing) = visible(&tree, &from, &edge.name) {
                if satisfies(&edge.spec, &tree[&existing].version) || edge.spec.starts_with("npm:") {
                    continue;
                }
                if edge.kind == Kind::Peer {
                    // npm 7+ would refuse (ERESOLVE); report and keep going.
                    let dependent = tree.get(&node).map(|p| format!("{}@{}", p.name, p.version)).unwrap_or_else(|| "the root".into());
                    warnings.insert(format!("peer conflict: {dependent} wants {}@{}, {} is installed", edge.name, edge.spec, tree[&existing].version));
                    continue;
                }
            }
            let manifest = match choose(registry, &edge.name, &edge.spec) {
                Ok(m) => m,
                Err(e) if edge.kind == Kind::Optional => {
                    warnings.insert(format!("skipping optional {}@{}: {e}", edge.name, edge.spec));
                    continue;
                }
                Err(e) => return Err(e),
            };
            let installable = manifest.platform.supported();
            if !installable && edge.kind != Kind::Optional {
                return Err(Error::Resolve(format!(
                    "{}@{} does not support this platform (os {:?}, cpu {:?}, libc {:?})",
                    edge.name, manifest.version, manifest.platform.os, manifest.platform.cpu, manifest.platform.libc
                )));
            }
            let version = manifest.version.to_string();
            let path = placement(&tree, &from, &edge.name, &version);
            let package = Placed::from_manifest(manifest.clone(), installable);
            if installable {
                placed(&package);
                queue.push(path.clone());
                // Usually queued already by the look-ahead; not for a package
                // from a tarball or git, or a version an override chose.
                for (dep, spec) in package.dependencies.iter().chain(&package.optional_dependencies) {
                    registry.look_ahead(dep, spec);
                }
            }
            bundled.insert(path.clone(), manifest.bundled);
            tree.insert(path, package);
        }
    }
    mark_flags(&mut tree, &root_edges);
    for warning in warnings {
        eprintln!("lode: {warning}");
    }
    Ok(tree)
}

/// npm's dependency flags: `dev` for packages reached only through the
/// root's devDependencies, `optional` only through optional edges,
/// `devOptional` only through one or the other, `peer` only through peers.
fn mark_flags(tree: &mut BTreeMap<String, Placed>, root_edges: &[Edge]) {
    // Everything reachable from the root's edges passing `first`, then
    // through edges passing `rest`.
    let reach = |tree: &BTreeMap<String, Placed>, first: &dyn Fn(Kind) -> bool, rest: &dyn Fn(Kind) -> bool| -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<String> = root_edges.iter().filter(|e| first(e.kind)).filter_map(|e| visible(tree, "", &e.name)).collect();
        while let Some(path) = stack.pop() {
            if !seen.insert(path.clone()) {
                continue;
            }
            let placed = &tree[&path];
            for edge in package_edges(placed, &[]).into_iter().filter(|e| rest(e.kind)) {
                let from = if edge.kind == Kind::Peer { parent_of(&path) } else { path.as_str() };
                stack.extend(visible(tree, from, &edge.name));
            }
        }
        seen
    };
    let not_dev = reach(tree, &|k| k != Kind::Dev, &|_| true);
    let not_optional = reach(tree, &|k| k != Kind::Optional, &|k| k != Kind::Optional);
    let required = reach(tree, &|k| k == Kind::Prod || k == Kind::Peer, &|k| k != Kind::Optional);
    let not_peer = reach(tree, &|k| k != Kind::Peer, &|k| k != Kind::Peer);
    for (path, placed) in tree.iter_mut() {
        placed.dev = !not_dev.contains(path);
        placed.optional = !not_optional.contains(path);
        placed.dev_optional = !required.contains(path) && !placed.dev && !placed.optional;
        placed.peer = !not_peer.contains(path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locale_order_is_npms() {
        let mut names = vec!["b", "A", "a", "@scope/x", "a-b", "a_b", "ab", "1a", "a.b"];
        names.sort_by(|a, b| locale_cmp(a, b));
        assert_eq!(names, ["@scope/x", "1a", "a", "A", "a_b", "a-b", "a.b", "ab", "b"]);
    }

    fn package(name: &str, version: &str, deps: &[(&str, &str)]) -> Placed {
        let mut placed = Placed::from_manifest(
            crate::registry::manifest_from(name, &json!({ "version": version, "dist": { "tarball": "" } })).unwrap(),
            true,
        );
        placed.dependencies = deps.iter().map(|(n, r)| (n.to_string(), r.to_string())).collect();
        placed
    }

    #[test]
    fn placement_walks_up_until_a_conflict() {
        let mut tree = BTreeMap::new();
        tree.insert("node_modules/ms".to_string(), package("ms", "2.1.3", &[]));
        tree.insert("node_modules/express".to_string(), package("express", "4.0.0", &[("debug", "2.6.9")]));
        tree.insert("node_modules/express/node_modules/debug".to_string(), package("debug", "2.6.9", &[("ms", "2.0.0")]));
        // The top slot is taken: the highest free folder is express's.
        assert_eq!(placement(&tree, "node_modules/express/node_modules/debug", "ms", "2.0.0"), "node_modules/express/node_modules/ms");
        // A package under express that relies on the top ms@2.1.3 keeps
        // the new copy out of express's folder.
        tree.insert("node_modules/express/node_modules/send".to_string(), package("send", "1.0.0", &[("ms", "^2.1.0")]));
        assert_eq!(
            placement(&tree, "node_modules/express/node_modules/debug", "ms", "2.0.0"),
            "node_modules/express/node_modules/debug/node_modules/ms"
        );
    }
}
