//! Lode's runtime core: hosts the QuickJS engine, boots Node's environment
//! from built-in JS, and drives Node's event loop until the program is done.
//!
//! The `lode` binary calls [`run`] with parsed [`RunOptions`]; nothing outside
//! this crate touches the engine.

mod event_loop;
mod host;
mod modules;
mod node;
mod stdio;

use rquickjs::{Function, Object, Value};

/// What to run.
#[derive(Debug, Clone)]
pub enum Entry {
    /// A script file, as given on the command line.
    File(String),
    /// `-e` / `-p` source; `print` writes the completion value, as `-p` does.
    Eval { source: String, print: bool },
    /// A program read from standard input.
    Stdin(String),
}

/// A parsed command line, as the runtime needs it.
#[derive(Debug, Clone)]
pub struct RunOptions {
    pub entry: Entry,
    /// Arguments after the script (become `process.argv[2..]`).
    pub args: Vec<String>,
    /// The runtime's own flags, for `process.execArgv`; the JS side reads
    /// the options it acts on from here, as Node's `getOptionValue` does.
    pub exec_argv: Vec<String>,
    /// The same flags parsed: canonical name (`--eval`, never `-e`) and value.
    pub flags: Vec<(String, Option<String>)>,
    /// `argv[0]` as the user typed it.
    pub argv0: String,
    /// `--stack-size`, in KiB as in Node.
    pub stack_size_kib: Option<usize>,
}

/// Lode's version, reported by `--version` and `process.versions.lode`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
/// The Node.js release whose API Lode implements.
pub const NODE_VERSION: &str = "24.21.0";

/// Puts every signal back to its default action (SIGPIPE and SIGXFSZ
/// ignored), as Node does at startup: a parent may have left some ignored
/// (a shell's background job ignores SIGINT), and children would inherit
/// that through exec, so `kill(child, 'SIGINT')` would do nothing.
fn restore_signal_dispositions() {
    for signo in 1..libc::SIGRTMIN() {
        if signo == libc::SIGKILL || signo == libc::SIGSTOP {
            continue;
        }
        let action = if signo == libc::SIGPIPE || signo == libc::SIGXFSZ { libc::SIG_IGN } else { libc::SIG_DFL };
        // SAFETY: installs a default or ignore disposition, no handler code;
        // this runs before any signal watcher is set up.
        unsafe { libc::signal(signo, action) };
    }
}

/// Runs a program to completion and exits the process with its exit code.
pub fn run(options: RunOptions) -> ! {
    restore_signal_dispositions();
    let host = match host::Host::new(&options) {
        Ok(host) => host,
        Err(e) => {
            stdio::write_stderr(format!("lode: cannot start the JavaScript engine: {e}\n").as_bytes());
            exit(1);
        }
    };
    let code = host.context.with(|ctx| -> rquickjs::Result<i32> {
        let internals = node::internals(&ctx, &options)?;
        let bootstrap = host::load_builtin(&ctx, "internal/bootstrap")?.expect("bootstrap is built in");
        let module = Object::new(ctx.clone())?;
        module.set("exports", Object::new(ctx.clone())?)?;
        let undefined = Value::new_undefined(ctx.clone());
        bootstrap.call::<_, Value>((module.get::<_, Value>("exports")?, undefined.clone(), module.clone(), undefined, internals))?;
        let exports: Object = module.get("exports")?;
        let hooks = event_loop::Hooks {
            tick: exports.get("tick")?,
            process_timers: exports.get("processTimers")?,
            process_immediates: exports.get("processImmediates")?,
            emit_before_exit: exports.get("emitBeforeExit")?,
            fatal_exception: exports.get("fatalException")?,
            emit_signal: exports.get("emitSignal")?,
        };
        let run_main: Function = exports.get("runMain")?;
        event_loop::invoke(&ctx, &hooks, &run_main, vec![]);
        event_loop::run(&ctx, &hooks);
        let emit_exit: Function = exports.get("emitExit")?;
        match host::call(&emit_exit, vec![]) {
            Ok(code) => Ok(code.as_int().unwrap_or(0)),
            Err(thrown) => {
                event_loop::fatal(&ctx, &hooks, thrown);
                Ok(1)
            }
        }
    });
    match code {
        Ok(code) => exit(code),
        Err(e) => {
            stdio::write_stderr(format!("lode: internal error while starting: {e}\n").as_bytes());
            exit(70)
        }
    }
}

/// Flushes buffered output and ends the process. The engine is not torn
/// down: the OS reclaims everything faster, as Node does.
pub fn exit(code: i32) -> ! {
    stdio::flush_stdout();
    std::process::exit(code)
}
