//! Lode's runtime core: boots Node's environment from built-in JS on the
//! engine host (`lode-engine`), and drives Node's event loop until the
//! program is done.
//!
//! The `lode` binary calls [`run`] with parsed [`RunOptions`]. This crate
//! never touches the engine: its native code is ops over `lode-engine`'s
//! engine-neutral types.

mod builtins;
mod event_loop;
mod node;
mod stdio;

use lode_engine::{Host, HostConfig, Local, OpError, Scope, Val};

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
    let stack_bytes = options.stack_size_kib.map(|k| k * 1024).unwrap_or(DEFAULT_STACK_BYTES);
    let host = match Host::new(HostConfig { stack_bytes, on_rejection: node::process::track_rejection }) {
        Ok(host) => host,
        Err(e) => {
            stdio::write_stderr(format!("lode: cannot start the JavaScript engine: {e}\n").as_bytes());
            exit(1);
        }
    };
    let code = host.enter(|scope| match boot_and_run(scope, &options) {
        Ok(code) => code,
        Err(e) => {
            let thrown = event_loop::thrown(scope, e);
            let text = scope.string(&thrown).unwrap_or_default();
            stdio::write_stderr(format!("lode: internal error while starting: {text}\n").as_bytes());
            70
        }
    });
    exit(code)
}

/// Default JS stack limit; `--stack-size` (in KiB, as in Node) overrides it.
const DEFAULT_STACK_BYTES: usize = 8 * 1024 * 1024;

/// Runs `internal/bootstrap`, then the program and the event loop; returns
/// the exit code.
fn boot_and_run<'s>(scope: &Scope<'s>, options: &RunOptions) -> Result<i32, OpError<'s>> {
    let internals = node::internals(scope, options)?;
    let bootstrap = builtins::load(scope, "internal/bootstrap")?.expect("bootstrap is built in");
    let module = scope.value(Val::object([("exports", Val::object([]))]))?;
    let exports = scope.get(&module, "exports")?;
    if let Err(thrown) = scope.call(&bootstrap, vec![exports.into(), Val::Undefined, module.clone().into(), Val::Undefined, internals.into()]) {
        return Err(OpError::Value(thrown));
    }
    let exports = scope.get(&module, "exports")?;
    let hook = |name: &str| -> Result<Local<'s>, OpError<'s>> { scope.get(&exports, name) };
    let hooks = event_loop::Hooks {
        tick: hook("tick")?,
        process_timers: hook("processTimers")?,
        process_immediates: hook("processImmediates")?,
        emit_before_exit: hook("emitBeforeExit")?,
        fatal_exception: hook("fatalException")?,
        emit_signal: hook("emitSignal")?,
    };
    event_loop::invoke(scope, &hooks, &hook("runMain")?, vec![]);
    event_loop::run(scope, &hooks);
    match scope.call(&hook("emitExit")?, vec![]) {
        Ok(code) => Ok(code.as_i32().unwrap_or(0)),
        Err(thrown) => {
            event_loop::fatal(scope, &hooks, thrown);
            Ok(1)
        }
    }
}

/// Flushes buffered output and ends the process. The engine is not torn
/// down: the OS reclaims everything faster, as Node does.
pub fn exit(code: i32) -> ! {
    stdio::flush_stdout();
    std::process::exit(code)
}
