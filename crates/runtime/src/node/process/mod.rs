//! Native side of `process`: identity, environment, clocks, resource usage,
//! signals, standard I/O writes, exiting, and the record of promise
//! rejections that `process.js` turns into `unhandledRejection` events.

use std::cell::RefCell;

use lode_engine::{Args, Binding, Global, Local, OpResult, Scope, Val};

use crate::{event_loop, node::errors, stdio};

/// One rejection event: whether it was a late handling, the promise, the reason.
type RejectionEvent = (bool, Global, Global);

thread_local! {
    /// Rejection events since JS last asked.
    static REJECTIONS: RefCell<Vec<RejectionEvent>> = const { RefCell::new(Vec::new()) };
}

/// The engine's promise-rejection hook: records the event for JS to process
/// once the microtask queue is drained, as Node does.
pub fn track_rejection<'s>(scope: &Scope<'s>, promise: Local<'s>, reason: Local<'s>, handled: bool) {
    let promise = scope.global(&promise);
    let reason = scope.global(&reason);
    REJECTIONS.with(|r| r.borrow_mut().push((handled, promise, reason)));
}

/// `[[handled, promise, reason], ...]`: the events recorded since the last call.
fn take_rejections<'s>(scope: &Scope<'s>, _: &Args<'s>) -> OpResult<'s> {
    let events = REJECTIONS.with(|r| std::mem::take(&mut *r.borrow_mut()));
    Ok(Val::array(events.into_iter().map(|(handled, promise, reason)| {
        Val::array([Val::Bool(handled), scope.local(&promise).into(), scope.local(&reason).into()])
    })))
}

fn monotonic() -> (i64, i64) {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime fills the timespec.
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts) };
    (ts.tv_sec, ts.tv_nsec)
}

fn rusage(who: libc::c_int) -> libc::rusage {
    // SAFETY: getrusage fills the struct for the calling process or thread.
    unsafe {
        let mut usage = std::mem::zeroed::<libc::rusage>();
        libc::getrusage(who, &mut usage);
        usage
    }
}

fn micros(tv: libc::timeval) -> f64 {
    tv.tv_sec as f64 * 1e6 + tv.tv_usec as f64
}

/// `[user, system]` CPU time in microseconds.
fn cpu_times<'s>(usage: &libc::rusage) -> Val<'s> {
    Val::array([micros(usage.ru_utime), micros(usage.ru_stime)])
}

/// Resident set size in bytes, from /proc.
fn rss() -> f64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: f64 = statm.split_whitespace().nth(1).and_then(|p| p.parse().ok()).unwrap_or(0.0);
    // SAFETY: sysconf has no preconditions.
    pages * unsafe { libc::sysconf(libc::_SC_PAGESIZE) } as f64
}

fn resource_usage<'s>(_: &Scope<'s>, _: &Args<'s>) -> OpResult<'s> {
    let u = rusage(libc::RUSAGE_SELF);
    Ok(Val::object([
        ("userCPUTime", micros(u.ru_utime).into()),
        ("systemCPUTime", micros(u.ru_stime).into()),
        ("maxRSS", (u.ru_maxrss as f64).into()),
        ("sharedMemorySize", (u.ru_ixrss as f64).into()),
        ("unsharedDataSize", (u.ru_idrss as f64).into()),
        ("unsharedStackSize", (u.ru_isrss as f64).into()),
        ("minorPageFault", (u.ru_minflt as f64).into()),
        ("majorPageFault", (u.ru_majflt as f64).into()),
        ("swappedOut", (u.ru_nswap as f64).into()),
        ("fsRead", (u.ru_inblock as f64).into()),
        ("fsWrite", (u.ru_oublock as f64).into()),
        ("ipcSent", (u.ru_msgsnd as f64).into()),
        ("ipcReceived", (u.ru_msgrcv as f64).into()),
        ("signalsCount", (u.ru_nsignals as f64).into()),
        ("voluntaryContextSwitches", (u.ru_nvcsw as f64).into()),
        ("involuntaryContextSwitches", (u.ru_nivcsw as f64).into()),
    ]))
}

/// Writes a string (as UTF-8) or a Uint8Array with `write`; anything else
/// is ignored.
fn write_bytes<'s>(scope: &Scope<'s>, value: &Local<'s>, write: fn(&[u8])) -> OpResult<'s> {
    scope.with_bytes(value, write)?;
    Ok(Val::Undefined)
}

