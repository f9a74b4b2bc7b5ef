// lode:module internal/fs/utils
// What every fs entry point shares: path, descriptor, flag and mode
// validation with Node's errors, option parsing, and the Stats and Dirent
// classes built from the native results.

const { Buffer } = require('buffer');
const {
  codes: {
    ERR_INVALID_ARG_TYPE, ERR_INVALID_ARG_VALUE, ERR_OUT_OF_RANGE, ERR_UNKNOWN_ENCODING,
  },
} = require('internal/errors');
const { validateInteger, validateInt32, validateUint32, validateFunction, validateObject } = require('internal/validators');

const constants = Object.freeze({
  __proto__: null,
  UV_FS_SYMLINK_DIR: 1, UV_FS_SYMLINK_JUNCTION: 2, O_RDONLY: 0, O_WRONLY: 1, O_RDWR: 2,
  UV_DIRENT_UNKNOWN: 0, UV_DIRENT_FILE: 1, UV_DIRENT_DIR: 2, UV_DIRENT_LINK: 3, UV_DIRENT_FIFO: 4,
  UV_DIRENT_SOCKET: 5, UV_DIRENT_CHAR: 6, UV_DIRENT_BLOCK: 7,
  S_IFMT: 0o170000, S_IFREG: 0o100000, S_IFDIR: 0o040000, S_IFCHR: 0o020000, S_IFBLK: 0o060000,
  S_IFIFO: 0o010000, S_IFLNK: 0o120000, S_IFSOCK: 0o140000,
  O_CREAT: 64, O_EXCL: 128, UV_FS_O_FILEMAP: 0, UV_FS_O_TEMPORARY: 0, UV_FS_O_SHORT_LIVED: 0,
  UV_FS_O_SEQUENTIAL: 0, UV_FS_O_RANDOM: 0, O_NOCTTY: 256, O_TRUNC: 512, O_APPEND: 1024,
  O_DIRECTORY: 65536, O_NOATIME: 262144, O_NOFOLLOW: 131072, O_SYNC: 1052672, O_DSYNC: 4096,
  O_DIRECT: 16384, O_NONBLOCK: 2048,
  S_IRWXU: 448, S_IRUSR: 256, S_IWUSR: 128, S_IXUSR: 64, S_IRWXG: 56, S_IRGRP: 32, S_IWGRP: 16,
  S_IXGRP: 8, S_IRWXO: 7, S_IROTH: 4, S_IWOTH: 2, S_IXOTH: 1,
  F_OK: 0, R_OK: 4, W_OK: 2, X_OK: 1,
  UV_FS_COPYFILE_EXCL: 1, COPYFILE_EXCL: 1, UV_FS_COPYFILE_FICLONE: 2, COPYFILE_FICLONE: 2,
  UV_FS_COPYFILE_FICLONE_FORCE: 4, COPYFILE_FICLONE_FORCE: 4,
});
const { O_RDONLY, O_WRONLY, O_RDWR, O_CREAT, O_EXCL, O_TRUNC, O_APPEND, O_SYNC, S_IFMT } = constants;

const FLAGS = {
  r: O_RDONLY, rs: O_RDONLY | O_SYNC, sr: O_RDONLY | O_SYNC,
  'r+': O_RDWR, 'rs+': O_RDWR | O_SYNC, 'sr+': O_RDWR | O_SYNC,
  w: O_TRUNC | O_CREAT | O_WRONLY, wx: O_TRUNC | O_CREAT | O_WRONLY | O_EXCL, xw: O_TRUNC | O_CREAT | O_WRONLY | O_EXCL,
  'w+': O_TRUNC | O_CREAT | O_RDWR, 'wx+': O_TRUNC | O_CREAT | O_RDWR | O_EXCL, 'xw+': O_TRUNC | O_CREAT | O_RDWR | O_EXCL,
  a: O_APPEND | O_CREAT | O_WRONLY, ax: O_APPEND | O_CREAT | O_WRONLY | O_EXCL, xa: O_APPEND | O_CREAT | O_WRONLY | O_EXCL,
  as: O_APPEND | O_CREAT | O_WRONLY | O_SYNC, sa: O_APPEND | O_CREAT | O_WRONLY | O_SYNC,
  'a+': O_APPEND | O_CREAT | O_RDWR, 'ax+': O_APPEND | O_CREAT | O_RDWR | O_EXCL, 'xa+': O_APPEND | O_CREAT | O_RDWR | O_EXCL,
  'as+': O_APPEND | O_CREAT | O_RDWR | O_SYNC, 'sa+': O_APPEND | O_CREAT | O_RDWR | O_SYNC,
};

