// lode:module _http_server
// http.Server and http.ServerResponse. Each connection gets a parser;
// each request an IncomingMessage and a ServerResponse. Responses go out
// in request order (a pipelined request's response waits for the one
// before), keep-alive connections wait `keepAliveTimeout` for the next
// request, and malformed input gets a 400 (or 'clientError') while the
// server goes on.

const net = require('net');
const { IncomingMessage, setHead } = require('_http_incoming');
const { OutgoingMessage, kOutHeaders, onSocketDrain } = require('_http_outgoing');
const internalNet = require('internal/net');
const { attachConsumer, detachConsumer, pauseReads, resumeReads } = internalNet;
const { HTTPParser, parseError, STATUS_CODES, continueExpression, chunkExpression } = require('_http_common');
const {
  codes: { ERR_HTTP_INVALID_STATUS_CODE, ERR_HTTP_HEADERS_SENT, ERR_HTTP_SOCKET_ASSIGNED, ERR_INVALID_CHAR },
} = require('internal/errors');
const { validateInteger, validateObject, validateBoolean } = require('internal/validators');

const kConnection = Symbol('kConnection');

function ServerResponse(req, options) {
  OutgoingMessage.call(this, options);
  if (req.method === 'HEAD') this._hasBody = false;
  this.req = req;
  this.sendDate = true;
  this._sent100 = false;
  this._expect_continue = false;
  this.statusCode = 200;
  this.statusMessage = undefined;
  if (req.httpVersionMajor < 1 || req.httpVersionMinor < 1) {
    this.useChunkedEncodingByDefault = chunkExpression.test(req.headers.te);
    this.shouldKeepAlive = false;
  }
}
Object.setPrototypeOf(ServerResponse.prototype, OutgoingMessage.prototype);
Object.setPrototypeOf(ServerResponse, OutgoingMessage);

ServerResponse.prototype._finish = function _finish() {
  // A request body nobody reads is drained once the response is done.
  const req = this.req;
  if (req && req._readableState && !req._consuming && !req._readableState.resumeScheduled) req._dump();
  OutgoingMessage.prototype._finish.call(this);
};

ServerResponse.prototype.assignSocket = function assignSocket(socket) {
  if (socket._httpMessage) throw new ERR_HTTP_SOCKET_ASSIGNED();
  socket._httpMessage = this;
  socket.on('close', onServerResponseClose);
  this.socket = socket;
  this.emit('socket', socket);
  this._flushOutput(socket);
  // A response finished while it waited its turn completes now.
  if (this.finished) this._finish();
};

ServerResponse.prototype.detachSocket = function detachSocket(socket) {
  socket.removeListener('close', onServerResponseClose);
  socket._httpMessage = null;
  this.socket = null;
};

function onServerResponseClose() {
  const res = this._httpMessage;
  if (res) {
    res.destroyed = true;
    res._closed = true;
    res.emit('close');
  }
}

ServerResponse.prototype.writeContinue = function writeContinue(cb) {
  this._writeRaw('HTTP/1.1 100 Continue\r\n\r\n', 'ascii', cb);
  this._sent100 = true;
};

ServerResponse.prototype.writeProcessing = function writeProcessing(cb) {
  this._writeRaw('HTTP/1.1 102 Processing\r\n\r\n', 'ascii', cb);
};

ServerResponse.prototype.writeEarlyHints = function writeEarlyHints(hints, cb) {
  validateObject(hints, 'hints');
  let head = 'HTTP/1.1 103 Early Hints\r\n';
  for (const [key, value] of Object.entries(hints)) {
    for (const v of Array.isArray(value) ? value : [value]) head += `${key}: ${v}\r\n`;
  }
  this._writeRaw(`${head}\r\n`, 'ascii', cb);
};

ServerResponse.prototype._implicitHeader = function _implicitHeader() {
  this.writeHead(this.statusCode);
};

