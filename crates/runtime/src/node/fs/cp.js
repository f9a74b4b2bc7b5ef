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
    ERR_FS_CP_SYMLINK_TO_SUBDIRECTORY,
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

// Node's isSrcSubdir: every component of `parent` starts `child` (so a
// path counts as its own subdirectory).
function isSubdirectory(parent, child) {
  const parentParts = path.resolve(parent).split(path.sep).filter(Boolean);
  const childParts = path.resolve(child).split(path.sep).filter(Boolean);
  return parentParts.every((part, i) => childParts[i] === part);
}

function areIdentical(a, b) {
  return a.ino === b.ino && a.dev === b.dev;
}

// Node's checkPaths: the stats of both ends, and the errors that hold
// before anything is copied.
function* checkPaths(src, dest, opts) {
  const statName = opts.dereference ? 'stat' : 'lstat';
  const srcStat = yield [statName, src];
  const destStat = yield* stat(statName, dest);
  if (destStat) {
    if (areIdentical(srcStat, destStat)) {
      throw cpError(ERR_FS_CP_EINVAL, 'EINVAL', 'src and dest cannot be the same', dest);
    }
    if (srcStat.isDirectory() && !destStat.isDirectory()) {
      throw cpError(ERR_FS_CP_DIR_TO_NON_DIR, 'EISDIR', `cannot overwrite non-directory ${dest} with directory ${src}`, dest);
    }
    if (!srcStat.isDirectory() && destStat.isDirectory()) {
      throw cpError(ERR_FS_CP_NON_DIR_TO_DIR, 'ENOTDIR', `cannot overwrite directory ${src} with non-directory ${dest}`, dest);
    }
    if (srcStat.isDirectory() && !opts.force && opts.errorOnExist) {
      throw cpError(ERR_FS_CP_EEXIST, 'EEXIST', `${dest} already exists`, dest);
    }
  }
  if (srcStat.isDirectory() && isSubdirectory(path.resolve(src), path.resolve(dest))) {
    throw cpError(ERR_FS_CP_EINVAL, 'EINVAL', `cannot copy ${src} to a subdirectory of self ${dest}`, dest);
  }
  return { srcStat, destStat };
}

// Node's checkParentPaths: no parent of dest (followed through symlinks)
// may be src itself.
function* checkParentPaths(src, srcStat, dest) {
  const srcParent = path.resolve(path.dirname(src));
  const destParent = path.resolve(path.dirname(dest));
  if (destParent === srcParent || destParent === path.parse(destParent).root) return;
  const parentStat = yield* stat('stat', destParent);
  if (!parentStat) return;
  if (areIdentical(srcStat, parentStat)) {
    throw cpError(ERR_FS_CP_EINVAL, 'EINVAL', `cannot copy ${src} to a subdirectory of self ${dest}`, dest);
  }
  yield* checkParentPaths(src, srcStat, destParent);
}

// The filter's verdict, awaited when it returns a promise (async only).
function* included(src, dest, opts, sync) {
  if (!opts.filter) return true;
  let include = opts.filter(src, dest);
  if (include !== null && typeof include?.then === 'function') {
    if (sync) throw new ERR_INVALID_RETURN_VALUE('boolean', 'filter', include);
    include = yield ['await', include];
  }
  return !!include;
}

function* copyEntry(src, dest, opts, sync) {
  if (!(yield* included(src, dest, opts, sync))) return;
  const { srcStat, destStat } = yield* checkPaths(src, dest, opts);
  yield* copyChecked(srcStat, destStat, src, dest, opts, sync);
}

function* copyChecked(srcStat, destStat, src, dest, opts, sync) {
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
    yield* copyLink(destStat, src, dest, opts);
    return;
  }
  if (srcStat.isFIFO()) throw cpError(ERR_FS_CP_FIFO_PIPE, 'EINVAL', `cannot copy a FIFO pipe: ${dest}`, dest);
  if (srcStat.isSocket()) throw cpError(ERR_FS_CP_SOCKET, 'EINVAL', `cannot copy a socket file: ${dest}`, dest);
  throw cpError(ERR_FS_CP_UNKNOWN, 'EINVAL', `cannot copy an unknown file type: ${dest}`, dest);
}

// Node's onLink: a symlink is recreated pointing where the source pointed;
// over an existing symlink only if neither end ends up inside the other.
function* copyLink(destStat, src, dest, opts) {
  let resolvedSrc = yield ['readlink', src];
  if (!opts.verbatimSymlinks && !path.isAbsolute(resolvedSrc)) resolvedSrc = path.resolve(path.dirname(src), resolvedSrc);
  if (!destStat) {
    yield ['symlink', resolvedSrc, dest];
    return;
  }
  let resolvedDest;
  try {
    resolvedDest = yield ['readlink', dest];
  } catch (err) {
    // dest is a file or directory: symlink fails with EEXIST, as in Node.
    if (err?.code !== 'EINVAL' && err?.code !== 'UNKNOWN') throw err;
    yield ['symlink', resolvedSrc, dest];
    return;
  }
  if (!path.isAbsolute(resolvedDest)) resolvedDest = path.resolve(path.dirname(dest), resolvedDest);
  // Only links to directories can nest one end inside the other.
  const srcIsDir = (yield* stat('stat', src))?.isDirectory();
  if (srcIsDir && isSubdirectory(resolvedSrc, resolvedDest)) {
    throw cpError(ERR_FS_CP_EINVAL, 'EINVAL', `cannot copy ${resolvedSrc} to a subdirectory of self ${resolvedDest}`, dest);
  }
  if (srcIsDir && isSubdirectory(resolvedDest, resolvedSrc)) {
    throw cpError(ERR_FS_CP_SYMLINK_TO_SUBDIRECTORY, 'EINVAL', `cannot overwrite ${resolvedDest} with ${resolvedSrc}`, dest);
  }
  yield ['unlink', dest];
  yield ['symlink', resolvedSrc, dest];
}

function* copy(src, dest, opts, sync) {
  if (!(yield* included(src, dest, opts, sync))) return;
  const { srcStat, destStat } = yield* checkPaths(src, dest, opts);
  yield* checkParentPaths(src, srcStat, dest);
  const parent = path.dirname(dest);
  if (!(yield* stat('stat', parent))) yield ['mkdir', parent, { recursive: true }];
  yield* copyChecked(srcStat, destStat, src, dest, opts, sync);
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
