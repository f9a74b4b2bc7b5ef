//! The engine host over QuickJS-ng (through rquickjs): the runtime and its
//! context, values held in a scope ([`Local`]) or beyond it ([`Global`]),
//! native ops, compiled built-ins, scripts, realms, interrupts and
//! microtasks. This is the one place that touches the engine; what it
//! exports is engine-neutral.

mod modules;
mod text;

use rquickjs::{function::Rest, qjs, Constructor, Ctx, Function, Object, Persistent, Value};

use crate::{ErrorKind, FunctionKind, JsError, OpError, OpResult, PromiseState, Prop, Val};

pub use modules::{import, set_loader_init, set_module_hooks};

/// What the host needs from its embedder at start.
pub struct HostConfig {
    /// Native stack the engine may use, in bytes.
    pub stack_bytes: usize,
    /// Called for every promise rejection event: the promise, its reason,
    /// and whether this is a late handling of an earlier rejection.
    pub on_rejection: for<'s> fn(&Scope<'s>, Local<'s>, Local<'s>, bool),
}

/// An engine instance with one main context.
pub struct Host {
    /// Kept so the engine outlives every use of the context.
    _runtime: rquickjs::Runtime,
    context: rquickjs::Context,
}

impl Host {
    pub fn new(config: HostConfig) -> Result<Self, String> {
        let runtime = rquickjs::Runtime::new().map_err(|e| e.to_string())?;
        runtime.set_max_stack_size(config.stack_bytes);
        runtime.set_gc_threshold(8 * 1024 * 1024);
        let on_rejection = config.on_rejection;
        runtime.set_host_promise_rejection_tracker(Some(Box::new(move |ctx, promise, reason, handled| {
            on_rejection(&Scope { ctx }, Local(promise), Local(reason), handled);
        })));
        runtime.set_loader(modules::NodeResolver, modules::NodeLoader);
        let context = rquickjs::Context::full(&runtime).map_err(|e| e.to_string())?;
        Ok(Self { _runtime: runtime, context })
    }

    /// Runs `f` inside the main context.
    pub fn enter<R>(&self, f: impl for<'s> FnOnce(&Scope<'s>) -> R) -> R {
        self.context.with(|ctx| f(&Scope { ctx }))
    }
}

/// Access to the engine while JS is (or may be) on the stack: inside an op,
/// or inside [`Host::enter`]. Values made through it live as long as `'s`.
pub struct Scope<'s> {
    ctx: Ctx<'s>,
}

/// A JS value held for the current scope. Keep it beyond the scope as a
/// [`Global`].
#[derive(Clone)]
pub struct Local<'s>(Value<'s>);