ServerResponse.prototype.writeHead = function writeHead(statusCode, reason, obj) {
  if (this._header) throw new ERR_HTTP_HEADERS_SENT('write');
  const originalStatusCode = statusCode;
  statusCode |= 0;
  if (statusCode < 100 || statusCode > 999) throw new ERR_HTTP_INVALID_STATUS_CODE(originalStatusCode);
  if (typeof reason === 'string') {
    this.statusMessage = reason;
  } else {
    this.statusMessage ||= STATUS_CODES[statusCode] || 'unknown';
    obj ??= reason;
  }
  this.statusCode = statusCode;
  let headers;
  if (this[kOutHeaders]) {
    if (obj) {
      if (Array.isArray(obj)) {
        if (obj.length && Array.isArray(obj[0])) for (const [k, v] of obj) this.appendHeader(k, v);
        else for (let i = 0; i < obj.length; i += 2) this.appendHeader(obj[i], obj[i + 1]);
      } else {
        for (const k of Object.keys(obj)) if (k) this.setHeader(k, obj[k]);
      }
    }
    headers = this[kOutHeaders];
  } else {
    headers = obj;
  }
  if (/[\r\n]/.test(this.statusMessage)) throw new ERR_INVALID_CHAR('statusMessage');
  const statusLine = `HTTP/1.1 ${statusCode} ${this.statusMessage}\r\n`;
  if (statusCode === 204 || statusCode === 304 || (statusCode >= 100 && statusCode <= 199)) this._hasBody = false;
  if (this._expect_continue && !this._sent100) this.shouldKeepAlive = false;
  this._storeHeader(statusLine, headers);
  return this;
};
ServerResponse.prototype.writeHeader = ServerResponse.prototype.writeHead;

function Server(options, requestListener) {
  if (!(this instanceof Server)) return new Server(options, requestListener);
  if (typeof options === 'function') {
    requestListener = options;
    options = {};
  } else if (options == null) {
    options = {};
  } else {
    validateObject(options, 'options');
  }
  this[kIncomingMessage] = options.IncomingMessage || IncomingMessage;
  this[kServerResponse] = options.ServerResponse || ServerResponse;
  if (options.maxHeaderSize !== undefined) validateInteger(options.maxHeaderSize, 'maxHeaderSize', 0);
  if (options.insecureHTTPParser !== undefined) validateBoolean(options.insecureHTTPParser, 'options.insecureHTTPParser');
  this.requestTimeout = options.requestTimeout ?? 300000;
  this.headersTimeout = options.headersTimeout ?? 60000;
  this.keepAliveTimeout = options.keepAliveTimeout ?? 5000;
  this.joinDuplicateHeaders = options.joinDuplicateHeaders;
  this.requireHostHeader = options.requireHostHeader ?? true;
  net.Server.call(this, { allowHalfOpen: true, noDelay: options.noDelay ?? true, keepAlive: options.keepAlive,
    keepAliveInitialDelay: options.keepAliveInitialDelay });
  if (requestListener) this.on('request', requestListener);
  this.httpAllowHalfOpen = false;
  this.on('connection', connectionListener);
  this.timeout = 0;
  this.maxHeadersCount = null;
  this.maxRequestsPerSocket = 0;
  this[kConnections] = new Set();
}
Object.setPrototypeOf(Server.prototype, net.Server.prototype);
Object.setPrototypeOf(Server, net.Server);
const kIncomingMessage = Symbol('IncomingMessage');
const kServerResponse = Symbol('ServerResponse');
const kConnections = Symbol('kConnections');

Server.prototype.setTimeout = function setTimeout(msecs, callback) {
  this.timeout = msecs;
  if (callback) this.on('timeout', callback);
  return this;
};

Server.prototype.close = function close(...args) {
  this.closeIdleConnections();
  return net.Server.prototype.close.apply(this, args);
};

Server.prototype.closeAllConnections = function closeAllConnections() {
  for (const socket of this[kConnections]) socket.destroy();
};

Server.prototype.closeIdleConnections = function closeIdleConnections() {
  for (const socket of this[kConnections]) {
    const state = socket[kConnection];
    if (state && state.idle) socket.destroy();
  }
};

Server.prototype[Symbol.asyncDispose] = function asyncDispose() {
  return new Promise((resolve, reject) => {
    if (!this.listening) return resolve();
    this.close((err) => (err ? reject(err) : resolve()));
  });
};

// Per-connection state: the parser, the request being read, and the
// responses waiting their turn.
class ConnectionState {
  constructor(server, socket) {
    this.server = server;
    this.socket = socket;
    this.incoming = null;
    this.outgoing = [];
    this.responses = 0;
    this.requests = 0;
    this.idle = true;
    this.keepAliveTimer = null;
    this.parser = new HTTPParser(false, (...event) => onParserEvent(this, ...event));
  }
}

