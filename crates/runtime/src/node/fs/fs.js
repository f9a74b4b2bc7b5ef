// lode:module fs
// `node:fs`: the synchronous and callback forms of every operation in
// internal/fs/ops (one definition each), descriptor reads and writes, and
// the stream, directory and promise APIs from their own modules.

const { Buffer } = require('buffer');
const native = binding('fs');
const { ops, kValidateOnly } = require('internal/fs/ops');
const {
  constants, getValidatedFd, getValidatedPath, takeCallback, validateOffsetLengthRead, validateOffsetLengthWrite,
  validatePosition, toUint8, scatter, validateBufferArray, Stats, Dirent, toUnixTimestamp,
} = require('internal/fs/utils');
const {
  codes: { ERR_INVALID_ARG_TYPE, ERR_INVALID_ARG_VALUE },
} = require('internal/errors');
const { validateFunction, validateInteger, validateObject, validateEncoding } = require('internal/validators');

const fs = {
  constants,
  Stats: require('util').deprecate(Stats, 'fs.Stats constructor is deprecated.', 'DEP0180'),
  Dirent, F_OK: 0, R_OK: 4, W_OK: 2, X_OK: 1, _toUnixTimestamp: toUnixTimestamp };

function named(name, fn) {
  Object.defineProperty(fn, 'name', { value: name });
  return fn;
}

// The sync and callback faces of each op; `arity` is where the callback
// belongs when the caller left it out (for Node's "cb" error).
const arities = {
  access: 2, open: 3, close: 1, stat: 2, lstat: 2, fstat: 2, statfs: 2, readlink: 2, symlink: 3, link: 2,
  rename: 2, unlink: 1, rmdir: 2, rm: 2, mkdir: 2, mkdtemp: 2, readdir: 2, chmod: 2, fchmod: 2, chown: 3,
  lchown: 3, fchown: 3, utimes: 3, lutimes: 3, futimes: 3, truncate: 2, ftruncate: 2, fsync: 1, fdatasync: 1,
  copyFile: 3, readFile: 2, writeFile: 3, appendFile: 3,
};
for (const [name, arity] of Object.entries(arities)) {
  const op = ops[name];
  fs[`${name}Sync`] = named(`${name}Sync`, (...args) => op(undefined, ...args));
  const validate = (args) => op(kValidateOnly, ...args);
  fs[name] = named(name, (...args) => {
    const cb = takeCallback(args, arity, validate);
    op(cb, ...args);
  });
}

// stat and lstat give undefined for a missing path with throwIfNoEntry: false.
const isMissing = (options, err) => options?.throwIfNoEntry === false && err?.code === 'ENOENT' && err.syscall !== undefined;
for (const name of ['stat', 'lstat']) {
  const op = ops[name];
  fs[`${name}Sync`] = named(`${name}Sync`, (path, options = { bigint: false, throwIfNoEntry: true }) => {
    try {
      return op(undefined, path, options);
    } catch (err) {
      if (isMissing(options, err)) return undefined;
      throw err;
    }
  });
  const validate = (args) => op(kValidateOnly, ...args);
  fs[name] = named(name, (...args) => {
    const cb = takeCallback(args, 2, validate);
    const options = args[1];
    op((err, stats) => (err && !isMissing(options, err) ? cb(err) : cb(null, stats)), ...args);
  });
}

fs.realpathSync = function realpathSync(path, options) {
  return ops.realpath(undefined, path, options, false);
};
fs.realpathSync.native = function realpathSync(path, options) {
  return ops.realpath(undefined, path, options, true);
};
fs.realpath = function realpath(path, ...args) {
  const cb = takeCallback(args, 1);
  ops.realpath(cb, path, args[0], false);
};
fs.realpath.native = function realpath(path, ...args) {
  const cb = takeCallback(args, 1);
  ops.realpath(cb, path, args[0], true);
};

