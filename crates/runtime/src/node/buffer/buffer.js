// lode:module buffer
// Buffer: a Uint8Array subclass with Node's API. Byte work (encodings,
// comparison, search, fill) is native; number reads and writes use a
// DataView over the same memory.

const native = binding('buffer');
const {
  codes: { ERR_INVALID_ARG_TYPE, ERR_INVALID_ARG_VALUE, ERR_INVALID_STATE, ERR_MEMORY_ALLOCATION_FAILED, ERR_OUT_OF_RANGE, ERR_UNKNOWN_ENCODING, ERR_STRING_TOO_LONG },
} = require('internal/errors');
const { validateNumber, validateInteger } = require('internal/validators');
// Brand checks: an ArrayBuffer from another realm (node:vm) is one too.
const { isAnyArrayBuffer } = require('util/types');

const kMaxLength = 2 ** 53 - 1;
const kStringMaxLength = 2 ** 29 - 24;
let inspectMaxBytes = 50;
const customInspect = Symbol.for('nodejs.util.inspect.custom');

// Encoding names to the ids the native side uses.
// No prototype: `encodingIds[name]` must not find `toString` or `constructor`.
const encodingIds = {
  __proto__: null,
  utf8: 0, 'utf-8': 0, ucs2: 1, 'ucs-2': 1, utf16le: 1, 'utf-16le': 1, latin1: 2, binary: 2,
  ascii: 3, base64: 4, base64url: 5, hex: 6,
};
const kUtf16 = 1;

function encodingId(encoding) {
  if (encoding === undefined || encoding === null || encoding === 'utf8' || encoding === 'utf-8') return 0;
  // Spelled as listed (the usual case): no lower-casing.
  const exact = typeof encoding === 'string' ? encodingIds[encoding] : undefined;
  if (exact !== undefined) return exact;
  const id = encodingIdOrUndefined(encoding);
  if (id === undefined) throw new ERR_UNKNOWN_ENCODING(encoding);
  return id;
}

function encodingIdOrUndefined(encoding) {
  return encodingIds[`${encoding}`.toLowerCase()];
}

class FastBuffer extends Uint8Array {}
native.setBufferPrototype(FastBuffer.prototype);

// DEP0005: calling Buffer() itself is deprecated; warned once, and only
// for calls from outside node_modules (as Node, judged by the first frame
// outside Lode's own code; after 10,000 checks it stops looking).
const kBufferWarning = 'Buffer() is deprecated due to security and usability issues. Please use the ' +
  'Buffer.alloc(), Buffer.allocUnsafe(), or Buffer.from() methods instead.';
let bufferWarned = false;
let bufferChecks = 0;
function warnBufferConstructor() {
  if (bufferWarned || ++bufferChecks > 10000 || calledFromNodeModules()) return;
  bufferWarned = true;
  process.emitWarning(kBufferWarning, 'DeprecationWarning', 'DEP0005');
}

function calledFromNodeModules() {
  // The engine's own stack text: a program's prepareStackTrace (which may
  // itself call Buffer()) is not consulted.
  const prepare = Error.prepareStackTrace;
  Error.prepareStackTrace = undefined;
  let stack;
  try {
    stack = new Error().stack;
  } finally {
    Error.prepareStackTrace = prepare;
  }
  for (const line of `${stack}`.split('\n').slice(1)) {
    const match = /\(?([^()\s]+):\d+:\d+\)?$/.exec(line);
    if (match === null || match[1].startsWith('node:')) continue;
    return /[\\/]node_modules[\\/]/.test(match[1]);
  }
  return false;
}

function Buffer(arg, encodingOrOffset, length) {
  warnBufferConstructor();
  if (typeof arg === 'number') {
    if (typeof encodingOrOffset === 'string') throw new ERR_INVALID_ARG_TYPE('string', 'string', arg);
    return Buffer.alloc(arg);
  }
  return Buffer.from(arg, encodingOrOffset, length);
}
Buffer.prototype = FastBuffer.prototype;
Object.defineProperty(FastBuffer.prototype, 'constructor', { value: Buffer, writable: true, configurable: true });
Object.setPrototypeOf(Buffer, Uint8Array);
// Uint8Array methods that make a new array (map, filter...) build a
// FastBuffer, not call the deprecated Buffer(), as in Node.
Object.defineProperty(Buffer, Symbol.species, { get() { return FastBuffer; }, enumerable: false, configurable: true });
Buffer.poolSize = 8 * 1024;

