// lode:module crypto
// `node:crypto`: hashes (createHash, hash), HMAC (createHmac), random
// bytes, UUIDs and integers, timingSafeEqual, and the web `crypto` global's
// getRandomValues/randomUUID. Digests run in Rust (crypto/mod.rs). Ciphers,
// key derivation, signatures and crypto.subtle's methods are not built yet,
// so they are absent (packages feature-detect them).

const { Buffer } = require('buffer');
const { Transform } = require('stream');
const native = binding('crypto');
const {
  codes: { ERR_INVALID_ARG_TYPE, ERR_OUT_OF_RANGE, ERR_INVALID_ARG_VALUE },
  notImplemented,
} = require('internal/errors');
const { validateFunction, validateString, validateInteger, validateObject } = require('internal/validators');
const { isArrayBufferView, isAnyArrayBuffer } = require('util/types');

class CryptoError extends Error {
  constructor(code, message, Base = Error) {
    super(message);
    Object.setPrototypeOf(this, Base.prototype);
    if (code) this.code = code;
  }
}

// Abandoned hashes release their native state when collected.
const registry = new FinalizationRegistry((id) => native.hashFree(id));

function toBytes(data, encoding, name) {
  if (typeof data === 'string') {
    const enc = encoding ?? 'utf8';
    if (enc === 'hex' && data.length % 2 !== 0) {
      throw new ERR_INVALID_ARG_VALUE('encoding', encoding, `is invalid for data of length ${data.length}`);
    }
    return Buffer.from(data, enc);
  }
  if (isArrayBufferView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  throw new ERR_INVALID_ARG_TYPE(name, ['string', 'Buffer', 'TypedArray', 'DataView'], data);
}

function encodeDigest(bytes, encoding) {
  return encoding === undefined || encoding === 'buffer' ? bytes : bytes.toString(encoding);
}

const kId = Symbol('kId');

// Node's LazyTransform: a Hash is a Transform stream, but the stream state
// is only built when a stream method first touches it.
function lazyStreamState(proto) {
  for (const name of ['_readableState', '_writableState', '_transformState']) {
    Object.defineProperty(proto, name, {
      configurable: true,
      enumerable: true,
      get() {
        Transform.call(this);
        return this[name];
      },
      set(value) {
        Object.defineProperty(this, name, { value, enumerable: true, configurable: true, writable: true });
      },
    });
  }
  proto._transform = function _transform(chunk, encoding, callback) {
    this.update(chunk, encoding);
    callback();
  };
  proto._flush = function _flush(callback) {
    this.push(this.digest());
    callback();
  };
}

function Hash(algorithm, options) {
  if (!(this instanceof Hash)) return new Hash(algorithm, options);
  let id;
  if (typeof algorithm === 'number') {
    id = algorithm;
  } else {
    validateString(algorithm, 'algorithm');
    id = native.hashNew(algorithm);
    if (id < 0) throw new CryptoError(undefined, 'Digest method not supported');
  }
  if (options?.outputLength !== undefined) throw notImplemented('crypto.createHash({ outputLength })');
  this[kId] = id;
  this.finalized = false;
  registry.register(this, id, this);
}
Object.setPrototypeOf(Hash.prototype, Transform.prototype);
Object.setPrototypeOf(Hash, Transform);
lazyStreamState(Hash.prototype);

function finalizedError() {
  return new CryptoError('ERR_CRYPTO_HASH_FINALIZED', 'Digest already called');
}

Hash.prototype.update = function update(data, encoding) {
  if (this.finalized) throw finalizedError();
  native.hashUpdate(this[kId], toBytes(data, encoding, 'data'));
  return this;
};

Hash.prototype.digest = function digest(encoding) {
  if (this.finalized) throw finalizedError();
  this.finalized = true;
  registry.unregister(this);
  return encodeDigest(native.hashDigest(this[kId]), encoding);
};

Hash.prototype.copy = function copy(options) {
  if (this.finalized) throw finalizedError();
  return new Hash(native.hashCopy(this[kId]), options);
};

function Hmac(algorithm, key, options) {
  if (!(this instanceof Hmac)) return new Hmac(algorithm, key, options);
  validateString(algorithm, 'hmac');
  let keyBytes;
  if (typeof key === 'string') keyBytes = Buffer.from(key, options?.encoding ?? 'utf8');
  else if (isArrayBufferView(key)) keyBytes = new Uint8Array(key.buffer, key.byteOffset, key.byteLength);
  else if (isAnyArrayBuffer(key)) keyBytes = new Uint8Array(key);
  else {
    throw new ERR_INVALID_ARG_TYPE('key',
      ['string', 'ArrayBuffer', 'Buffer', 'TypedArray', 'DataView', 'KeyObject', 'CryptoKey'], key);
  }
  const id = native.hmacNew(algorithm, keyBytes);
  if (id < 0) throw new CryptoError('ERR_CRYPTO_INVALID_DIGEST', `Invalid digest: ${algorithm}`, TypeError);
  this[kId] = id;
  this.finalized = false;
  registry.register(this, id, this);
}
Object.setPrototypeOf(Hmac.prototype, Transform.prototype);
Object.setPrototypeOf(Hmac, Transform);
lazyStreamState(Hmac.prototype);
Hmac.prototype.update = Hash.prototype.update;

Hmac.prototype.digest = function digest(encoding) {
  // An Hmac digested twice gives an empty result, as Node's does.
  if (this.finalized) return encodeDigest(Buffer.alloc(0), encoding);
  this.finalized = true;
  registry.unregister(this);
  return encodeDigest(native.hashDigest(this[kId]), encoding);
};

function hash(algorithm, data, outputEncoding = 'hex') {
  validateString(algorithm, 'algorithm');
  if (typeof data !== 'string' && !isArrayBufferView(data)) {
    throw new ERR_INVALID_ARG_TYPE('data', ['Buffer', 'TypedArray', 'DataView', 'string'], data);
  }
  return new Hash(algorithm).update(data).digest(outputEncoding);
}

const kMaxLength = 2 ** 31 - 1;

function validateSize(size, name = 'size', max = kMaxLength) {
  if (typeof size !== 'number') throw new ERR_INVALID_ARG_TYPE(name, 'number', size);
  if (!(size >= 0 && size <= max)) throw new ERR_OUT_OF_RANGE(name, `>= 0 && <= ${max}`, size);
}

function fillView(view, offset, size) {
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  native.randomFill(bytes, offset, size);
  return view;
}

function randomBytes(size, callback) {
  validateSize(size);
  if (callback !== undefined) validateFunction(callback, 'callback');
  const buf = fillView(Buffer.allocUnsafe(size), 0, size);
  if (callback === undefined) return buf;
  // Node fills on its thread pool: the callback comes after this turn's
  // ticks and promises, from the event loop.
  setImmediate(callback, null, buf);
  return undefined;
}

function fillArguments(buf, offset, size) {
  if (!isArrayBufferView(buf) && !isAnyArrayBuffer(buf)) {
    throw new ERR_INVALID_ARG_TYPE('buf', ['ArrayBuffer', 'ArrayBufferView'], buf);
  }
  const view = isAnyArrayBuffer(buf) ? new Uint8Array(buf) : buf;
  const elementSize = view.BYTES_PER_ELEMENT || 1;
  const byteLength = view.byteLength;
  const start = offset * elementSize;
  validateInteger(offset, 'offset', 0);
  if (start > byteLength) throw new ERR_OUT_OF_RANGE('offset', `<= ${byteLength / elementSize}`, offset);
  const count = size === undefined ? byteLength - start : size * elementSize;
  if (size !== undefined) {
    validateSize(size);
    if (start + count > byteLength) throw new ERR_OUT_OF_RANGE('size + offset', `<= ${byteLength}`, size + offset);
  }
  return [view, start, count];
}

function randomFillSync(buf, offset = 0, size) {
  const [view, start, count] = fillArguments(buf, offset, size);
  fillView(view, start, count);
  return buf;
}

function randomFill(buf, offset, size, callback) {
  if (typeof offset === 'function') {
    callback = offset;
    offset = 0;
    size = undefined;
  } else if (typeof size === 'function') {
    callback = size;
    size = undefined;
  }
  validateFunction(callback, 'callback');
  const [view, start, count] = fillArguments(buf, offset, size);
  fillView(view, start, count);
  setImmediate(callback, null, buf);
}

function randomInt(min, max, callback) {
  if (max === undefined || typeof max === 'function') {
    callback = max;
    max = min;
    min = 0;
  }
  if (!Number.isSafeInteger(min)) throw new ERR_INVALID_ARG_TYPE('min', 'a safe integer', min);
  if (!Number.isSafeInteger(max)) throw new ERR_INVALID_ARG_TYPE('max', 'a safe integer', max);
  if (max <= min) {
    throw new ERR_OUT_OF_RANGE('max', `greater than the value of "min" (${min})`, max);
  }
  const range = max - min;
  if (!(range <= 2 ** 48 - 1)) throw new ERR_OUT_OF_RANGE('max - min', `<= ${2 ** 48 - 1}`, range);
  if (callback !== undefined) validateFunction(callback, 'callback');
  // Rejection sampling over 48 random bits keeps the result unbiased.
  const limit = 2 ** 48 - (2 ** 48 % range);
  let value;
  do {
    const bytes = randomBytes(6);
    value = bytes.readUIntBE(0, 6);
  } while (value >= limit);
  const result = min + (value % range);
  if (callback === undefined) return result;
  setImmediate(callback, null, result);
  return undefined;
}

function randomUUID(options) {
  if (options !== undefined) validateObject(options, 'options');
  const bytes = randomBytes(16);
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function timingSafeEqual(a, b) {
  if (!isArrayBufferView(a) && !isAnyArrayBuffer(a)) {
    throw new ERR_INVALID_ARG_TYPE('buf1', ['ArrayBuffer', 'Buffer', 'TypedArray', 'DataView'], a);
  }
  if (!isArrayBufferView(b) && !isAnyArrayBuffer(b)) {
    throw new ERR_INVALID_ARG_TYPE('buf2', ['ArrayBuffer', 'Buffer', 'TypedArray', 'DataView'], b);
  }
  const x = isAnyArrayBuffer(a) ? new Uint8Array(a) : new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const y = isAnyArrayBuffer(b) ? new Uint8Array(b) : new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  if (x.length !== y.length) {
    throw new CryptoError('ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH', 'Input buffers must have the same byte length', RangeError);
  }
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= x[i] ^ y[i];
  return diff === 0;
}

// The web Crypto object (globalThis.crypto and crypto.webcrypto).
function getRandomValues(array) {
  const integerArray = array instanceof Int8Array || array instanceof Uint8Array || array instanceof Uint8ClampedArray ||
    array instanceof Int16Array || array instanceof Uint16Array || array instanceof Int32Array ||
    array instanceof Uint32Array || array instanceof BigInt64Array || array instanceof BigUint64Array;
  if (!integerArray) {
    throw new DOMException('The data argument must be an integer-type TypedArray', 'TypeMismatchError');
  }
  if (array.byteLength > 65536) {
    throw new DOMException(
      `The ArrayBufferView's byte length (${array.byteLength}) exceeds the number of bytes of entropy available via this API (65536)`,
      'QuotaExceededError');
  }
  return fillView(array, 0, array.byteLength);
}

class Crypto {
  getRandomValues(array) {
    return getRandomValues(array);
  }

  randomUUID() {
    return randomUUID();
  }

  get subtle() {
    return subtle;
  }
}
Object.defineProperty(Crypto.prototype, Symbol.toStringTag, { value: 'Crypto', configurable: true });

// SubtleCrypto's methods are not built yet: the object exists, as in Node,
// with none of them.
const subtle = {};

const webcrypto = new Crypto();

function getHashes() {
  return native.hashNames();
}

module.exports = {
  createHash: (algorithm, options) => new Hash(algorithm, options),
  createHmac: (algorithm, key, options) => new Hmac(algorithm, key, options),
  hash,
  Hash,
  Hmac,
  getHashes,
  randomBytes,
  pseudoRandomBytes: randomBytes,
  prng: randomBytes,
  rng: randomBytes,
  randomFill,
  randomFillSync,
  randomInt,
  randomUUID,
  timingSafeEqual,
  getRandomValues,
  webcrypto,
  subtle,
  Crypto,
  constants: {},
};
