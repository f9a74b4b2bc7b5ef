//! The engine host: owns the QuickJS runtime and context, loads built-in
//! bytecode, compiles user scripts, and is the one place that touches the
//! engine's raw API. Everything else in Lode reaches the engine through here
//! or through rquickjs values handed out by it.

use rquickjs::{
    function::Rest, qjs, CatchResultExt, CaughtError, Context, Ctx, Function,
    Object, Runtime, Value,
};

use crate::RunOptions;

include!(concat!(env!("OUT_DIR"), "/builtins.rs"));

/// Default JS stack limit; `--stack-size` (in KiB, as in Node) overrides it.
const DEFAULT_STACK_BYTES: usize = 8 * 1024 * 1024;

/// A QuickJS runtime with one context, ready for Lode's bootstrap.
pub struct Host {
    /// Kept so the engine outlives every use of the context.
    _runtime: Runtime,
    pub context: Context,
}

impl Host {
    pub fn new(options: &RunOptions) -> rquickjs::Result<Self> {
        let runtime = Runtime::new()?;
        let stack = options.stack_size_kib.map(|k| k * 1024).unwrap_or(DEFAULT_STACK_BYTES);
        runtime.set_max_stack_size(stack);
        runtime.set_gc_threshold(8 * 1024 * 1024);
        runtime.set_host_promise_rejection_tracker(Some(Box::new(crate::node::process::track_rejection)));
        runtime.set_loader(crate::modules::NodeResolver, crate::modules::NodeLoader);
        let context = Context::full(&runtime)?;
        Ok(Self { _runtime: runtime, context })
    }
}

/// Looks up the bytecode of built-in module `id`.
pub fn builtin_bytecode(id: &str) -> Option<&'static [u8]> {
    BUILTIN_BYTECODE.binary_search_by(|(k, _)| k.cmp(&id)).ok().map(|i| BUILTIN_BYTECODE[i].1)
}

/// Ids of every built-in module compiled into the binary.
pub fn builtin_ids() -> impl Iterator<Item = &'static str> {
    BUILTIN_BYTECODE.iter().map(|(id, _)| *id)
}

/// Loads built-in `id` and returns its wrapper function
/// `(exports, require, module, binding, internals)`.
pub fn load_builtin<'js>(ctx: &Ctx<'js>, id: &str) -> rquickjs::Result<Option<Function<'js>>> {
    let Some(bytes) = builtin_bytecode(id) else { return Ok(None) };
    let raw = ctx.as_raw().as_ptr();
    // SAFETY: the bytes were produced by JS_WriteObject of the same engine
    // version at build time; every returned value is owned and either handed
    // to rquickjs or freed.
    unsafe {
        let obj = qjs::JS_ReadObject(raw, bytes.as_ptr(), bytes.len() as _, qjs::JS_READ_OBJ_BYTECODE as i32);
        if qjs::JS_IsException(obj) {
            return Err(rquickjs::Error::Exception);
        }
        let wrapper = qjs::JS_EvalFunction(raw, obj);
        if qjs::JS_IsException(wrapper) {
            return Err(rquickjs::Error::Exception);
        }
        let value = Value::from_raw(ctx.clone(), wrapper);
        Ok(value.into_function())
    }
}

/// Compiles and runs `source` as a classic script whose first line is line
/// `first_line` of `filename` (so a wrapper line before user code does not
/// shift reported line numbers). Node runs scripts and CommonJS sloppy, so
/// strict mode is off unless the source asks for it.
pub fn eval_script<'js>(ctx: &Ctx<'js>, source: &str, filename: &str, first_line: i32) -> rquickjs::Result<Value<'js>> {
    let raw = ctx.as_raw().as_ptr();
    // SAFETY: `raw` is `ctx`'s own context; the value is handed to rquickjs.
    unsafe { eval_in(ctx, raw, source, filename, first_line, 0).map(|value| Value::from_raw(ctx.clone(), value)) }
}

