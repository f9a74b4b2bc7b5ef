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

use lode_engine::{Args, Binding, Local, OpError, OpResult, Scope, Val};

use crate::{builtins, RunOptions};

/// Creates the native binding object for built-in `name`, or `undefined`
/// when the module is pure JS.
fn binding<'s>(scope: &Scope<'s>, args: &Args<'s>) -> OpResult<'s> {
    let init: fn(&mut Binding<'_, '_>) = match args.string(0)?.as_str() {
        "process" => process::init,
        "timers" => timers::init,
        "fs" => fs::init,
        "util" => util::init,
        "os" => os::init,
        "buffer" => buffer::init,
        "url" => url::init,
        "errors" => errors::init,
        "child_process" => child_process::init,
        "module" => module::init,
        "net" => net::init,
        "crypto" => crypto::init,
        "http" => http::init,
        "contextify" => vm::init,
        _ => return Ok(Val::Undefined),
    };
    let mut binding = scope.binding()?;
    init(&mut binding);
    Ok(binding.finish().into())
}

/// The object handed to `internal/bootstrap`: how built-in JS reaches the
/// host (bytecode loading, bindings, microtasks, scripts, ES module hooks)
/// and the parsed options.
pub fn internals<'s>(scope: &Scope<'s>, options: &RunOptions) -> Result<Local<'s>, OpError<'s>> {
    let mut b = scope.binding()?;
    b.op("loadBuiltin", |scope, args| Ok(builtins::load(scope, &args.string(0)?)?.into()))
        .op("binding", binding)
        .op("runMicrotasks", |scope, _| scope.run_microtasks().map(Val::from))
        .op("setModuleHooks", |scope, args| lode_engine::set_module_hooks(scope, &args.function(0)?, &args.function(1)?).map(Val::from))
        .op("parsesAsModule", |_, args| Ok(lode_engine::parses_as_module(&args.string(0)?).into()))
        .op("parsesAsScript", |scope, args| Ok(scope.parses_as_script(&args.string(0)?).into()))
        .op("setModuleLoaderInit", |scope, args| lode_engine::set_loader_init(scope, &args.function(0)?).map(Val::from))
        .op("importModule", |scope, args| lode_engine::import(scope, &args.string(0)?, &args.string(1)?).map(Val::from))
        .op("evalScript", |scope, args| scope.eval_script(&args.string(0)?, &args.string(1)?, args.i32(2)?).map(Val::from))
        .value("builtinIds", Val::array(builtins::ids()))
        .value("options", options_value(options));
    Ok(b.finish())
}

fn options_value<'s>(options: &RunOptions) -> Val<'s> {
    let mut o = Val::object([
        ("args", Val::array(options.args.clone())),
        ("execArgv", Val::array(options.exec_argv.clone())),
        ("flags", Val::array(options.flags.iter().map(|(name, value)| Val::array([Val::from(name.clone()), Val::from(value.clone())])))),
        ("argv0", options.argv0.clone().into()),
        ("version", crate::VERSION.into()),
        ("nodeVersion", crate::NODE_VERSION.into()),
    ]);
    let Val::Object(entries) = &mut o else { unreachable!("built as an object") };
    match &options.entry {
        crate::Entry::File(path) => entries.push(("file".into(), path.clone().into())),
        crate::Entry::Eval { source, print } => {
            entries.push(("eval".into(), source.clone().into()));
            entries.push(("print".into(), (*print).into()));
        }
        crate::Entry::Stdin(source) => entries.push(("stdin".into(), source.clone().into())),
    }
    o
}
