//! Native side of `fs` as far as the runtime core needs it: the module
//! loader's file probes, whole-file reads and writes, and the synchronous
//! directory and metadata calls (sync on the JS thread, async on tokio's
//! blocking pool).

use std::{io, os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt}, path::Path};

use rquickjs::{function::Opt, Array, Ctx, Function, Object, TypedArray, Value};

use crate::{
    event_loop::{self, Deliver},
    host::{self, JsText},
    node::errors,
};

/// A finished `readFile`: `(err, data)` for the callback.
struct ReadDone {
    result: io::Result<Vec<u8>>,
    path: String,
    utf8: bool,
}

impl Deliver for ReadDone {
    fn deliver<'js>(self: Box<Self>, ctx: &Ctx<'js>) -> rquickjs::Result<Vec<Value<'js>>> {
        Ok(match self.result {
            Ok(bytes) => vec![Value::new_null(ctx.clone()), bytes_to_js(ctx, bytes, self.utf8)?],
            Err(e) => vec![errors::uv_exception(ctx, &e, "open", Some(&self.path), None)?],
        })
    }
}

fn bytes_to_js<'js>(ctx: &Ctx<'js>, bytes: Vec<u8>, utf8: bool) -> rquickjs::Result<Value<'js>> {
    if utf8 {
        let text = String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
        return rquickjs::String::from_str(ctx.clone(), &text).map(|s| s.into_value());
    }
    TypedArray::<u8>::new(ctx.clone(), bytes).map(|a| a.into_value())
}

/// 0 for a file, 1 for a directory, -1 when missing (Node's internalModuleStat).
fn stat_kind(JsText(path): JsText) -> i32 {
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => 1,
        Ok(_) => 0,
        Err(_) => -1,
    }
}

/// Stat fields in the order `fs.js` unpacks them into a `Stats` object.
fn stat_array<'js>(ctx: &Ctx<'js>, m: &std::fs::Metadata) -> rquickjs::Result<Array<'js>> {
    let ms = |secs: i64, nsecs: i64| secs as f64 * 1000.0 + nsecs as f64 / 1e6;
    let fields = [
        m.dev() as f64,
        m.mode() as f64,
        m.nlink() as f64,
        m.uid() as f64,
        m.gid() as f64,
        m.rdev() as f64,
        m.blksize() as f64,
        m.ino() as f64,
        m.size() as f64,
        m.blocks() as f64,
        ms(m.atime(), m.atime_nsec()),
        ms(m.mtime(), m.mtime_nsec()),
        ms(m.ctime(), m.ctime_nsec()),
        m.created()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map(|d| d.as_secs_f64() * 1000.0)
            .unwrap_or_else(|| ms(m.ctime(), m.ctime_nsec())),
    ];
    let out = Array::new(ctx.clone())?;
    for (i, v) in fields.into_iter().enumerate() {
        out.set(i, v)?;
    }
    Ok(out)
}