function wrap(bytes) {
  return new FastBuffer(bytes.buffer, bytes.byteOffset, bytes.length);
}

function assertSize(size) {
  validateNumber(size, 'size', 0, kMaxLength);
}

// kMaxLength is Node's; QuickJS's own limit on one ArrayBuffer is lower,
// and a size past it is reported as the allocation failure it is.
const kEngineMaxLength = 2 ** 31 - 1;
function allocate(size) {
  if (size > kEngineMaxLength) throw new ERR_MEMORY_ALLOCATION_FAILED();
  return new FastBuffer(size);
}

Buffer.alloc = function alloc(size, fill, encoding) {
  assertSize(size);
  const buf = allocate(size);
  if (fill !== undefined && fill !== 0 && size > 0) buf.fill(fill, 0, buf.length, encoding);
  return buf;
};
Buffer.allocUnsafe = function allocUnsafe(size) {
  assertSize(size);
  return allocate(size);
};
Buffer.allocUnsafeSlow = Buffer.allocUnsafe;

function fromString(string, encoding) {
  // As Node: an encoding that is not a non-empty string means utf8.
  return native.fromString(string, typeof encoding === 'string' && encoding.length > 0 ? encodingId(encoding) : 0);
}

function fromArrayLike(obj) {
  const length = obj.length >>> 0;
  const buf = new FastBuffer(length);
  for (let i = 0; i < length; i++) buf[i] = obj[i];
  return buf;
}

Buffer.from = function from(value, encodingOrOffset, length) {
  if (typeof value === 'string') return fromString(value, encodingOrOffset);
  if (typeof value === 'object' && value !== null) {
    if (isAnyArrayBuffer(value)) {
      const byteOffset = encodingOrOffset === undefined ? 0 : +encodingOrOffset || 0;
      if (byteOffset > value.byteLength) throw new ERR_BUFFER_OUT_OF_BOUNDS('offset');
      const maxLength = value.byteLength - byteOffset;
      // Without a length the view tracks a resizable buffer's size.
      if (length === undefined) return new FastBuffer(value, byteOffset);
      const len = +length || 0;
      if (len > maxLength) throw new ERR_BUFFER_OUT_OF_BOUNDS('length');
      return new FastBuffer(value, byteOffset, len);
    }
    const primitive = value.valueOf?.();
    if (primitive != null && primitive !== value && (typeof primitive === 'string' || typeof primitive === 'object')) {
      return Buffer.from(primitive, encodingOrOffset, length);
    }
    if (ArrayBuffer.isView(value)) {
      const bytes = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
      return value instanceof Uint8Array ? wrap(bytes.slice()) : fromArrayLike(value);
    }
    if (value.length !== undefined || isAnyArrayBuffer(value.buffer)) {
      // As Node: an object with a buffer but no numeric length is empty.
      return typeof value.length === 'number' ? fromArrayLike(value) : new FastBuffer(0);
    }
    if (value.type === 'Buffer' && Array.isArray(value.data)) return fromArrayLike(value.data);
    if (typeof value[Symbol.toPrimitive] === 'function') {
      const p = value[Symbol.toPrimitive]('string');
      if (typeof p === 'string') return fromString(p, encodingOrOffset);
    }
  }
  throw new ERR_INVALID_ARG_TYPE('first argument', ['string', 'Buffer', 'ArrayBuffer', 'Array', 'Array-like Object'], value);
};

Buffer.of = function of(...items) {
  return fromArrayLike(items);
};

Buffer.copyBytesFrom = function copyBytesFrom(view, offset, length) {
  if (!ArrayBuffer.isView(view) || view instanceof DataView) throw new ERR_INVALID_ARG_TYPE('view', 'TypedArray', view);
  if (offset !== undefined) validateInteger(offset, 'offset', 0);
  if (length !== undefined) validateInteger(length, 'length', 0);
  const start = offset ?? 0;
  if (start >= view.length) return new FastBuffer(0);
  const end = length === undefined ? view.length : Math.min(view.length, start + length);
  const slice = view.subarray(start, end);
  return wrap(new Uint8Array(slice.buffer, slice.byteOffset, slice.byteLength).slice());
};

Buffer.isBuffer = function isBuffer(b) {
  return b instanceof Buffer;
};

Buffer.isEncoding = function isEncoding(encoding) {
  return typeof encoding === 'string' && encoding.length !== 0 && encodingIds[encoding.toLowerCase()] !== undefined;
};

