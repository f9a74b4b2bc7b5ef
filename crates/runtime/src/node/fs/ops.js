// lode:module internal/fs/ops
// Every file-system operation, written once. Each takes a request first:
// `undefined` runs it synchronously (returning or throwing, the *Sync API);
// a function `(err, value)` runs it on the blocking pool and calls back from
// the event loop (the callback API, and fs/promises through a resolver).
// Argument validation always happens synchronously, before any I/O.

const { Buffer } = require('buffer');
const native = binding('fs');
const {
  codes: { ERR_INVALID_ARG_TYPE, ERR_FS_EISDIR, ERR_FS_FILE_TOO_LARGE },
  AbortError,
} = require('internal/errors');
const { validateBoolean, validateInteger, validateOneOf } = require('internal/validators');
const {
  constants: { F_OK },
  stringToFlags, parseFileMode, getValidatedPath, getValidatedFd, getOptions, encodeResult, toUnixTimestamp,
  getStatsFromBinding, getStatFsFromBinding, Dirent, validateRmOptions, toUint8,
} = require('internal/fs/utils');

// A request that only validates the arguments: callback-style calls
// without a callback report a bad argument before the missing callback.
const kValidateOnly = Symbol('kValidateOnly');

// Calls `fn(...args)` now (req undefined) or with a completion callback;
// `map` turns the native result into the API's value.
function call(req, map, fn, ...args) {
  if (req === kValidateOnly) return;
  if (req === undefined) {
    const value = fn(...args, undefined);
    return map === undefined ? value : map(value);
  }
  fn(...args, map === undefined ? req : (err, value) => {
    if (err) return req(err);
    let result;
    try {
      result = map(value);
    } catch (mapErr) {
      return req(mapErr);
    }
    req(null, result);
  });
}

// Node's getValidMode: access and copyFile modes are 0..7.
function validMode(mode, def = F_OK) {
  if (mode == null) return def;
  validateInteger(mode, 'mode', 0, 7);
  return mode;
}

function validateId(id, name) {
  validateInteger(id, name, -1, 4294967295);
  return id >>> 0;
}

function checkAborted(signal) {
  if (signal?.aborted) throw new AbortError(undefined, { cause: signal.reason });
}

// A signal aborted before the call: the error is the call's result (thrown,
// or called back on the next tick), not a synchronous throw.
function abortedBefore(req, signal) {
  if (!signal?.aborted) return false;
  const err = new AbortError(undefined, { cause: signal.reason });
  if (req === undefined) throw err;
  if (req !== kValidateOnly) process.nextTick(req, err);
  return true;
}

let warnedNonPortable = false;
function warnOnNonPortableTemplate(prefix) {
  const last = typeof prefix === 'string' ? prefix.at(-1) : String.fromCharCode(prefix[prefix.length - 1]);
  if (last === 'X' && !warnedNonPortable) {
    warnedNonPortable = true;
    process.emitWarning('mkdtemp() templates ending with X are not portable. For details see: https://nodejs.org/api/fs.html');
  }
}

// Stat results are left in the shared statValues by the native side.
const toStats = () => getStatsFromBinding(undefined, false);
const toBigIntStats = () => getStatsFromBinding(undefined, true);

