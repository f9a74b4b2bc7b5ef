// lode:module internal/util/comparisons
// Deep equality as Node defines it for assert.deepEqual (loose),
// assert.deepStrictEqual and util.isDeepStrictEqual (strict, optionally
// without the prototype check) and assert.partialDeepStrictEqual (strict,
// but only what `expected` holds must be found in `actual`).
//
// Objects compare by kind (toStringTag and internal slots), own enumerable
// keys (symbols too, unless loose) and contents; Maps and Sets match
// entries regardless of order; a cycle is equal when both sides re-enter
// an object of the current path at the same time.

const types = require('util/types');
const bufferBinding = binding('buffer');

const kLoose = 0;
const kStrict = 1;
const kStrictSkipPrototype = 2;
const kPartial = 3;

// How objEquiv walks an object besides its keys.
const kNoIterator = 0;
const kIsArray = 1;
const kIsSet = 2;
const kIsMap = 3;

const { hasOwnProperty, propertyIsEnumerable, toString: objectToString } = Object.prototype;
const hasOwn = (object, key) => hasOwnProperty.call(object, key);
const isEnumerable = (object, key) => propertyIsEnumerable.call(object, key);
const isObjectLike = (value) => typeof value === 'object' && value !== null;

function isDeepEqual(a, b) {
  return innerDeepEqual(a, b, kLoose, undefined);
}

function isDeepStrictEqual(a, b, skipPrototype = false) {
  return innerDeepEqual(a, b, skipPrototype === true ? kStrictSkipPrototype : kStrict, undefined);
}

function isPartialStrictEqual(actual, expected) {
  return innerDeepEqual(actual, expected, kPartial, undefined);
}

function innerDeepEqual(a, b, mode, memos) {
  if (a === b) return a !== 0 || Object.is(a, b) || mode === kLoose;
  if (mode === kLoose) {
    if (!isObjectLike(a)) {
      // eslint-disable-next-line eqeqeq
      return !isObjectLike(b) && (a == b || (Number.isNaN(a) && Number.isNaN(b)));
    }
    if (!isObjectLike(b)) return false;
  } else {
    if (typeof a !== 'object') return typeof a === 'number' && Number.isNaN(a) && Number.isNaN(b);
    if (!isObjectLike(b) || a === null) return false;
  }
  return objectEqual(a, b, mode, memos);
}

function isError(value) {
  return types.isNativeError(value) || value instanceof Error;
}

function isUrl(value) {
  return value instanceof URL;
}

