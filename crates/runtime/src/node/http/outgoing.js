// lode:module _http_outgoing
// http.OutgoingMessage, the base of ServerResponse and ClientRequest: the
// header store, the head Node writes (framing headers decided as Node
// decides them), chunked encoding, and writes buffered until a socket is
// assigned. Like Node's, it is a legacy Stream with its own write/end.

const Stream = require('stream');
const { Buffer } = require('buffer');
const {
  codes: {
    ERR_HTTP_HEADERS_SENT, ERR_INVALID_ARG_TYPE, ERR_STREAM_WRITE_AFTER_END, ERR_STREAM_DESTROYED,
    ERR_METHOD_NOT_IMPLEMENTED, ERR_STREAM_NULL_VALUES, ERR_HTTP_TRAILER_INVALID, ERR_STREAM_ALREADY_FINISHED,
    ERR_HTTP_BODY_NOT_ALLOWED, ERR_HTTP_CONTENT_LENGTH_MISMATCH,
  },
} = require('internal/errors');
const { validateHeaderName, validateHeaderValue, utcDate, chunkExpression } = require('_http_common');
require('net');
const { writeDirect, isNetSocket } = require('internal/net');

const kOutHeaders = Symbol('kOutHeaders');
const kCorked = Symbol('kCorked');
const kBytesWritten = Symbol('kBytesWritten');
const kErrored = Symbol('kErrored');
const kChunkedLength = Symbol('kChunkedLength');
const crlf = '\r\n';

function OutgoingMessage(options) {
  Stream.call(this);
  this.outputData = [];
  this.outputSize = 0;
  this.writable = true;
  this.destroyed = false;
  this._last = false;
  this.chunkedEncoding = false;
  this.shouldKeepAlive = true;
  this.maxRequestsOnConnectionReached = false;
  this._defaultKeepAlive = true;
  this.useChunkedEncodingByDefault = true;
  this.sendDate = false;
  this._removedConnection = false;
  this._removedContLen = false;
  this._removedTE = false;
  this.strictContentLength = false;
  this._contentLength = null;
  this._hasBody = true;
  this._trailer = '';
  this.finished = false;
  this._headerSent = false;
  this[kCorked] = 0;
  this[kBytesWritten] = 0;
  this[kChunkedLength] = 0;
  this[kErrored] = null;
  this.socket = null;
  this._header = null;
  this[kOutHeaders] = null;
  this._keepAliveTimeout = 0;
  this._onPendingData = () => {};
  this._highWaterMark = options?.highWaterMark ?? 16 * 1024;
}
Object.setPrototypeOf(OutgoingMessage.prototype, Stream.prototype);
Object.setPrototypeOf(OutgoingMessage, Stream);

Object.defineProperties(OutgoingMessage.prototype, {
  connection: {
    configurable: true,
    get() { return this.socket; },
    set(value) { this.socket = value; },
  },
  writableFinished: {
    configurable: true,
    get() { return this.finished && this.outputSize === 0 && (!this.socket || this.socket.writableLength === 0); },
  },
  writableObjectMode: { configurable: true, get() { return false; } },
  writableLength: { configurable: true, get() { return this.outputSize + (this.socket ? this.socket.writableLength : 0); } },
  writableHighWaterMark: { configurable: true, get() { return this.socket ? this.socket.writableHighWaterMark : this._highWaterMark; } },
  writableCorked: { configurable: true, get() { return this[kCorked]; } },
  writableEnded: { configurable: true, get() { return this.finished; } },
  writableNeedDrain: { configurable: true, get() { return !this.destroyed && !this.finished && this[kNeedDrain]; } },
  errored: { configurable: true, get() { return this[kErrored]; } },
  closed: { configurable: true, get() { return this.destroyed; } },
  headersSent: { configurable: true, enumerable: true, get() { return !!this._header; } },
  _headers: {
    configurable: true,
    get() { return this.getHeaders(); },
    set(value) {
      if (value == null) this[kOutHeaders] = null;
      else if (typeof value === 'object') {
        const headers = (this[kOutHeaders] = { __proto__: null });
        for (const name of Object.keys(value)) headers[name.toLowerCase()] = [name, value[name]];
      }
    },
  },
});
const kNeedDrain = Symbol('kNeedDrain');

