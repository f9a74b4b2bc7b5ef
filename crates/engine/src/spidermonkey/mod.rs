//! The engine host over SpiderMonkey (through `mozjs` 0.26.14): one
//! hand-made context with its main realm, values held in a scope
//! ([`Local`]) or beyond it ([`Global`]), native ops, built-ins, scripts,
//! realms, interrupts, microtasks and ES modules. What it exports is the
//! same engine-neutral API as the QuickJS host.
//!
//! Rooting is the rule that shapes this module: SpiderMonkey's collector
//! moves objects, and only values it can see are kept and updated. Every
//! [`Local`] is a slot of a `JS::Rooted<Vec<JSVal>>` on the native stack of
//! the op call or [`Host::enter`] that made its [`Scope`] (see `root.rs`);
//! every [`Global`] is a boxed `Heap<JSVal>` in a slab traced as a root.
//! Engine calls never receive a pointer into those vectors: values are
//! copied into `rooted!` temporaries first, so a vector that grows cannot
//! leave the engine holding a stale handle.

mod convert;
mod host;
mod inspect;
mod jobs;
mod modules;
mod ops;
mod realm;
mod root;
mod script;

pub use host::{Host, HostConfig};
pub use modules::{import, set_loader_init, set_module_hooks};
pub use ops::{Args, Binding, Op};
pub use realm::{Realm, StopWhen};
pub use root::{Global, Local};
pub use script::{compile_builtin, parses_as_module};

use mozjs::jsapi as sm;

/// Access to the engine while JS is (or may be) on the stack: inside an op,
/// or inside [`Host::enter`]. Values made through it live as long as `'s`,
/// rooted in the frame of the call that made the scope.
pub struct Scope<'s> {
    cx: *mut sm::JSContext,
    frame: &'s root::Frame,
}

/// The engine's name and version, for `process.versions`.
pub fn engine_version() -> (&'static str, String) {
    // SAFETY: returns a static NUL-terminated string.
    let version = unsafe { std::ffi::CStr::from_ptr(sm::JS_GetImplementationVersion()) }.to_string_lossy().into_owned();
    ("spidermonkey", version.trim_start_matches("JavaScript-C").to_owned())
}
