//! Node's IPC channel between a parent and a `fork()`ed child: a Unix
//! socket pair carrying one JSON message per line (Node's 'json'
//! serialization). Each end is a loop handle: a reader thread delivers
//! every line to the handle's callback (`null` at end), a writer thread
//! sends what JS queues, completing each send like an async operation. The
//! handle is unref'ed unless JS listens for messages, as in Node.

use std::{
    cell::RefCell,
    collections::HashMap,
    io::{Read, Write},
    os::fd::{FromRawFd, OwnedFd},
    sync::{
        atomic::{AtomicUsize, Ordering},
        mpsc, Arc,
    },
    thread,
};

use lode_engine::{Binding, Local, OpError, Scope, Val};

use crate::{
    event_loop::{self, Deliver, LoopEvent, WriteDone},
    node::errors,
};

/// A line from the peer, or the end of the channel (`None`).
struct Message(Option<String>);

impl Deliver for Message {
    fn deliver<'s>(self: Box<Self>, _: &Scope<'s>) -> Result<Vec<Val<'s>>, OpError<'s>> {
        Ok(vec![Val::or_null(self.0)])
    }
}

struct Channel {
    fd: i32,
    writer: mpsc::Sender<(Vec<u8>, usize)>,
    /// Messages handed to the writer thread and not yet written: while any
    /// are, later ones queue behind them to keep the order.
    queued: Arc<AtomicUsize>,
}

thread_local! {
    static CHANNELS: RefCell<HashMap<usize, Channel>> = RefCell::new(HashMap::new());
}

/// A connected socket pair: (ours, the child's), close-on-exec both.
pub fn socket_pair() -> std::io::Result<(OwnedFd, OwnedFd)> {
    let mut fds = [0; 2];
    // SAFETY: socketpair fills two descriptors we then own.
    if unsafe { libc::socketpair(libc::AF_UNIX, libc::SOCK_STREAM | libc::SOCK_CLOEXEC, 0, fds.as_mut_ptr()) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: both descriptors were just created and are owned here.
    Ok(unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) })
}

/// Opens the channel on `fd` (taken over); returns the handle id.
pub fn open<'s>(scope: &Scope<'s>, fd: OwnedFd, callback: &Local<'s>) -> std::io::Result<usize> {
    let mut reader = std::fs::File::from(fd.try_clone()?);
    let mut writer = std::fs::File::from(fd);
    let raw = std::os::fd::AsRawFd::as_raw_fd(&writer);
    let (queue, pending) = mpsc::channel::<(Vec<u8>, usize)>();
    let queued = Arc::new(AtomicUsize::new(0));
    let writer_queued = queued.clone();
    let id = event_loop::with_state(|state| {
        let id = state.open_handle(scope, callback);
        state.set_handle_ref(id, false);
        let sender = state.sender();
        let events = sender.clone();
        thread::spawn(move || {
            let mut buf = vec![0u8; 64 * 1024];
            let mut partial = Vec::new();
            loop {
                let n = match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => n,
                };
                partial.extend_from_slice(&buf[..n]);
                while let Some(end) = partial.iter().position(|&b| b == b'\n') {
                    let line: Vec<u8> = partial.drain(..=end).collect();
                    let text = String::from_utf8_lossy(&line[..line.len() - 1]).into_owned();
                    if events.send(LoopEvent::HandleEvent { id, event: Box::new(Message(Some(text))) }).is_err() {
                        return;
                    }
                }
            }
            let _ = events.send(LoopEvent::HandleEvent { id, event: Box::new(Message(None)) });
        });
        thread::spawn(move || {
            while let Ok((bytes, op)) = pending.recv() {
                let result = WriteDone(writer.write_all(&bytes));
                writer_queued.fetch_sub(1, Ordering::SeqCst);
                if sender.send(LoopEvent::Completion { id: op, result: Box::new(result) }).is_err() {
                    return;
                }
            }
        });
        id
    });
    CHANNELS.with(|c| c.borrow_mut().insert(id, Channel { fd: raw, writer: queue, queued }));
    Ok(id)
}

pub fn init(b: &mut Binding<'_, '_>) {
    // The child's end, inherited as NODE_CHANNEL_FD.
    b.op("openChannel", |scope, args| {
        let (fd, callback) = (args.i32(0)?, args.function(1)?);
        // SAFETY: the descriptor Node's protocol hands this process; it is
        // owned from here on.
        let fd = unsafe { OwnedFd::from_raw_fd(fd) };
        let id = open(scope, fd, &callback).map_err(|e| errors::uv_exception(&e, "open", None, None))?;
        Ok(id.into())
    })
    .op("channelSend", |scope, args| {
        let (id, line, callback) = (args.number(0)? as usize, args.string(1)?, args.function(2)?);
        let (op, sender) = event_loop::with_state(|state| (state.start_op(scope, &callback), state.sender()));
        let mut bytes = line.into_bytes();
        bytes.push(b'\n');
        let complete = |result: std::io::Result<()>| {
            let _ = sender.send(LoopEvent::Completion { id: op, result: Box::new(WriteDone(result)) });
        };
        CHANNELS.with(|c| {
            let channels = c.borrow();
            let Some(channel) = channels.get(&id) else {
                return complete(Err(std::io::Error::from_raw_os_error(libc::EPIPE)));
            };
            // Written at once when the socket has room (so a message sent
            // just before exit() is not lost), else by the thread.
            let mut written = 0;
            if channel.queued.load(Ordering::SeqCst) == 0 {
                // SAFETY: a non-blocking send(2) from a buffer we own.
                let n = unsafe { libc::send(channel.fd, bytes.as_ptr().cast(), bytes.len(), libc::MSG_DONTWAIT | libc::MSG_NOSIGNAL) };
                if n < 0 {
                    let err = std::io::Error::last_os_error();
                    if err.raw_os_error() != Some(libc::EAGAIN) {
                        return complete(Err(err));
                    }
                } else {
                    written = n as usize;
                }
            }
            if written == bytes.len() {
                return complete(Ok(()));
            }
            channel.queued.fetch_add(1, Ordering::SeqCst);
            if channel.writer.send((bytes[written..].to_vec(), op)).is_err() {
                complete(Err(std::io::Error::from_raw_os_error(libc::EPIPE)));
            }
        });
        Ok(Val::Undefined)
    })
    .op("channelRef", |_, args| {
        let (id, refed) = (args.number(0)? as usize, args.bool(1)?);
        event_loop::with_state(|s| s.set_handle_ref(id, refed));
        Ok(Val::Undefined)
    })
    // Disconnect: the peer reads end-of-channel; our reader ends too.
    .op("channelClose", |_, args| {
        let id = args.number(0)? as usize;
        if let Some(channel) = CHANNELS.with(|c| c.borrow_mut().remove(&id)) {
            // SAFETY: shuts down a socket whose descriptor the writer thread
            // still owns; it closes when that thread ends.
            unsafe { libc::shutdown(channel.fd, libc::SHUT_RDWR) };
        }
        event_loop::with_state(|s| s.close_handle(id));
        Ok(Val::Undefined)
    });
}
