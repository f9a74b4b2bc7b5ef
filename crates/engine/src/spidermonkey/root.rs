//! Rooting: where the values Rust holds live, so the moving collector sees
//! and updates them.
//!
//! - A [`Frame`] is a `JS::Rooted<Vec<JSVal>>` on the native stack of an op
//!   call or of [`Host::enter`](super::Host::enter). Stack roots are traced by
//!   minor and major GCs alike and updated in place when objects move. A
//!   [`Local<'s>`] is a slot of the frame of its scope `'s`; the lifetime
//!   keeps it from outliving the frame, and dropping it frees the slot (so a
//!   long-lived frame, such as the event loop's, does not grow without end).
//! - A [`Global`] is a `Box<Heap<JSVal>>` in a thread-local slab traced from
//!   the extra-roots tracer. `Heap::set` runs the post-write barrier, so the
//!   store buffer updates a boxed slot at minor GCs too (extra-roots tracers
//!   themselves only run at major GCs).

use std::{cell::RefCell, cell::UnsafeCell, ffi::c_void, marker::PhantomData, rc::Rc};

use mozjs::{gc::Traceable, jsapi as sm, jsval::JSVal, rooted};

/// The rooted values of one scope.
pub(crate) struct Frame {
    /// The rooted vector's data, owned by a `RootedGuard` on the stack of
    /// [`with_frame`], which outlives every borrow of the frame.
    vals: *mut Vec<JSVal>,
    /// Slots whose `Local` was dropped.
    free: UnsafeCell<Vec<u32>>,
}

/// Runs `f` with a new frame rooted on this native stack.
///
/// # Safety
/// `cx` is the live context of this thread; frames nest (LIFO) as the root
/// stack requires, which a closure-scoped frame guarantees.
pub(crate) unsafe fn with_frame<R>(cx: *mut sm::JSContext, f: impl FnOnce(&Frame) -> R) -> R {
    rooted!(in(cx) let vals: Vec<JSVal> = Vec::new());
    let frame = Frame { vals: vals.as_ptr(), free: UnsafeCell::new(Vec::new()) };
    f(&frame)
}

impl Frame {
    /// Roots `value` in a free slot.
    pub(crate) fn push(&self, value: JSVal) -> u32 {
        // SAFETY: the vector is alive (see `vals`) and only touched here,
        // between engine calls (the collector reads it only inside them),
        // and never through two references at once: every access below is
        // a short, non-reentrant borrow.
        unsafe {
            let vals = &mut *self.vals;
            match (*self.free.get()).pop() {
                Some(i) => {
                    vals[i as usize] = value;
                    i
                }
                None => {
                    vals.push(value);
                    (vals.len() - 1) as u32
                }
            }
        }
    }

    fn get(&self, i: u32) -> JSVal {
        // SAFETY: as in `push`.
        unsafe { (&*self.vals)[i as usize] }
    }

    fn release(&self, i: u32) {
        // SAFETY: as in `push`.
        unsafe {
            (&mut *self.vals)[i as usize] = mozjs::jsval::UndefinedValue();
            (*self.free.get()).push(i);
        }
    }
}

/// A JS value held for the current scope. Keep it beyond the scope as a
/// [`Global`].
pub struct Local<'s> {
    frame: &'s Frame,
    slot: u32,
    /// Not Send: the value belongs to this thread's engine.
    _not_send: PhantomData<*const ()>,
}

impl<'s> Local<'s> {
    pub(crate) fn new(frame: &'s Frame, value: JSVal) -> Self {
        Local { frame, slot: frame.push(value), _not_send: PhantomData }
    }

    /// The value now (valid until the next engine call that can GC; root it
    /// again before such a call).
    pub(crate) fn get(&self) -> JSVal {
        self.frame.get(self.slot)
    }

    pub fn is_undefined(&self) -> bool {
        self.get().is_undefined()
    }

    pub fn is_null(&self) -> bool {
        self.get().is_null()
    }

    /// `undefined` or `null`.
    pub fn is_nullish(&self) -> bool {
        self.get().is_null_or_undefined()
    }

    pub fn is_function(&self) -> bool {
        let v = self.get();
        // SAFETY: reads the class of a live object this frame roots.
        v.is_object() && unsafe { sm::IsCallable(v.to_object()) }
    }

    pub fn is_string(&self) -> bool {
        self.get().is_string()
    }

    pub fn is_object(&self) -> bool {
        self.get().is_object()
    }

    /// The value if it is a number.
    pub fn as_number(&self) -> Option<f64> {
        let v = self.get();
        v.is_number().then(|| v.to_number())
    }

    /// The value if it is a number with an exact `i32` form.
    pub fn as_i32(&self) -> Option<i32> {
        let v = self.get();
        if v.is_int32() {
            return Some(v.to_int32());
        }
        v.is_double()
            .then(|| v.to_double())
            .filter(|f| f.fract() == 0.0 && *f >= i32::MIN as f64 && *f <= i32::MAX as f64)
            .map(|f| f as i32)
    }

    pub fn as_bool(&self) -> Option<bool> {
        let v = self.get();
        v.is_boolean().then(|| v.to_boolean())
    }
}

impl Clone for Local<'_> {
    fn clone(&self) -> Self {
        Local::new(self.frame, self.get())
    }
}

impl Drop for Local<'_> {
    fn drop(&mut self) {
        self.frame.release(self.slot);
    }
}

/// Host-held values: boxed (stable address) `Heap` cells, traced as roots.
struct Slab {
    items: Vec<Option<Box<sm::Heap<JSVal>>>>,
    free: Vec<usize>,
}

thread_local! {
    static SLAB: RefCell<Slab> = const { RefCell::new(Slab { items: Vec::new(), free: Vec::new() }) };
}

/// A JS value kept alive (and safe from the collector) until dropped.
#[derive(Clone)]
pub struct Global(Rc<GlobalSlot>);

struct GlobalSlot(usize);

impl Drop for GlobalSlot {
    fn drop(&mut self) {
        // After the thread's slab is gone (thread exit) there is nothing to
        // release.
        let _ = SLAB.try_with(|s| {
            let mut s = s.borrow_mut();
            s.items[self.0] = None;
            s.free.push(self.0);
        });
    }
}

impl Global {
    pub(crate) fn new(value: JSVal) -> Self {
        // `Heap::boxed` sets the value through the post-write barrier, after
        // boxing, so the store buffer records the final address.
        let cell = sm::Heap::boxed(value);
        let id = SLAB.with(|s| {
            let mut s = s.borrow_mut();
            match s.free.pop() {
                Some(i) => {
                    s.items[i] = Some(cell);
                    i
                }
                None => {
                    s.items.push(Some(cell));
                    s.items.len() - 1
                }
            }
        });
        Global(Rc::new(GlobalSlot(id)))
    }

    /// The value now (valid until the next engine call that can GC).
    pub(crate) fn get(&self) -> JSVal {
        SLAB.with(|s| s.borrow().items[self.0 .0].as_ref().expect("a live Global").get())
    }
}

/// Traces every [`Global`]; registered with `JS_AddExtraGCRootsTracer`.
pub(crate) unsafe extern "C" fn trace_globals(trc: *mut sm::JSTracer, _data: *mut c_void) {
    let _ = SLAB.try_with(|s| {
        // The collector never runs while Rust holds the slab: no engine call
        // happens inside a borrow.
        for cell in s.borrow().items.iter().flatten() {
            cell.trace(trc);
        }
    });
}
