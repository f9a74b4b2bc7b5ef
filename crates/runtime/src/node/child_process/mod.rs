//! Native side of `child_process`: running a program to completion
//! (`spawnSync` and the `exec*Sync` functions built on it), with piped,
//! inherited or ignored stdio, input, a timeout and an output limit; and
//! running one alongside the event loop (`spawn`, in [`spawn`]).

mod ipc;
mod spawn;

use std::{
    io::{Read, Write},
    os::unix::process::{CommandExt, ExitStatusExt},
    process::{Command, Stdio},
    sync::mpsc,
    thread,
    time::Duration,
};

use std::os::fd::FromRawFd;

use lode_engine::{Args, Binding, JsError, Local, OpError, OpResult, Scope, Val};

/// How one of the child's standard streams is connected.
#[derive(Clone, Copy, PartialEq)]
enum StdioMode {
    Pipe,
    Inherit,
    Ignore,
    /// One of our descriptors, shared with the child (`stdio: [0, fd, ...]`).
    Fd(i32),
}

impl StdioMode {
    fn parse(mode: &str) -> Self {
        match mode {
            "inherit" => Self::Inherit,
            "ignore" => Self::Ignore,
            _ => match mode.strip_prefix("fd:").and_then(|n| n.parse().ok()) {
                Some(fd) => Self::Fd(fd),
                None => Self::Pipe,
            },
        }
    }

    fn stdio(self) -> Stdio {
        match self {
            Self::Pipe => Stdio::piped(),
            Self::Inherit => Stdio::inherit(),
            Self::Ignore => Stdio::null(),
            // SAFETY: dup(2) gives the child its own copy of a descriptor
            // we keep; a bad one fails the spawn with EBADF.
            Self::Fd(fd) => match unsafe { libc::dup(fd) } {
                -1 => Stdio::null(),
                copy => unsafe { Stdio::from(std::os::fd::OwnedFd::from_raw_fd(copy)) },
            },
        }
    }
}

/// What `spawnSync` was asked to do, read from the JS options object.
struct Request {
    file: String,
    args: Vec<String>,
    argv0: Option<String>,
    cwd: Option<String>,
    env: Option<Vec<(String, String)>>,
    input: Option<Vec<u8>>,
    stdio: [StdioMode; 3],
    timeout: Option<Duration>,
    kill_signal: i32,
    max_buffer: usize,
    /// A new session (process group leader), not killed with ours.
    detached: bool,
    uid: Option<u32>,
    gid: Option<u32>,
}

/// How the child ended, and what it wrote.
#[derive(Default)]
struct Outcome {
    pid: u32,
    status: Option<i32>,
    signal: Option<i32>,
    stdout: Option<Vec<u8>>,
    stderr: Option<Vec<u8>>,
    /// errno of a failure to spawn, or the reason it was stopped.
    error: Option<i32>,
}

/// Typed reads of the options object JS hands to `spawnSync` and `spawn`
/// (built by `normalize` in child_process.js).
struct Options<'a, 's> {
    scope: &'a Scope<'s>,
    object: Local<'s>,
}

impl<'s> Options<'_, 's> {
    fn get(&self, key: &str) -> Result<Local<'s>, OpError<'s>> {
        self.scope.get(&self.object, key)
    }

    /// `String(value)`, or `None` when `undefined` or `null`.
    fn text(&self, key: &str) -> Result<Option<String>, OpError<'s>> {
        let value = self.get(key)?;
        if value.is_nullish() {
            return Ok(None);
        }
        self.scope.string(&value).map(Some)
    }

    /// A number, or `None` when `undefined` or `null`.
    fn number(&self, key: &str) -> Result<Option<f64>, OpError<'s>> {
        let value = self.get(key)?;
        if value.is_nullish() {
            return Ok(None);
        }
        value.as_number().map(Some).ok_or_else(|| wrong(key, "a number"))
    }

    /// A user or group id, or `None` when `undefined` or `null`.
    fn id(&self, key: &str) -> Result<Option<u32>, OpError<'s>> {
        match self.number(key)? {
            Some(n) if (0.0..=u32::MAX as f64).contains(&n) => Ok(Some(n as u32)),
            Some(_) => Err(wrong(key, "a 32-bit unsigned integer")),
            None => Ok(None),
        }
    }

    /// A boolean, or `None` when `undefined` or `null`.
    fn bool(&self, key: &str) -> Result<Option<bool>, OpError<'s>> {
        let value = self.get(key)?;
        if value.is_nullish() {
            return Ok(None);
        }
        value.as_bool().map(Some).ok_or_else(|| wrong(key, "a boolean"))
    }

    /// The elements of an array, each as `String(element)`.
    fn strings(&self, array: &Local<'s>) -> Result<Vec<String>, OpError<'s>> {
        self.scope.elements(array)?.iter().map(|item| self.scope.string(item)).collect()
    }
}

/// The TypeError for an option of the wrong type.
fn wrong<'s>(key: &str, what: &str) -> OpError<'s> {
    JsError::type_error(format!("options.{key} must be {what}")).into()
}

