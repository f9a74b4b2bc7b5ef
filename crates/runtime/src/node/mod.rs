//! Node's built-in modules. Each folder holds one built-in: its JS face
//! (`*.js`, compiled to bytecode at build time) and, where it needs native
//! work, its Rust side (`mod.rs`), reachable from JS as `binding`.

pub mod buffer;
pub mod child_process;
pub mod crypto;
pub mod errors;
pub mod fs;
pub mod http;
pub mod module;
pub mod net;
pub mod os;
pub mod process;
pub mod timers;
pub mod url;
pub mod util;
pub mod vm;

use rquickjs::{Ctx, Function, Object, Value};

use crate::{
    host::{self, JsText},
    RunOptions,
};

/// Creates the native binding object for built-in `name`, or `undefined`
/// when the module is pure JS.
fn binding<'js>(ctx: &Ctx<'js>, name: &str) -> rquickjs::Result<Value<'js>> {
    let target = Object::new(ctx.clone())?;
    match name {
        "process" => process::init(ctx, &target)?,
        "timers" => timers::init(ctx, &target)?,
        "fs" => fs::init(ctx, &target)?,
        "util" => util::init(ctx, &target)?,
        "os" => os::init(ctx, &target)?,
        "buffer" => buffer::init(ctx, &target)?,
        "url" => url::init(ctx, &target)?,
        "errors" => errors::init(ctx, &target)?,
        "child_process" => child_process::init(ctx, &target)?,
        "module" => module::init(ctx, &target)?,
        "net" => net::init(ctx, &target)?,
        "crypto" => crypto::init(ctx, &target)?,
        "http" => http::init(ctx, &target)?,
        "contextify" => vm::init(ctx, &target)?,
        _ => return Ok(Value::new_undefined(ctx.clone())),
    }
    Ok(target.into_value())
}

/// The object handed to `internal/bootstrap`: how built-in JS reaches the
/// host (bytecode loading, bindings, microtasks) and the parsed options.
pub fn internals<'js>(ctx: &Ctx<'js>, options: &RunOptions) -> rquickjs::Result<Object<'js>> {
    let internals = Object::new(ctx.clone())?;
    host::set_functions(
        &internals,
        vec![
            (
                "loadBuiltin",
                Function::new(ctx.clone(), |ctx: Ctx<'js>, JsText(id): JsText| -> rquickjs::Result<Value<'js>> {
                    Ok(match host::load_builtin(&ctx, &id)? {
                        Some(f) => f.into_value(),
                        None => Value::new_undefined(ctx),
                    })
                })?,
            ),
            ("binding", Function::new(ctx.clone(), |ctx: Ctx<'js>, JsText(name): JsText| binding(&ctx, &name))?),
            ("runMicrotasks", Function::new(ctx.clone(), |ctx: Ctx<'js>| host::run_microtasks(&ctx))?),
            (
                "setModuleHooks",
                Function::new(ctx.clone(), |ctx: Ctx<'js>, resolve: Function<'js>, load: Function<'js>| {
                    crate::modules::set_hooks(&ctx, resolve, load)
                })?,
            ),
            ("parsesAsModule", Function::new(ctx.clone(), |JsText(source): JsText| host::parses_as_module(&source))?),
            ("parsesAsScript", Function::new(ctx.clone(), |ctx: Ctx<'js>, JsText(source): JsText| host::parses_as_script(&ctx, &source))?),
            (
                "setModuleLoaderInit",
                Function::new(ctx.clone(), |ctx: Ctx<'js>, init: Function<'js>| crate::modules::set_loader_init(&ctx, init))?,
            ),
            (
                "importModule",
                Function::new(ctx.clone(), |ctx: Ctx<'js>, JsText(specifier): JsText, JsText(base): JsText| {
                    crate::modules::import(&ctx, &specifier, &base)
                })?,
            ),
            (
                "evalScript",
                Function::new(ctx.clone(), |ctx: Ctx<'js>, JsText(source): JsText, JsText(filename): JsText, first_line: i32| {
                    host::eval_script(&ctx, &source, &filename, first_line)
                })?,
            ),
        ],
    )?;
    let ids = rquickjs::Array::new(ctx.clone())?;
    for (i, id) in host::builtin_ids().enumerate() {
        ids.set(i, id)?;
    }
    internals.set("builtinIds", ids)?;
    internals.set("options", options_object(ctx, options)?)?;
    Ok(internals)
}

fn options_object<'js>(ctx: &Ctx<'js>, options: &RunOptions) -> rquickjs::Result<Object<'js>> {
    let o = Object::new(ctx.clone())?;
    match &options.entry {
        crate::Entry::File(path) => o.set("file", path.as_str())?,
        crate::Entry::Eval { source, print } => {
            o.set("eval", source.as_str())?;
            o.set("print", *print)?;
        }
        crate::Entry::Stdin(source) => o.set("stdin", source.as_str())?,
    }
    o.set("args", options.args.clone())?;
    o.set("execArgv", options.exec_argv.clone())?;
    let flags = rquickjs::Array::new(ctx.clone())?;
    for (i, (name, value)) in options.flags.iter().enumerate() {
        let pair = rquickjs::Array::new(ctx.clone())?;
        pair.set(0, name.as_str())?;
        pair.set(1, value.as_deref())?;
        flags.set(i, pair)?;
    }
    o.set("flags", flags)?;
    o.set("argv0", options.argv0.as_str())?;
    o.set("version", crate::VERSION)?;
    o.set("nodeVersion", crate::NODE_VERSION)?;
    Ok(o)
}
