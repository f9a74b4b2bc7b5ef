// lode:module path
// `node:path`: POSIX paths (the default on Linux) and Windows paths
// (`path.win32`: drive letters, UNC roots, both separators), with Node's
// exact results for edge cases.

const { validateString, validateObject } = require('internal/validators');

const isPosixSep = (c) => c === '/';
const isWinSep = (c) => c === '/' || c === '\\';
const isDriveLetter = (c) => (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');

// Resolves `.` and `..` segments; `allowAboveRoot` keeps leading `..`.
function normalizeString(path, allowAboveRoot, separator, isSep) {
  const out = [];
  let segment = '';
  for (let i = 0; i <= path.length; i++) {
    if (i < path.length && !isSep(path[i])) {
      segment += path[i];
      continue;
    }
    if (segment === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (allowAboveRoot) out.push('..');
    } else if (segment !== '' && segment !== '.') {
      out.push(segment);
    }
    segment = '';
  }
  return out.join(separator);
}

// The extension of the last segment of `path[start..]`, by Node's rules:
// a leading dot is not an extension, '..' has none, '...' has '.'.
function extnameFrom(path, start, isSep) {
  let startDot = -1;
  let startPart = start;
  let end = -1;
  let matchedSlash = true;
  // 0: nothing before the dot yet; 1: only dots; -1: a non-dot character.
  let preDotState = 0;
  for (let i = path.length - 1; i >= start; --i) {
    const c = path[i];
    if (isSep(c)) {
      if (!matchedSlash) {
        startPart = i + 1;
        break;
      }
      continue;
    }
    if (end === -1) {
      matchedSlash = false;
      end = i + 1;
    }
    if (c === '.') {
      if (startDot === -1) startDot = i;
      else if (preDotState !== 1) preDotState = 1;
    } else if (startDot !== -1) {
      preDotState = -1;
    }
  }
  if (startDot === -1 || end === -1 || preDotState === 0 ||
      (preDotState === 1 && startDot === end - 1 && startDot === startPart + 1)) {
    return '';
  }
  return path.slice(startDot, end);
}

function basenameFrom(path, start, suffix, isSep) {
  if (suffix !== undefined) validateString(suffix, 'suffix');
  let end = path.length;
  while (end > start && isSep(path[end - 1])) end--;
  if (end === start) return '';
  let begin = end;
  while (begin > start && !isSep(path[begin - 1])) begin--;
  const base = path.slice(begin, end);
  if (suffix !== undefined && suffix.length > 0 && suffix !== base && base.endsWith(suffix)) {
    return base.slice(0, base.length - suffix.length);
  }
  return base;
}

function formatWith(sep, pathObject) {
  validateObject(pathObject, 'pathObject');
  const dir = pathObject.dir || pathObject.root;
  const ext = pathObject.ext ? (pathObject.ext[0] === '.' ? pathObject.ext : `.${pathObject.ext}`) : '';
  const base = pathObject.base || `${pathObject.name || ''}${ext}`;
  if (!dir) return base;
  return dir === pathObject.root ? `${dir}${base}` : `${dir}${sep}${base}`;
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
    resolvedPath = normalizeString(resolvedPath, !resolvedAbsolute, '/', isPosixSep);
    if (resolvedAbsolute) return `/${resolvedPath}`;
    return resolvedPath.length > 0 ? resolvedPath : '.';
  },

  normalize(path) {
    validateString(path, 'path');
    if (path.length === 0) return '.';
    const isAbsolute = path[0] === '/';
    const trailingSeparator = path[path.length - 1] === '/';
    let result = normalizeString(path, !isAbsolute, '/', isPosixSep);
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
    validateString(path, 'path');
    if (suffix !== undefined && suffix === path) return '';
    return basenameFrom(path, 0, suffix, isPosixSep);
  },

  extname(path) {
    validateString(path, 'path');
    return extnameFrom(path, 0, isPosixSep);
  },

  format(pathObject) {
    return formatWith('/', pathObject);
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
    ret.ext = extnameFrom(ret.base, 0, isPosixSep);
    ret.name = ret.ext ? ret.base.slice(0, -ret.ext.length) : ret.base;
    if (slash > 0) ret.dir = trimmed.slice(0, slash);
    else if (isAbsolute) ret.dir = '/';
    return ret;
  },

  matchesGlob(path, pattern) {
    return require('internal/fs/glob').matchesGlob(path, pattern);
  },
};

const reservedDevice = /^(?:CON|PRN|AUX|NUL|COM[1-9]|LPT[1-9]):/i;

