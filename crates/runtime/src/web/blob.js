// lode:module internal/web/blob
// Blob and File (the W3C File API, as Node exposes them on `node:buffer` and
// globally) and the `blob:nodedata:` object-URL registry behind
// URL.createObjectURL/revokeObjectURL and buffer.resolveObjectURL.
// A Blob holds one immutable byte array; slices share it.

const { codes: { ERR_INVALID_ARG_TYPE, ERR_INVALID_THIS, ERR_MISSING_ARGS } } = require('internal/errors');
const { inspect } = require('internal/util/inspect');

const kBytes = Symbol('kBytes');
// Set only while Blob#slice constructs the Blob that shares these bytes.
let sliceBytes;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

function isSequence(value) {
  return value !== null && typeof value === 'object' && typeof value[Symbol.iterator] === 'function';
}

function partBytes(part, endings) {
  if (typeof part === 'string') {
    return encoder.encode(endings === 'native' ? part.replace(/\r?\n/g, '\n') : part);
  }
  if (part instanceof Blob) return part[kBytes];
  if (part instanceof ArrayBuffer || (typeof SharedArrayBuffer === 'function' && part instanceof SharedArrayBuffer)) {
    return new Uint8Array(part.slice(0));
  }
  if (ArrayBuffer.isView(part)) return new Uint8Array(part.buffer.slice(part.byteOffset, part.byteOffset + part.byteLength));
  return encoder.encode(`${part}`);
}

// A type is kept, lowercased, only if every character is printable ASCII.
function normalizeType(type) {
  const text = `${type}`;
  return /^[\x20-\x7e]*$/.test(text) ? text.toLowerCase() : '';
}

function relativeIndex(value, size) {
  if (value === undefined) return undefined;
  const n = Math.trunc(Number(value)) || 0;
  return n < 0 ? Math.max(size + n, 0) : Math.min(n, size);
}

class Blob {
  #type = '';

  constructor(sources = [], options = undefined) {
    if (!isSequence(sources)) {
      // WebIDL's conversion error, with Node's code.
      const err = new TypeError('Value cannot be converted to sequence.');
      err.code = 'ERR_INVALID_ARG_TYPE';
      throw err;
    }
    if (options !== undefined && (options === null || typeof options !== 'object')) {
      throw new ERR_INVALID_ARG_TYPE('options', 'Object', options);
    }
    const { type = '', endings = 'transparent' } = options ?? {};
    if (endings !== 'transparent' && endings !== 'native') {
      throw new ERR_INVALID_ARG_TYPE('options.endings', "'transparent' or 'native'", endings);
    }
    if (sliceBytes !== undefined) {
      Object.defineProperty(this, kBytes, { value: sliceBytes });
      this.#type = normalizeType(type);
      return;
    }
    const parts = [];
    let length = 0;
    for (const part of sources) {
      const bytes = partBytes(part, endings);
      parts.push(bytes);
      length += bytes.byteLength;
    }
    const bytes = parts.length === 1 ? parts[0] : new Uint8Array(length);
    if (parts.length !== 1) {
      let offset = 0;
      for (const part of parts) {
        bytes.set(part, offset);
        offset += part.byteLength;
      }
    }
    Object.defineProperty(this, kBytes, { value: bytes });
    this.#type = normalizeType(type);
  }

  static #check(blob) {
    if (!(blob instanceof Blob)) throw new ERR_INVALID_THIS('Blob');
    return blob[kBytes];
  }

  get size() {
    return Blob.#check(this).byteLength;
  }

  get type() {
    Blob.#check(this);
    return this.#type;
  }

  slice(start = 0, end = undefined, contentType = '') {
    const bytes = Blob.#check(this);
    const from = relativeIndex(start, bytes.byteLength);
    const to = relativeIndex(end, bytes.byteLength) ?? bytes.byteLength;
    sliceBytes = bytes.subarray(from, Math.max(from, to));
    try {
      return new Blob([], { type: contentType });
    } finally {
      sliceBytes = undefined;
    }
  }

  arrayBuffer() {
    try {
      const bytes = Blob.#check(this);
      return Promise.resolve(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  bytes() {
    return this.arrayBuffer().then((buffer) => new Uint8Array(buffer));
  }

  text() {
    try {
      return Promise.resolve(decoder.decode(Blob.#check(this)));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  stream() {
    const bytes = Blob.#check(this);
    const { ReadableStream } = require('stream/web');
    return new ReadableStream({
      type: 'bytes',
      start(controller) {
        if (bytes.byteLength > 0) controller.enqueue(bytes.slice());
        controller.close();
      },
    });
  }

  [Symbol.for('nodejs.util.inspect.custom')](depth, options) {
    if (depth < 0) return this;
    return `${this.constructor.name} ${inspect({ size: this.size, type: this.type }, options)}`;
  }
}
Object.defineProperty(Blob.prototype, Symbol.toStringTag, { value: 'Blob', configurable: true });
for (const name of ['size', 'type', 'slice', 'arrayBuffer', 'bytes', 'text', 'stream']) {
  Object.defineProperty(Blob.prototype, name, { enumerable: true });
}

class File extends Blob {
  #name;
  #lastModified;

  constructor(fileBits, fileName, options = {}) {
    if (arguments.length < 2) throw new ERR_MISSING_ARGS('fileBits', 'fileName');
    super(fileBits, options);
    this.#name = `${fileName}`;
    const { lastModified } = options ?? {};
    this.#lastModified = lastModified === undefined ? Date.now() : Math.trunc(Number(lastModified)) || 0;
  }

  get name() {
    if (!(this instanceof File)) throw new ERR_INVALID_THIS('File');
    return this.#name;
  }

  get lastModified() {
    if (!(this instanceof File)) throw new ERR_INVALID_THIS('File');
    return this.#lastModified;
  }

  [Symbol.for('nodejs.util.inspect.custom')](depth, options) {
    if (depth < 0) return this;
    return `File ${inspect({ size: this.size, type: this.type, name: this.#name, lastModified: this.#lastModified }, options)}`;
  }
}
Object.defineProperty(File.prototype, Symbol.toStringTag, { value: 'File', configurable: true });

// blob:nodedata:<id> -> Blob, for URL.createObjectURL and resolveObjectURL.
const objectURLs = new Map();
let nextId = 0;

function createObjectURL(blob) {
  if (!(blob instanceof Blob)) throw new ERR_INVALID_ARG_TYPE('obj', 'Blob', blob);
  const hex = (nextId++).toString(16).padStart(12, '0');
  const random = Array.from({ length: 4 }, () => Math.floor(Math.random() * 0x10000).toString(16).padStart(4, '0'));
  const id = `${random[0]}${random[1]}-${random[2]}-4${random[3].slice(1)}-8${hex.slice(0, 3)}-${hex}`;
  const url = `blob:nodedata:${id}`;
  objectURLs.set(url, blob);
  return url;
}

function revokeObjectURL(url) {
  if (arguments.length === 0) throw new ERR_MISSING_ARGS('url');
  objectURLs.delete(`${url}`);
}

function resolveObjectURL(url) {
  const text = `${url}`;
  // Only the href before any query or fragment names the Blob.
  const blob = objectURLs.get(text.replace(/[?#].*$/, ''));
  // Like Node, a new Blob over the same bytes.
  return blob === undefined ? undefined : blob.slice(0, blob.size, blob.type);
}

module.exports = { Blob, File, createObjectURL, revokeObjectURL, resolveObjectURL };
