//! Node's event loop, driven from Rust with tokio in libuv's place.
//!
//! One iteration runs Node's phases in order: expired timers, I/O completions
//! (the poll phase, the only place the loop blocks), `setImmediate` callbacks.
//! Timers and immediates are kept in JS (as Node keeps them); this module only
//! knows when the next timer is due and whether anything still holds the loop
//! open. Native work runs on tokio (the blocking pool for files, the reactor
//! for sockets and signals) and comes back as [`LoopEvent`]s; after every
//! callback the JS side drains `process.nextTick` and promise jobs.

use std::{
    cell::{Cell, RefCell},
    time::{Duration, Instant},
};

use lode_engine::{Global, Local, OpError, Scope, Val};
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver, UnboundedSender};

use crate::stdio;

/// Work finished off the JS thread, turned into callback arguments on it.
pub trait Deliver: Send {
    fn deliver<'s>(self: Box<Self>, scope: &Scope<'s>) -> Result<Vec<Val<'s>>, OpError<'s>>;
}

/// A finished write (to a socket, a pipe, a child's stdin): `(null)` or
/// `(err)` for its callback.
pub struct WriteDone(pub std::io::Result<()>);

impl Deliver for WriteDone {
    fn deliver<'s>(self: Box<Self>, _: &Scope<'s>) -> Result<Vec<Val<'s>>, OpError<'s>> {
        Ok(match self.0 {
            Ok(()) => vec![Val::Null],
            // As Node reports a failed stream write: `write EPIPE`.
            Err(e) => vec![crate::node::errors::errno_error(&e, "write").into()],
        })
    }
}

/// Something the loop must hand to JS.
pub enum LoopEvent {
    /// An async operation finished: call callback `id` with what `result` makes.
    Completion { id: usize, result: Box<dyn Deliver> },
    /// A long-lived handle (a file watcher...) produced an event: call its
    /// callback, which stays registered until the handle is closed.
    HandleEvent { id: usize, event: Box<dyn Deliver> },
    /// A watched signal arrived.
    Signal(i32),
}

/// The JS functions the loop calls, provided by `internal/bootstrap`.
pub struct Hooks<'s> {
    pub tick: Local<'s>,
    pub process_timers: Local<'s>,
    pub process_immediates: Local<'s>,
    pub emit_before_exit: Local<'s>,
    pub fatal_exception: Local<'s>,
    pub emit_signal: Local<'s>,
}

/// Threads for file-system work: libuv's default of 4, or
/// `UV_THREADPOOL_SIZE` (1 to 1024) as Node reads it. More threads than
/// that only add context switches: 10,000 concurrent stats take 191 ms
/// with 64 threads, 111 ms with 4, on this machine's 2 cores.
fn thread_pool_size() -> usize {
    std::env::var("UV_THREADPOOL_SIZE").ok().and_then(|v| v.parse().ok()).unwrap_or(4).clamp(1, 1024)
}

/// Loop bookkeeping shared by every native binding on the JS thread.
pub struct LoopState {
    start: Instant,
    /// Loop time in ms since start, cached per iteration as `uv_now` is.
    now_ms: Cell<f64>,
    /// When the earliest JS timer is due (loop ms), if any.
    timer_due: Cell<Option<f64>>,
    /// Whether any ref'ed timer exists.
    timer_ref: Cell<bool>,
    /// Immediates queued, and how many of them are ref'ed.
    immediates_queued: Cell<bool>,
    immediates_ref: Cell<bool>,
    /// Async operations in flight; each holds the loop open until delivered.
    pending_ops: Cell<usize>,
    /// Open handles: whether each is ref'ed (holds the loop open), as
    /// libuv's handles are, and its callback. Ids are never reused, so an
    /// event still in flight from a closed handle cannot reach a new one.
    handles: RefCell<std::collections::HashMap<usize, (bool, Global)>>,
    next_handle: Cell<usize>,
    callbacks: RefCell<Vec<Option<Global>>>,
    free_slots: RefCell<Vec<usize>>,
    sender: UnboundedSender<LoopEvent>,
    receiver: RefCell<UnboundedReceiver<LoopEvent>>,
    pub tokio: tokio::runtime::Runtime,
}

thread_local! {
    static STATE: LoopState = LoopState::new();
}

/// Runs `f` with the loop state of this (the JS) thread.
pub fn with_state<R>(f: impl FnOnce(&LoopState) -> R) -> R {
    STATE.with(f)
}

impl LoopState {
    fn new() -> Self {
        let (sender, receiver) = unbounded_channel();
        let tokio = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .max_blocking_threads(thread_pool_size())
            .build()
            .expect("tokio runtime");
        Self {
            start: Instant::now(),
            now_ms: Cell::new(0.0),
            timer_due: Cell::new(None),
            timer_ref: Cell::new(false),
            immediates_queued: Cell::new(false),
            immediates_ref: Cell::new(false),
            pending_ops: Cell::new(0),
            handles: RefCell::new(std::collections::HashMap::new()),
            next_handle: Cell::new(0),
            callbacks: RefCell::new(Vec::new()),
            free_slots: RefCell::new(Vec::new()),
            sender,
            receiver: RefCell::new(receiver),
            tokio,
        }
    }