Buffer.byteLength = function byteLength(string, encoding) {
  if (typeof string !== 'string') {
    if (ArrayBuffer.isView(string) || isAnyArrayBuffer(string)) {
      return string.byteLength;
    }
    throw new ERR_INVALID_ARG_TYPE('string', ['string', 'Buffer', 'ArrayBuffer'], string);
  }
  const id = encodingIds[`${encoding}`.toLowerCase()] ?? 0;
  return native.byteLength(string, id);
};

Buffer.compare = function compare(a, b) {
  if (!(a instanceof Uint8Array)) throw new ERR_INVALID_ARG_TYPE('buf1', ['Buffer', 'Uint8Array'], a);
  if (!(b instanceof Uint8Array)) throw new ERR_INVALID_ARG_TYPE('buf2', ['Buffer', 'Uint8Array'], b);
  return native.compare(a, b);
};

Buffer.concat = function concat(list, totalLength) {
  if (!Array.isArray(list)) throw new ERR_INVALID_ARG_TYPE('list', 'Array', list);
  if (list.length === 0) return new FastBuffer(0);
  if (totalLength === undefined) {
    totalLength = 0;
    for (let i = 0; i < list.length; i++) {
      if (!(list[i] instanceof Uint8Array)) throw new ERR_INVALID_ARG_TYPE(`list[${i}]`, ['Buffer', 'Uint8Array'], list[i]);
      totalLength += list[i].byteLength;
    }
  } else {
    validateInteger(totalLength, 'length', 0);
  }
  const buffer = Buffer.allocUnsafe(totalLength);
  let pos = 0;
  for (let i = 0; i < list.length && pos < totalLength; i++) {
    const item = list[i];
    if (!(item instanceof Uint8Array)) throw new ERR_INVALID_ARG_TYPE(`list[${i}]`, ['Buffer', 'Uint8Array'], item);
    // byteLength, not a (possibly redefined) length property.
    const bytes = new Uint8Array(item.buffer, item.byteOffset, Math.min(item.byteLength, totalLength - pos));
    buffer.set(bytes, pos);
    pos += bytes.length;
  }
  if (pos < totalLength) buffer.fill(0, pos, totalLength);
  return buffer;
};

function ERR_BUFFER_OUT_OF_BOUNDS(name) {
  const err = new RangeError(name ? `"${name}" is outside of buffer bounds` : 'Attempt to access memory outside buffer bounds');
  err.code = 'ERR_BUFFER_OUT_OF_BOUNDS';
  return err;
}

function utf16Decode(bytes) {
  let out = '';
  const chunk = 8192;
  for (let i = 0; i + 1 < bytes.length; i += chunk * 2) {
    const end = Math.min(bytes.length - (bytes.length & 1), i + chunk * 2);
    const units = [];
    for (let j = i; j < end; j += 2) units.push(bytes[j] | (bytes[j + 1] << 8));
    out += String.fromCharCode(...units);
  }
  return out;
}

const proto = Buffer.prototype;

// Node's limit is V8's longest string; Lode keeps it so behaviour matches.
// No encoding yields more than two characters a byte, so only inputs over
// half the limit are checked (the check costs ~20 % on small buffers).
const kHalfStringMaxLength = kStringMaxLength / 2;
function decodeChecked(string) {
  if (string.length > kStringMaxLength) throw new ERR_STRING_TOO_LONG();
  return string;
}

proto.toString = function toString(encoding, start, end) {
  // (Not `arguments.length`: QuickJS builds an arguments object for it.)
  if (encoding === undefined && start === undefined && end === undefined) {
    const length = this.length;
    if (length > kHalfStringMaxLength) return decodeChecked(native.toString(this, 0, 0, length));
    return native.toString(this, 0, 0, length);
  }
  const len = this.length;
  if (start === undefined || start <= 0) start = 0;
  else if (start >= len) return '';
  else start = Math.trunc(start) || 0;
  if (end === undefined || end > len) end = len;
  else end = Math.trunc(end) || 0;
  if (end <= start) return '';
  // Only an absent encoding means utf8 here; null is an unknown one.
  if (encoding === null) throw new ERR_UNKNOWN_ENCODING(encoding);
  const id = encodingId(encoding);
  if (end - start > kHalfStringMaxLength) {
    return decodeChecked(id === kUtf16 ? utf16Decode(this.subarray(start, end)) : native.toString(this, id, start, end));
  }
  if (id === kUtf16) return utf16Decode(this.subarray(start, end));
  return native.toString(this, id, start, end);
};
proto.toLocaleString = proto.toString;

