// lode:module internal/process/stdio
// process.stdout / stderr / stdin until the stream module makes them full
// streams: writes go straight to the native buffered writer (flushed before
// the loop blocks and at exit), so output order and completeness hold.

const EventEmitter = require('events');
const native = binding('process');
const { notImplemented } = require('internal/errors');
const { codes: { ERR_INVALID_ARG_TYPE } } = require('internal/errors');

class StdioWriter extends EventEmitter {
  constructor(fd) {
    super();
    this.fd = fd;
    this._type = native.isatty(fd) ? 'tty' : 'pipe';
    this.isTTY = native.isatty(fd) ? true : undefined;
    this.writable = true;
    this.writableLength = 0;
    this.writableHighWaterMark = 16384;
    this.writableEnded = false;
    this.writableFinished = false;
    this.destroyed = false;
    this._isStdio = true;
  }

  get columns() {
    const size = native.ttySize(this.fd);
    return size ? size[0] : undefined;
  }

  get rows() {
    const size = native.ttySize(this.fd);
    return size ? size[1] : undefined;
  }

  getWindowSize() {
    return native.ttySize(this.fd) || [80, 24];
  }

  hasColors(count = 16) {
    return this.isTTY === true && count <= 256 && process.env.TERM !== 'dumb';
  }

  getColorDepth() {
    return this.isTTY === true && process.env.TERM !== 'dumb' ? 8 : 1;
  }

  write(chunk, encoding, callback) {
    if (typeof encoding === 'function') {
      callback = encoding;
      encoding = undefined;
    }
    if (typeof chunk !== 'string' && !(chunk instanceof Uint8Array)) {
      throw new ERR_INVALID_ARG_TYPE('chunk', ['string', 'Buffer', 'TypedArray', 'DataView'], chunk);
    }
    if (this.fd === 1) native.writeStdout(chunk);
    else native.writeStderr(chunk);
    if (typeof callback === 'function') process.nextTick(callback, null);
    return true;
  }

  end(chunk, encoding, callback) {
    if (typeof chunk === 'function') {
      callback = chunk;
      chunk = undefined;
    }
    if (chunk !== undefined && chunk !== null) this.write(chunk, encoding);
    if (typeof callback === 'function') process.nextTick(callback);
    return this;
  }

  cork() {}

  uncork() {}

  setDefaultEncoding() {
    return this;
  }

  destroy() {
    return this;
  }
}

function createWritable(fd) {
  return new StdioWriter(fd);
}

const unsupported = (what) => function () {
  throw notImplemented(`process.stdin.${what}`);
};

function createStdin() {
  const stdin = new EventEmitter();
  stdin.fd = 0;
  stdin.isTTY = native.isatty(0) ? true : undefined;
  for (const method of ['read', 'resume', 'pipe', 'setEncoding', 'setRawMode', Symbol.asyncIterator]) {
    stdin[method] = unsupported(String(method));
  }
  stdin.pause = function pause() {
    return this;
  };
  stdin.on('newListener', (event) => {
    if (event === 'data' || event === 'readable' || event === 'end') throw notImplemented(`process.stdin 'data' events`);
  });
  return stdin;
}

module.exports = { createWritable, createStdin };
