//! Native side of `node:fs`. Every operation in [`ops`] is exposed once:
//! called without a request callback it runs on the JS thread and returns or
//! throws (the `*Sync` API); called with one, it runs on tokio's blocking
//! pool and the callback gets `(err, value)` from the event loop (callbacks
//! and promises). The module loader's probes live here too.

mod ops;
mod watch;

use std::{
    cell::RefCell,
    collections::HashMap,
    io,
    path::{Path, PathBuf},
};

use lode_engine::{Args, Binding, Global, JsError, Local, OpError, OpResult, Scope, Val};

use crate::{
    event_loop::{self, Deliver},
    node::errors,
};
use ops::{Context, FsError, FsResult, Target};

/// A path argument: a string, or a Buffer of raw path bytes.
fn path_arg<'s>(scope: &Scope<'s>, args: &Args<'s>, i: usize) -> Result<PathBuf, OpError<'s>> {
    let value = args.get(i);
    match scope.with_bytes(&value, <[u8]>::to_vec)? {
        Some(bytes) => Ok(ops::path_from_bytes(bytes)),
        None => Ok(PathBuf::from(scope.string(&value)?)),
    }
}

/// A file position from JS: a number below zero (or null) means "the
/// current offset".
/// Positions past what `off_t` holds are clamped there: the kernel then
/// reports end-of-file or EFBIG rather than EINVAL for a negative offset.
fn position(pos: f64) -> Option<u64> {
    (pos >= 0.0).then_some((pos as u64).min(i64::MAX as u64))
}

/// What an operation hands back to JS, turned into a value on the JS thread.
enum Output {
    Undefined,
    Number(f64),
    Path(PathBuf),
    MaybePath(Option<PathBuf>),
    Bytes(Vec<u8>),
    /// Bytes written (none for whole-file writes), and the copy of the data
    /// that was written: it comes back to be freed on the JS thread, where
    /// it was allocated, so the allocator reuses it.
    Written { count: Option<usize>, _freed_here: Vec<Vec<u8>> },
    Stat(ops::StatFields),
    Numbers(Vec<f64>),
    /// Directory entries: `[names, types]`, names as strings or (raw)
    /// Buffers of the name's bytes.
    Entries { entries: Vec<(Vec<u8>, u8)>, raw: bool },
}

fn done((): ()) -> Output {
    Output::Undefined
}

fn path_text(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

/// Bytes as text, invalid UTF-8 as U+FFFD (without a copy when valid).
fn utf8_lossy(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

impl Output {
    fn into_val<'s>(self, scope: &Scope<'s>) -> OpResult<'s> {
        Ok(match self {
            Output::Undefined | Output::MaybePath(None) | Output::Written { count: None, .. } => Val::Undefined,
            Output::Number(n) => n.into(),
            Output::Path(path) | Output::MaybePath(Some(path)) => path_text(&path).into(),
            Output::Bytes(bytes) => Val::Buffer(bytes),
            Output::Written { count: Some(n), .. } => n.into(),
            Output::Stat(fields) => {
                write_stat_values(scope, &fields)?;
                Val::Undefined
            }
            Output::Numbers(values) => Val::array(values),
            Output::Entries { entries, raw } => {
                let (names, types): (Vec<Val<'s>>, Vec<Val<'s>>) = entries
                    .into_iter()
                    .map(|(name, kind)| (if raw { Val::Buffer(name) } else { utf8_lossy(name).into() }, kind.into()))
                    .unzip();
                Val::array([Val::Array(names), Val::Array(types)])
            }
        })
    }
}

thread_local! {
    /// The Float64Array `internal/fs/utils` reads stat results from, as
    /// Node's binding fills its shared statValues: writing 18 numbers into
    /// it is far cheaper than building an array per call.
    static STAT_VALUES: RefCell<Option<Global>> = const { RefCell::new(None) };
}