let warnedExistsSync = false;
fs.existsSync = function existsSync(path) {
  try {
    path = getValidatedPath(path);
  } catch (err) {
    if (err?.code === 'ERR_INVALID_ARG_TYPE' && !warnedExistsSync) {
      warnedExistsSync = true;
      process.emitWarning('Passing invalid argument types to fs.existsSync is deprecated', 'DeprecationWarning', 'DEP0187');
    }
    return false;
  }
  try {
    native.access(path, constants.F_OK, undefined);
    return true;
  } catch {
    return false;
  }
};

fs.exists = function exists(path, callback) {
  validateFunction(callback, 'cb');
  try {
    ops.access((err) => callback(!err), path, constants.F_OK);
  } catch {
    process.nextTick(callback, false);
  }
};
Object.defineProperty(fs.exists, Symbol.for('nodejs.util.promisify.custom'), {
  value: (path) => new Promise((resolve) => fs.exists(path, resolve)),
});

// --- Reads and writes on descriptors --------------------------------------

function validateBuffer(buffer) {
  if (!ArrayBuffer.isView(buffer)) throw new ERR_INVALID_ARG_TYPE('buffer', ['Buffer', 'TypedArray', 'DataView'], buffer);
}

// Offset, length and position for a read, with Node's defaults and checks;
// `null` when there is nothing to read.
function readParams(buffer, offset, length, position) {
  if (offset == null) offset = 0;
  else validateInteger(offset, 'offset', 0);
  length |= 0;
  if (length === 0) return null;
  if (buffer.byteLength === 0) throw new ERR_INVALID_ARG_VALUE('buffer', buffer, 'is empty and cannot be written');
  validateOffsetLengthRead(offset, length, buffer.byteLength);
  return { offset, length, position: position == null ? -1 : validatePosition(position, 'position', length) };
}

fs.readSync = function readSync(fd, buffer, offsetOrOptions, length, position) {
  fd = getValidatedFd(fd);
  validateBuffer(buffer);
  let offset = offsetOrOptions;
  if (arguments.length <= 3 || typeof offsetOrOptions === 'object') {
    if (offsetOrOptions !== undefined) validateObject(offsetOrOptions, 'options', { nullable: true });
    ({ offset = 0, length = buffer.byteLength - offset, position = null } = offsetOrOptions ?? {});
  }
  const params = readParams(buffer, offset, length, position);
  if (params === null) return 0;
  return native.readInto(fd, toUint8(buffer), params.offset, params.length, params.position);
};

fs.read = function read(fd, buffer, offsetOrOptions, length, position, callback) {
  fd = getValidatedFd(fd);
  let offset = offsetOrOptions;
  let params = null;
  if (arguments.length <= 4) {
    if (arguments.length === 4) {
      validateObject(offsetOrOptions, 'options', { nullable: true });
      callback = length;
      params = offsetOrOptions;
    } else if (arguments.length === 3) {
      if (!ArrayBuffer.isView(buffer)) {
        params = buffer;
        ({ buffer = Buffer.alloc(16384) } = params ?? {});
      }
      callback = offsetOrOptions;
    } else {
      callback = buffer;
      buffer = Buffer.alloc(16384);
    }
    ({ offset = 0, length = buffer?.byteLength - offset, position = null } = params ?? {});
  }
  validateBuffer(buffer);
  validateFunction(callback, 'cb');
  const checked = readParams(buffer, offset, length, position);
  if (checked === null) {
    process.nextTick(callback, null, 0, buffer);
    return;
  }
  native.read(fd, checked.length, checked.position, (err, chunk) => {
    if (err) return callback(err, 0, buffer);
    toUint8(buffer).set(chunk, checked.offset);
    callback(null, chunk.length, buffer);
  });
};
Object.defineProperty(fs.read, Symbol.for('nodejs.util.promisify.custom'), {
  value: (...args) => new Promise((resolve, reject) => {
    fs.read(...args, (err, bytesRead, buffer) => (err ? reject(err) : resolve({ bytesRead, buffer })));
  }),
});

