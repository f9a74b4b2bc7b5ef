//! Native side of `net`: TCP and Unix-domain stream sockets and servers on
//! tokio's reactor, libuv's `uv_tcp_t`/`uv_pipe_t` in Lode.
//!
//! A socket lives in a per-thread table under its id. Once JS attaches it
//! to a loop handle, a reader task delivers each chunk it reads (and the
//! end, or an error) as handle events, but only while JS wants to read, as
//! `uv_read_start`/`uv_read_stop`. Writes go straight to the socket when it
//! has room and nothing is queued (libuv's `uv_try_write`), so most writes
//! complete synchronously; the rest wait in a writer task, in order, and
//! complete like any async operation. A server is a handle whose accept
//! task delivers each new connection as a socket id.

use std::{
    cell::RefCell,
    collections::HashMap,
    io,
    net::{IpAddr, SocketAddr},
    os::fd::{AsRawFd, RawFd},
    sync::{Arc, Mutex},
};

use lode_engine::{Args, Binding, JsError, Local, OpError, OpResult, Scope, Val};
use tokio::{
    io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt},
    sync::{mpsc, watch},
    task::JoinHandle,
};

use crate::{
    event_loop::{self, Deliver, LoopEvent, WriteDone},
    node::errors,
};

type Reader = Box<dyn AsyncRead + Send + Unpin>;
type Writer = Box<dyn AsyncWrite + Send + Unpin>;

/// An address as JS sees it: `[address, port, family]`, or a path.
#[derive(Clone)]
enum Endpoint {
    Ip(SocketAddr),
    Path(String),
}

impl Endpoint {
    fn to_val<'s>(&self) -> Val<'s> {
        match self {
            // IPv4 peers of a dual-stack server print as `::ffff:127.0.0.1`, as in Node.
            Endpoint::Ip(addr) => Val::array([
                Val::from(addr.ip().to_string()),
                addr.port().into(),
                Val::Str(if addr.is_ipv4() { "IPv4" } else { "IPv6" }),
            ]),
            Endpoint::Path(path) => Val::array([path.clone()]),
        }
    }
}

/// What a writer task is asked to do, in order.
enum WriteRequest {
    Write { bytes: Vec<u8>, op: usize },
    Shutdown { op: usize },
}

struct Socket {
    fd: RawFd,
    local: Endpoint,
    peer: Endpoint,
    /// Until attached: the stream's halves, waiting for a reader.
    unattached: Option<(Reader, Writer)>,
    writer: Option<mpsc::UnboundedSender<WriteRequest>>,
    /// Loop ops of the requests handed to the writer task and not yet done:
    /// while any are, later writes queue behind them to keep the order, and
    /// closing the socket completes them with ECANCELED (as `uv_close`
    /// does) so no callback, and no pending op holding the loop, is lost.
    queued: Queued,
    reading: Option<watch::Sender<bool>>,
    tasks: Vec<JoinHandle<()>>,
}

struct Server {
    local: Endpoint,
    task: JoinHandle<()>,
}

thread_local! {
    static SOCKETS: RefCell<HashMap<usize, Socket>> = RefCell::new(HashMap::new());
    static SERVERS: RefCell<HashMap<usize, Server>> = RefCell::new(HashMap::new());
    static NEXT_SOCKET: std::cell::Cell<usize> = const { std::cell::Cell::new(1) };
}

/// A stream ready to be registered, from `connect` or `accept`.
struct NewStream {
    fd: RawFd,
    local: Endpoint,
    peer: Endpoint,
    halves: (Reader, Writer),
}

impl NewStream {
    /// Fails once the peer has reset the connection: getpeername then
    /// gives ENOTCONN (an accepted one is dropped, see [`accept_event`]).
    fn tcp(stream: tokio::net::TcpStream) -> io::Result<Self> {
        let fd = stream.as_raw_fd();
        let local = Endpoint::Ip(stream.local_addr()?);
        let peer = Endpoint::Ip(stream.peer_addr()?);
        let (r, w) = stream.into_split();
        Ok(Self { fd, local, peer, halves: (Box::new(r), Box::new(w)) })
    }

