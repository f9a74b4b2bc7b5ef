//! Values across the boundary: [`Val`] into JS, JS strings and bytes into
//! Rust, errors thrown and caught, and the property and call primitives
//! ops use. Every engine call here takes `rooted!` temporaries, never a
//! pointer into a frame.

use std::{cell::Cell, ffi::c_void, ptr};

use mozjs::{
    gc::ValueArray,
    jsapi as sm,
    jsval::{BigIntValue, BooleanValue, DoubleValue, Int32Value, JSVal, NullValue, ObjectValue, StringValue, UndefinedValue},
    rooted,
};

use super::{host, root::Global, Local, Scope};
use crate::{JsError, OpError, Prop, Val};

thread_local! {
    /// `Buffer.prototype`, so native code can hand out Buffers directly.
    static BUFFER_PROTOTYPE: std::cell::RefCell<Option<Global>> = const { std::cell::RefCell::new(None) };
    /// Bytes handed to JS in Rust-allocated buffers since the last forced
    /// collection: the engine does not count external memory, so without
    /// this, native Buffers in reference cycles could pile up between GCs.
    static EXTERNAL_BYTES: Cell<usize> = const { Cell::new(0) };
}

/// External bytes after which a collection runs.
const EXTERNAL_GC_AT: usize = 64 << 20;

/// `text` as UTF-16 (property names, which the engine takes as UTF-16).
pub(crate) fn utf16(text: &str) -> Vec<u16> {
    text.encode_utf16().collect()
}

/// A `mozilla::Range<u8>` over `bytes` (borrowed for the call it is passed to).
pub(crate) fn byte_range(bytes: &[u8]) -> sm::mozilla::Range<u8> {
    let start = bytes.as_ptr().cast_mut();
    sm::mozilla::Range {
        _phantom_0: std::marker::PhantomData,
        mStart: sm::mozilla::RangedPtr { _phantom_0: std::marker::PhantomData, mPtr: start },
        // SAFETY: one past the end of the slice.
        mEnd: sm::mozilla::RangedPtr { _phantom_0: std::marker::PhantomData, mPtr: unsafe { start.add(bytes.len()) } },
    }
}

/// A new JS string holding `text` (null with an exception pending).
///
/// # Safety
/// `cx` is live; the result must be rooted before the next call that can GC.
pub(crate) unsafe fn new_string(cx: *mut sm::JSContext, text: &str) -> *mut sm::JSString {
    if text.is_ascii() {
        return sm::JS_NewStringCopyN(cx, text.as_ptr().cast(), text.len());
    }
    let chars = sm::UTF8Chars { _base: byte_range(text.as_bytes()) };
    sm::JS_NewStringCopyUTF8N(cx, &chars)
}

/// The text of a JS string; lone surrogates become U+FFFD.
///
/// # Safety
/// `string` is rooted (it may be flattened in place, which can GC).
pub(crate) unsafe fn string_text(cx: *mut sm::JSContext, string: sm::HandleString) -> Option<String> {
    // Flattens ropes in place; after this, reading the characters cannot GC.
    if sm::JS_EnsureLinearString(cx, string.get()).is_null() {
        return None;
    }
    let token = std::mem::ManuallyDrop::new(mozjs::context::JSContext::from_ptr(ptr::NonNull::new(cx)?));
    Some(mozjs::conversions::jsstr_to_string(&token, ptr::NonNull::new(string.get())?))
}

/// Frees the memory of a buffer made by [`Scope::external_array`]. The
/// engine may call it on any thread; it must not call the engine.
unsafe extern "C" fn free_bytes(contents: *mut c_void, capacity: *mut c_void) {
    drop(Vec::from_raw_parts(contents.cast::<u8>(), 0, capacity as usize));
}

impl<'s> Scope<'s> {
    /// Makes `value` a JS value.
    pub fn value(&self, value: Val<'s>) -> Result<Local<'s>, OpError<'s>> {
        let cx = self.cx;
        // SAFETY: the result is written to a rooted temporary, then rooted in
        // this scope's frame.
        unsafe {
            rooted!(in(cx) let mut out = UndefinedValue());
            if !self.to_js(value, out.handle_mut().into()) {
                return Err(OpError::Pending);
            }
            Ok(self.root(out.get()))
        }
    }

