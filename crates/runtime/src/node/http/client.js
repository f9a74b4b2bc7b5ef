// lode:module _http_client
// http.ClientRequest: a request written on a socket its Agent provides
// (or `createConnection`'s), its response parsed into an IncomingMessage.
// After a keep-alive response has been read to the end the socket goes
// back to the agent ('free'); otherwise it is closed.

const net = require('net');
const { URL, urlToHttpOptions } = require('url');
const { OutgoingMessage, kOutHeaders, onSocketDrain } = require('_http_outgoing');
const { attachConsumer, detachConsumer, pauseReads, resumeReads } = require('internal/net');
const { IncomingMessage, setHead } = require('_http_incoming');
const { HTTPParser, parseError, checkIsHttpToken, validateHeaderName } = require('_http_common');
const agentModule = require('_http_agent');
const {
  codes: { ERR_INVALID_ARG_TYPE, ERR_INVALID_HTTP_TOKEN, ERR_INVALID_PROTOCOL, ERR_UNESCAPED_CHARACTERS },
} = require('internal/errors');
const { validateInteger, validateBoolean } = require('internal/validators');

const INVALID_PATH_REGEX = /[^\u0021-\u00ff]/;
const kError = Symbol('kError');

function connResetException(message) {
  const err = new Error(message);
  err.code = 'ECONNRESET';
  return err;
}