// Node's per-encoding methods (utf8Slice, hexWrite...): the same work as
// toString/write with a fixed encoding, bounds checked rather than clamped.
for (const encoding of ['ascii', 'base64', 'base64url', 'latin1', 'hex', 'ucs2', 'utf8']) {
  proto[`${encoding}Slice`] = function (start = 0, end = this.length) {
    if (start < 0 || end > this.length || start > this.length) throw new ERR_OUT_OF_RANGE('index', `>= 0 and <= ${this.length}`, start < 0 ? start : end);
    return end <= start ? '' : proto.toString.call(this, encoding, start, end);
  };
  proto[`${encoding}Write`] = function (string, offset = 0, length = this.length - offset) {
    if (typeof string !== 'string') throw new ERR_INVALID_ARG_TYPE('argument', 'string', string);
    if (offset < 0 || offset > this.length) throw new ERR_BUFFER_OUT_OF_BOUNDS('offset');
    return proto.write.call(this, string, offset, Math.min(length, this.length - offset), encoding);
  };
}

proto.write = function write(string, offset, length, encoding) {
  if (typeof string !== 'string') throw new ERR_INVALID_ARG_TYPE('argument', 'string', string);
  if (offset === undefined) return native.write(this, string, 0, this.length, 0);
  if (length === undefined && typeof offset === 'string') return native.write(this, string, 0, this.length, encodingId(offset));
  validateInteger(offset, 'offset', 0, this.length);
  const remaining = this.length - offset;
  if (length === undefined) length = remaining;
  else if (typeof length === 'string') {
    encoding = length;
    length = remaining;
  } else {
    validateInteger(length, 'length', 0, this.length);
    if (length > remaining) length = remaining;
  }
  return native.write(this, string, offset, length, encodingId(encoding));
};

proto.toJSON = function toJSON() {
  return { type: 'Buffer', data: Array.from(this) };
};

proto.equals = function equals(other) {
  if (!(other instanceof Uint8Array)) throw new ERR_INVALID_ARG_TYPE('otherBuffer', ['Buffer', 'Uint8Array'], other);
  if (this === other) return true;
  return this.length === other.length && native.compare(this, other) === 0;
};

proto.compare = function compare(target, targetStart = 0, targetEnd = target?.length, sourceStart = 0, sourceEnd = this.length) {
  if (!(target instanceof Uint8Array)) throw new ERR_INVALID_ARG_TYPE('target', ['Buffer', 'Uint8Array'], target);
  validateInteger(targetStart, 'targetStart', 0);
  validateInteger(targetEnd, 'targetEnd', 0, target.length);
  validateInteger(sourceStart, 'sourceStart', 0);
  validateInteger(sourceEnd, 'sourceEnd', 0, this.length);
  if (sourceStart >= sourceEnd) return targetStart >= targetEnd ? 0 : -1;
  if (targetStart >= targetEnd) return 1;
  return native.compare(this.subarray(sourceStart, sourceEnd), target.subarray(targetStart, targetEnd));
};

proto.copy = function copy(target, targetStart = 0, sourceStart = 0, sourceEnd = this.length) {
  if (!ArrayBuffer.isView(target)) throw new ERR_INVALID_ARG_TYPE('target', ['Buffer', 'Uint8Array'], target);
  if (!(target instanceof Uint8Array)) target = new Uint8Array(target.buffer, target.byteOffset, target.byteLength);
  targetStart = Math.trunc(targetStart) || 0;
  sourceStart = Math.trunc(sourceStart) || 0;
  sourceEnd = sourceEnd === undefined ? this.length : Math.trunc(sourceEnd) || 0;
  if (targetStart < 0) throw new ERR_OUT_OF_RANGE('targetStart', '>= 0', targetStart);
  if (sourceStart < 0 || sourceStart > this.length) throw new ERR_OUT_OF_RANGE('sourceStart', `>= 0 && <= ${this.length}`, sourceStart);
  if (sourceEnd < 0) throw new ERR_OUT_OF_RANGE('sourceEnd', '>= 0', sourceEnd);
  if (sourceEnd > this.length) sourceEnd = this.length;
  if (targetStart >= target.length || sourceStart >= sourceEnd) return 0;
  const count = Math.min(sourceEnd - sourceStart, target.length - targetStart);
  target.set(this.subarray(sourceStart, sourceStart + count), targetStart);
  return count;
};

