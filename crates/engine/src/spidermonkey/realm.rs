//! Realms for `node:vm` (more global objects in the main compartment, so
//! objects pass between them without wrappers, as between V8 contexts) and
//! interruptible runs (timeouts and SIGINT) through the interrupt callback.

use std::{
    cell::Cell,
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc,
    },
    time::{Duration, Instant},
};

use mozjs::{
    jsapi as sm,
    jsval::{ObjectValue, UndefinedValue},
    rooted,
};

use super::{host, root::Global, script, Local, Scope};
use crate::{JsError, OpError};

/// Another global object; dropped, it lives on while its objects do.
pub struct Realm(Global);

/// When a script run by [`Scope::run_interruptible`] must stop: at a
/// deadline, or when a check (such as "a SIGINT came") says so.
#[derive(Clone, Copy, Default)]
pub struct StopWhen {
    pub deadline: Option<Instant>,
    pub check: Option<fn() -> bool>,
}

thread_local! {
    /// The stop condition of the script running under `run_interruptible`.
    static STOP_WHEN: Cell<Option<StopWhen>> = const { Cell::new(None) };
}

/// Returns false (terminate, uncatchably) once the current stop condition
/// holds.
unsafe extern "C" fn interrupt_callback(_cx: *mut sm::JSContext) -> bool {
    !STOP_WHEN.with(Cell::get).is_some_and(|stop| {
        stop.deadline.is_some_and(|at| Instant::now() >= at) || stop.check.is_some_and(|check| check())
    })
}

pub(crate) unsafe fn install_interrupt_callback(cx: *mut sm::JSContext) {
    sm::JS_AddInterruptCallback(cx, Some(interrupt_callback));
}

/// How often a watched run is asked to check its stop condition.
const CHECK_EVERY: Duration = Duration::from_millis(5);

impl<'s> Scope<'s> {
    /// Another global object (a realm: its own built-ins) in the main
    /// compartment, and that global object.
    pub fn new_realm(&self) -> Result<(Realm, Local<'s>), OpError<'s>> {
        let cx = self.cx;
        // SAFETY: the new global is rooted at once; realms are entered and
        // left in nested order.
        unsafe {
            let main = host::main_global();
            if main.is_null() {
                return Err(JsError::error("the host has no main realm").into());
            }
            let realm = mozjs::rust::get_object_realm(main);
            let compartment = (*(realm as *mut sm::shadow::Realm)).compartment_;
            rooted!(in(cx) let global = host::new_global(cx, compartment));
            if global.get().is_null() {
                return Err(OpError::Pending);
            }
            {
                let _realm = sm::JSAutoRealm::new(cx, global.get());
                host::setup_realm(cx).map_err(JsError::error)?;
            }
            let value = ObjectValue(global.get());
            Ok((Realm(Global::new(value)), self.root(value)))
        }
    }

    /// Runs `source` as a sloppy classic script in `realm` (like
    /// [`Scope::eval_script`]); a thrown value stays pending here.
    pub fn eval_in_realm(&self, realm: &Realm, source: &str, filename: &str, first_line: i32) -> Result<Local<'s>, OpError<'s>> {
        let cx = self.cx;
        // SAFETY: the realm's global is kept by `realm`; the result is
        // rooted, and needs no wrapper (same compartment).
        unsafe {
            rooted!(in(cx) let global = realm.0.get().to_object());
            rooted!(in(cx) let mut rval = UndefinedValue());
            let ok = {
                let _realm = sm::JSAutoRealm::new(cx, global.get());
                script::evaluate(cx, source, filename, first_line, rval.handle_mut().into())
            };
            if !ok {
                return Err(OpError::Pending);
            }
            Ok(self.root(rval.get()))
        }
    }

    /// Runs `f`, interrupting the JS it runs when `stop` says so (an
    /// uncatchable stop unwinds it); an enclosing run's condition is
    /// restored after. The caller tells from its own state why a failed run
    /// stopped.
    pub fn run_interruptible<R>(&self, stop: StopWhen, f: impl FnOnce() -> R) -> R {
        let outer = STOP_WHEN.with(|s| s.replace(Some(stop)));
        let done = Arc::new(AtomicBool::new(false));
        // The context pointer crosses to the watcher only as a number, for
        // the one thread-safe call it makes.
        let cx = self.cx as usize;
        let watcher = {
            let done = done.clone();
            std::thread::Builder::new().name("lode-vm-watchdog".into()).spawn(move || {
                while !done.load(Ordering::Acquire) {
                    let wait = stop.deadline.map_or(CHECK_EVERY, |at| at.saturating_duration_since(Instant::now()).min(CHECK_EVERY));
                    std::thread::sleep(wait.max(Duration::from_micros(200)));
                    if done.load(Ordering::Acquire) {
                        break;
                    }
                    // SAFETY: JS_RequestInterruptCallback may be called from
                    // any thread; the context outlives this thread, which is
                    // joined before `run_interruptible` returns.
                    unsafe { sm::JS_RequestInterruptCallback(cx as *mut sm::JSContext) };
                }
            })
        };
        let result = f();
        done.store(true, Ordering::Release);
        if let Ok(watcher) = watcher {
            let _ = watcher.join();
        }
        STOP_WHEN.with(|s| s.set(outer));
        result
    }
}