/// A JS value kept alive (and safe from the collector) until dropped.
#[derive(Clone)]
pub struct Global(Persistent<Value<'static>>);

impl<'s> Local<'s> {
    pub fn is_undefined(&self) -> bool {
        self.0.is_undefined()
    }

    pub fn is_null(&self) -> bool {
        self.0.is_null()
    }

    /// `undefined` or `null`.
    pub fn is_nullish(&self) -> bool {
        self.0.is_undefined() || self.0.is_null()
    }

    pub fn is_function(&self) -> bool {
        self.0.is_function()
    }

    pub fn is_string(&self) -> bool {
        self.0.is_string()
    }

    pub fn is_object(&self) -> bool {
        self.0.is_object()
    }

    /// The value if it is a number.
    pub fn as_number(&self) -> Option<f64> {
        self.0.as_number()
    }

    /// The value if it is a number with an exact `i32` form.
    pub fn as_i32(&self) -> Option<i32> {
        self.0.as_int().or_else(|| self.0.as_float().filter(|f| f.fract() == 0.0 && *f >= i32::MIN as f64 && *f <= i32::MAX as f64).map(|f| f as i32))
    }

    pub fn as_bool(&self) -> Option<bool> {
        self.0.as_bool()
    }
}

impl<'s> Scope<'s> {
    /// Makes `value` a JS value.
    pub fn value(&self, value: Val<'s>) -> Result<Local<'s>, OpError<'s>> {
        self.to_js(value).map(Local).map_err(|e| self.op_error(e))
    }

    /// Keeps `value` beyond this scope.
    pub fn global(&self, value: &Local<'s>) -> Global {
        Global(Persistent::save(&self.ctx, value.0.clone()))
    }

    /// A kept value, back in this scope.
    pub fn local(&self, value: &Global) -> Local<'s> {
        Local(value.0.clone().restore(&self.ctx).expect("a Global belongs to this runtime"))
    }

    /// Calls `f` with `args` (`this` undefined); `Err` holds what it threw.
    pub fn call(&self, f: &Local<'s>, args: Vec<Val<'s>>) -> Result<Local<'s>, Local<'s>> {
        let Some(function) = f.0.as_function() else {
            return Err(self.exception_value(self.throw(JsError::type_error("not a function").into())));
        };
        let mut values = Vec::with_capacity(args.len());
        for arg in args {
            match self.to_js(arg) {
                Ok(v) => values.push(v),
                Err(e) => return Err(self.exception_value(e)),
            }
        }
        function.call::<_, Value>((Rest(values),)).map(Local).map_err(|e| self.exception_value(e))
    }

    /// `object[key]`.
    pub fn get(&self, object: &Local<'s>, key: &str) -> Result<Local<'s>, OpError<'s>> {
        let Some(o) = object.0.as_object() else { return Err(JsError::type_error(format!("cannot read '{key}' of a non-object")).into()) };
        o.get::<_, Value>(key).map(Local).map_err(|e| self.op_error(e))
    }

    /// `object[key] = value`.
    pub fn set(&self, object: &Local<'s>, key: &str, value: Val<'s>) -> Result<(), OpError<'s>> {
        let Some(o) = object.0.as_object() else { return Err(JsError::type_error(format!("cannot set '{key}' on a non-object")).into()) };
        let value = self.value(value)?;
        o.set(key, value.0).map_err(|e| self.op_error(e))
    }

    /// The elements of an array (or of any object with a `length`).
    pub fn elements(&self, array: &Local<'s>) -> Result<Vec<Local<'s>>, OpError<'s>> {
        let Some(o) = array.0.as_object() else { return Err(JsError::type_error("not an array").into()) };
        let len = o.get::<_, Option<f64>>("length").map_err(|e| self.op_error(e))?.unwrap_or(0.0) as usize;
        (0..len).map(|i| o.get::<_, Value>(i as u32).map(Local).map_err(|e| self.op_error(e))).collect()
    }

    /// `String(value)` as Rust text; lone surrogates, which UTF-8 cannot
    /// hold, become U+FFFD, as Node's conversions do.
    pub fn string(&self, value: &Local<'s>) -> Result<String, OpError<'s>> {
        self.with_str(value, str::to_owned)
    }

    /// Runs `f` over `String(value)` without copying it when the engine's
    /// bytes are already UTF-8 (ASCII strings are not even converted).
    pub fn with_str<R>(&self, value: &Local<'s>, f: impl FnOnce(&str) -> R) -> Result<R, OpError<'s>> {
        let raw = self.raw();
        let mut len: qjs::size_t = 0;
        // SAFETY: the engine returns a NUL-terminated buffer of `len` bytes
        // that stays valid until it is freed below; `f` cannot run JS.
        unsafe {
            let ptr = qjs::JS_ToCStringLen2(raw, &mut len, value.0.as_raw(), false);
            if ptr.is_null() {
                return Err(OpError::Pending);
            }
            let bytes = std::slice::from_raw_parts(ptr.cast::<u8>(), len as usize);
            let result = match std::str::from_utf8(bytes) {
                Ok(text) => f(text),
                Err(_) => f(&text::wtf8_to_utf8(bytes.to_vec())),
            };
            qjs::JS_FreeCString(raw, ptr);
            Ok(result)
        }
    }

    /// Runs `f` over the bytes of a string (as UTF-8) or of a `Uint8Array`
    /// (without copying). Anything else gives `None`.
    pub fn with_bytes<R>(&self, value: &Local<'s>, f: impl FnOnce(&[u8]) -> R) -> Result<Option<R>, OpError<'s>> {
        if value.0.is_string() {
            return self.with_str(value, |s| f(s.as_bytes())).map(Some);
        }
        let Some(array) = value.0.as_object().and_then(|o| o.as_typed_array::<u8>()) else { return Ok(None) };
        // SAFETY: no JS runs while `f` holds the slice, so the buffer can be
        // neither detached nor resized under it.
        Ok(unsafe { array.as_bytes() }.map(f))
    }

    /// Runs `f` on the writable bytes of a `Uint8Array` (`None` for anything
    /// else, or a detached buffer).
    pub fn with_bytes_mut<R>(&self, value: &Local<'s>, f: impl FnOnce(&mut [u8]) -> R) -> Option<R> {
        let array = value.0.as_object().and_then(|o| o.as_typed_array::<u8>())?;
        let raw = array.as_raw()?;
        // SAFETY: the view's memory is live and no JS runs while `f` holds it.
        Some(f(unsafe { &mut *raw.as_ptr() }))
    }

    /// Runs `f` on the elements of a `Float64Array` (`None` for anything
    /// else, or a detached buffer).
    pub fn with_f64s_mut<R>(&self, value: &Local<'s>, f: impl FnOnce(&mut [f64]) -> R) -> Option<R> {
        let array = value.0.as_object().and_then(|o| o.as_typed_array::<f64>())?;
        let raw = array.as_raw()?;
        // SAFETY: the view's memory is live, f64-aligned (a Float64Array's
        // offset is a multiple of 8) and no JS runs while `f` holds it.
        Some(f(unsafe { std::slice::from_raw_parts_mut(raw.as_ptr().cast::<f64>(), raw.len() / 8) }))
    }

    /// The prototype given to every `Val::Buffer` (Node's `Buffer.prototype`).
    pub fn set_buffer_prototype(&self, prototype: &Local<'s>) {
        let saved = self.global(prototype);
        BUFFER_PROTOTYPE.with(|p| *p.borrow_mut() = Some(saved));
    }

    /// Takes the pending exception (after an op saw [`OpError::Pending`]).
    pub fn take_exception(&self) -> Local<'s> {
        Local(self.ctx.catch())
    }

    /// Runs every queued promise job. A job that throws stops the run and
    /// its exception is returned, so the caller can treat it as uncaught.
    pub fn run_microtasks(&self) -> Result<(), OpError<'s>> {
        let raw = self.raw();
        loop {
            let mut job_ctx = std::mem::MaybeUninit::<*mut qjs::JSContext>::uninit();
            // SAFETY: plain engine call on the runtime that owns the
            // context, which the enclosing `with` holds.
            let status = unsafe { qjs::JS_ExecutePendingJob(qjs::JS_GetRuntime(raw), job_ctx.as_mut_ptr()) };
            match status {
                0 => return Ok(()),
                s if s < 0 => {
                    // A job of another realm (node:vm) left its exception there.
                    // SAFETY: the engine set `job_ctx` for a job that ran.
                    unsafe {
                        let job_ctx = job_ctx.assume_init();
                        if job_ctx != raw {
                            qjs::JS_Throw(raw, qjs::JS_GetException(job_ctx));
                        }
                    }
                    return Err(OpError::Pending);
                }
                _ => {}
            }
        }
    }

    /// Runs a built-in compiled by [`compile_builtin`]; returns what its
    /// script evaluates to (Lode's built-ins are one wrapper function).
    pub fn run_builtin(&self, bytecode: &'static [u8]) -> Result<Local<'s>, OpError<'s>> {
        let raw = self.raw();
        // SAFETY: the bytes were produced by JS_WriteObject of the same
        // engine version at build time; every returned value is owned and
        // either handed to rquickjs or freed by the engine.
        unsafe {
            let obj = qjs::JS_ReadObject(raw, bytecode.as_ptr(), bytecode.len() as _, qjs::JS_READ_OBJ_BYTECODE as i32);
            if qjs::JS_IsException(obj) {
                return Err(OpError::Pending);
            }
            let value = qjs::JS_EvalFunction(raw, obj);
            if qjs::JS_IsException(value) {
                return Err(OpError::Pending);
            }
            Ok(Local(Value::from_raw(self.ctx.clone(), value)))
        }
    }

    /// Compiles and runs `source` as a classic script whose first line is
    /// line `first_line` of `filename` (so a wrapper line before user code
    /// does not shift reported line numbers). Node runs scripts and
    /// CommonJS sloppy, so strict mode is off unless the source asks for it.
    pub fn eval_script(&self, source: &str, filename: &str, first_line: i32) -> Result<Local<'s>, OpError<'s>> {
        // SAFETY: the context is this scope's own; the value is handed over.
        unsafe { self.eval_in(self.raw(), source, filename, first_line, 0).map(|v| Local(Value::from_raw(self.ctx.clone(), v))) }
    }

    /// Compiles `source` as a classic script (as [`Scope::eval_script`]
    /// would) without running it: throws its SyntaxError, if any.
    pub fn compile_script(&self, source: &str, filename: &str, first_line: i32) -> Result<(), OpError<'s>> {
        let raw = self.raw();
        // SAFETY: this scope's own context; the compiled function is freed.
        unsafe {
            let compiled = self.eval_in(raw, source, filename, first_line, qjs::JS_EVAL_FLAG_COMPILE_ONLY)?;
            qjs::JS_FreeValue(raw, compiled);
        }
        Ok(())
    }

    /// Whether `source` compiles as a classic (sloppy) script.
    pub fn parses_as_script(&self, source: &str) -> bool {
        let parses = self.compile_script(source, "<detect>", 1).is_ok();
        if !parses {
            // Leave the context as it was.
            self.ctx.catch();
        }
        parses
    }

    /// Compiles (and without JS_EVAL_FLAG_COMPILE_ONLY in `flags`, runs)
    /// `source` as a classic script in context `target`, which belongs to
    /// this scope's runtime; an exception thrown there is rethrown here.
    ///
    /// # Safety
    /// `target` must be a live context of this runtime; the caller owns the
    /// returned value.
    unsafe fn eval_in(&self, target: *mut qjs::JSContext, source: &str, filename: &str, first_line: i32, flags: u32) -> Result<qjs::JSValue, OpError<'s>> {
        let src = std::ffi::CString::new(source).map_err(|_| JsError::new(ErrorKind::SyntaxError, "source contains a NUL byte"))?;
        let name = std::ffi::CString::new(filename).map_err(|_| JsError::new(ErrorKind::SyntaxError, "file name contains a NUL byte"))?;
        let mut options = qjs::JSEvalOptions {
            version: qjs::JS_EVAL_OPTIONS_VERSION as i32,
            eval_flags: (qjs::JS_EVAL_TYPE_GLOBAL | flags) as i32,
            filename: name.as_ptr(),
            line_num: first_line,
        };
        let value = qjs::JS_Eval2(target, src.as_ptr(), source.len() as _, &mut options);
        if qjs::JS_IsException(value) {
            let raw = self.raw();
            if target != raw {
                // Values are runtime-wide: the exception moves as is.
                qjs::JS_Throw(raw, qjs::JS_GetException(target));
            }
            return Err(OpError::Pending);
        }
        Ok(value)
    }

    /// Another global context (a realm: its own global object and
    /// built-ins) in this runtime, and its global object. Objects pass
    /// freely between realms of one runtime, as between V8 contexts.
    pub fn new_realm(&self) -> Result<(Realm, Local<'s>), OpError<'s>> {
        // SAFETY: a new context of the same runtime; its global object is a
        // runtime value this scope can hold.
        unsafe {
            let realm = std::ptr::NonNull::new(qjs::JS_NewContext(qjs::JS_GetRuntime(self.raw())))
                .ok_or_else(|| JsError::error("cannot create a context"))?;
            let global = qjs::JS_GetGlobalObject(realm.as_ptr());
            Ok((Realm(realm), Local(Value::from_raw(self.ctx.clone(), global))))
        }
    }

    /// Runs `source` as a sloppy classic script in `realm` (like
    /// [`Scope::eval_script`]); a thrown value is rethrown here.
    pub fn eval_in_realm(&self, realm: &Realm, source: &str, filename: &str, first_line: i32) -> Result<Local<'s>, OpError<'s>> {
        // SAFETY: the realm is live (freed only when dropped) and of this
        // runtime; the value is handed over.
        unsafe { self.eval_in(realm.0.as_ptr(), source, filename, first_line, 0).map(|v| Local(Value::from_raw(self.ctx.clone(), v))) }
    }

    /// Runs `f`, interrupting the JS it runs when `stop` says so (an
    /// uncatchable error unwinds it); an enclosing run's condition is
    /// restored after. The caller tells from its own state why a failed run
    /// stopped.
    pub fn run_interruptible<R>(&self, stop: StopWhen, f: impl FnOnce() -> R) -> R {
        // SAFETY: reads the runtime of this scope's live context.
        let rt = unsafe { qjs::JS_GetRuntime(self.raw()) };
        let outer = STOP_WHEN.with(|s| s.replace(Some(stop)));
        // SAFETY: a plain C callback on this thread's runtime; removed
        // below (or narrowed back to an enclosing condition).
        unsafe { qjs::JS_SetInterruptHandler(rt, Some(should_interrupt), std::ptr::null_mut()) };
        let result = f();
        STOP_WHEN.with(|s| s.set(outer));
        if outer.is_none() {
            // SAFETY: as above.
            unsafe { qjs::JS_SetInterruptHandler(rt, None, std::ptr::null_mut()) };
        }
        result
    }

    /// `[[PromiseState]]` and, once settled, the result of a promise;
    /// `None` for anything else.
    pub fn promise_state(&self, value: &Local<'s>) -> Option<(PromiseState, Option<Local<'s>>)> {
        let raw = self.raw();
        // SAFETY: reads the state of a value we hold; the result returned
        // by the engine is owned and handed to rquickjs.
        unsafe {
            let state = qjs::JS_PromiseState(raw, value.0.as_raw());
            match state {
                s if s < 0 => None,
                qjs::JSPromiseStateEnum_JS_PROMISE_PENDING => Some((PromiseState::Pending, None)),
                s => {
                    let result = Local(Value::from_raw(self.ctx.clone(), qjs::JS_PromiseResult(raw, value.0.as_raw())));
                    let state = if s == qjs::JSPromiseStateEnum_JS_PROMISE_FULFILLED { PromiseState::Fulfilled } else { PromiseState::Rejected };
                    Some((state, Some(result)))
                }
            }
        }
    }

    /// A proxy's target and handler (both `None` once revoked); `None` for
    /// anything but a proxy.
    pub fn proxy_details(&self, value: &Local<'s>) -> Option<Option<(Local<'s>, Local<'s>)>> {
        let raw = self.raw();
        // SAFETY: inspects a value we hold; returned values are owned.
        unsafe {
            if !qjs::JS_IsProxy(value.0.as_raw()) {
                return None;
            }
            let target = qjs::JS_GetProxyTarget(raw, value.0.as_raw());
            if qjs::JS_IsException(target) {
                // Revoked: the engine throws.
                drop(self.ctx.catch());
                return Some(None);
            }
            let handler = qjs::JS_GetProxyHandler(raw, value.0.as_raw());
            Some(Some((Local(Value::from_raw(self.ctx.clone(), target)), Local(Value::from_raw(self.ctx.clone(), handler)))))
        }
    }

    /// Whether a value is an Error object by its internal class, from any
    /// realm.
    pub fn is_error(&self, value: &Local<'s>) -> bool {
        // SAFETY: reads the class of a value we hold.
        unsafe { qjs::JS_IsError(value.0.as_raw()) }
    }

    /// What kind of function `value` is, by the engine's class.
    pub fn function_kind(&self, value: &Local<'s>) -> FunctionKind {
        let class_of = |f: &str| -> Option<u32> {
            let probe = self.ctx.eval::<Value, _>(f).ok()?;
            // SAFETY: reads the class id of a value we hold.
            Some(unsafe { qjs::JS_GetClassID(probe.as_raw()) })
        };
        // SAFETY: reads the class id of a value we hold.
        let id = unsafe { qjs::JS_GetClassID(value.0.as_raw()) };
        FUNCTION_CLASSES.with(|classes| {
            let (async_fn, generator, async_generator) = *classes.get_or_init(|| {
                (
                    class_of("(async function () {})").unwrap_or(u32::MAX),
                    class_of("(function* () {})").unwrap_or(u32::MAX),
                    class_of("(async function* () {})").unwrap_or(u32::MAX),
                )
            });
            match id {
                _ if id == async_fn => FunctionKind::Async,
                _ if id == generator => FunctionKind::Generator,
                _ if id == async_generator => FunctionKind::AsyncGenerator,
                _ => FunctionKind::Other,
            }
        })
    }

    /// Bytes of JS heap in use and allocated, for `process.memoryUsage()`.
    pub fn heap_usage(&self) -> (i64, i64) {
        // SAFETY: reads counters of the runtime that owns the held context.
        unsafe {
            let mut usage = std::mem::zeroed::<qjs::JSMemoryUsage>();
            qjs::JS_ComputeMemoryUsage(qjs::JS_GetRuntime(self.raw()), &mut usage);
            (usage.memory_used_size, usage.malloc_size)
        }
    }

    /// Runs the garbage collector.
    pub fn run_gc(&self) {
        self.ctx.run_gc();
    }

    /// A new object whose properties are native ops and values.
    pub fn binding(&self) -> Result<Binding<'_, 's>, OpError<'s>> {
        let target = Object::new(self.ctx.clone()).map_err(|e| self.op_error(e))?;
        Ok(Binding { scope: self, target })
    }

    fn raw(&self) -> *mut qjs::JSContext {
        self.ctx.as_raw().as_ptr()
    }

    /// The JS value of `value`; engine errors stay pending.
    fn to_js(&self, value: Val<'s>) -> rquickjs::Result<Value<'s>> {
        let ctx = &self.ctx;
        Ok(match value {
            Val::Undefined => Value::new_undefined(ctx.clone()),
            Val::Null => Value::new_null(ctx.clone()),
            Val::Bool(b) => Value::new_bool(ctx.clone(), b),
            Val::Int(i) => Value::new_int(ctx.clone(), i),
            Val::Number(n) => Value::new_number(ctx.clone(), n),
            Val::BigInt(n) => rquickjs::BigInt::from_i64(ctx.clone(), n)?.into_value(),
            Val::Str(s) => self.js_string(s)?,
            Val::String(s) => self.js_string(&s)?,
            Val::Buffer(bytes) => self.new_buffer(bytes)?,
            Val::Uint8Array(bytes) => rquickjs::TypedArray::<u8>::new(ctx.clone(), bytes)?.into_value(),
            Val::Array(items) => {
                let array = rquickjs::Array::new(ctx.clone())?;
                for (i, item) in items.into_iter().enumerate() {
                    array.set(i, self.to_js(item)?)?;
                }
                array.into_value()
            }
            Val::Object(entries) => {
                let object = Object::new(ctx.clone())?;
                for (key, item) in entries {
                    object.set(&*key, self.to_js(item)?)?;
                }
                object.into_value()
            }
            Val::Error(error) => self.new_error(&error)?,
            Val::Local(local) => local.0,
        })
    }

    /// A JS string holding `text`. Text with non-ASCII characters is
    /// handed over as UTF-16, which the engine stores as is; given UTF-8,
    /// it would decode it a byte at a time.
    fn js_string(&self, text: &str) -> rquickjs::Result<Value<'s>> {
        if text.is_ascii() {
            return rquickjs::String::from_str(self.ctx.clone(), text).map(|s| s.into_value());
        }
        let units = text::utf16_units(text);
        // SAFETY: `units` outlives the call, which copies it; the result is
        // a new string value owned by the returned handle.
        unsafe {
            let value = qjs::JS_NewStringUTF16(self.raw(), units.as_ptr(), units.len() as _);
            if qjs::JS_IsException(value) {
                return Err(rquickjs::Error::Exception);
            }
            Ok(Value::from_raw(self.ctx.clone(), value))
        }
    }

    /// A new Buffer (a Uint8Array with Buffer's prototype) holding
    /// `bytes`, which become the Buffer's memory without a copy.
    fn new_buffer(&self, bytes: Vec<u8>) -> rquickjs::Result<Value<'s>> {
        let external = EXTERNAL_BYTES.with(|e| {
            let total = e.get() + bytes.capacity();
            e.set(if total >= EXTERNAL_GC_AT { 0 } else { total });
            total
        });
        if external >= EXTERNAL_GC_AT {
            self.run_gc();
        }
        let array = rquickjs::TypedArray::<u8>::new(self.ctx.clone(), bytes)?;
        if let Some(proto) = BUFFER_PROTOTYPE.with(|p| p.borrow().clone()) {
            if let Some(proto) = self.local(&proto).0.as_object() {
                array.as_object().set_prototype(Some(proto))?;
            }
        }
        Ok(array.into_value())
    }

    /// `new <kind>(message)` by the realm's constructor, so `message` is a
    /// non-enumerable own property as on every JS-made error, then the
    /// extra properties.
    fn new_error(&self, error: &JsError) -> rquickjs::Result<Value<'s>> {
        let name = error.kind.constructor_name();
        let constructor: Constructor = self.ctx.globals().get(name)?;
        let object: Object = constructor.construct((error.message.as_str(),))?;
        for (key, prop) in &error.props {
            match prop {
                Prop::Number(n) => object.set(*key, *n)?,
                Prop::String(s) => object.set(*key, self.js_string(s)?)?,
            }
        }
        Ok(object.into_value())
    }

    /// Throws `error` in the engine; the returned rquickjs error says so.
    fn throw(&self, error: OpError<'s>) -> rquickjs::Error {
        match error {
            OpError::Throw(e) => match self.new_error(&e) {
                Ok(value) => self.ctx.throw(value),
                Err(e) => e,
            },
            OpError::Value(v) => self.ctx.throw(v.0),
            OpError::Pending => rquickjs::Error::Exception,
        }
    }

    /// An rquickjs failure as an op error (the engine's own exceptions stay
    /// pending; rquickjs's conversion errors become JS errors).
    fn op_error(&self, error: rquickjs::Error) -> OpError<'s> {
        match error {
            rquickjs::Error::Exception => OpError::Pending,
            other => JsError::error(other.to_string()).into(),
        }
    }

    /// The value an rquickjs failure threw.
    fn exception_value(&self, error: rquickjs::Error) -> Local<'s> {
        match error {
            rquickjs::Error::Exception => Local(self.ctx.catch()),
            other => {
                let error = JsError::error(other.to_string());
                Local(self.new_error(&error).unwrap_or_else(|_| self.ctx.catch()))
            }
        }
    }
}