    fn unix(stream: tokio::net::UnixStream, path: &str) -> Self {
        let fd = stream.as_raw_fd();
        let (r, w) = stream.into_split();
        let endpoint = Endpoint::Path(path.to_string());
        Self { fd, local: endpoint.clone(), peer: endpoint, halves: (Box::new(r), Box::new(w)) }
    }

    /// Puts the stream in the table; returns its id.
    fn register(self) -> usize {
        let id = NEXT_SOCKET.with(|n| {
            let id = n.get();
            n.set(id + 1);
            id
        });
        let socket = Socket {
            fd: self.fd,
            local: self.local,
            peer: self.peer,
            unattached: Some(self.halves),
            writer: None,
            queued: Queued::default(),
            reading: None,
            tasks: Vec::new(),
        };
        SOCKETS.with(|s| s.borrow_mut().insert(id, socket));
        id
    }
}

/// A socket that came into being: `[id, local, peer]` for JS.
struct Opened(io::Result<NewStream>, &'static str, String, u16);

impl Deliver for Opened {
    fn deliver<'s>(self: Box<Self>, _: &Scope<'s>) -> Result<Vec<Val<'s>>, OpError<'s>> {
        let Opened(result, syscall, host, port) = *self;
        Ok(match result {
            Ok(stream) => {
                let (local, peer) = (stream.local.to_val(), stream.peer.to_val());
                let id = stream.register();
                vec![Val::Null, id.into(), local, peer]
            }
            Err(e) => vec![host_port_error(&e, syscall, &host, port).into()],
        })
    }
}

/// What a socket's reader or a server's acceptor reports.
enum NetEvent {
    Data(Vec<u8>),
    End,
    Error(io::Error, &'static str),
    Connection(io::Result<NewStream>),
}

impl Deliver for NetEvent {
    fn deliver<'s>(self: Box<Self>, _: &Scope<'s>) -> Result<Vec<Val<'s>>, OpError<'s>> {
        Ok(match *self {
            NetEvent::Data(bytes) => vec![Val::Str("data"), Val::Buffer(bytes)],
            NetEvent::End => vec![Val::Str("end")],
            // Stream errors read as Node's: `read ECONNRESET`.
            NetEvent::Error(e, syscall) => vec![Val::Str("error"), errors::errno_error(&e, syscall).into()],
            NetEvent::Connection(Ok(stream)) => {
                let peer = stream.peer.to_val();
                let id = stream.register();
                vec![Val::Str("connection"), id.into(), peer]
            }
            NetEvent::Connection(Err(e)) => vec![Val::Str("error"), errors::errno_error(&e, "accept").into()],
        })
    }
}

/// Node's `exceptionWithHostPort`: `connect ECONNREFUSED 127.0.0.1:80`,
/// with `address` and `port`; for a name that does not resolve, the
/// `getaddrinfo ENOTFOUND host` error of `dns.lookup`.
fn host_port_error(err: &io::Error, syscall: &str, host: &str, port: u16) -> JsError {
    let lookup_failed = err.raw_os_error().is_none();
    let (code, syscall, message) = if lookup_failed {
        ("ENOTFOUND", "getaddrinfo", format!("getaddrinfo ENOTFOUND {host}"))
    } else {
        let (code, _) = errors::uv_name(err.raw_os_error().unwrap_or(0));
        let target = if port == 0 && host.starts_with('/') { host.to_string() } else { format!("{host}:{port}") };
        (code, syscall, format!("{syscall} {code} {target}"))
    };
    let error = JsError::error(message)
        .with("errno", if lookup_failed { -3008 } else { -err.raw_os_error().unwrap_or(0) })
        .with("code", code)
        .with("syscall", syscall);
    if lookup_failed {
        error.with("hostname", host)
    } else if host.starts_with('/') {
        error.with("address", host)
    } else {
        error.with("address", host).with("port", port)
    }
}