function adjustOffset(offset, length) {
  offset = Math.trunc(offset);
  if (offset === 0 || Number.isNaN(offset)) return 0;
  if (offset < 0) return Math.max(0, offset + length);
  return Math.min(offset, length);
}

// Node's slice shares memory with the original, like subarray.
proto.subarray = function subarray(start, end) {
  const len = this.length;
  // In-range integers (the usual case) need no adjusting.
  if (start === undefined) start = 0;
  else if (!(start >= 0 && start <= len && start === (start | 0))) start = adjustOffset(start, len);
  if (end === undefined) end = len;
  else if (!(end >= 0 && end <= len && end === (end | 0))) end = adjustOffset(end, len);
  return new FastBuffer(this.buffer, this.byteOffset + start, end > start ? end - start : 0);
};

// Through `this.subarray`, as Node: called on a plain Uint8Array it makes
// a Uint8Array.
proto.slice = function slice(start, end) {
  return this.subarray(start, end);
};

proto.fill = function fill(value, offset, end, encoding) {
  if (typeof offset === 'string') {
    encoding = offset;
    offset = 0;
    end = this.length;
  } else if (typeof end === 'string') {
    encoding = end;
    end = this.length;
  }
  offset = offset === undefined ? 0 : offset;
  end = end === undefined ? this.length : end;
  validateInteger(offset, 'offset', 0);
  validateInteger(end, 'end', 0, this.length);
  if (offset >= end) return this;
  let pattern;
  if (typeof value === 'number') {
    Uint8Array.prototype.fill.call(this, value & 255, offset, end);
    return this;
  } else if (typeof value === 'boolean') {
    Uint8Array.prototype.fill.call(this, +value, offset, end);
    return this;
  } else if (typeof value === 'string') {
    if (value.length === 0) {
      Uint8Array.prototype.fill.call(this, 0, offset, end);
      return this;
    }
    pattern = native.fromString(value, encodingId(encoding));
    if (pattern.length === 0) throw new ERR_INVALID_ARG_VALUE('value', value);
  } else if (value instanceof Uint8Array) {
    pattern = value;
  } else if (ArrayBuffer.isView(value)) {
    pattern = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  } else {
    Uint8Array.prototype.fill.call(this, Number(value) & 255, offset, end);
    return this;
  }
  native.fill(this, pattern, offset, end);
  return this;
};

function searchValue(buffer, value, byteOffset, encoding, forward) {
  if (!ArrayBuffer.isView(buffer)) throw new ERR_INVALID_ARG_TYPE('buffer', ['Buffer', 'TypedArray', 'DataView'], buffer);
  if (typeof byteOffset === 'string') {
    encoding = byteOffset;
    byteOffset = undefined;
  }
  else if (byteOffset > 0x7fffffff) byteOffset = 0x7fffffff;
  else if (byteOffset < -0x80000000) byteOffset = -0x80000000;
  // As Node: null and [] are 0; undefined, 'foo' and {} search everything.
  byteOffset = +byteOffset;
  if (Number.isNaN(byteOffset)) byteOffset = forward ? 0 : buffer.length;
  // A number is searched as a byte; the encoding does not matter then. As
  // Node, only a string needs a known one (a buffer falls back to utf8).
  let id = 0;
  if (typeof value === 'string') id = encodingId(encoding);
  else if (typeof value !== 'number' && encoding !== undefined) id = encodingIdOrUndefined(encoding) ?? 0;
  if (typeof value === 'number') value = new Uint8Array([value & 255]);
  else if (typeof value === 'string') value = native.fromString(value, id);
  else if (!(value instanceof Uint8Array)) {
    throw new ERR_INVALID_ARG_TYPE('value', ['number', 'string', 'Buffer', 'Uint8Array'], value);
  }
  if (value.length === 0) {
    if (byteOffset < 0) byteOffset = Math.max(0, buffer.length + byteOffset);
    return Math.min(byteOffset, buffer.length);
  }
  // Where the search starts, as Node's IndexOfOffset: a negative offset
  // counts from the end; one before the start searches everything forward
  // and nothing backward; one past the end finds nothing forward and
  // searches everything backward.
  const len = buffer.length;
  const offset = Math.trunc(byteOffset);
  let start;
  if (offset < 0) start = offset + len >= 0 ? len + offset : forward ? 0 : -1;
  else start = offset + value.length <= len ? offset : forward ? -1 : len - 1;
  if (start < 0) return -1;
  if (id === kUtf16) return searchUtf16(buffer, value, start, forward);
  return native.indexOf(buffer, value, start, forward);
}

