// lode:module net
// `node:net`: TCP and Unix-domain sockets (net.Socket, a Duplex over a
// native socket) and servers (net.Server), plus the address helpers.
// The native side (net/mod.rs) reads only while the Readable wants data
// (push() returning false stops it, _read starts it again) and writes
// synchronously whenever the kernel has room.

const EventEmitter = require('events');
const { Duplex } = require('stream');
const { Buffer } = require('buffer');
const native = binding('net');
const internalNet = require('internal/net');
const { kDirectData } = internalNet;
const {
  codes: {
    ERR_INVALID_ARG_TYPE, ERR_INVALID_ARG_VALUE, ERR_MISSING_ARGS, ERR_SOCKET_BAD_PORT, ERR_SOCKET_CLOSED,
    ERR_SERVER_ALREADY_LISTEN, ERR_SERVER_NOT_RUNNING,
  },
  notImplemented,
} = require('internal/errors');
const {
  validateInt32, validateBoolean, validateFunction, validateNumber, validateString,
} = require('internal/validators');

const IPv4Part = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]\\d|\\d)';
const IPv4Pattern = new RegExp(`^(?:${IPv4Part}\\.){3}${IPv4Part}$`);
const IPv6Segment = '(?:[0-9a-fA-F]{1,4})';
const IPv4Tail = `(?:${IPv4Part}\\.){3}${IPv4Part}`;
const IPv6Pattern = new RegExp('^(?:' +
  `(?:${IPv6Segment}:){7}(?:${IPv6Segment}|:)|` +
  `(?:${IPv6Segment}:){6}(?:${IPv4Tail}|:${IPv6Segment}|:)|` +
  `(?:${IPv6Segment}:){5}(?::${IPv4Tail}|(?::${IPv6Segment}){1,2}|:)|` +
  `(?:${IPv6Segment}:){4}(?:(?::${IPv6Segment}){0,1}:${IPv4Tail}|(?::${IPv6Segment}){1,3}|:)|` +
  `(?:${IPv6Segment}:){3}(?:(?::${IPv6Segment}){0,2}:${IPv4Tail}|(?::${IPv6Segment}){1,4}|:)|` +
  `(?:${IPv6Segment}:){2}(?:(?::${IPv6Segment}){0,3}:${IPv4Tail}|(?::${IPv6Segment}){1,5}|:)|` +
  `(?:${IPv6Segment}:){1}(?:(?::${IPv6Segment}){0,4}:${IPv4Tail}|(?::${IPv6Segment}){1,6}|:)|` +
  `(?::(?:(?::${IPv6Segment}){0,5}:${IPv4Tail}|(?::${IPv6Segment}){1,7}|:))` +
  ')(?:%[0-9a-zA-Z-.:]{1,})?$');

function isIPv4(input) {
  return IPv4Pattern.test(`${input}`);
}

function isIPv6(input) {
  return IPv6Pattern.test(`${input}`);
}

function isIP(input) {
  if (isIPv4(input)) return 4;
  if (isIPv6(input)) return 6;
  return 0;
}

let autoSelectFamily = true;
let autoSelectFamilyAttemptTimeout = 250;

function isLegalPort(port) {
  if ((typeof port !== 'number' && typeof port !== 'string') ||
      (typeof port === 'string' && port.trim().length === 0)) return false;
  return +port === (+port >>> 0) && port <= 0xFFFF;
}

function validatePort(port, name = 'Port', allowZero = true) {
  if (!isLegalPort(port) || (!allowZero && +port === 0)) throw new ERR_SOCKET_BAD_PORT(name, port, allowZero);
  return +port;
}

function toNumber(x) {
  return (x = Number(x)) >= 0 ? x : false;
}

function isPipeName(s) {
  return typeof s === 'string' && toNumber(s) === false;
}