/// `listen` failures as Node reports them: `listen EADDRINUSE: address
/// already in use :::8080` (libuv's description included).
fn listen_error(err: &io::Error, host: &str, port: Option<u16>) -> JsError {
    let errno = err.raw_os_error().unwrap_or(libc::EINVAL);
    let (code, description) = errors::uv_name(errno);
    let target = match port {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    };
    let error = JsError::error(format!("listen {code}: {description} {target}"))
        .with("errno", -errno)
        .with("code", code)
        .with("syscall", "listen")
        .with("address", host);
    match port {
        Some(port) => error.with("port", port),
        None => error,
    }
}

fn send_event(sender: &mpsc::UnboundedSender<LoopEvent>, id: usize, event: NetEvent) -> bool {
    sender.send(LoopEvent::HandleEvent { id, event: Box::new(event) }).is_ok()
}

/// Reads while `reading` says so, delivering to loop handle `handle`.
async fn read_loop(mut reader: Reader, mut reading: watch::Receiver<bool>, handle: usize, events: mpsc::UnboundedSender<LoopEvent>) {
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        if reading.wait_for(|on| *on).await.is_err() {
            return;
        }
        let event = match reader.read(&mut buf).await {
            Ok(0) => NetEvent::End,
            Ok(n) => NetEvent::Data(buf[..n].to_vec()),
            Err(e) => NetEvent::Error(e, "read"),
        };
        let done = !matches!(event, NetEvent::Data(_));
        if !send_event(&events, handle, event) || done {
            return;
        }
    }
}

async fn write_loop(mut writer: Writer, mut requests: mpsc::UnboundedReceiver<WriteRequest>, queued: Queued, events: mpsc::UnboundedSender<LoopEvent>) {
    while let Some(request) = requests.recv().await {
        let (op, result) = match request {
            WriteRequest::Write { bytes, op } => (op, writer.write_all(&bytes).await),
            WriteRequest::Shutdown { op } => (op, writer.shutdown().await),
        };
        if !queued.complete(op, result, &events) {
            return;
        }
    }
}

/// The loop ops of a socket's queued writes and shutdowns (see
/// [`Socket::queued`]).
#[derive(Clone, Default)]
struct Queued(Arc<Mutex<Vec<usize>>>);

impl Queued {
    fn add(&self, op: usize) {
        self.0.lock().unwrap().push(op);
    }

    fn is_empty(&self) -> bool {
        self.0.lock().unwrap().is_empty()
    }

    /// Reports `op` done unless closing cancelled it first; false once the
    /// loop is gone.
    fn complete(&self, op: usize, result: io::Result<()>, events: &mpsc::UnboundedSender<LoopEvent>) -> bool {
        let mut ops = self.0.lock().unwrap();
        let Some(at) = ops.iter().position(|&o| o == op) else { return true };
        ops.remove(at);
        events.send(LoopEvent::Completion { id: op, result: Box::new(WriteDone(result)) }).is_ok()
    }

    /// Completes every op still queued with ECANCELED.
    fn cancel_all(&self, events: &mpsc::UnboundedSender<LoopEvent>) {
        for op in std::mem::take(&mut *self.0.lock().unwrap()) {
            let cancelled = WriteDone(Err(io::Error::from_raw_os_error(libc::ECANCELED)));
            let _ = events.send(LoopEvent::Completion { id: op, result: Box::new(cancelled) });
        }
    }
}

