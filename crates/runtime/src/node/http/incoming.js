// lode:module _http_incoming
// http.IncomingMessage: a request the server received or a response the
// client received, as a Readable of the body. The socket is paused while
// the body's reader is behind (push() returned false) and resumed by _read.

const { Readable } = require('stream');
require('net');
const { resumeReads } = require('internal/net');

// Headers whose duplicates are dropped (the first wins), as Node's
// matchKnownFields: the rest are joined with ', ' (cookie with '; ',
// set-cookie kept as an array).
const singleValued = new Set([
  'content-type', 'content-length', 'user-agent', 'referer', 'host', 'authorization', 'proxy-authorization',
  'if-modified-since', 'if-unmodified-since', 'from', 'location', 'max-forwards', 'retry-after', 'etag',
  'last-modified', 'server', 'age', 'expires',
]);

function addHeaderLine(dest, field, value) {
  const name = field.toLowerCase();
  const existing = dest[name];
  if (existing === undefined) {
    dest[name] = name === 'set-cookie' ? [value] : value;
  } else if (name === 'set-cookie') {
    existing.push(value);
  } else if (name === 'cookie') {
    dest[name] = `${existing}; ${value}`;
  } else if (!singleValued.has(name)) {
    dest[name] = `${existing}, ${value}`;
  }
}

function headersFrom(raw) {
  const dest = {};
  for (let i = 0; i < raw.length; i += 2) addHeaderLine(dest, raw[i], raw[i + 1]);
  return dest;
}

function distinctFrom(raw) {
  const dest = {};
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i].toLowerCase();
    (dest[name] ??= []).push(raw[i + 1]);
  }
  return dest;
}

const kHeaders = Symbol('kHeaders');
const kTrailers = Symbol('kTrailers');

function IncomingMessage(socket) {
  Readable.call(this, { autoDestroy: false, highWaterMark: socket?.readableHighWaterMark });
  this._readableState.readingMore = true;
  this.socket = socket;
  this.httpVersionMajor = null;
  this.httpVersionMinor = null;
  this.httpVersion = null;
  this.complete = false;
  this.rawHeaders = [];
  this.rawTrailers = [];
  this.joinDuplicateHeaders = false;
  this.aborted = false;
  this.upgrade = null;
  this.url = '';
  this.method = null;
  this.statusCode = null;
  this.statusMessage = null;
  this[kHeaders] = null;
  this[kTrailers] = null;
  this._consuming = false;
  this._dumped = false;
}
Object.setPrototypeOf(IncomingMessage.prototype, Readable.prototype);
Object.setPrototypeOf(IncomingMessage, Readable);

Object.defineProperties(IncomingMessage.prototype, {
  connection: {
    configurable: true,
    get() { return this.socket; },
    set(value) { this.socket = value; },
  },
  headers: {
    configurable: true,
    enumerable: true,
    get() { return (this[kHeaders] ??= headersFrom(this.rawHeaders)); },
    set(value) { this[kHeaders] = value; },
  },
  headersDistinct: {
    configurable: true,
    get() { return distinctFrom(this.rawHeaders); },
  },
  trailers: {
    configurable: true,
    get() { return (this[kTrailers] ??= headersFrom(this.rawTrailers)); },
    set(value) { this[kTrailers] = value; },
  },
  trailersDistinct: {
    configurable: true,
    get() { return distinctFrom(this.rawTrailers); },
  },
});

IncomingMessage.prototype.setTimeout = function setTimeout(msecs, callback) {
  if (callback) this.on('timeout', callback);
  this.socket.setTimeout(msecs);
  return this;
};

IncomingMessage.prototype._read = function _read() {
  if (!this._consuming) {
    this._readableState.readingMore = false;
    this._consuming = true;
  }
  // The body's reader caught up: let the socket deliver more.
  const socket = this.socket;
  if (socket && socket.readable) resumeReads(socket);
};

IncomingMessage.prototype._destroy = function _destroy(err, cb) {
  if (!this.readableEnded || !this.complete) {
    this.aborted = true;
    this.emit('aborted');
  }
  // A request destroyed before its body was read takes the connection
  // with it; a finished one leaves the socket to the next message.
  if (this.socket && !this.socket.destroyed && this.aborted) {
    this.socket.destroy(err);
    const cleanup = () => cb(err);
    this.socket.once('close', cleanup);
    return;
  }
  cb(err);
};

IncomingMessage.prototype._addHeaderLines = function _addHeaderLines(headers, n) {
  for (let i = 0; i < n; i += 2) this._addHeaderLine(headers[i], headers[i + 1], this.headers);
};

IncomingMessage.prototype._addHeaderLine = function _addHeaderLine(field, value, dest) {
  addHeaderLine(dest, field, value);
};

// Reads and discards the body (a response nobody listens to).
IncomingMessage.prototype._dump = function _dump() {
  if (!this._dumped) {
    this._dumped = true;
    this.removeAllListeners('data');
    this.resume();
  }
};

// What the parser read of a message's start, as both sides set it.
function setHead(message, rawHeaders, major, minor, upgrade) {
  message.rawHeaders = rawHeaders;
  message.httpVersionMajor = major;
  message.httpVersionMinor = minor;
  message.httpVersion = `${major}.${minor}`;
  message.upgrade = upgrade;
}

module.exports = { IncomingMessage, headersFrom, setHead };
