//! Compiles every built-in JavaScript file under `src/` ahead of time (with
//! `lode_engine::compile_builtin`), so the binary carries no JS parser work
//! at startup. Each file names its module
//! id on its first line (`// lode:module timers/promises`); the body is wrapped
//! in Lode's built-in function wrapper and compiled as a sloppy-free script.

use std::{env, fs, path::{Path, PathBuf}};

/// The parameters every built-in module body receives, in this order.
const WRAPPER_HEAD: &str = "(function (exports, require, module, binding, internals) {'use strict';";
const WRAPPER_TAIL: &str = "\n})";

fn main() {
    let src = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap()).join("src");
    let out = PathBuf::from(env::var("OUT_DIR").unwrap());
    let mut files = Vec::new();
    collect_js(&src, &mut files);
    files.sort();

    let mut table = Vec::new();
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
        let text = fs::read_to_string(file).unwrap();
        let id = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("// lode:module "))
            .unwrap_or_else(|| panic!("{} must start with `// lode:module <id>`", file.display()))
            .trim()
            .to_string();
        let source = format!("{WRAPPER_HEAD}{text}{WRAPPER_TAIL}");
        let bytecode = lode_engine::compile_builtin(&source, &format!("node:{id}"))
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let name = id.replace('/', "__");
        fs::write(out.join(format!("{name}.qbc")), &bytecode).unwrap();
        table.push((id, name));
    }
    println!("cargo:rerun-if-changed=src");
    table.sort();
    let mut gen = String::from("/// Built-in modules as (id, bytecode), sorted by id.\npub static BUILTIN_BYTECODE: &[(&str, &[u8])] = &[\n");
    for (id, name) in &table {
        gen.push_str(&format!("    ({id:?}, include_bytes!(concat!(env!(\"OUT_DIR\"), \"/{name}.qbc\"))),\n"));
    }
    gen.push_str("];\n");
    fs::write(out.join("builtins.rs"), gen).unwrap();
}

fn collect_js(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect_js(&path, out);
        } else if path.extension().is_some_and(|e| e == "js") {
            out.push(path);
        }
    }
}
