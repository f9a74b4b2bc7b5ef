// lode:module fs/promises
// `fs.promises`: every operation of internal/fs/ops as a promise (argument
// errors reject, as Node's async functions do), and FileHandle, the
// promise-side owner of a descriptor.

const EventEmitter = require('events');
const { Buffer } = require('buffer');
const native = binding('fs');
const { ops, checkAborted } = require('internal/fs/ops');
const {
  constants, getOptions, getValidatedPath, stringToFlags, parseFileMode, validateOffsetLengthRead,
  validateOffsetLengthWrite, validatePosition, toUint8, scatter, validateBufferArray,
} = require('internal/fs/utils');
const {
  codes: { ERR_INVALID_ARG_TYPE, ERR_INVALID_ARG_VALUE },
} = require('internal/errors');
const { validateInteger, validateObject } = require('internal/validators');

// A promise for `run((err, value) => ...)`; throws inside reject it.
function promised(run) {
  return new Promise((resolve, reject) => {
    run((err, value) => (err ? reject(err) : resolve(value)));
  });
}

const kFd = Symbol('kFd');
const kClosing = Symbol('kClosing');
const kRefs = Symbol('kRefs');
const kWriteAll = Symbol('kWriteAll');

function closedError(syscall) {
  const err = new Error('file closed');
  err.code = 'EBADF';
  err.syscall = syscall;
  return err;
}

class FileHandle extends EventEmitter {
  constructor(fd) {
    super();
    this[kFd] = fd;
    this[kClosing] = null;
    this[kRefs] = 1;
  }

  get fd() {
    return this[kFd];
  }

