// lode:module internal/fs/streams
// fs.ReadStream and fs.WriteStream: Readable/Writable over a descriptor,
// opened in _construct, read and written on the blocking pool, closed on
// destroy when autoClose. Reads come back as fresh Buffers from the native
// side (no copy); an `fs` option swaps in the user's open/read/write/close.

const { Readable, Writable, finished } = require('stream');
const { Buffer } = require('buffer');
const native = binding('fs');
const fsModule = require('fs');
const {
  codes: { ERR_INVALID_ARG_TYPE, ERR_OUT_OF_RANGE, ERR_STREAM_DESTROYED },
} = require('internal/errors');
const { validateInteger, validateFunction, validateBoolean } = require('internal/validators');
const { getValidatedPath, getValidatedFd, getOptions, stringToFlags, parseFileMode } = require('internal/fs/utils');

const kFs = Symbol('kFs');
const kIsPerformingIO = Symbol('kIsPerformingIO');

// A FileHandle given as `fd`: the stream reads, writes and closes through
// the handle (which owns the descriptor), in fs's callback shapes.
function fileHandleOperations(handle) {
  const settle = (promise, cb, pick) => promise.then((result) => cb(null, ...pick(result)), cb);
  return {
    open: (path, flags, mode, cb) => process.nextTick(cb, null, handle.fd),
    read: (fd, buf, off, len, pos, cb) => settle(handle.read(buf, off, len, pos), cb, (r) => [r.bytesRead, r.buffer]),
    write: (fd, buf, off, len, pos, cb) => settle(handle.write(buf, off, len, pos), cb, (r) => [r.bytesWritten, r.buffer]),
    writev: (fd, bufs, pos, cb) => settle(handle.writev(bufs, pos), cb, (r) => [r.bytesWritten, r.buffers]),
    fsync: (fd, cb) => settle(handle.sync(), cb, () => []),
    close: (fd, cb) => settle(handle.close(), cb, () => []),
  };
}

function importFd(stream, options) {
  if (options.fd == null) {
    stream.fd = null;
    stream.path = getValidatedPath(options.path);
    stream.flags = options.flags === undefined ? stream.flags : options.flags;
    stream.mode = parseFileMode(options.mode, 'mode', 0o666);
    return;
  }
  const fd = options.fd;
  if (typeof fd === 'object' && typeof fd.fd === 'number') {
    stream[kFs] = fileHandleOperations(fd);
    stream.fd = fd.fd;
    stream.path = undefined;
    return;
  }
  stream.fd = getValidatedFd(fd, 'fd');
  stream.path = undefined;
}

// The fs functions as the module was loaded: while the stream's fs is
// still these, I/O goes straight to the native side (reads then need no
// copy); a user's `options.fs`, or a monkey-patched fs, is called instead.
const original = {
  open: fsModule.open, read: fsModule.read, write: fsModule.write, writev: fsModule.writev, close: fsModule.close,
};

function direct(stream, name) {
  return stream[kFs] === fsModule && fsModule[name] === original[name];
}

// Node's copyObject: own and inherited enumerable options.
function copyOptions(options) {
  const copy = {};
  for (const key in options) copy[key] = options[key];
  return copy;
}

function openFd(stream, callback) {
  const done = (err, fd) => {
    if (err) return callback(err);
    stream.fd = fd;
    callback();
    stream.emit('open', stream.fd);
    stream.emit('ready');
  };
  if (!direct(stream, 'open')) {
    stream[kFs].open(stream.path, stream.flags, stream.mode, done);
    return;
  }
  try {
    native.open(stream.path, stringToFlags(stream.flags), stream.mode, done);
  } catch (err) {
    callback(err);
  }
}

// Node's _construct: open the file, or, when `open()` was monkey-patched
// (the pre-_construct way), let it run and watch for its 'open'/'error'.
function construct(stream, callback, defaultOpen) {
  if (typeof stream.fd === 'number') return callback();
  if (stream.open === defaultOpen) return openFd(stream, callback);
  const emit = stream.emit;
  stream.emit = function (...args) {
    if (args[0] === 'open') {
      this.emit = emit;
      callback();
      Reflect.apply(emit, this, args);
    } else if (args[0] === 'error') {
      this.emit = emit;
      callback(args[1]);
    } else {
      Reflect.apply(emit, this, args);
    }
  };
  stream.open();
}

// Node's close: the descriptor is released after the close is issued
// (patched fs.close functions see it), and `0` counts as none, as in Node.
function closeFd(stream, err, callback) {
  if (!stream.fd) return callback(err);
  const done = (closeErr) => callback(closeErr || err);
  if (direct(stream, 'close')) native.close(stream.fd, done);
  else stream[kFs].close(stream.fd, done);
  stream.fd = null;
}

