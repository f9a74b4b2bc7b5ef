//! The engine instance: process-wide engine start, the hand-made context
//! (so self-hosted code and job queues are set up our way), the main realm,
//! and [`Host::enter`], which opens the outermost [`Scope`].

use std::{cell::Cell, ptr};

use mozjs::{jsapi as sm, jsval::ObjectValue, rooted};

use super::{jobs, modules, realm, root, Global, Local, Scope};

/// What the host needs from its embedder at start.
pub struct HostConfig {
    /// Native stack the engine may use, in bytes.
    pub stack_bytes: usize,
    /// Called for every promise rejection event: the promise, its reason,
    /// and whether this is a late handling of an earlier rejection.
    pub on_rejection: for<'s> fn(&Scope<'s>, Local<'s>, Local<'s>, bool),
}

/// An engine instance with one main realm. One per thread; it is never torn
/// down (the process exits with it), so [`Global`]s may outlive it safely.
pub struct Host {
    cx: *mut sm::JSContext,
    global: Global,
}

thread_local! {
    /// This thread's context, for hooks the engine calls without one.
    static CONTEXT: Cell<*mut sm::JSContext> = const { Cell::new(ptr::null_mut()) };
    /// The main realm's global object.
    static MAIN_GLOBAL: std::cell::RefCell<Option<Global>> = const { std::cell::RefCell::new(None) };
    static GC_STRESS: bool = std::env::var_os("LODE_GC_STRESS").is_some_and(|v| v == "1");
}

/// Whether `LODE_GC_STRESS=1`: a full GC at every op dispatch and every call
/// from the host, so rooting mistakes crash in tests.
pub(crate) fn gc_stress(cx: *mut sm::JSContext) {
    if GC_STRESS.with(|g| *g) {
        // SAFETY: a GC on this thread's live context, between engine calls:
        // every value Rust holds is rooted at this point by construction.
        unsafe { sm::JS_GC(cx, sm::GCReason::API) };
    }
}

/// The main realm's global object (null before the host exists).
pub(crate) fn main_global() -> *mut sm::JSObject {
    MAIN_GLOBAL.with(|g| g.borrow().as_ref().map_or(ptr::null_mut(), |g| g.get().to_object()))
}

/// Starts the engine once per process; it stays up until exit.
pub(crate) fn init_engine() -> Result<(), String> {
    static START: std::sync::OnceLock<Result<(), String>> = std::sync::OnceLock::new();
    START
        .get_or_init(|| match mozjs::rust::JSEngine::init() {
            Ok(engine) => {
                // Dropping it would shut the engine down; it lives until exit.
                std::mem::forget(engine);
                // SAFETY: registers a plain C exit handler (see `end_process`).
                unsafe { on_exit(end_process, ptr::null_mut()) };
                Ok(())
            }
            Err(e) => Err(format!("{e:?}")),
        })
        .clone()
}

extern "C" {
    /// glibc's `atexit` with the exit status.
    fn on_exit(handler: unsafe extern "C" fn(std::ffi::c_int, *mut std::ffi::c_void), arg: *mut std::ffi::c_void) -> std::ffi::c_int;
    fn _exit(status: std::ffi::c_int) -> !;
    fn fflush(stream: *mut std::ffi::c_void) -> std::ffi::c_int;
}

/// Ends the process at `exit` before the engine's static destructors run.
/// Lode exits with the engine still up (and possibly JS on the stack, for
/// `process.exit()`), as Node does; SpiderMonkey's static mutexes then fail
/// to destroy and crash. Exit handlers registered after the engine started
/// have already run (they run in reverse order), and C streams are flushed.
unsafe extern "C" fn end_process(status: std::ffi::c_int, _arg: *mut std::ffi::c_void) {
    fflush(ptr::null_mut());
    _exit(status);
}

/// The build id stamped on (and checked in) every XDR stencil.
pub(crate) unsafe extern "C" fn build_id(vector: *mut sm::BuildIdCharVector) -> bool {
    let id = concat!("lode-", env!("CARGO_PKG_VERSION"), "-mozjs-0.26.14");
    mozjs::glue::SetBuildId(vector, id.as_ptr().cast(), id.len())
}