fn write_stat_values<'s>(scope: &Scope<'s>, fields: &ops::StatFields) -> Result<(), OpError<'s>> {
    let values = STAT_VALUES.with(|s| s.borrow().as_ref().map(|saved| scope.local(saved)));
    let values = values.ok_or_else(|| JsError::error("fs stat values are not set up"))?;
    // The length is checked by zip.
    let written = scope.with_f64s_mut(&values, |dest| dest.iter_mut().zip(fields).for_each(|(slot, value)| *slot = *value));
    written.ok_or_else(|| JsError::error("fs stat values are detached").into())
}

/// The error Node raises for a failed operation.
fn fs_error(e: &FsError) -> JsError {
    let path = e.path.as_deref().map(path_text);
    let dest = e.dest.as_deref().map(path_text);
    let error = errors::uv_exception(&e.err, e.syscall, path.as_deref(), dest.as_deref());
    match e.size {
        Some(size) => error.with("size", size as f64),
        None => error,
    }
}

/// A finished operation on its way to its callback.
struct Done(FsResult<Output>);

impl Deliver for Done {
    fn deliver<'s>(self: Box<Self>, scope: &Scope<'s>) -> Result<Vec<Val<'s>>, OpError<'s>> {
        Ok(match self.0 {
            // Node calls back `(null)` for operations without a result.
            Ok(Output::Undefined | Output::Written { count: None, .. }) => vec![Val::Null],
            Ok(out) => vec![Val::Null, out.into_val(scope)?],
            Err(e) => vec![fs_error(&e).into()],
        })
    }
}

/// Runs `op` now (argument `req` is no function: return or throw) or on
/// the blocking pool (`req` is a function: it gets `(err, value)` later).
fn run<'s, F>(scope: &Scope<'s>, args: &Args<'s>, req: usize, op: F) -> OpResult<'s>
where
    F: FnOnce() -> FsResult<Output> + Send + 'static,
{
    match args.opt_function(req) {
        Some(callback) => {
            event_loop::spawn_blocking(scope, &callback, move || Done(op()));
            Ok(Val::Undefined)
        }
        None => op().map_err(|e| fs_error(&e))?.into_val(scope),
    }
}

/// A `readFile`/`writeFile` target: a path, or a descriptor number.
fn target<'s>(scope: &Scope<'s>, args: &Args<'s>, i: usize) -> Result<Target, OpError<'s>> {
    match args.get(i).as_i32() {
        Some(fd) => Ok(Target::Fd(fd)),
        None => path_arg(scope, args, i).map(Target::Path),
    }
}

/// The bytes of a string or Uint8Array, copied so the work can leave the
/// JS thread.
fn owned_bytes<'s>(scope: &Scope<'s>, data: &Local<'s>) -> Result<Vec<u8>, OpError<'s>> {
    scope.with_bytes(data, <[u8]>::to_vec)?.ok_or_else(|| JsError::type_error("data must be a string or a Uint8Array").into())
}

/// 0 for a file, 1 for a directory, -1 when missing (Node's internalModuleStat).
fn stat_kind(path: &str) -> i32 {
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => 1,
        Ok(_) => 0,
        Err(_) => -1,
    }
}

thread_local! {
    /// Real paths of directories the module loader has looked in.
    static DIR_REALPATHS: RefCell<HashMap<PathBuf, PathBuf>> = RefCell::new(HashMap::new());
}

/// The real path of a module file, for the loader: the directory's real path
/// is cached, so each file costs one lstat instead of a readlink per path
/// component. Falls back to the path itself if it cannot be resolved.
fn module_realpath(path: &Path) -> String {
    let resolved = (|| -> io::Result<PathBuf> {
        let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else { return std::fs::canonicalize(path) };
        if std::fs::symlink_metadata(path)?.file_type().is_symlink() {
            return std::fs::canonicalize(path);
        }
        let cached = DIR_REALPATHS.with(|c| c.borrow().get(dir).cloned());
        let real_dir = match cached {
            Some(real) => real,
            None => {
                let real = std::fs::canonicalize(dir)?;
                DIR_REALPATHS.with(|c| c.borrow_mut().insert(dir.to_path_buf(), real.clone()));
                real
            }
        };
        Ok(real_dir.join(name))
    })();
    resolved.unwrap_or_else(|_| path.to_path_buf()).to_string_lossy().into_owned()
}