function destroyStream(stream, err, callback) {
  const close = () => {
    if (stream.autoClose || stream.autoClose === undefined) closeFd(stream, err, callback);
    else callback(err);
  };
  // An in-flight read or write finishes first, so its descriptor is not
  // closed (and reused) under it.
  if (stream[kIsPerformingIO]) stream.once(kIsPerformingIO, close);
  else close();
}

function ReadStream(path, options) {
  if (!(this instanceof ReadStream)) return new ReadStream(path, options);
  options = copyOptions(getOptions(options, {}));
  if (options.highWaterMark === undefined) options.highWaterMark = 64 * 1024;
  if (options.autoDestroy === undefined) options.autoDestroy = options.autoClose === undefined ? true : options.autoClose;
  this[kFs] = options.fs || fsModule;
  validateFunction(this[kFs].open, 'options.fs.open');
  validateFunction(this[kFs].read, 'options.fs.read');
  validateFunction(this[kFs].close, 'options.fs.close');
  options.path = path;
  this.flags = 'r';
  importFd(this, options);
  this.start = options.start;
  this.end = options.end ?? Infinity;
  this.pos = undefined;
  this.bytesRead = 0;
  this[kIsPerformingIO] = false;
  if (this.start !== undefined) {
    validateInteger(this.start, 'start', 0);
    this.pos = this.start;
  }
  if (this.end !== Infinity) {
    validateInteger(this.end, 'end', 0);
    if (this.start !== undefined && this.start > this.end) {
      throw new ERR_OUT_OF_RANGE('start', `<= "end" (here: ${this.end})`, this.start);
    }
  }
  this.autoClose = options.autoClose === undefined ? true : options.autoClose;
  Readable.call(this, options);
}
Object.setPrototypeOf(ReadStream.prototype, Readable.prototype);
Object.setPrototypeOf(ReadStream, Readable);

Object.defineProperty(ReadStream.prototype, 'pending', {
  get() { return this.fd === null; },
  configurable: true,
});

// Kept for code that calls or patches it; opening happens in _construct.
function openReadFs() {}
ReadStream.prototype.open = openReadFs;

ReadStream.prototype._construct = function _construct(callback) {
  construct(this, callback, openReadFs);
};

ReadStream.prototype._read = function _read(n) {
  n = this.pos !== undefined ? Math.min(this.end - this.pos + 1, n) : Math.min(this.end - this.bytesRead + 1, n);
  if (n <= 0) {
    this.push(null);
    return;
  }
  this[kIsPerformingIO] = true;
  const onRead = (err, bytesRead, buf) => {
    this[kIsPerformingIO] = false;
    if (this.destroyed) {
      this.emit(kIsPerformingIO, err);
      return;
    }
    if (err) {
      require('internal/streams/destroy').errorOrDestroy(this, err);
      return;
    }
    if (bytesRead > 0) {
      if (this.pos !== undefined) this.pos += bytesRead;
      this.bytesRead += bytesRead;
      this.push(bytesRead === buf.length ? buf : buf.subarray(0, bytesRead));
    } else {
      this.push(null);
    }
  };
  if (direct(this, 'read')) {
    native.read(this.fd, n, this.pos ?? -1, (err, buf) => onRead(err, buf ? buf.length : 0, buf));
    return;
  }
  this[kFs].read(this.fd, Buffer.allocUnsafeSlow(n), 0, n, this.pos ?? null, onRead);
};

ReadStream.prototype._destroy = function _destroy(err, callback) {
  destroyStream(this, err, callback);
};

ReadStream.prototype.close = function close(cb) {
  if (typeof cb === 'function') finished(this, cb);
  this.destroy();
};