// As Node for UTF-16: whole code units only, so matches start on even
// offsets and neither side may be shorter than one unit.
function searchUtf16(buffer, value, byteOffset, forward) {
  // (`byteOffset` is already where the search starts, not negative.)
  const units = buffer.length >>> 1;
  const needle = value.length & ~1;
  if (units === 0 || needle === 0) return -1;
  const haystack = buffer.subarray(0, units * 2);
  const target = needle === value.length ? value : value.subarray(0, needle);
  let from = Math.min(Math.trunc(byteOffset / 2) * 2, haystack.length);
  for (;;) {
    const at = native.indexOf(haystack, target, from, forward);
    if (at === -1 || at % 2 === 0) return at;
    from = forward ? at + 1 : at - 1;
    if (from < 0) return -1;
  }
}

proto.indexOf = function indexOf(value, byteOffset, encoding) {
  return searchValue(this, value, byteOffset, encoding, true);
};
proto.lastIndexOf = function lastIndexOf(value, byteOffset, encoding) {
  return searchValue(this, value, byteOffset, encoding, false);
};
proto.includes = function includes(value, byteOffset, encoding) {
  return searchValue(this, value, byteOffset, encoding, true) !== -1;
};

function swap(buffer, size) {
  if (buffer.length % size !== 0) {
    const err = new RangeError(`Buffer size must be a multiple of ${size * 8}-bits`);
    err.code = 'ERR_INVALID_BUFFER_SIZE';
    throw err;
  }
  for (let i = 0; i < buffer.length; i += size) {
    for (let a = i, b = i + size - 1; a < b; a++, b--) {
      const t = buffer[a];
      buffer[a] = buffer[b];
      buffer[b] = t;
    }
  }
  return buffer;
}
proto.swap16 = function swap16() { return swap(this, 2); };
proto.swap32 = function swap32() { return swap(this, 4); };
proto.swap64 = function swap64() { return swap(this, 8); };

// Number reads and writes through a DataView cached per buffer.
const views = new WeakMap();
function dataView(buffer) {
  let dv = views.get(buffer);
  if (dv === undefined) {
    dv = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    views.set(buffer, dv);
  }
  return dv;
}

// Buffer's own integer check (Math.floor, so Infinity is out of range
// rather than "not an integer"), as Node's buffer module does it.
function checkInteger(value, name) {
  if (typeof value !== 'number') throw new ERR_INVALID_ARG_TYPE(name, 'number', value);
  if (Math.floor(value) !== value) throw new ERR_OUT_OF_RANGE(name, 'an integer', value);
}

function checkOffset(buffer, offset, byteLength) {
  if (offset === undefined) offset = 0;
  checkInteger(offset, 'offset');
  const last = buffer.length - byteLength;
  if (last < 0) throw ERR_BUFFER_OUT_OF_BOUNDS();
  if (offset < 0 || offset > last) throw new ERR_OUT_OF_RANGE('offset', `>= 0 and <= ${last}`, offset);
  return offset;
}

function checkValue(value, min, max, byteLength, big) {
  if (typeof value !== (big ? 'bigint' : 'number')) {
    throw new ERR_INVALID_ARG_TYPE('value', big ? 'bigint' : 'number', value);
  }
  if (value > max || value < min) {
    const n = big ? 'n' : '';
    let range;
    if (byteLength > 4 || big) {
      range = min === 0 || min === 0n
        ? `>= 0${n} and < 2${n} ** ${byteLength * 8}${n}`
        : `>= -(2${n} ** ${byteLength * 8 - 1}${n}) and < 2${n} ** ${byteLength * 8 - 1}${n}`;
    } else {
      range = `>= ${min} and <= ${max}`;
    }
    throw new ERR_OUT_OF_RANGE('value', range, value);
  }
}