// Node's argument shapes for connect()/listen(): (options[, cb]),
// (path[, cb]), (port[, host][, cb]) → [options, cb].
function normalizeArgs(args) {
  if (args.length === 0) return [{}, null];
  const first = args[0];
  let options = {};
  if (typeof first === 'object' && first !== null) {
    options = first;
  } else if (isPipeName(first)) {
    options.path = first;
  } else {
    options.port = first;
    if (args.length > 1 && typeof args[1] === 'string') options.host = args[1];
  }
  const cb = args[args.length - 1];
  return [options, typeof cb === 'function' ? cb : null];
}

// The address object Node returns from address(): { address, family, port }.
function addressObject(endpoint) {
  if (!endpoint) return {};
  if (endpoint.length === 1) return endpoint[0];
  return { address: endpoint[0], family: endpoint[2], port: endpoint[1] };
}

const kHandle = Symbol('kHandle');
const kPending = Symbol('kPending');
const kTimeout = Symbol('kTimeout');
const kUnref = Symbol('kUnref');
const kReading = Symbol('kReading');
const kLocal = Symbol('kLocal');
const kPeer = Symbol('kPeer');
const kBytesWritten = Symbol('kBytesWritten');

// A native socket's ids: `id` in the socket table, `loop` its loop handle.
class SocketHandle {
  constructor(id, local, peer) {
    this.id = id;
    this.loop = -1;
    this.local = local;
    this.peer = peer;
  }
}

function Socket(options) {
  if (!(this instanceof Socket)) return new Socket(options);
  if (typeof options === 'number') options = { fd: options };
  options = { ...options };
  if (options.fd !== undefined) throw notImplemented('net.Socket({ fd })');
  const allowHalfOpen = Boolean(options.allowHalfOpen);
  Duplex.call(this, {
    ...options,
    allowHalfOpen,
    // 'close' is ours to emit, after the native close, with hadError.
    emitClose: false,
    autoDestroy: true,
    decodeStrings: false,
  });
  this.connecting = false;
  this[kHandle] = null;
  this[kPending] = null;
  this[kTimeout] = null;
  this[kUnref] = false;
  this[kReading] = false;
  this[kDirectData] = null;
  this[kBytesWritten] = 0;
  this.bytesRead = 0;
  this._host = null;
  this.server = null;
  this._server = null;
  if (options.handle instanceof SocketHandle) {
    adopt(this, options.handle);
    if (!options.pauseOnCreate) this.read(0);
    else this.pause();
  }
  if (options.signal) require('stream').addAbortSignal(options.signal, this);
}
Object.setPrototypeOf(Socket.prototype, Duplex.prototype);
Object.setPrototypeOf(Socket, Duplex);

// Takes over a connected native socket: its events come to `onSocketEvent`.
function adopt(socket, handle) {
  socket[kHandle] = handle;
  handle.loop = native.attach(handle.id, (kind, payload) => onSocketEvent(socket, kind, payload));
  updateRef(socket);
}

function onSocketEvent(socket, kind, payload) {
  if (socket.destroyed) return;
  if (kind === 'data') {
    socket.bytesRead += payload.length;
    touch(socket);
    const direct = socket[kDirectData];
    if (direct !== null) direct(payload);
    else if (!socket.push(payload)) stopReading(socket);
  } else if (kind === 'end') {
    stopReading(socket);
    socket.push(null);
    // 'end' is emitted even with no reader (the socket then closes); our
    // side ends too unless allowHalfOpen (Duplex does that).
    socket.read(0);
  } else {
    socket.destroy(payload);
  }
}

function updateRef(socket) {
  const handle = socket[kHandle];
  if (handle && handle.loop >= 0) native.setRef(handle.loop, socket[kReading] && !socket[kUnref]);
}

function startReading(socket) {
  if (socket[kReading] || !socket[kHandle]) return;
  socket[kReading] = true;
  native.readStart(socket[kHandle].id);
  updateRef(socket);
}

function stopReading(socket) {
  if (!socket[kReading] || !socket[kHandle]) return;
  socket[kReading] = false;
  native.readStop(socket[kHandle].id);
  updateRef(socket);
}

// Activity pushes the idle timeout back.
function touch(socket) {
  if (socket[kTimeout]) socket[kTimeout].refresh();
}