function validateStringData(buffer) {
  if (typeof buffer !== 'string') {
    throw new ERR_INVALID_ARG_TYPE('buffer', ['string', 'Buffer', 'TypedArray', 'DataView'], buffer);
  }
}

// The bytes a write sends: a Uint8Array window of a view, or a string in
// its encoding (utf8 strings go to the native side as they are).
function writeBytes(buffer, offset, length) {
  const view = toUint8(buffer);
  return offset === 0 && length === view.length ? view : view.subarray(offset, offset + length);
}

function stringBytes(string, encoding) {
  if (encoding == null || encoding === 'utf8' || encoding === 'utf-8') return string;
  validateEncoding(string, encoding);
  return Buffer.from(string, encoding);
}

fs.writeSync = function writeSync(fd, buffer, offsetOrOptions, length, position) {
  fd = getValidatedFd(fd);
  let offset = offsetOrOptions;
  if (ArrayBuffer.isView(buffer)) {
    if (typeof offset === 'object') {
      ({ offset = 0, length = buffer.byteLength - offset, position = null } = offsetOrOptions ?? {});
    }
    if (offset == null) offset = 0;
    else validateInteger(offset, 'offset', 0);
    if (typeof length !== 'number') length = buffer.byteLength - offset;
    validateOffsetLengthWrite(offset, length, buffer.byteLength);
    return native.write(fd, writeBytes(buffer, offset, length), typeof position === 'number' ? position : -1);
  }
  validateStringData(buffer);
  return native.write(fd, stringBytes(buffer, length), typeof offset === 'number' ? offset : -1);
};

fs.write = function write(fd, buffer, offsetOrOptions, length, position, callback) {
  fd = getValidatedFd(fd);
  let offset = offsetOrOptions;
  if (ArrayBuffer.isView(buffer)) {
    callback = callback || position || length || offset;
    validateFunction(callback, 'cb');
    if (typeof offset === 'object') {
      ({ offset = 0, length = buffer.byteLength - offset, position = null } = offsetOrOptions ?? {});
    }
    if (offset == null || typeof offset === 'function') offset = 0;
    else validateInteger(offset, 'offset', 0);
    if (typeof length !== 'number') length = buffer.byteLength - offset;
    if (typeof position !== 'number') position = -1;
    validateOffsetLengthWrite(offset, length, buffer.byteLength);
    native.write(fd, writeBytes(buffer, offset, length), position, (err, written) => callback(err, written || 0, buffer));
    return;
  }
  validateStringData(buffer);
  if (typeof position !== 'function') {
    if (typeof offset === 'function') {
      position = offset;
      offset = null;
    } else {
      position = length;
    }
    length = 'utf8';
  }
  callback = position;
  validateFunction(callback, 'cb');
  native.write(fd, stringBytes(buffer, length), typeof offset === 'number' ? offset : -1,
    (err, written) => callback(err, written || 0, buffer));
};
Object.defineProperty(fs.write, Symbol.for('nodejs.util.promisify.custom'), {
  value: (...args) => new Promise((resolve, reject) => {
    fs.write(...args, (err, bytesWritten, buffer) => (err ? reject(err) : resolve({ bytesWritten, buffer })));
  }),
});

fs.readvSync = function readvSync(fd, buffers, position) {
  fd = getValidatedFd(fd);
  validateBufferArray(buffers);
  let pos = typeof position === 'number' ? position : -1;
  let total = 0;
  for (const buffer of buffers) {
    const view = toUint8(buffer);
    const n = native.readInto(fd, view, 0, view.length, pos);
    total += n;
    if (pos >= 0) pos += n;
    if (n < view.length) break;
  }
  return total;
};

fs.readv = function readv(fd, buffers, position, callback) {
  fd = getValidatedFd(fd);
  validateBufferArray(buffers);
  callback = typeof position === 'function' ? position : callback;
  validateFunction(callback, 'cb');
  const total = buffers.reduce((sum, b) => sum + b.byteLength, 0);
  native.read(fd, total, typeof position === 'number' ? position : -1, (err, chunk) => {
    if (err) return callback(err);
    scatter(chunk, buffers);
    callback(null, chunk.length, buffers);
  });
};