function ClientRequest(input, options, cb) {
  OutgoingMessage.call(this);
  if (typeof input === 'string') {
    input = urlToHttpOptions(new URL(input));
  } else if (input instanceof URL) {
    input = urlToHttpOptions(input);
  } else {
    cb = options;
    options = input;
    input = null;
  }
  if (typeof options === 'function') {
    cb = options;
    options = input || {};
  } else {
    options = { ...input, ...options };
  }

  let agent = options.agent;
  const defaultAgent = options._defaultAgent || agentModule.globalAgent;
  if (agent === false) {
    agent = new defaultAgent.constructor();
  } else if (agent === null || agent === undefined) {
    if (typeof options.createConnection !== 'function') agent = defaultAgent;
  } else if (typeof agent.addRequest !== 'function') {
    throw new ERR_INVALID_ARG_TYPE('options.agent', ['Agent-like Object', 'undefined', 'false'], agent);
  }
  this.agent = agent;

  const protocol = options.protocol || defaultAgent.protocol;
  let expectedProtocol = defaultAgent.protocol;
  if (this.agent?.protocol) expectedProtocol = this.agent.protocol;
  if (protocol !== expectedProtocol) throw new ERR_INVALID_PROTOCOL(protocol, expectedProtocol);

  const defaultPort = options.defaultPort || this.agent?.defaultPort || 80;
  const port = options.port = options.port || defaultPort;
  const host = options.host = validateHost(options.hostname, 'hostname') || validateHost(options.host, 'host') || 'localhost';
  const setHost = options.setHost === undefined || Boolean(options.setHost);
  this.socketPath = options.socketPath;
  if (options.timeout !== undefined) this.timeout = validateTimeout(options.timeout);

  let method = options.method;
  if (method != null && typeof method !== 'string') throw new ERR_INVALID_ARG_TYPE('options.method', 'string', method);
  if (method && !checkIsHttpToken(method)) throw new ERR_INVALID_HTTP_TOKEN('Method', method);
  method = this.method = (method || 'GET').toUpperCase();

  if (options.path) {
    const path = String(options.path);
    if (INVALID_PATH_REGEX.test(path)) throw new ERR_UNESCAPED_CHARACTERS('Request path');
  }
  this.path = options.path || '/';
  if (cb) this.once('response', cb);
  if (method === 'GET' || method === 'HEAD' || method === 'DELETE' || method === 'OPTIONS' ||
      method === 'TRACE' || method === 'CONNECT') {
    this.useChunkedEncodingByDefault = false;
  }
  if (options.maxHeaderSize !== undefined) validateInteger(options.maxHeaderSize, 'maxHeaderSize', 0);
  if (options.insecureHTTPParser !== undefined) validateBoolean(options.insecureHTTPParser, 'options.insecureHTTPParser');
  this.maxHeadersCount = null;
  this.reusedSocket = false;
  this.host = host;
  this.protocol = protocol;
  this.res = null;
  this.aborted = false;
  this.timeoutCb = null;
  this.upgradeOrConnect = false;
  this.parser = null;
  this.maxHeadersCount = null;
  this[kError] = null;

  const headersArray = Array.isArray(options.headers);
  if (!headersArray) {
    if (options.headers) {
      for (const key of Object.keys(options.headers)) this.setHeader(key, options.headers[key]);
    }
    if (host && !this.getHeader('host') && setHost) {
      let hostHeader = host;
      const posColon = hostHeader.indexOf(':');
      if (posColon !== -1 && hostHeader.includes(':', posColon + 1) && hostHeader.charCodeAt(0) !== 91) {
        hostHeader = `[${hostHeader}]`;
      }
      if (port && +port !== defaultPort) hostHeader += `:${port}`;
      this.setHeader('Host', hostHeader);
    }
    if (options.auth && !this.getHeader('Authorization')) {
      this.setHeader('Authorization', `Basic ${Buffer.from(options.auth).toString('base64')}`);
    }
    if (this.getHeader('expect') && this._header) throw new (require('internal/errors').codes.ERR_HTTP_HEADERS_SENT)('render');
  } else {
    for (let i = 0; i < options.headers.length; i += 2) validateHeaderName(options.headers[i]);
  }
  this.shouldKeepAlive = false;
  if (this.agent) {
    // Keep-alive is the agent's choice unless the user set Connection.
    if (!this.agent.keepAlive && !Number.isFinite(this.agent.maxSockets)) {
      this._last = true;
      this.shouldKeepAlive = false;
    } else {
      this._last = false;
      this.shouldKeepAlive = true;
    }
  }
  const firstLine = `${method} ${this.path} HTTP/1.1\r\n`;
  if (this.getHeader('expect')) {
    this._storeHeader(firstLine, headersArray ? options.headers : this[kOutHeaders]);
  } else {
    this._headerArray = headersArray ? options.headers : null;
    this._firstLine = firstLine;
  }

  const optsWithoutSignal = { __proto__: null, ...options };
  if (options.signal) {
    const { signal } = options;
    delete optsWithoutSignal.signal;
    const onAbort = () => this.destroy(new (require('internal/errors').AbortError)(undefined, { cause: signal.reason }));
    if (signal.aborted) process.nextTick(onAbort);
    else {
      signal.addEventListener('abort', onAbort, { once: true });
      this.once('close', () => signal.removeEventListener('abort', onAbort));
    }
  }
  if (this.agent) {
    this.agent.addRequest(this, optsWithoutSignal);
  } else {
    let socket;
    if (typeof options.createConnection === 'function') {
      let called = false;
      const oncreate = (err, s) => {
        if (called) return;
        called = true;
        if (err) process.nextTick(() => this.emit('error', err));
        else this.onSocket(s);
      };
      socket = options.createConnection(optsWithoutSignal, oncreate);
      if (socket) oncreate(null, socket);
    } else {
      this.onSocket(net.createConnection(optsWithoutSignal));
    }
  }
}
Object.setPrototypeOf(ClientRequest.prototype, OutgoingMessage.prototype);
Object.setPrototypeOf(ClientRequest, OutgoingMessage);

function validateHost(host, name) {
  if (host !== null && host !== undefined && typeof host !== 'string') {
    throw new ERR_INVALID_ARG_TYPE(`options.${name}`, ['string', 'undefined', 'null'], host);
  }
  return host;
}

function validateTimeout(timeout) {
  validateInteger(timeout, 'timeout', 0);
  return timeout;
}

ClientRequest.prototype._implicitHeader = function _implicitHeader() {
  if (this._header) throw new (require('internal/errors').codes.ERR_HTTP_HEADERS_SENT)('render');
  this._storeHeader(this._firstLine, this._headerArray || this[kOutHeaders]);
};

