//! The package.json-editing commands around `install`: `add`, `remove`,
//! `update`, `outdated`, `init`, and `x` (run a package's binary,
//! installing it into the cache first).

use std::path::Path;

use serde_json::{json, Map, Value};

use crate::{
    config::Config,
    install::{self, read_package_json, Options},
    registry::Registry,
    semver::{Range, Version},
    Error,
};

const DEP_KEYS: [&str; 4] = ["dependencies", "devDependencies", "optionalDependencies", "peerDependencies"];

fn write_package_json(dir: &Path, pkg: &Value) -> Result<(), Error> {
    let path = dir.join("package.json");
    let text = serde_json::to_string_pretty(pkg).unwrap_or_default() + "\n";
    let tmp = dir.join(format!(".package.json.lode-{}", std::process::id()));
    std::fs::write(&tmp, text).and_then(|_| std::fs::rename(&tmp, &path)).map_err(|e| Error::Io(format!("{}: {e}", path.display())))
}

/// `name`, `name@range`, `name@tag`, `@scope/name@...`.
fn split_spec(spec: &str) -> (String, Option<String>) {
    let at = if let Some(rest) = spec.strip_prefix('@') { rest.find('@').map(|i| i + 1) } else { spec.find('@') };
    match at {
        Some(i) => (spec[..i].to_string(), Some(spec[i + 1..].to_string())),
        None => (spec.to_string(), None),
    }
}

/// `lode add <pkg>[@range|@tag]... [-D|-O] [-E]`: records each package
/// (at `^version` of what the spec picks, or exactly with -E), then installs.
pub fn add(dir: &Path, args: &[String]) -> Result<(), Error> {
    let key = if args.iter().any(|a| a == "-D" || a == "--save-dev") {
        "devDependencies"
    } else if args.iter().any(|a| a == "-O" || a == "--save-optional") {
        "optionalDependencies"
    } else {
        "dependencies"
    };
    let exact = args.iter().any(|a| a == "-E" || a == "--save-exact");
    let specs: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    if specs.is_empty() {
        return Err(Error::Config("usage: lode add <package>[@version|@tag]... [-D] [-O] [-E]".into()));
    }
    let mut pkg = read_package_json(dir)?;
    let registry = Registry::new(Config::load(dir))?;
    for spec in specs {
        let (name, wanted) = split_spec(spec);
        let wanted = wanted.unwrap_or_else(|| "latest".into());
        let manifest = crate::resolve::choose(&registry, &name, &wanted)?;
        let saved = if exact || Range::parse(&wanted).is_some_and(|_| Version::parse(&wanted).is_some()) {
            manifest.version.to_string()
        } else if Range::parse(&wanted).is_some() && !wanted.chars().all(|c| c.is_ascii_alphabetic()) {
            wanted.clone()
        } else {
            format!("^{}", manifest.version)
        };
        for other in DEP_KEYS {
            if other != key {
                if let Some(deps) = pkg.get_mut(other).and_then(Value::as_object_mut) {
                    deps.remove(&name);
                }
            }
        }
        let deps = pkg.as_object_mut().ok_or_else(|| Error::Config("package.json is not an object".into()))?.entry(key).or_insert_with(|| json!({}));
        if let Some(deps) = deps.as_object_mut() {
            deps.insert(name, json!(saved));
            sort_keys(deps);
        }
    }
    write_package_json(dir, &pkg)?;
    install::install(dir, &Options::default())
}

fn sort_keys(map: &mut Map<String, Value>) {
    let mut entries: Vec<(String, Value)> = std::mem::take(map).into_iter().collect();
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    map.extend(entries);
}

/// `lode remove <pkg>...`: drops them from package.json and reinstalls.
pub fn remove(dir: &Path, names: &[String]) -> Result<(), Error> {
    if names.is_empty() {
        return Err(Error::Config("usage: lode remove <package>...".into()));
    }
    let mut pkg = read_package_json(dir)?;
    for key in DEP_KEYS {
        if let Some(deps) = pkg.get_mut(key).and_then(Value::as_object_mut) {
            for name in names {
                deps.remove(name);
            }
        }
    }
    write_package_json(dir, &pkg)?;
    install::install(dir, &Options::default())
}

/// `lode update`: resolves again from the registry, ignoring the lockfile.
pub fn update(dir: &Path) -> Result<(), Error> {
    install::install(dir, &Options { ignore_lockfile: true, ..Options::default() })
}