Socket.prototype._read = function _read() {
  if (this.connecting || !this[kHandle]) {
    this.once('connect', () => this._read());
    return;
  }
  startReading(this);
};

function toBuffer(chunk, encoding) {
  return typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk;
}

function writeNative(socket, data, cb) {
  const handle = socket[kHandle];
  if (!handle) return cb(new ERR_SOCKET_CLOSED());
  touch(socket);
  socket[kBytesWritten] += data.length;
  let done;
  try {
    done = native.write(handle.id, data, (err) => {
      if (err) socket.destroy(err);
      cb(err);
    });
  } catch (err) {
    socket.destroy(err);
    return cb(err);
  }
  if (done) cb();
}

// Writes past the Writable when it holds nothing (the common case of a
// response written at once): returns false when the kernel could not take
// it all, and 'drain' follows once it has; until then the socket counts as
// blocked (`internal/net`'s isWriteBlocked).
const kDirectBlocked = Symbol('kDirectBlocked');
function writeDirect(socket, data, encoding, cb) {
  const state = socket._writableState;
  if (socket.connecting || !socket[kHandle] || state.length !== 0 || state.corked || state.ending || socket.destroyed) {
    return socket.write(data, encoding, cb);
  }
  const bytes = typeof data === 'string' ? Buffer.from(data, encoding || 'utf8') : data;
  touch(socket);
  socket[kBytesWritten] += bytes.length;
  let done;
  try {
    done = native.write(socket[kHandle].id, bytes, (err) => {
      socket[kDirectBlocked] = false;
      if (err) socket.destroy(err);
      else socket.emit('drain');
      if (cb) cb(err);
    });
  } catch (err) {
    socket.destroy(err);
    if (cb) process.nextTick(cb, err);
    return false;
  }
  if (!done) socket[kDirectBlocked] = true;
  else if (cb) process.nextTick(cb);
  return done;
}
internalNet.writeDirect = writeDirect;
internalNet.isWriteBlocked = (socket) => socket.writableNeedDrain || socket[kDirectBlocked] === true;
internalNet.setReading = (socket, on) => (on ? startReading(socket) : stopReading(socket));
internalNet.isNetSocket = (socket) => socket instanceof Socket;

Socket.prototype._write = function _write(chunk, encoding, cb) {
  if (this.connecting) {
    this[kPending] = () => this._write(chunk, encoding, cb);
    return;
  }
  writeNative(this, toBuffer(chunk, encoding), cb);
};

Socket.prototype._writev = function _writev(chunks, cb) {
  if (this.connecting) {
    this[kPending] = () => this._writev(chunks, cb);
    return;
  }
  writeNative(this, Buffer.concat(chunks.map(({ chunk, encoding }) => toBuffer(chunk, encoding))), cb);
};

Socket.prototype._final = function _final(cb) {
  if (this.connecting) {
    this[kPending] = () => this._final(cb);
    return;
  }
  const handle = this[kHandle];
  if (!handle) return cb();
  native.shutdown(handle.id, (err) => cb(err && err.code !== 'ENOTCONN' ? err : undefined));
};

Socket.prototype._destroy = function _destroy(err, cb) {
  if (this[kTimeout]) {
    clearTimeout(this[kTimeout]);
    this[kTimeout] = null;
  }
  if (this.connecting) {
    this.connecting = false;
    this[kPending] = null;
  }
  const handle = this[kHandle];
  this[kHandle] = null;
  this[kReading] = false;
  if (handle) {
    this[kLocal] = handle.local;
    this[kPeer] = handle.peer;
    native.close(handle.id, handle.loop);
  }
  cb(err);
  process.nextTick(() => {
    this.emit('close', err != null);
    const server = this._server;
    if (server) {
      server._connections--;
      server._emitCloseIfDrained();
    }
  });
};