ClientRequest.prototype.abort = function abort() {
  if (this.aborted) return;
  this.aborted = true;
  process.nextTick(() => this.emit('abort'));
  this.destroy();
};

ClientRequest.prototype.destroy = function destroy(err) {
  if (this.destroyed) return this;
  this.destroyed = true;
  if (this.res) this.res._dump();
  this[kError] = err;
  if (this.socket) this.socket.destroy(err);
  else process.nextTick(() => emitErrorAndClose(this, err));
  return this;
};

function emitErrorAndClose(req, err) {
  if (err && !req._errorEmitted) {
    req._errorEmitted = true;
    req.emit('error', err);
  }
  req._closed = true;
  req.emit('close');
}

ClientRequest.prototype.onSocket = function onSocket(socket, err) {
  process.nextTick(() => {
    if (err || this.destroyed) {
      if (socket && !err) {
        // Destroyed before it got its socket: give the socket back.
        socket.emit('free');
      }
      emitErrorAndClose(this, err || this[kError] || (this.aborted ? undefined : connResetException('socket hang up')));
      return;
    }
    tickOnSocket(this, socket);
  });
};

function tickOnSocket(req, socket) {
  const isHead = req.method === 'HEAD';
  const parser = new HTTPParser(true, (...event) => onParserEvent(req, socket, parser, ...event));
  req.socket = socket;
  req.parser = parser;
  socket._httpMessage = req;
  socket.parser = parser;
  if (typeof req.maxHeadersCount === 'number') parser.maxHeaderPairs = req.maxHeadersCount << 1;
  const onData = (chunk) => parser.execute(chunk);
  const onEnd = () => {
    if (!req.res && !socket._hadError) {
      socket._hadError = true;
      emitOnce(req, connResetException('socket hang up'));
    }
    parser.finish({ ignoreErrors: true });
    socket.destroy();
  };
  const onError = (err) => {
    if (req.socket) req.socket._hadError = true;
    emitOnce(req, err);
  };
  const onClose = () => {
    cleanup();
    const res = req.res;
    if (res) {
      if (!res.complete) {
        res.destroy(connResetException('aborted'));
      }
      req._closed = true;
      req.emit('close');
      if (!res.aborted && res.readable) {
        res.on('end', function() { this.destroyed = true; this.emit('close'); });
        res.push(null);
      } else if (!res.destroyed) {
        res.destroyed = true;
        res.emit('close');
      }
    } else {
      if (!req.socket?._hadError && !req.aborted) {
        emitOnce(req, connResetException('socket hang up'));
      }
      req._closed = true;
      req.emit('close');
    }
    parser.free();
  };
  const onTimeout = () => req.emit('timeout');
  const onDrain = () => onSocketDrain(req);
  const cleanup = () => {
    detachConsumer(socket, onData);
    socket.removeListener('drain', onDrain);
    socket.removeListener('end', onEnd);
    socket.removeListener('error', onError);
    socket.removeListener('close', onClose);
    socket.removeListener('timeout', onTimeout);
  };
  req[kCleanup] = cleanup;
  // The response's bytes go straight to the parser (see _http_server).
  attachConsumer(socket, onData);
  socket.on('drain', onDrain);
  socket.on('end', onEnd);
  socket.on('error', onError);
  socket.on('close', onClose);
  socket.on('timeout', onTimeout);
  if (req.timeout !== undefined || (req.agent && req.agent.options && req.agent.options.timeout)) {
    socket.setTimeout(req.timeout ?? req.agent.options.timeout);
  }
  parser.expectResponse(isHead);
  req.emit('socket', socket);
  if (socket.connecting || !socket._handle) {
    socket.once('connect', () => req._flushOutput(socket));
  } else {
    req._flushOutput(socket);
  }
  resumeReads(socket);
}
const kCleanup = Symbol('kCleanup');

function emitOnce(req, err) {
  if (req._errorEmitted) return;
  req._errorEmitted = true;
  req.emit('error', err);
}

