// lode:module fs
// `node:fs` as far as the runtime core needs it: whole-file reads and writes
// and existence checks. The rest of Node's fs is listed and throws
// ERR_NOT_IMPLEMENTED naming itself until the file-system work lands.

const native = binding('fs');
const { validateFunction } = require('internal/validators');
const { notImplemented, codes: { ERR_INVALID_ARG_TYPE } } = require('internal/errors');

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

const fs = { readFileSync, readFile, writeFileSync, existsSync };

const later = [
  'access', 'accessSync', 'appendFile', 'appendFileSync', 'chmod', 'chmodSync', 'chown', 'chownSync',
  'close', 'closeSync', 'copyFile', 'copyFileSync', 'cp', 'cpSync', 'createReadStream', 'createWriteStream',
  'exists', 'fchmod', 'fchmodSync', 'fchown', 'fchownSync', 'fdatasync', 'fdatasyncSync', 'fstat', 'fstatSync',
  'fsync', 'fsyncSync', 'ftruncate', 'ftruncateSync', 'futimes', 'futimesSync', 'glob', 'globSync', 'lchown',
  'lchownSync', 'link', 'linkSync', 'lstat', 'lstatSync', 'lutimes', 'lutimesSync', 'mkdir', 'mkdirSync',
  'mkdtemp', 'mkdtempSync', 'open', 'openSync', 'openAsBlob', 'opendir', 'opendirSync', 'read', 'readSync',
  'readdir', 'readdirSync', 'readlink', 'readlinkSync', 'readv', 'readvSync', 'realpath', 'realpathSync',
  'rename', 'renameSync', 'rm', 'rmSync', 'rmdir', 'rmdirSync', 'stat', 'statSync', 'statfs', 'statfsSync',
  'symlink', 'symlinkSync', 'truncate', 'truncateSync', 'unlink', 'unlinkSync', 'unwatchFile', 'utimes',
  'utimesSync', 'watch', 'watchFile', 'write', 'writeSync', 'writeFile', 'writev', 'writevSync',
];
for (const name of later) {
  fs[name] = { [name]() { throw notImplemented(`fs.${name}`); } }[name];
}
Object.defineProperty(fs, 'promises', {
  enumerable: true,
  get() { throw notImplemented('fs.promises'); },
});

module.exports = fs;
