//! package.json scripts, run as npm runs them: through `sh -c`, with every
//! `node_modules/.bin` from the package up on PATH, the `npm_*` variables,
//! and — when no Node.js is installed — a `node` that is Lode.

use std::{
    path::{Path, PathBuf},
    process::Command,
};

use serde_json::Value;

use crate::Error;

fn shim_dir() -> PathBuf {
    std::env::temp_dir().join(format!("lode-node-shim-{}", std::process::id()))
}

/// Removes the `node` shim folder, if this process made one.
pub fn remove_node_shim() {
    let _ = std::fs::remove_dir_all(shim_dir());
}

/// A folder holding `node` → the running Lode, for machines without Node.
fn node_shim() -> Option<PathBuf> {
    let has_node = std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).any(|p| p.join("node").is_file()))
        .unwrap_or(false);
    if has_node {
        return None;
    }
    let exe = std::env::current_exe().ok()?;
    let dir = shim_dir();
    std::fs::create_dir_all(&dir).ok()?;
    let link = dir.join("node");
    let _ = std::fs::remove_file(&link);
    std::os::unix::fs::symlink(exe, &link).ok()?;
    Some(dir)
}

fn shell_quote(arg: &str) -> String {
    if !arg.is_empty() && arg.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_./=:@%+,".contains(&b)) {
        arg.to_string()
    } else {
        format!("'{}'", arg.replace('\'', "'\\''"))
    }
}

/// `program` with the environment package scripts get: every
/// node_modules/.bin from `dir` up first on PATH (then a `node` that is
/// Lode where Node.js is not installed), and npm's execution variables.
pub fn command_with_env(dir: &Path, program: &Path) -> Command {
    let mut paths: Vec<PathBuf> = dir.ancestors().map(|d| d.join("node_modules").join(".bin")).collect();
    paths.extend(node_shim());
    if let Some(existing) = std::env::var_os("PATH") {
        paths.extend(std::env::split_paths(&existing));
    }
    let exe = std::env::current_exe().map(|p| p.to_string_lossy().into_owned()).unwrap_or_default();
    let mut command = Command::new(program);
    if let Ok(path) = std::env::join_paths(paths) {
        command.env("PATH", path);
    }
    command
        .env("npm_node_execpath", &exe)
        .env("npm_execpath", &exe)
        .env("npm_config_user_agent", format!("lode/{}", env!("CARGO_PKG_VERSION")))
        .env("INIT_CWD", std::env::current_dir().unwrap_or_default());
    command
}

/// Runs `scripts[event]` (if any) in `dir`; a failing script is an error
/// carrying its exit code.
pub fn run_lifecycle(dir: &Path, manifest: &Value, event: &str, args: &[String]) -> Result<bool, Error> {
    let Some(script) = manifest.get("scripts").and_then(|s| s.get(event)).and_then(Value::as_str) else {
        return Ok(false);
    };
    let mut command_line = script.to_string();
    for arg in args {
        command_line.push(' ');
        command_line.push_str(&shell_quote(arg));
    }
    let name = manifest.get("name").and_then(Value::as_str).unwrap_or_default();
    let version = manifest.get("version").and_then(Value::as_str).unwrap_or_default();
    eprintln!("\n> {name}@{version} {event}\n> {command_line}\n");
    let status = command_with_env(dir, Path::new("sh"))
        .arg("-c")
        .arg(&command_line)
        .current_dir(dir)
        .env("npm_lifecycle_event", event)
        .env("npm_lifecycle_script", script)
        .env("npm_package_name", name)
        .env("npm_package_version", version)
        .env("npm_package_json", dir.join("package.json"))
        .status()
        .map_err(|e| Error::Io(format!("sh: {e}")))?;
    if status.success() {
        Ok(true)
    } else {
        Err(Error::Script { event: event.to_string(), code: status.code().unwrap_or(1) })
    }
}

/// `lode run <script> [args]`: pre<script>, <script> with args, post<script>.
pub fn run(dir: &Path, script: &str, args: &[String]) -> Result<(), Error> {
    let manifest = crate::install::read_package_json(dir)?;
    let has = manifest.get("scripts").and_then(|s| s.get(script)).is_some();
    if !has {
        let available: Vec<String> = manifest
            .get("scripts")
            .and_then(Value::as_object)
            .map(|s| s.keys().cloned().collect())
            .unwrap_or_default();
        return Err(Error::Config(format!(
            "Missing script: \"{script}\"{}",
            if available.is_empty() { String::new() } else { format!(" (available: {})", available.join(", ")) }
        )));
    }
    run_lifecycle(dir, &manifest, &format!("pre{script}"), &[])?;
    run_lifecycle(dir, &manifest, script, args)?;
    run_lifecycle(dir, &manifest, &format!("post{script}"), &[])?;
    Ok(())
}