OutgoingMessage.prototype.cork = function cork() {
  if (this.socket) this.socket.cork();
  else this[kCorked]++;
};

OutgoingMessage.prototype.uncork = function uncork() {
  if (this.socket) this.socket.uncork();
  else if (this[kCorked]) this[kCorked]--;
};

OutgoingMessage.prototype.setTimeout = function setTimeout(msecs, callback) {
  if (callback) this.on('timeout', callback);
  if (!this.socket) this.once('socket', (socket) => socket.setTimeout(msecs));
  else this.socket.setTimeout(msecs);
  return this;
};

OutgoingMessage.prototype.destroy = function destroy(error) {
  if (this.destroyed) return this;
  this.destroyed = true;
  this[kErrored] = error ?? null;
  if (this.socket) this.socket.destroy(error);
  else this.once('socket', (socket) => socket.destroy(error));
  return this;
};

// Hands bytes to the socket, or keeps them until one is assigned.
OutgoingMessage.prototype._writeRaw = function _writeRaw(data, encoding, callback) {
  if (typeof encoding === 'function') {
    callback = encoding;
    encoding = null;
  }
  const conn = this.socket;
  if (conn && conn.destroyed) return false;
  if (conn && conn._httpMessage === this && conn.writable) {
    if (this.outputData.length) this._flushOutput(conn);
    return writeDirect(conn, data, encoding, callback);
  }
  this.outputData.push({ data, encoding, callback });
  this.outputSize += data.length;
  this._onPendingData(data.length);
  return this.outputSize < this._highWaterMark;
};

OutgoingMessage.prototype._send = function _send(data, encoding, callback) {
  if (!this._headerSent && this._header !== null) {
    if (typeof data === 'string' && (encoding === 'utf8' || encoding === 'latin1' || !encoding)) {
      data = this._header + data;
    } else {
      const header = this._header;
      this.outputData.unshift({ data: header, encoding: 'latin1', callback: null });
      this.outputSize += header.length;
      this._onPendingData(header.length);
    }
    this._headerSent = true;
  }
  return this._writeRaw(data, encoding, callback);
};

OutgoingMessage.prototype._flushOutput = function _flushOutput(socket) {
  const data = this.outputData;
  if (!data.length) return undefined;
  const corked = this[kCorked];
  this[kCorked] = 0;
  socket.cork();
  for (let i = 0; i < corked; i++) socket.cork();
  let ret;
  for (const { data: chunk, encoding, callback } of data) ret = socket.write(chunk, encoding, callback);
  socket.uncork();
  this.outputData = [];
  this._onPendingData(-this.outputSize);
  this.outputSize = 0;
  return ret;
};

OutgoingMessage.prototype.flush = OutgoingMessage.prototype.flushHeaders = function flushHeaders() {
  if (!this._header) this._implicitHeader();
  this._send('');
};

// Builds the head from `firstLine` and the stored (or given) headers,
// adding the framing headers Node adds.
OutgoingMessage.prototype._storeHeader = function _storeHeader(firstLine, headers) {
  const state = { connection: false, contLen: false, te: false, date: false, expect: false, trailer: false, header: firstLine };
  if (headers) {
    if (headers === this[kOutHeaders]) {
      for (const key in headers) {
        const entry = headers[key];
        processHeader(this, state, entry[0], entry[1], false);
      }
    } else if (Array.isArray(headers)) {
      if (headers.length && Array.isArray(headers[0])) {
        for (const [name, value] of headers) processHeader(this, state, name, value, true);
      } else {
        for (let i = 0; i < headers.length; i += 2) processHeader(this, state, headers[i], headers[i + 1], true);
      }
    } else {
      for (const key of Object.keys(headers)) processHeader(this, state, key, headers[key], true);
    }
  }
  let { header } = state;
  if (this.sendDate && !state.date) header += `Date: ${utcDate()}\r\n`;
  if (this.chunkedEncoding && (this.statusCode === 204 || this.statusCode === 304)) {
    this._hasBody = false;
    this.chunkedEncoding = false;
  }
  if (!state.connection) {
    const keepAlive = this.shouldKeepAlive && (state.contLen || this.useChunkedEncodingByDefault || this.agent);
    if (keepAlive && this.maxRequestsOnConnectionReached) {
      header += 'Connection: close\r\n';
    } else if (keepAlive) {
      header += 'Connection: keep-alive\r\n';
      if (this._keepAliveTimeout && this._defaultKeepAlive) {
        header += `Keep-Alive: timeout=${Math.floor(this._keepAliveTimeout / 1000)}\r\n`;
      }
    } else {
      this._last = true;
      header += 'Connection: close\r\n';
    }
  }
  if (!state.contLen && !state.te) {
    if (!this._hasBody) {
      this.chunkedEncoding = false;
    } else if (!this.useChunkedEncodingByDefault) {
      this._last = true;
    } else if (!state.trailer && !this._removedContLen && typeof this._contentLength === 'number') {
      header += `Content-Length: ${this._contentLength}\r\n`;
    } else if (!this._removedTE) {
      header += 'Transfer-Encoding: chunked\r\n';
      this.chunkedEncoding = true;
    } else {
      this._last = true;
    }
  }
  if (this.chunkedEncoding !== true && state.trailer) throw new ERR_HTTP_TRAILER_INVALID();
  this._header = header + crlf;
  this._headerSent = false;
  if (state.expect) this._send('');
};

