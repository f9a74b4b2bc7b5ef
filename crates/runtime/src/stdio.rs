//! Process standard output and error as Node writes them: stdout buffered
//! and flushed before the loop blocks, before stderr is written and before
//! exit, so output is never lost or reordered; stderr unbuffered.

use std::{
    cell::RefCell,
    io,
};

/// Above this many buffered bytes, stdout is written out at once.
const FLUSH_AT: usize = 64 * 1024;

thread_local! {
    static STDOUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

pub fn write_stdout(bytes: &[u8]) {
    let full = STDOUT.with(|b| {
        let mut buf = b.borrow_mut();
        buf.extend_from_slice(bytes);
        buf.len() >= FLUSH_AT
    });
    if full {
        flush_stdout();
    }
}

pub fn flush_stdout() {
    STDOUT.with(|b| {
        let mut buf = b.borrow_mut();
        if !buf.is_empty() {
            write_all_fd(1, &buf);
            buf.clear();
        }
    });
}

pub fn write_stderr(bytes: &[u8]) {
    flush_stdout();
    write_all_fd(2, bytes);
}

/// Writes everything to `fd`, retrying on EINTR and waiting out EAGAIN on a
/// non-blocking pipe. A closed reader (EPIPE) drops the output, as Node does
/// when stdout's reader goes away.
pub fn write_all_fd(fd: i32, mut bytes: &[u8]) {
    while !bytes.is_empty() {
        // SAFETY: write(2) on a descriptor we do not own or close.
        let n = unsafe { libc::write(fd, bytes.as_ptr().cast(), bytes.len()) };
        if n >= 0 {
            bytes = &bytes[n as usize..];
            continue;
        }
        match io::Error::last_os_error().raw_os_error() {
            Some(libc::EINTR) => continue,
            Some(libc::EAGAIN) => wait_writable(fd),
            _ => return,
        }
    }
}

fn wait_writable(fd: i32) {
    let mut pfd = libc::pollfd { fd, events: libc::POLLOUT, revents: 0 };
    // SAFETY: poll(2) on one valid pollfd.
    unsafe { libc::poll(&mut pfd, 1, -1) };
}

/// Whether `fd` is a terminal.
pub fn is_tty(fd: i32) -> bool {
    // SAFETY: isatty only inspects the descriptor.
    unsafe { libc::isatty(fd) == 1 }
}

/// Terminal size (columns, rows) of `fd`, if it is a terminal.
pub fn tty_size(fd: i32) -> Option<(u16, u16)> {
    let mut ws: libc::winsize = unsafe { std::mem::zeroed() };
    // SAFETY: TIOCGWINSZ fills `ws` for a terminal and fails otherwise.
    let ok = unsafe { libc::ioctl(fd, libc::TIOCGWINSZ, &mut ws) } == 0;
    (ok && ws.ws_col > 0).then_some((ws.ws_col, ws.ws_row))
}

/// Standard input, read on demand: a thread waits for each request from
/// JS, does one read(2) on fd 0 and sends the chunk to the stdin handle's
/// callback. Reading on a thread of its own (not the blocking pool) lets a
/// read that waits forever on a terminal or pipe coexist with exit: the
/// handle is unref'ed while JS wants no data, so the process can end.
pub mod stdin {
    use std::{cell::RefCell, sync::mpsc};

    use lode_engine::{Local, OpError, Scope, Val};

    use crate::event_loop::{self, Deliver, LoopEvent};

    thread_local! {
        static READER: RefCell<Option<(usize, mpsc::Sender<()>)>> = const { RefCell::new(None) };
    }

    /// One read: bytes, end of input (empty), or an error number.
    struct Chunk(Result<Vec<u8>, i32>);

    impl Deliver for Chunk {
        fn deliver<'s>(self: Box<Self>, _: &Scope<'s>) -> Result<Vec<Val<'s>>, OpError<'s>> {
            Ok(match self.0 {
                Ok(bytes) if bytes.is_empty() => vec![Val::Null, Val::Null],
                Ok(bytes) => vec![Val::Null, Val::Buffer(bytes)],
                Err(errno) => {
                    let err = std::io::Error::from_raw_os_error(errno);
                    vec![crate::node::errors::uv_exception(&err, "read", None, None).into()]
                }
            })
        }
    }

    fn read_once() -> Result<Vec<u8>, i32> {
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            // SAFETY: read(2) into a buffer we own.
            let n = unsafe { libc::read(0, buf.as_mut_ptr().cast(), buf.len()) };
            if n >= 0 {
                buf.truncate(n as usize);
                return Ok(buf);
            }
            match std::io::Error::last_os_error().raw_os_error() {
                Some(libc::EINTR) => continue,
                Some(libc::EAGAIN) => {
                    let mut pfd = libc::pollfd { fd: 0, events: libc::POLLIN, revents: 0 };
                    // SAFETY: poll(2) on one valid pollfd.
                    unsafe { libc::poll(&mut pfd, 1, -1) };
                }
                other => return Err(other.unwrap_or(libc::EIO)),
            }
        }
    }

    /// Opens the stdin handle (unref'ed until a read is requested).
    pub fn start<'s>(scope: &Scope<'s>, callback: &Local<'s>) -> usize {
        if let Some((id, _)) = READER.with(|r| r.borrow().clone()) {
            return id;
        }
        let (requests, waiting) = mpsc::channel::<()>();
        let id = event_loop::with_state(|state| {
            let id = state.open_handle(scope, callback);
            state.set_handle_ref(id, false);
            let sender = state.sender();
            std::thread::spawn(move || {
                while waiting.recv().is_ok() {
                    let chunk = read_once();
                    let done = !matches!(&chunk, Ok(bytes) if !bytes.is_empty());
                    if sender.send(LoopEvent::HandleEvent { id, event: Box::new(Chunk(chunk)) }).is_err() || done {
                        break;
                    }
                }
            });
            id
        });
        READER.with(|r| *r.borrow_mut() = Some((id, requests)));
        id
    }

    /// Asks for the next chunk; the handle holds the loop open until it comes.
    pub fn request() {
        if let Some((id, requests)) = READER.with(|r| r.borrow().clone()) {
            event_loop::with_state(|state| state.set_handle_ref(id, true));
            let _ = requests.send(());
        }
    }

    pub fn set_ref(refed: bool) {
        if let Some((id, _)) = READER.with(|r| r.borrow().clone()) {
            event_loop::with_state(|state| state.set_handle_ref(id, refed));
        }
    }

    /// Puts a terminal on fd 0 into raw mode (no line editing or echo) or
    /// back to the mode it had before.
    pub fn set_raw_mode(raw: bool) -> std::io::Result<()> {
        thread_local! {
            static ORIGINAL: RefCell<Option<libc::termios>> = const { RefCell::new(None) };
        }
        // SAFETY: tcgetattr/tcsetattr on fd 0 with a termios we own.
        unsafe {
            if raw {
                let mut t: libc::termios = std::mem::zeroed();
                if libc::tcgetattr(0, &mut t) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                ORIGINAL.with(|o| {
                    o.borrow_mut().get_or_insert(t);
                });
                libc::cfmakeraw(&mut t);
                t.c_oflag |= libc::OPOST;
                if libc::tcsetattr(0, libc::TCSADRAIN, &t) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
            } else if let Some(t) = ORIGINAL.with(|o| *o.borrow()) {
                if libc::tcsetattr(0, libc::TCSADRAIN, &t) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
            }
        }
        Ok(())
    }
}
