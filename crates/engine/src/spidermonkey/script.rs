//! Classic scripts: evaluation, compile-only checks, Lode's built-ins and
//! the module-syntax probe.

use std::ffi::CString;

use mozjs::{jsapi as sm, jsval::UndefinedValue, rooted};

use super::{host, Local, Scope};
use crate::{JsError, OpError};

/// Compile options for `filename` from line `line`, freed on drop.
pub(crate) struct Options(pub(crate) *mut sm::ReadOnlyCompileOptions);

impl Options {
    /// # Safety
    /// `cx` is live.
    pub(crate) unsafe fn new(cx: *mut sm::JSContext, filename: &str, line: i32) -> Self {
        // The glue copies the name.
        let name = CString::new(filename.replace('\0', "")).unwrap_or_default();
        Options(mozjs::glue::NewCompileOptions(cx, name.as_ptr(), line.max(0) as u32))
    }
}

impl Drop for Options {
    fn drop(&mut self) {
        // SAFETY: made by NewCompileOptions, freed once.
        unsafe { mozjs::glue::DeleteCompileOptions(self.0) }
    }
}

/// The engine numbers lines from 0 at the lowest and cannot count through
/// 0 from below, while callers may number a wrapper's header lines below 1
/// (`first_line` -1: header, blank line, then user code at line 1). Blank
/// lines right after the first line are dropped to make the first line
/// line 0; columns do not move. Anything else starts at line 0.
fn renumber(source: &str, first_line: i32) -> (std::borrow::Cow<'_, str>, i32) {
    if first_line >= 0 {
        return (source.into(), first_line);
    }
    let Some(header_end) = source.find('\n') else { return (source.into(), 0) };
    let blank = (-first_line) as usize;
    let after = &source[header_end + 1..];
    if after.len() >= blank && after.as_bytes()[..blank].iter().all(|&b| b == b'\n') {
        let mut text = String::with_capacity(source.len());
        text.push_str(&source[..=header_end]);
        text.push_str(&after[blank..]);
        return (text.into(), 0);
    }
    (source.into(), 0)
}

/// Runs `source` as a sloppy classic script in the current realm; `false`
/// with an exception pending, or with none for an uncatchable stop.
///
/// # Safety
/// `cx` is live and in a realm; `rval` is rooted.
pub(crate) unsafe fn evaluate(cx: *mut sm::JSContext, source: &str, filename: &str, line: i32, rval: sm::MutableHandleValue) -> bool {
    let (source, line) = renumber(source, line);
    let options = Options::new(cx, filename, line);
    let mut text = mozjs::rust::transform_str_to_source_text(&source);
    rooted!(in(cx) let script = sm::Compile1(cx, options.0, &mut text));
    if script.get().is_null() {
        return false;
    }
    // The file name, as the base of the script's dynamic imports.
    rooted!(in(cx) let name = super::convert::new_string(cx, filename));
    if name.get().is_null() {
        return false;
    }
    sm::SetScriptPrivate(script.get(), &mozjs::jsval::StringValue(&*name.get()));
    sm::JS_ExecuteScript(cx, script.handle().into(), rval)
}

/// Compiles `source` as a classic script without running it; `false` with
/// its SyntaxError pending.
unsafe fn compile_only(cx: *mut sm::JSContext, source: &str, filename: &str, line: i32) -> bool {
    let (source, line) = renumber(source, line);
    let options = Options::new(cx, filename, line);
    let mut text = mozjs::rust::transform_str_to_source_text(&source);
    // Released when dropped.
    let stencil = mozjs::rust::Stencil::from_raw(sm::CompileGlobalScriptToStencil(cx, options.0, &mut text));
    !stencil.is_null()
}

/// Turns an uncatchable stop (false with nothing pending) into `Pending`
/// too; [`Scope::take_exception`] then reports it as an Error.
fn failed<'s>() -> OpError<'s> {
    OpError::Pending
}

impl<'s> Scope<'s> {
    /// Compiles and runs `source` as a classic script whose first line is
    /// line `first_line` of `filename`. Node runs scripts and CommonJS
    /// sloppy, so strict mode is off unless the source asks for it.
    pub fn eval_script(&self, source: &str, filename: &str, first_line: i32) -> Result<Local<'s>, OpError<'s>> {
        let cx = self.cx;
        // SAFETY: the result is written to a rooted temporary.
        unsafe {
            rooted!(in(cx) let mut rval = UndefinedValue());
            if !evaluate(cx, source, filename, first_line, rval.handle_mut().into()) {
                return Err(failed());
            }
            Ok(self.root(rval.get()))
        }
    }

    /// Compiles `source` as a classic script (as [`Scope::eval_script`]
    /// would) without running it: throws its SyntaxError, if any.
    pub fn compile_script(&self, source: &str, filename: &str, first_line: i32) -> Result<(), OpError<'s>> {
        // SAFETY: this scope's live context.
        if unsafe { compile_only(self.cx, source, filename, first_line) } {
            Ok(())
        } else {
            Err(failed())
        }
    }

    /// Whether `source` compiles as a classic (sloppy) script.
    pub fn parses_as_script(&self, source: &str) -> bool {
        // SAFETY: this scope's live context; a failure's exception is dropped.
        unsafe {
            let parses = compile_only(self.cx, source, "<detect>", 1);
            if !parses {
                sm::JS_ClearPendingException(self.cx);
            }
            parses
        }
    }

    /// Runs a built-in compiled by [`compile_builtin`]; returns what its
    /// script evaluates to (Lode's built-ins are one wrapper function).
    pub fn run_builtin(&self, compiled: &'static [u8]) -> Result<Local<'s>, OpError<'s>> {
        let (filename, source) = split_builtin(compiled).ok_or_else(|| JsError::error("a built-in is corrupt"))?;
        self.eval_script(source, filename, 1)
    }
}

/// The (file name, source) of a compiled built-in: `name NUL source`.
fn split_builtin(compiled: &[u8]) -> Option<(&str, &str)> {
    let nul = compiled.iter().position(|&b| b == 0)?;
    Some((std::str::from_utf8(&compiled[..nul]).ok()?, std::str::from_utf8(&compiled[nul + 1..]).ok()?))
}

/// Prepares `source` (a classic script named `filename`) for
/// [`Scope::run_builtin`]. This first cut stores the source itself (with its
/// name), compiled when it runs; a stencil cache is the next step.
pub fn compile_builtin(source: &str, filename: &str) -> Result<Vec<u8>, String> {
    if filename.contains('\0') {
        return Err("a built-in's name cannot contain a NUL byte".into());
    }
    let mut out = Vec::with_capacity(filename.len() + 1 + source.len());
    out.extend_from_slice(filename.as_bytes());
    out.push(0);
    out.extend_from_slice(source.as_bytes());
    Ok(out)
}

/// Whether `source` parses as an ES module (used after it failed to parse
/// as CommonJS, which is how Node detects module syntax in typeless .js
/// files).
pub fn parses_as_module(source: &str) -> bool {
    let cx = host::context();
    if cx.is_null() {
        return false;
    }
    // SAFETY: this thread's live context, inside a realm (the caller is an
    // op); the module record is dropped and any SyntaxError cleared.
    unsafe {
        let options = Options::new(cx, "<detect>", 1);
        let mut text = mozjs::rust::transform_str_to_source_text(source);
        let module = sm::CompileModule1(cx, options.0, &mut text);
        if module.is_null() {
            sm::JS_ClearPendingException(cx);
            return false;
        }
        true
    }
}

