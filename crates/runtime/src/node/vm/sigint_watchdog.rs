//! The SIGINT watchdog behind vm's `breakOnSigint` (Node's
//! SigintWatchdogHelper). While at least one watchdog is started, SIGINT is
//! caught and noted instead of ending the process or reaching 'SIGINT'
//! listeners; a script run with `breakOnSigint` is interrupted when one is
//! noted. Stopping a watchdog reports (and clears) a noted signal. Nested
//! starts are counted; the process's previous SIGINT action comes back when
//! the last one stops.

use std::sync::{
    atomic::{AtomicBool, AtomicUsize, Ordering},
    Mutex,
};

static STARTED: AtomicUsize = AtomicUsize::new(0);
static PENDING: AtomicBool = AtomicBool::new(false);
/// The SIGINT action in place before the first start.
static PREVIOUS: Mutex<Option<libc::sigaction>> = Mutex::new(None);

extern "C" fn note_sigint(_signo: libc::c_int) {
    // Only an atomic store: async-signal-safe.
    PENDING.store(true, Ordering::SeqCst);
}

pub fn start() {
    let mut previous = PREVIOUS.lock().unwrap_or_else(|e| e.into_inner());
    if STARTED.fetch_add(1, Ordering::SeqCst) > 0 {
        return;
    }
    // SAFETY: installs a handler that only stores an atomic; the old action
    // is kept to be restored by the last `stop`.
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = note_sigint as extern "C" fn(libc::c_int) as usize;
        libc::sigemptyset(&mut action.sa_mask);
        let mut old: libc::sigaction = std::mem::zeroed();
        if libc::sigaction(libc::SIGINT, &action, &mut old) == 0 {
            *previous = Some(old);
        }
    }
}

/// Stops one watchdog; whether a SIGINT was noted since it was cleared.
pub fn stop() -> bool {
    let mut previous = PREVIOUS.lock().unwrap_or_else(|e| e.into_inner());
    let had_signal = PENDING.swap(false, Ordering::SeqCst);
    if STARTED.load(Ordering::SeqCst) == 0 {
        return had_signal;
    }
    if STARTED.fetch_sub(1, Ordering::SeqCst) == 1 {
        if let Some(old) = previous.take() {
            // SAFETY: puts back the action saved by `start`.
            unsafe { libc::sigaction(libc::SIGINT, &old, std::ptr::null_mut()) };
        }
    }
    had_signal
}

pub fn has_pending() -> bool {
    PENDING.load(Ordering::SeqCst)
}
