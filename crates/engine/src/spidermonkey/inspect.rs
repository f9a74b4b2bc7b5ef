//! Questions about values that only the engine can answer (promise state,
//! proxies, error and function classes) and about the heap.

use mozjs::{
    jsapi as sm,
    jsval::{JSVal, UndefinedValue},
    rooted,
};

use super::{convert, Local, Scope};
use crate::{FunctionKind, PromiseState};

/// Whether `object` is a proxy (by its class).
unsafe fn is_proxy(object: *mut sm::JSObject) -> bool {
    let class = mozjs::rust::get_object_class(object);
    !class.is_null() && (*class).flags & sm::JSCLASS_IS_PROXY != 0
}

/// The kind of a function from its source text, which the engine keeps as
/// written: `async`, `*` and `async *` forms of functions, methods and
/// arrows.
fn kind_of_source(source: &str) -> FunctionKind {
    let s = source.trim_start();
    let s = s.strip_prefix("static").filter(|r| r.starts_with(char::is_whitespace)).map_or(s, str::trim_start);
    let (is_async, rest) = match s.strip_prefix("async") {
        // `async` as a keyword, not a method named `async(...)` or an
        // identifier starting with it.
        Some(r) if r.starts_with(char::is_whitespace) => (true, r.trim_start()),
        _ => (false, s),
    };
    let rest = rest.strip_prefix("function").map_or(rest, str::trim_start);
    match (is_async, rest.starts_with('*')) {
        (true, true) => FunctionKind::AsyncGenerator,
        (true, false) => FunctionKind::Async,
        (false, true) => FunctionKind::Generator,
        (false, false) => FunctionKind::Other,
    }
}

impl<'s> Scope<'s> {
    /// `[[PromiseState]]` and, once settled, the result of a promise;
    /// `None` for anything else.
    pub fn promise_state(&self, value: &Local<'s>) -> Option<(PromiseState, Option<Local<'s>>)> {
        let v = value.get();
        if !v.is_object() {
            return None;
        }
        let cx = self.cx;
        // SAFETY: the promise and its result sit in rooted temporaries.
        unsafe {
            rooted!(in(cx) let promise = v.to_object());
            if !sm::IsPromiseObject(promise.handle().into()) {
                return None;
            }
            let state = match sm::GetPromiseState(promise.handle().into()) {
                sm::PromiseState::Pending => return Some((PromiseState::Pending, None)),
                sm::PromiseState::Fulfilled => PromiseState::Fulfilled,
                sm::PromiseState::Rejected => PromiseState::Rejected,
            };
            rooted!(in(cx) let mut result = UndefinedValue());
            mozjs::glue::JS_GetPromiseResult(promise.handle().into(), result.handle_mut().into());
            Some((state, Some(self.root(result.get()))))
        }
    }

    /// A proxy's target and handler (both `None` once revoked); `None` for
    /// anything but a proxy.
    pub fn proxy_details(&self, value: &Local<'s>) -> Option<Option<(Local<'s>, Local<'s>)>> {
        let v = value.get();
        // SAFETY: reads the slots of a live proxy this frame roots; the
        // values read are rooted in this scope before any further call.
        unsafe {
            if !v.is_object() || !is_proxy(v.to_object()) {
                return None;
            }
            let object = v.to_object();
            let mut target = UndefinedValue();
            mozjs::glue::GetProxyPrivate(object, &mut target);
            // A scripted proxy keeps its handler object in reserved slot 0.
            let mut handler = UndefinedValue();
            mozjs::glue::GetProxyReservedSlot(object, 0, &mut handler);
            if !target.is_object() || !handler.is_object() {
                return Some(None);
            }
            Some(Some((self.root(target), self.root(handler))))
        }
    }

    /// Whether a value is an Error object by its internal class, from any
    /// realm.
    pub fn is_error(&self, value: &Local<'s>) -> bool {
        let v = value.get();
        if !v.is_object() {
            return false;
        }
        let cx = self.cx;
        // SAFETY: the object sits in a rooted temporary.
        unsafe {
            rooted!(in(cx) let object = v.to_object());
            let mut class = sm::js::ESClass::Other;
            if !sm::GetBuiltinClass(cx, object.handle().into(), &mut class) {
                sm::JS_ClearPendingException(cx);
                return false;
            }
            class == sm::js::ESClass::Error
        }
    }

    /// What kind of function `value` is.
    pub fn function_kind(&self, value: &Local<'s>) -> FunctionKind {
        let v: JSVal = value.get();
        if !v.is_object() {
            return FunctionKind::Other;
        }
        let cx = self.cx;
        // SAFETY: the function and its source sit in rooted temporaries.
        unsafe {
            let function = sm::JS_GetObjectFunction(v.to_object());
            if function.is_null() {
                return FunctionKind::Other;
            }
            rooted!(in(cx) let function = function);
            let source = sm::JS_DecompileFunction(cx, function.handle().into());
            if source.is_null() {
                sm::JS_ClearPendingException(cx);
                return FunctionKind::Other;
            }
            rooted!(in(cx) let source = source);
            convert::string_text(cx, source.handle().into()).map_or(FunctionKind::Other, |s| kind_of_source(&s))
        }
    }

    /// Bytes of JS heap in use and allocated, for `process.memoryUsage()`.
    pub fn heap_usage(&self) -> (i64, i64) {
        // SAFETY: reads counters of this thread's live context.
        let used = unsafe { sm::JS_GetGCParameter(self.cx, sm::JSGCParamKey::JSGC_BYTES) } as i64;
        // The engine has no separate "allocated" figure; report chunks held.
        let chunks = unsafe { sm::JS_GetGCParameter(self.cx, sm::JSGCParamKey::JSGC_TOTAL_CHUNKS) } as i64;
        (used, (chunks * (1 << 20)).max(used))
    }

    /// Runs the garbage collector.
    pub fn run_gc(&self) {
        // SAFETY: a full GC on this thread's live context, between engine
        // calls (every value Rust holds is rooted).
        unsafe { sm::JS_GC(self.cx, sm::GCReason::API) }
    }
}

#[cfg(test)]
mod tests {
    use super::kind_of_source;
    use crate::FunctionKind;

    #[test]
    fn kinds_from_source() {
        assert!(kind_of_source("async function f() {}") == FunctionKind::Async);
        assert!(kind_of_source("async (x) => x") == FunctionKind::Async);
        assert!(kind_of_source("async x => x") == FunctionKind::Async);
        assert!(kind_of_source("function* g() {}") == FunctionKind::Generator);
        assert!(kind_of_source("function *g() {}") == FunctionKind::Generator);
        assert!(kind_of_source("*g() {}") == FunctionKind::Generator);
        assert!(kind_of_source("async function* g() {}") == FunctionKind::AsyncGenerator);
        assert!(kind_of_source("async *m() {}") == FunctionKind::AsyncGenerator);
        assert!(kind_of_source("async() {}") == FunctionKind::Other);
        assert!(kind_of_source("asyncThing() {}") == FunctionKind::Other);
        assert!(kind_of_source("function () { [native code] }") == FunctionKind::Other);
    }
}
