//! `child_process.spawn`: a child running beside the event loop. Its
//! stdout and stderr are read by a thread each, its exit is awaited by
//! another, and everything arrives as events on one loop handle, which
//! holds the process open until the child has exited and both pipes have
//! closed (or JS unrefs it). Writes to its stdin go to a writer thread and
//! complete like any async operation.

use std::{
    cell::RefCell,
    collections::HashMap,
    io::{Read, Write},
    os::unix::process::ExitStatusExt,
    sync::mpsc,
    thread,
};

use std::os::unix::process::CommandExt;

use lode_engine::{Args, Binding, OpError, OpResult, Scope, Val};

use super::{command, ipc, read_request, wrong, Options, StdioMode};
use crate::{
    event_loop::{self, Deliver, LoopEvent, WriteDone},
    node::errors,
    stdio,
};

/// Something the child did.
enum ChildEvent {
    /// A chunk from stdout (fd 1) or stderr (fd 2); `None` at end of stream.
    Output { fd: i32, chunk: Option<Vec<u8>> },
    Exit { code: Option<i32>, signal: Option<i32> },
}

impl Deliver for ChildEvent {
    fn deliver<'s>(self: Box<Self>, _: &Scope<'s>) -> Result<Vec<Val<'s>>, OpError<'s>> {
        Ok(match *self {
            ChildEvent::Output { fd, chunk } => vec![Val::Str("output"), fd.into(), Val::or_null(chunk.map(Val::Buffer))],
            ChildEvent::Exit { code, signal } => vec![Val::Str("exit"), Val::or_null(code), Val::or_null(signal)],
        })
    }
}

enum StdinMessage {
    Write { bytes: Vec<u8>, op: usize },
    End,
}

thread_local! {
    /// The stdin writer of each running child, by handle id.
    static STDIN: RefCell<HashMap<usize, mpsc::Sender<StdinMessage>>> = RefCell::new(HashMap::new());
}

/// How many of a child's output pipes are still being read; the exit
/// waiter waits (briefly) for them, so what the child wrote before exiting
/// arrives before 'exit', as it does in Node.
type OpenReaders = std::sync::Arc<(std::sync::Mutex<usize>, std::sync::Condvar)>;

fn read_pipe(mut pipe: impl Read + Send + 'static, fd: i32, id: usize, sender: tokio::sync::mpsc::UnboundedSender<LoopEvent>, open: OpenReaders) {
    *open.0.lock().unwrap() += 1;
    thread::spawn(move || {
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let chunk = match pipe.read(&mut buf) {
                Ok(0) | Err(_) => None,
                Ok(n) => Some(buf[..n].to_vec()),
            };
            let done = chunk.is_none();
            let sent = sender.send(LoopEvent::HandleEvent { id, event: Box::new(ChildEvent::Output { fd, chunk }) });
            if sent.is_err() || done {
                *open.0.lock().unwrap() -= 1;
                open.1.notify_all();
                return;
            }
        }
    });
}