/// Compiles (and without JS_EVAL_FLAG_COMPILE_ONLY in `flags`, runs)
/// `source` as a classic script in context `target`, which belongs to
/// `ctx`'s runtime; an exception thrown there is rethrown in `ctx`.
///
/// # Safety
/// `target` must be a live context of `ctx`'s runtime; the caller owns the
/// returned value.
unsafe fn eval_in(ctx: &Ctx<'_>, target: *mut qjs::JSContext, source: &str, filename: &str, first_line: i32, flags: u32) -> rquickjs::Result<qjs::JSValue> {
    let src = std::ffi::CString::new(source).map_err(|_| throw_syntax(ctx, "source contains a NUL byte"))?;
    let name = std::ffi::CString::new(filename).map_err(|_| throw_syntax(ctx, "file name contains a NUL byte"))?;
    let mut options = qjs::JSEvalOptions {
        version: qjs::JS_EVAL_OPTIONS_VERSION as i32,
        eval_flags: (qjs::JS_EVAL_TYPE_GLOBAL | flags) as i32,
        filename: name.as_ptr(),
        line_num: first_line,
    };
    let value = qjs::JS_Eval2(target, src.as_ptr(), source.len() as _, &mut options);
    if qjs::JS_IsException(value) {
        let raw = ctx.as_raw().as_ptr();
        if target != raw {
            // Values are runtime-wide: the exception moves as is.
            qjs::JS_Throw(raw, qjs::JS_GetException(target));
        }
        return Err(rquickjs::Error::Exception);
    }
    Ok(value)
}

/// Another global context (a realm: its own global object and built-ins)
/// in the runtime that owns `ctx`. Objects pass freely between realms of
/// one runtime, as between V8 contexts. Freed with [`free_realm`].
pub struct Realm(std::ptr::NonNull<qjs::JSContext>);

/// A new realm and its global object.
pub fn new_realm<'js>(ctx: &Ctx<'js>) -> rquickjs::Result<(Realm, Value<'js>)> {
    let raw = ctx.as_raw().as_ptr();
    // SAFETY: a new context of the same runtime; its global object is a
    // runtime value that `ctx` can hold.
    unsafe {
        let realm = std::ptr::NonNull::new(qjs::JS_NewContext(qjs::JS_GetRuntime(raw)))
            .ok_or_else(|| rquickjs::Exception::throw_internal(ctx, "cannot create a context"))?;
        let global = qjs::JS_GetGlobalObject(realm.as_ptr());
        Ok((Realm(realm), Value::from_raw(ctx.clone(), global)))
    }
}

/// Runs `source` as a sloppy classic script in `realm` (like
/// [`eval_script`]); a thrown value is rethrown in `ctx`.
pub fn eval_in_realm<'js>(ctx: &Ctx<'js>, realm: &Realm, source: &str, filename: &str, first_line: i32) -> rquickjs::Result<Value<'js>> {
    // SAFETY: the realm is live (freed only by `free_realm`) and of `ctx`'s
    // runtime; the value is handed to rquickjs.
    unsafe { eval_in(ctx, realm.0.as_ptr(), source, filename, first_line, 0).map(|value| Value::from_raw(ctx.clone(), value)) }
}

/// Drops Lode's hold on a realm; it lives on while its objects do.
pub fn free_realm(realm: Realm) {
    // SAFETY: the handle came from `new_realm` and is consumed here.
    unsafe { qjs::JS_FreeContext(realm.0.as_ptr()) }
}

/// When a script run by [`run_interruptible`] must stop: at a deadline,
/// or when a check (such as "a SIGINT came") says so.
#[derive(Clone, Copy, Default)]
pub struct StopWhen {
    pub deadline: Option<std::time::Instant>,
    pub check: Option<fn() -> bool>,
}

thread_local! {
    /// The stop condition of the script running under [`run_interruptible`].
    static STOP_WHEN: std::cell::Cell<Option<StopWhen>> = const { std::cell::Cell::new(None) };
}

unsafe extern "C" fn should_interrupt(_rt: *mut qjs::JSRuntime, _opaque: *mut std::ffi::c_void) -> std::ffi::c_int {
    STOP_WHEN.with(|s| s.get()).is_some_and(|stop| {
        stop.deadline.is_some_and(|at| std::time::Instant::now() >= at) || stop.check.is_some_and(|check| check())
    }) as std::ffi::c_int
}

/// Runs `f`, interrupting the JS it runs when `stop` says so (an
/// uncatchable error unwinds it); an enclosing run's condition is restored
/// after. The caller tells from its own state why a failed run stopped.
pub fn run_interruptible<R>(ctx: &Ctx<'_>, stop: StopWhen, f: impl FnOnce() -> R) -> R {
    let rt = unsafe { qjs::JS_GetRuntime(ctx.as_raw().as_ptr()) };
    let outer = STOP_WHEN.with(|s| s.replace(Some(stop)));
    // SAFETY: a plain C callback on this thread's runtime; removed below
    // (or narrowed back to an enclosing condition).
    unsafe { qjs::JS_SetInterruptHandler(rt, Some(should_interrupt), std::ptr::null_mut()) };
    let result = f();
    STOP_WHEN.with(|s| s.set(outer));
    if outer.is_none() {
        unsafe { qjs::JS_SetInterruptHandler(rt, None, std::ptr::null_mut()) };
    }
    result
}

