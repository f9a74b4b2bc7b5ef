//! Native side of `node:fs`. Every operation in [`ops`] is exposed once:
//! called without a request callback it runs on the JS thread and returns or
//! throws (the `*Sync` API); called with one, it runs on tokio's blocking
//! pool and the callback gets `(err, value)` from the event loop (callbacks
//! and promises). The module loader's probes live here too.

mod ops;
mod watch;

use std::{
    io,
    path::{Path, PathBuf},
};

use rquickjs::{function::Opt, Array, Ctx, FromJs, Function, Object, Value};

use crate::{
    event_loop::{self, Deliver},
    host::{self, JsText},
    node::{buffer, errors},
};
use ops::{Context, FsError, FsResult, Target};

/// A path argument: a string, or a Buffer of raw path bytes.
struct FsPath(PathBuf);

impl<'js> FromJs<'js> for FsPath {
    fn from_js(ctx: &Ctx<'js>, value: Value<'js>) -> rquickjs::Result<Self> {
        if let Some(bytes) = host::with_bytes(&value, <[u8]>::to_vec)? {
            return Ok(FsPath(ops::path_from_bytes(bytes)));
        }
        Ok(FsPath(PathBuf::from(host::js_text(ctx, &value)?)))
    }
}

/// A file position from JS: a number below zero (or null) means "the
/// current offset".
/// Positions past what `off_t` holds are clamped there: the kernel then
/// reports end-of-file or EFBIG rather than EINVAL for a negative offset.
fn position(pos: f64) -> Option<u64> {
    (pos >= 0.0).then_some((pos as u64).min(i64::MAX as u64))
}

/// What an operation hands back to JS, built on the JS thread.
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

fn path_text(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

impl Output {
    fn into_js<'js>(self, ctx: &Ctx<'js>) -> rquickjs::Result<Value<'js>> {
        let numbers = |values: &[f64]| -> rquickjs::Result<Value<'js>> {
            let array = Array::new(ctx.clone())?;
            for (i, v) in values.iter().enumerate() {
                array.set(i, *v)?;
            }
            Ok(array.into_value())
        };
        let text = |path: &Path| rquickjs::String::from_str(ctx.clone(), &path_text(path)).map(|s| s.into_value());
        match self {
            Output::Undefined => Ok(Value::new_undefined(ctx.clone())),
            Output::Number(n) => Ok(Value::new_number(ctx.clone(), n)),
            Output::Path(path) => text(&path),
            Output::MaybePath(None) => Ok(Value::new_undefined(ctx.clone())),
            Output::MaybePath(Some(path)) => text(&path),
            Output::Bytes(bytes) => buffer::new_buffer(ctx, bytes),
            Output::Written { count: Some(n), .. } => Ok(Value::new_number(ctx.clone(), n as f64)),
            Output::Written { count: None, .. } => Ok(Value::new_undefined(ctx.clone())),
            Output::Stat(fields) => {
                write_stat_values(ctx, &fields)?;
                Ok(Value::new_undefined(ctx.clone()))
            }
            Output::Numbers(values) => numbers(&values),
            Output::Entries { entries, raw } => {
                let (names, types) = (Array::new(ctx.clone())?, Array::new(ctx.clone())?);
                for (i, (name, kind)) in entries.into_iter().enumerate() {
                    if raw {
                        names.set(i, buffer::new_buffer(ctx, name)?)?;
                    } else {
                        let name = String::from_utf8(name).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
                        names.set(i, name)?;
                    }
                    types.set(i, kind)?;
                }
                let pair = Array::new(ctx.clone())?;
                pair.set(0, names)?;
                pair.set(1, types)?;
                Ok(pair.into_value())
            }
        }
    }
}

thread_local! {
    /// The Float64Array `internal/fs/utils` reads stat results from, as
    /// Node's binding fills its shared statValues: writing 18 numbers into
    /// it is far cheaper than building an array per call.
    static STAT_VALUES: std::cell::RefCell<Option<rquickjs::Persistent<Object<'static>>>> =
        const { std::cell::RefCell::new(None) };
}

fn write_stat_values(ctx: &Ctx<'_>, fields: &ops::StatFields) -> rquickjs::Result<()> {
    let Some(saved) = STAT_VALUES.with(|s| s.borrow().clone()) else {
        return Err(rquickjs::Exception::throw_internal(ctx, "fs stat values are not set up"));
    };
    let values = saved.restore(ctx)?;
    let Some(raw) = values.as_typed_array::<f64>().and_then(|a| a.as_raw()) else {
        return Err(rquickjs::Exception::throw_internal(ctx, "fs stat values are detached"));
    };
    // SAFETY: the Float64Array is alive (held by the Persistent and by
    // fs.js) and no JS runs while we write; the length is checked by zip.
    let dest = unsafe { std::slice::from_raw_parts_mut(raw.as_ptr().cast::<f64>(), raw.len() / 8) };
    for (slot, value) in dest.iter_mut().zip(fields) {
        *slot = *value;
    }
    Ok(())
}