fn read_request<'s>(options: &Options<'_, 's>) -> Result<Request, OpError<'s>> {
    let file = options.text("file")?.unwrap_or_default();
    let args = options.strings(&options.get("args")?)?;
    let env = options.get("envPairs")?;
    let env = if env.is_nullish() {
        None
    } else {
        Some(options.scope.elements(&env)?.iter().map(|pair| options.strings(pair)).collect::<Result<Vec<_>, _>>()?)
    };
    let input = options.scope.with_bytes(&options.get("input")?, <[u8]>::to_vec)?;
    let stdio = options.strings(&options.get("stdio")?)?;
    let mode = |i: usize| stdio.get(i).map(|m| StdioMode::parse(m)).unwrap_or(StdioMode::Pipe);
    let timeout = options.number("timeout")?;
    let max_buffer = options.number("maxBuffer")?;
    Ok(Request {
        file,
        args,
        argv0: options.text("argv0")?,
        cwd: options.text("cwd")?,
        env: env.map(|pairs| {
            pairs
                .into_iter()
                .filter_map(|mut kv| {
                    let value = kv.pop()?;
                    let key = kv.pop()?;
                    Some((key, value))
                })
                .collect()
        }),
        input,
        stdio: [mode(0), mode(1), mode(2)],
        timeout: timeout.filter(|t| *t > 0.0).map(|t| Duration::from_secs_f64(t / 1000.0)),
        kill_signal: options.number("killSignal")?.map_or(libc::SIGTERM, |n| n as i32),
        max_buffer: max_buffer.filter(|m| m.is_finite() && *m >= 0.0).map(|m| m as usize).unwrap_or(usize::MAX),
        detached: options.bool("detached")?.unwrap_or(false),
        uid: options.id("uid")?,
        gid: options.id("gid")?,
    })
}

/// The command a request describes, stdio not yet attached.
fn command(request: &Request) -> Command {
    let mut command = Command::new(&request.file);
    command.args(&request.args);
    if let Some(argv0) = &request.argv0 {
        command.arg0(argv0);
    }
    // An empty cwd means "stay here", as in Node.
    if let Some(cwd) = request.cwd.as_ref().filter(|c| !c.is_empty()) {
        command.current_dir(cwd);
    }
    if let Some(env) = &request.env {
        command.env_clear().envs(env.iter().map(|(k, v)| (k, v)));
    }
    if request.detached {
        command.process_group(0);
    }
    if let Some(uid) = request.uid {
        command.uid(uid);
    }
    if let Some(gid) = request.gid {
        command.gid(gid);
    }
    command
}

/// Reads a pipe to the end on its own thread; past `limit` bytes it stops
/// reading and reports the overflow (dropping the pipe, so a child that
/// keeps writing gets EPIPE rather than blocking).
fn collect(mut pipe: impl Read + Send + 'static, limit: usize) -> thread::JoinHandle<(Vec<u8>, bool)> {
    thread::spawn(move || {
        let mut out = Vec::new();
        let mut chunk = [0u8; 64 * 1024];
        loop {
            match pipe.read(&mut chunk) {
                Ok(0) | Err(_) => return (out, false),
                Ok(n) => {
                    // Like Node, the read that crosses the limit is kept whole.
                    out.extend_from_slice(&chunk[..n]);
                    if out.len() > limit {
                        return (out, true);
                    }
                }
            }
        }
    })
}

fn run(request: Request) -> Outcome {
    // What we printed so far comes before what an inheriting child prints.
    crate::stdio::flush_stdout();
    let mut command = command(&request);
    let stdin_mode = if request.input.is_some() { StdioMode::Pipe } else { request.stdio[0] };
    command.stdin(stdin_mode.stdio()).stdout(request.stdio[1].stdio()).stderr(request.stdio[2].stdio());

    let mut child = match command.spawn() {
        Ok(child) => child,
        Err(e) => return Outcome { error: Some(e.raw_os_error().unwrap_or(libc::EINVAL)), ..Outcome::default() },
    };
    let pid = child.id();
    if let Some(mut stdin) = child.stdin.take() {
        let input = request.input.unwrap_or_default();
        // Written from a thread so a child that writes before reading cannot deadlock us.
        thread::spawn(move || {
            let _ = stdin.write_all(&input);
        });
    }
    let stdout = child.stdout.take().map(|p| collect(p, request.max_buffer));
    let stderr = child.stderr.take().map(|p| collect(p, request.max_buffer));

    let (done_tx, done_rx) = mpsc::channel();
    let waiter = thread::spawn(move || {
        let status = child.wait();
        let _ = done_tx.send(());
        status
    });
    let mut error = None;
    if let Some(timeout) = request.timeout {
        if done_rx.recv_timeout(timeout).is_err() {
            error = Some(libc::ETIMEDOUT);
            // SAFETY: signals the child we spawned and have not reaped yet.
            unsafe { libc::kill(pid as i32, request.kill_signal) };
        }
    }
    let status = waiter.join().ok().and_then(Result::ok);
    let (stdout, stdout_over) = stdout.map(|h| h.join().unwrap_or_default()).map_or((None, false), |(b, o)| (Some(b), o));
    let (stderr, stderr_over) = stderr.map(|h| h.join().unwrap_or_default()).map_or((None, false), |(b, o)| (Some(b), o));
    if error.is_none() && (stdout_over || stderr_over) {
        error = Some(libc::ENOBUFS);
    }
    Outcome {
        pid,
        status: status.and_then(|s| s.code()),
        signal: status.and_then(|s| s.signal()),
        stdout,
        stderr,
        error,
    }
}

pub fn init(b: &mut Binding<'_, '_>) {
    spawn::init(b);
    ipc::init(b);
    b.op("spawnSync", spawn_sync);
}

/// Runs the child to completion: `{ pid, status, signal, stdout, stderr,
/// error }`, the output as Uint8Arrays (`null` when not piped).
fn spawn_sync<'s>(scope: &Scope<'s>, args: &Args<'s>) -> OpResult<'s> {
    let outcome = run(read_request(&Options { scope, object: args.object(0)? })?);
    Ok(Val::object([
        ("pid", outcome.pid.into()),
        ("status", outcome.status.into()),
        ("signal", outcome.signal.into()),
        ("stdout", Val::or_null(outcome.stdout.map(Val::Uint8Array))),
        ("stderr", Val::or_null(outcome.stderr.map(Val::Uint8Array))),
        ("error", outcome.error.into()),
    ]))
}
