//! Lode's engine host and its engine-neutral op layer: the only crate that
//! talks to the JavaScript engine.
//!
//! Node's built-ins (in `lode-runtime`) reach JS only through what this
//! crate exports, all of it plain Rust:
//! - [`Op`]: a native function `fn(&Scope, &Args) -> OpResult`, grouped
//!   into binding objects by [`Scope::binding`].
//! - [`Args`]: typed readers for numbers, strings, bytes and functions.
//! - [`Val`]: what an op returns (numbers, strings, Buffers, arrays,
//!   objects, errors) and [`OpError`]/[`JsError`]: what it throws.
//! - [`Local`]: a JS value held for the current scope; [`Global`]: one kept
//!   beyond it (a callback, a prototype), alive until dropped.
//!
//! Everything engine-specific (values, rooting, compiled built-ins,
//! realms, interrupts, microtasks, module hooks) stays behind this line,
//! so the engine can change without touching a built-in.

#[cfg(all(feature = "quickjs", feature = "spidermonkey"))]
compile_error!("lode-engine: enable exactly one engine feature, `quickjs` or `spidermonkey`, not both");
#[cfg(not(any(feature = "quickjs", feature = "spidermonkey")))]
compile_error!("lode-engine: enable one engine feature, `quickjs` or `spidermonkey`");

#[cfg(feature = "quickjs")]
mod quickjs;
#[cfg(feature = "quickjs")]
use quickjs as engine;
#[cfg(all(feature = "spidermonkey", not(feature = "quickjs")))]
mod spidermonkey;
#[cfg(all(feature = "spidermonkey", not(feature = "quickjs")))]
use spidermonkey as engine;
mod args;
mod value;

pub use engine::{
    compile_builtin, engine_version, import, parses_as_module, set_loader_init, set_module_hooks, Args, Binding,
    Global, Host, HostConfig, Local, Op, Realm, Scope, StopWhen,
};
pub use value::{ErrorKind, FunctionKind, JsError, OpError, OpResult, PromiseState, Prop, Val};
