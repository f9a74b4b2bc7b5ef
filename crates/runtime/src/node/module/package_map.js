// lode:module internal/modules/package_map
// Resolution of a package.json "exports" or "imports" map, shared by the
// CommonJS and ES module loaders: exact keys, "*" patterns (longest match
// wins), nested conditions tried in order, arrays of fallbacks, and null
// targets that hide a subpath.

const path = require('path');

// A target for `subpath` under the active `conditions`, or undefined.
function resolveTarget(dir, target, match, conditions) {
  if (typeof target === 'string') {
    if (!target.startsWith('./')) return undefined;
    return path.resolve(dir, match === undefined ? target : target.replaceAll('*', match));
  }
  if (Array.isArray(target)) {
    for (const t of target) {
      const resolved = resolveTarget(dir, t, match, conditions);
      if (resolved !== undefined) return resolved;
    }
    return undefined;
  }
  if (target !== null && typeof target === 'object') {
    for (const key of Object.keys(target)) {
      if (conditions.has(key)) {
        const resolved = resolveTarget(dir, target[key], match, conditions);
        if (resolved !== undefined) return resolved;
      }
    }
  }
  return undefined;
}

// The file `subpath` ('.', './x', '#x') maps to in `map`; `notFound()`
// builds the error thrown when it maps to nothing.
function resolvePackageMap(dir, subpath, map, conditions, notFound) {
  const sugar = typeof map === 'string' || Array.isArray(map) ||
    (map !== null && typeof map === 'object' && !Object.keys(map).some((k) => k.startsWith('.') || k.startsWith('#')));
  if (sugar) map = { '.': map };
  if (Object.prototype.hasOwnProperty.call(map, subpath) && !subpath.includes('*')) {
    const resolved = resolveTarget(dir, map[subpath], undefined, conditions);
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
    const resolved = resolveTarget(dir, map[bestKey], bestMatch, conditions);
    if (resolved) return resolved;
  }
  throw notFound();
}

module.exports = { resolvePackageMap };
