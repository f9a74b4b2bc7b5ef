//! Native side of `process`: identity, environment, clocks, resource usage,
//! signals, standard I/O writes, exiting, and the record of promise
//! rejections that `process.js` turns into `unhandledRejection` events.

use std::{cell::RefCell, ffi::CStr};

use rquickjs::{function::Opt, Array, Ctx, Function, Object, Persistent, Value};

use crate::{
    event_loop,
    host::{self, JsText},
    node::errors,
    stdio,
};

/// One rejection event: whether it was a late handling, the promise, the reason.
type RejectionEvent = (bool, Persistent<Value<'static>>, Persistent<Value<'static>>);

thread_local! {
    /// Rejection events since JS last asked.
    static REJECTIONS: RefCell<Vec<RejectionEvent>> = const { RefCell::new(Vec::new()) };
}

/// The engine's promise-rejection hook: records the event for JS to process
/// once the microtask queue is drained, as Node does.
pub fn track_rejection<'js>(ctx: Ctx<'js>, promise: Value<'js>, reason: Value<'js>, is_handled: bool) {
    let promise = Persistent::save(&ctx, promise);
    let reason = Persistent::save(&ctx, reason);
    REJECTIONS.with(|r| r.borrow_mut().push((is_handled, promise, reason)));
}

fn take_rejections<'js>(ctx: Ctx<'js>) -> rquickjs::Result<Array<'js>> {
    let events = REJECTIONS.with(|r| std::mem::take(&mut *r.borrow_mut()));
    let out = Array::new(ctx.clone())?;
    for (i, (handled, promise, reason)) in events.into_iter().enumerate() {
        let entry = Array::new(ctx.clone())?;
        entry.set(0, handled)?;
        entry.set(1, promise.restore(&ctx)?)?;
        entry.set(2, reason.restore(&ctx)?)?;
        out.set(i, entry)?;
    }
    Ok(out)
}

fn monotonic() -> (i64, i64) {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime fills the timespec.
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts) };
    (ts.tv_sec, ts.tv_nsec)
}

fn rusage() -> libc::rusage {
    // SAFETY: getrusage fills the struct for the calling process.
    unsafe {
        let mut usage = std::mem::zeroed::<libc::rusage>();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    }
}

fn micros(tv: libc::timeval) -> f64 {
    tv.tv_sec as f64 * 1e6 + tv.tv_usec as f64
}

/// Resident set size in bytes, from /proc.
fn rss() -> f64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: f64 = statm.split_whitespace().nth(1).and_then(|p| p.parse().ok()).unwrap_or(0.0);
    // SAFETY: sysconf has no preconditions.
    pages * unsafe { libc::sysconf(libc::_SC_PAGESIZE) } as f64
}

fn write_bytes(value: &Value<'_>, write: fn(&[u8])) -> rquickjs::Result<()> {
    host::with_bytes(value, write).map(|_| ())
}

fn engine_version() -> String {
    // SAFETY: returns a static NUL-terminated string.
    unsafe { CStr::from_ptr(rquickjs::qjs::JS_GetVersion()) }.to_string_lossy().into_owned()
}

