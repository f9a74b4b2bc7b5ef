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