function objectEqual(a, b, mode, memos) {
  if (mode === kStrict && Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const tag = objectToString.call(a);
  if (tag !== objectToString.call(b)) return false;

  if (Array.isArray(a)) {
    if (!Array.isArray(b) || !lengthsFit(a.length, b.length, mode)) return false;
    return indexedKeyCheck(a, b, mode, memos, kIsArray);
  }
  if (tag === '[object Object]' && !types.isBoxedPrimitive(a) && !types.isBoxedPrimitive(b)) {
    return keyCheck(a, b, mode, memos, kNoIterator);
  }
  if (types.isDate(a)) {
    if (!types.isDate(b) || !Object.is(Date.prototype.getTime.call(a), Date.prototype.getTime.call(b))) return false;
  } else if (types.isRegExp(a)) {
    if (!types.isRegExp(b) || a.source !== b.source || a.flags !== b.flags || a.lastIndex !== b.lastIndex) return false;
  } else if (ArrayBuffer.isView(a)) {
    if (!ArrayBuffer.isView(b) || !viewsEqual(a, b, mode)) return false;
    return indexedKeyCheck(a, b, mode, memos, kNoIterator);
  } else if (types.isSet(a)) {
    if (!types.isSet(b) || !lengthsFit(a.size, b.size, mode)) return false;
    return keyCheck(a, b, mode, memos, kIsSet);
  } else if (types.isMap(a)) {
    if (!types.isMap(b) || !lengthsFit(a.size, b.size, mode)) return false;
    return keyCheck(a, b, mode, memos, kIsMap);
  } else if (types.isAnyArrayBuffer(a)) {
    if (!types.isAnyArrayBuffer(b) || types.isSharedArrayBuffer(a) !== types.isSharedArrayBuffer(b)) return false;
    if (!bytesEqual(new Uint8Array(a), new Uint8Array(b), mode)) return false;
  } else if (isError(a)) {
    if (!isError(b) || !errorsEqual(a, b, mode, memos)) return false;
  } else if (types.isBoxedPrimitive(a)) {
    if (!boxedEqual(a, b)) return false;
  } else if (Array.isArray(b) || ArrayBuffer.isView(b) || types.isSet(b) || types.isMap(b) || types.isDate(b) ||
    types.isRegExp(b) || types.isAnyArrayBuffer(b) || types.isBoxedPrimitive(b) || isError(b)) {
    return false;
  } else if (types.isWeakMap(a) || types.isWeakSet(a) || types.isPromise(a)) {
    // Their contents cannot be observed: only the same instance is equal.
    return false;
  } else if (isUrl(a)) {
    if (!isUrl(b) || a.href !== b.href) return false;
  }
  return keyCheck(a, b, mode, memos, kNoIterator);
}

// A partial comparison lets `actual` (a) hold more than `expected` (b).
function lengthsFit(lengthA, lengthB, mode) {
  return mode === kPartial ? lengthA >= lengthB : lengthA === lengthB;
}

function viewsEqual(a, b, mode) {
  const kind = types.isDataView(a) ? 'DataView' : Object.getOwnPropertyDescriptor(
    Object.getPrototypeOf(Uint8Array.prototype), Symbol.toStringTag).get.call(a);
  const kindB = types.isDataView(b) ? 'DataView' : Object.getOwnPropertyDescriptor(
    Object.getPrototypeOf(Uint8Array.prototype), Symbol.toStringTag).get.call(b);
  if (kind !== kindB) return false;
  if (mode === kPartial && a.length !== b.length) return partialElementsEquiv(a, b);
  if (mode === kLoose && (kind === 'Float16Array' || kind === 'Float32Array' || kind === 'Float64Array')) {
    // Loosely, floats compare as numbers: 0 equals -0, NaN equals nothing.
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  return bytesEqual(new Uint8Array(a.buffer, a.byteOffset, a.byteLength),
    new Uint8Array(b.buffer, b.byteOffset, b.byteLength), mode);
}

function bytesEqual(bytesA, bytesB, mode) {
  if (bytesA.length !== bytesB.length) return mode === kPartial && partialElementsEquiv(bytesA, bytesB);
  return bufferBinding.compare(bytesA, bytesB) === 0;
}

// A partial match of array-likes of numbers: b's elements in order among a's.
function partialElementsEquiv(a, b) {
  if (a.length < b.length) return false;
  let matched = 0;
  for (let i = 0; i < a.length && matched < b.length; i++) {
    if (a[i] === b[matched]) matched++;
  }
  return matched === b.length;
}

function errorsEqual(a, b, mode, memos) {
  // The stack is left out: equal errors made on different lines differ there.
  for (const key of ['message', 'name']) {
    if (mode === kPartial && !hasOwn(b, key)) continue;
    const enumerable = isEnumerable(a, key);
    if (enumerable !== isEnumerable(b, key)) return false;
    if (!enumerable && a[key] !== b[key]) return false;
  }
  for (const key of ['cause', 'errors']) {
    const enumerable = isEnumerable(a, key);
    if (enumerable !== isEnumerable(b, key)) return false;
    if (enumerable) continue;
    if (hasOwn(a, key) !== hasOwn(b, key)) {
      if (mode !== kPartial || !hasOwn(a, key)) return false;
    }
    if (hasOwn(b, key) && !innerDeepEqual(a[key], b[key], mode, memos)) return false;
  }
  return true;
}

const boxedKinds = [
  [types.isNumberObject, Number.prototype.valueOf],
  [types.isStringObject, String.prototype.valueOf],
  [types.isBooleanObject, Boolean.prototype.valueOf],
  [types.isBigIntObject, BigInt.prototype.valueOf],
  [types.isSymbolObject, Symbol.prototype.valueOf],
];

function boxedEqual(a, b) {
  for (const [isKind, valueOf] of boxedKinds) {
    if (isKind(a)) return isKind(b) && Object.is(valueOf.call(a), valueOf.call(b));
  }
  return false;
}

// Own enumerable keys that are not array indices (symbols unless loose).
function nonIndexKeys(object, mode) {
  const keys = Object.keys(object).filter((key) => !isIndex(key));
  if (mode !== kLoose) {
    for (const symbol of Object.getOwnPropertySymbols(object)) {
      if (isEnumerable(object, symbol)) keys.push(symbol);
    }
  }
  return keys;
}

function isIndex(key) {
  const code = key.charCodeAt(0);
  if (code < 48 || code > 57) return false;
  const n = Number(key);
  return n >>> 0 === n && n !== 4294967295 && String(n) === key;
}

function indexedKeyCheck(a, b, mode, memos, iteration) {
  const keysB = nonIndexKeys(b, mode);
  if (mode !== kPartial && keysB.length !== nonIndexKeys(a, mode).length) return false;
  for (const key of keysB) if (!isEnumerable(a, key)) return false;
  return compareWithMemo(a, b, mode, memos, iteration, keysB);
}

function keyCheck(a, b, mode, memos, iteration) {
  const keysB = Object.keys(b);
  for (const key of keysB) if (!isEnumerable(a, key)) return false;
  if (mode !== kPartial && keysB.length !== Object.keys(a).length) return false;
  if (mode !== kLoose) {
    for (const symbol of Object.getOwnPropertySymbols(b)) {
      if (isEnumerable(b, symbol)) {
        if (!isEnumerable(a, symbol)) return false;
        keysB.push(symbol);
      }
    }
    if (mode !== kPartial) {
      for (const symbol of Object.getOwnPropertySymbols(a)) {
        if (isEnumerable(a, symbol) && !isEnumerable(b, symbol)) return false;
      }
    }
  }
  if (keysB.length === 0 && (iteration === kNoIterator || (iteration === kIsArray && b.length === 0) ||
    ((iteration === kIsSet || iteration === kIsMap) && b.size === 0))) {
    return true;
  }
  return compareWithMemo(a, b, mode, memos, iteration, keysB);
}

// Cycle detection: `memos` holds the objects on the current comparison
// path (both sides). Meeting both again closes a cycle on each side at the
// same step: equal so far. Meeting only one means the shapes differ.
function compareWithMemo(a, b, mode, memos, iteration, keysB) {
  if (memos === undefined) {
    memos = new Set();
  } else {
    const seenA = memos.has(a);
    const seenB = memos.has(b);
    if (seenA || seenB) return seenA && seenB;
  }
  memos.add(a);
  memos.add(b);
  try {
    return objEquiv(a, b, mode, keysB, memos, iteration);
  } finally {
    memos.delete(a);
    memos.delete(b);
  }
}

function objEquiv(a, b, mode, keysB, memos, iteration) {
  for (const key of keysB) {
    if (!innerDeepEqual(a[key], b[key], mode, memos)) return false;
  }
  switch (iteration) {
    case kIsArray: return mode === kPartial ? partialArrayEquiv(a, b, memos) : arrayEquiv(a, b, mode, memos);
    case kIsSet: return setEquiv(a, b, mode, memos);
    case kIsMap: return mapEquiv(a, b, mode, memos);
    default: return true;
  }
}

function arrayEquiv(a, b, mode, memos) {
  for (let i = 0; i < a.length; i++) {
    if (hasOwn(a, i)) {
      if (!hasOwn(b, i) || !innerDeepEqual(a[i], b[i], mode, memos)) return false;
    } else if (hasOwn(b, i)) {
      return false;
    } else {
      // Sparse: compare what is left by the keys both have.
      const keysA = Object.keys(a);
      const keysB = Object.keys(b);
      if (keysA.length !== keysB.length) return false;
      for (const key of keysA) {
        if (!isIndex(key) || Number(key) < i) continue;
        if (!hasOwn(b, key) || !innerDeepEqual(a[key], b[key], mode, memos)) return false;
      }
      return true;
    }
  }
  return true;
}

// The elements `expected` (b) holds must appear among those `actual` (a)
// holds, in order, gaps allowed (holes are not elements). The earliest
// match for each element leaves the most room for the rest.
function partialArrayEquiv(a, b, memos) {
  const positionsA = heldIndices(a);
  for (const i of heldIndices(b)) {
    for (;;) {
      const next = positionsA.next();
      if (next.done) return false;
      if (innerDeepEqual(a[next.value], b[i], kPartial, memos)) break;
    }
  }
  return true;
}

// The indices of the elements `array` holds, in order. After the first
// hole they come from the keys, so a huge sparse array is not walked.
function* heldIndices(array) {
  for (let i = 0; i < array.length; i++) {
    if (hasOwn(array, i)) {
      yield i;
      continue;
    }
    for (const key of Object.keys(array)) {
      if (isIndex(key) && Number(key) > i) yield Number(key);
    }
    return;
  }
}

// Finds and removes an element of `candidates` deep-equal to `value`.
function takeEqual(candidates, value, mode, memos) {
  for (const candidate of candidates) {
    if (innerDeepEqual(candidate, value, mode, memos)) {
      candidates.delete(candidate);
      return true;
    }
  }
  return false;
}

// Loosely, a primitive may equal an object or a primitive of another type
// only by `==`; such values fall back to the pairwise search.
function setEquiv(a, b, mode, memos) {
  if (mode === kPartial) {
    let objectsA = null;
    for (const value of b) {
      if (isObjectLike(value)) {
        objectsA ??= new Set([...a].filter(isObjectLike));
        if (!takeEqual(objectsA, value, mode, memos)) return false;
      } else if (!a.has(value)) {
        return false;
      }
    }
    return true;
  }
  let unmatched = null;
  for (const value of a) {
    if (isObjectLike(value) || !b.has(value)) {
      if (!isObjectLike(value) && mode !== kLoose) return false;
      (unmatched ??= new Set()).add(value);
    }
  }
  if (unmatched === null) return true;
  for (const value of b) {
    if (isObjectLike(value) || (mode === kLoose && !a.has(value))) {
      if (!takeEqual(unmatched, value, mode, memos)) return false;
    }
  }
  return unmatched.size === 0;
}

function takeEqualEntry(candidates, map, key, item, mode, memos) {
  for (const candidate of candidates) {
    if (innerDeepEqual(candidate, key, mode, memos) && innerDeepEqual(map.get(candidate), item, mode, memos)) {
      candidates.delete(candidate);
      return true;
    }
  }
  return false;
}

function mapEquiv(a, b, mode, memos) {
  if (mode === kPartial) {
    let objectKeysA = null;
    for (const [key, item] of b) {
      if (isObjectLike(key)) {
        objectKeysA ??= new Set([...a.keys()].filter(isObjectLike));
        if (!takeEqualEntry(objectKeysA, a, key, item, mode, memos)) return false;
      } else if (!a.has(key) || !innerDeepEqual(a.get(key), item, mode, memos)) {
        return false;
      }
    }
    return true;
  }
  let unmatched = null;
  for (const [key, item] of a) {
    if (isObjectLike(key)) {
      (unmatched ??= new Set()).add(key);
    } else if (!b.has(key) || !innerDeepEqual(item, b.get(key), mode, memos)) {
      if (mode !== kLoose) return false;
      (unmatched ??= new Set()).add(key);
    }
  }
  if (unmatched === null) return true;
  for (const [key, item] of b) {
    if (isObjectLike(key) || (mode === kLoose && (!a.has(key) || !innerDeepEqual(a.get(key), item, mode, memos)))) {
      if (!takeEqualEntry(unmatched, a, key, item, mode, memos)) return false;
    }
  }
  return unmatched.size === 0;
}

module.exports = { isDeepEqual, isDeepStrictEqual, isPartialStrictEqual };