    /// Roots `value` in this scope.
    pub(crate) fn root(&self, value: JSVal) -> Local<'s> {
        Local::new(self.frame, value)
    }

    /// Keeps `value` beyond this scope.
    pub fn global(&self, value: &Local<'s>) -> Global {
        Global::new(value.get())
    }

    /// A kept value, back in this scope.
    pub fn local(&self, value: &Global) -> Local<'s> {
        self.root(value.get())
    }

    /// Writes the JS form of `value` to `out`; `false` leaves an exception
    /// pending.
    ///
    /// # Safety
    /// `out` is a rooted location.
    pub(crate) unsafe fn to_js(&self, value: Val<'s>, out: sm::MutableHandleValue) -> bool {
        let cx = self.cx;
        let v = match value {
            Val::Undefined => UndefinedValue(),
            Val::Null => NullValue(),
            Val::Bool(b) => BooleanValue(b),
            Val::Int(i) => Int32Value(i),
            Val::Number(n) => DoubleValue(n),
            Val::BigInt(n) => {
                let big = sm::BigIntFromInt64(cx, n);
                if big.is_null() {
                    return false;
                }
                BigIntValue(&*big)
            }
            Val::Str(s) => return self.string_to(s, out),
            Val::String(s) => return self.string_to(&s, out),
            Val::Buffer(bytes) => return self.external_array(bytes, true, out),
            Val::Uint8Array(bytes) => return self.external_array(bytes, false, out),
            Val::Array(items) => {
                rooted!(in(cx) let array = sm::NewArrayObject1(cx, items.len()));
                if array.get().is_null() {
                    return false;
                }
                for (i, item) in items.into_iter().enumerate() {
                    rooted!(in(cx) let mut element = UndefinedValue());
                    if !self.to_js(item, element.handle_mut().into())
                        || !sm::JS_DefineElement(cx, array.handle().into(), i as u32, element.handle().into(), sm::JSPROP_ENUMERATE as u32)
                    {
                        return false;
                    }
                }
                ObjectValue(array.get())
            }
            Val::Object(entries) => {
                rooted!(in(cx) let object = sm::JS_NewPlainObject(cx));
                if object.get().is_null() {
                    return false;
                }
                for (key, item) in entries {
                    rooted!(in(cx) let mut property = UndefinedValue());
                    if !self.to_js(item, property.handle_mut().into()) {
                        return false;
                    }
                    let name = utf16(&key);
                    if !sm::JS_DefineUCProperty2(cx, object.handle().into(), name.as_ptr(), name.len(), property.handle().into(), sm::JSPROP_ENUMERATE as u32) {
                        return false;
                    }
                }
                ObjectValue(object.get())
            }
            Val::Error(error) => return self.new_error(&error, out),
            Val::Local(local) => local.get(),
        };
        out.set(v);
        true
    }

    unsafe fn string_to(&self, text: &str, out: sm::MutableHandleValue) -> bool {
        let s = new_string(self.cx, text);
        if s.is_null() {
            return false;
        }
        out.set(StringValue(&*s));
        true
    }

    /// A Uint8Array (with Buffer's prototype when `buffer`) whose memory is
    /// `bytes`, taken over without a copy.
    unsafe fn external_array(&self, bytes: Vec<u8>, buffer: bool, out: sm::MutableHandleValue) -> bool {
        let cx = self.cx;
        let external = EXTERNAL_BYTES.with(|e| {
            let total = e.get() + bytes.capacity();
            e.set(if total >= EXTERNAL_GC_AT { 0 } else { total });
            total
        });
        if external >= EXTERNAL_GC_AT {
            sm::JS_GC(cx, sm::GCReason::API);
        }
        let len = bytes.len();
        rooted!(in(cx) let array_buffer = if bytes.capacity() == 0 {
            sm::NewArrayBuffer(cx, 0)
        } else {
            let mut bytes = std::mem::ManuallyDrop::new(bytes);
            let (data, capacity) = (bytes.as_mut_ptr(), bytes.capacity());
            let made = sm::NewExternalArrayBuffer(cx, len, data.cast(), Some(free_bytes), capacity as *mut c_void);
            if made.is_null() {
                // Ownership passes only on success.
                drop(std::mem::ManuallyDrop::into_inner(bytes));
            }
            made
        });
        if array_buffer.get().is_null() {
            return false;
        }
        rooted!(in(cx) let view = sm::JS_NewUint8ArrayWithBuffer(cx, array_buffer.handle().into(), 0, len as i64));
        if view.get().is_null() {
            return false;
        }
        if buffer {
            let proto = BUFFER_PROTOTYPE.with(|p| p.borrow().as_ref().map(Global::get));
            if let Some(proto) = proto.filter(JSVal::is_object) {
                rooted!(in(cx) let proto = proto.to_object());
                if !sm::JS_SetPrototype(cx, view.handle().into(), proto.handle().into()) {
                    return false;
                }
            }
        }
        out.set(ObjectValue(view.get()));
        true
    }

    /// `new <kind>(message)` by the current realm's constructor, so `message`
    /// is a non-enumerable own property as on every JS-made error, then the
    /// extra properties.
    pub(crate) unsafe fn new_error(&self, error: &JsError, out: sm::MutableHandleValue) -> bool {
        let cx = self.cx;
        let name = error.kind.constructor_name();
        rooted!(in(cx) let global = sm::CurrentGlobalOrNull(cx));
        rooted!(in(cx) let mut constructor = UndefinedValue());
        let name = utf16(name);
        if !sm::JS_GetUCProperty(cx, global.handle().into(), name.as_ptr(), name.len(), constructor.handle_mut().into()) {
            return false;
        }
        let message = new_string(cx, &error.message);
        if message.is_null() {
            return false;
        }
        rooted!(in(cx) let argv = ValueArray::<1>::new([StringValue(&*message)]));
        rooted!(in(cx) let mut object = ptr::null_mut::<sm::JSObject>());
        if !sm::Construct1(cx, constructor.handle().into(), &sm::HandleValueArray::from(&argv), object.handle_mut().into()) {
            return false;
        }
        // Made with no JS on the stack (an op's completion, delivered by the
        // loop), the engine's V8-style stack is the header and a newline;
        // V8 leaves no newline, and Node's inspect shows such an error as
        // `[Error: message]` only then.
        {
            rooted!(in(cx) let mut stack = UndefinedValue());
            let key = utf16("stack");
            if sm::JS_GetUCProperty(cx, object.handle().into(), key.as_ptr(), key.len(), stack.handle_mut().into()) && stack.get().is_string() {
                rooted!(in(cx) let text = stack.get().to_string());
                if let Some(text) = string_text(cx, text.handle().into()).filter(|t| t.ends_with('\n') && !t.contains("\n    at ")) {
                    if !self.string_to(text.trim_end_matches('\n'), stack.handle_mut().into())
                        || !sm::JS_DefineUCProperty2(cx, object.handle().into(), key.as_ptr(), key.len(), stack.handle().into(), 0)
                    {
                        return false;
                    }
                }
            } else {
                sm::JS_ClearPendingException(cx);
            }
        }
        for (key, prop) in &error.props {
            rooted!(in(cx) let mut value = UndefinedValue());
            match prop {
                Prop::Number(n) => value.set(DoubleValue(*n)),
                Prop::String(s) => {
                    if !self.string_to(s, value.handle_mut().into()) {
                        return false;
                    }
                }
            }
            let key = utf16(key);
            if !sm::JS_SetUCProperty(cx, object.handle().into(), key.as_ptr(), key.len(), value.handle().into()) {
                return false;
            }
        }
        out.set(ObjectValue(object.get()));
        true
    }

    /// Makes `error` the pending exception (it already is for `Pending`).
    pub(crate) fn throw(&self, error: OpError<'s>) {
        let cx = self.cx;
        // SAFETY: rooted temporaries on this thread's live context.
        unsafe {
            rooted!(in(cx) let mut value = UndefinedValue());
            match error {
                OpError::Throw(e) => {
                    if !self.new_error(&e, value.handle_mut().into()) {
                        return;
                    }
                }
                OpError::Value(v) => value.set(v.get()),
                OpError::Pending => return,
            }
            sm::JS_SetPendingException(cx, value.handle().into(), sm::ExceptionStackBehavior::Capture);
        }
    }

    /// Takes the pending exception (after an op saw [`OpError::Pending`]).
    /// With none pending (an uncatchable stop: an interrupt or running out
    /// of memory), an Error saying so.
    pub fn take_exception(&self) -> Local<'s> {
        let cx = self.cx;
        // SAFETY: rooted temporaries on this thread's live context.
        unsafe {
            rooted!(in(cx) let mut value = UndefinedValue());
            if sm::JS_IsExceptionPending(cx) {
                sm::JS_GetPendingException(cx, value.handle_mut().into());
                sm::JS_ClearPendingException(cx);
            } else {
                let error = JsError::error("the script was terminated (interrupted, or out of memory)");
                if !self.new_error(&error, value.handle_mut().into()) {
                    sm::JS_ClearPendingException(cx);
                }
            }
            self.root(value.get())
        }
    }

    /// Calls `f` with `args` (`this` undefined); `Err` holds what it threw.
    pub fn call(&self, f: &Local<'s>, args: Vec<Val<'s>>) -> Result<Local<'s>, Local<'s>> {
        let cx = self.cx;
        host::gc_stress(cx);
        if !f.is_function() {
            self.throw(JsError::type_error("not a function").into());
            return Err(self.take_exception());
        }
        // SAFETY: the function, `this` and every argument sit in rooted
        // temporaries for the call.
        unsafe {
            rooted!(in(cx) let function = f.get());
            rooted!(in(cx) let mut argv: Vec<JSVal> = Vec::with_capacity(args.len()));
            for arg in args {
                rooted!(in(cx) let mut value = UndefinedValue());
                if !self.to_js(arg, value.handle_mut().into()) {
                    return Err(self.take_exception());
                }
                argv.as_mut().push(value.get());
            }
            rooted!(in(cx) let this = UndefinedValue());
            rooted!(in(cx) let mut rval = UndefinedValue());
            let ok = sm::Call(cx, this.handle().into(), function.handle().into(), &sm::HandleValueArray::from(&argv), rval.handle_mut().into());
            if ok {
                Ok(self.root(rval.get()))
            } else {
                Err(self.take_exception())
            }
        }
    }

    /// `object[key]`.
    pub fn get(&self, object: &Local<'s>, key: &str) -> Result<Local<'s>, OpError<'s>> {
        if !object.is_object() {
            return Err(JsError::type_error(format!("cannot read '{key}' of a non-object")).into());
        }
        let cx = self.cx;
        // SAFETY: rooted temporaries on this thread's live context.
        unsafe {
            rooted!(in(cx) let target = object.get().to_object());
            rooted!(in(cx) let mut value = UndefinedValue());
            let name = utf16(key);
            if !sm::JS_GetUCProperty(cx, target.handle().into(), name.as_ptr(), name.len(), value.handle_mut().into()) {
                return Err(OpError::Pending);
            }
            Ok(self.root(value.get()))
        }
    }

    /// `object[key] = value`.
    pub fn set(&self, object: &Local<'s>, key: &str, value: Val<'s>) -> Result<(), OpError<'s>> {
        if !object.is_object() {
            return Err(JsError::type_error(format!("cannot set '{key}' on a non-object")).into());
        }
        let cx = self.cx;
        // SAFETY: rooted temporaries on this thread's live context.
        unsafe {
            rooted!(in(cx) let target = object.get().to_object());
            rooted!(in(cx) let mut property = UndefinedValue());
            if !self.to_js(value, property.handle_mut().into()) {
                return Err(OpError::Pending);
            }
            let name = utf16(key);
            if !sm::JS_SetUCProperty(cx, target.handle().into(), name.as_ptr(), name.len(), property.handle().into()) {
                return Err(OpError::Pending);
            }
            Ok(())
        }
    }

    /// The elements of an array (or of any object with a `length`).
    pub fn elements(&self, array: &Local<'s>) -> Result<Vec<Local<'s>>, OpError<'s>> {
        if !array.is_object() {
            return Err(JsError::type_error("not an array").into());
        }
        let length = self.get(array, "length")?.as_number().unwrap_or(0.0);
        let length = if length.is_finite() && length > 0.0 { length.min(u32::MAX as f64) as u32 } else { 0 };
        let cx = self.cx;
        // SAFETY: rooted temporaries on this thread's live context.
        unsafe {
            rooted!(in(cx) let target = array.get().to_object());
            let mut out = Vec::with_capacity(length as usize);
            for i in 0..length {
                rooted!(in(cx) let mut value = UndefinedValue());
                if !sm::JS_GetElement(cx, target.handle().into(), i, value.handle_mut().into()) {
                    return Err(OpError::Pending);
                }
                out.push(self.root(value.get()));
            }
            Ok(out)
        }
    }

    /// `String(value)` as Rust text; lone surrogates, which UTF-8 cannot
    /// hold, become U+FFFD, as Node's conversions do.
    pub fn string(&self, value: &Local<'s>) -> Result<String, OpError<'s>> {
        let cx = self.cx;
        // SAFETY: the value and its string form sit in rooted temporaries.
        unsafe {
            rooted!(in(cx) let v = value.get());
            let s = if v.get().is_string() { v.get().to_string() } else { sm::js::ToStringSlow(cx, v.handle().into()) };
            if s.is_null() {
                return Err(OpError::Pending);
            }
            rooted!(in(cx) let s = s);
            string_text(cx, s.handle().into()).ok_or(OpError::Pending)
        }
    }

    /// Runs `f` over `String(value)`.
    pub fn with_str<R>(&self, value: &Local<'s>, f: impl FnOnce(&str) -> R) -> Result<R, OpError<'s>> {
        self.string(value).map(|text| f(&text))
    }

    /// Runs `f` over the bytes of a string (as UTF-8) or of a `Uint8Array`
    /// (without copying). Anything else gives `None`.
    pub fn with_bytes<R>(&self, value: &Local<'s>, f: impl FnOnce(&[u8]) -> R) -> Result<Option<R>, OpError<'s>> {
        if value.is_string() {
            return self.with_str(value, |s| f(s.as_bytes())).map(Some);
        }
        Ok(self.with_bytes_mut(value, |bytes| f(bytes)))
    }

    /// Runs `f` on the writable bytes of a `Uint8Array` (`None` for anything
    /// else).
    pub fn with_bytes_mut<R>(&self, value: &Local<'s>, f: impl FnOnce(&mut [u8]) -> R) -> Option<R> {
        let v = value.get();
        if !v.is_object() {
            return None;
        }
        // SAFETY: the view is rooted in this frame. Its data pointer is read
        // here and used only by `f`, which cannot reach the engine (it gets
        // no scope), so nothing can GC, move an inline buffer, or detach it
        // while the slice lives.
        unsafe {
            let view = sm::js::UnwrapUint8Array(v.to_object());
            if view.is_null() {
                return None;
            }
            let (mut len, mut shared, mut data) = (0usize, false, ptr::null_mut::<u8>());
            sm::js::GetArrayBufferViewLengthAndData(view, &mut len, &mut shared, &mut data);
            let bytes: &mut [u8] = if len == 0 || data.is_null() { &mut [] } else { std::slice::from_raw_parts_mut(data, len) };
            Some(f(bytes))
        }
    }

    /// Runs `f` on the elements of a `Float64Array` (`None` for anything
    /// else).
    pub fn with_f64s_mut<R>(&self, value: &Local<'s>, f: impl FnOnce(&mut [f64]) -> R) -> Option<R> {
        let v = value.get();
        if !v.is_object() {
            return None;
        }
        // SAFETY: as in `with_bytes_mut`; a Float64Array's data is aligned.
        unsafe {
            let view = sm::js::UnwrapFloat64Array(v.to_object());
            if view.is_null() {
                return None;
            }
            let (mut len, mut shared, mut data) = (0usize, false, ptr::null_mut::<f64>());
            mozjs::glue::GetFloat64ArrayLengthAndData(view, &mut len, &mut shared, &mut data);
            let items: &mut [f64] = if len == 0 || data.is_null() { &mut [] } else { std::slice::from_raw_parts_mut(data, len) };
            Some(f(items))
        }
    }

    /// The prototype given to every `Val::Buffer` (Node's `Buffer.prototype`).
    pub fn set_buffer_prototype(&self, prototype: &Local<'s>) {
        let saved = self.global(prototype);
        BUFFER_PROTOTYPE.with(|p| *p.borrow_mut() = Some(saved));
    }
}