/// `attach(id, callback)`: starts reading and writing for socket `id`,
/// reporting to `callback`; returns the loop handle id.
fn attach<'s>(scope: &Scope<'s>, args: &Args<'s>) -> OpResult<'s> {
    let (id, callback) = (args.usize(0)?, args.function(1)?);
    let halves = SOCKETS.with(|s| s.borrow_mut().get_mut(&id).and_then(|socket| socket.unattached.take()));
    let Some((reader, writer)) = halves else {
        return Err(errors::uv_exception(&io::Error::from_raw_os_error(libc::EBADF), "attach", None, None).into());
    };
    event_loop::with_state(|state| {
        let handle = state.open_handle(scope, &callback);
        state.set_handle_ref(handle, false);
        let (reading_tx, reading_rx) = watch::channel(false);
        let (write_tx, write_rx) = mpsc::unbounded_channel();
        SOCKETS.with(|s| {
            let mut sockets = s.borrow_mut();
            let socket = sockets.get_mut(&id).expect("socket present");
            let queued = socket.queued.clone();
            socket.tasks.push(state.tokio.spawn(read_loop(reader, reading_rx, handle, state.sender())));
            socket.tasks.push(state.tokio.spawn(write_loop(writer, write_rx, queued, state.sender())));
            socket.reading = Some(reading_tx);
            socket.writer = Some(write_tx);
        });
        Ok(handle.into())
    })
}

/// Writes `bytes` now if the socket has room; returns how many were
/// written, or an error that is not "would block".
fn try_send(fd: RawFd, bytes: &[u8]) -> io::Result<usize> {
    // SAFETY: a non-blocking send(2) from a slice we borrow, on a socket
    // the table owns; MSG_NOSIGNAL turns SIGPIPE into EPIPE.
    let n = unsafe { libc::send(fd, bytes.as_ptr().cast(), bytes.len(), libc::MSG_DONTWAIT | libc::MSG_NOSIGNAL) };
    if n >= 0 {
        return Ok(n as usize);
    }
    let err = io::Error::last_os_error();
    match err.raw_os_error() {
        Some(libc::EAGAIN) => Ok(0),
        _ => Err(err),
    }
}

/// `write(id, data, callback)`: true when written at once (the callback is
/// not kept), false when queued (the callback completes it).
fn write<'s>(scope: &Scope<'s>, args: &Args<'s>) -> OpResult<'s> {
    let (id, data, callback) = (args.usize(0)?, args.get(1), args.function(2)?);
    let sent = SOCKETS.with(|s| -> io::Result<(usize, mpsc::UnboundedSender<WriteRequest>, Queued)> {
        let sockets = s.borrow();
        let socket = sockets.get(&id).ok_or_else(|| io::Error::from_raw_os_error(libc::EBADF))?;
        let writer = socket.writer.clone().ok_or_else(|| io::Error::from_raw_os_error(libc::ENOTCONN))?;
        let written = if socket.queued.is_empty() {
            scope
                .with_bytes(&data, |bytes| try_send(socket.fd, bytes))
                .map_err(|_| io::Error::from_raw_os_error(libc::EINVAL))?
                .unwrap_or(Ok(0))?
        } else {
            0
        };
        Ok((written, writer, socket.queued.clone()))
    });
    let (written, writer, queued) = sent.map_err(|e| errors::uv_exception(&e, "write", None, None))?;
    let rest = scope.with_bytes(&data, |bytes| bytes[written.min(bytes.len())..].to_vec())?.unwrap_or_default();
    if rest.is_empty() {
        return Ok(true.into());
    }
    let op = event_loop::with_state(|state| state.start_op(scope, &callback));
    queued.add(op);
    if writer.send(WriteRequest::Write { bytes: rest, op }).is_err() {
        let sender = event_loop::with_state(|state| state.sender());
        queued.complete(op, Err(io::Error::from_raw_os_error(libc::EPIPE)), &sender);
    }
    Ok(false.into())
}

