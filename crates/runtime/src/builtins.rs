//! The built-in JS modules, compiled ahead by `build.rs` and loaded lazily
//! by id.

use lode_engine::{Local, OpError, Scope};

include!(concat!(env!("OUT_DIR"), "/builtins.rs"));

/// Runs built-in `id` and returns its wrapper function
/// `(exports, require, module, binding, internals)`; `None` if there is no
/// such built-in.
pub fn load<'s>(scope: &Scope<'s>, id: &str) -> Result<Option<Local<'s>>, OpError<'s>> {
    match BUILTIN_BYTECODE.binary_search_by(|(k, _)| k.cmp(&id)) {
        Ok(i) => scope.run_builtin(BUILTIN_BYTECODE[i].1).map(Some),
        Err(_) => Ok(None),
    }
}

/// Ids of every built-in module compiled into the binary.
pub fn ids() -> impl Iterator<Item = &'static str> {
    BUILTIN_BYTECODE.iter().map(|(id, _)| *id)
}
