// lode:module internal/fs/cp
// `fs.cp`/`cpSync`/`promises.cp`: copying files, symlinks and (with
// `recursive`) directory trees with Node's options and errors. The copy is
// written once, as a generator that yields the file-system operations it
// needs; one driver runs them synchronously, the other on the blocking pool.

const path = require('path');
const { ops } = require('internal/fs/ops');
const { getValidatedPath } = require('internal/fs/utils');
const {
  codes: {
    ERR_FS_CP_EINVAL, ERR_FS_EISDIR, ERR_FS_CP_DIR_TO_NON_DIR, ERR_FS_CP_NON_DIR_TO_DIR, ERR_FS_CP_EEXIST,
    ERR_FS_CP_FIFO_PIPE, ERR_FS_CP_SOCKET, ERR_FS_CP_UNKNOWN, ERR_INVALID_RETURN_VALUE,
  },
} = require('internal/errors');
const { validateBoolean, validateFunction, validateObject, validateInteger } = require('internal/validators');

const ERRNO = { EINVAL: -22, EISDIR: -21, ENOTDIR: -20, EEXIST: -17 };

function cpError(Kind, code, message, at) {
  return new Kind({ message, path: at, syscall: 'cp', errno: ERRNO[code], code });
}

function defaultOptions(options) {
  const opts = {
    dereference: false, errorOnExist: false, filter: undefined, force: true, mode: 0,
    preserveTimestamps: false, recursive: false, verbatimSymlinks: false,
  };
  if (options === undefined) return opts;
  validateObject(options, 'options');
  Object.assign(opts, options);
  for (const key of ['dereference', 'errorOnExist', 'force', 'preserveTimestamps', 'recursive', 'verbatimSymlinks']) {
    validateBoolean(opts[key], `options.${key}`);
  }
  if (opts.filter !== undefined) validateFunction(opts.filter, 'options.filter');
  validateInteger(opts.mode, 'options.mode', 0, 7);
  if (opts.dereference && opts.verbatimSymlinks) {
    throw cpError(ERR_FS_CP_EINVAL, 'EINVAL', 'dereference and verbatimSymlinks cannot both be true', '');
  }
  return opts;
}

// Yields `[opName, ...args]` for each operation; `['await', promise]` for
// a filter's promise.
function* stat(name, target) {
  try {
    return yield [name, target];
  } catch (err) {
    if (err?.code === 'ENOENT') return null;
    throw err;
  }
}

function isSubdirectory(parent, child) {
  const rel = path.relative(parent, child);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

function* copyEntry(src, dest, opts, sync) {
  if (opts.filter) {
    let include = opts.filter(src, dest);
    if (include !== null && typeof include?.then === 'function') {
      if (sync) throw new ERR_INVALID_RETURN_VALUE('boolean', 'filter', include);
      include = yield ['await', include];
    }
    if (!include) return;
  }
  const srcStat = yield [opts.dereference ? 'stat' : 'lstat', src];
  const destStat = yield* stat(opts.dereference ? 'stat' : 'lstat', dest);
  if (destStat) {
    if (srcStat.ino === destStat.ino && srcStat.dev === destStat.dev) {
      throw cpError(ERR_FS_CP_EINVAL, 'EINVAL', 'src and dest cannot be the same', dest);
    }
    if (srcStat.isDirectory() && !destStat.isDirectory()) {
      throw cpError(ERR_FS_CP_DIR_TO_NON_DIR, 'EISDIR', `cannot overwrite non-directory ${dest} with directory ${src}`, dest);
    }
    if (!srcStat.isDirectory() && destStat.isDirectory()) {
      throw cpError(ERR_FS_CP_NON_DIR_TO_DIR, 'ENOTDIR', `cannot overwrite directory ${src} with non-directory ${dest}`, dest);
    }
  }
  if (srcStat.isDirectory() && isSubdirectory(path.resolve(src), path.resolve(dest))) {
    throw cpError(ERR_FS_CP_EINVAL, 'EINVAL', `cannot copy ${src} to a subdirectory of self ${dest}`, dest);
  }
  if (srcStat.isDirectory()) {
    if (!opts.recursive) throw cpError(ERR_FS_EISDIR, 'EISDIR', `${src} is a directory (not copied)`, src);
    if (!destStat) yield ['mkdir', dest, { mode: srcStat.mode & 0o7777 }];
    for (const name of yield ['readdir', src]) {
      yield* copyEntry(path.join(src, name), path.join(dest, name), opts, sync);
    }
    if (!destStat) yield ['chmod', dest, srcStat.mode & 0o7777];
    return;
  }
  if (srcStat.isFile() || srcStat.isCharacterDevice() || srcStat.isBlockDevice()) {
    if (destStat) {
      if (!opts.force) {
        if (opts.errorOnExist) throw cpError(ERR_FS_CP_EEXIST, 'EEXIST', `${dest} already exists`, dest);
        return;
      }
      yield ['unlink', dest];
    }
    yield ['copyFile', src, dest, opts.mode];
    if (opts.preserveTimestamps) yield ['utimes', dest, srcStat.atime, srcStat.mtime];
    return;
  }
  if (srcStat.isSymbolicLink()) {
    let target = yield ['readlink', src];
    if (!opts.verbatimSymlinks && !path.isAbsolute(target)) target = path.resolve(path.dirname(src), target);
    if (destStat) yield ['unlink', dest];
    yield ['symlink', target, dest];
    return;
  }
  if (srcStat.isFIFO()) throw cpError(ERR_FS_CP_FIFO_PIPE, 'EINVAL', `cannot copy a FIFO pipe: ${dest}`, dest);
  if (srcStat.isSocket()) throw cpError(ERR_FS_CP_SOCKET, 'EINVAL', `cannot copy a socket file: ${dest}`, dest);
  throw cpError(ERR_FS_CP_UNKNOWN, 'EINVAL', `cannot copy an unknown file type: ${dest}`, dest);
}

function* copy(src, dest, opts, sync) {
  const parent = path.dirname(dest);
  if (!(yield* stat('stat', parent))) yield ['mkdir', parent, { recursive: true }];
  yield* copyEntry(src, dest, opts, sync);
}

function prepare(src, dest, options) {
  const opts = defaultOptions(options);
  return [String(getValidatedPath(src, 'src')), String(getValidatedPath(dest, 'dest')), opts];
}

function cpSync(src, dest, options) {
  const [from, to, opts] = prepare(src, dest, options);
  const steps = copy(from, to, opts, true);
  let step = steps.next();
  while (!step.done) {
    const [name, ...args] = step.value;
    let result;
    try {
      result = ops[name](undefined, ...args);
    } catch (err) {
      step = steps.throw(err);
      continue;
    }
    step = steps.next(result);
  }
}

function cp(src, dest, options, callback) {
  if (typeof options === 'function') {
    callback = options;
    options = undefined;
  }
  validateFunction(callback, 'cb');
  const [from, to, opts] = prepare(src, dest, options);
  const steps = copy(from, to, opts, false);
  const advance = (method, value) => {
    let step;
    try {
      step = steps[method](value);
    } catch (err) {
      return callback(err);
    }
    if (step.done) return callback(null);
    const [name, ...args] = step.value;
    const resume = (err, result) => (err ? advance('throw', err) : advance('next', result));
    if (name === 'await') {
      Promise.resolve(args[0]).then((v) => resume(null, v), resume);
      return;
    }
    try {
      ops[name](resume, ...args);
    } catch (err) {
      advance('throw', err);
    }
  };
  advance('next');
}

module.exports = { api: { cp, cpSync } };
