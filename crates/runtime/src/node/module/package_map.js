// lode:module internal/modules/package_map
// Resolution of a package.json "exports" or "imports" map, shared by the
// CommonJS and ES module loaders: exact keys, "*" patterns (longest match
// wins), nested conditions tried in order, arrays of fallbacks, and null
// targets that hide a subpath. In an "imports" map a target may also be a
// bare package specifier (`"#dep": "pkg"`), which the caller resolves as a
// package from the map's folder: it comes back as `{ bare }`.

const path = require('path');

// A target for `subpath` under the active `conditions`, or undefined.
function resolveTarget(dir, target, match, conditions, isImports) {
  if (typeof target === 'string') {
    const substituted = match === undefined ? target : target.replaceAll('*', match);
    if (target.startsWith('./')) return path.resolve(dir, substituted);
    if (isImports && !target.startsWith('../') && !target.startsWith('/') && !/^[a-zA-Z][a-zA-Z\d+.-]*:/.test(target)) {
      return { bare: substituted };
    }
    return undefined;
  }
  if (Array.isArray(target)) {
    for (const t of target) {
      const resolved = resolveTarget(dir, t, match, conditions, isImports);
      if (resolved !== undefined) return resolved;
    }
    return undefined;
  }
  if (target !== null && typeof target === 'object') {
    for (const key of Object.keys(target)) {
      if (conditions.has(key)) {
        const resolved = resolveTarget(dir, target[key], match, conditions, isImports);
        if (resolved !== undefined) return resolved;
      }
    }
  }
  return undefined;
}

// The file `subpath` ('.', './x', '#x') maps to in `map` (or `{ bare }`
// for a package an "imports" entry names); `notFound()` builds the error
// thrown when it maps to nothing.
function resolvePackageMap(dir, subpath, map, conditions, notFound) {
  const isImports = subpath.startsWith('#');
  const sugar = typeof map === 'string' || Array.isArray(map) ||
    (map !== null && typeof map === 'object' && !Object.keys(map).some((k) => k.startsWith('.') || k.startsWith('#')));
  if (sugar) map = { '.': map };
  if (Object.prototype.hasOwnProperty.call(map, subpath) && !subpath.includes('*')) {
    const resolved = resolveTarget(dir, map[subpath], undefined, conditions, isImports);
    if (resolved) return resolved;
    throw notFound();
  }
  let bestKey = '';
  let bestMatch;
  for (const key of Object.keys(map)) {
    const star = key.indexOf('*');
    if (star === -1) continue;
    const prefix = key.slice(0, star);
    const suffix = key.slice(star + 1);
    if (subpath.startsWith(prefix) && subpath !== prefix && subpath.length >= key.length &&
        subpath.endsWith(suffix) && key.length > bestKey.length) {
      bestKey = key;
      bestMatch = subpath.slice(prefix.length, subpath.length - suffix.length);
    }
  }
  if (bestKey) {
    const resolved = resolveTarget(dir, map[bestKey], bestMatch, conditions, isImports);
    if (resolved) return resolved;
  }
  throw notFound();
}

module.exports = { resolvePackageMap };