function processHeader(msg, state, key, value, validate) {
  if (validate) validateHeaderName(key);
  if (Array.isArray(value)) {
    // One line per value, except several cookies, which share one.
    if (value.length < 2 || !isCookieField(key)) {
      for (const v of value) storeHeader(msg, state, key, v, validate);
      return;
    }
    value = value.join('; ');
  }
  storeHeader(msg, state, key, value, validate);
}

function isCookieField(name) {
  return name.length === 6 && name.toLowerCase() === 'cookie';
}

function storeHeader(msg, state, key, value, validate) {
  if (validate) validateHeaderValue(key, value);
  state.header += `${key}: ${value}\r\n`;
  const lower = key.length < 20 ? key.toLowerCase() : '';
  switch (lower) {
    case 'connection':
      state.connection = true;
      msg._removedConnection = false;
      if (/(?:^|\W)close(?:$|\W)/i.test(value)) msg._last = true;
      else msg.shouldKeepAlive = true;
      break;
    case 'transfer-encoding':
      state.te = true;
      msg._removedTE = false;
      if (chunkExpression.test(value)) msg.chunkedEncoding = true;
      break;
    case 'content-length':
      state.contLen = true;
      msg._contentLength = +value;
      msg._removedContLen = false;
      break;
    case 'date': state.date = true; break;
    case 'expect': state.expect = true; break;
    case 'trailer': state.trailer = true; break;
    case 'keep-alive': msg._defaultKeepAlive = false; break;
    default: break;
  }
}

OutgoingMessage.prototype.setHeader = function setHeader(name, value) {
  if (this._header) throw new ERR_HTTP_HEADERS_SENT('set');
  validateHeaderName(name);
  validateHeaderValue(name, value);
  const headers = (this[kOutHeaders] ??= { __proto__: null });
  headers[name.toLowerCase()] = [name, value];
  return this;
};

OutgoingMessage.prototype.setHeaders = function setHeaders(headers) {
  if (this._header) throw new ERR_HTTP_HEADERS_SENT('set');
  if (!headers || Array.isArray(headers) || typeof headers.keys !== 'function' || typeof headers.get !== 'function') {
    throw new ERR_INVALID_ARG_TYPE('headers', ['Headers', 'Map'], headers);
  }
  const cookies = [];
  for (const [key, value] of headers) {
    if (key === 'set-cookie') {
      if (Array.isArray(value)) cookies.push(...value);
      else cookies.push(value);
      continue;
    }
    this.setHeader(key, value);
  }
  if (cookies.length) this.setHeader('set-cookie', cookies);
  return this;
};

OutgoingMessage.prototype.appendHeader = function appendHeader(name, value) {
  if (this._header) throw new ERR_HTTP_HEADERS_SENT('append');
  validateHeaderName(name);
  validateHeaderValue(name, value);
  const field = name.toLowerCase();
  const headers = (this[kOutHeaders] ??= { __proto__: null });
  if (!headers[field]) {
    headers[field] = [name, value];
    return this;
  }
  const existing = headers[field][1];
  const values = Array.isArray(existing) ? existing : [existing];
  headers[field][1] = values.concat(value);
  return this;
};