/// A new context on this thread, set up as `mozjs::rust::Runtime::new`
/// would, plus our job queue, before self-hosted code starts.
///
/// # Safety
/// The engine is started; this thread has no other context.
pub(crate) unsafe fn new_context(stack_bytes: usize) -> Result<*mut sm::JSContext, String> {
    let cx = sm::JS_NewContext(32 * 1024 * 1024 + (1 << 20), ptr::null_mut());
    if cx.is_null() {
        return Err("cannot create a JS context".into());
    }
    sm::JS_SetGCParameter(cx, sm::JSGCParamKey::JSGC_MAX_BYTES, u32::MAX);
    sm::JS_AddExtraGCRootsTracer(cx, Some(mozjs::gc::trace_traceables), ptr::null_mut());
    sm::JS_AddExtraGCRootsTracer(cx, Some(root::trace_globals), ptr::null_mut());
    sm::JS_AddExtraGCRootsTracer(cx, Some(modules::trace_modules), ptr::null_mut());
    let stack = stack_bytes.max(256 * 1024);
    sm::JS_SetNativeStackQuota(cx, stack, stack - 32 * 1024, stack - 64 * 1024);
    sm::SetProcessBuildIdOp(Some(build_id));
    jobs::install_job_queue(cx);
    // `mozilla::Span<const u8>` as {size, data}; data must be non-null.
    let cache: sm::SelfHostedCache = mozjs::jsapi::__BindgenOpaqueArray([0, 1]);
    if !sm::InitSelfHostedCode(cx, cache, None) {
        return Err("cannot initialise self-hosted code".into());
    }
    Ok(cx)
}

/// A new global object in a new realm; `compartment` (non-null) makes it
/// share that compartment, so values pass between realms without wrappers.
pub(crate) unsafe fn new_global(cx: *mut sm::JSContext, compartment: *mut sm::JS::Compartment) -> *mut sm::JSObject {
    let mut options = mozjs::rust::RealmOptions::default();
    // As V8 (and Node): SharedArrayBuffer and Atomics are there.
    options.creationOptions_.sharedMemoryAndAtomics_ = true;
    options.creationOptions_.defineSharedArrayBufferConstructor_ = true;
    if !compartment.is_null() {
        options.creationOptions_.compSpec_ = sm::JS::CompartmentSpecifier::ExistingCompartment;
        options.creationOptions_.__bindgen_anon_1.comp_ = compartment;
    }
    sm::JS_NewGlobalObject(
        cx,
        &mozjs::rust::SIMPLE_GLOBAL_CLASS,
        ptr::null_mut(),
        sm::JS::OnNewGlobalHookOption::FireOnNewGlobalHook,
        &*options,
    )
}

