// lode:module path
// POSIX path operations (Node's `path` on Linux). `path.win32` arrives with
// the core library work; until then it throws ERR_NOT_IMPLEMENTED.

const { validateString, validateObject } = require('internal/validators');
const { notImplemented } = require('internal/errors');

// Resolves `.` and `..` segments; `allowAboveRoot` keeps leading `..`.
function normalizeString(path, allowAboveRoot) {
  const out = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (allowAboveRoot) out.push('..');
    } else {
      out.push(segment);
    }
  }
  return out.join('/');
}

const posix = {
  sep: '/',
  delimiter: ':',

  resolve(...args) {
    let resolvedPath = '';
    let resolvedAbsolute = false;
    for (let i = args.length - 1; i >= -1 && !resolvedAbsolute; i--) {
      const path = i >= 0 ? args[i] : process.cwd();
      validateString(path, `paths[${i}]`);
      if (path.length === 0) continue;
      resolvedPath = `${path}/${resolvedPath}`;
      resolvedAbsolute = path[0] === '/';
    }
    resolvedPath = normalizeString(resolvedPath, !resolvedAbsolute);
    if (resolvedAbsolute) return `/${resolvedPath}`;
    return resolvedPath.length > 0 ? resolvedPath : '.';
  },

  normalize(path) {
    validateString(path, 'path');
    if (path.length === 0) return '.';
    const isAbsolute = path[0] === '/';
    const trailingSeparator = path[path.length - 1] === '/';
    let result = normalizeString(path, !isAbsolute);
    if (result.length === 0) {
      if (isAbsolute) return '/';
      return trailingSeparator ? './' : '.';
    }
    if (trailingSeparator) result += '/';
    return isAbsolute ? `/${result}` : result;
  },

  isAbsolute(path) {
    validateString(path, 'path');
    return path.length > 0 && path[0] === '/';
  },

  join(...args) {
    if (args.length === 0) return '.';
    const parts = [];
    for (let i = 0; i < args.length; i++) {
      validateString(args[i], 'path');
      if (args[i].length > 0) parts.push(args[i]);
    }
    if (parts.length === 0) return '.';
    return posix.normalize(parts.join('/'));
  },

  relative(from, to) {
    validateString(from, 'from');
    validateString(to, 'to');
    if (from === to) return '';
    from = posix.resolve(from);
    to = posix.resolve(to);
    if (from === to) return '';
    const fromParts = from === '/' ? [] : from.slice(1).split('/');
    const toParts = to === '/' ? [] : to.slice(1).split('/');
    let common = 0;
    while (common < fromParts.length && common < toParts.length && fromParts[common] === toParts[common]) common++;
    const up = fromParts.slice(common).map(() => '..');
    return [...up, ...toParts.slice(common)].join('/');
  },

  toNamespacedPath(path) {
    return path;
  },

  dirname(path) {
    validateString(path, 'path');
    if (path.length === 0) return '.';
    const hasRoot = path[0] === '/';
    let end = -1;
    let matchedSlash = true;
    for (let i = path.length - 1; i >= 1; --i) {
      if (path[i] === '/') {
        if (!matchedSlash) {
          end = i;
          break;
        }
      } else {
        matchedSlash = false;
      }
    }
    if (end === -1) return hasRoot ? '/' : '.';
    if (hasRoot && end === 1) return '//';
    return path.slice(0, end);
  },

  basename(path, suffix) {
    if (suffix !== undefined) validateString(suffix, 'suffix');
    validateString(path, 'path');
    let end = path.length;
    while (end > 0 && path[end - 1] === '/') end--;
    if (end === 0) return '';
    const start = path.lastIndexOf('/', end - 1) + 1;
    let base = path.slice(start, end);
    if (suffix !== undefined && suffix.length > 0 && suffix.length <= base.length && base !== suffix &&
        base.endsWith(suffix)) {
      base = base.slice(0, base.length - suffix.length);
    } else if (suffix !== undefined && base === suffix && suffix.length > 0) {
      return base;
    }
    return base;
  },

  extname(path) {
    validateString(path, 'path');
    const base = posix.basename(path);
    const dot = base.lastIndexOf('.');
    if (dot <= 0) {
      return '';
    }
    if (dot === base.length - 1 && base.slice(0, -1).replace(/\./g, '') === '') return '';
    return base.slice(dot);
  },

  format(pathObject) {
    validateObject(pathObject, 'pathObject');
    const dir = pathObject.dir || pathObject.root;
    const ext = pathObject.ext ? (pathObject.ext[0] === '.' ? pathObject.ext : `.${pathObject.ext}`) : '';
    const base = pathObject.base || `${pathObject.name || ''}${ext}`;
    if (!dir) return base;
    return dir === pathObject.root ? `${dir}${base}` : `${dir}/${base}`;
  },

  parse(path) {
    validateString(path, 'path');
    const ret = { root: '', dir: '', base: '', ext: '', name: '' };
    if (path.length === 0) return ret;
    const isAbsolute = path[0] === '/';
    if (isAbsolute) ret.root = '/';
    let end = path.length;
    while (end > 1 && path[end - 1] === '/') end--;
    const trimmed = path.slice(0, end);
    if (trimmed === '/') return { ...ret, dir: '/' };
    const slash = trimmed.lastIndexOf('/');
    ret.base = trimmed.slice(slash + 1);
    ret.ext = posix.extname(ret.base);
    ret.name = ret.ext ? ret.base.slice(0, -ret.ext.length) : ret.base;
    if (slash > 0) ret.dir = trimmed.slice(0, slash);
    else if (isAbsolute) ret.dir = '/';
    return ret;
  },

  matchesGlob() {
    throw notImplemented('path.matchesGlob');
  },
};

posix.posix = posix;
Object.defineProperty(posix, 'win32', {
  enumerable: true,
  get() {
    throw notImplemented('path.win32');
  },
});

module.exports = posix;
