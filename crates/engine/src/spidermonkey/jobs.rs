//! Promise jobs and rejection tracking. SpiderMonkey keeps promise jobs in
//! its own per-context queue; the host installs a job queue whose hooks do
//! nothing and drains the queue itself, at Node's microtask checkpoints.

use std::{cell::Cell, ffi::c_void, ptr};

use mozjs::{
    glue::{CreateJobQueue, JobQueueTraps},
    jsapi as sm,
    jsval::{ObjectValue, UndefinedValue},
    rooted,
};

use super::{root, Local, Scope};
use crate::OpError;

type RejectionHandler = for<'s> fn(&Scope<'s>, Local<'s>, Local<'s>, bool);

thread_local! {
    static ON_REJECTION: Cell<Option<RejectionHandler>> = const { Cell::new(None) };
}

unsafe extern "C" fn host_defined_data(_cx: *mut sm::JSContext, incumbent: sm::MutableHandleObject, data: sm::MutableHandleObject) -> bool {
    incumbent.set(ptr::null_mut());
    data.set(ptr::null_mut());
    true
}

unsafe extern "C" fn host_defined_global(_cx: *mut sm::JSContext, data: sm::MutableHandleObject) -> bool {
    data.set(ptr::null_mut());
    true
}

/// Only the debugger machinery asks the queue to run; Lode drains it at its
/// own checkpoints instead.
unsafe extern "C" fn run_jobs(_cx: *mut sm::JSContext) {}

unsafe extern "C" fn trace_host_task(_trc: *mut sm::JSTracer, _task: *mut sm::Value) {}

static TRAPS: JobQueueTraps = JobQueueTraps {
    getHostDefinedData: Some(host_defined_data),
    getHostDefinedGlobal: Some(host_defined_global),
    runJobs: Some(run_jobs),
    traceNonGCThingMicroTask: Some(trace_host_task),
};

/// Installs the host job queue (before self-hosted code starts).
pub(crate) unsafe fn install_job_queue(cx: *mut sm::JSContext) {
    let queue = CreateJobQueue(&TRAPS);
    sm::SetJobQueue(cx, queue as *mut sm::JobQueue);
}

/// Routes the engine's rejection events to `handler`.
pub(crate) unsafe fn set_rejection_handler(cx: *mut sm::JSContext, handler: RejectionHandler) {
    ON_REJECTION.with(|h| h.set(Some(handler)));
    sm::SetPromiseRejectionTrackerCallback(cx, Some(rejection_tracker), ptr::null_mut());
}

/// `Unhandled` fires at a rejection with no handler; `Handled` when a
/// handler comes later.
unsafe extern "C" fn rejection_tracker(
    cx: *mut sm::JSContext,
    _muted_errors: bool,
    promise: sm::HandleObject,
    state: sm::PromiseRejectionHandlingState,
    _data: *mut c_void,
) {
    let Some(handler) = ON_REJECTION.with(Cell::get) else { return };
    root::with_frame(cx, |frame| {
        let scope = Scope { cx, frame };
        rooted!(in(cx) let mut reason = UndefinedValue());
        mozjs::glue::JS_GetPromiseResult(promise, reason.handle_mut().into());
        let promise = scope.root(ObjectValue(promise.get()));
        let reason = scope.root(reason.get());
        handler(&scope, promise, reason, state == sm::PromiseRejectionHandlingState::Handled);
    });
}

impl<'s> Scope<'s> {
    /// Runs every queued promise job. A job that throws stops the run and
    /// its exception is left pending, so the caller can treat it as
    /// uncaught.
    pub fn run_microtasks(&self) -> Result<(), OpError<'s>> {
        let cx = self.cx;
        // SAFETY: each job sits in a rooted temporary while it runs, in its
        // own realm (entered and left around it).
        unsafe {
            loop {
                rooted!(in(cx) let mut task = UndefinedValue());
                mozjs::glue::JS_DequeueNextMicroTask(cx, task.handle_mut().into());
                if task.get().is_null_or_undefined() {
                    break;
                }
                if !sm::IsJSMicroTask(task.as_ptr()) {
                    // Lode queues no host tasks of its own.
                    continue;
                }
                rooted!(in(cx) let job = sm::ToUnwrappedJSMicroTask(task.as_ptr()));
                let global = sm::GetExecutionGlobalFromJSMicroTask(job.get());
                if global.is_null() {
                    // Its realm is gone.
                    continue;
                }
                let _realm = sm::JSAutoRealm::new(cx, global);
                if !sm::RunJSMicroTask(cx, job.handle().into()) {
                    return Err(OpError::Pending);
                }
            }
            // The end of a checkpoint: WeakRef targets may now go.
            sm::ClearKeptObjects(cx);
        }
        Ok(())
    }
}