/// A native op: reads its arguments, does its work, returns a value or an
/// error to throw. Ops are plain functions; the engine glue around them is
/// made once, in [`Binding::op`].
pub type Op = for<'s> fn(&Scope<'s>, &Args<'s>) -> OpResult<'s>;

/// The arguments of an op call; its typed readers are in `args.rs`.
pub struct Args<'s> {
    name: &'static str,
    ctx: Ctx<'s>,
    values: Vec<Value<'s>>,
}

impl<'s> Args<'s> {
    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Argument `i` (`undefined` past the end).
    pub fn get(&self, i: usize) -> Local<'s> {
        Local(self.values.get(i).cloned().unwrap_or_else(|| Value::new_undefined(self.ctx.clone())))
    }

    pub(crate) fn name(&self) -> &'static str {
        self.name
    }

    pub(crate) fn scope(&self) -> Scope<'s> {
        Scope { ctx: self.ctx.clone() }
    }
}

/// A binding object under construction: native ops and values.
pub struct Binding<'a, 's> {
    scope: &'a Scope<'s>,
    target: Object<'s>,
}

impl<'s> Binding<'_, 's> {
    /// Adds op `op` as method `name`.
    pub fn op(&mut self, name: &'static str, op: Op) -> &mut Self {
        let function = Function::new(self.scope.ctx.clone(), move |ctx: Ctx<'s>, Rest(values): Rest<Value<'s>>| -> rquickjs::Result<Value<'s>> {
            let scope = Scope { ctx: ctx.clone() };
            let args = Args { name, ctx, values };
            match op(&scope, &args).and_then(|v| scope.to_js(v).map_err(|e| scope.op_error(e))) {
                Ok(v) => Ok(v),
                Err(e) => Err(scope.throw(e)),
            }
        });
        // Building a function only fails when the engine is out of memory,
        // which then stays pending and surfaces at the next JS step.
        if let Ok(function) = function {
            let _ = function.set_name(name);
            let _ = self.target.set(name, function);
        }
        self
    }

    /// Adds a plain value as property `name`.
    pub fn value(&mut self, name: &'static str, value: Val<'s>) -> &mut Self {
        if let Ok(value) = self.scope.to_js(value) {
            let _ = self.target.set(name, value);
        }
        self
    }

    /// The finished object.
    pub fn finish(self) -> Local<'s> {
        Local(self.target.into_value())
    }
}

