//! Compiles every built-in JavaScript file under `src/` to QuickJS bytecode, so
//! the binary carries no JS parser work at startup. Each file names its module
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

    let rt = rquickjs::Runtime::new().expect("quickjs runtime");
    let ctx = rquickjs::Context::full(&rt).expect("quickjs context");
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
        let bytecode = ctx.with(|ctx| compile(&ctx, &source, &format!("node:{id}")))
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

/// Compiles `source` without running it and serialises the result.
fn compile(ctx: &rquickjs::Ctx<'_>, source: &str, filename: &str) -> Result<Vec<u8>, String> {
    use rquickjs::qjs;
    let src = std::ffi::CString::new(source).map_err(|e| e.to_string())?;
    let name = std::ffi::CString::new(filename).unwrap();
    let raw = ctx.as_raw().as_ptr();
    unsafe {
        let func = qjs::JS_Eval(
            raw,
            src.as_ptr(),
            source.len() as _,
            name.as_ptr(),
            (qjs::JS_EVAL_TYPE_GLOBAL | qjs::JS_EVAL_FLAG_COMPILE_ONLY) as i32,
        );
        if qjs::JS_IsException(func) {
            let err = ctx.catch();
            let msg: String = err
                .as_object()
                .and_then(|o| o.get::<_, String>("message").ok())
                .unwrap_or_else(|| format!("{err:?}"));
            let stack: String = err.as_object().and_then(|o| o.get::<_, String>("stack").ok()).unwrap_or_default();
            return Err(format!("{msg}\n{stack}"));
        }
        let mut len: qjs::size_t = 0;
        let buf = qjs::JS_WriteObject(raw, &mut len, func, qjs::JS_WRITE_OBJ_BYTECODE as i32);
        qjs::JS_FreeValue(raw, func);
        if buf.is_null() {
            return Err("could not serialise bytecode".into());
        }
        let bytes = std::slice::from_raw_parts(buf, len as usize).to_vec();
        qjs::js_free(raw, buf as *mut _);
        Ok(bytes)
    }
}