OutgoingMessage.prototype.getHeader = function getHeader(name) {
  if (typeof name !== 'string') throw new ERR_INVALID_ARG_TYPE('name', 'string', name);
  const entry = this[kOutHeaders]?.[name.toLowerCase()];
  return entry && entry[1];
};

OutgoingMessage.prototype.getHeaderNames = function getHeaderNames() {
  return this[kOutHeaders] !== null ? Object.keys(this[kOutHeaders]) : [];
};

OutgoingMessage.prototype.getRawHeaderNames = function getRawHeaderNames() {
  const headers = this[kOutHeaders];
  return headers === null ? [] : Object.values(headers).map((entry) => entry[0]);
};

OutgoingMessage.prototype.getHeaders = function getHeaders() {
  const headers = this[kOutHeaders];
  const ret = { __proto__: null };
  if (headers) for (const key of Object.keys(headers)) ret[key] = headers[key][1];
  return ret;
};

OutgoingMessage.prototype.hasHeader = function hasHeader(name) {
  if (typeof name !== 'string') throw new ERR_INVALID_ARG_TYPE('name', 'string', name);
  return this[kOutHeaders] !== null && !!this[kOutHeaders][name.toLowerCase()];
};

OutgoingMessage.prototype.removeHeader = function removeHeader(name) {
  if (typeof name !== 'string') throw new ERR_INVALID_ARG_TYPE('name', 'string', name);
  if (this._header) throw new ERR_HTTP_HEADERS_SENT('remove');
  const key = name.toLowerCase();
  switch (key) {
    case 'connection': this._removedConnection = true; break;
    case 'content-length': this._removedContLen = true; break;
    case 'transfer-encoding': this._removedTE = true; break;
    case 'date': this.sendDate = false; break;
    default: break;
  }
  if (this[kOutHeaders] !== null) delete this[kOutHeaders][key];
};

OutgoingMessage.prototype._implicitHeader = function _implicitHeader() {
  throw new ERR_METHOD_NOT_IMPLEMENTED('_implicitHeader()');
};

function byteLength(chunk, encoding) {
  return typeof chunk === 'string' ? Buffer.byteLength(chunk, encoding) : chunk.length;
}

function writeAfterEnd(msg, callback) {
  const err = new ERR_STREAM_WRITE_AFTER_END();
  process.nextTick(() => {
    if (msg.socket && !msg.destroyed) msg.emit('error', err);
    if (typeof callback === 'function') callback(err);
  });
}

function validateChunk(chunk) {
  if (chunk === null) throw new ERR_STREAM_NULL_VALUES();
  if (typeof chunk !== 'string' && !(chunk instanceof Uint8Array)) {
    throw new ERR_INVALID_ARG_TYPE('chunk', ['string', 'Buffer', 'Uint8Array'], chunk);
  }
}

const kLastWritten = Symbol('kLastWritten');

// Writes a piece of the body (the head first, if not sent yet). From
// end(), `onLast` is the message's finish: a body without chunked framing
// ends with this write, so it becomes the write's callback and
// kLastWritten is returned.
function writeBody(msg, chunk, encoding, callback, onLast) {
  const fromEnd = onLast !== undefined;
  if (typeof encoding === 'function') {
    callback = encoding;
    encoding = null;
  }
  if (msg.finished) {
    writeAfterEnd(msg, callback);
    return true;
  }
  if (msg.destroyed) {
    const err = new ERR_STREAM_DESTROYED('write');
    if (typeof callback === 'function') process.nextTick(callback, err);
    return false;
  }
  validateChunk(chunk);
  if (!msg._header) {
    if (fromEnd) msg._contentLength = byteLength(chunk, encoding);
    msg._implicitHeader();
  }
  if (!msg._hasBody) {
    if (msg[kRejectNonStandardBodyWrites]) throw new ERR_HTTP_BODY_NOT_ALLOWED();
    if (typeof callback === 'function') process.nextTick(callback);
    return true;
  }
  const len = byteLength(chunk, encoding);
  if (!fromEnd && msg.socket && !msg.socket.writableCorked) {
    msg.socket.cork();
    process.nextTick(() => msg.socket?.uncork());
  }
  msg[kBytesWritten] += len;
  if (msg.strictContentLength && typeof msg._contentLength === 'number' && !msg.chunkedEncoding &&
      msg[kBytesWritten] > msg._contentLength) {
    throw new ERR_HTTP_CONTENT_LENGTH_MISMATCH(msg[kBytesWritten], msg._contentLength);
  }
  let ret;
  if (msg.chunkedEncoding && len !== 0) {
    msg._send(`${len.toString(16)}\r\n`, 'latin1', null);
    msg._send(chunk, encoding, null);
    ret = msg._send(crlf, 'latin1', callback);
  } else if (fromEnd && !msg.chunkedEncoding && msg.socket && isNetSocket(msg.socket)) {
    // On a net.Socket nothing can tell one write from two; any other
    // stream sees Node's empty closing write.
    msg._send(chunk, encoding, onLast);
    return kLastWritten;
  } else {
    ret = msg._send(chunk, encoding, callback);
  }
  if (!ret) msg[kNeedDrain] = true;
  return ret;
}
const kRejectNonStandardBodyWrites = Symbol('kRejectNonStandardBodyWrites');

