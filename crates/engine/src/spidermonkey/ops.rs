//! Native ops: one C entry point ([`dispatch`]) for every op, which finds
//! the op by the index in its function's reserved slot, opens a [`Scope`]
//! with a fresh frame, reads arguments through [`Args`] and converts the
//! result or throws the error.

use std::{cell::RefCell, ffi::CString, marker::PhantomData};

use mozjs::{
    jsapi as sm,
    jsval::{Int32Value, JSVal, ObjectValue, UndefinedValue},
    rooted,
};

use super::{host, root, Local, Scope};
use crate::{JsError, OpError, OpResult};

/// A native op: reads its arguments, does its work, returns a value or an
/// error to throw. Ops are plain functions; the engine glue around them is
/// made once, in [`Binding::op`].
pub type Op = for<'s> fn(&Scope<'s>, &Args<'s>) -> OpResult<'s>;

thread_local! {
    /// Every op made into a function, by the index in its slot 0.
    static OPS: RefCell<Vec<(&'static str, Op)>> = const { RefCell::new(Vec::new()) };
}

/// The engine's entry into every op.
unsafe extern "C" fn dispatch(cx: *mut sm::JSContext, argc: u32, vp: *mut sm::Value) -> bool {
    let args = sm::CallArgs::from_vp(vp, argc);
    let slot = *sm::js::GetFunctionNativeReserved(args.callee(), 0);
    let Some((name, op)) = OPS.with(|ops| ops.borrow().get(slot.to_int32() as usize).copied()) else {
        return false;
    };
    host::gc_stress(cx);
    root::with_frame(cx, |frame| {
        let scope = Scope { cx, frame };
        // The engine roots the callee, `this` and the arguments (vp[2..])
        // for the length of the call.
        let reader = Args { name, cx, frame, argv: vp.add(2), argc, _scope: PhantomData };
        match op(&scope, &reader) {
            Ok(value) => {
                rooted!(in(cx) let mut out = UndefinedValue());
                if scope.to_js(value, out.handle_mut().into()) {
                    args.rval().set(out.get());
                    true
                } else {
                    false
                }
            }
            Err(error) => {
                scope.throw(error);
                false
            }
        }
    })
}

/// The arguments of an op call, with typed readers that fail with a
/// TypeError naming the op and the argument.
pub struct Args<'s> {
    name: &'static str,
    cx: *mut sm::JSContext,
    frame: &'s root::Frame,
    /// The call's arguments, rooted by the engine while the op runs.
    argv: *const JSVal,
    argc: u32,
    _scope: PhantomData<&'s ()>,
}

impl<'s> Args<'s> {
    pub fn len(&self) -> usize {
        self.argc as usize
    }

    pub fn is_empty(&self) -> bool {
        self.argc == 0
    }

    fn raw(&self, i: usize) -> JSVal {
        if i < self.argc as usize {
            // SAFETY: within the engine's argument array for this call.
            unsafe { *self.argv.add(i) }
        } else {
            UndefinedValue()
        }
    }

