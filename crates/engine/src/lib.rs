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

mod quickjs;
mod value;

pub use quickjs::{
    compile_builtin, engine_version, import, parses_as_module, set_loader_init, set_module_hooks, Args, Binding,
    FunctionKind, Global, Host, HostConfig, Local, Op, PromiseState, Realm, Scope, StopWhen,
};
pub use value::{ErrorKind, JsError, OpError, OpResult, Prop, Val};