pub fn init(b: &mut Binding<'_, '_>) {
    // Each op reads its arguments on the JS thread (where reading may
    // throw) and hands `run` the closure that does the I/O, now or on the
    // blocking pool, depending on the `req` argument after them.
    b.op("setStatValues", |scope, args| {
        let saved = scope.global(&args.object(0)?);
        STAT_VALUES.with(|s| *s.borrow_mut() = Some(saved));
        Ok(Val::Undefined)
    })
    // The module loader's probes.
    .op("statKind", |_, args| Ok(stat_kind(&args.string(0)?).into()))
    .op("moduleRealpath", |_, args| Ok(module_realpath(Path::new(&args.string(0)?)).into()))
    .op("readText", |_, args| {
        let path = args.string(0)?;
        let bytes = std::fs::read(&path).map_err(|e| errors::uv_exception(&e, "open", Some(&path), None))?;
        Ok(utf8_lossy(bytes).into())
    })
    // Descriptors.
    .op("open", |scope, args| {
        let (p, flags, mode) = (path_arg(scope, args, 0)?, args.i32(1)?, args.u32(2)?);
        run(scope, args, 3, move || ops::open(&p, flags, mode).map(|fd| Output::Number(fd.into())))
    })
    .op("close", |scope, args| {
        let fd = args.i32(0)?;
        run(scope, args, 1, move || ops::close(fd).map(done))
    })
    // Buffers are allocated (and freed) on the JS thread: memory the
    // allocator hands back for the next chunk, not fresh pages to fault in
    // on the pool thread.
    .op("read", |scope, args| {
        let (fd, length, pos) = (args.i32(0)?, args.number(1)?, args.number(2)?);
        let buf = vec![0u8; length.max(0.0) as usize];
        run(scope, args, 3, move || ops::read(fd, buf, position(pos)).map(Output::Bytes))
    })
    .op("readInto", |scope, args| {
        let (fd, dest, offset, length, pos) = (args.i32(0)?, args.get(1), args.number(2)?, args.number(3)?, args.number(4)?);
        // fs.js always passes a Uint8Array; a detached one reads nothing.
        let read = scope.with_bytes_mut(&dest, |buf| {
            let start = (offset.max(0.0) as usize).min(buf.len());
            let end = (start + length.max(0.0) as usize).min(buf.len());
            ops::read_into(fd, &mut buf[start..end], position(pos))
        });
        Ok(read.unwrap_or(Ok(0)).map_err(|e| fs_error(&e))?.into())
    })
    .op("write", |scope, args| {
        let (fd, data, pos) = (args.i32(0)?, args.get(1), position(args.number(2)?));
        match args.opt_function(3) {
            Some(callback) => {
                let bytes = owned_bytes(scope, &data)?;
                event_loop::spawn_blocking(scope, &callback, move || {
                    let written = ops::write(fd, &bytes, pos);
                    Done(written.map(|n| Output::Written { count: Some(n), _freed_here: vec![bytes] }))
                });
                Ok(Val::Undefined)
            }
            // Sync writes go straight from the JS buffer, uncopied.
            None => {
                let written = scope.with_bytes(&data, |bytes| ops::write(fd, bytes, pos))?.unwrap_or(Ok(0));
                Ok(written.map_err(|e| fs_error(&e))?.into())
            }
        }
    })
    // Each chunk is copied on its own (no concatenation into one large,
    // freshly mapped allocation) and written with writev(2).
    .op("writev", |scope, args| {
        let (fd, chunks, pos) = (args.i32(0)?, args.object(1)?, args.number(2)?);
        let data = scope.elements(&chunks)?.iter().map(|chunk| owned_bytes(scope, chunk)).collect::<Result<Vec<_>, _>>()?;
        run(scope, args, 3, move || {
            let written = ops::writev_all(fd, &data, position(pos));
            written.map(|n| Output::Written { count: Some(n), _freed_here: data })
        })
    })
    .op("fstat", |scope, args| {
        let fd = args.i32(0)?;
        run(scope, args, 1, move || ops::fstat(fd).map(Output::Stat))
    })
    .op("ftruncate", |scope, args| {
        let (fd, len) = (args.i32(0)?, args.number(1)?);
        run(scope, args, 2, move || ops::ftruncate(fd, len.max(0.0) as u64).map(done))
    })
    .op("fsync", |scope, args| {
        let (fd, data_only) = (args.i32(0)?, args.bool(1)?);
        run(scope, args, 2, move || ops::fsync(fd, data_only).map(done))
    })
    .op("fchmod", |scope, args| {
        let (fd, mode) = (args.i32(0)?, args.u32(1)?);
        run(scope, args, 2, move || ops::fchmod(fd, mode).map(done))
    })
    .op("fchown", |scope, args| {
        let (fd, uid, gid) = (args.i32(0)?, args.u32(1)?, args.u32(2)?);
        run(scope, args, 3, move || ops::fchown(fd, uid, gid).map(done))
    })
    .op("futimes", |scope, args| {
        let (fd, atime, mtime) = (args.i32(0)?, args.number(1)?, args.number(2)?);
        run(scope, args, 3, move || ops::futimes(fd, atime, mtime).map(done))
    })
    // Whole files.
    .op("readFile", |scope, args| {
        let (t, flags) = (target(scope, args, 0)?, args.i32(1)?);
        run(scope, args, 2, move || ops::read_file(&t, flags).map(Output::Bytes))
    })
    .op("writeFile", |scope, args| {
        let (t, data, flags, mode) = (target(scope, args, 0)?, args.get(1), args.i32(2)?, args.u32(3)?);
        match args.opt_function(4) {
            // Async: the data is copied, as JS may change it meanwhile
            // (fs.js sends large data in chunks instead).
            Some(callback) => {
                let data = owned_bytes(scope, &data)?;
                event_loop::spawn_blocking(scope, &callback, move || {
                    let written = ops::write_file(&t, &data, flags, mode);
                    Done(written.map(|()| Output::Written { count: None, _freed_here: vec![data] }))
                });
                Ok(Val::Undefined)
            }
            // Sync: straight from the JS memory, uncopied.
            None => {
                let written = scope.with_bytes(&data, |bytes| ops::write_file(&t, bytes, flags, mode))?;
                written.unwrap_or(Ok(())).map_err(|e| fs_error(&e))?;
                Ok(Val::Undefined)
            }
        }
    })
    .op("copyFile", |scope, args| {
        let (src, dest, mode) = (path_arg(scope, args, 0)?, path_arg(scope, args, 1)?, args.u32(2)?);
        run(scope, args, 3, move || ops::copy_file(&src, &dest, mode).map(done))
    })
    .op("truncate", |scope, args| {
        let (p, len) = (path_arg(scope, args, 0)?, args.number(1)?);
        run(scope, args, 2, move || ops::truncate(&p, len.max(0.0) as u64).map(done))
    })
    // Metadata.
    .op("stat", |scope, args| {
        let p = path_arg(scope, args, 0)?;
        run(scope, args, 1, move || ops::stat(&p).map(Output::Stat))
    })
    .op("lstat", |scope, args| {
        let p = path_arg(scope, args, 0)?;
        run(scope, args, 1, move || ops::lstat(&p).map(Output::Stat))
    })
    .op("statfs", |scope, args| {
        let p = path_arg(scope, args, 0)?;
        run(scope, args, 1, move || ops::statfs(&p).map(|f| Output::Numbers(f.to_vec())))
    })
    .op("access", |scope, args| {
        let (p, mode) = (path_arg(scope, args, 0)?, args.i32(1)?);
        run(scope, args, 2, move || ops::access(&p, mode).map(done))
    })
    .op("chmod", |scope, args| {
        let (p, mode) = (path_arg(scope, args, 0)?, args.u32(1)?);
        run(scope, args, 2, move || ops::chmod(&p, mode).map(done))
    })
    .op("chown", |scope, args| {
        let (p, uid, gid, follow) = (path_arg(scope, args, 0)?, args.u32(1)?, args.u32(2)?, args.bool(3)?);
        run(scope, args, 4, move || ops::chown(&p, uid, gid, follow).map(done))
    })
    .op("utimes", |scope, args| {
        let (p, atime, mtime, follow) = (path_arg(scope, args, 0)?, args.number(1)?, args.number(2)?, args.bool(3)?);
        run(scope, args, 4, move || ops::utimes(&p, atime, mtime, follow).map(done))
    })
    // Names and directories.
    .op("rename", |scope, args| {
        let (from, to) = (path_arg(scope, args, 0)?, path_arg(scope, args, 1)?);
        run(scope, args, 2, move || std::fs::rename(&from, &to).at2("rename", &from, &to).map(done))
    })
    .op("link", |scope, args| {
        let (from, to) = (path_arg(scope, args, 0)?, path_arg(scope, args, 1)?);
        run(scope, args, 2, move || std::fs::hard_link(&from, &to).at2("link", &from, &to).map(done))
    })
    .op("symlink", |scope, args| {
        let (t, p) = (path_arg(scope, args, 0)?, path_arg(scope, args, 1)?);
        run(scope, args, 2, move || ops::symlink(&t, &p).map(done))
    })
    .op("readlink", |scope, args| {
        let p = path_arg(scope, args, 0)?;
        run(scope, args, 1, move || ops::readlink(&p).map(Output::Path))
    })
    .op("realpath", |scope, args| {
        let (p, native) = (path_arg(scope, args, 0)?, args.bool(1)?);
        run(scope, args, 2, move || ops::realpath(&p, !native).map(Output::Path))
    })
    .op("unlink", |scope, args| {
        let p = path_arg(scope, args, 0)?;
        run(scope, args, 1, move || std::fs::remove_file(&p).at("unlink", &p).map(done))
    })
    .op("rmdir", |scope, args| {
        let p = path_arg(scope, args, 0)?;
        run(scope, args, 1, move || std::fs::remove_dir(&p).at("rmdir", &p).map(done))
    })
    .op("rm", |scope, args| {
        let p = path_arg(scope, args, 0)?;
        let (recursive, force, retries, delay) = (args.bool(1)?, args.bool(2)?, args.u32(3)?, args.number(4)?);
        run(scope, args, 5, move || ops::rm(&p, recursive, force, retries, delay.max(0.0) as u64).map(done))
    })
    .op("mkdir", |scope, args| {
        let (p, recursive, mode) = (path_arg(scope, args, 0)?, args.bool(1)?, args.u32(2)?);
        run(scope, args, 3, move || ops::mkdir(&p, recursive, mode).map(Output::MaybePath))
    })
    .op("mkdtemp", |scope, args| {
        let prefix = path_arg(scope, args, 0)?;
        run(scope, args, 1, move || ops::mkdtemp(&prefix).map(Output::Path))
    })
    // Watchers (handles: events until closed).
    .op("watch", |scope, args| {
        let (p, recursive, callback) = (path_arg(scope, args, 0)?, args.bool(1)?, args.function(2)?);
        Ok(watch::watch(scope, p, recursive, &callback).map_err(|e| fs_error(&e))?.into())
    })
    .op("unwatch", |_, args| {
        watch::unwatch(args.usize(0)?);
        Ok(Val::Undefined)
    })
    .op("refWatch", |_, args| {
        watch::set_ref(args.usize(0)?, args.bool(1)?);
        Ok(Val::Undefined)
    })
    .op("readdir", |scope, args| {
        let (p, raw) = (path_arg(scope, args, 0)?, args.bool(1)?);
        run(scope, args, 2, move || ops::read_dir(&p).map(|entries| Output::Entries { entries, raw }))
    });
}
