// lode:module internal/fs/glob
// Glob patterns as Node matches them (its minimatch rules): brace
// expansion ({a,b}, {1..3}), `*`, `?`, classes ([a-z], [!x], [[:alpha:]]),
// extglobs (@(a|b), !(a), +(a), *(a), ?(a)), `**` across directories,
// backslash escapes, and dotfiles matched only by patterns that spell the
// dot. Used by path.matchesGlob and by fs.glob / globSync / promises.glob,
// which walk the file system segment by segment.

const pathModule = require('path');
const { validateFunction, validateObject, validateString } = require('internal/validators');
const { codes: { ERR_INVALID_ARG_TYPE } } = require('internal/errors');

const GLOBSTAR = Symbol('globstar');

// --- Brace expansion ---------------------------------------------------------

function findClosingBrace(pattern, open) {
  let depth = 0;
  for (let i = open; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      i++;
    } else if (c === '{') {
      depth++;
    } else if (c === '}' && --depth === 0) {
      return i;
    }
  }
  return -1;
}

function splitTopLevel(body) {
  const parts = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '\\') i++;
    else if (c === '{') depth++;
    else if (c === '}') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(body.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(body.slice(start));
  return parts;
}

function expandRange(body) {
  const m = /^(-?\d+|[a-zA-Z])\.\.(-?\d+|[a-zA-Z])(?:\.\.(-?\d+))?$/.exec(body);
  if (!m) return null;
  const numeric = /\d/.test(m[1]);
  let from = numeric ? Number(m[1]) : m[1].charCodeAt(0);
  const to = numeric ? Number(m[2]) : m[2].charCodeAt(0);
  const step = Math.abs(Number(m[3] ?? 1)) || 1;
  const out = [];
  const dir = from <= to ? 1 : -1;
  for (; dir > 0 ? from <= to : from >= to; from += dir * step) {
    out.push(numeric ? String(from) : String.fromCharCode(from));
  }
  return out;
}

function braceExpand(pattern) {
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] === '\\') {
      i++;
      continue;
    }
    if (pattern[i] !== '{') continue;
    const close = findClosingBrace(pattern, i);
    if (close === -1) return [pattern];
    const body = pattern.slice(i + 1, close);
    const parts = splitTopLevel(body);
    const options = parts.length > 1 ? parts : expandRange(body);
    if (options === null) continue;
    const head = pattern.slice(0, i);
    const tails = braceExpand(pattern.slice(close + 1));
    const out = [];
    for (const option of options) {
      for (const expanded of braceExpand(option)) {
        for (const tail of tails) out.push(head + expanded + tail);
      }
    }
    return out;
  }
  return [pattern];
}

// --- One path segment to a RegExp ----------------------------------------

const POSIX_CLASSES = {
  alnum: 'a-zA-Z0-9', alpha: 'a-zA-Z', ascii: '\\x00-\\x7f', blank: ' \\t', cntrl: '\\x00-\\x1f\\x7f',
  digit: '0-9', graph: '\\x21-\\x7e', lower: 'a-z', print: '\\x20-\\x7e', punct: '!-\\/:-@\\[-`{-~',
  space: ' \\t\\r\\n\\v\\f', upper: 'A-Z', word: 'a-zA-Z0-9_', xdigit: 'A-Fa-f0-9',
};