Socket.prototype.connect = function connect(...args) {
  const [options, cb] = Array.isArray(args[0]) && args[0].length === 2 ? args[0] : normalizeArgs(args);
  if (this.write !== Socket.prototype.write) this.write = Socket.prototype.write;
  if (this.destroyed) {
    this._readableState.destroyed = false;
    this._writableState.destroyed = false;
  }
  if (cb) this.once('connect', cb);
  if (options.timeout) this.setTimeout(options.timeout);
  this.connecting = true;
  const done = (err, id, local, peer) => {
    if (this.destroyed || !this.connecting) {
      if (!err) native.close(id, -1);
      return;
    }
    this.connecting = false;
    if (err) {
      this.destroy(err);
      return;
    }
    adopt(this, new SocketHandle(id, local, peer));
    if (options.noDelay !== undefined) this.setNoDelay(options.noDelay);
    if (options.keepAlive) this.setKeepAlive(true, options.keepAliveInitialDelay);
    const pending = this[kPending];
    this[kPending] = null;
    this.emit('connect');
    this.emit('ready');
    if (pending) pending();
    // A reader that asked before we connected, or a flowing stream.
    if (this._readableState.flowing || this._readableState.length < this._readableState.highWaterMark) {
      this.read(0);
    }
  };
  if (options.path !== undefined && options.path !== null) {
    validateString(options.path, 'options.path');
    this._host = null;
    native.connectPipe(options.path, done);
    return this;
  }
  const { host = 'localhost', port } = options;
  if (port === undefined) throw new ERR_MISSING_ARGS(['options', 'port', 'path']);
  if (typeof host !== 'string') throw new ERR_INVALID_ARG_TYPE('options.host', 'string', host);
  if (typeof port !== 'number' && typeof port !== 'string') {
    throw new ERR_INVALID_ARG_TYPE('options.port', ['number', 'string'], port);
  }
  const validPort = validatePort(port);
  this._host = host;
  native.connectTcp(host, validPort, done);
  return this;
};

Socket.prototype.setTimeout = function setTimeout_(msecs, callback) {
  validateNumber(msecs, 'msecs', 0);
  if (this[kTimeout]) {
    clearTimeout(this[kTimeout]);
    this[kTimeout] = null;
  }
  if (callback !== undefined) {
    validateFunction(callback, 'callback');
    if (msecs === 0) this.removeListener('timeout', callback);
    else this.once('timeout', callback);
  }
  if (msecs > 0 && Number.isFinite(msecs)) {
    this[kTimeout] = setTimeout(() => this.emit('timeout'), msecs);
    this[kTimeout].unref();
  }
  this.timeout = msecs;
  return this;
};

Socket.prototype.setNoDelay = function setNoDelay(enable = true) {
  if (this[kHandle]) native.setNoDelay(this[kHandle].id, Boolean(enable));
  return this;
};

Socket.prototype.setKeepAlive = function setKeepAlive(enable = false, initialDelay = 0) {
  if (this[kHandle]) native.setKeepAlive(this[kHandle].id, Boolean(enable), Math.floor(~~initialDelay / 1000));
  return this;
};

Socket.prototype.address = function address() {
  return addressObject(this[kHandle] ? this[kHandle].local : this[kLocal]);
};

Socket.prototype.ref = function ref() {
  this[kUnref] = false;
  updateRef(this);
  return this;
};

Socket.prototype.unref = function unref() {
  this[kUnref] = true;
  updateRef(this);
  return this;
};

Socket.prototype.destroySoon = function destroySoon() {
  if (this.writable) this.end();
  if (this.writableFinished) this.destroy();
  else this.once('finish', this.destroy);
};

Socket.prototype.resetAndDestroy = function resetAndDestroy() {
  if (this[kHandle]) native.setLinger(this[kHandle].id);
  return this.destroy();
};

function peer(socket) {
  return socket[kHandle] ? socket[kHandle].peer : socket[kPeer];
}

function local(socket) {
  return socket[kHandle] ? socket[kHandle].local : socket[kLocal];
}