fn throw_syntax(ctx: &Ctx<'_>, message: &str) -> rquickjs::Error {
    rquickjs::Exception::throw_syntax(ctx, message)
}

/// Whether `source` parses as an ES module (used after it failed to parse as
/// CommonJS, which is how Node detects module syntax in typeless .js files).
pub fn parses_as_module(source: &str) -> bool {
    // SAFETY: the engine parses a private copy in a throwaway runtime.
    unsafe { qjs::JS_DetectModule(source.as_ptr().cast(), source.len() as _) }
}

/// Compiles `source` as a classic script (as [`eval_script`] would) without
/// running it: throws its SyntaxError, if any.
pub fn compile_script(ctx: &Ctx<'_>, source: &str, filename: &str, first_line: i32) -> rquickjs::Result<()> {
    let raw = ctx.as_raw().as_ptr();
    // SAFETY: `ctx`'s own context; the compiled function is freed.
    unsafe {
        let compiled = eval_in(ctx, raw, source, filename, first_line, qjs::JS_EVAL_FLAG_COMPILE_ONLY)?;
        qjs::JS_FreeValue(raw, compiled);
    }
    Ok(())
}

/// Whether `source` compiles as a classic (sloppy) script.
pub fn parses_as_script(ctx: &Ctx<'_>, source: &str) -> bool {
    let parses = compile_script(ctx, source, "<detect>", 1).is_ok();
    if !parses {
        // Leave the context as it was.
        ctx.catch();
    }
    parses
}

/// Runs every queued promise job. A job that throws stops the run and its
/// exception is returned, so the caller can treat it as uncaught.
pub fn run_microtasks<'js>(ctx: &Ctx<'js>) -> rquickjs::Result<()> {
    let raw = ctx.as_raw().as_ptr();
    loop {
        let mut job_ctx = std::mem::MaybeUninit::<*mut qjs::JSContext>::uninit();
        // SAFETY: plain engine call on the runtime that owns `ctx`; the
        // context is locked by the enclosing `with`.
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
                return Err(rquickjs::Error::Exception);
            }
            _ => {}
        }
    }
}

/// Calls `f` with `args`, handing back the thrown value on failure.
pub fn call<'js>(f: &Function<'js>, args: Vec<Value<'js>>) -> Result<Value<'js>, Value<'js>> {
    let ctx = f.ctx().clone();
    f.call::<_, Value>((Rest(args),)).catch(&ctx).map_err(|e| caught_to_value(&ctx, e))
}

/// Turns a caught error back into the JS value that was thrown.
pub fn caught_to_value<'js>(ctx: &Ctx<'js>, error: CaughtError<'js>) -> Value<'js> {
    match error {
        CaughtError::Exception(e) => e.into_value(),
        CaughtError::Value(v) => v,
        CaughtError::Error(e) => {
            let message = e.to_string();
            rquickjs::Exception::from_message(ctx.clone(), &message)
                .map(|e| e.into_value())
                .unwrap_or_else(|_| Value::new_undefined(ctx.clone()))
        }
    }
}

/// Sets a group of native functions on `target`, each named as its key.
pub fn set_functions<'js>(target: &Object<'js>, functions: Vec<(&str, Function<'js>)>) -> rquickjs::Result<()> {
    for (name, f) in functions {
        f.set_name(name)?;
        target.set(name, f)?;
    }
    Ok(())
}

/// Bytes of JS heap in use and allocated, for `process.memoryUsage()`.
pub fn heap_usage(ctx: &Ctx<'_>) -> (i64, i64) {
    let raw = ctx.as_raw().as_ptr();
    // SAFETY: reads counters of the runtime that owns the locked context.
    unsafe {
        let mut usage = std::mem::zeroed::<qjs::JSMemoryUsage>();
        qjs::JS_ComputeMemoryUsage(qjs::JS_GetRuntime(raw), &mut usage);
        (usage.memory_used_size, usage.malloc_size)
    }
}

/// Runs the garbage collector (for `--expose-gc`'s `global.gc`).
pub fn run_gc(ctx: &Ctx<'_>) {
    ctx.run_gc();
}

