// lode:module internal/process/stdio
// process.stdout / stderr / stdin as real streams. Output is a Writable
// whose writes go synchronously to the native writer (stdout buffered and
// flushed before the loop blocks, before stderr and at exit; stderr
// unbuffered), as Node writes stdio synchronously on Linux for files, pipes
// and terminals; a plain write() takes a short path that skips the
// Writable queue. Input is a Readable fed by the native stdin reader, one
// chunk per read request.

const Writable = require('internal/streams/writable');
const native = binding('process');

function writeNative(fd, chunk) {
  if (fd === 1) native.writeStdout(chunk);
  else native.writeStderr(chunk);
}

// Terminal queries shared by the stdout/stderr writers and stdin.
const ttyMethods = {
  get columns() {
    const size = native.ttySize(this.fd);
    return size ? size[0] : undefined;
  },
  get rows() {
    const size = native.ttySize(this.fd);
    return size ? size[1] : undefined;
  },
  getWindowSize() {
    return native.ttySize(this.fd) || [80, 24];
  },
  hasColors(count = 16, env = process.env) {
    if (typeof count === 'object') {
      env = count;
      count = 16;
    }
    return count <= 2 ** this.getColorDepth(env);
  },
  getColorDepth(env = process.env) {
    if (env.FORCE_COLOR !== undefined) {
      return { '': 4, 1: 4, true: 4, 2: 8, 3: 24, 0: 1, false: 1 }[env.FORCE_COLOR] ?? 4;
    }
    if (env.NO_COLOR !== undefined || env.NODE_DISABLE_COLORS !== undefined || env.TERM === 'dumb') return 1;
    if (env.COLORTERM === 'truecolor' || env.COLORTERM === '24bit') return 24;
    if (/-256(color)?$/.test(env.TERM ?? '')) return 8;
    return 4;
  },
};

function StdioWriter(fd) {
  Writable.call(this, { decodeStrings: false, emitClose: false });
  this.fd = fd;
  this._type = native.isatty(fd) ? 'tty' : 'pipe';
  this.isTTY = native.isatty(fd) ? true : undefined;
  this._isStdio = true;
}
Object.setPrototypeOf(StdioWriter.prototype, Writable.prototype);
Object.setPrototypeOf(StdioWriter, Writable);

for (const [name, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(ttyMethods))) {
  Object.defineProperty(StdioWriter.prototype, name, descriptor);
}

// The short path: with nothing queued, corked, ending or destroyed, a
// write is done at once and behaves exactly as the queued one would.
StdioWriter.prototype.write = function write(chunk, encoding, callback) {
  const state = this._writableState;
  if (state.corked || state.writing || state.length !== 0 || state.ending || state.destroyed || state.errored) {
    return Writable.prototype.write.call(this, chunk, encoding, callback);
  }
  if (typeof encoding === 'function') {
    callback = encoding;
    encoding = undefined;
  }
  if (typeof chunk === 'string') {
    if (encoding && encoding !== 'utf8' && encoding !== 'utf-8') chunk = Buffer.from(chunk, encoding);
  } else if (!(chunk instanceof Uint8Array)) {
    return Writable.prototype.write.call(this, chunk, encoding, callback);
  }
  writeNative(this.fd, chunk);
  if (typeof callback === 'function') process.nextTick(callback, null);
  return true;
};

StdioWriter.prototype._write = function _write(chunk, encoding, callback) {
  writeNative(this.fd, typeof chunk === 'string' && encoding !== 'utf8' ? Buffer.from(chunk, encoding) : chunk);
  callback();
};

// Ending or destroying stdout never closes the descriptor (Node's
// dummyDestroy); 'close' is still emitted so finished() and pipeline() work.
StdioWriter.prototype._destroy = function _destroy(err, callback) {
  callback(err);
  this._undestroy();
  process.nextTick(() => this.emit('close'));
};

StdioWriter.prototype.destroySoon = StdioWriter.prototype.destroy;

StdioWriter.prototype.cursorTo = function cursorTo(x, y, callback) {
  return require('readline').cursorTo(this, x, y, callback);
};

StdioWriter.prototype.moveCursor = function moveCursor(dx, dy, callback) {
  return require('readline').moveCursor(this, dx, dy, callback);
};

StdioWriter.prototype.clearLine = function clearLine(dir, callback) {
  return require('readline').clearLine(this, dir, callback);
};

StdioWriter.prototype.clearScreenDown = function clearScreenDown(callback) {
  return require('readline').clearScreenDown(this, callback);
};

function createWritable(fd) {
  return new StdioWriter(fd);
}

// stdin's class is built on first use: programs that never read input do
// not load Readable.
let Stdin;
function defineStdin() {
  const Readable = require('internal/streams/readable');
  const kHandle = Symbol('kHandle');
  const kReading = Symbol('kReading');

  Stdin = function Stdin() {
    Readable.call(this, { highWaterMark: 64 * 1024 });
    this.fd = 0;
    this.isTTY = native.isatty(0) ? true : undefined;
    this.isRaw = false;
    this[kHandle] = null;
    this[kReading] = false;
    // Once paused (and still paused a tick later), an outstanding read no
    // longer holds the process open, as Node's stdin stops reading.
    this.on('pause', () => process.nextTick(() => {
      if (!wantsData(this)) native.refStdin(false);
    }));
  };
  Object.setPrototypeOf(Stdin.prototype, Readable.prototype);
  Object.setPrototypeOf(Stdin, Readable);

  for (const name of ['columns', 'rows', 'getWindowSize']) {
    Object.defineProperty(Stdin.prototype, name, Object.getOwnPropertyDescriptor(ttyMethods, name));
  }

  // Whether a consumer is waiting: flowing, or listening for 'readable'.
  // Reads done for read-ahead alone (a paused stream topping up its buffer)
  // do not hold the process open.
  const wantsData = (stream) => stream.readableFlowing !== false || stream.listenerCount('readable') > 0;

  Stdin.prototype._read = function _read() {
    if (this[kReading]) {
      native.refStdin(wantsData(this));
      return;
    }
    if (this[kHandle] === null) {
      this[kHandle] = native.startStdin((err, chunk) => {
        this[kReading] = false;
        native.refStdin(false);
        if (this.destroyed) return;
        if (err) this.destroy(err);
        else this.push(chunk);
      });
    }
    this[kReading] = true;
    native.readStdin();
    if (!wantsData(this)) native.refStdin(false);
  };

  Stdin.prototype.resume = function resume() {
    if (this[kReading]) native.refStdin(true);
    return Readable.prototype.resume.call(this);
  };

  Stdin.prototype.ref = function ref() {
    if (this[kReading]) native.refStdin(true);
    return this;
  };

  Stdin.prototype.unref = function unref() {
    native.refStdin(false);
    return this;
  };

  Stdin.prototype.setRawMode = function setRawMode(mode) {
    native.setRawMode(!!mode);
    this.isRaw = !!mode;
    return this;
  };

  Stdin.prototype._destroy = function _destroy(err, callback) {
    native.refStdin(false);
    callback(err);
  };


}

function createStdin() {
  if (Stdin === undefined) defineStdin();
  return new Stdin();
}

module.exports = { createWritable, createStdin };