    /// Argument `i` (`undefined` past the end).
    pub fn get(&self, i: usize) -> Local<'s> {
        Local::new(self.frame, self.raw(i))
    }

    /// Argument `i` unless it is `undefined` (or missing).
    fn value(&self, i: usize) -> Option<JSVal> {
        Some(self.raw(i)).filter(|v| !v.is_undefined())
    }

    fn wrong(&self, i: usize, what: &str) -> OpError<'s> {
        JsError::type_error(format!("{}: argument {} must be {what}", self.name, i + 1)).into()
    }

    /// A number argument.
    pub fn number(&self, i: usize) -> Result<f64, OpError<'s>> {
        self.value(i).filter(JSVal::is_number).map(|v| v.to_number()).ok_or_else(|| self.wrong(i, "a number"))
    }

    /// A number argument, or `None` when it is `undefined` or `null`.
    pub fn opt_number(&self, i: usize) -> Result<Option<f64>, OpError<'s>> {
        match self.value(i) {
            None => Ok(None),
            Some(v) if v.is_null() => Ok(None),
            Some(_) => self.number(i).map(Some),
        }
    }

    /// A number argument as `i32` (truncated, saturating).
    pub fn i32(&self, i: usize) -> Result<i32, OpError<'s>> {
        self.number(i).map(|n| n as i32)
    }

    /// A number argument as `u32` (truncated, saturating).
    pub fn u32(&self, i: usize) -> Result<u32, OpError<'s>> {
        self.number(i).map(|n| n as u32)
    }

    /// A number argument as `i64` (truncated, saturating).
    pub fn i64(&self, i: usize) -> Result<i64, OpError<'s>> {
        self.number(i).map(|n| n as i64)
    }

    /// A number argument as `usize` (truncated, saturating; negative is 0).
    pub fn usize(&self, i: usize) -> Result<usize, OpError<'s>> {
        self.number(i).map(|n| n as usize)
    }

    /// A boolean argument.
    pub fn bool(&self, i: usize) -> Result<bool, OpError<'s>> {
        self.value(i).filter(JSVal::is_boolean).map(|v| v.to_boolean()).ok_or_else(|| self.wrong(i, "a boolean"))
    }

    /// A boolean argument, or `None` when it is `undefined` or `null`.
    pub fn opt_bool(&self, i: usize) -> Result<Option<bool>, OpError<'s>> {
        match self.value(i) {
            None => Ok(None),
            Some(v) if v.is_null() => Ok(None),
            Some(_) => self.bool(i).map(Some),
        }
    }

    /// `String(argument)`, lone surrogates as U+FFFD.
    pub fn string(&self, i: usize) -> Result<String, OpError<'s>> {
        self.scope().string(&self.get(i))
    }

    /// A string argument, or `None` when it is `undefined` or `null`.
    pub fn opt_string(&self, i: usize) -> Result<Option<String>, OpError<'s>> {
        match self.value(i) {
            None => Ok(None),
            Some(v) if v.is_null() => Ok(None),
            Some(_) => self.string(i).map(Some),
        }
    }

    fn is_function(v: &JSVal) -> bool {
        // SAFETY: reads the class of a live, rooted argument.
        v.is_object() && unsafe { sm::IsCallable(v.to_object()) }
    }

    /// A function argument.
    pub fn function(&self, i: usize) -> Result<Local<'s>, OpError<'s>> {
        self.opt_function(i).ok_or_else(|| self.wrong(i, "a function"))
    }

    /// A function argument, or `None` for anything else.
    pub fn opt_function(&self, i: usize) -> Option<Local<'s>> {
        self.value(i).filter(Self::is_function).map(|v| Local::new(self.frame, v))
    }

    /// An object argument.
    pub fn object(&self, i: usize) -> Result<Local<'s>, OpError<'s>> {
        self.value(i).filter(JSVal::is_object).map(|v| Local::new(self.frame, v)).ok_or_else(|| self.wrong(i, "an object"))
    }

    /// Runs `f` over the bytes of a string (UTF-8) or Uint8Array argument.
    pub fn with_bytes<R>(&self, i: usize, f: impl FnOnce(&[u8]) -> R) -> Result<R, OpError<'s>> {
        if i >= self.len() {
            return Err(self.wrong(i, "a string or a Uint8Array"));
        }
        self.scope().with_bytes(&self.get(i), f)?.ok_or_else(|| self.wrong(i, "a string or a Uint8Array"))
    }

    /// Runs `f` over the writable bytes of a Uint8Array argument.
    pub fn with_bytes_mut<R>(&self, i: usize, f: impl FnOnce(&mut [u8]) -> R) -> Result<R, OpError<'s>> {
        if i >= self.len() {
            return Err(self.wrong(i, "a Uint8Array"));
        }
        self.scope().with_bytes_mut(&self.get(i), f).ok_or_else(|| self.wrong(i, "a Uint8Array"))
    }

    /// A copy of the bytes of a string (UTF-8) or Uint8Array argument, for
    /// work that leaves the JS thread.
    pub fn bytes(&self, i: usize) -> Result<Vec<u8>, OpError<'s>> {
        self.with_bytes(i, <[u8]>::to_vec)
    }

    fn scope(&self) -> Scope<'s> {
        Scope { cx: self.cx, frame: self.frame }
    }
}

/// A binding object under construction: native ops and values.
pub struct Binding<'a, 's> {
    scope: &'a Scope<'s>,
    target: Local<'s>,
}

impl<'s> Scope<'s> {
    /// A new object whose properties are native ops and values.
    pub fn binding(&self) -> Result<Binding<'_, 's>, OpError<'s>> {
        // SAFETY: a new object, rooted in this frame at once.
        let object = unsafe { sm::JS_NewPlainObject(self.cx) };
        if object.is_null() {
            return Err(OpError::Pending);
        }
        Ok(Binding { scope: self, target: self.root(ObjectValue(object)) })
    }
}

/// The function object that runs `op` as `name` (null when out of memory).
///
/// # Safety
/// `cx` is live; the result must be rooted before the next call that can GC.
pub(crate) unsafe fn op_function(cx: *mut sm::JSContext, name: &'static str, op: Op) -> *mut sm::JSObject {
    let index = OPS.with(|ops| {
        let mut ops = ops.borrow_mut();
        match ops.iter().position(|(n, o)| *n == name && *o as usize == op as usize) {
            Some(i) => i,
            None => {
                ops.push((name, op));
                ops.len() - 1
            }
        }
    });
    let cname = CString::new(name).unwrap_or_default();
    let function = sm::js::NewFunctionWithReserved(cx, Some(dispatch), 0, 0, cname.as_ptr());
    if function.is_null() {
        return std::ptr::null_mut();
    }
    let object = sm::JS_GetFunctionObject(function);
    sm::js::SetFunctionNativeReserved(object, 0, &Int32Value(index as i32));
    object
}

impl<'s> Binding<'_, 's> {
    /// Adds op `op` as method `name`.
    pub fn op(&mut self, name: &'static str, op: Op) -> &mut Self {
        let cx = self.scope.cx;
        // SAFETY: the function and the target sit in rooted temporaries.
        // Building a function only fails when out of memory, which stays
        // pending and surfaces at the next JS step.
        unsafe {
            rooted!(in(cx) let function = op_function(cx, name, op));
            if !function.get().is_null() {
                rooted!(in(cx) let target = self.target.get().to_object());
                rooted!(in(cx) let value = ObjectValue(function.get()));
                let key = super::convert::utf16(name);
                sm::JS_DefineUCProperty2(cx, target.handle().into(), key.as_ptr(), key.len(), value.handle().into(), sm::JSPROP_ENUMERATE as u32);
            }
        }
        self
    }

    /// Adds a plain value as property `name`.
    pub fn value(&mut self, name: &'static str, value: crate::Val<'s>) -> &mut Self {
        let _ = self.scope.set(&self.target, name, value);
        self
    }

    /// The finished object.
    pub fn finish(self) -> Local<'s> {
        self.target
    }
}
