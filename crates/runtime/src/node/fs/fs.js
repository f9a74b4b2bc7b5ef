// lode:module fs
// `node:fs` as far as the runtime core needs it: whole-file reads and writes,
// and the synchronous directory and metadata calls. The rest of Node's fs is
// listed and throws ERR_NOT_IMPLEMENTED naming itself until the file-system
// work lands.

const native = binding('fs');
const { validateFunction } = require('internal/validators');
const { notImplemented, notImplementedFunction, codes: { ERR_INVALID_ARG_TYPE } } = require('internal/errors');

function pathArg(path, name = 'path') {
  if (typeof path === 'string') return path;
  if (path instanceof URL || (path !== null && typeof path === 'object' && path.href && path.protocol === 'file:')) {
    return decodeURIComponent(new URL(path.href).pathname);
  }
  throw new ERR_INVALID_ARG_TYPE(name, ['string', 'Buffer', 'URL'], path);
}

function encodingOf(options) {
  if (typeof options === 'string') return options;
  return options?.encoding ?? null;
}

function checkEncoding(encoding) {
  if (encoding !== null && encoding !== 'utf8' && encoding !== 'utf-8') {
    throw notImplemented(`fs encoding '${encoding}'`);
  }
  return encoding !== null;
}

function readFileSync(path, options) {
  const utf8 = checkEncoding(encodingOf(options));
  return native.readFileSync(pathArg(path), utf8);
}

function readFile(path, options, callback) {
  if (typeof options === 'function') {
    callback = options;
    options = undefined;
  }
  validateFunction(callback, 'cb');
  const utf8 = checkEncoding(encodingOf(options));
  native.readFile(pathArg(path), utf8, callback);
}

function writeFileSync(path, data, options) {
  checkEncoding(encodingOf(options) ?? 'utf8');
  if (typeof data !== 'string' && !(data instanceof Uint8Array)) {
    throw new ERR_INVALID_ARG_TYPE('data', ['string', 'Buffer', 'TypedArray', 'DataView'], data);
  }
  native.writeFileSync(pathArg(path, 'file'), data);
}

function existsSync(path) {
  try {
    return native.statKind(pathArg(path)) !== -1;
  } catch {
    return false;
  }
}

const constants = Object.freeze({
  F_OK: 0, R_OK: 4, W_OK: 2, X_OK: 1,
  O_RDONLY: 0, O_WRONLY: 1, O_RDWR: 2, O_CREAT: 64, O_EXCL: 128, O_TRUNC: 512, O_APPEND: 1024,
  S_IFMT: 0o170000, S_IFREG: 0o100000, S_IFDIR: 0o040000, S_IFCHR: 0o020000, S_IFBLK: 0o060000,
  S_IFIFO: 0o010000, S_IFLNK: 0o120000, S_IFSOCK: 0o140000,
  COPYFILE_EXCL: 1, COPYFILE_FICLONE: 2, COPYFILE_FICLONE_FORCE: 4,
});

function modeIs(mode, type) {
  return (mode & constants.S_IFMT) === type;
}

class Stats {
  constructor(fields) {
    [this.dev, this.mode, this.nlink, this.uid, this.gid, this.rdev, this.blksize, this.ino, this.size,
      this.blocks, this.atimeMs, this.mtimeMs, this.ctimeMs, this.birthtimeMs] = fields;
    this.atime = new Date(this.atimeMs);
    this.mtime = new Date(this.mtimeMs);
    this.ctime = new Date(this.ctimeMs);
    this.birthtime = new Date(this.birthtimeMs);
  }

  isFile() { return modeIs(this.mode, constants.S_IFREG); }
  isDirectory() { return modeIs(this.mode, constants.S_IFDIR); }
  isSymbolicLink() { return modeIs(this.mode, constants.S_IFLNK); }
  isBlockDevice() { return modeIs(this.mode, constants.S_IFBLK); }
  isCharacterDevice() { return modeIs(this.mode, constants.S_IFCHR); }
  isFIFO() { return modeIs(this.mode, constants.S_IFIFO); }
  isSocket() { return modeIs(this.mode, constants.S_IFSOCK); }
}

function statWith(follow, path, options) {
  if (options?.bigint) throw notImplemented('fs.statSync with { bigint: true }');
  const throwIfNoEntry = options?.throwIfNoEntry !== false;
  const fields = native.stat(pathArg(path), follow, throwIfNoEntry);
  return fields === undefined ? undefined : new Stats(fields);
}

function statSync(path, options) {
  return statWith(true, path, options);
}

function lstatSync(path, options) {
  return statWith(false, path, options);
}

function realpathSync(path, options) {
  checkEncoding(encodingOf(options) ?? 'utf8');
  return native.realpath(pathArg(path));
}
realpathSync.native = realpathSync;