/// Runs `f` over the bytes of a string (UTF-8) or a `Uint8Array` without
/// copying the array. Anything else gives `None`.
pub fn with_bytes<R>(value: &Value<'_>, f: impl FnOnce(&[u8]) -> R) -> rquickjs::Result<Option<R>> {
    if value.is_string() {
        return Ok(Some(f(js_text(value.ctx(), value)?.as_bytes())));
    }
    let Some(array) = value.as_object().and_then(|o| o.as_typed_array::<u8>()) else { return Ok(None) };
    // SAFETY: no JS runs while `f` holds the slice, so the buffer can be
    // neither detached nor resized under it.
    Ok(unsafe { array.as_bytes() }.map(f))
}

/// Runs `f` on the writable bytes of a Uint8Array (`None` for anything
/// else, or a detached buffer).
pub fn with_bytes_mut<R>(value: &Value<'_>, f: impl FnOnce(&mut [u8]) -> R) -> rquickjs::Result<Option<R>> {
    let Some(array) = value.as_object().and_then(|o| o.as_typed_array::<u8>()) else { return Ok(None) };
    let Some(raw) = array.as_raw() else { return Ok(None) };
    // SAFETY: the view's memory is live and no JS runs while `f` holds it.
    Ok(Some(f(unsafe { &mut *raw.as_ptr() })))
}

/// A JS string argument as Rust text. JS strings may hold lone surrogates,
/// which UTF-8 cannot; like Node, they become U+FFFD instead of failing.
pub struct JsText(pub String);

impl<'js> rquickjs::FromJs<'js> for JsText {
    fn from_js(ctx: &Ctx<'js>, value: Value<'js>) -> rquickjs::Result<Self> {
        Ok(JsText(js_text(ctx, &value)?))
    }
}

/// Converts any JS value to text with `String(value)` semantics, replacing
/// lone surrogates with U+FFFD.
pub fn js_text(ctx: &Ctx<'_>, value: &Value<'_>) -> rquickjs::Result<String> {
    with_js_str(ctx, value, str::to_owned)
}

/// Runs `f` over a JS value's text without copying it when the engine's
/// bytes are already UTF-8 (ASCII strings are not even converted); lone
/// surrogates become U+FFFD.
pub fn with_js_str<R>(ctx: &Ctx<'_>, value: &Value<'_>, f: impl FnOnce(&str) -> R) -> rquickjs::Result<R> {
    let raw = ctx.as_raw().as_ptr();
    let mut len: qjs::size_t = 0;
    // SAFETY: the engine returns a NUL-terminated buffer of `len` bytes that
    // stays valid until it is freed below; `f` cannot run JS.
    unsafe {
        let ptr = qjs::JS_ToCStringLen2(raw, &mut len, value.as_raw(), false);
        if ptr.is_null() {
            return Err(rquickjs::Error::Exception);
        }
        let bytes = std::slice::from_raw_parts(ptr.cast::<u8>(), len as usize);
        let result = match std::str::from_utf8(bytes) {
            Ok(text) => f(text),
            Err(_) => f(&wtf8_to_utf8(bytes.to_vec())),
        };
        qjs::JS_FreeCString(raw, ptr);
        Ok(result)
    }
}

/// A JS string holding `text`. Text with non-ASCII characters is handed
/// over as UTF-16, which the engine stores as is; given UTF-8, it would
/// decode it a byte at a time.
pub fn js_string<'js>(ctx: &Ctx<'js>, text: &str) -> rquickjs::Result<rquickjs::String<'js>> {
    if text.is_ascii() {
        return rquickjs::String::from_str(ctx.clone(), text);
    }
    let units = utf16_units(text);
    let raw = ctx.as_raw().as_ptr();
    // SAFETY: `units` outlives the call, which copies it; the result is a
    // new string value owned by the returned handle.
    unsafe {
        let value = qjs::JS_NewStringUTF16(raw, units.as_ptr(), units.len() as _);
        if qjs::JS_IsException(value) {
            return Err(rquickjs::Error::Exception);
        }
        Ok(Value::from_raw(ctx.clone(), value).into_string().expect("JS_NewStringUTF16 returns a string"))
    }
}