// Node's stringToFlags: a flag string or number as open(2) flags.
function stringToFlags(flags, name = 'flags') {
  if (typeof flags === 'number') return flags;
  if (flags == null) return O_RDONLY;
  if (typeof flags === 'string' && Object.hasOwn(FLAGS, flags)) return FLAGS[flags];
  throw new ERR_INVALID_ARG_VALUE(name, flags);
}

// A mode as a number: an octal string or a uint32, `def` when absent.
function parseFileMode(value, name, def) {
  value ??= def;
  if (typeof value === 'string') {
    if (!/^[0-7]+$/.test(value)) {
      throw new ERR_INVALID_ARG_VALUE(name, value, 'must be a 32-bit unsigned integer or an octal string');
    }
    value = Number.parseInt(value, 8);
  }
  validateUint32(value, name);
  return value;
}

function isUint8(value) {
  return value instanceof Uint8Array;
}

function nullCheck(path, name) {
  const hasNull = typeof path === 'string' ? path.includes('\u0000') : path.indexOf(0) !== -1;
  if (hasNull) {
    throw new ERR_INVALID_ARG_VALUE(name, path, 'must be a string, Uint8Array, or URL without null bytes');
  }
}

function isURL(value) {
  return typeof value === 'object' && require('internal/url').isURL(value);
}

// A path argument (string, Buffer or file: URL) as a string or Buffer the
// native side accepts, with Node's type and null-byte errors.
function getValidatedPath(path, name = 'path') {
  if (isURL(path)) path = require('url').fileURLToPath(path instanceof URL ? path : new URL(path.href));
  if (typeof path !== 'string' && !isUint8(path)) {
    throw new ERR_INVALID_ARG_TYPE(name, ['string', 'Buffer', 'URL'], path);
  }
  nullCheck(path, name);
  return path;
}

function getValidatedFd(fd, name = 'fd') {
  if (Object.is(fd, -0)) return 0;
  validateInt32(fd, name, 0);
  return fd;
}

function assertEncoding(encoding) {
  if (encoding && encoding !== 'buffer' && !Buffer.isEncoding(encoding)) {
    throw new ERR_INVALID_ARG_VALUE('encoding', encoding, 'is invalid encoding');
  }
}

// Node's getOptions: a string is the encoding; null/undefined (or a
// callback in its place) the defaults; an object is used as it is, so
// callers read absent fields as their defaults.
function getOptions(options, defaults = {}) {
  if (options == null || typeof options === 'function') return defaults;
  if (typeof options === 'string') {
    assertEncoding(options);
    return { ...defaults, encoding: options };
  }
  if (typeof options !== 'object') throw new ERR_INVALID_ARG_TYPE('options', ['string', 'Object'], options);
  if (options.encoding !== 'buffer') assertEncoding(options.encoding);
  if (options.signal !== undefined) require('internal/validators').validateAbortSignal(options.signal, 'options.signal');
  return options;
}

// Turns native text results into what `encoding` asks for.
function encodeResult(text, encoding) {
  if (encoding == null || encoding === 'utf8' || encoding === 'utf-8') return text;
  const bytes = Buffer.from(text);
  return encoding === 'buffer' ? bytes : bytes.toString(encoding);
}

// Node's _toUnixTimestamp: seconds from a Date, a number or a numeric string.
function toUnixTimestamp(time, name = 'time') {
  if (typeof time === 'string' && +time == time) return +time; // eslint-disable-line eqeqeq
  if (typeof time === 'number' && Number.isFinite(time)) return time < 0 ? Date.now() / 1000 : time;
  if (time instanceof Date) return time.getTime() / 1000;
  throw new ERR_INVALID_ARG_TYPE(name, ['Date', 'Time in seconds'], time);
}

// Callback arguments: the last one when it is a function. Without one,
// `validate()` reports any bad argument first, then Node's error naming
// what stood where the callback belongs.
function takeCallback(args, position, validate) {
  const last = args[args.length - 1];
  if (typeof last === 'function') {
    args.pop();
    return last;
  }
  const cb = args.length > position ? args[position] : undefined;
  if (validate) validate(args.slice(0, position));
  validateFunction(cb, 'cb');
  return cb;
}

function validateOffsetLengthRead(offset, length, bufferLength) {
  if (offset < 0) throw new ERR_OUT_OF_RANGE('offset', '>= 0', offset);
  if (length < 0) throw new ERR_OUT_OF_RANGE('length', '>= 0', length);
  if (offset + length > bufferLength) throw new ERR_OUT_OF_RANGE('length', `<= ${bufferLength - offset}`, length);
}