fs.writevSync = function writevSync(fd, buffers, position) {
  fd = getValidatedFd(fd);
  validateBufferArray(buffers);
  if (buffers.length === 0) return 0;
  return native.writev(fd, buffers.map(toUint8), typeof position === 'number' ? position : -1, undefined);
};

fs.writev = function writev(fd, buffers, position, callback) {
  fd = getValidatedFd(fd);
  validateBufferArray(buffers);
  callback = typeof position === 'function' ? position : callback;
  validateFunction(callback, 'cb');
  if (buffers.length === 0) {
    process.nextTick(callback, null, 0, buffers);
    return;
  }
  native.writev(fd, buffers.map(toUint8), typeof position === 'number' ? position : -1,
    (err, written) => callback(err, written || 0, buffers));
};

for (const [name, key] of [['readv', 'bytesRead'], ['writev', 'bytesWritten']]) {
  Object.defineProperty(fs[name], Symbol.for('nodejs.util.promisify.custom'), {
    value: (...args) => new Promise((resolve, reject) => {
      fs[name](...args, (err, bytes, buffers) => (err ? reject(err) : resolve({ [key]: bytes, buffers })));
    }),
  });
}

// --- Directories, copies, globs and the rest --------------------------------

Object.assign(fs, require('internal/fs/dir').api);
Object.assign(fs, require('internal/fs/cp').api);

fs.openAsBlob = function openAsBlob(path, options = {}) {
  validateObject(options, 'options');
  const type = options.type ?? '';
  path = getValidatedPath(path);
  return new Promise((resolve, reject) => {
    ops.readFile((err, data) => (err ? reject(err) : resolve(new (require('buffer').Blob)([data], { type }))), path);
  });
};

fs.lchmod = undefined;
fs.lchmodSync = undefined;

// A temporary directory removed (recursively) on dispose.
fs.mkdtempDisposableSync = function mkdtempDisposableSync(prefix, options) {
  const path = ops.mkdtemp(undefined, prefix, options);
  // Removal uses the absolute path, so a later chdir does not matter.
  const fullPath = require('path').resolve(String(path));
  const remove = () => fs.rmSync(fullPath, { maxRetries: 0, recursive: true, force: true });
  return { path, remove, [Symbol.dispose]: remove };
};

for (const name of ['watch', 'watchFile', 'unwatchFile']) {
  fs[name] = function (...args) {
    return require('internal/fs/watchers')[name](...args);
  };
  Object.defineProperty(fs[name], 'name', { value: name });
}

for (const name of ['glob', 'globSync']) {
  fs[name] = { [name]: (...args) => require('internal/fs/glob')[name](...args) }[name];
}

// Streams and promises load on first use.
function lazy(name, load) {
  Object.defineProperty(fs, name, {
    enumerable: true,
    configurable: true,
    get() {
      const value = load();
      Object.defineProperty(fs, name, { value, enumerable: true, configurable: true, writable: true });
      return value;
    },
    set(value) {
      Object.defineProperty(fs, name, { value, enumerable: true, configurable: true, writable: true });
    },
  });
}
lazy('ReadStream', () => require('internal/fs/streams').ReadStream);
lazy('WriteStream', () => require('internal/fs/streams').WriteStream);
lazy('FileReadStream', () => require('internal/fs/streams').ReadStream);
lazy('FileWriteStream', () => require('internal/fs/streams').WriteStream);
lazy('promises', () => require('fs/promises'));
fs.createReadStream = function createReadStream(path, options) {
  return new (require('internal/fs/streams').ReadStream)(path, options);
};
fs.createWriteStream = function createWriteStream(path, options) {
  return new (require('internal/fs/streams').WriteStream)(path, options);
};

module.exports = fs;