function parseMode(mode, name, def) {
  if (mode === undefined || mode === null) return def;
  if (typeof mode === 'string') {
    if (!/^[0-7]+$/.test(mode)) {
      const { codes: { ERR_INVALID_ARG_VALUE } } = require('internal/errors');
      throw new ERR_INVALID_ARG_VALUE(name, mode, 'must be a 32-bit unsigned integer or an octal string');
    }
    return Number.parseInt(mode, 8);
  }
  require('internal/validators').validateUint32(mode, name);
  return mode;
}

function mkdirSync(path, options) {
  let mode = 0o777;
  let recursive = false;
  if (typeof options === 'number' || typeof options === 'string') {
    mode = parseMode(options, 'mode', 0o777);
  } else if (options) {
    recursive = !!options.recursive;
    mode = parseMode(options.mode, 'mode', 0o777);
  }
  const first = native.mkdir(pathArg(path), recursive, mode);
  return recursive ? (first ?? undefined) : undefined;
}

function rmSync(path, options) {
  native.rm(pathArg(path), !!options?.recursive, !!options?.force);
}

function rmdirSync(path, options) {
  if (options?.recursive) {
    native.rm(pathArg(path), true, false);
    return;
  }
  native.rmdir(pathArg(path));
}

function unlinkSync(path) {
  native.unlink(pathArg(path));
}

class Dirent {
  constructor(name, parentPath, mode) {
    this.name = name;
    this.parentPath = parentPath;
    this.path = parentPath;
    this._mode = mode;
  }
}
for (const method of ['isFile', 'isDirectory', 'isSymbolicLink', 'isBlockDevice', 'isCharacterDevice', 'isFIFO', 'isSocket']) {
  Dirent.prototype[method] = function () { return Stats.prototype[method].call({ mode: this._mode }); };
}

function readdirSync(path, options) {
  const dir = pathArg(path);
  checkEncoding(encodingOf(options) ?? 'utf8');
  if (options?.recursive) throw notImplemented('fs.readdirSync with { recursive: true }');
  const names = native.readdir(dir);
  if (!options?.withFileTypes) return names;
  return names.map((name) => new Dirent(name, dir, native.stat(`${dir}/${name}`, false, true)[1]));
}

function accessSync(path, mode = constants.F_OK) {
  native.access(pathArg(path), mode);
}

function appendFileSync(path, data, options) {
  checkEncoding(encodingOf(options) ?? 'utf8');
  if (typeof data !== 'string' && !(data instanceof Uint8Array)) {
    throw new ERR_INVALID_ARG_TYPE('data', ['string', 'Buffer', 'TypedArray', 'DataView'], data);
  }
  native.appendFileSync(pathArg(path), data, parseMode(options?.mode, 'mode', 0o666));
}

function mkdtempSync(prefix, options) {
  checkEncoding(encodingOf(options) ?? 'utf8');
  require('internal/validators').validateString(prefix, 'prefix');
  const chars = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  for (let attempt = 0; ; attempt++) {
    let suffix = '';
    for (let i = 0; i < 6; i++) suffix += chars[Math.floor(Math.random() * chars.length)];
    try {
      native.mkdir(`${prefix}${suffix}`, false, 0o700);
      return `${prefix}${suffix}`;
    } catch (err) {
      if (err.code !== 'EEXIST' || attempt > 100) throw err;
    }
  }
}

const fs = {
  readFileSync, readFile, writeFileSync, existsSync, statSync, lstatSync, realpathSync, mkdirSync,
  rmSync, rmdirSync, unlinkSync, readdirSync, accessSync, appendFileSync, mkdtempSync, constants, Stats, Dirent,
  F_OK: 0, R_OK: 4, W_OK: 2, X_OK: 1,
};


const later = [
  'access', 'appendFile', 'chmod', 'chmodSync', 'chown', 'chownSync',
  'close', 'closeSync', 'copyFile', 'copyFileSync', 'cp', 'cpSync', 'createReadStream', 'createWriteStream',
  'exists', 'fchmod', 'fchmodSync', 'fchown', 'fchownSync', 'fdatasync', 'fdatasyncSync', 'fstat', 'fstatSync',
  'fsync', 'fsyncSync', 'ftruncate', 'ftruncateSync', 'futimes', 'futimesSync', 'glob', 'globSync', 'lchown',
  'lchownSync', 'link', 'linkSync', 'lstat', 'lutimes', 'lutimesSync', 'mkdir',
  'mkdtemp', 'open', 'openSync', 'openAsBlob', 'opendir', 'opendirSync', 'read', 'readSync',
  'readdir', 'readlink', 'readlinkSync', 'readv', 'readvSync', 'realpath',
  'rename', 'renameSync', 'rm', 'rmdir', 'stat', 'statfs', 'statfsSync',
  'symlink', 'symlinkSync', 'truncate', 'truncateSync', 'unlink', 'unwatchFile', 'utimes',
  'utimesSync', 'watch', 'watchFile', 'write', 'writeSync', 'writeFile', 'writev', 'writevSync',
];
for (const name of later) fs[name] = notImplementedFunction(`fs.${name}`);
Object.defineProperty(fs, 'promises', {
  enumerable: true,
  get() { throw notImplemented('fs.promises'); },
});

module.exports = fs;
