//! Native side of `fs` as far as the runtime core needs it: the module
//! loader's file probes, and whole-file reads and writes (sync on the JS
//! thread, async on tokio's blocking pool).

use std::io;

use rquickjs::{function::Opt, Ctx, Function, Object, TypedArray, Value};

use crate::{event_loop::{self, Deliver}, host, node::errors};

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
fn stat_kind(path: String) -> i32 {
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => 1,
        Ok(_) => 0,
        Err(_) => -1,
    }
}

pub fn init<'js>(ctx: &Ctx<'js>, target: &Object<'js>) -> rquickjs::Result<()> {
    host::set_functions(
        target,
        vec![
            ("statKind", Function::new(ctx.clone(), stat_kind)?),
            ("realpath", Function::new(ctx.clone(), |ctx: Ctx<'js>, path: String| -> rquickjs::Result<String> {
                std::fs::canonicalize(&path)
                    .map(|p| p.to_string_lossy().into_owned())
                    .map_err(|e| errors::throw_uv(&ctx, &e, "realpath", Some(&path)))
            })?),
            ("readFileSync", Function::new(ctx.clone(), |ctx: Ctx<'js>, path: String, utf8: Opt<bool>| {
                let bytes = std::fs::read(&path).map_err(|e| errors::throw_uv(&ctx, &e, "open", Some(&path)))?;
                bytes_to_js(&ctx, bytes, utf8.0.unwrap_or(false))
            })?),
            ("writeFileSync", Function::new(ctx.clone(), |ctx: Ctx<'js>, path: String, data: Value<'js>| {
                let written = host::with_bytes(&data, |bytes| std::fs::write(&path, bytes))?.unwrap_or(Ok(()));
                written.map_err(|e| errors::throw_uv(&ctx, &e, "open", Some(&path)))
            })?),
            ("readFile", Function::new(ctx.clone(), |ctx: Ctx<'js>, path: String, utf8: bool, callback: Function<'js>| {
                let task_path = path.clone();
                event_loop::spawn_blocking(&ctx, callback, move || ReadDone { result: std::fs::read(&task_path), path, utf8 });
            })?),
        ],
    )
}