/// `shutdown(id, callback)`: ends our side (FIN) after every queued write.
fn shutdown<'s>(scope: &Scope<'s>, args: &Args<'s>) -> OpResult<'s> {
    let (id, callback) = (args.usize(0)?, args.function(1)?);
    let target = SOCKETS.with(|s| s.borrow().get(&id).map(|socket| (socket.writer.clone(), socket.queued.clone())));
    let op = event_loop::with_state(|state| state.start_op(scope, &callback));
    let sender = event_loop::with_state(|state| state.sender());
    let complete = |result| {
        let _ = sender.send(LoopEvent::Completion { id: op, result: Box::new(WriteDone(result)) });
    };
    match target {
        Some((Some(writer), queued)) => {
            queued.add(op);
            if writer.send(WriteRequest::Shutdown { op }).is_err() {
                queued.complete(op, Err(io::Error::from_raw_os_error(libc::ENOTCONN)), &sender);
            }
        }
        _ => complete(Err(io::Error::from_raw_os_error(libc::ENOTCONN))),
    }
    Ok(Val::Undefined)
}

/// `close(id, handle)`: closes socket `id`: its tasks stop, its descriptor
/// closes, its handle (unless -1) is released. Unsent data is dropped, as
/// `uv_close` does.
fn close<'s>(_: &Scope<'s>, args: &Args<'s>) -> OpResult<'s> {
    let (id, handle) = (args.usize(0)?, args.number(1)?);
    if let Some(socket) = SOCKETS.with(|s| s.borrow_mut().remove(&id)) {
        if socket.unattached.is_none() {
            // The descriptor belongs to the aborted tasks' halves; shut it
            // down now so the peer sees the close before they are dropped.
            // SAFETY: shutdown(2) on a descriptor still open.
            unsafe { libc::shutdown(socket.fd, libc::SHUT_RDWR) };
        }
        for task in socket.tasks {
            task.abort();
        }
        socket.queued.cancel_all(&event_loop::with_state(|state| state.sender()));
    }
    if handle >= 0.0 {
        event_loop::with_state(|s| s.close_handle(handle as usize));
    }
    Ok(Val::Undefined)
}

/// `readStart(id)`/`readStop(id)`.
fn set_reading<'s>(args: &Args<'s>, on: bool) -> OpResult<'s> {
    let id = args.usize(0)?;
    SOCKETS.with(|s| {
        if let Some(reading) = s.borrow().get(&id).and_then(|socket| socket.reading.as_ref()) {
            reading.send_replace(on);
        }
    });
    Ok(Val::Undefined)
}

fn set_option(id: usize, level: i32, name: i32, value: i32) -> i32 {
    let Some(fd) = SOCKETS.with(|s| s.borrow().get(&id).map(|socket| socket.fd)) else {
        return -libc::EBADF;
    };
    // SAFETY: setsockopt(2) with an int option on a socket the table owns.
    let rc = unsafe {
        libc::setsockopt(fd, level, name, (&value as *const i32).cast(), std::mem::size_of::<i32>() as libc::socklen_t)
    };
    if rc == 0 { 0 } else { -io::Error::last_os_error().raw_os_error().unwrap_or(0) }
}

/// A listening socket for `host:port`, bound with Node's defaults
/// (SO_REUSEADDR, dual-stack on `::`, the given backlog), and SO_REUSEPORT
/// when asked (`reusePort`).
fn bind_tcp(addr: SocketAddr, backlog: i32, ipv6_only: bool, reuse_port: bool) -> io::Result<std::net::TcpListener> {
    let domain = if addr.is_ipv4() { socket2::Domain::IPV4 } else { socket2::Domain::IPV6 };
    let socket = socket2::Socket::new(domain, socket2::Type::STREAM, None)?;
    socket.set_reuse_address(true)?;
    if reuse_port {
        socket.set_reuse_port(true)?;
    }
    if addr.is_ipv6() {
        socket.set_only_v6(ipv6_only)?;
    }
    socket.set_nonblocking(true)?;
    socket.bind(&addr.into())?;
    socket.listen(backlog)?;
    Ok(socket.into())
}