    /// Milliseconds since the loop started, read fresh.
    pub fn hrtime_ms(&self) -> f64 {
        self.start.elapsed().as_secs_f64() * 1000.0
    }

    pub fn update_now(&self) {
        self.now_ms.set(self.hrtime_ms().floor());
    }

    pub fn now(&self) -> f64 {
        self.now_ms.get()
    }

    pub fn schedule_timer(&self, due: Option<f64>) {
        self.timer_due.set(due);
    }

    pub fn set_timer_ref(&self, refed: bool) {
        self.timer_ref.set(refed);
    }

    pub fn set_immediates(&self, queued: bool, refed: bool) {
        self.immediates_queued.set(queued);
        self.immediates_ref.set(refed);
    }

    pub fn sender(&self) -> UnboundedSender<LoopEvent> {
        self.sender.clone()
    }

    /// Registers `callback` for an operation about to start; the loop stays
    /// alive until [`LoopEvent::Completion`] with the returned id arrives.
    pub fn start_op<'s>(&self, scope: &Scope<'s>, callback: &Local<'s>) -> usize {
        self.pending_ops.set(self.pending_ops.get() + 1);
        let saved = scope.global(callback);
        let mut callbacks = self.callbacks.borrow_mut();
        match self.free_slots.borrow_mut().pop() {
            Some(id) => {
                callbacks[id] = Some(saved);
                id
            }
            None => {
                callbacks.push(Some(saved));
                callbacks.len() - 1
            }
        }
    }

    /// Opens a handle whose `callback` gets every [`LoopEvent::HandleEvent`]
    /// sent with the returned id until [`LoopState::close_handle`]; it is
    /// ref'ed (holds the loop open) until [`LoopState::set_handle_ref`].
    pub fn open_handle<'s>(&self, scope: &Scope<'s>, callback: &Local<'s>) -> usize {
        let id = self.next_handle.get();
        self.next_handle.set(id + 1);
        self.handles.borrow_mut().insert(id, (true, scope.global(callback)));
        id
    }

    pub fn set_handle_ref(&self, id: usize, refed: bool) {
        if let Some((state, _)) = self.handles.borrow_mut().get_mut(&id) {
            *state = refed;
        }
    }

    /// Closes a handle: its callback is released and later events dropped.
    pub fn close_handle(&self, id: usize) {
        self.handles.borrow_mut().remove(&id);
    }

    fn handle_callback<'s>(&self, scope: &Scope<'s>, id: usize) -> Option<Local<'s>> {
        let saved = self.handles.borrow().get(&id)?.1.clone();
        Some(scope.local(&saved))
    }

    fn finish_op<'s>(&self, scope: &Scope<'s>, id: usize) -> Option<Local<'s>> {
        let saved = self.callbacks.borrow_mut().get_mut(id)?.take()?;
        self.free_slots.borrow_mut().push(id);
        self.pending_ops.set(self.pending_ops.get().saturating_sub(1));
        Some(scope.local(&saved))
    }

    /// Whether anything ref'ed keeps the process running.
    pub fn is_alive(&self) -> bool {
        (self.timer_ref.get() && self.timer_due.get().is_some())
            || (self.immediates_queued.get() && self.immediates_ref.get())
            || self.pending_ops.get() > 0
            || self.handles.borrow().values().any(|(refed, _)| *refed)
    }

    /// How long the poll phase may block: not at all while immediates wait
    /// or once nothing holds the loop, until the next timer otherwise, or
    /// indefinitely for I/O alone.
    fn poll_timeout(&self) -> Option<Duration> {
        if self.immediates_queued.get() || !self.is_alive() {
            return Some(Duration::ZERO);
        }
        self.timer_due.get().map(|due| {
            let wait = (due - self.hrtime_ms()).max(0.0);
            Duration::from_secs_f64(wait.ceil() / 1000.0)
        })
    }
}

/// Spawns `work` on tokio's blocking pool; when it finishes, `callback` is
/// called on the JS thread with the arguments its result delivers.
pub fn spawn_blocking<'s, W, D>(scope: &Scope<'s>, callback: &Local<'s>, work: W)
where
    W: FnOnce() -> D + Send + 'static,
    D: Deliver + 'static,
{
    with_state(|state| {
        let id = state.start_op(scope, callback);
        let sender = state.sender();
        state.tokio.spawn_blocking(move || {
            let result = work();
            // The receiver lives as long as the thread-local loop; a failed
            // send means the process is already exiting.
            let _ = sender.send(LoopEvent::Completion { id, result: Box::new(result) });
        });
    });
}