function validateOffsetLengthWrite(offset, length, byteLength) {
  if (offset > byteLength) throw new ERR_OUT_OF_RANGE('offset', `<= ${byteLength}`, offset);
  if (length > byteLength - offset) throw new ERR_OUT_OF_RANGE('length', `<= ${byteLength - offset}`, length);
  if (length < 0) throw new ERR_OUT_OF_RANGE('length', '>= 0', length);
  validateInt32(length, 'length', 0);
}

// A read/write position: null or -1 for "current", else a safe integer
// (bigint allowed, as Node allows).
function validatePosition(position, name = 'position', length = 0) {
  if (position == null) return -1;
  if (typeof position === 'bigint') {
    const max = 2n ** 63n - 1n - BigInt(length);
    if (position < -1n || position > max) {
      throw new ERR_OUT_OF_RANGE(name, `>= -1 && <= ${max}`, position);
    }
    return Number(position);
  }
  validateInteger(position, name, -1);
  return position;
}

// Any ArrayBufferView as the Uint8Array over the same memory.
function toUint8(view) {
  if (view instanceof Uint8Array) return view;
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

// Spreads one read's bytes over `buffers` in order (readv's async forms
// read once and scatter).
function scatter(chunk, buffers) {
  let at = 0;
  for (const buffer of buffers) {
    if (at >= chunk.length) break;
    const view = toUint8(buffer);
    view.set(chunk.subarray(at, at + view.length));
    at += view.length;
  }
}

function validateBufferArray(buffers, name = 'buffers') {
  if (!Array.isArray(buffers)) throw new ERR_INVALID_ARG_TYPE(name, 'ArrayBufferView[]', buffers);
  for (const buffer of buffers) {
    if (!ArrayBuffer.isView(buffer)) throw new ERR_INVALID_ARG_TYPE(name, 'ArrayBufferView[]', buffers);
  }
  return buffers;
}

// --- Stats ---------------------------------------------------------------

const kNsPerMs = 1_000_000;

function dateFromMs(ms) {
  return new Date(Math.round(Number(ms)));
}

// Function constructors, as Node's: `Stats.call(this, ...)` subclasses work.
function StatsBase(dev, mode, nlink, uid, gid, rdev, blksize, ino, size, blocks) {
  this.dev = dev;
  this.mode = mode;
  this.nlink = nlink;
  this.uid = uid;
  this.gid = gid;
  this.rdev = rdev;
  this.blksize = blksize;
  this.ino = ino;
  this.size = size;
  this.blocks = blocks;
}

for (const [method, type] of [
  ['isDirectory', constants.S_IFDIR], ['isFile', constants.S_IFREG], ['isBlockDevice', constants.S_IFBLK],
  ['isCharacterDevice', constants.S_IFCHR], ['isSymbolicLink', constants.S_IFLNK], ['isFIFO', constants.S_IFIFO],
  ['isSocket', constants.S_IFSOCK],
]) {
  StatsBase.prototype[method] = function () { return this._checkModeProperty(type); };
}

// atime/mtime/ctime/birthtime: Dates made on first read from the *Ms
// fields, and replaceable by assignment, as Node's lazy getters are.
for (const name of ['atime', 'mtime', 'ctime', 'birthtime']) {
  const ms = `${name}Ms`;
  Object.defineProperty(StatsBase.prototype, name, {
    enumerable: true,
    configurable: true,
    get() {
      const value = dateFromMs(this[ms]);
      Object.defineProperty(this, name, { value, writable: true, enumerable: true, configurable: true });
      return value;
    },
    set(value) {
      Object.defineProperty(this, name, { value, writable: true, enumerable: true, configurable: true });
    },
  });
}

function Stats(dev, mode, nlink, uid, gid, rdev, blksize, ino, size, blocks, atimeMs, mtimeMs, ctimeMs, birthtimeMs) {
  StatsBase.call(this, dev, mode, nlink, uid, gid, rdev, blksize, ino, size, blocks);
  this.atimeMs = atimeMs;
  this.mtimeMs = mtimeMs;
  this.ctimeMs = ctimeMs;
  this.birthtimeMs = birthtimeMs;
}
Object.setPrototypeOf(Stats.prototype, StatsBase.prototype);
Object.setPrototypeOf(Stats, StatsBase);
Stats.prototype._checkModeProperty = function _checkModeProperty(property) {
  return (this.mode & S_IFMT) === property;
};

function BigIntStats(dev, mode, nlink, uid, gid, rdev, blksize, ino, size, blocks, atimeNs, mtimeNs, ctimeNs, birthtimeNs) {
  StatsBase.call(this, dev, mode, nlink, uid, gid, rdev, blksize, ino, size, blocks);
  this.atimeMs = atimeNs / 1_000_000n;
  this.mtimeMs = mtimeNs / 1_000_000n;
  this.ctimeMs = ctimeNs / 1_000_000n;
  this.birthtimeMs = birthtimeNs / 1_000_000n;
  this.atimeNs = atimeNs;
  this.mtimeNs = mtimeNs;
  this.ctimeNs = ctimeNs;
  this.birthtimeNs = birthtimeNs;
}
Object.setPrototypeOf(BigIntStats.prototype, StatsBase.prototype);
Object.setPrototypeOf(BigIntStats, StatsBase);
BigIntStats.prototype._checkModeProperty = function _checkModeProperty(property) {
  return (this.mode & BigInt(S_IFMT)) === BigInt(property);
};

// Where the native side leaves each stat result: ten integers, then
// (seconds, nanoseconds) for atime, mtime, ctime and birthtime. Read at
// once, before any other stat can run.
const statValues = new Float64Array(18);
binding('fs').setStatValues(statValues);

// A copy of the latest stat result, for keeping.
function copyStatValues() {
  return Array.from(statValues);
}

// Stats from a stat result (the shared statValues unless given fields).
function getStatsFromBinding(f = statValues, bigint = false) {
  f ??= statValues;
  if (!bigint) {
    return new Stats(f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9],
      f[10] * 1000 + f[11] / kNsPerMs, f[12] * 1000 + f[13] / kNsPerMs, f[14] * 1000 + f[15] / kNsPerMs,
      f[16] * 1000 + f[17] / kNsPerMs);
  }
  const ns = (i) => BigInt(f[i]) * 1_000_000_000n + BigInt(f[i + 1]);
  return new BigIntStats(BigInt(f[0]), BigInt(f[1]), BigInt(f[2]), BigInt(f[3]), BigInt(f[4]), BigInt(f[5]),
    BigInt(f[6]), BigInt(f[7]), BigInt(f[8]), BigInt(f[9]), ns(10), ns(12), ns(14), ns(16));
}