fn error_to_js<'js>(ctx: &Ctx<'js>, e: &FsError) -> rquickjs::Result<Value<'js>> {
    let path = e.path.as_deref().map(path_text);
    let dest = e.dest.as_deref().map(path_text);
    let error = errors::uv_exception(ctx, &e.err, e.syscall, path.as_deref(), dest.as_deref())?;
    if let (Some(size), Some(object)) = (e.size, error.as_object()) {
        object.set("size", size as f64)?;
    }
    Ok(error)
}

/// A finished operation on its way to its callback.
struct Done(FsResult<Output>);

impl Deliver for Done {
    fn deliver<'js>(self: Box<Self>, ctx: &Ctx<'js>) -> rquickjs::Result<Vec<Value<'js>>> {
        Ok(match self.0 {
            // Node calls back `(null)` for operations without a result.
            Ok(Output::Undefined | Output::Written { count: None, .. }) => vec![Value::new_null(ctx.clone())],
            Ok(out) => vec![Value::new_null(ctx.clone()), out.into_js(ctx)?],
            Err(e) => vec![error_to_js(ctx, &e)?],
        })
    }
}

/// Runs `op` now (no callback: return or throw) or on the blocking pool
/// (`req` is a function: it gets `(err, value)` later).
fn run<'js, F>(ctx: &Ctx<'js>, req: Value<'js>, op: F) -> rquickjs::Result<Value<'js>>
where
    F: FnOnce() -> FsResult<Output> + Send + 'static,
{
    match req.into_function() {
        Some(callback) => {
            event_loop::spawn_blocking(ctx, callback, move || Done(op()));
            Ok(Value::new_undefined(ctx.clone()))
        }
        None => match op() {
            Ok(out) => out.into_js(ctx),
            Err(e) => Err(ctx.throw(error_to_js(ctx, &e)?)),
        },
    }
}

/// A `readFile`/`writeFile` target: a path, or a descriptor number.
fn target(value: &Value<'_>) -> rquickjs::Result<Target> {
    if let Some(fd) = value.as_int() {
        return Ok(Target::Fd(fd));
    }
    Ok(Target::Path(FsPath::from_js(value.ctx(), value.clone())?.0))
}

/// The bytes of a string or Uint8Array argument, copied so the work can
/// leave the JS thread.
fn owned_bytes(ctx: &Ctx<'_>, data: &Value<'_>) -> rquickjs::Result<Vec<u8>> {
    host::with_bytes(data, <[u8]>::to_vec)?
        .ok_or_else(|| rquickjs::Exception::throw_type(ctx, "data must be a string or a Uint8Array"))
}

/// 0 for a file, 1 for a directory, -1 when missing (Node's internalModuleStat).
fn stat_kind(JsText(path): JsText) -> i32 {
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => 1,
        Ok(_) => 0,
        Err(_) => -1,
    }
}