Object.defineProperties(Socket.prototype, {
  remoteAddress: { configurable: true, get() { return peer(this)?.[0]; } },
  remotePort: { configurable: true, get() { return peer(this)?.[1]; } },
  remoteFamily: { configurable: true, get() { return peer(this)?.[2]; } },
  localAddress: { configurable: true, get() { return local(this)?.[0]; } },
  localPort: { configurable: true, get() { return local(this)?.[1]; } },
  localFamily: { configurable: true, get() { return local(this)?.[2]; } },
  bytesWritten: { configurable: true, get() { return this[kBytesWritten]; } },
  pending: { configurable: true, get() { return !this[kHandle] || this.connecting; } },
  _handle: { configurable: true, get() { return this[kHandle]; } },
  readyState: {
    configurable: true,
    get() {
      if (this.connecting) return 'opening';
      if (this.readable && this.writable) return 'open';
      if (this.readable && !this.writable) return 'readOnly';
      if (!this.readable && this.writable) return 'writeOnly';
      return 'closed';
    },
  },
  bufferSize: { configurable: true, get() { return this[kHandle] ? this.writableLength : undefined; } },
});

// A listening socket: its loop handle `id` and its descriptor `fd` (what
// child_process shares when the handle is given in `stdio`).
class ServerHandle {
  constructor(id, fd) {
    this.id = id;
    this.fd = fd;
  }
}

function Server(options, connectionListener) {
  if (!(this instanceof Server)) return new Server(options, connectionListener);
  EventEmitter.call(this);
  if (typeof options === 'function') {
    connectionListener = options;
    options = {};
  } else if (options == null || typeof options === 'object') {
    options = { ...options };
  } else {
    throw new ERR_INVALID_ARG_TYPE('options', 'Object', options);
  }
  if (typeof connectionListener === 'function') this.on('connection', connectionListener);
  this._connections = 0;
  this._handle = null;
  this[kLocal] = null;
  this[kUnref] = false;
  this._closeCallbacks = null;
  this.allowHalfOpen = options.allowHalfOpen || false;
  this.pauseOnConnect = !!options.pauseOnConnect;
  this.noDelay = Boolean(options.noDelay);
  this.keepAlive = Boolean(options.keepAlive);
  this.keepAliveInitialDelay = ~~(options.keepAliveInitialDelay / 1000);
  this.maxConnections = undefined;
}
Object.setPrototypeOf(Server.prototype, EventEmitter.prototype);
Object.setPrototypeOf(Server, EventEmitter);

Server.prototype.listen = function listen(...args) {
  const [options, cb] = normalizeArgs(args);
  if (this._handle) throw new ERR_SERVER_ALREADY_LISTEN();
  if (cb) this.once('listening', cb);
  // listen(port, host, backlog) and listen(port, backlog) shapes.
  const backlogArg = toNumber(args.length > 1 && args[1]) || toNumber(args.length > 2 && args[2]);
  const backlog = options.backlog ?? (backlogArg || 511);
  const onEvent = (kind, id, peerAddress) => onServerEvent(this, kind, id, peerAddress);
  // Bad arguments throw; a failed bind is an 'error' event, as in Node.
  let bind;
  if (options.path !== undefined) {
    validateString(options.path, 'options.path');
    bind = () => native.listenPipe(options.path, onEvent);
  } else if (options.fd !== undefined) {
    validateInt32(options.fd, 'options.fd', 0);
    bind = () => native.listenFd(options.fd, onEvent);
  } else {
    if (options.handle !== undefined) throw notImplemented('server.listen(handle)');
    let port = options.port ?? 0;
    if (typeof port !== 'number' && typeof port !== 'string') throw new ERR_INVALID_ARG_VALUE('options', options);
    port = validatePort(port, 'options.port');
    const flags = (options.ipv6Only ? 1 : 0) | (options.reusePort ? 2 : 0);
    // A cluster worker's listen() is served by the primary in Node (one
    // shared socket); only reusePort/exclusive listens are the worker's own.
    if (process.env.NODE_UNIQUE_ID !== undefined && !options.reusePort && !options.exclusive &&
        require('cluster').isWorker) {
      throw notImplemented("a cluster worker's listen() shared through the primary (use reusePort)");
    }
    bind = () => {
      let host = options.host || undefined;
      if (host !== undefined && !isIP(host)) host = native.lookup(host);
      return native.listenTcp(host, port, backlog, flags, onEvent);
    };
  }
  let result;
  try {
    result = bind();
  } catch (err) {
    process.nextTick(() => this.emit('error', err));
    return this;
  }
  this._handle = new ServerHandle(result[0], result[2]);
  this[kLocal] = result[1];
  if (this[kUnref]) native.setRef(this._handle.id, false);
  process.nextTick(() => {
    if (this._handle !== null) this.emit('listening');
  });
  return this;
};