/// Whether a failed accept(2) concerns only the connection it was
/// accepting (the peer aborted or reset it while it waited in the backlog,
/// or, on Linux, a network error already pending on the new socket), or
/// was interrupted: the server goes on accepting and never hears of it, as
/// libuv skips ECONNABORTED. Anything else (EMFILE...) is the server's
/// 'error'.
fn drops_only_this_connection(err: &io::Error) -> bool {
    matches!(
        err.raw_os_error(),
        Some(
            libc::ECONNABORTED
                | libc::ECONNRESET
                | libc::ENOTCONN
                | libc::EINTR
                | libc::EPROTO
                | libc::EPERM
                | libc::ENETDOWN
                | libc::ENETUNREACH
                | libc::EHOSTDOWN
                | libc::EHOSTUNREACH
                | libc::ENONET
                | libc::ENOPROTOOPT
                | libc::EOPNOTSUPP
        )
    )
}

/// The server event for one accept: `accepted` is accept's own result,
/// holding the result of setting up the stream it gave. A connection that
/// failed on its own (see [`drops_only_this_connection`]), or whose setup
/// failed once accepted, is dropped with no event, as Node drops one that
/// `uv_accept` cannot take.
fn accept_event(accepted: io::Result<io::Result<NewStream>>) -> Option<NetEvent> {
    match accepted {
        Ok(Ok(stream)) => Some(NetEvent::Connection(Ok(stream))),
        Ok(Err(_)) => None,
        Err(e) if drops_only_this_connection(&e) => None,
        Err(e) => Some(NetEvent::Connection(Err(e))),
    }
}

/// Accepts on `listener` for ever, each connection an event for loop
/// handle `callback`; returns `[handle, local, fd]`.
fn serve_tcp<'s>(scope: &Scope<'s>, listener: std::net::TcpListener, callback: &Local<'s>) -> OpResult<'s> {
    let local = Endpoint::Ip(listener.local_addr().map_err(|e| errors::uv_exception(&e, "getsockname", None, None))?);
    let fd = listener.as_raw_fd();
    event_loop::with_state(|state| {
        let _guard = state.tokio.enter();
        let listener = tokio::net::TcpListener::from_std(listener).map_err(|e| errors::uv_exception(&e, "listen", None, None))?;
        let handle = state.open_handle(scope, callback);
        let events = state.sender();
        let task = state.tokio.spawn(async move {
            loop {
                let accepted = listener.accept().await.map(|(stream, _)| {
                    stream.set_nodelay(true)?;
                    NewStream::tcp(stream)
                });
                let Some(event) = accept_event(accepted) else { continue };
                if !send_event(&events, handle, event) {
                    return;
                }
            }
        });
        SERVERS.with(|s| s.borrow_mut().insert(handle, Server { local: local.clone(), task }));
        Ok(Val::array([handle.into(), local.to_val(), fd.into()]))
    })
}

/// `listenTcp(host, port, backlog, flags, callback)` → `[handle, local,
/// fd]`; flags: 1 ipv6Only, 2 reusePort. With no host, `::` (falling back to `0.0.0.0`
/// without IPv6), as Node.
fn listen_tcp<'s>(scope: &Scope<'s>, args: &Args<'s>) -> OpResult<'s> {
    let (host, port, backlog, flags, callback) =
        (args.opt_string(0)?, args.number(1)? as u16, args.i32(2)?, args.i32(3)?, args.function(4)?);
    let (ipv6_only, reuse_port) = (flags & 1 != 0, flags & 2 != 0);
    let bind = |ip: IpAddr, v6_only: bool| bind_tcp(SocketAddr::new(ip, port), backlog, v6_only, reuse_port);
    let listener = match host {
        Some(host) => {
            let ip: IpAddr = host.parse().map_err(|_| listen_error(&io::Error::from_raw_os_error(libc::EINVAL), &host, Some(port)))?;
            bind(ip, ipv6_only).map_err(|e| listen_error(&e, &host, Some(port)))?
        }
        None => match bind(IpAddr::V6(std::net::Ipv6Addr::UNSPECIFIED), ipv6_only) {
            Ok(listener) => listener,
            Err(e) if e.raw_os_error() == Some(libc::EAFNOSUPPORT) => {
                bind(IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED), false).map_err(|e| listen_error(&e, "0.0.0.0", Some(port)))?
            }
            Err(e) => return Err(listen_error(&e, "::", Some(port)).into()),
        },
    };
    serve_tcp(scope, listener, &callback)
}