pub fn init(b: &mut Binding<'_, '_>) {
    // SAFETY: plain identity queries.
    let (pid, ppid) = unsafe { (libc::getpid(), libc::getppid()) };
    let arch = match std::env::consts::ARCH {
        "x86_64" => "x64",
        "aarch64" => "arm64",
        "x86" => "ia32",
        other => other,
    };
    let exec_path = std::env::current_exe().map(|p| p.to_string_lossy().into_owned()).unwrap_or_default();
    // process.js shows it as `process.versions[engineName]`.
    let (engine_name, engine_version) = lode_engine::engine_version();
    b.value("pid", pid.into())
        .value("ppid", ppid.into())
        .value("platform", std::env::consts::OS.into())
        .value("arch", arch.into())
        .value("execPath", exec_path.into())
        .value("engineName", engine_name.into())
        .value("engineVersion", engine_version.into())
        .value("stdoutIsTTY", stdio::is_tty(1).into());

    b.op("cwd", |_, _| {
        let cwd = std::env::current_dir().map_err(|e| errors::uv_exception(&e, "uv_cwd", None, None))?;
        Ok(cwd.to_string_lossy().into_owned().into())
    })
    .op("chdir", |_, args| {
        let dir = args.string(0)?;
        std::env::set_current_dir(&dir).map_err(|e| {
            let cwd = std::env::current_dir().map(|p| p.to_string_lossy().into_owned()).unwrap_or_default();
            errors::uv_exception(&e, "chdir", Some(&cwd), Some(&dir))
        })?;
        Ok(Val::Undefined)
    })
    .op("umask", |_, args| {
        let mask = args.opt_number(0)?.map(|m| m as u32);
        // SAFETY: umask only swaps the process mask; reading it requires
        // setting it back.
        let old = unsafe {
            match mask {
                Some(m) => libc::umask(m as libc::mode_t),
                None => {
                    let old = libc::umask(0);
                    libc::umask(old);
                    old
                }
            }
        };
        Ok((old as u32).into())
    })
    .op("hrtime", |_, _| {
        let (s, ns) = monotonic();
        Ok(Val::array([s, ns]))
    })
    .op("uptime", |_, _| Ok(event_loop::with_state(|s| s.hrtime_ms() / 1000.0).into()))
    .op("rss", |_, _| Ok(rss().into()))
    .op("memoryUsage", |scope, _| {
        let (used, total) = scope.heap_usage();
        Ok(Val::object([
            ("rss", rss().into()),
            ("heapTotal", (total as f64).into()),
            ("heapUsed", (used as f64).into()),
            ("external", Val::Int(0)),
            ("arrayBuffers", Val::Int(0)),
        ]))
    })
    .op("cpuUsage", |_, _| Ok(cpu_times(&rusage(libc::RUSAGE_SELF))))
    .op("threadCpuUsage", |_, _| Ok(cpu_times(&rusage(libc::RUSAGE_THREAD))))
    .op("resourceUsage", resource_usage)
    .op("kill", |_, args| {
        let (pid, signal) = (args.i32(0)?, args.i32(1)?);
        // The signal may end this process before the loop would flush
        // stdout; Node's stdout is unbuffered, so what was written before
        // must be out first.
        stdio::flush_stdout();
        // SAFETY: kill(2) with caller-validated arguments.
        if unsafe { libc::kill(pid, signal) } != 0 {
            return Err(errors::errno_error(&std::io::Error::last_os_error(), "kill").into());
        }
        Ok(Val::Undefined)
    })
    // SAFETY (the four below): identity queries with no preconditions.
    .op("getuid", |_, _| Ok(unsafe { libc::getuid() }.into()))
    .op("geteuid", |_, _| Ok(unsafe { libc::geteuid() }.into()))
    .op("getgid", |_, _| Ok(unsafe { libc::getgid() }.into()))
    .op("getegid", |_, _| Ok(unsafe { libc::getegid() }.into()))
    .op("getEnv", |_, args| Ok(std::env::var_os(args.string(0)?).map(|v| v.to_string_lossy().into_owned()).into()))
    .op("setEnv", |_, args| {
        let (name, value) = (args.string(0)?, args.string(1)?);
        if !name.is_empty() && !name.contains(['=', '\0']) && !value.contains('\0') {
            std::env::set_var(name, value);
        }
        Ok(Val::Undefined)
    })
    .op("unsetEnv", |_, args| {
        let name = args.string(0)?;
        if !name.is_empty() && !name.contains(['=', '\0']) {
            std::env::remove_var(name);
        }
        Ok(Val::Undefined)
    })
    .op("envKeys", |_, _| Ok(Val::array(std::env::vars_os().map(|(k, _)| k.to_string_lossy().into_owned()))))
    .op("reallyExit", |_, args| crate::exit(args.i32(0)?))
    .op("abort", |_, _| {
        stdio::flush_stdout();
        std::process::abort()
    })
    .op("writeStdout", |scope, args| write_bytes(scope, &args.get(0), stdio::write_stdout))
    .op("writeStderr", |scope, args| write_bytes(scope, &args.get(0), stdio::write_stderr))
    .op("isatty", |_, args| Ok(stdio::is_tty(args.i32(0)?).into()))
    .op("startStdin", |scope, args| Ok(stdio::stdin::start(scope, &args.function(0)?).into()))
    .op("readStdin", |_, _| {
        stdio::stdin::request();
        Ok(Val::Undefined)
    })
    .op("refStdin", |_, args| {
        stdio::stdin::set_ref(args.bool(0)?);
        Ok(Val::Undefined)
    })
    .op("setRawMode", |_, args| {
        stdio::stdin::set_raw_mode(args.bool(0)?).map_err(|e| errors::errno_error(&e, "setRawMode"))?;
        Ok(Val::Undefined)
    })
    .op("ttySize", |_, args| Ok(stdio::tty_size(args.i32(0)?).map(|(columns, rows)| Val::array([columns, rows])).into()))
    .op("watchSignal", watch_signal)
    .op("takeRejections", take_rejections)
    .op("gc", |scope, _| {
        scope.run_gc();
        Ok(Val::Undefined)
    });
}

/// Starts delivering signal `signo` to JS as a loop event. Watching does not
/// keep the process alive, as in Node.
fn watch_signal<'s>(_: &Scope<'s>, args: &Args<'s>) -> OpResult<'s> {
    let signo = args.i32(0)?;
    event_loop::with_state(|state| {
        let sender = state.sender();
        let _guard = state.tokio.enter();
        let mut stream = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::from_raw(signo))
            .map_err(|e| errors::uv_exception(&e, "uv_signal_start", None, None))?;
        state.tokio.spawn(async move {
            while stream.recv().await.is_some() {
                if sender.send(event_loop::LoopEvent::Signal(signo)).is_err() {
                    break;
                }
            }
        });
        Ok(Val::Undefined)
    })
}