class StatFs {
  constructor(type, bsize, blocks, bfree, bavail, files, ffree) {
    this.type = type;
    this.bsize = bsize;
    this.blocks = blocks;
    this.bfree = bfree;
    this.bavail = bavail;
    this.files = files;
    this.ffree = ffree;
  }
}

function getStatFsFromBinding(f, bigint = false) {
  return new StatFs(...(bigint ? f.map(BigInt) : f));
}

// --- Dirent ----------------------------------------------------------------

const kType = Symbol('type');

class Dirent {
  constructor(name, type, path) {
    this.name = name;
    this.parentPath = path;
    this[kType] = type;
  }

  isDirectory() { return this[kType] === constants.UV_DIRENT_DIR; }
  isFile() { return this[kType] === constants.UV_DIRENT_FILE; }
  isBlockDevice() { return this[kType] === constants.UV_DIRENT_BLOCK; }
  isCharacterDevice() { return this[kType] === constants.UV_DIRENT_CHAR; }
  isSymbolicLink() { return this[kType] === constants.UV_DIRENT_LINK; }
  isFIFO() { return this[kType] === constants.UV_DIRENT_FIFO; }
  isSocket() { return this[kType] === constants.UV_DIRENT_SOCKET; }
}

function validateRmOptions(options, defaults) {
  options = options === undefined ? defaults : options;
  validateObject(options, 'options');
  const merged = { ...defaults, ...options };
  for (const key of ['recursive', 'force']) {
    if (typeof merged[key] !== 'boolean') throw new ERR_INVALID_ARG_TYPE(`options.${key}`, 'boolean', merged[key]);
  }
  validateInt32(merged.retryDelay, 'options.retryDelay', 0);
  validateUint32(merged.maxRetries, 'options.maxRetries');
  return merged;
}

function checkEncodingName(encoding) {
  if (encoding != null && encoding !== 'buffer' && !Buffer.isEncoding(encoding)) throw new ERR_UNKNOWN_ENCODING(encoding);
}

module.exports = {
  constants, stringToFlags, parseFileMode, getValidatedPath, getValidatedFd, getOptions, assertEncoding,
  encodeResult, toUnixTimestamp, takeCallback, validateOffsetLengthRead, validateOffsetLengthWrite,
  validatePosition, toUint8, scatter, validateBufferArray, validateRmOptions, checkEncodingName,
  Stats, BigIntStats, StatFs, getStatsFromBinding, copyStatValues, getStatFsFromBinding, Dirent, kType, isURL,
};