const accessors = [
  ['UInt8', 1, 'Uint8', 0, 255], ['Int8', 1, 'Int8', -128, 127],
  ['UInt16', 2, 'Uint16', 0, 0xffff], ['Int16', 2, 'Int16', -0x8000, 0x7fff],
  ['UInt32', 4, 'Uint32', 0, 0xffffffff], ['Int32', 4, 'Int32', -0x80000000, 0x7fffffff],
  ['Float', 4, 'Float32'], ['Double', 8, 'Float64'],
  ['BigUInt64', 8, 'BigUint64', 0n, 2n ** 64n - 1n], ['BigInt64', 8, 'BigInt64', -(2n ** 63n), 2n ** 63n - 1n],
];
for (const [name, size, view, min, max] of accessors) {
  const endians = size === 1 ? [['', true]] : [['LE', true], ['BE', false]];
  const big = name.startsWith('Big');
  for (const [suffix, little] of endians) {
    const read = `read${name}${suffix}`;
    const write = `write${name}${suffix}`;
    proto[read] = { [read](offset = 0) {
      offset = checkOffset(this, offset, size);
      return dataView(this)[`get${view}`](offset, little);
    } }[read];
    proto[write] = { [write](value, offset = 0) {
      if (min !== undefined) checkValue(value, min, max, size, big);
      else if (typeof value !== 'number') value = +value;
      offset = checkOffset(this, offset, size);
      dataView(this)[`set${view}`](offset, value, little);
      return offset + size;
    } }[write];
    if (name.includes('UInt')) {
      const alias = name.replace('UInt', 'Uint');
      proto[`read${alias}${suffix}`] = proto[read];
      proto[`write${alias}${suffix}`] = proto[write];
    }
  }
}

// Variable-width integers (1 to 6 bytes). Unlike the fixed-width methods,
// their offset has no default.
function checkByteLength(byteLength, offset) {
  if (offset === undefined) throw new ERR_INVALID_ARG_TYPE('offset', 'number', offset);
  checkInteger(byteLength, 'byteLength');
  if (byteLength < 1 || byteLength > 6) throw new ERR_OUT_OF_RANGE('byteLength', '>= 1 and <= 6', byteLength);
}
function readUIntBytes(buffer, offset, byteLength, little) {
  let value = 0;
  for (let i = 0; i < byteLength; i++) {
    const byte = buffer[offset + (little ? i : byteLength - 1 - i)];
    value += byte * 2 ** (8 * i);
  }
  return value;
}
proto.readUIntLE = function readUIntLE(offset, byteLength) {
  checkByteLength(byteLength, offset);
  return readUIntBytes(this, checkOffset(this, offset, byteLength), byteLength, true);
};
proto.readUIntBE = function readUIntBE(offset, byteLength) {
  checkByteLength(byteLength, offset);
  return readUIntBytes(this, checkOffset(this, offset, byteLength), byteLength, false);
};
proto.readIntLE = function readIntLE(offset, byteLength) {
  const value = proto.readUIntLE.call(this, offset, byteLength);
  const limit = 2 ** (8 * byteLength - 1);
  return value >= limit ? value - limit * 2 : value;
};
proto.readIntBE = function readIntBE(offset, byteLength) {
  const value = proto.readUIntBE.call(this, offset, byteLength);
  const limit = 2 ** (8 * byteLength - 1);
  return value >= limit ? value - limit * 2 : value;
};
function writeBytes(buffer, value, offset, byteLength, little, signed) {
  checkByteLength(byteLength, offset);
  const limit = 2 ** (8 * byteLength - (signed ? 1 : 0));
  checkValue(value, signed ? -limit : 0, limit - 1, byteLength, false);
  offset = checkOffset(buffer, offset, byteLength);
  let v = value < 0 ? value + 2 ** (8 * byteLength) : value;
  for (let i = 0; i < byteLength; i++) {
    buffer[offset + (little ? i : byteLength - 1 - i)] = v % 256;
    v = Math.floor(v / 256);
  }
  return offset + byteLength;
}
proto.writeUIntLE = function writeUIntLE(value, offset, byteLength) { return writeBytes(this, value, offset, byteLength, true, false); };
proto.writeUIntBE = function writeUIntBE(value, offset, byteLength) { return writeBytes(this, value, offset, byteLength, false, false); };
proto.writeIntLE = function writeIntLE(value, offset, byteLength) { return writeBytes(this, value, offset, byteLength, true, true); };
proto.writeIntBE = function writeIntBE(value, offset, byteLength) { return writeBytes(this, value, offset, byteLength, false, true); };
proto.readUintLE = proto.readUIntLE;
proto.readUintBE = proto.readUIntBE;
proto.writeUintLE = proto.writeUIntLE;
proto.writeUintBE = proto.writeUIntBE;