function onParserEvent(req, socket, parser, kind, a, b, c, d, e, f, g) {
  switch (kind) {
    case 'head': return onResponseHead(req, socket, a, b, c, d, e, f, g);
    case 'body': {
      const res = req.res;
      if (res && !res.push(a)) pauseReads(socket);
      return undefined;
    }
    case 'complete': return onResponseComplete(req, socket, parser, a);
    case 'upgrade': return onUpgrade(req, socket, parser, a);
    default: {
      const err = parseError(a, b);
      socket._hadError = true;
      emitOnce(req, err);
      socket.destroy();
      return undefined;
    }
  }
}

function onResponseHead(req, socket, rawHeaders, statusCode, statusMessage, major, minor, keepAlive, upgrade) {
  const res = new IncomingMessage(socket);
  setHead(res, rawHeaders, major, minor, upgrade);
  res.statusCode = statusCode;
  res.statusMessage = statusMessage;
  res.req = req;
  if (statusCode >= 100 && statusCode < 200 && statusCode !== 101) {
    if (statusCode === 100) req.emit('continue');
    req.emit('information', {
      statusCode, statusMessage, httpVersion: res.httpVersion, httpVersionMajor: major, httpVersionMinor: minor,
      headers: res.headers, rawHeaders,
    });
    return;
  }
  if (upgrade) {
    req.pendingUpgrade = res;
    return;
  }
  req.res = res;
  if (req.shouldKeepAlive && !keepAlive) req.shouldKeepAlive = false;
  if (req.aborted || !req.emit('response', res)) res._dump();
}

function onResponseComplete(req, socket, parser, rawTrailers) {
  const res = req.res;
  if (!res) return;
  res.rawTrailers = rawTrailers;
  res.complete = true;
  res.push(null);
  // Hand the socket back once the response has been consumed.
  const release = () => {
    if (!req.shouldKeepAlive) {
      if (socket.writable) socket.destroySoon();
      return;
    }
    if (!req.writableFinished && !req.finished) {
      // The response came before we finished writing: wait for that.
      req.once('finish', release);
      return;
    }
    req[kCleanup]();
    parser.free();
    req.emit('close');
    socket.parser = null;
    // The agent reads the finished request off the socket to decide
    // whether to keep it.
    socket.emit('free');
    if (socket._httpMessage === req) socket._httpMessage = null;
  };
  if (res.readableEnded) release();
  else res.once('end', () => {
    res.destroyed = true;
    res.emit('close');
    release();
  });
}

function onUpgrade(req, socket, parser, head) {
  const res = req.pendingUpgrade;
  req.pendingUpgrade = null;
  req[kCleanup]();
  parser.free();
  socket._httpMessage = null;
  socket.parser = null;
  const eventName = req.method === 'CONNECT' ? 'connect' : 'upgrade';
  req.upgradeOrConnect = true;
  if (req.listenerCount(eventName) > 0) {
    socket.emit('agentRemove');
    req.res = res;
    req.emit(eventName, res, socket, head);
    req._closed = true;
    req.emit('close');
  } else {
    socket.destroy();
  }
}

ClientRequest.prototype.setTimeout = function setTimeout(msecs, callback) {
  if (callback) this.once('timeout', callback);
  this.timeout = msecs;
  if (this.socket) this.socket.setTimeout(msecs);
  else this.once('socket', (socket) => socket.setTimeout(msecs));
  return this;
};

ClientRequest.prototype.setNoDelay = function setNoDelay(noDelay) {
  if (this.socket) this.socket.setNoDelay(noDelay);
  else this.once('socket', (socket) => socket.setNoDelay(noDelay));
};

ClientRequest.prototype.setSocketKeepAlive = function setSocketKeepAlive(enable, delay) {
  if (this.socket) this.socket.setKeepAlive(enable, delay);
  else this.once('socket', (socket) => socket.setKeepAlive(enable, delay));
};

ClientRequest.prototype.clearTimeout = function clearTimeout(cb) {
  this.setTimeout(0, cb);
};

module.exports = { ClientRequest };