const ops = {
  access(req, path, mode) {
    return call(req, undefined, native.access, getValidatedPath(path), validMode(mode));
  },

  open(req, path, flags, mode) {
    path = getValidatedPath(path);
    return call(req, undefined, native.open, path, stringToFlags(flags), parseFileMode(mode, 'mode', 0o666));
  },

  close(req, fd) {
    return call(req, undefined, native.close, getValidatedFd(fd));
  },

  stat(req, path, options = undefined) {
    return call(req, options?.bigint ? toBigIntStats : toStats, native.stat, getValidatedPath(path));
  },

  lstat(req, path, options = undefined) {
    return call(req, options?.bigint ? toBigIntStats : toStats, native.lstat, getValidatedPath(path));
  },

  fstat(req, fd, options = undefined) {
    return call(req, options?.bigint ? toBigIntStats : toStats, native.fstat, getValidatedFd(fd));
  },

  statfs(req, path, options = { bigint: false }) {
    return call(req, (f) => getStatFsFromBinding(f, options?.bigint), native.statfs, getValidatedPath(path));
  },

  readlink(req, path, options) {
    const { encoding } = getOptions(options);
    return call(req, (p) => encodeResult(p, encoding), native.readlink, getValidatedPath(path, 'oldPath'));
  },

  realpath(req, path, options, useNative = false) {
    const { encoding } = getOptions(options);
    return call(req, (p) => encodeResult(p, encoding), native.realpath, getValidatedPath(path), useNative);
  },

  symlink(req, target, path, type) {
    validateOneOf(type, 'type', ['dir', 'file', 'junction', null, undefined]);
    return call(req, undefined, native.symlink, getValidatedPath(target, 'target'), getValidatedPath(path));
  },

  link(req, existingPath, newPath) {
    existingPath = getValidatedPath(existingPath, 'existingPath');
    return call(req, undefined, native.link, existingPath, getValidatedPath(newPath, 'newPath'));
  },

  rename(req, oldPath, newPath) {
    oldPath = getValidatedPath(oldPath, 'oldPath');
    return call(req, undefined, native.rename, oldPath, getValidatedPath(newPath, 'newPath'));
  },

  unlink(req, path) {
    return call(req, undefined, native.unlink, getValidatedPath(path));
  },

  rmdir(req, path, options) {
    path = getValidatedPath(path);
    if (options?.recursive) {
      process.emitWarning(
        'In future versions of Node.js, fs.rmdir(path, { recursive: true }) will be removed. ' +
        'Use fs.rm(path, { recursive: true }) instead', 'DeprecationWarning', 'DEP0147');
      const { maxRetries, retryDelay } = validateRmOptions(options, { recursive: true, force: false, maxRetries: 0, retryDelay: 100 });
      return call(req, undefined, native.rm, path, true, false, maxRetries, retryDelay);
    }
    return call(req, undefined, native.rmdir, path);
  },

  rm(req, path, options) {
    path = getValidatedPath(path);
    const { recursive, force, maxRetries, retryDelay } =
      validateRmOptions(options, { recursive: false, force: false, maxRetries: 0, retryDelay: 100 });
    // A directory without `recursive` is Node's ERR_FS_EISDIR SystemError.
    const toNodeError = (err) => {
      if (err?.code !== 'EISDIR' || err.syscall !== 'rm') return err;
      return new ERR_FS_EISDIR({ code: 'EISDIR', message: 'is a directory', path: err.path, syscall: 'rm', errno: err.errno });
    };
    if (req === kValidateOnly) return;
    if (req === undefined) {
      try {
        return native.rm(path, recursive, force, maxRetries, retryDelay);
      } catch (err) {
        throw toNodeError(err);
      }
    }
    native.rm(path, recursive, force, maxRetries, retryDelay, (err) => (err ? req(toNodeError(err)) : req(null)));
  },

  mkdir(req, path, options) {
    let mode = 0o777;
    let recursive = false;
    if (typeof options === 'number' || typeof options === 'string') {
      mode = parseFileMode(options, 'mode');
    } else if (options) {
      if (options.recursive !== undefined) {
        recursive = options.recursive;
        validateBoolean(recursive, 'options.recursive');
      }
      if (options.mode !== undefined) mode = parseFileMode(options.mode, 'options.mode');
    }
    path = getValidatedPath(path);
    return call(req, recursive ? undefined : () => undefined, native.mkdir, path, recursive, mode);
  },

  mkdtemp(req, prefix, options) {
    const { encoding } = getOptions(options);
    prefix = getValidatedPath(prefix, 'prefix');
    warnOnNonPortableTemplate(prefix);
    return call(req, (p) => encodeResult(p, encoding), native.mkdtemp, prefix);
  },

  readdir(req, path, options) {
    options = getOptions(options);
    path = getValidatedPath(path);
    if (options.recursive != null) validateBoolean(options.recursive, 'options.recursive');
    const withFileTypes = !!options.withFileTypes;
    const { encoding } = options;
    const parent = typeof path === 'string' ? path : path.toString();
    // Names other than utf8 come from the raw bytes, which need not be UTF-8.
    const raw = encoding != null && encoding !== 'utf8' && encoding !== 'utf-8';
    const map = ([names, types]) => {
      const out = new Array(names.length);
      for (let i = 0; i < names.length; i++) {
        const name = raw && encoding !== 'buffer' ? names[i].toString(encoding) : names[i];
        out[i] = withFileTypes ? new Dirent(name, types[i], parent) : name;
      }
      return out;
    };
    if (!options.recursive) return call(req, map, native.readdir, path, raw);
    if (req === kValidateOnly) return;
    return readdirRecursive(req, parent, withFileTypes, encoding);
  },

  chmod(req, path, mode) {
    path = getValidatedPath(path);
    return call(req, undefined, native.chmod, path, parseFileMode(mode, 'mode'));
  },

  fchmod(req, fd, mode) {
    return call(req, undefined, native.fchmod, getValidatedFd(fd), parseFileMode(mode, 'mode'));
  },

  chown(req, path, uid, gid, follow = true) {
    path = getValidatedPath(path);
    return call(req, undefined, native.chown, path, validateId(uid, 'uid'), validateId(gid, 'gid'), follow);
  },

  lchown(req, path, uid, gid) {
    return ops.chown(req, path, uid, gid, false);
  },

  fchown(req, fd, uid, gid) {
    return call(req, undefined, native.fchown, getValidatedFd(fd), validateId(uid, 'uid'), validateId(gid, 'gid'));
  },

  utimes(req, path, atime, mtime, follow = true) {
    path = getValidatedPath(path);
    return call(req, undefined, native.utimes, path, toUnixTimestamp(atime, 'atime'), toUnixTimestamp(mtime, 'mtime'), follow);
  },

  lutimes(req, path, atime, mtime) {
    return ops.utimes(req, path, atime, mtime, false);
  },

  futimes(req, fd, atime, mtime) {
    fd = getValidatedFd(fd);
    return call(req, undefined, native.futimes, fd, toUnixTimestamp(atime, 'atime'), toUnixTimestamp(mtime, 'mtime'));
  },

  truncate(req, path, len = 0) {
    if (typeof path === 'number') return ops.ftruncate(req, path, len);
    path = getValidatedPath(path);
    validateInteger(len, 'len');
    return call(req, undefined, native.truncate, path, Math.max(0, len));
  },

  ftruncate(req, fd, len = 0) {
    fd = getValidatedFd(fd);
    validateInteger(len, 'len');
    return call(req, undefined, native.ftruncate, fd, Math.max(0, len));
  },

  fsync(req, fd) {
    return call(req, undefined, native.fsync, getValidatedFd(fd), false);
  },

  fdatasync(req, fd) {
    return call(req, undefined, native.fsync, getValidatedFd(fd), true);
  },

  copyFile(req, src, dest, mode) {
    src = getValidatedPath(src, 'src');
    dest = getValidatedPath(dest, 'dest');
    return call(req, undefined, native.copyFile, src, dest, validMode(mode, 0));
  },

  readFile(req, path, options) {
    options = getOptions(options, { flag: 'r' });
    const target = typeof path === 'number' ? getValidatedFd(path) : getValidatedPath(path);
    const flags = stringToFlags(options.flag, 'options.flag');
    const { encoding, signal } = options;
    if (abortedBefore(req, signal)) return;
    const map = (buffer) => {
      checkAborted(signal);
      return encoding && encoding !== 'buffer' ? buffer.toString(encoding) : buffer;
    };
    // Files over 2 GiB come back as EFBIG carrying their size.
    const tooLarge = (err) => (err?.size !== undefined ? new ERR_FS_FILE_TOO_LARGE(err.size) : err);
    if (req === undefined) {
      try {
        return map(native.readFile(target, flags, undefined));
      } catch (err) {
        throw tooLarge(err);
      }
    }
    const done = req === kValidateOnly ? req : (err, value) => (err ? req(tooLarge(err)) : req(null, value));
    return call(done, map, native.readFile, target, flags);
  },

  writeFile(req, path, data, options, defaultFlag = 'w') {
    options = getOptions(options, { encoding: 'utf8', mode: 0o666, flag: defaultFlag });
    if (typeof data === 'string') {
      const encoding = options.encoding ?? 'utf8';
      if (encoding !== 'utf8' && encoding !== 'utf-8') data = Buffer.from(data, encoding);
    } else if (ArrayBuffer.isView(data)) {
      data = toUint8(data);
    } else {
      throw new ERR_INVALID_ARG_TYPE('data', ['string', 'Buffer', 'TypedArray', 'DataView'], data);
    }
    const target = typeof path === 'number' ? getValidatedFd(path) : getValidatedPath(path, 'path');
    const flags = stringToFlags(options.flag || defaultFlag, 'options.flag');
    const mode = parseFileMode(options.mode, 'mode', 0o666);
    if (abortedBefore(req, options.signal)) return;
    if (options.flush != null) validateBoolean(options.flush, 'options.flush');
    if (!options.flush) {
      if (typeof req === 'function' && data.length > kWholeWriteMax) return writeInChunks(req, target, data, flags, mode);
      return call(req, undefined, native.writeFile, target, data, flags, mode);
    }
    if (req === kValidateOnly) return;
    // `flush`: the data reaches the disk before the call completes, through
    // the public fsync so it can be observed (as Node's tests do).
    const fs = require('fs');
    const owned = typeof target !== 'number';
    if (req === undefined) {
      const fd = owned ? native.open(target, flags, mode, undefined) : target;
      try {
        native.writeFile(fd, data, flags, mode, undefined);
        fs.fsyncSync(fd);
      } finally {
        if (owned) native.close(fd, undefined);
      }
      return;
    }
    const write = (fd) => {
      const finish = (err) => (owned ? native.close(fd, (closeErr) => req(err ?? closeErr ?? null)) : req(err ?? null));
      native.writeFile(fd, data, flags, mode, (err) => (err ? finish(err) : fs.fsync(fd, finish)));
    };
    if (!owned) return write(target);
    native.open(target, flags, mode, (err, fd) => (err ? req(err) : write(fd)));
  },

  appendFile(req, path, data, options) {
    options = { ...getOptions(options, { encoding: 'utf8', mode: 0o666, flag: 'a' }) };
    // Appending to a descriptor always appends.
    if (!options.flag || typeof path === 'number') options.flag = 'a';
    return ops.writeFile(req, path, data, options, 'a');
  },
};