/// `listenFd(fd, callback)`: serves a listening TCP socket this process
/// was handed (inherited from a parent), which it then owns.
fn listen_fd<'s>(scope: &Scope<'s>, args: &Args<'s>) -> OpResult<'s> {
    let (fd, callback) = (args.i32(0)?, args.function(1)?);
    // SAFETY: the descriptor is the caller's to give away (Node's
    // listen({ fd }) contract); a bad one fails in getsockname below.
    let listener = unsafe { <std::net::TcpListener as std::os::fd::FromRawFd>::from_raw_fd(fd) };
    if let Err(e) = listener.set_nonblocking(true).and_then(|_| listener.local_addr()) {
        std::mem::forget(listener);
        return Err(listen_error(&e, &format!("fd {fd}"), None).into());
    }
    serve_tcp(scope, listener, &callback)
}

/// `listenPipe(path, callback)` → `[handle, local, fd]`.
fn listen_pipe<'s>(scope: &Scope<'s>, args: &Args<'s>) -> OpResult<'s> {
    let (path, callback) = (args.string(0)?, args.function(1)?);
    event_loop::with_state(|state| {
        let _guard = state.tokio.enter();
        let listener = tokio::net::UnixListener::bind(&path).map_err(|e| listen_error(&e, &path, None))?;
        let fd = listener.as_raw_fd();
        let handle = state.open_handle(scope, &callback);
        let events = state.sender();
        let local_path = path.clone();
        let task = state.tokio.spawn(async move {
            loop {
                let accepted = listener.accept().await.map(|(stream, _)| Ok(NewStream::unix(stream, &local_path)));
                let Some(event) = accept_event(accepted) else { continue };
                if !send_event(&events, handle, event) {
                    return;
                }
            }
        });
        let local = Endpoint::Path(path);
        SERVERS.with(|s| s.borrow_mut().insert(handle, Server { local: local.clone(), task }));
        Ok(Val::array([handle.into(), local.to_val(), fd.into()]))
    })
}

/// `connectTcp(host, port, callback)`: resolves `host` (in address order,
/// as Node's `verbatim` lookup) and connects; the callback gets
/// `(err, id, local, peer)`.
fn connect_tcp<'s>(scope: &Scope<'s>, args: &Args<'s>) -> OpResult<'s> {
    let (host, port, callback) = (args.string(0)?, args.number(1)? as u16, args.function(2)?);
    event_loop::with_state(|state| {
        let op = state.start_op(scope, &callback);
        let sender = state.sender();
        state.tokio.spawn(async move {
            let result = async {
                let mut last = io::Error::new(io::ErrorKind::NotFound, "no address");
                for addr in tokio::net::lookup_host((host.as_str(), port)).await.map_err(|e| io::Error::new(io::ErrorKind::NotFound, e))? {
                    match tokio::net::TcpStream::connect(addr).await {
                        Ok(stream) => {
                            stream.set_nodelay(true)?;
                            return NewStream::tcp(stream);
                        }
                        Err(e) => last = e,
                    }
                }
                Err(last)
            }
            .await;
            let _ = sender.send(LoopEvent::Completion { id: op, result: Box::new(Opened(result, "connect", host, port)) });
        });
    });
    Ok(Val::Undefined)
}

/// `connectPipe(path, callback)`: as `connectTcp`, to a Unix-domain socket.
fn connect_pipe<'s>(scope: &Scope<'s>, args: &Args<'s>) -> OpResult<'s> {
    let (path, callback) = (args.string(0)?, args.function(1)?);
    event_loop::with_state(|state| {
        let op = state.start_op(scope, &callback);
        let sender = state.sender();
        state.tokio.spawn(async move {
            let result = tokio::net::UnixStream::connect(&path).await.map(|stream| NewStream::unix(stream, &path));
            let _ = sender.send(LoopEvent::Completion { id: op, result: Box::new(Opened(result, "connect", path, 0)) });
        });
    });
    Ok(Val::Undefined)
}