/// Runs the loop until nothing holds it open and `beforeExit` schedules
/// nothing more.
pub fn run<'s>(scope: &Scope<'s>, hooks: &Hooks<'s>) {
    loop {
        while with_state(LoopState::is_alive) {
            iterate(scope, hooks);
        }
        invoke(scope, hooks, &hooks.emit_before_exit, vec![]);
        if !with_state(LoopState::is_alive) {
            return;
        }
    }
}

fn iterate<'s>(scope: &Scope<'s>, hooks: &Hooks<'s>) {
    with_state(LoopState::update_now);

    // Timers phase.
    let due = with_state(|s| s.timer_due.get().filter(|&due| s.now() >= due).is_some());
    if due {
        let now = with_state(LoopState::now);
        invoke(scope, hooks, &hooks.process_timers, vec![Val::Number(now)]);
    }

    // Poll phase: wait for I/O, but never past the next timer.
    if with_state(|s| {
        s.pending_ops.get() > 0 || !s.handles.borrow().is_empty() || s.timer_due.get().is_some() || s.immediates_queued.get()
    }) {
        stdio::flush_stdout();
        let timeout = with_state(LoopState::poll_timeout);
        for event in poll_events(timeout) {
            dispatch(scope, hooks, event);
        }
    }

    // Check phase.
    if with_state(|s| s.immediates_queued.get()) {
        invoke(scope, hooks, &hooks.process_immediates, vec![]);
    }
}

/// Waits up to `timeout` (forever if `None`) for the first event, then takes
/// every event already queued.
fn poll_events(timeout: Option<Duration>) -> Vec<LoopEvent> {
    with_state(|state| {
        let mut receiver = state.receiver.borrow_mut();
        let mut events = Vec::new();
        let first = match timeout {
            Some(t) if t.is_zero() => receiver.try_recv().ok(),
            Some(t) => state.tokio.block_on(async { tokio::time::timeout(t, receiver.recv()).await.ok().flatten() }),
            None => state.tokio.block_on(receiver.recv()),
        };
        if let Some(event) = first {
            events.push(event);
            while let Ok(event) = receiver.try_recv() {
                events.push(event);
            }
        }
        events
    })
}

fn dispatch<'s>(scope: &Scope<'s>, hooks: &Hooks<'s>, event: LoopEvent) {
    let (callback, deliver) = match event {
        LoopEvent::Completion { id, result } => (with_state(|s| s.finish_op(scope, id)), result),
        LoopEvent::HandleEvent { id, event } => (with_state(|s| s.handle_callback(scope, id)), event),
        LoopEvent::Signal(signo) => return invoke(scope, hooks, &hooks.emit_signal, vec![Val::Int(signo)]),
    };
    let Some(callback) = callback else { return };
    match deliver.deliver(scope) {
        Ok(args) => invoke(scope, hooks, &callback, args),
        Err(error) => fatal(scope, hooks, thrown(scope, error)),
    }
}

/// The JS value an op error throws.
pub fn thrown<'s>(scope: &Scope<'s>, error: OpError<'s>) -> Local<'s> {
    match error {
        OpError::Value(value) => value,
        OpError::Pending => scope.take_exception(),
        OpError::Throw(e) => scope.value(Val::Error(e)).unwrap_or_else(|_| scope.take_exception()),
    }
}

/// Calls a JS callback from the loop, then drains nextTicks and promise jobs,
/// routing anything thrown to `process`'s uncaught-exception handling.
pub fn invoke<'s>(scope: &Scope<'s>, hooks: &Hooks<'s>, f: &Local<'s>, args: Vec<Val<'s>>) {
    if let Err(thrown) = scope.call(f, args) {
        fatal(scope, hooks, thrown);
    }
    drain_ticks(scope, hooks);
}

/// Drains the nextTick queue and promise jobs until both are empty.
pub fn drain_ticks<'s>(scope: &Scope<'s>, hooks: &Hooks<'s>) {
    while let Err(thrown) = scope.call(&hooks.tick, vec![]) {
        fatal(scope, hooks, thrown);
    }
}

/// Hands an uncaught exception to JS; if there is no listener, the JS side
/// prints it and exits. Only if that handling itself throws do we end here.
pub fn fatal<'s>(scope: &Scope<'s>, hooks: &Hooks<'s>, error: Local<'s>) {
    if let Err(again) = scope.call(&hooks.fatal_exception, vec![error.into()]) {
        let stack = if again.is_object() { scope.get(&again, "stack").ok().filter(Local::is_string) } else { None };
        let text = stack
            .or_else(|| again.is_string().then_some(again))
            .and_then(|text| scope.string(&text).ok())
            .unwrap_or_else(|| "uncaught exception in the exception handler".into());
        stdio::write_stderr(format!("{text}\n").as_bytes());
        crate::exit(7);
    }
}