function connectionListener(socket) {
  const server = this;
  const state = new ConnectionState(server, socket);
  socket[kConnection] = state;
  server[kConnections].add(socket);
  if (server.timeout && typeof socket.setTimeout === 'function') socket.setTimeout(server.timeout);
  socket.on('timeout', () => {
    const req = state.incoming;
    const reqTimeout = req && !req.complete && req.emit('timeout', socket);
    const res = socket._httpMessage;
    const resTimeout = res && res.emit('timeout', socket);
    const serverTimeout = server.emit('timeout', socket);
    if (!reqTimeout && !resTimeout && !serverTimeout) socket.destroy();
  });
  // Bytes go straight from the socket to the parser, not through the
  // socket's Readable (Node's parser consumes the handle likewise).
  state.onData = (chunk) => state.parser.execute(chunk);
  attachConsumer(socket, state.onData);
  socket.on('drain', () => {
    resumeIfDrained(state);
    onSocketDrain(socket._httpMessage);
  });
  socket.on('end', () => {
    state.parser.finish();
    if (state.incoming && !state.incoming.complete) {
      state.incoming.destroy();
    }
    if (server.httpAllowHalfOpen) return;
    if (!socket._httpMessage && state.outgoing.length === 0) {
      if (socket.writable) socket.end();
    } else {
      // End once the last response is written.
      state.endAfterResponses = true;
    }
  });
  socket.on('error', (err) => {
    if (!server.emit('clientError', err, socket)) socket.destroy();
  });
  socket.on('close', () => {
    clearKeepAlive(state);
    state.parser.free();
    server[kConnections].delete(socket);
    const req = state.incoming;
    if (req && !req.complete) req.destroy();
    // Responses never written are abandoned with their connection.
    for (const res of state.outgoing) onServerResponseCloseOf(res);
    state.outgoing = [];
  });
  socket._paused = false;
}

// Whether responses wait on the client: the socket's writes wait for
// 'drain', or responses queued behind the one being written hold at least
// a high-water mark of output (Node's outgoingData).
function isBackedUp(state) {
  const { socket } = state;
  if (internalNet.isWriteBlocked(socket)) return true;
  let queued = 0;
  for (const res of state.outgoing) queued += res.outputSize;
  return queued >= socket.writableHighWaterMark;
}

// Reads resume once the responses a flood paused them for have drained.
function resumeIfDrained(state) {
  const { socket } = state;
  if (!socket._paused || isBackedUp(state)) return;
  socket._paused = false;
  resumeReads(socket);
  socket.resume();
}

function onServerResponseCloseOf(res) {
  res.destroyed = true;
  res._closed = true;
  res.emit('close');
}

function clearKeepAlive(state) {
  if (state.keepAliveTimer) {
    clearTimeout(state.keepAliveTimer);
    state.keepAliveTimer = null;
  }
}

// An idle keep-alive connection closes after keepAliveTimeout. One timer
// per connection, pushed back after each response; it only acts on a
// connection still idle.
function armKeepAlive(state, timeout) {
  if (state.keepAliveTimer) {
    state.keepAliveTimer.refresh();
    return;
  }
  state.keepAliveTimer = setTimeout(() => {
    state.keepAliveTimer = null;
    if (state.idle) state.socket.destroy();
  }, timeout);
  state.keepAliveTimer.unref();
}

function onParserEvent(state, kind, a, b, c, d, e, f, g) {
  switch (kind) {
    case 'head': return onHead(state, a, b, c, d, e, f, g);
    case 'body': {
      const req = state.incoming;
      // A body read slower than it arrives stops the socket's reads
      // until IncomingMessage._read asks for more.
      if (req && !req._dumped && !req.push(a)) pauseReads(state.socket);
      return undefined;
    }
    case 'complete': {
      const req = state.incoming;
      if (!req) return undefined;
      req.rawTrailers = a;
      req.complete = true;
      req.push(null);
      state.incoming = null;
      return undefined;
    }
    case 'upgrade': return onUpgrade(state, a);
    default: return onParseError(state, a, b);
  }
}