/// The address of socket `id` that `pick` chooses, or `undefined`.
fn address<'s>(args: &Args<'s>, pick: fn(&Socket) -> &Endpoint) -> OpResult<'s> {
    let id = args.usize(0)?;
    Ok(SOCKETS.with(|s| s.borrow().get(&id).map(|socket| pick(socket).to_val())).into())
}

pub fn init(b: &mut Binding<'_, '_>) {
    b.op("listenTcp", listen_tcp)
        .op("listenPipe", listen_pipe)
        .op("listenFd", listen_fd)
        .op("closeServer", |_, args| {
            let handle = args.usize(0)?;
            if let Some(server) = SERVERS.with(|s| s.borrow_mut().remove(&handle)) {
                server.task.abort();
                if let Endpoint::Path(path) = server.local {
                    let _ = std::fs::remove_file(path);
                }
            }
            event_loop::with_state(|s| s.close_handle(handle));
            Ok(Val::Undefined)
        })
        .op("connectTcp", connect_tcp)
        .op("connectPipe", connect_pipe)
        .op("attach", attach)
        .op("readStart", |_, args| set_reading(args, true))
        .op("readStop", |_, args| set_reading(args, false))
        .op("write", write)
        .op("shutdown", shutdown)
        .op("close", close)
        .op("setRef", |_, args| {
            let (handle, refed) = (args.usize(0)?, args.bool(1)?);
            event_loop::with_state(|s| s.set_handle_ref(handle, refed));
            Ok(Val::Undefined)
        })
        .op("setNoDelay", |_, args| {
            let (id, on) = (args.usize(0)?, args.bool(1)?);
            Ok(set_option(id, libc::IPPROTO_TCP, libc::TCP_NODELAY, on as i32).into())
        })
        .op("setKeepAlive", |_, args| {
            let (id, on, delay_secs) = (args.usize(0)?, args.bool(1)?, args.i32(2)?);
            let rc = set_option(id, libc::SOL_SOCKET, libc::SO_KEEPALIVE, on as i32);
            if rc == 0 && on && delay_secs > 0 {
                return Ok(set_option(id, libc::IPPROTO_TCP, libc::TCP_KEEPIDLE, delay_secs).into());
            }
            Ok(rc.into())
        })
        // SO_LINGER 0: close() then sends RST (resetAndDestroy).
        .op("setLinger", |_, args| {
            let id = args.usize(0)?;
            let Some(fd) = SOCKETS.with(|s| s.borrow().get(&id).map(|socket| socket.fd)) else { return Ok(Val::Undefined) };
            let linger = libc::linger { l_onoff: 1, l_linger: 0 };
            // SAFETY: setsockopt(2) with a linger struct on a socket the table owns.
            unsafe {
                libc::setsockopt(fd, libc::SOL_SOCKET, libc::SO_LINGER, (&linger as *const libc::linger).cast(), std::mem::size_of::<libc::linger>() as libc::socklen_t)
            };
            Ok(Val::Undefined)
        })
        // The first address of a host name, for listen(port, 'name').
        .op("lookup", |_, args| {
            use std::net::ToSocketAddrs;
            let host = args.string(0)?;
            match (host.as_str(), 0).to_socket_addrs().map(|mut addrs| addrs.next()) {
                Ok(Some(addr)) => Ok(addr.ip().to_string().into()),
                Ok(None) | Err(_) => Err(host_port_error(&io::Error::other("not found"), "getaddrinfo", &host, 0).into()),
            }
        })
        .op("localAddress", |_, args| address(args, |socket| &socket.local))
        .op("peerAddress", |_, args| address(args, |socket| &socket.peer));
}