function onServerEvent(server, kind, id, peerAddress) {
  if (kind === 'error') {
    server.emit('error', id);
    return;
  }
  if (server.maxConnections !== undefined && server._connections >= server.maxConnections) {
    native.close(id, -1);
    server.emit('drop', { localAddress: server[kLocal][0], localPort: server[kLocal][1], remoteAddress: peerAddress[0], remotePort: peerAddress[1] });
    return;
  }
  const socket = new Socket({
    handle: new SocketHandle(id, native.localAddress(id), peerAddress),
    allowHalfOpen: server.allowHalfOpen,
    pauseOnCreate: server.pauseOnConnect,
    readable: true,
    writable: true,
  });
  if (server.keepAlive) socket.setKeepAlive(true, server.keepAliveInitialDelay * 1000);
  server._connections++;
  socket.server = server;
  socket._server = server;
  server.emit('connection', socket);
}

Server.prototype.address = function address() {
  if (this._handle === null) return null;
  return addressObject(this[kLocal]);
};

Server.prototype.close = function close(cb) {
  if (typeof cb === 'function') {
    if (this._handle === null) {
      this.once('close', () => cb(new ERR_SERVER_NOT_RUNNING()));
    } else {
      this.once('close', cb);
    }
  }
  if (this._handle !== null) {
    native.closeServer(this._handle.id);
    this._handle = null;
  }
  this._emitCloseIfDrained();
  return this;
};

Server.prototype._emitCloseIfDrained = function _emitCloseIfDrained() {
  if (this._handle !== null || this._connections > 0) return;
  process.nextTick(() => this.emit('close'));
};

Server.prototype.getConnections = function getConnections(cb) {
  process.nextTick(cb, null, this._connections);
  return this;
};

Server.prototype.ref = function ref() {
  this[kUnref] = false;
  if (this._handle !== null) native.setRef(this._handle.id, true);
  return this;
};

Server.prototype.unref = function unref() {
  this[kUnref] = true;
  if (this._handle !== null) native.setRef(this._handle.id, false);
  return this;
};

Server.prototype[Symbol.asyncDispose] = function asyncDispose() {
  if (this._handle === null) return Promise.resolve();
  return new Promise((resolve, reject) => this.close((err) => (err ? reject(err) : resolve())));
};

Object.defineProperty(Server.prototype, 'listening', {
  configurable: true,
  enumerable: true,
  get() { return this._handle !== null; },
});

function createServer(options, connectionListener) {
  return new Server(options, connectionListener);
}

function connect(...args) {
  const [options, cb] = normalizeArgs(args);
  if (options.timeout) validateInt32(options.timeout, 'options.timeout', 0);
  const socket = new Socket(options);
  return socket.connect(options, cb);
}

module.exports = {
  isIP,
  isIPv4,
  isIPv6,
  _normalizeArgs: normalizeArgs,
  _validatePort: validatePort,
  getDefaultAutoSelectFamily() {
    return autoSelectFamily;
  },
  setDefaultAutoSelectFamily(value) {
    validateBoolean(value, 'value');
    autoSelectFamily = value;
  },
  getDefaultAutoSelectFamilyAttemptTimeout() {
    return autoSelectFamilyAttemptTimeout;
  },
  setDefaultAutoSelectFamilyAttemptTimeout(value) {
    validateInt32(value, 'value', 1);
    autoSelectFamilyAttemptTimeout = value < 10 ? 10 : value;
  },
  createServer,
  createConnection: connect,
  connect,
  Server,
  Socket,
  Stream: Socket,
};
