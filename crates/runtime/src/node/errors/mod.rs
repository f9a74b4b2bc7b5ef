//! Node-style errors raised from Rust. System call failures become the same
//! objects Node's libuv layer makes: `ENOENT: no such file or directory, open
//! '/x'` with `errno` (negative), `code`, `syscall`, `path` and `dest`.

use std::io;

use rquickjs::{Constructor, Ctx, Function, Object, Value};

use crate::host;

/// The `errors` binding: libuv's names for OS error numbers.
pub fn init<'js>(ctx: &Ctx<'js>, target: &Object<'js>) -> rquickjs::Result<()> {
    host::set_functions(
        target,
        vec![(
            "uvName",
            Function::new(ctx.clone(), |errno: i32| {
                let (code, description) = uv_name(errno.abs());
                vec![code, description]
            })?,
        )],
    )
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

/// `new Error(message)`, made by the engine's own constructor so `message`
/// is a non-enumerable own property, as on every JS-made error.
fn new_error<'js>(ctx: &Ctx<'js>, message: &str) -> rquickjs::Result<Object<'js>> {
    let constructor: Constructor = ctx.globals().get("Error")?;
    constructor.construct((message,))
}

/// Builds the error Node raises when `syscall` fails with `err`.
pub fn uv_exception<'js>(
    ctx: &Ctx<'js>,
    err: &io::Error,
    syscall: &str,
    path: Option<&str>,
    dest: Option<&str>,
) -> rquickjs::Result<Value<'js>> {
    let errno = err.raw_os_error().unwrap_or(0);
    let (code, description) = uv_name(errno);
    let mut message = format!("{code}: {description}, {syscall}");
    if let Some(path) = path {
        message.push_str(&format!(" '{path}'"));
    }
    if let Some(dest) = dest {
        message.push_str(&format!(" -> '{dest}'"));
    }
    let error = new_error(ctx, &message)?;
    error.set("errno", -errno)?;
    error.set("code", code)?;
    error.set("syscall", syscall)?;
    if let Some(path) = path {
        error.set("path", path)?;
    }
    if let Some(dest) = dest {
        error.set("dest", dest)?;
    }
    Ok(error.into_value())
}

/// The error Node's `errnoException` makes for a bare system call:
/// `kill ESRCH`, with `errno`, `code` and `syscall`.
pub fn errno_error<'js>(ctx: &Ctx<'js>, err: &io::Error, syscall: &str) -> rquickjs::Result<Value<'js>> {
    let errno = err.raw_os_error().unwrap_or(0);
    let (code, _) = uv_name(errno);
    let error = new_error(ctx, &format!("{syscall} {code}"))?;
    error.set("errno", -errno)?;
    error.set("code", code)?;
    error.set("syscall", syscall)?;
    Ok(error.into_value())
}

/// Throws [`errno_error`] from a native function.
pub fn errno_exception<'js>(ctx: &Ctx<'js>, err: &io::Error, syscall: &str) -> rquickjs::Error {
    match errno_error(ctx, err, syscall) {
        Ok(value) => ctx.throw(value),
        Err(e) => e,
    }
}

/// Throws [`uv_exception`] from a native function.
pub fn throw_uv(ctx: &Ctx<'_>, err: &io::Error, syscall: &str, path: Option<&str>) -> rquickjs::Error {
    match uv_exception(ctx, err, syscall, path, None) {
        Ok(value) => ctx.throw(value),
        Err(e) => e,
    }
}