// Read on something that is not a buffer (Buffer.prototype itself), these
// are undefined rather than a TypeError, as in Node.
Object.defineProperty(proto, 'parent', {
  get() { return ArrayBuffer.isView(this) ? this.buffer : undefined; }, enumerable: true, configurable: true,
});
Object.defineProperty(proto, 'offset', {
  get() { return ArrayBuffer.isView(this) ? this.byteOffset : undefined; }, enumerable: true, configurable: true,
});

proto[customInspect] = function inspect(recurseTimes, ctx) {
  const max = inspectMaxBytes;
  const shown = Math.min(max, this.length);
  let str = '';
  for (let i = 0; i < shown; i++) str += `${i === 0 ? '' : ' '}${this[i].toString(16).padStart(2, '0')}`;
  const remaining = this.length - max;
  if (remaining > 0) str += ` ... ${remaining} more byte${remaining > 1 ? 's' : ''}`;
  // Properties set on the buffer itself are shown too, as Node does.
  if (ctx) {
    const { inspect: utilInspect, getOwnNonIndexProperties } = require('internal/util/inspect');
    const keys = getOwnNonIndexProperties(this, ctx.showHidden);
    if (keys.length > 0) {
      const extras = { __proto__: null };
      for (const key of keys) extras[key] = this[key];
      if (this.length !== 0) str += ', ';
      // Without the '[Object: null prototype] { ' prefix and ' }' suffix.
      str += utilInspect(extras, { ...ctx, breakLength: Infinity, compact: true }).slice(27, -2);
    }
  }
  return `<${this.constructor.name} ${str}>`;
};
proto.inspect = proto[customInspect];


// The bytes isUtf8/isAscii check; a detached buffer cannot be checked.
function bytesOf(input) {
  const buffer = isAnyArrayBuffer(input) ? input : ArrayBuffer.isView(input) ? input.buffer : undefined;
  if (buffer === undefined) throw new ERR_INVALID_ARG_TYPE('input', ['ArrayBuffer', 'Buffer', 'TypedArray'], input);
  if (buffer.detached) throw new ERR_INVALID_STATE('Cannot validate on a detached buffer');
  return buffer === input ? new Uint8Array(input) : new Uint8Array(buffer, input.byteOffset, input.byteLength);
}

function isUtf8(input) {
  return native.isUtf8(bytesOf(input));
}

function isAscii(input) {
  return native.isAscii(bytesOf(input));
}

// Re-encodes `source` between the encodings ICU's converters cover in Node:
// characters the target cannot hold become '?'.
const transcodeTargets = ['utf8', 'ucs2', 'latin1', 'ascii'];
function transcode(source, fromEncoding, toEncoding) {
  if (!(source instanceof Uint8Array)) throw new ERR_INVALID_ARG_TYPE('source', ['Buffer', 'Uint8Array'], source);
  if (source.length === 0) return Buffer.alloc(0);
  const from = transcodeTargets[encodingIdOrUndefined(fromEncoding)];
  const to = transcodeTargets[encodingIdOrUndefined(toEncoding)];
  if (from === undefined || to === undefined) {
    const err = new Error('Unable to transcode Buffer [U_ILLEGAL_ARGUMENT_ERROR]');
    err.code = 'U_ILLEGAL_ARGUMENT_ERROR';
    err.errno = 1;
    throw err;
  }
  let text = wrap(source).toString(from);
  if (to === 'ascii') text = text.replace(/[^\x00-\x7f]/gu, '?');
  else if (to === 'latin1') text = text.replace(/[^\x00-\xff]/gu, '?');
  return Buffer.from(text, to);
}

module.exports = {
  Buffer,
  SlowBuffer: Buffer.allocUnsafeSlow,
  atob: globalThis.atob,
  btoa: globalThis.btoa,
  kMaxLength,
  kStringMaxLength,
  constants: { MAX_LENGTH: kMaxLength, MAX_STRING_LENGTH: kStringMaxLength },
  isUtf8,
  isAscii,
  get Blob() { return require('internal/web/blob').Blob; },
  get File() { return require('internal/web/blob').File; },
  transcode,
  resolveObjectURL(url) { return require('internal/web/blob').resolveObjectURL(url); },
};
Object.defineProperty(module.exports, 'INSPECT_MAX_BYTES', {
  enumerable: true,
  configurable: true,
  get() { return inspectMaxBytes; },
  set(value) {
    validateNumber(value, 'INSPECT_MAX_BYTES', 0);
    inspectMaxBytes = value;
  },
});