function WriteStream(path, options) {
  if (!(this instanceof WriteStream)) return new WriteStream(path, options);
  options = copyOptions(getOptions(options, {}));
  options.decodeStrings = true;
  this[kFs] = options.fs || fsModule;
  validateFunction(this[kFs].open, 'options.fs.open');
  // Either write or writev will do; one that is given must be a function.
  if (typeof this[kFs].write !== 'function' && typeof this[kFs].writev !== 'function') {
    throw new ERR_INVALID_ARG_TYPE('options.fs.write', 'function', this[kFs].write);
  }
  for (const name of ['write', 'writev']) {
    if (this[kFs][name] != null) validateFunction(this[kFs][name], `options.fs.${name}`);
  }
  validateFunction(this[kFs].close, 'options.fs.close');
  options.path = path;
  this.flags = 'w';
  importFd(this, options);
  this.start = options.start;
  this.pos = undefined;
  this.bytesWritten = 0;
  this[kIsPerformingIO] = false;
  if (options.flush == null) {
    this.flush = false;
  } else {
    validateBoolean(options.flush, 'options.flush');
    this.flush = options.flush;
  }
  if (this.start !== undefined) {
    validateInteger(this.start, 'start', 0);
    this.pos = this.start;
  }
  this.autoClose = options.autoClose === undefined ? true : options.autoClose;
  Writable.call(this, options);
  if (options.encoding) this.setDefaultEncoding(options.encoding);
  // A custom fs may provide only one of write and writev.
  if (typeof this[kFs].write !== 'function') {
    this._write = function _write(chunk, encoding, callback) {
      this._writev([{ chunk, encoding }], callback);
    };
  }
  if (typeof this[kFs].writev !== 'function') this._writev = null;
}
Object.setPrototypeOf(WriteStream.prototype, Writable.prototype);
Object.setPrototypeOf(WriteStream, Writable);

Object.defineProperty(WriteStream.prototype, 'pending', {
  get() { return this.fd === null; },
  configurable: true,
});

function openWriteFs() {}
WriteStream.prototype.open = openWriteFs;

WriteStream.prototype._construct = function _construct(callback) {
  construct(this, callback, openWriteFs);
};

// Writes all of `data` (continuing after short writes), then `callback`.
// A top-level function calling itself, not a pair of closures calling each
// other: such a cycle would keep every chunk alive until the cycle
// collector ran.
function writeAll(stream, data, callback) {
  stream[kIsPerformingIO] = true;
  const onWrite = (err, written) => {
    // A non-blocking descriptor that is full: try again, as Node does.
    if (err?.code === 'EAGAIN') {
      err = null;
      written = 0;
    }
    if (err) {
      stream[kIsPerformingIO] = false;
      if (stream.destroyed) stream.emit(kIsPerformingIO, err);
      return callback(err);
    }
    stream.bytesWritten += written;
    if (stream.pos !== undefined) stream.pos += written;
    if (written < data.length) return writeAll(stream, data.subarray(written), callback);
    stream[kIsPerformingIO] = false;
    if (stream.destroyed) {
      stream.emit(kIsPerformingIO);
      return callback(new ERR_STREAM_DESTROYED('write'));
    }
    callback();
  };
  if (direct(stream, 'write')) native.write(stream.fd, data, stream.pos ?? -1, onWrite);
  else stream[kFs].write(stream.fd, data, 0, data.length, stream.pos ?? null, onWrite);
}

WriteStream.prototype._write = function _write(data, encoding, callback) {
  writeAll(this, data, callback);
};

WriteStream.prototype._writev = function _writev(chunks, callback) {
  if (!direct(this, 'writev')) {
    const buffers = chunks.map(({ chunk }) => chunk);
    this[kIsPerformingIO] = true;
    this[kFs].writev(this.fd, buffers, this.pos ?? null, (err, written) => {
      this[kIsPerformingIO] = false;
      if (this.destroyed) this.emit(kIsPerformingIO, err);
      if (err) return callback(err);
      this.bytesWritten += written;
      if (this.pos !== undefined) this.pos += written;
      callback();
    });
    return;
  }
  // The chunks go to writev(2) as they are, uncopied in JS.
  const buffers = chunks.map(({ chunk }) => chunk);
  this[kIsPerformingIO] = true;
  native.writev(this.fd, buffers, this.pos ?? -1, (err, written) => {
    this[kIsPerformingIO] = false;
    if (this.destroyed) {
      this.emit(kIsPerformingIO, err);
      return callback(err ?? new ERR_STREAM_DESTROYED('writev'));
    }
    if (err) return callback(err);
    this.bytesWritten += written;
    if (this.pos !== undefined) this.pos += written;
    callback();
  });
};

WriteStream.prototype._final = function _final(callback) {
  if (!this.flush) return callback();
  if (typeof this[kFs].fsync === 'function' && !direct(this, 'fsync')) this[kFs].fsync(this.fd, callback);
  else native.fsync(this.fd, false, callback);
};

WriteStream.prototype._destroy = function _destroy(err, callback) {
  destroyStream(this, err, callback);
};

WriteStream.prototype.close = function close(cb) {
  if (cb) {
    if (this.closed) {
      process.nextTick(cb);
      return;
    }
    this.on('close', cb);
  }
  // With autoClose off, close() must still close the descriptor.
  if (!this.autoClose) this.on('finish', this.destroy);
  this.end();
};

WriteStream.prototype.destroySoon = WriteStream.prototype.end;

module.exports = { ReadStream, WriteStream };
