// lode:module internal/util/comparisons
// Deep equality as assert.deepStrictEqual / deepEqual and
// util.isDeepStrictEqual define it: same kind, same own enumerable keys
// (and prototype, when strict), equal contents, cycles allowed.

const tagOf = (v) => Object.prototype.toString.call(v).slice(8, -1);

function isDeepEqual(a, b) {
  return innerDeepEqual(a, b, false, new Map());
}

// While a comparison with `skipPrototype` runs (it is synchronous).
let skipPrototype = false;

function isDeepStrictEqual(a, b, skipPrototypeCheck = false) {
  const previous = skipPrototype;
  skipPrototype = skipPrototypeCheck === true;
  try {
    return innerDeepEqual(a, b, true, new Map());
  } finally {
    skipPrototype = previous;
  }
}

const boxedKinds = [Number, String, Boolean, BigInt, Symbol];

// { kind, value } of a boxed primitive (by brand check), else undefined.
function boxedValueOf(v) {
  for (const kind of boxedKinds) {
    try {
      return { kind, value: kind.prototype.valueOf.call(v) };
    } catch {
      // Not this kind.
    }
  }
  return undefined;
}

function primitiveEqual(a, b, strict) {
  if (strict) return Object.is(a, b);
  // eslint-disable-next-line eqeqeq
  return a == b || (Number.isNaN(a) && Number.isNaN(b));
}

function innerDeepEqual(a, b, strict, memo) {
  if (a === b) return a !== 0 || !strict || Object.is(a, b);
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    if (!strict && (typeof a !== 'object' || a === null) && (typeof b !== 'object' || b === null)) {
      return primitiveEqual(a, b, false);
    }
    if (typeof a === 'function' || typeof b === 'function') return false;
    return strict ? Object.is(a, b) : primitiveEqual(a, b, false);
  }
  const tag = tagOf(a);
  if (tag !== tagOf(b)) return false;
  if (strict && !skipPrototype && Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;

  // Cycles: a pair already being compared is assumed equal.
  let seen = memo.get(a);
  if (seen?.has(b)) return true;
  if (!seen) {
    seen = new Set();
    memo.set(a, seen);
  }
  seen.add(b);

  // Boxed primitives compare by their internal kind and value, whatever
  // their prototype or toStringTag claims.
  const boxedA = boxedValueOf(a);
  const boxedB = boxedValueOf(b);
  if (boxedA !== undefined || boxedB !== undefined) {
    if (boxedA === undefined || boxedB === undefined || boxedA.kind !== boxedB.kind || !Object.is(boxedA.value, boxedB.value)) return false;
  }

  switch (tag) {
    case 'Date':
      if (a.getTime() !== b.getTime()) return false;
      break;
    case 'RegExp':
      if (a.source !== b.source || a.flags !== b.flags || a.lastIndex !== b.lastIndex) return false;
      break;
    case 'Error':
      if (a.message !== b.message || a.name !== b.name) return false;
      if (('cause' in a) !== ('cause' in b) || !innerDeepEqual(a.cause, b.cause, strict, memo)) return false;
      break;
    case 'ArrayBuffer': case 'SharedArrayBuffer':
      if (!bytesEqual(new Uint8Array(a), new Uint8Array(b))) return false;
      break;
    case 'DataView':
      if (!bytesEqual(new Uint8Array(a.buffer, a.byteOffset, a.byteLength),
        new Uint8Array(b.buffer, b.byteOffset, b.byteLength))) return false;
      break;
    case 'Promise': case 'WeakMap': case 'WeakSet':
      return a === b;
    default:
      if (ArrayBuffer.isView(a)) {
        if (a.length !== b.length) return false;
        for (let i = 0; i < a.length; i++) {
          if (!(strict ? Object.is(a[i], b[i]) : a[i] == b[i])) return false; // eslint-disable-line eqeqeq
        }
        return keysEqual(a, b, strict, memo, (k) => !/^\d+$/.test(k));
      }
  }
  if (tag === 'Map') {
    if (a.size !== b.size || !mapEqual(a, b, strict, memo)) return false;
  } else if (tag === 'Set') {
    if (a.size !== b.size || !setEqual(a, b, strict, memo)) return false;
  }
  if (Array.isArray(a)) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) {
      const hasA = Object.prototype.hasOwnProperty.call(a, i);
      if (hasA !== Object.prototype.hasOwnProperty.call(b, i)) {
        if (strict || (hasA ? a[i] !== undefined : b[i] !== undefined)) return false;
      }
      if (!innerDeepEqual(a[i], b[i], strict, memo)) return false;
    }
    return keysEqual(a, b, strict, memo, (k) => !/^\d+$/.test(k));
  }
  return keysEqual(a, b, strict, memo, () => true);
}

function bytesEqual(x, y) {
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

function ownKeys(obj, strict, filter) {
  const keys = Object.keys(obj).filter(filter);
  if (strict) {
    for (const s of Object.getOwnPropertySymbols(obj)) {
      if (Object.prototype.propertyIsEnumerable.call(obj, s)) keys.push(s);
    }
  }
  return keys;
}

function keysEqual(a, b, strict, memo, filter) {
  const keysA = ownKeys(a, strict, filter);
  const keysB = ownKeys(b, strict, filter);
  if (keysA.length !== keysB.length) return false;
  for (const key of keysA) {
    if (!Object.prototype.propertyIsEnumerable.call(b, key)) return false;
    if (!innerDeepEqual(a[key], b[key], strict, memo)) return false;
  }
  return true;
}

function setEqual(a, b, strict, memo) {
  const pending = [];
  for (const value of a) {
    if (typeof value === 'object' && value !== null) pending.push(value);
    else if (!b.has(value)) {
      if (strict) return false;
      pending.push(value);
    }
  }
  if (pending.length === 0) return true;
  const candidates = [...b].filter((v) => (typeof v === 'object' && v !== null) || !strict || !a.has(v));
  for (const value of pending) {
    const index = candidates.findIndex((c) => innerDeepEqual(value, c, strict, new Map(memo)));
    if (index === -1) return false;
    candidates.splice(index, 1);
  }
  return true;
}

function mapEqual(a, b, strict, memo) {
  const pending = [];
  for (const [key, value] of a) {
    if (typeof key === 'object' && key !== null) {
      pending.push([key, value]);
    } else if (b.has(key)) {
      if (!innerDeepEqual(value, b.get(key), strict, memo)) return false;
    } else if (strict) {
      return false;
    } else {
      pending.push([key, value]);
    }
  }
  if (pending.length === 0) return true;
  const candidates = [...b].filter(([k]) => (typeof k === 'object' && k !== null) || !a.has(k));
  for (const [key, value] of pending) {
    const index = candidates.findIndex(([k, v]) =>
      innerDeepEqual(key, k, strict, new Map(memo)) && innerDeepEqual(value, v, strict, new Map(memo)));
    if (index === -1) return false;
    candidates.splice(index, 1);
  }
  return true;
}

module.exports = { isDeepEqual, isDeepStrictEqual };