/// What every realm gets at birth: V8's defaults where SpiderMonkey's
/// differ, and the `queueMicrotask` global SpiderMonkey lacks (one promise
/// job per callback, FIFO with every other job, made from the intrinsics
/// captured here so user code cannot redirect it).
const REALM_SETUP: &str = r#"(() => {
  Error.stackTraceLimit = 10;
  // WebIDL's DOMException, which V8 embedders (and QuickJS) have built in.
  const codes = {
    IndexSizeError: 1, DOMStringSizeError: 2, HierarchyRequestError: 3, WrongDocumentError: 4,
    InvalidCharacterError: 5, NoDataAllowedError: 6, NoModificationAllowedError: 7, NotFoundError: 8,
    NotSupportedError: 9, InUseAttributeError: 10, InvalidStateError: 11, SyntaxError: 12,
    InvalidModificationError: 13, NamespaceError: 14, InvalidAccessError: 15, ValidationError: 16,
    TypeMismatchError: 17, SecurityError: 18, NetworkError: 19, AbortError: 20, URLMismatchError: 21,
    QuotaExceededError: 22, TimeoutError: 23, InvalidNodeTypeError: 24, DataCloneError: 25,
  };
  const constants = [
    'INDEX_SIZE_ERR', 'DOMSTRING_SIZE_ERR', 'HIERARCHY_REQUEST_ERR', 'WRONG_DOCUMENT_ERR',
    'INVALID_CHARACTER_ERR', 'NO_DATA_ALLOWED_ERR', 'NO_MODIFICATION_ALLOWED_ERR', 'NOT_FOUND_ERR',
    'NOT_SUPPORTED_ERR', 'INUSE_ATTRIBUTE_ERR', 'INVALID_STATE_ERR', 'SYNTAX_ERR',
    'INVALID_MODIFICATION_ERR', 'NAMESPACE_ERR', 'INVALID_ACCESS_ERR', 'VALIDATION_ERR',
    'TYPE_MISMATCH_ERR', 'SECURITY_ERR', 'NETWORK_ERR', 'ABORT_ERR', 'URL_MISMATCH_ERR',
    'QUOTA_EXCEEDED_ERR', 'TIMEOUT_ERR', 'INVALID_NODE_TYPE_ERR', 'DATA_CLONE_ERR',
  ];
  class DOMException extends Error {
    #name;
    #message;
    constructor(message = '', options = 'Error') {
      super();
      this.#message = `${message}`;
      if (options !== null && typeof options === 'object') {
        this.#name = 'name' in options ? `${options.name}` : 'Error';
        if ('cause' in options) {
          Object.defineProperty(this, 'cause', { value: options.cause, writable: true, enumerable: false, configurable: true });
        }
      } else {
        this.#name = `${options}`;
      }
    }
    get name() { return this.#name; }
    get message() { return this.#message; }
    get code() { return codes[this.#name] ?? 0; }
  }
  Object.defineProperty(DOMException.prototype, Symbol.toStringTag, { value: 'DOMException', configurable: true });
  constants.forEach((name, i) => {
    const desc = { value: i + 1, enumerable: true };
    Object.defineProperty(DOMException, name, desc);
    Object.defineProperty(DOMException.prototype, name, desc);
  });
  Object.defineProperty(globalThis, 'DOMException', { value: DOMException, writable: true, configurable: true });
  const then = Promise.prototype.then;
  const resolved = Promise.resolve();
  const call = Function.prototype.call.bind(then);
  Object.defineProperty(globalThis, 'queueMicrotask', {
    value: function queueMicrotask(callback) {
      if (typeof callback !== 'function') throw new TypeError('The "callback" argument must be of type function');
      call(resolved, () => { callback(); });
    },
    writable: true, enumerable: true, configurable: true,
  });
})()"#;

/// Runs [`REALM_SETUP`] in the realm the context is in.
pub(crate) unsafe fn setup_realm(cx: *mut sm::JSContext) -> Result<(), String> {
    rooted!(in(cx) let mut rval = mozjs::jsval::UndefinedValue());
    if super::script::evaluate(cx, REALM_SETUP, "lode:realm", 1, rval.handle_mut().into()) {
        Ok(())
    } else {
        sm::JS_ClearPendingException(cx);
        Err("cannot set up a realm".into())
    }
}

impl Host {
    pub fn new(config: HostConfig) -> Result<Self, String> {
        init_engine()?;
        if !CONTEXT.with(Cell::get).is_null() {
            return Err("this thread already has a JS engine host".into());
        }
        // SAFETY: the engine is up and this thread has no context yet; the
        // calls below are the documented start-up sequence on it.
        unsafe {
            let cx = new_context(config.stack_bytes)?;
            CONTEXT.with(|c| c.set(cx));
            jobs::set_rejection_handler(cx, config.on_rejection);
            realm::install_interrupt_callback(cx);
            modules::install_hooks(cx);
            sm::js::SetStackFormat(cx, sm::js::StackFormat::V8);
            rooted!(in(cx) let global = new_global(cx, ptr::null_mut()));
            if global.get().is_null() {
                return Err("cannot create the global object".into());
            }
            let saved = Global::new(ObjectValue(global.get()));
            MAIN_GLOBAL.with(|g| *g.borrow_mut() = Some(saved.clone()));
            let _realm = sm::JSAutoRealm::new(cx, global.get());
            setup_realm(cx)?;
            Ok(Self { cx, global: saved })
        }
    }

    /// Runs `f` inside the main realm, with a frame for its values.
    pub fn enter<R>(&self, f: impl for<'s> FnOnce(&Scope<'s>) -> R) -> R {
        // SAFETY: the context is this host's, on this thread (Host is not
        // Send); the realm guard and the frame nest inside this call.
        unsafe {
            let _realm = sm::JSAutoRealm::new(self.cx, self.global.get().to_object());
            root::with_frame(self.cx, |frame| f(&Scope { cx: self.cx, frame }))
        }
    }
}

/// This thread's context (null before [`Host::new`]).
pub(crate) fn context() -> *mut sm::JSContext {
    CONTEXT.with(Cell::get)
}