// The root of a Windows path: its device ('C:', '\\server\share') and
// where the rest begins.
function win32Root(path) {
  const len = path.length;
  let device = '';
  let rootEnd = 0;
  let isAbsolute = false;
  if (len === 0) return { device, rootEnd, isAbsolute };
  if (len === 1) {
    if (isWinSep(path[0])) return { device, rootEnd: 1, isAbsolute: true };
    return { device, rootEnd, isAbsolute };
  }
  if (isWinSep(path[0])) {
    isAbsolute = true;
    rootEnd = 1;
    if (isWinSep(path[1])) {
      // A UNC root: \\server\share
      let j = 2;
      let last = j;
      while (j < len && !isWinSep(path[j])) j++;
      const server = path.slice(last, j);
      if ((server === '.' || server === '?') && j < len) {
        // A device path (\.\ or \?\, and \?\UNC\): the rest is an ordinary tail.
        const unc = /^UNC(?:[\\/]|$)/i.exec(path.slice(j + 1));
        if (unc !== null) return { device: `\\\\${server}\\${path.slice(j + 1, j + 4)}`, rootEnd: j + 1 + unc[0].length, isAbsolute: true };
        return { device: `\\\\${server}`, rootEnd: j + 1, isAbsolute: true };
      }
      if (j < len && j !== last) {
        last = j;
        while (j < len && isWinSep(path[j])) j++;
        if (j < len && j !== last) {
          last = j;
          while (j < len && !isWinSep(path[j])) j++;
          if (j === len || j !== last) {
            device = `\\\\${server}\\${path.slice(last, j)}`;
            rootEnd = j;
          }
        }
      }
    }
  } else if (isDriveLetter(path[0]) && path[1] === ':') {
    device = path.slice(0, 2);
    rootEnd = 2;
    if (len > 2 && isWinSep(path[2])) {
      isAbsolute = true;
      rootEnd = 3;
    }
  }
  return { device, rootEnd, isAbsolute };
}