const escapeRegExp = (s) => s.replace(/[-[\]{}()*+?.,\\^$|#\s]/g, '\\$&');

// Translates glob syntax from `i`; stops at `)` or `|` inside an extglob.
function translate(pattern, i, inGroup) {
  let out = '';
  while (i < pattern.length) {
    const c = pattern[i];
    if (inGroup && (c === ')' || c === '|')) break;
    if (c === '\\' && i + 1 < pattern.length) {
      out += escapeRegExp(pattern[i + 1]);
      i += 2;
    } else if ('?*+@!'.includes(c) && pattern[i + 1] === '(') {
      const alternatives = [];
      let j = i + 2;
      while (true) {
        const [alt, next] = translate(pattern, j, true);
        alternatives.push(alt);
        j = next;
        if (pattern[j] === '|') {
          j++;
          continue;
        }
        break;
      }
      if (pattern[j] !== ')') {
        out += escapeRegExp(c);
        i++;
        continue;
      }
      const group = `(?:${alternatives.join('|')})`;
      out += {
        '?': `${group}?`, '*': `${group}*`, '+': `${group}+`, '@': group,
        '!': `(?:(?!${group}$)[^/]*?)`,
      }[c];
      i = j + 1;
    } else if (c === '*') {
      while (pattern[i + 1] === '*') i++;
      out += '[^/]*?';
      i++;
    } else if (c === '?') {
      out += '[^/]';
      i++;
    } else if (c === '[') {
      const end = classEnd(pattern, i);
      if (end === -1) {
        out += '\\[';
        i++;
        continue;
      }
      let body = pattern.slice(i + 1, end);
      let negate = false;
      if (body[0] === '!' || body[0] === '^') {
        negate = true;
        body = body.slice(1);
      }
      const cls = body.replace(/\[:(\w+):\]/g, (m, name) => POSIX_CLASSES[name] ?? m)
        .replace(/\\(.)/g, (m, ch) => `\\${ch}`)
        .replace(/[\]^]/g, (m, offset, s) => (s[offset - 1] === '\\' ? m : `\\${m}`));
      out += negate ? `[^/${cls}]` : `[${cls}]`;
      i = end + 1;
    } else {
      out += escapeRegExp(c);
      i++;
    }
  }
  return [out, i];
}

function classEnd(pattern, open) {
  let i = open + 1;
  if (pattern[i] === '!' || pattern[i] === '^') i++;
  if (pattern[i] === ']') i++;
  for (; i < pattern.length; i++) {
    if (pattern[i] === '\\') i++;
    else if (pattern[i] === '[' && pattern[i + 1] === ':') {
      const close = pattern.indexOf(':]', i + 2);
      if (close !== -1) i = close + 1;
    } else if (pattern[i] === ']') return i;
  }
  return -1;
}

const MAGIC = /[*?[\\]|[?*+@!]\(/;

// A compiled segment: a literal string, GLOBSTAR, or a RegExp. Wildcards
// never match `.` and `..`, nor (without `dot`) a leading dot.
function compileSegment(segment, dot) {
  if (segment === '**') return GLOBSTAR;
  if (!MAGIC.test(segment)) return segment;
  const [body] = translate(segment, 0, false);
  const guard = segment[0] === '.' ? '' : dot ? '(?!\\.\\.?$)' : '(?!\\.)';
  return new RegExp(`^${guard}${body}$`);
}

function segmentMatches(compiled, name) {
  return typeof compiled === 'string' ? compiled === name : compiled.test(name);
}

// A pattern's brace expansions, each as compiled segments; `absolute` for
// patterns rooted at `/`, `dirOnly` for a trailing slash.
function compile(pattern, { dot = false } = {}) {
  // As Node's (minimatch with windowsPathsNoEscape): a backslash in a
  // pattern is a separator on every platform, never an escape.
  return braceExpand(pattern.replaceAll('\\', '/')).map((expanded) => {
    const absolute = expanded.startsWith('/');
    const dirOnly = expanded.length > 1 && expanded.endsWith('/');
    const parts = expanded.split('/').filter((part, i, all) => part !== '' || (i === all.length - 1 && all.length === 1));
    // Runs of ** are one globstar.
    const segments = [];
    for (const part of parts) {
      const compiled = compileSegment(part, dot);
      if (compiled === GLOBSTAR && segments.at(-1) === GLOBSTAR) continue;
      segments.push(compiled);
    }
    return { segments, absolute, dirOnly };
  });
}

function matchSegments(segments, parts, si = 0, pi = 0, dot = false) {
  for (; si < segments.length; si++, pi++) {
    const segment = segments[si];
    if (segment === GLOBSTAR) {
      if (si === segments.length - 1) {
        return parts.slice(pi).every((part) => dot || !part.startsWith('.'));
      }
      for (let k = pi; k <= parts.length; k++) {
        if (matchSegments(segments, parts, si + 1, k, dot)) return true;
        if (k < parts.length && !dot && parts[k].startsWith('.')) return false;
      }
      return false;
    }
    if (pi >= parts.length || !segmentMatches(segment, parts[pi])) return false;
  }
  return pi === parts.length;
}

// path.matchesGlob(path, pattern).
function matchesGlob(path, pattern, options) {
  validateString(path, 'path');
  validateString(pattern, 'pattern');
  const absolute = path.startsWith('/');
  const parts = path.split('/').filter(Boolean);
  return compile(pattern, options).some((compiled) => compiled.absolute === absolute &&
    matchSegments(compiled.segments, parts, 0, 0, options?.dot));
}

// --- Walking the file system ---------------------------------------------

// The walk as a generator of file-system requests: `['readdir', dir]` and
// `['stat', path]` (answered with the result or null), so the same code
// serves globSync and the async glob.
function* walk(compiled, cwd, exclude, withFileTypes) {
  const { Dirent } = require('internal/fs/utils');
  const results = new Map();
  const isExcluded = (relative, dirent) => {
    if (!exclude) return false;
    if (typeof exclude === 'function') return !!exclude(withFileTypes ? dirent : relative);
    return exclude.some((pattern) => matchesGlob(relative, pattern));
  };
  const direntFor = (full, type) => new Dirent(pathModule.basename(full), type, pathModule.dirname(full));

  function* visit(pattern, dir, relative, si, type) {
    const { segments, dirOnly, absolute } = pattern;
    const shown = absolute ? dir : relative || '.';
    if (si === segments.length) {
      if (dirOnly && type !== 2) return;
      if (!results.has(shown)) results.set(shown, withFileTypes ? direntFor(dir, type) : shown);
      return;
    }
    const segment = segments[si];
    if (typeof segment === 'string') {
      const full = pathModule.join(dir, segment);
      const rel = absolute ? full : pathModule.join(relative, segment);
      if (segment === '.' || segment === '..') {
        yield* visit(pattern, full, rel === '' ? '' : rel, si + 1, 2);
        return;
      }
      const stat = yield ['stat', full];
      if (stat === null) return;
      const childType = stat.isDirectory() ? 2 : 1;
      if (isExcluded(rel, direntFor(full, childType))) return;
      yield* visit(pattern, full, rel, si + 1, childType);
      return;
    }
    const entries = yield ['readdir', dir];
    if (entries === null) return;
    if (segment === GLOBSTAR) {
      yield* visit(pattern, dir, relative, si + 1, type);
      const last = si === segments.length - 1;
      for (const entry of entries) {
        if (entry.name.startsWith('.')) continue;
        const full = pathModule.join(dir, entry.name);
        const rel = absolute ? full : pathModule.join(relative, entry.name);
        if (isExcluded(rel, entry)) continue;
        // A trailing ** matches files too; only directories go deeper.
        if (entry.isDirectory()) yield* visit(pattern, full, rel, si, 2);
        else if (last) yield* visit(pattern, full, rel, si + 1, entry.isSymbolicLink() ? 3 : 1);
      }
      return;
    }
    for (const entry of entries) {
      if (!segment.test(entry.name)) continue;
      const full = pathModule.join(dir, entry.name);
      const rel = absolute ? full : pathModule.join(relative, entry.name);
      let childType = entry.isDirectory() ? 2 : entry.isSymbolicLink() ? 3 : 1;
      if (childType === 3) {
        const stat = yield ['stat', full];
        if (stat?.isDirectory()) childType = 2;
      }
      if (isExcluded(rel, entry)) continue;
      yield* visit(pattern, full, rel, si + 1, childType);
    }
  }

  for (const pattern of compiled) {
    yield* visit(pattern, pattern.absolute ? '/' : cwd, '', 0, 2);
  }
  return [...results.values()];
}

function prepare(pattern, options) {
  const patterns = typeof pattern === 'string' ? [pattern] : pattern;
  if (!Array.isArray(patterns)) throw new ERR_INVALID_ARG_TYPE('pattern', ['string', 'string[]'], pattern);
  patterns.forEach((p, i) => validateString(p, `pattern[${i}]`));
  if (options != null) validateObject(options, 'options');
  let cwd = options?.cwd ?? process.cwd();
  if (cwd instanceof URL) cwd = require('url').fileURLToPath(cwd);
  validateString(cwd, 'options.cwd');
  const exclude = options?.exclude;
  if (exclude != null && typeof exclude !== 'function' && !Array.isArray(exclude)) {
    throw new ERR_INVALID_ARG_TYPE('options.exclude', ['function', 'string[]'], exclude);
  }
  const compiled = patterns.flatMap((p) => compile(p));
  return walk(compiled, pathModule.resolve(cwd), exclude, !!options?.withFileTypes);
}

function answerSync(request) {
  const fs = require('fs');
  const [kind, target] = request;
  try {
    return kind === 'readdir' ? fs.readdirSync(target, { withFileTypes: true }) : fs.statSync(target);
  } catch {
    return null;
  }
}

function globSync(pattern, options) {
  const steps = prepare(pattern, options);
  let step = steps.next();
  while (!step.done) step = steps.next(answerSync(step.value));
  return step.value;
}

async function globAll(pattern, options) {
  const fsp = require('fs/promises');
  const steps = prepare(pattern, options);
  let step = steps.next();
  while (!step.done) {
    const [kind, target] = step.value;
    let answer;
    try {
      answer = kind === 'readdir' ? await fsp.readdir(target, { withFileTypes: true }) : await fsp.stat(target);
    } catch {
      answer = null;
    }
    step = steps.next(answer);
  }
  return step.value;
}

function glob(pattern, options, callback) {
  if (typeof options === 'function') {
    callback = options;
    options = undefined;
  }
  validateFunction(callback, 'callback');
  globAll(pattern, options).then((results) => callback(null, results), callback);
}

async function* globAsync(pattern, options) {
  yield* await globAll(pattern, options);
}

module.exports = { matchesGlob, glob, globSync, globAsync, compile };