/// Another global context; dropped, it lives on while its objects do.
pub struct Realm(std::ptr::NonNull<qjs::JSContext>);

impl Drop for Realm {
    fn drop(&mut self) {
        // SAFETY: the handle came from `new_realm` and is released once.
        unsafe { qjs::JS_FreeContext(self.0.as_ptr()) }
    }
}

/// When a script run by [`Scope::run_interruptible`] must stop: at a
/// deadline, or when a check (such as "a SIGINT came") says so.
#[derive(Clone, Copy, Default)]
pub struct StopWhen {
    pub deadline: Option<std::time::Instant>,
    pub check: Option<fn() -> bool>,
}

thread_local! {
    /// The stop condition of the script running under `run_interruptible`.
    static STOP_WHEN: std::cell::Cell<Option<StopWhen>> = const { std::cell::Cell::new(None) };
    /// `Buffer.prototype`, so native code can hand out Buffers directly.
    static BUFFER_PROTOTYPE: std::cell::RefCell<Option<Global>> = const { std::cell::RefCell::new(None) };
    /// Bytes handed to JS in Rust-allocated Buffers since the last forced
    /// collection. The engine's GC only counts its own allocations, so
    /// without this a program creating many native Buffers that end up in
    /// reference cycles could grow without a collection (V8 calls this
    /// external memory pressure).
    static EXTERNAL_BYTES: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    /// The engine's class ids of async, generator and async generator
    /// functions, learnt from one of each.
    static FUNCTION_CLASSES: std::cell::OnceCell<(u32, u32, u32)> = const { std::cell::OnceCell::new() };
}