thread_local! {
    /// Real paths of directories the module loader has looked in.
    static DIR_REALPATHS: std::cell::RefCell<std::collections::HashMap<PathBuf, PathBuf>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
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

/// Converts a failed synchronous operation into a thrown JS error.
fn throw_fs(ctx: &Ctx<'_>, e: &FsError) -> rquickjs::Error {
    match error_to_js(ctx, e) {
        Ok(value) => ctx.throw(value),
        Err(err) => err,
    }
}

pub fn init<'js>(ctx: &Ctx<'js>, target_obj: &Object<'js>) -> rquickjs::Result<()> {
    // `op!(name, |ctx, args| work)`: `work` is evaluated on the JS thread
    // (argument conversion may throw there) and yields the closure that does
    // the I/O, now or on the blocking pool, depending on the trailing `req`.
    macro_rules! op {
        ($name:literal, |$ctx:ident $(, $arg:ident : $ty:ty)*| $work:expr) => {
            ($name, Function::new(ctx.clone(), move |$ctx: Ctx<'js>, $($arg: $ty,)* req: Opt<Value<'js>>| -> rquickjs::Result<Value<'js>> {
                let work = $work;
                run(&$ctx, req.0.unwrap_or_else(|| Value::new_undefined($ctx.clone())), work)
            })?)
        };
    }
    let done = |_: ()| Output::Undefined;
    let stat = Output::Stat;
    host::set_functions(
        target_obj,
        vec![
            ("setStatValues", Function::new(ctx.clone(), |ctx: Ctx<'js>, values: Object<'js>| {
                let saved = rquickjs::Persistent::save(&ctx, values);
                STAT_VALUES.with(|s| *s.borrow_mut() = Some(saved));
            })?),
            // The module loader's probes.
            ("statKind", Function::new(ctx.clone(), stat_kind)?),
            ("moduleRealpath", Function::new(ctx.clone(), |JsText(path): JsText| module_realpath(Path::new(&path)))?),
            ("readText", Function::new(ctx.clone(), |ctx: Ctx<'js>, JsText(path): JsText| -> rquickjs::Result<String> {
                let bytes = std::fs::read(&path).map_err(|e| errors::throw_uv(&ctx, &e, "open", Some(&path)))?;
                Ok(String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
            })?),
            // Descriptors.
            op!("open", |ctx, p: FsPath, flags: i32, mode: u32| move || ops::open(&p.0, flags, mode).map(|fd| Output::Number(fd as f64))),
            op!("close", |ctx, fd: i32| move || ops::close(fd).map(done)),
            // Buffers are allocated (and freed) on the JS thread: memory the
            // allocator hands back for the next chunk, not fresh pages to
            // fault in on the pool thread.
            op!("read", |ctx, fd: i32, length: f64, pos: f64| {
                let buf = vec![0u8; length.max(0.0) as usize];
                move || ops::read(fd, buf, position(pos)).map(Output::Bytes)
            }),
            ("readInto", Function::new(ctx.clone(), |ctx: Ctx<'js>, fd: i32, dest: Value<'js>, offset: f64, length: f64, pos: f64| -> rquickjs::Result<f64> {
                let array = dest
                    .as_object()
                    .and_then(|o| o.as_typed_array::<u8>().cloned())
                    .ok_or_else(|| rquickjs::Exception::throw_type(&ctx, "buffer must be a Uint8Array"))?;
                let Some(raw) = array.as_raw() else { return Ok(0.0) };
                // SAFETY: the view's memory is live and no JS runs during the
                // read; the range is clamped to it.
                let buf = unsafe { &mut *raw.as_ptr() };
                let start = (offset.max(0.0) as usize).min(buf.len());
                let end = (start + length.max(0.0) as usize).min(buf.len());
                ops::read_into(fd, &mut buf[start..end], position(pos)).map(|n| n as f64).map_err(|e| throw_fs(&ctx, &e))
            })?),
            ("write", Function::new(ctx.clone(), |ctx: Ctx<'js>, fd: i32, data: Value<'js>, pos: f64, req: Opt<Value<'js>>| -> rquickjs::Result<Value<'js>> {
                match req.0.and_then(|r| r.into_function()) {
                    Some(callback) => {
                        let bytes = owned_bytes(&ctx, &data)?;
                        let pos = position(pos);
                        event_loop::spawn_blocking(&ctx, callback, move || {
                            let written = ops::write(fd, &bytes, pos);
                            Done(written.map(|n| Output::Written { count: Some(n), _freed_here: vec![bytes] }))
                        });
                        Ok(Value::new_undefined(ctx.clone()))
                    }
                    // Sync writes go straight from the JS buffer, uncopied.
                    None => {
                        let n = host::with_bytes(&data, |bytes| ops::write(fd, bytes, position(pos)))?.unwrap_or(Ok(0));
                        n.map(|n| Value::new_number(ctx.clone(), n as f64)).map_err(|e| throw_fs(&ctx, &e))
                    }
                }
            })?),
            // Each chunk is copied on its own (no concatenation into one
            // large, freshly mapped allocation) and written with writev(2).
            op!("writev", |ctx, fd: i32, chunks: Vec<Value<'js>>, pos: f64| {
                let data = chunks.iter().map(|chunk| owned_bytes(&ctx, chunk)).collect::<rquickjs::Result<Vec<_>>>()?;
                move || {
                    let written = ops::writev_all(fd, &data, position(pos));
                    written.map(|n| Output::Written { count: Some(n), _freed_here: data })
                }
            }),
            op!("fstat", |ctx, fd: i32| move || ops::fstat(fd).map(stat)),
            op!("ftruncate", |ctx, fd: i32, len: f64| move || ops::ftruncate(fd, len.max(0.0) as u64).map(done)),
            op!("fsync", |ctx, fd: i32, data_only: bool| move || ops::fsync(fd, data_only).map(done)),
            op!("fchmod", |ctx, fd: i32, mode: u32| move || ops::fchmod(fd, mode).map(done)),
            op!("fchown", |ctx, fd: i32, uid: u32, gid: u32| move || ops::fchown(fd, uid, gid).map(done)),
            op!("futimes", |ctx, fd: i32, atime: f64, mtime: f64| move || ops::futimes(fd, atime, mtime).map(done)),
            // Whole files.
            op!("readFile", |ctx, t: Value<'js>, flags: i32| {
                let t = target(&t)?;
                move || ops::read_file(&t, flags).map(Output::Bytes)
            }),
            ("writeFile", Function::new(ctx.clone(), |ctx: Ctx<'js>, t: Value<'js>, data: Value<'js>, flags: i32, mode: u32, req: Opt<Value<'js>>| -> rquickjs::Result<Value<'js>> {
                let t = target(&t)?;
                match req.0.and_then(|r| r.into_function()) {
                    // Async: the data is copied, as JS may change it meanwhile
                    // (fs.js sends large data in chunks instead).
                    Some(callback) => {
                        let data = owned_bytes(&ctx, &data)?;
                        event_loop::spawn_blocking(&ctx, callback, move || {
                            let written = ops::write_file(&t, &data, flags, mode);
                            Done(written.map(|_| Output::Written { count: None, _freed_here: vec![data] }))
                        });
                        Ok(Value::new_undefined(ctx.clone()))
                    }
                    // Sync: straight from the JS memory, uncopied.
                    None => {
                        let written = host::with_bytes(&data, |bytes| ops::write_file(&t, bytes, flags, mode))?;
                        written.unwrap_or(Ok(())).map(|_| Value::new_undefined(ctx.clone())).map_err(|e| throw_fs(&ctx, &e))
                    }
                }
            })?),
            op!("copyFile", |ctx, src: FsPath, dest: FsPath, mode: u32| move || ops::copy_file(&src.0, &dest.0, mode).map(done)),
            op!("truncate", |ctx, p: FsPath, len: f64| move || ops::truncate(&p.0, len.max(0.0) as u64).map(done)),
            // Metadata.
            op!("stat", |ctx, p: FsPath| move || ops::stat(&p.0).map(stat)),
            op!("lstat", |ctx, p: FsPath| move || ops::lstat(&p.0).map(stat)),
            op!("statfs", |ctx, p: FsPath| move || ops::statfs(&p.0).map(|f| Output::Numbers(f.to_vec()))),
            op!("access", |ctx, p: FsPath, mode: i32| move || ops::access(&p.0, mode).map(done)),
            op!("chmod", |ctx, p: FsPath, mode: u32| move || ops::chmod(&p.0, mode).map(done)),
            op!("chown", |ctx, p: FsPath, uid: u32, gid: u32, follow: bool| move || ops::chown(&p.0, uid, gid, follow).map(done)),
            op!("utimes", |ctx, p: FsPath, atime: f64, mtime: f64, follow: bool| {
                move || ops::utimes(&p.0, atime, mtime, follow).map(done)
            }),
            // Names and directories.
            op!("rename", |ctx, from: FsPath, to: FsPath| move || std::fs::rename(&from.0, &to.0).at2("rename", &from.0, &to.0).map(done)),
            op!("link", |ctx, from: FsPath, to: FsPath| move || std::fs::hard_link(&from.0, &to.0).at2("link", &from.0, &to.0).map(done)),
            op!("symlink", |ctx, t: FsPath, p: FsPath| move || ops::symlink(&t.0, &p.0).map(done)),
            op!("readlink", |ctx, p: FsPath| move || ops::readlink(&p.0).map(Output::Path)),
            op!("realpath", |ctx, p: FsPath, native: bool| move || ops::realpath(&p.0, !native).map(Output::Path)),
            op!("unlink", |ctx, p: FsPath| move || std::fs::remove_file(&p.0).at("unlink", &p.0).map(done)),
            op!("rmdir", |ctx, p: FsPath| move || std::fs::remove_dir(&p.0).at("rmdir", &p.0).map(done)),
            op!("rm", |ctx, p: FsPath, recursive: bool, force: bool, retries: u32, delay: f64| {
                move || ops::rm(&p.0, recursive, force, retries, delay.max(0.0) as u64).map(done)
            }),
            op!("mkdir", |ctx, p: FsPath, recursive: bool, mode: u32| move || ops::mkdir(&p.0, recursive, mode).map(Output::MaybePath)),
            op!("mkdtemp", |ctx, prefix: FsPath| move || ops::mkdtemp(&prefix.0).map(Output::Path)),
            // Watchers (handles: events until closed).
            ("watch", Function::new(ctx.clone(), |ctx: Ctx<'js>, p: FsPath, recursive: bool, callback: Function<'js>| -> rquickjs::Result<f64> {
                watch::watch(&ctx, p.0, recursive, callback).map(|id| id as f64).map_err(|e| throw_fs(&ctx, &e))
            })?),
            ("unwatch", Function::new(ctx.clone(), |id: f64| watch::unwatch(id as usize))?),
            ("refWatch", Function::new(ctx.clone(), |id: f64, refed: bool| watch::set_ref(id as usize, refed))?),
            op!("readdir", |ctx, p: FsPath, raw: bool| move || ops::read_dir(&p.0).map(|entries| Output::Entries { entries, raw })),
        ],
    )
}