/// `lode outdated`: current, wanted (highest in range) and latest versions.
pub fn outdated(dir: &Path) -> Result<bool, Error> {
    let pkg = read_package_json(dir)?;
    let registry = Registry::new(Config::load(dir))?;
    let mut rows = Vec::new();
    for key in ["dependencies", "devDependencies", "optionalDependencies"] {
        for (name, spec) in pkg.get(key).and_then(Value::as_object).into_iter().flatten() {
            let spec = spec.as_str().unwrap_or("*");
            let current = std::fs::read_to_string(dir.join("node_modules").join(name).join("package.json"))
                .ok()
                .and_then(|t| serde_json::from_str::<Value>(&t).ok())
                .and_then(|p| p["version"].as_str().map(String::from));
            let packument = registry.packument(name)?;
            let wanted = Range::parse(spec).and_then(|r| r.max_satisfying(&packument.versions).cloned());
            let latest = packument.dist_tags.get("latest").cloned();
            let wanted = wanted.map(|v| v.to_string());
            if current.as_deref() != latest.as_deref() || current.is_none() {
                rows.push([name.clone(), current.unwrap_or_else(|| "missing".into()), wanted.unwrap_or_default(), latest.unwrap_or_default()]);
            }
        }
    }
    if rows.is_empty() {
        return Ok(true);
    }
    println!("{:<30} {:<12} {:<12} {:<12}", "Package", "Current", "Wanted", "Latest");
    for [name, current, wanted, latest] in &rows {
        println!("{name:<30} {current:<12} {wanted:<12} {latest:<12}");
    }
    Ok(false)
}

/// `lode init`: a package.json for the current folder.
pub fn init(dir: &Path) -> Result<(), Error> {
    if dir.join("package.json").exists() {
        return Err(Error::Config("package.json already exists".into()));
    }
    let name = dir.file_name().map(|n| n.to_string_lossy().to_lowercase().replace(' ', "-")).unwrap_or_else(|| "app".into());
    let pkg = json!({
        "name": name,
        "version": "1.0.0",
        "description": "",
        "main": "index.js",
        "scripts": { "test": "echo \"Error: no test specified\" && exit 1" },
        "keywords": [],
        "author": "",
        "license": "ISC",
    });
    write_package_json(dir, &pkg)?;
    println!("Wrote to {}", dir.join("package.json").display());
    Ok(())
}

/// `lode x <pkg>[@version] [args]`: installs the package into the cache
/// (once per version) and runs its binary.
pub fn x(args: &[String]) -> Result<i32, Error> {
    let Some(spec) = args.first() else {
        return Err(Error::Config("usage: lode x <package>[@version] [args...]".into()));
    };
    let (name, wanted) = split_spec(spec);
    let cwd = std::env::current_dir().map_err(|e| Error::Io(e.to_string()))?;
    let registry = Registry::new(Config::load(&cwd))?;
    let manifest = crate::resolve::choose(&registry, &name, wanted.as_deref().unwrap_or("latest"))?;
    let home = crate::tarball::cache_root().join("x").join(format!("{}@{}", name.replace('/', "+"), manifest.version));
    if !home.join("node_modules").join(&name).exists() {
        std::fs::create_dir_all(&home).map_err(|e| Error::Io(e.to_string()))?;
        let pkg = json!({ "name": "lode-x", "private": true, "dependencies": { name.clone(): manifest.version.to_string() } });
        write_package_json(&home, &pkg)?;
        install::install(&home, &Options { quiet: true, ..Options::default() })?;
    }
    let bin = match manifest.bin.as_slice() {
        [] => return Err(Error::Config(format!("{name} has no binary to run"))),
        [(command, _)] => command.clone(),
        bins => {
            let own = name.rsplit('/').next().unwrap_or(&name);
            bins.iter().find(|(c, _)| c == own).map(|(c, _)| c.clone()).ok_or_else(|| {
                Error::Config(format!("{name} has several binaries ({}); run one with node_modules/.bin", bins.iter().map(|(c, _)| c.as_str()).collect::<Vec<_>>().join(", ")))
            })?
        }
    };
    let path = home.join("node_modules/.bin").join(&bin);
    let status = crate::scripts::command_with_env(&home, &path)
        .args(&args[1..])
        .current_dir(&cwd)
        .status()
        .map_err(|e| Error::Io(format!("{}: {e}", path.display())))?;
    Ok(status.code().unwrap_or(1))
}
