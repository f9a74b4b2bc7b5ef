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
use crate::{OpError, OpResult};

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

/// The arguments of an op call; its typed readers are in `args.rs`.
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

    pub(crate) fn name(&self) -> &'static str {
        self.name
    }

    pub(crate) fn scope(&self) -> Scope<'s> {
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
