//! Lode's package manager: `lode install`, `lode run` and friends, reading
//! npm's configuration and lockfile so a project can mix npm and Lode.

pub mod config;
pub mod install;
pub mod registry;
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

/// The package-manager commands `lode` hands over (`install`, `i`, `run`).
pub fn is_command(name: &str) -> bool {
    matches!(name, "install" | "i" | "ci" | "run" | "run-script")
}

/// Runs a package-manager command; returns the process exit code.
pub fn main(args: &[String]) -> i32 {
    let dir = std::env::current_dir().unwrap_or_else(|_| Path::new(".").to_path_buf());
    let result = match args.first().map(String::as_str) {
        Some("install" | "i" | "ci") => {
            let flags = &args[1..];
            let has = |f: &str| flags.iter().any(|a| a == f);
            let options = install::Options {
                omit_dev: has("--production") || has("--omit=dev") || flags.windows(2).any(|w| w[0] == "--omit" && w[1] == "dev"),
                frozen_lockfile: has("--frozen-lockfile") || args[0] == "ci",
                ignore_scripts: has("--ignore-scripts"),
            };
            if let Some(unknown) = flags.iter().find(|f| !f.starts_with("--")) {
                Err(Error::Config(format!("`lode install {unknown}` is not supported yet: add it to package.json, then run `lode install`")))
            } else {
                install::install(&dir, &options)
            }
        }
        Some("run" | "run-script") => match args.get(1) {
            Some(script) => {
                let rest: Vec<String> = args[2..].iter().skip_while(|a| *a == "--").cloned().collect();
                scripts::run(&dir, script, &rest)
            }
            None => Err(Error::Config("usage: lode run <script> [args...]".into())),
        },
        _ => Err(Error::Config("unknown package-manager command".into())),
    };
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