/// Starts the child; returns `[pid, handle, channel]` (channel -1 without
/// IPC), or `[-errno]` for a failed spawn (the JS side reports it as Node
/// does, on the next tick).
fn spawn<'s>(scope: &Scope<'s>, args: &Args<'s>) -> OpResult<'s> {
    let options = Options { scope, object: args.object(0)? };
    let callback = args.function(1)?;
    let request = read_request(&options)?;
    let mut command = command(&request);
    command.stdin(request.stdio[0].stdio()).stdout(request.stdio[1].stdio()).stderr(request.stdio[2].stdio());
    // fork(): the child's end of an IPC socket pair becomes its fd 3, named
    // in NODE_CHANNEL_FD as Node's protocol has it.
    let ipc = if options.bool("ipc")?.unwrap_or(false) {
        let (ours, theirs) = ipc::socket_pair().map_err(|e| errors::uv_exception(&e, "socketpair", None, None))?;
        let child_fd = std::os::fd::AsRawFd::as_raw_fd(&theirs);
        command.env("NODE_CHANNEL_FD", "3").env("NODE_CHANNEL_SERIALIZATION_MODE", "json");
        // SAFETY: dup2/fcntl are async-signal-safe; this runs in the forked
        // child before exec.
        unsafe {
            command.pre_exec(move || {
                if child_fd == 3 {
                    libc::fcntl(3, libc::F_SETFD, 0);
                } else if libc::dup2(child_fd, 3) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        Some((ours, theirs))
    } else {
        None
    };
    // stdio entries past 2 that name one of our descriptors (a number, a
    // server's handle): the child gets it at that position.
    let extra = options.get("extraFds")?;
    let extra = if extra.is_nullish() { Vec::new() } else { options.scope.elements(&extra)? };
    if !extra.is_empty() {
        let mut pairs: Vec<(i32, i32)> = Vec::new();
        for pair in &extra {
            let fds = options.scope.elements(pair)?;
            let fds = fds.iter().map(|fd| fd.as_number().map(|n| n as i32).ok_or_else(|| wrong("extraFds", "descriptor pairs")));
            if let [target, source, ..] = fds.collect::<Result<Vec<_>, _>>()?[..] {
                pairs.push((target, source));
            }
        }
        // SAFETY: dup2/fcntl are async-signal-safe; this runs in the forked
        // child before exec.
        unsafe {
            command.pre_exec(move || {
                for &(target, source) in &pairs {
                    if target == source {
                        libc::fcntl(target, libc::F_SETFD, 0);
                    } else if libc::dup2(source, target) < 0 {
                        return Err(std::io::Error::last_os_error());
                    }
                }
                Ok(())
            });
        }
    }
    // What we printed so far comes before what an inheriting child prints.
    if request.stdio.contains(&StdioMode::Inherit) {
        stdio::flush_stdout();
    }
    let mut child = match command.spawn() {
        Ok(child) => child,
        Err(e) => return Ok(Val::array([-e.raw_os_error().unwrap_or(libc::EINVAL)])),
    };
    let pid = child.id();
    let channel = match ipc {
        Some((ours, _theirs)) => {
            let on_message = options.get("onMessage")?;
            if !on_message.is_function() {
                return Err(wrong("onMessage", "a function"));
            }
            ipc::open(scope, ours, &on_message).map_err(|e| errors::uv_exception(&e, "open", None, None))? as i64
        }
        None => -1,
    };
    event_loop::with_state(|state| {
        let id = state.open_handle(scope, &callback);
        let sender = state.sender();
        let open_readers = OpenReaders::default();
        if let Some(pipe) = child.stdout.take() {
            read_pipe(pipe, 1, id, sender.clone(), open_readers.clone());
        }
        if let Some(pipe) = child.stderr.take() {
            read_pipe(pipe, 2, id, sender.clone(), open_readers.clone());
        }
        if let Some(mut stdin) = child.stdin.take() {
            let (tx, rx) = mpsc::channel();
            STDIN.with(|s| s.borrow_mut().insert(id, tx));
            let sender = sender.clone();
            thread::spawn(move || {
                while let Ok(StdinMessage::Write { bytes, op }) = rx.recv() {
                    let result = WriteDone(stdin.write_all(&bytes));
                    if sender.send(LoopEvent::Completion { id: op, result: Box::new(result) }).is_err() {
                        return;
                    }
                }
                // End (or every sender gone): dropping stdin closes the pipe.
            });
        }
        thread::spawn(move || {
            let status = child.wait().ok();
            // A grandchild may hold the pipes open: wait for them to end
            // for a moment only.
            let (count, ended) = &*open_readers;
            let open = count.lock().unwrap();
            let _ = ended.wait_timeout_while(open, std::time::Duration::from_millis(100), |n| *n > 0);
            let event = ChildEvent::Exit {
                code: status.and_then(|s| s.code()),
                signal: status.and_then(|s| s.signal()),
            };
            let _ = sender.send(LoopEvent::HandleEvent { id, event: Box::new(event) });
        });
        Ok(Val::array([i64::from(pid), id as i64, channel]))
    })
}

pub fn init(b: &mut Binding<'_, '_>) {
    b.op("spawn", spawn)
        .op("writeStdin", |scope, args| {
            let id = args.number(0)? as usize;
            let bytes = scope.with_bytes(&args.get(1), <[u8]>::to_vec)?.unwrap_or_default();
            let callback = args.function(2)?;
            let writer = STDIN.with(|s| s.borrow().get(&id).cloned());
            let op = event_loop::with_state(|state| state.start_op(scope, &callback));
            let sent = writer.map(|w| w.send(StdinMessage::Write { bytes, op }).is_ok()).unwrap_or(false);
            if !sent {
                // The writer is gone (stdin ended): fail the write as EPIPE.
                let sender = event_loop::with_state(|state| state.sender());
                let result = WriteDone(Err(std::io::Error::from_raw_os_error(libc::EPIPE)));
                let _ = sender.send(LoopEvent::Completion { id: op, result: Box::new(result) });
            }
            Ok(Val::Undefined)
        })
        .op("endStdin", |_, args| {
            let id = args.number(0)? as usize;
            if let Some(writer) = STDIN.with(|s| s.borrow_mut().remove(&id)) {
                let _ = writer.send(StdinMessage::End);
            }
            Ok(Val::Undefined)
        })
        .op("kill", |_, args| {
            let (pid, signal) = (args.i32(0)?, args.i32(1)?);
            // SAFETY: kill(2) on the pid of a child we spawned.
            let result = if unsafe { libc::kill(pid, signal) } == 0 { 0 } else { -std::io::Error::last_os_error().raw_os_error().unwrap_or(0) };
            Ok(result.into())
        })
        .op("refChild", |_, args| {
            let (id, refed) = (args.number(0)? as usize, args.bool(1)?);
            event_loop::with_state(|s| s.set_handle_ref(id, refed));
            Ok(Val::Undefined)
        })
        .op("closeChild", |_, args| {
            let id = args.number(0)? as usize;
            STDIN.with(|s| s.borrow_mut().remove(&id));
            event_loop::with_state(|s| s.close_handle(id));
            Ok(Val::Undefined)
        });
}