thread_local! {
    /// Real paths of directories the module loader has looked in.
    static DIR_REALPATHS: std::cell::RefCell<std::collections::HashMap<std::path::PathBuf, std::path::PathBuf>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

/// The real path of a module file, for the loader: the directory's real path
/// is cached, so each file costs one lstat instead of a readlink per path
/// component. Falls back to the path itself if it cannot be resolved.
fn module_realpath(path: &Path) -> String {
    let resolved = (|| -> io::Result<std::path::PathBuf> {
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

/// `mkdir -p`: returns the first directory created, as Node's
/// `mkdirSync(path, { recursive: true })` does.
fn mkdir_recursive(path: &Path, mode: u32) -> io::Result<Option<String>> {
    if path.is_dir() {
        return Ok(None);
    }
    let mut missing = Vec::new();
    let mut cursor = Some(path);
    while let Some(p) = cursor {
        if p.exists() {
            break;
        }
        missing.push(p);
        cursor = p.parent();
    }
    let first = missing.last().map(|p| p.to_string_lossy().into_owned());
    for dir in missing.iter().rev() {
        match std::fs::DirBuilder::new().mode(mode).create(dir) {
            Err(e) if e.kind() != io::ErrorKind::AlreadyExists => return Err(e),
            _ => {}
        }
    }
    if !path.is_dir() {
        return Err(io::Error::from_raw_os_error(libc::ENOTDIR));
    }
    Ok(first)
}

/// `rm`: files, and with `recursive` whole trees; `force` ignores missing.
fn remove(path: &Path, recursive: bool, force: bool) -> Result<(), (io::Error, &'static str)> {
    match std::fs::symlink_metadata(path) {
        Err(e) if force && e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err((e, "lstat")),
        Ok(m) if m.is_dir() => {
            if !recursive {
                return Err((io::Error::from_raw_os_error(libc::EISDIR), "rm"));
            }
            std::fs::remove_dir_all(path).map_err(|e| (e, "rm"))
        }
        Ok(_) => std::fs::remove_file(path).map_err(|e| (e, "rm")),
    }
}

pub fn init<'js>(ctx: &Ctx<'js>, target: &Object<'js>) -> rquickjs::Result<()> {
    host::set_functions(
        target,
        vec![
            ("statKind", Function::new(ctx.clone(), stat_kind)?),
            ("realpath", Function::new(ctx.clone(), |ctx: Ctx<'js>, JsText(path): JsText| -> rquickjs::Result<String> {
                std::fs::canonicalize(&path)
                    .map(|p| p.to_string_lossy().into_owned())
                    .map_err(|e| errors::throw_uv(&ctx, &e, "realpath", Some(&path)))
            })?),
            ("moduleRealpath", Function::new(ctx.clone(), |JsText(path): JsText| module_realpath(Path::new(&path)))?),
            ("readFileSync", Function::new(ctx.clone(), |ctx: Ctx<'js>, JsText(path): JsText, utf8: Opt<bool>| {
                let bytes = std::fs::read(&path).map_err(|e| errors::throw_uv(&ctx, &e, "open", Some(&path)))?;
                bytes_to_js(&ctx, bytes, utf8.0.unwrap_or(false))
            })?),
            ("writeFileSync", Function::new(ctx.clone(), |ctx: Ctx<'js>, JsText(path): JsText, data: Value<'js>| {
                let written = host::with_bytes(&data, |bytes| std::fs::write(&path, bytes))?.unwrap_or(Ok(()));
                written.map_err(|e| errors::throw_uv(&ctx, &e, "open", Some(&path)))
            })?),
            ("stat", Function::new(ctx.clone(), |ctx: Ctx<'js>, JsText(path): JsText, follow: bool, throw: bool| -> rquickjs::Result<Value<'js>> {
                let meta = if follow { std::fs::metadata(&path) } else { std::fs::symlink_metadata(&path) };
                match meta {
                    Ok(m) => Ok(stat_array(&ctx, &m)?.into_value()),
                    Err(e) if !throw && e.kind() == io::ErrorKind::NotFound => Ok(Value::new_undefined(ctx)),
                    Err(e) => Err(errors::throw_uv(&ctx, &e, if follow { "stat" } else { "lstat" }, Some(&path))),
                }
            })?),
            ("mkdir", Function::new(ctx.clone(), |ctx: Ctx<'js>, JsText(path): JsText, recursive: bool, mode: u32| -> rquickjs::Result<Option<String>> {
                let result = if recursive {
                    mkdir_recursive(Path::new(&path), mode)
                } else {
                    std::fs::DirBuilder::new().mode(mode).create(&path).map(|_| None)
                };
                result.map_err(|e| errors::throw_uv(&ctx, &e, "mkdir", Some(&path)))
            })?),
            ("rm", Function::new(ctx.clone(), |ctx: Ctx<'js>, JsText(path): JsText, recursive: bool, force: bool| {
                remove(Path::new(&path), recursive, force).map_err(|(e, syscall)| errors::throw_uv(&ctx, &e, syscall, Some(&path)))
            })?),
            ("rmdir", Function::new(ctx.clone(), |ctx: Ctx<'js>, JsText(path): JsText| {
                std::fs::remove_dir(&path).map_err(|e| errors::throw_uv(&ctx, &e, "rmdir", Some(&path)))
            })?),
            ("unlink", Function::new(ctx.clone(), |ctx: Ctx<'js>, JsText(path): JsText| {
                std::fs::remove_file(&path).map_err(|e| errors::throw_uv(&ctx, &e, "unlink", Some(&path)))
            })?),
            ("readdir", Function::new(ctx.clone(), |ctx: Ctx<'js>, JsText(path): JsText| -> rquickjs::Result<Vec<String>> {
                let entries = std::fs::read_dir(&path).map_err(|e| errors::throw_uv(&ctx, &e, "scandir", Some(&path)))?;
                let mut names = Vec::new();
                for entry in entries {
                    let entry = entry.map_err(|e| errors::throw_uv(&ctx, &e, "scandir", Some(&path)))?;
                    names.push(entry.file_name().to_string_lossy().into_owned());
                }
                names.sort();
                Ok(names)
            })?),
            ("access", Function::new(ctx.clone(), |ctx: Ctx<'js>, JsText(path): JsText, mode: i32| -> rquickjs::Result<()> {
                let c_path = std::ffi::CString::new(path.clone()).map_err(|_| rquickjs::Exception::throw_type(&ctx, "path contains a NUL byte"))?;
                // SAFETY: access(2) on a NUL-terminated path.
                if unsafe { libc::access(c_path.as_ptr(), mode) } != 0 {
                    return Err(errors::throw_uv(&ctx, &io::Error::last_os_error(), "access", Some(&path)));
                }
                Ok(())
            })?),
            ("appendFileSync", Function::new(ctx.clone(), |ctx: Ctx<'js>, JsText(path): JsText, data: Value<'js>, mode: u32| {
                use std::io::Write;
                let written = host::with_bytes(&data, |bytes| {
                    std::fs::OpenOptions::new().append(true).create(true).mode(mode).open(&path)?.write_all(bytes)
                })?
                .unwrap_or(Ok(()));
                written.map_err(|e| errors::throw_uv(&ctx, &e, "open", Some(&path)))
            })?),
            ("readFile", Function::new(ctx.clone(), |ctx: Ctx<'js>, JsText(path): JsText, utf8: bool, callback: Function<'js>| {
                let task_path = path.clone();
                event_loop::spawn_blocking(&ctx, callback, move || ReadDone { result: std::fs::read(&task_path), path, utf8 });
            })?),
        ],
    )
}