const win32 = {
  sep: '\\',
  delimiter: ';',

  resolve(...args) {
    let resolvedDevice = '';
    let resolvedTail = '';
    let resolvedAbsolute = false;
    for (let i = args.length - 1; i >= -1; i--) {
      let path;
      if (i >= 0) {
        path = args[i];
        validateString(path, `paths[${i}]`);
        if (path.length === 0) continue;
      } else if (resolvedDevice.length === 0) {
        path = process.cwd();
      } else {
        path = process.env[`=${resolvedDevice}`] || process.cwd();
        if (path.slice(0, 2).toLowerCase() !== resolvedDevice.toLowerCase() && path[2] === '\\') {
          path = `${resolvedDevice}\\`;
        }
      }
      const { device, rootEnd, isAbsolute } = win32Root(path);
      if (device.length > 0) {
        if (resolvedDevice.length > 0) {
          if (device.toLowerCase() !== resolvedDevice.toLowerCase()) continue;
        } else {
          resolvedDevice = device;
        }
      }
      if (resolvedAbsolute) {
        if (resolvedDevice.length > 0) break;
      } else {
        resolvedTail = `${path.slice(rootEnd)}\\${resolvedTail}`;
        resolvedAbsolute = isAbsolute;
        if (isAbsolute && resolvedDevice.length > 0) break;
      }
    }
    resolvedTail = normalizeString(resolvedTail, !resolvedAbsolute, '\\', isWinSep);
    return resolvedAbsolute ? `${resolvedDevice}\\${resolvedTail}` : `${resolvedDevice}${resolvedTail}` || '.';
  },

  normalize(path) {
    validateString(path, 'path');
    const len = path.length;
    if (len === 0) return '.';
    if (len === 1) return isWinSep(path) ? '\\' : path;
    const root = win32Root(path);
    let { device } = root;
    const { rootEnd, isAbsolute } = root;
    // A bare UNC root keeps its trailing separator.
    if (device.startsWith('\\\\') && rootEnd === len) return `${device}\\`;
    let tail = rootEnd < len ? normalizeString(path.slice(rootEnd), !isAbsolute, '\\', isWinSep) : '';
    if (tail.length === 0 && !isAbsolute) tail = '.';
    if (tail.length > 0 && isWinSep(path[len - 1])) tail += '\\';
    // A relative result must not read as a drive or a device path: Node 24
    // prefixes `.\` when it starts with `X:` or a colon ends a segment.
    if (!isAbsolute && device.length === 0 && path.includes(':') &&
        (/^[A-Za-z]:/.test(tail) || /:(?:[\\/]|$)/.test(path))) {
      tail = `.\\${tail}`;
    }
    if (device.length === 0) return isAbsolute ? `\\${tail}` : tail;
    return isAbsolute ? `${device}\\${tail}` : `${device}${tail}`;
  },

  isAbsolute(path) {
    validateString(path, 'path');
    const len = path.length;
    if (len === 0) return false;
    return isWinSep(path[0]) || (len > 2 && isDriveLetter(path[0]) && path[1] === ':' && isWinSep(path[2]));
  },

  join(...args) {
    if (args.length === 0) return '.';
    let joined;
    let firstPart;
    for (let i = 0; i < args.length; ++i) {
      const arg = args[i];
      validateString(arg, 'path');
      if (arg.length > 0) {
        if (joined === undefined) joined = firstPart = arg;
        else joined += `\\${arg}`;
      }
    }
    if (joined === undefined) return '.';
    // Keep a UNC root only if the first part really started with one.
    let needsReplace = true;
    let slashCount = 0;
    if (isWinSep(firstPart[0])) {
      ++slashCount;
      if (firstPart.length > 1 && isWinSep(firstPart[1])) {
        ++slashCount;
        if (firstPart.length > 2) {
          if (isWinSep(firstPart[2])) ++slashCount;
          else needsReplace = false;
        }
      }
    }
    if (needsReplace) {
      while (slashCount < joined.length && isWinSep(joined[slashCount])) slashCount++;
      if (slashCount >= 2) joined = `\\${joined.slice(slashCount)}`;
    }
    // A segment naming a DOS device (`CON:`) must not be normalized away:
    // Node 24 returns such a join with separators unified only.
    if (joined.split(/[\\/]/).some((segment) => reservedDevice.test(segment))) return joined.replace(/\//g, '\\');
    return win32.normalize(joined);
  },

  relative(from, to) {
    validateString(from, 'from');
    validateString(to, 'to');
    if (from === to) return '';
    const fromOrig = win32.resolve(from);
    const toOrig = win32.resolve(to);
    if (fromOrig === toOrig || fromOrig.toLowerCase() === toOrig.toLowerCase()) return '';
    // Compared segment by segment, roots included, ignoring case; paths
    // with nothing in common (another drive) give `to` itself.
    const fromParts = fromOrig.split('\\').filter(Boolean);
    const toParts = toOrig.split('\\').filter(Boolean);
    let common = 0;
    while (common < fromParts.length && common < toParts.length &&
      fromParts[common].toLowerCase() === toParts[common].toLowerCase()) common++;
    if (common === 0) return toOrig;
    return [...fromParts.slice(common).map(() => '..'), ...toParts.slice(common)].join('\\');
  },

  toNamespacedPath(path) {
    if (typeof path !== 'string' || path.length === 0) return path;
    const resolved = win32.resolve(path);
    if (resolved.length <= 2) return path;
    if (resolved[0] === '\\') {
      if (resolved[1] === '\\') {
        if (resolved[2] === '?' || resolved[2] === '.') return resolved;
        return `\\\\?\\UNC\\${resolved.slice(2)}`;
      }
    } else if (isDriveLetter(resolved[0]) && resolved[1] === ':' && resolved[2] === '\\') {
      return `\\\\?\\${resolved}`;
    }
    return path;
  },

  dirname(path) {
    validateString(path, 'path');
    const len = path.length;
    if (len === 0) return '.';
    const { device, rootEnd: end0 } = win32Root(path);
    let rootEnd = end0 > 0 ? end0 : -1;
    // A UNC root is its own dirname; so is one followed by a separator.
    if (device.startsWith('\\\\')) {
      if (end0 === len) return path;
      rootEnd = end0 + 1;
    }
    const offset = Math.max(rootEnd, 0);
    let end = -1;
    let matchedSlash = true;
    for (let i = len - 1; i >= offset; --i) {
      if (isWinSep(path[i])) {
        if (!matchedSlash) {
          end = i;
          break;
        }
      } else {
        matchedSlash = false;
      }
    }
    if (end === -1) {
      if (rootEnd === -1) return '.';
      end = rootEnd;
    }
    return path.slice(0, end);
  },

  basename(path, suffix) {
    validateString(path, 'path');
    if (suffix !== undefined && suffix === path) return '';
    const start = path.length >= 2 && isDriveLetter(path[0]) && path[1] === ':' ? 2 : 0;
    return basenameFrom(path, start, suffix, isWinSep);
  },

  extname(path) {
    validateString(path, 'path');
    const start = path.length >= 2 && isDriveLetter(path[0]) && path[1] === ':' ? 2 : 0;
    return extnameFrom(path, start, isWinSep);
  },

  format(pathObject) {
    return formatWith('\\', pathObject);
  },

  parse(path) {
    validateString(path, 'path');
    const ret = { root: '', dir: '', base: '', ext: '', name: '' };
    if (path.length === 0) return ret;
    const { device, rootEnd } = win32Root(path);
    let rootLength = rootEnd;
    if (device.startsWith('\\\\') && rootEnd < path.length && isWinSep(path[rootEnd])) rootLength++;
    ret.root = path.slice(0, rootLength);
    if (rootLength === path.length) {
      ret.dir = ret.root;
      return ret;
    }
    let end = path.length;
    while (end > rootLength && isWinSep(path[end - 1])) end--;
    let begin = end;
    while (begin > rootLength && !isWinSep(path[begin - 1])) begin--;
    ret.base = path.slice(begin, end);
    ret.ext = extnameFrom(ret.base, 0, isWinSep);
    ret.name = ret.ext ? ret.base.slice(0, -ret.ext.length) : ret.base;
    // Exactly one separator goes between dir and base, as format() adds back.
    const dirEnd = begin - 1;
    ret.dir = dirEnd > rootLength ? path.slice(0, dirEnd) : ret.root;
    return ret;
  },

  // A backslash in the path is a separator too (in patterns it always is).
  matchesGlob(path, pattern) {
    validateString(path, 'path');
    return require('internal/fs/glob').matchesGlob(path.replaceAll('\\', '/'), pattern);
  },
};

posix.posix = win32.posix = posix;
posix.win32 = win32.win32 = win32;

module.exports = posix;