/// External bytes after which a collection runs.
const EXTERNAL_GC_AT: usize = 64 << 20;

unsafe extern "C" fn should_interrupt(_rt: *mut qjs::JSRuntime, _opaque: *mut std::ffi::c_void) -> std::ffi::c_int {
    STOP_WHEN.with(|s| s.get()).is_some_and(|stop| {
        stop.deadline.is_some_and(|at| std::time::Instant::now() >= at) || stop.check.is_some_and(|check| check())
    }) as std::ffi::c_int
}

/// Whether `source` parses as an ES module (used after it failed to parse
/// as CommonJS, which is how Node detects module syntax in typeless .js
/// files).
pub fn parses_as_module(source: &str) -> bool {
    // SAFETY: the engine parses a private copy in a throwaway runtime.
    unsafe { qjs::JS_DetectModule(source.as_ptr().cast(), source.len() as _) }
}

/// The engine's name and version, for `process.versions`.
pub fn engine_version() -> (&'static str, String) {
    // SAFETY: returns a static NUL-terminated string.
    let version = unsafe { std::ffi::CStr::from_ptr(qjs::JS_GetVersion()) }.to_string_lossy().into_owned();
    ("quickjs", version)
}

/// Compiles `source` (a classic script named `filename`) ahead of time, for
/// [`Scope::run_builtin`] in a binary built with the same engine.
pub fn compile_builtin(source: &str, filename: &str) -> Result<Vec<u8>, String> {
    let rt = rquickjs::Runtime::new().map_err(|e| e.to_string())?;
    let context = rquickjs::Context::full(&rt).map_err(|e| e.to_string())?;
    context.with(|ctx| {
        let src = std::ffi::CString::new(source).map_err(|e| e.to_string())?;
        let name = std::ffi::CString::new(filename).map_err(|e| e.to_string())?;
        let raw = ctx.as_raw().as_ptr();
        // SAFETY: plain engine calls on a context we own; the compiled
        // function and the serialised buffer are freed here.
        unsafe {
            let func = qjs::JS_Eval(raw, src.as_ptr(), source.len() as _, name.as_ptr(), (qjs::JS_EVAL_TYPE_GLOBAL | qjs::JS_EVAL_FLAG_COMPILE_ONLY) as i32);
            if qjs::JS_IsException(func) {
                let err = ctx.catch();
                let field = |key: &str| err.as_object().and_then(|o| o.get::<_, String>(key).ok()).unwrap_or_default();
                return Err(format!("{}\n{}", field("message"), field("stack")));
            }
            let mut len: qjs::size_t = 0;
            let buf = qjs::JS_WriteObject(raw, &mut len, func, qjs::JS_WRITE_OBJ_BYTECODE as i32);
            qjs::JS_FreeValue(raw, func);
            if buf.is_null() {
                return Err("could not serialise bytecode".into());
            }
            let bytes = std::slice::from_raw_parts(buf, len as usize).to_vec();
            qjs::js_free(raw, buf.cast());
            Ok(bytes)
        }
    })
}