function onHead(state, rawHeaders, method, url, major, minor, keepAlive, upgrade) {
  const { server, socket } = state;
  const req = new server[kIncomingMessage](socket);
  setHead(req, rawHeaders, major, minor, upgrade);
  req.method = method;
  req.url = url;
  req.joinDuplicateHeaders = !!server.joinDuplicateHeaders;
  state.incoming = req;
  state.idle = false;
  state.requests++;
  if (upgrade) {
    state.upgradeRequest = req;
    return;
  }
  // A client that pipelines requests faster than it reads the responses
  // stops being read until they drain (Node's flood prevention); requests
  // already read are still answered. The socket is paused as a Readable
  // too, so a 'data' listener added meanwhile does not resume it.
  if (!socket._paused && isBackedUp(state)) {
    socket._paused = true;
    socket.pause();
    pauseReads(socket);
  }
  if (server.requireHostHeader && major === 1 && minor === 1 && !hasRawHeader(rawHeaders, 'host')) {
    state.incoming = null;
    socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    return;
  }
  const res = new server[kServerResponse](req, { highWaterMark: socket.writableHighWaterMark });
  res._keepAliveTimeout = server.keepAliveTimeout;
  res.shouldKeepAlive = keepAlive;
  if (server.maxRequestsPerSocket > 0 && state.requests >= server.maxRequestsPerSocket) {
    res.maxRequestsOnConnectionReached = true;
  }
  res.on('finish', () => onResponseFinish(state, req, res));
  if (socket._httpMessage) {
    state.outgoing.push(res);
  } else {
    res.assignSocket(socket);
  }
  if (major === 1 && minor === 1 && hasRawHeader(rawHeaders, 'expect')) {
    const expect = req.headers.expect;
    if (continueExpression.test(expect)) {
      res._expect_continue = true;
      if (server.listenerCount('checkContinue') > 0) {
        server.emit('checkContinue', req, res);
        return;
      }
      res.writeContinue();
    } else if (server.listenerCount('checkExpectation') > 0) {
      server.emit('checkExpectation', req, res);
      return;
    } else {
      res.writeHead(417);
      res.end();
      return;
    }
  }
  server.emit('request', req, res);
}

// Whether a header is present, read off the raw list (no headers object
// is built for a request whose handler never looks).
function hasRawHeader(rawHeaders, lowerName) {
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i];
    if (name.length === lowerName.length && name.toLowerCase() === lowerName) return true;
  }
  return false;
}

function onResponseFinish(state, req, res) {
  const { socket, server } = state;
  if (res.socket) res.detachSocket(socket);
  req.emit('close');
  res.emit('close');
  state.responses++;
  if (res._last || socket.destroyed) {
    if (typeof socket.destroySoon === 'function') socket.destroySoon();
    else socket.end();
    return;
  }
  const next = state.outgoing.shift();
  if (next) {
    next.assignSocket(socket);
    resumeIfDrained(state);
    return;
  }
  resumeIfDrained(state);
  if (state.endAfterResponses) {
    socket.end();
    return;
  }
  if (!state.incoming) {
    state.idle = true;
    if (server.keepAliveTimeout > 0) armKeepAlive(state, server.keepAliveTimeout);
  }
}

function onUpgrade(state, head) {
  const { server, socket } = state;
  const req = state.upgradeRequest;
  state.upgradeRequest = null;
  state.incoming = null;
  const eventName = req.method === 'CONNECT' ? 'connect' : 'upgrade';
  if (server.listenerCount(eventName) > 0) {
    detachConsumer(socket, state.onData);
    clearKeepAlive(state);
    socket.removeAllListeners('data');
    socket.removeAllListeners('end');
    socket.removeAllListeners('timeout');
    state.parser.free();
    server[kConnections].delete(socket);
    req.complete = true;
    req.push(null);
    server.emit(eventName, req, socket, head);
    return;
  }
  // Nobody takes the upgrade: answer it as an ordinary request.
  const res = new server[kServerResponse](req);
  res.shouldKeepAlive = false;
  res.on('finish', () => onResponseFinish(state, req, res));
  res.assignSocket(socket);
  req.complete = true;
  req.push(null);
  server.emit('request', req, res);
}

function onParseError(state, code, reason) {
  const { server, socket } = state;
  const err = parseError(code, reason);
  state.incoming = null;
  if (server.listenerCount('clientError') > 0) {
    server.emit('clientError', err, socket);
    return;
  }
  if (socket.writable && (!socket._httpMessage || !socket._httpMessage._headerSent)) {
    const status = code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
    socket.write(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
  }
  socket.destroySoon();
}

function createServer(options, requestListener) {
  return new Server(options, requestListener);
}

module.exports = {
  STATUS_CODES,
  Server,
  ServerResponse,
  createServer,
  _connectionListener: connectionListener,
  kIncomingMessage,
  kServerResponse,
};