/// The UTF-16 form of `text`. ASCII runs are widened sixteen bytes at a
/// time; std's `encode_utf16` goes a char at a time and was half the cost
/// of `Buffer#toString` on 1 KB of mostly-ASCII text.
fn utf16_units(text: &str) -> Vec<u16> {
    let bytes = text.as_bytes();
    // Never more units than bytes; written by index, then cut to length.
    let mut units = vec![0u16; bytes.len()];
    let (mut i, mut o) = (0, 0);
    while i < bytes.len() {
        // Units never outrun bytes (o <= i), so 16 units fit at `o`.
        if let Some(chunk) = bytes.get(i..i + 16) {
            let ascii = widen_ascii(chunk.try_into().expect("sixteen bytes"), &mut units[o..o + 16]);
            i += ascii;
            o += ascii;
            if ascii == 16 {
                continue;
            }
        }
        // `text` is valid UTF-8, so the sequence at `i` is complete.
        let lead = u32::from(bytes[i]);
        let cont = |k: usize| u32::from(bytes[i + k]) & 0x3f;
        let (code, width) = match lead {
            0x00..=0x7f => (lead, 1),
            0xc0..=0xdf => (((lead & 0x1f) << 6) | cont(1), 2),
            0xe0..=0xef => (((lead & 0x0f) << 12) | (cont(1) << 6) | cont(2), 3),
            _ => (((lead & 0x07) << 18) | (cont(1) << 12) | (cont(2) << 6) | cont(3), 4),
        };
        if code >= 0x10000 {
            let offset = code - 0x10000;
            units[o] = 0xd800 | (offset >> 10) as u16;
            units[o + 1] = 0xdc00 | (offset & 0x3ff) as u16;
            o += 2;
        } else {
            units[o] = code as u16;
            o += 1;
        }
        i += width;
    }
    units.truncate(o);
    units
}

/// Widens `chunk` into `out` and returns how many of its bytes, from the
/// start, are ASCII: only that many units are meaningful (the rest are
/// overwritten by the caller).
#[cfg(target_arch = "x86_64")]
fn widen_ascii(chunk: &[u8; 16], out: &mut [u16]) -> usize {
    use std::arch::x86_64::{_mm_loadu_si128, _mm_movemask_epi8, _mm_setzero_si128, _mm_storeu_si128, _mm_unpackhi_epi8, _mm_unpacklo_epi8};
    assert!(out.len() >= 16);
    // SAFETY: SSE2 is in the x86_64 baseline; the loads and stores are
    // unaligned and within `chunk` and `out` (checked above).
    unsafe {
        let bytes = _mm_loadu_si128(chunk.as_ptr().cast());
        let zero = _mm_setzero_si128();
        _mm_storeu_si128(out.as_mut_ptr().cast(), _mm_unpacklo_epi8(bytes, zero));
        _mm_storeu_si128(out.as_mut_ptr().add(8).cast(), _mm_unpackhi_epi8(bytes, zero));
        // One bit a byte, set where the high bit is: the first non-ASCII.
        (_mm_movemask_epi8(bytes) as u32 | 1 << 16).trailing_zeros() as usize
    }
}

#[cfg(not(target_arch = "x86_64"))]
fn widen_ascii(chunk: &[u8; 16], out: &mut [u16]) -> usize {
    let ascii = chunk.iter().take_while(|b| b.is_ascii()).count();
    for (unit, &byte) in out.iter_mut().zip(&chunk[..ascii]) {
        *unit = u16::from(byte);
    }
    ascii
}

/// The engine encodes a lone surrogate as its 3-byte WTF-8 form
/// (ED A0..BF xx); everything else is already UTF-8.
fn wtf8_to_utf8(bytes: Vec<u8>) -> String {
    match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let bytes = e.into_bytes();
            let mut out = Vec::with_capacity(bytes.len());
            let mut i = 0;
            while i < bytes.len() {
                if bytes[i] == 0xED && i + 2 < bytes.len() && (0xA0..=0xBF).contains(&bytes[i + 1]) {
                    out.extend_from_slice("\u{FFFD}".as_bytes());
                    i += 3;
                } else {
                    out.push(bytes[i]);
                    i += 1;
                }
            }
            String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::utf16_units;

    #[test]
    fn utf16_units_match_std() {
        let pieces = ["a", "é", "\u{7ff}", "\u{800}", "✓", "\u{ffff}", "😀", "\u{10ffff}", "0123456789abcdef"];
        // Every length up to 40 pieces, with non-ASCII at every offset of
        // the 16-byte ASCII fast path.
        for start in 0..pieces.len() {
            let mut text = String::new();
            for i in 0..40 {
                text.push_str(pieces[(start + i * 7) % pieces.len()]);
                assert_eq!(utf16_units(&text), text.encode_utf16().collect::<Vec<_>>(), "{text:?}");
            }
        }
        assert!(utf16_units("").is_empty());
    }
}