  // Runs a native call on this handle's descriptor, rejecting once closed.
  #use(syscall, run) {
    if (this[kFd] === -1) return Promise.reject(closedError(syscall));
    if (this[kClosing]) return Promise.reject(closedError(syscall));
    this[kRefs]++;
    return promised((done) => run(this[kFd], done)).finally(() => {
      if (--this[kRefs] === 0 && this[kClosing]) this.#closeNow();
    });
  }

  #closeNow() {
    const fd = this[kFd];
    this[kFd] = -1;
    native.close(fd, (err) => {
      const { resolve, reject } = this[kClosing];
      if (err) reject(err);
      else {
        resolve();
        this.emit('close');
      }
    });
  }

  close() {
    if (this[kFd] === -1) return Promise.resolve();
    if (this[kClosing]) return this[kClosing].promise;
    let resolve;
    let reject;
    const promise = new Promise((res, rej) => {
      resolve = res;
      reject = rej;
    });
    this[kClosing] = { promise, resolve, reject };
    if (--this[kRefs] === 0) this.#closeNow();
    return promise;
  }

  async [Symbol.asyncDispose]() {
    return this.close();
  }

  getAsyncId() {
    return this[kFd];
  }

  stat(options) {
    return this.#use('fstat', (fd, done) => ops.fstat(done, fd, options));
  }

  truncate(len = 0) {
    return this.#use('ftruncate', (fd, done) => ops.ftruncate(done, fd, len));
  }

  sync() {
    return this.#use('fsync', (fd, done) => ops.fsync(done, fd));
  }

  datasync() {
    return this.#use('fdatasync', (fd, done) => ops.fdatasync(done, fd));
  }

  chmod(mode) {
    return this.#use('fchmod', (fd, done) => ops.fchmod(done, fd, mode));
  }

  chown(uid, gid) {
    return this.#use('fchown', (fd, done) => ops.fchown(done, fd, uid, gid));
  }

  utimes(atime, mtime) {
    return this.#use('futime', (fd, done) => ops.futimes(done, fd, atime, mtime));
  }

  async read(buffer, offset, length, position) {
    if (buffer != null && !ArrayBuffer.isView(buffer)) {
      validateObject(buffer, 'options', { nullable: true });
      ({ buffer = Buffer.alloc(16384), offset = 0, length = buffer.byteLength - offset, position = null } = buffer);
    } else if (buffer == null) {
      buffer = Buffer.alloc(16384);
    }
    if (offset !== null && typeof offset === 'object') {
      ({ offset = 0, length = buffer.byteLength - offset, position = null } = offset);
    }
    if (!ArrayBuffer.isView(buffer)) throw new ERR_INVALID_ARG_TYPE('buffer', ['Buffer', 'TypedArray', 'DataView'], buffer);
    offset ??= 0;
    validateInteger(offset, 'offset', 0);
    length = length === undefined ? buffer.byteLength - offset : length | 0;
    if (length === 0) return Promise.resolve({ bytesRead: 0, buffer });
    if (buffer.byteLength === 0) throw new ERR_INVALID_ARG_VALUE('buffer', buffer, 'is empty and cannot be written');
    validateOffsetLengthRead(offset, length, buffer.byteLength);
    const pos = position == null ? -1 : validatePosition(position, 'position', length);
    return this.#use('read', (fd, done) => native.read(fd, length, pos, done)).then((chunk) => {
      toUint8(buffer).set(chunk, offset);
      return { bytesRead: chunk.length, buffer };
    });
  }

  async readv(buffers, position) {
    validateBufferArray(buffers);
    const total = buffers.reduce((sum, b) => sum + b.byteLength, 0);
    const pos = typeof position === 'number' ? position : -1;
    return this.#use('read', (fd, done) => native.read(fd, total, pos, done)).then((chunk) => {
      scatter(chunk, buffers);
      return { bytesRead: chunk.length, buffers };
    });
  }

  async write(buffer, offsetOrOptions, length, position) {
    if (ArrayBuffer.isView(buffer)) {
      let offset = offsetOrOptions;
      if (offset !== null && typeof offset === 'object') {
        ({ offset = 0, length = buffer.byteLength - offset, position = null } = offset);
      }
      offset ??= 0;
      validateInteger(offset, 'offset', 0);
      if (typeof length !== 'number') length = buffer.byteLength - offset;
      validateOffsetLengthWrite(offset, length, buffer.byteLength);
      const bytes = toUint8(buffer).subarray(offset, offset + length);
      const pos = typeof position === 'number' ? position : -1;
      return this.#use('write', (fd, done) => native.write(fd, bytes, pos, done))
        .then((bytesWritten) => ({ bytesWritten, buffer }));
    }
    if (typeof buffer !== 'string') {
      throw new ERR_INVALID_ARG_TYPE('buffer', ['string', 'Buffer', 'TypedArray', 'DataView'], buffer);
    }
    const pos = typeof offsetOrOptions === 'number' ? offsetOrOptions : -1;
    const bytes = Buffer.from(buffer, length ?? 'utf8');
    return this.#use('write', (fd, done) => native.write(fd, bytes, pos, done))
      .then((bytesWritten) => ({ bytesWritten, buffer }));
  }

  async writev(buffers, position) {
    validateBufferArray(buffers);
    const pos = typeof position === 'number' ? position : -1;
    if (buffers.length === 0) return Promise.resolve({ bytesWritten: 0, buffers });
    return this.#use('write', (fd, done) => native.writev(fd, buffers.map(toUint8), pos, done))
      .then((bytesWritten) => ({ bytesWritten, buffers }));
  }

  readFile(options) {
    return this.#use('read', (fd, done) => ops.readFile(done, fd, options));
  }

  writeFile(data, options) {
    return writeFileTo(this, data, options, 'w');
  }

  appendFile(data, options) {
    return writeFileTo(this, data, options, 'a');
  }

  createReadStream(options = undefined) {
    const { ReadStream } = require('internal/fs/streams');
    return new ReadStream(undefined, { ...options, fd: this });
  }

  createWriteStream(options = undefined) {
    const { WriteStream } = require('internal/fs/streams');
    return new WriteStream(undefined, { ...options, fd: this });
  }

  readLines(options = undefined) {
    const { Interface } = require('internal/readline/interface');
    return new Interface({ input: this.createReadStream(options), crlfDelay: Infinity });
  }

  readableWebStream(options = undefined) {
    const { Readable } = require('stream');
    return Readable.toWeb(this.createReadStream(options));
  }

  [kWriteAll](data) {
    return this.#use('write', (fd, done) => native.writeFile(fd, data, 0, 0, done));
  }
}