// Async writes copy their data off the JS heap; above this size the copy
// is made (and written) a chunk at a time, so a large writeFile never
// doubles its memory.
const kWholeWriteMax = 4 << 20;
const kWriteChunk = 512 << 10;

function writeInChunks(req, target, data, flags, mode) {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  const owned = typeof target !== 'number';
  let offset = 0;
  const finish = (fd, err) => (owned ? native.close(fd, (closeErr) => req(err ?? closeErr ?? null)) : req(err ?? null));
  const next = (fd) => {
    if (offset >= bytes.length) return finish(fd, null);
    const chunk = bytes.subarray(offset, offset + kWriteChunk);
    native.write(fd, chunk, -1, (err, written) => {
      if (err) return finish(fd, err);
      offset += written;
      next(fd);
    });
  };
  if (!owned) return next(target);
  native.open(target, flags, mode, (err, fd) => (err ? req(err) : next(fd)));
}

// Node's recursive readdir: breadth-first over a queue of directories,
// names relative to the root (or Dirents with their parent path).
function readdirRecursive(req, root, withFileTypes, encoding) {
  const path = require('path');
  const results = [];
  const queue = [root];
  const collect = (dir, [names, types]) => {
    for (let i = 0; i < names.length; i++) {
      const full = path.join(dir, names[i]);
      const isDir = types[i] === 2 || (types[i] === 3 && native.statKind(full) === 1);
      results.push(withFileTypes ? new Dirent(encodeResult(names[i], encoding), types[i], dir)
        : encodeResult(path.relative(root, full), encoding));
      if (isDir) queue.push(full);
    }
  };
  if (req === undefined) {
    for (let i = 0; i < queue.length; i++) collect(queue[i], native.readdir(queue[i], false, undefined));
    return results;
  }
  let next = 0;
  const step = (err, entries) => {
    if (err) return req(err);
    if (entries) collect(queue[next++], entries);
    if (next === queue.length) return req(null, results);
    native.readdir(queue[next], false, step);
  };
  step(null, undefined);
}

module.exports = { ops, call, checkAborted, kValidateOnly };
