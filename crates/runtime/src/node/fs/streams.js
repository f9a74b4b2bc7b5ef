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
const { validateInteger, validateFunction } = require('internal/validators');
const { getValidatedPath, getValidatedFd, getOptions, stringToFlags, parseFileMode } = require('internal/fs/utils');

const kFs = Symbol('kFs');
const kIsPerformingIO = Symbol('kIsPerformingIO');
// A FileHandle the stream was given: it, not the stream, owns the descriptor.
const kHandle = Symbol('kHandle');

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
    stream[kHandle] = fd;
    stream.fd = fd.fd;
    stream.path = undefined;
    return;
  }
  stream.fd = getValidatedFd(fd, 'fd');
  stream.path = undefined;
}

// The fs the stream calls: the user's `options.fs` methods over ours.
function streamFs(options, required) {
  if (options.fs == null) return null;
  const custom = { ...fsModule, ...options.fs };
  for (const name of required) {
    if (options.fs[name] !== undefined) validateFunction(custom[name], `options.fs.${name}`);
  }
  return custom;
}

function openFd(stream, callback) {
  const done = (err, fd) => {
    if (err) return callback(err);
    stream.fd = fd;
    callback();
    stream.emit('open', stream.fd);
    stream.emit('ready');
  };
  if (stream[kFs]) {
    stream[kFs].open(stream.path, stream.flags, stream.mode, done);
    return;
  }
  try {
    native.open(stream.path, stringToFlags(stream.flags), stream.mode, done);
  } catch (err) {
    callback(err);
  }
}

function closeFd(stream, err, callback) {
  const done = (closeErr) => callback(closeErr || err);
  if (!stream.fd && stream.fd !== 0) return callback(err);
  const fd = stream.fd;
  stream.fd = null;
  if (stream[kHandle]) stream[kHandle].close().then(() => done(), done);
  else if (stream[kFs]) stream[kFs].close(fd, done);
  else native.close(fd, done);
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
  options = { ...getOptions(options, {}) };
  if (options.highWaterMark === undefined) options.highWaterMark = 64 * 1024;
  if (options.autoDestroy === undefined) options.autoDestroy = false;
  this[kFs] = streamFs(options, ['open', 'read', 'close']);
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

ReadStream.prototype._construct = function _construct(callback) {
  if (typeof this.fd === 'number') callback();
  else openFd(this, callback);
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
  if (this[kFs]) {
    const buf = Buffer.allocUnsafeSlow(n);
    this[kFs].read(this.fd, buf, 0, n, this.pos ?? null, onRead);
    return;
  }
  native.read(this.fd, n, this.pos ?? -1, (err, buf) => onRead(err, buf ? buf.length : 0, buf));
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
  options = { ...getOptions(options, {}) };
  options.decodeStrings = true;
  this[kFs] = streamFs(options, ['open', 'write', 'writev', 'close']);
  if (this[kFs] && options.fs.write === undefined && options.fs.writev === undefined) {
    throw new ERR_INVALID_ARG_TYPE('options.fs.write', 'function', undefined);
  }
  options.path = path;
  this.flags = 'w';
  importFd(this, options);
  this.start = options.start;
  this.pos = undefined;
  this.bytesWritten = 0;
  this[kIsPerformingIO] = false;
  this.flush = options.flush ?? false;
  if (this.start !== undefined) {
    validateInteger(this.start, 'start', 0);
    this.pos = this.start;
  }
  this.autoClose = options.autoClose === undefined ? true : options.autoClose;
  Writable.call(this, options);
  if (options.encoding) this.setDefaultEncoding(options.encoding);
  if (this[kFs] && options.fs.writev === undefined) this._writev = null;
}
Object.setPrototypeOf(WriteStream.prototype, Writable.prototype);
Object.setPrototypeOf(WriteStream, Writable);

Object.defineProperty(WriteStream.prototype, 'pending', {
  get() { return this.fd === null; },
  configurable: true,
});

WriteStream.prototype._construct = function _construct(callback) {
  if (typeof this.fd === 'number') callback();
  else openFd(this, callback);
};

// Writes all of `data` (continuing after short writes), then `callback`.
function writeAll(stream, data, callback) {
  stream[kIsPerformingIO] = true;
  const onWrite = (err, written) => {
    if (err) {
      stream[kIsPerformingIO] = false;
      if (stream.destroyed) stream.emit(kIsPerformingIO, err);
      return callback(err);
    }
    stream.bytesWritten += written;
    if (stream.pos !== undefined) stream.pos += written;
    if (written < data.length) {
      data = data.subarray(written);
      return write();
    }
    stream[kIsPerformingIO] = false;
    if (stream.destroyed) {
      stream.emit(kIsPerformingIO);
      return callback(new ERR_STREAM_DESTROYED('write'));
    }
    callback();
  };
  const write = () => {
    if (stream[kFs]) stream[kFs].write(stream.fd, data, 0, data.length, stream.pos ?? null, onWrite);
    else native.write(stream.fd, data, stream.pos ?? -1, onWrite);
  };
  write();
}

WriteStream.prototype._write = function _write(data, encoding, callback) {
  writeAll(this, data, callback);
};

WriteStream.prototype._writev = function _writev(chunks, callback) {
  if (this[kFs]) {
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
  writeAll(this, Buffer.concat(chunks.map(({ chunk }) => chunk)), callback);
};

WriteStream.prototype._final = function _final(callback) {
  if (!this.flush) return callback();
  if (this[kFs]?.fsync) this[kFs].fsync(this.fd, callback);
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