pub fn init<'js>(ctx: &Ctx<'js>, target: &Object<'js>) -> rquickjs::Result<()> {
    // SAFETY: plain identity queries.
    let (pid, ppid) = unsafe { (libc::getpid(), libc::getppid()) };
    target.set("pid", pid)?;
    target.set("ppid", ppid)?;
    target.set("platform", std::env::consts::OS)?;
    target.set(
        "arch",
        match std::env::consts::ARCH {
            "x86_64" => "x64",
            "aarch64" => "arm64",
            "x86" => "ia32",
            other => other,
        },
    )?;
    let exec_path = std::env::current_exe().map(|p| p.to_string_lossy().into_owned()).unwrap_or_default();
    target.set("execPath", exec_path)?;
    target.set("engineVersion", engine_version())?;
    target.set("stdoutIsTTY", stdio::is_tty(1))?;

    host::set_functions(
        target,
        vec![
            ("cwd", Function::new(ctx.clone(), |ctx: Ctx<'js>| -> rquickjs::Result<String> {
                std::env::current_dir()
                    .map(|p| p.to_string_lossy().into_owned())
                    .map_err(|e| errors::throw_uv(&ctx, &e, "uv_cwd", None))
            })?),
            ("chdir", Function::new(ctx.clone(), |ctx: Ctx<'js>, JsText(dir): JsText| -> rquickjs::Result<()> {
                std::env::set_current_dir(&dir).map_err(|e| {
                    let cwd = std::env::current_dir().map(|p| p.to_string_lossy().into_owned()).unwrap_or_default();
                    match errors::uv_exception(&ctx, &e, "chdir", Some(&cwd), Some(&dir)) {
                        Ok(v) => ctx.throw(v),
                        Err(e) => e,
                    }
                })
            })?),
            ("umask", Function::new(ctx.clone(), |mask: Opt<u32>| -> u32 {
                // SAFETY: umask only swaps the process mask; reading it
                // requires setting it back.
                unsafe {
                    match mask.0 {
                        Some(m) => libc::umask(m as libc::mode_t) as u32,
                        None => {
                            let old = libc::umask(0);
                            libc::umask(old);
                            old as u32
                        }
                    }
                }
            })?),
            ("hrtime", Function::new(ctx.clone(), |ctx: Ctx<'js>| -> rquickjs::Result<Array<'js>> {
                let (s, ns) = monotonic();
                let a = Array::new(ctx)?;
                a.set(0, s as f64)?;
                a.set(1, ns as f64)?;
                Ok(a)
            })?),
            ("uptime", Function::new(ctx.clone(), || event_loop::with_state(|s| s.hrtime_ms() / 1000.0))?),
            ("rss", Function::new(ctx.clone(), rss)?),
            ("memoryUsage", Function::new(ctx.clone(), |ctx: Ctx<'js>| -> rquickjs::Result<Object<'js>> {
                let (used, total) = host::heap_usage(&ctx);
                let o = Object::new(ctx)?;
                o.set("rss", rss())?;
                o.set("heapTotal", total as f64)?;
                o.set("heapUsed", used as f64)?;
                o.set("external", 0)?;
                o.set("arrayBuffers", 0)?;
                Ok(o)
            })?),
            ("cpuUsage", Function::new(ctx.clone(), |ctx: Ctx<'js>| -> rquickjs::Result<Array<'js>> {
                let u = rusage();
                let a = Array::new(ctx)?;
                a.set(0, micros(u.ru_utime))?;
                a.set(1, micros(u.ru_stime))?;
                Ok(a)
            })?),
            ("threadCpuUsage", Function::new(ctx.clone(), |ctx: Ctx<'js>| -> rquickjs::Result<Array<'js>> {
                // SAFETY: getrusage fills the struct for the calling thread.
                let u = unsafe {
                    let mut usage = std::mem::zeroed::<libc::rusage>();
                    libc::getrusage(libc::RUSAGE_THREAD, &mut usage);
                    usage
                };
                let a = Array::new(ctx)?;
                a.set(0, micros(u.ru_utime))?;
                a.set(1, micros(u.ru_stime))?;
                Ok(a)
            })?),
            ("resourceUsage", Function::new(ctx.clone(), |ctx: Ctx<'js>| -> rquickjs::Result<Object<'js>> {
                let u = rusage();
                let o = Object::new(ctx)?;
                o.set("userCPUTime", micros(u.ru_utime))?;
                o.set("systemCPUTime", micros(u.ru_stime))?;
                o.set("maxRSS", u.ru_maxrss as f64)?;
                o.set("sharedMemorySize", u.ru_ixrss as f64)?;
                o.set("unsharedDataSize", u.ru_idrss as f64)?;
                o.set("unsharedStackSize", u.ru_isrss as f64)?;
                o.set("minorPageFault", u.ru_minflt as f64)?;
                o.set("majorPageFault", u.ru_majflt as f64)?;
                o.set("swappedOut", u.ru_nswap as f64)?;
                o.set("fsRead", u.ru_inblock as f64)?;
                o.set("fsWrite", u.ru_oublock as f64)?;
                o.set("ipcSent", u.ru_msgsnd as f64)?;
                o.set("ipcReceived", u.ru_msgrcv as f64)?;
                o.set("signalsCount", u.ru_nsignals as f64)?;
                o.set("voluntaryContextSwitches", u.ru_nvcsw as f64)?;
                o.set("involuntaryContextSwitches", u.ru_nivcsw as f64)?;
                Ok(o)
            })?),
            ("kill", Function::new(ctx.clone(), |ctx: Ctx<'js>, pid: i32, signal: i32| -> rquickjs::Result<()> {
                // The signal may end this process before the loop would
                // flush stdout; Node's stdout is unbuffered, so what was
                // written before must be out first.
                stdio::flush_stdout();
                // SAFETY: kill(2) with caller-validated arguments.
                if unsafe { libc::kill(pid, signal) } != 0 {
                    return Err(errors::errno_exception(&ctx, &std::io::Error::last_os_error(), "kill"));
                }
                Ok(())
            })?),
            // SAFETY (the four below): identity queries with no preconditions.
            ("getuid", Function::new(ctx.clone(), || unsafe { libc::getuid() })?),
            ("geteuid", Function::new(ctx.clone(), || unsafe { libc::geteuid() })?),
            ("getgid", Function::new(ctx.clone(), || unsafe { libc::getgid() })?),
            ("getegid", Function::new(ctx.clone(), || unsafe { libc::getegid() })?),
            ("getEnv", Function::new(ctx.clone(), |JsText(name): JsText| std::env::var_os(name).map(|v| v.to_string_lossy().into_owned()))?),
            ("setEnv", Function::new(ctx.clone(), |JsText(name): JsText, JsText(value): JsText| {
                if !name.is_empty() && !name.contains(['=', '\0']) && !value.contains('\0') {
                    std::env::set_var(name, value);
                }
            })?),
            ("unsetEnv", Function::new(ctx.clone(), |JsText(name): JsText| {
                if !name.is_empty() && !name.contains(['=', '\0']) {
                    std::env::remove_var(name);
                }
            })?),
            ("envKeys", Function::new(ctx.clone(), || -> Vec<String> {
                std::env::vars_os().map(|(k, _)| k.to_string_lossy().into_owned()).collect()
            })?),
            ("reallyExit", Function::new(ctx.clone(), |code: i32| -> () { crate::exit(code) })?),
            ("abort", Function::new(ctx.clone(), || -> () {
                stdio::flush_stdout();
                std::process::abort()
            })?),
            ("writeStdout", Function::new(ctx.clone(), |v: Value<'js>| write_bytes(&v, stdio::write_stdout))?),
            ("writeStderr", Function::new(ctx.clone(), |v: Value<'js>| write_bytes(&v, stdio::write_stderr))?),
            ("isatty", Function::new(ctx.clone(), stdio::is_tty)?),
            ("startStdin", Function::new(ctx.clone(), |ctx: Ctx<'js>, callback: Function<'js>| stdio::stdin::start(&ctx, callback) as f64)?),
            ("readStdin", Function::new(ctx.clone(), stdio::stdin::request)?),
            ("refStdin", Function::new(ctx.clone(), stdio::stdin::set_ref)?),
            ("setRawMode", Function::new(ctx.clone(), |ctx: Ctx<'js>, raw: bool| {
                stdio::stdin::set_raw_mode(raw).map_err(|e| errors::errno_exception(&ctx, &e, "setRawMode"))
            })?),
            ("ttySize", Function::new(ctx.clone(), |fd: i32| stdio::tty_size(fd).map(|(c, r)| vec![c, r]))?),
            ("watchSignal", Function::new(ctx.clone(), watch_signal)?),
            ("takeRejections", Function::new(ctx.clone(), take_rejections)?),
            ("gc", Function::new(ctx.clone(), |ctx: Ctx<'js>| host::run_gc(&ctx))?),
        ],
    )
}

/// Starts delivering signal `signo` to JS as a loop event. Watching does not
/// keep the process alive, as in Node.
fn watch_signal(ctx: Ctx<'_>, signo: i32) -> rquickjs::Result<()> {
    event_loop::with_state(|state| {
        let sender = state.sender();
        let _guard = state.tokio.enter();
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::from_raw(signo)) {
            Ok(mut stream) => {
                state.tokio.spawn(async move {
                    while stream.recv().await.is_some() {
                        if sender.send(event_loop::LoopEvent::Signal(signo)).is_err() {
                            break;
                        }
                    }
                });
                Ok(())
            }
            Err(e) => Err(errors::throw_uv(&ctx, &e, "uv_signal_start", None)),
        }
    })
}
