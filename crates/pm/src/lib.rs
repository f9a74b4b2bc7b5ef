//! Lode's package manager: `lode install`, `lode run` and friends, reading
//! npm's configuration and lockfile so a project can mix npm and Lode.

pub mod commands;
pub mod config;
mod git;
pub mod install;
mod lockfile;
pub mod registry;
mod resolve;
pub mod scripts;
pub mod semver;
pub mod tarball;

use std::path::Path;

/// Why a command failed; each says what to do about it.
#[derive(Debug)]
pub enum Error {
    Config(String),
    NotFound(String),
    Resolve(String),
    Registry(String),
    Network(String),
    Integrity(String),
    Extract(String),
    Io(String),
    Script { event: String, code: i32 },
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Config(m) => write!(f, "{m}"),
            Error::NotFound(m) => write!(f, "404 Not Found: {m}"),
            Error::Resolve(m) => write!(f, "cannot resolve: {m}"),
            Error::Registry(m) => write!(f, "registry error: {m}"),
            Error::Network(m) => write!(f, "network error: {m}"),
            Error::Integrity(m) => write!(f, "integrity check failed: {m}"),
            Error::Extract(m) => write!(f, "unsafe or broken tarball: {m}"),
            Error::Io(m) => write!(f, "{m}"),
            Error::Script { event, code } => write!(f, "the \"{event}\" script failed with exit code {code}"),
        }
    }
}

/// The package-manager commands `lode` hands over.
pub fn is_command(name: &str) -> bool {
    matches!(
        name,
        "install" | "i" | "ci" | "add" | "remove" | "rm" | "uninstall" | "un" | "update" | "up" | "outdated" | "init" | "x"
            | "exec" | "run" | "run-script"
    )
}

/// Runs a package-manager command; returns the process exit code.
pub fn main(args: &[String]) -> i32 {
    let cwd = std::env::current_dir().unwrap_or_else(|_| Path::new(".").to_path_buf());
    // As npm: the project is the nearest folder up with a package.json
    // (`lode init` and `lode x` work where they are).
    let dir = match args.first().map(String::as_str) {
        Some("init" | "x" | "exec") => cwd.clone(),
        _ => cwd.ancestors().find(|d| d.join("package.json").is_file()).unwrap_or(&cwd).to_path_buf(),
    };
    let result = match args.first().map(String::as_str) {
        Some("install" | "i" | "ci") => {
            let flags = &args[1..];
            let has = |f: &str| flags.iter().any(|a| a == f);
            let options = install::Options {
                omit_dev: has("--production") || has("--omit=dev") || flags.windows(2).any(|w| w[0] == "--omit" && w[1] == "dev"),
                frozen_lockfile: has("--frozen-lockfile") || args[0] == "ci",
                ignore_scripts: has("--ignore-scripts"),
                ..install::Options::default()
            };
            // `lode install <pkg>` is npm's spelling of `lode add <pkg>`.
            if flags.iter().any(|f| !f.starts_with('-')) {
                commands::add(&dir, flags)
            } else {
                install::install(&dir, &options)
            }
        }
        Some("add") => commands::add(&dir, &args[1..]),
        Some("remove" | "rm" | "uninstall" | "un") => commands::remove(&dir, &args[1..]),
        Some("update" | "up") => commands::update(&dir),
        Some("outdated") => match commands::outdated(&dir) {
            Ok(true) => Ok(()),
            Ok(false) => return 1,
            Err(e) => Err(e),
        },
        Some("init") => commands::init(&dir),
        Some("x" | "exec") => match commands::x(&args[1..]) {
            Ok(code) => return code,
            Err(e) => Err(e),
        },
        Some("run" | "run-script") => match args.get(1) {
            Some(script) => {
                let rest: Vec<String> = args[2..].iter().skip_while(|a| *a == "--").cloned().collect();
                scripts::run(&dir, script, &rest)
            }
            None => Err(Error::Config("usage: lode run <script> [args...]".into())),
        },
        _ => Err(Error::Config("unknown package-manager command".into())),
    };
    scripts::remove_node_shim();
    match result {
        Ok(()) => 0,
        Err(Error::Script { code, event }) => {
            eprintln!("lode: the \"{event}\" script failed with exit code {code}");
            code
        }
        Err(e) => {
            eprintln!("lode: {e}");
            1
        }
    }
}