function isIterable(data) {
  return data != null && typeof data === 'object' &&
    (typeof data[Symbol.asyncIterator] === 'function' || typeof data[Symbol.iterator] === 'function');
}

// Node's kWriteFileMaxChunkSize: with a signal, it is checked between chunks.
const kChunkSize = 512 * 1024;

// writeFile/appendFile to a path or handle. A string or buffer to a path
// without a signal is one native call; otherwise the data (or each chunk of
// an iterable or stream) is written through a handle in bounded chunks.
async function writeFileTo(target, data, options, flag) {
  options = getOptions(options, { encoding: 'utf8', mode: 0o666, flag });
  const { signal } = options;
  const encoding = options.encoding ?? 'utf8';
  // Settle the caller's synchronous code first: an abort right after the
  // call still stops the write, as in Node.
  await null;
  checkAborted(signal);
  const whole = typeof data === 'string' || ArrayBuffer.isView(data);
  if (!whole && !isIterable(data)) {
    throw new ERR_INVALID_ARG_TYPE('data', ['string', 'Buffer', 'TypedArray', 'DataView', 'AsyncIterable', 'Iterable', 'Stream'], data);
  }
  if (whole && signal === undefined && !(target instanceof FileHandle)) {
    return promised((done) => ops.writeFile(done, target, data, options, flag));
  }
  const handle = target instanceof FileHandle ? target : await open(target, options.flag || flag, options.mode);
  try {
    checkAborted(signal);
    for await (const chunk of whole ? [data] : data) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk;
      if (!ArrayBuffer.isView(bytes)) {
        throw new ERR_INVALID_ARG_TYPE('write', ['string', 'Buffer', 'TypedArray', 'DataView'], chunk);
      }
      const view = toUint8(bytes);
      for (let at = 0; at < view.length || at === 0; at += kChunkSize) {
        checkAborted(signal);
        await handle[kWriteAll](view.subarray(at, at + kChunkSize));
        if (view.length === 0) break;
      }
    }
    checkAborted(signal);
  } finally {
    if (handle !== target) await handle.close();
  }
}

async function open(path, flags, mode) {
  path = getValidatedPath(path);
  const flagsNumber = stringToFlags(flags);
  mode = parseFileMode(mode, 'mode', 0o666);
  return new FileHandle(await promised((done) => native.open(path, flagsNumber, mode, done)));
}

const promises = { constants, open, FileHandle };

for (const name of [
  'access', 'copyFile', 'rename', 'truncate', 'rm', 'rmdir', 'mkdir', 'readdir', 'readlink', 'symlink',
  'lstat', 'stat', 'statfs', 'link', 'unlink', 'chmod', 'lchown', 'chown', 'utimes', 'lutimes', 'mkdtemp',
]) {
  const op = ops[name];
  promises[name] = { [name]: (...args) => promised((done) => op(done, ...args)) }[name];
}

promises.realpath = function realpath(path, options) {
  return promised((done) => ops.realpath(done, path, options, false));
};

promises.readFile = function readFile(path, options) {
  if (path instanceof FileHandle) return path.readFile(options);
  return promised((done) => ops.readFile(done, path, options));
};

promises.writeFile = function writeFile(path, data, options) {
  return writeFileTo(path, data, options, 'w');
};

promises.appendFile = function appendFile(path, data, options) {
  return writeFileTo(path, data, options, 'a');
};

promises.opendir = function opendir(path, options) {
  return promised((done) => require('internal/fs/dir').api.opendir(path, options, done));
};

promises.cp = function cp(src, dest, options) {
  return promised((done) => require('internal/fs/cp').api.cp(src, dest, options, done));
};

promises.mkdtempDisposable = async function mkdtempDisposable(prefix, options) {
  const path = await promises.mkdtemp(prefix, options);
  const fullPath = require('path').resolve(String(path));
  const remove = async () => promises.rm(fullPath, { maxRetries: 0, recursive: true, force: true });
  return { __proto__: null, path, remove, [Symbol.asyncDispose]: remove };
};

promises.watch = function watch(filename, options) {
  return require('internal/fs/watchers').watchAsync(filename, options);
};

promises.glob = function glob(pattern, options) {
  return require('internal/fs/glob').globAsync(pattern, options);
};

module.exports = promises;
