//! Node-style errors raised from Rust. System call failures become the same
//! objects Node's libuv layer makes: `ENOENT: no such file or directory, open
//! '/x'` with `errno` (negative), `code`, `syscall`, `path` and `dest`.
//! They are built as engine-neutral [`JsError`]s, so they can be made off
//! the JS thread and thrown or passed to a callback on it.

use std::io;

use lode_engine::{Args, Binding, JsError, OpResult, Scope, Val};

/// The `errors` binding: libuv's names for OS error numbers.
pub fn init(b: &mut Binding<'_, '_>) {
    b.op("uvName", uv_name_op);
}

fn uv_name_op<'s>(_: &Scope<'s>, args: &Args<'s>) -> OpResult<'s> {
    let (code, description) = uv_name(args.i32(0)?.abs());
    Ok(Val::array([code, description]))
}

/// libuv's name and description for an OS error number.
pub fn uv_name(errno: i32) -> (&'static str, &'static str) {
    match errno {
        libc::EPERM => ("EPERM", "operation not permitted"),
        libc::ENOENT => ("ENOENT", "no such file or directory"),
        libc::ESRCH => ("ESRCH", "no such process"),
        libc::EINTR => ("EINTR", "interrupted system call"),
        libc::EIO => ("EIO", "i/o error"),
        libc::EBADF => ("EBADF", "bad file descriptor"),
        libc::EAGAIN => ("EAGAIN", "resource temporarily unavailable"),
        libc::ENOMEM => ("ENOMEM", "not enough memory"),
        libc::EACCES => ("EACCES", "permission denied"),
        libc::EBUSY => ("EBUSY", "resource busy or locked"),
        libc::EEXIST => ("EEXIST", "file already exists"),
        libc::EXDEV => ("EXDEV", "cross-device link not permitted"),
        libc::ENOTDIR => ("ENOTDIR", "not a directory"),
        libc::EISDIR => ("EISDIR", "illegal operation on a directory"),
        libc::EINVAL => ("EINVAL", "invalid argument"),
        libc::EMFILE => ("EMFILE", "too many open files"),
        libc::ENFILE => ("ENFILE", "file table overflow"),
        libc::ENOSPC => ("ENOSPC", "no space left on device"),
        libc::EROFS => ("EROFS", "read-only file system"),
        libc::EPIPE => ("EPIPE", "broken pipe"),
        libc::ENAMETOOLONG => ("ENAMETOOLONG", "name too long"),
        libc::ENOTEMPTY => ("ENOTEMPTY", "directory not empty"),
        libc::ELOOP => ("ELOOP", "too many symbolic links encountered"),
        libc::ENOTSUP => ("ENOTSUP", "operation not supported on socket"),
        libc::EADDRINUSE => ("EADDRINUSE", "address already in use"),
        libc::EADDRNOTAVAIL => ("EADDRNOTAVAIL", "address not available"),
        libc::ECONNABORTED => ("ECONNABORTED", "software caused connection abort"),
        libc::ECONNRESET => ("ECONNRESET", "connection reset by peer"),
        libc::ECONNREFUSED => ("ECONNREFUSED", "connection refused"),
        libc::ETIMEDOUT => ("ETIMEDOUT", "connection timed out"),
        libc::EHOSTUNREACH => ("EHOSTUNREACH", "host is unreachable"),
        libc::ENOTCONN => ("ENOTCONN", "socket is not connected"),
        libc::ETXTBSY => ("ETXTBSY", "text file is busy"),
        libc::EFBIG => ("EFBIG", "file too large"),
        libc::ESPIPE => ("ESPIPE", "invalid seek"),
        libc::ENOSYS => ("ENOSYS", "function not implemented"),
        libc::ENOBUFS => ("ENOBUFS", "no buffer space available"),
        libc::ECHILD => ("ECHILD", "no child processes"),
        libc::E2BIG => ("E2BIG", "argument list too long"),
        libc::ENOEXEC => ("ENOEXEC", "exec format error"),
        libc::ERANGE => ("ERANGE", "result too large"),
        libc::ENETUNREACH => ("ENETUNREACH", "network is unreachable"),
        libc::EAFNOSUPPORT => ("EAFNOSUPPORT", "address family not supported"),
        libc::EALREADY => ("EALREADY", "connection already in progress"),
        libc::EISCONN => ("EISCONN", "socket is already connected"),
        libc::EMSGSIZE => ("EMSGSIZE", "message too long"),
        libc::ECANCELED => ("ECANCELED", "operation canceled"),
        _ => ("UNKNOWN", "unknown error"),
    }
}

/// The error Node raises when `syscall` fails with `err`.
pub fn uv_exception(err: &io::Error, syscall: &str, path: Option<&str>, dest: Option<&str>) -> JsError {
    let errno = err.raw_os_error().unwrap_or(0);
    let (code, description) = uv_name(errno);
    let mut message = format!("{code}: {description}, {syscall}");
    if let Some(path) = path {
        message.push_str(&format!(" '{path}'"));
    }
    if let Some(dest) = dest {
        message.push_str(&format!(" -> '{dest}'"));
    }
    let mut error = JsError::error(message).with("errno", -errno).with("code", code).with("syscall", syscall);
    if let Some(path) = path {
        error = error.with("path", path);
    }
    if let Some(dest) = dest {
        error = error.with("dest", dest);
    }
    error
}

/// The error Node's `errnoException` makes for a bare system call:
/// `kill ESRCH`, with `errno`, `code` and `syscall`.
pub fn errno_error(err: &io::Error, syscall: &str) -> JsError {
    let errno = err.raw_os_error().unwrap_or(0);
    let (code, _) = uv_name(errno);
    JsError::error(format!("{syscall} {code}")).with("errno", -errno).with("code", code).with("syscall", syscall)
}