OutgoingMessage.prototype.write = function write(chunk, encoding, callback) {
  if (chunk === undefined || chunk === null) validateChunk(null);
  return writeBody(this, chunk, encoding, callback);
};

OutgoingMessage.prototype.addTrailers = function addTrailers(headers) {
  this._trailer = '';
  const entries = Array.isArray(headers) ? headers : Object.entries(headers);
  for (const [field, value] of entries) {
    validateHeaderName(field, 'Trailer name');
    validateHeaderValue(field, value);
    this._trailer += `${field}: ${value}\r\n`;
  }
};

function onFinish(msg) {
  if (msg.socket && msg._closed) return;
  msg.emit('finish');
}

OutgoingMessage.prototype.end = function end(chunk, encoding, callback) {
  if (typeof chunk === 'function') {
    callback = chunk;
    chunk = null;
    encoding = null;
  } else if (typeof encoding === 'function') {
    callback = encoding;
    encoding = null;
  }
  const finish = () => onFinish(this);
  let finishSent = false;
  if (chunk) {
    if (this.finished) {
      writeAfterEnd(this, callback);
      return this;
    }
    if (this.socket) this.socket.cork();
    // Without chunked framing the last piece of the body ends the message:
    // it carries the 'finish' callback (one write, not two).
    finishSent = writeBody(this, chunk, encoding, null, finish) === kLastWritten;
    if (this.socket) this.socket.uncork();
  } else if (this.finished) {
    if (typeof callback === 'function') {
      if (!this.writableFinished) this.on('finish', callback);
      else callback(new ERR_STREAM_ALREADY_FINISHED('end'));
    }
    return this;
  } else if (!this._header) {
    if (this.socket) this.socket.cork();
    this._contentLength = 0;
    this._implicitHeader();
    if (this.socket) this.socket.uncork();
  }
  if (typeof callback === 'function') this.once('finish', callback);
  if (this.strictContentLength && typeof this._contentLength === 'number' && !this.chunkedEncoding &&
      this[kBytesWritten] !== this._contentLength && this._hasBody) {
    throw new ERR_HTTP_CONTENT_LENGTH_MISMATCH(this[kBytesWritten], this._contentLength);
  }
  if (this._hasBody && this.chunkedEncoding) {
    this._send(`0\r\n${this._trailer}\r\n`, 'latin1', finish);
  } else if (finishSent) {
    // Sent with the body above.
  } else if (!this._headerSent || this.writableLength || chunk) {
    this._send('', 'latin1', finish);
  } else {
    process.nextTick(finish);
  }
  this.finished = true;
  // With a socket that has taken everything, the message is done once
  // the socket has; ServerResponse/ClientRequest hook _finish.
  if (this.outputData.length === 0 && this.socket && this.socket._httpMessage === this) this._finish();
  return this;
};

OutgoingMessage.prototype._finish = function _finish() {
  this.emit('prefinish');
};

OutgoingMessage.prototype.pipe = function pipe() {
  this.emit('error', new (require('internal/errors').codes.ERR_STREAM_CANNOT_PIPE)());
};

// The socket drained: a message whose write() returned false says so.
function onSocketDrain(msg) {
  if (msg && msg[kNeedDrain]) {
    msg[kNeedDrain] = false;
    msg.emit('drain');
  }
}

module.exports = {
  OutgoingMessage,
  onSocketDrain,
  kOutHeaders,
  validateHeaderName,
  validateHeaderValue,
};
