// lode:module internal/web/encoding
// TextEncoder and TextDecoder (WHATWG Encoding): UTF-8 both ways, and
// decoding of UTF-16LE and Latin-1, with fatal, ignoreBOM and streaming.
// The byte work is the Buffer binding's.

const native = binding('buffer');
const { codes: { ERR_INVALID_ARG_TYPE, ERR_INVALID_THIS } } = require('internal/errors');

const kUtf8 = 0;
const kLatin1 = 2;

const labels = new Map([
  ...['unicode-1-1-utf-8', 'unicode11utf8', 'unicode20utf8', 'utf-8', 'utf8', 'x-unicode20utf8'].map((l) => [l, 'utf-8']),
  ...['csunicode', 'iso-10646-ucs-2', 'ucs-2', 'unicode', 'unicodefeff', 'utf-16', 'utf-16le'].map((l) => [l, 'utf-16le']),
  ...['ansi_x3.4-1968', 'ascii', 'cp1252', 'cp819', 'csisolatin1', 'ibm819', 'iso-8859-1', 'iso-ir-100',
    'iso8859-1', 'iso88591', 'iso_8859-1', 'iso_8859-1:1987', 'l1', 'latin1', 'us-ascii', 'windows-1252',
    'x-cp1252'].map((l) => [l, 'windows-1252']),
]);

class TextEncoder {
  get encoding() {
    return 'utf-8';
  }

  encode(input = '') {
    return native.fromString(`${input}`, kUtf8, true);
  }

  encodeInto(source, destination) {
    if (!(destination instanceof Uint8Array)) throw new ERR_INVALID_ARG_TYPE('dest', 'Uint8Array', destination);
    let read = 0;
    let written = 0;
    for (const ch of `${source}`) {
      const cp = ch.codePointAt(0);
      const size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      if (written + size > destination.length) break;
      written += size;
      read += ch.length;
    }
    destination.set(native.fromString(`${source}`.slice(0, read), kUtf8, true), 0);
    return { read, written };
  }
}
Object.defineProperty(TextEncoder.prototype, Symbol.toStringTag, { value: 'TextEncoder', configurable: true });

function invalidData(encoding) {
  const err = new TypeError(`The encoded data was not valid for encoding ${encoding}`);
  err.code = 'ERR_ENCODING_INVALID_ENCODED_DATA';
  return err;
}

// How many bytes at the end of `bytes` start a UTF-8 sequence not yet complete.
function incompleteTail(bytes) {
  const len = bytes.length;
  for (let back = 1; back <= Math.min(3, len); back++) {
    const b = bytes[len - back];
    if ((b & 0xc0) === 0x80) continue;
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? back : 0;
  }
  return 0;
}

function toBytes(input) {
  if (input === undefined) return new Uint8Array(0);
  if (input instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && input instanceof SharedArrayBuffer)) {
    return new Uint8Array(input);
  }
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  throw new ERR_INVALID_ARG_TYPE('input', ['ArrayBuffer', 'ArrayBufferView'], input);
}

class TextDecoder {
  #encoding;
  #fatal;
  #ignoreBOM;
  #pending = new Uint8Array(0);
  #bomSeen = false;

  constructor(label = 'utf-8', options = {}) {
    const encoding = labels.get(`${label}`.trim().toLowerCase());
    if (encoding === undefined) {
      const err = new RangeError(`The "${label}" encoding is not supported`);
      err.code = 'ERR_ENCODING_NOT_SUPPORTED';
      throw err;
    }
    this.#encoding = encoding;
    this.#fatal = Boolean(options?.fatal);
    this.#ignoreBOM = Boolean(options?.ignoreBOM);
  }

  get encoding() { return this.#encoding; }
  get fatal() { return this.#fatal; }
  get ignoreBOM() { return this.#ignoreBOM; }

  decode(input = undefined, options = {}) {
    if (!(this instanceof TextDecoder)) throw new ERR_INVALID_THIS('TextDecoder');
    let bytes = toBytes(input);
    const stream = Boolean(options?.stream);
    if (this.#pending.length > 0) {
      const joined = new Uint8Array(this.#pending.length + bytes.length);
      joined.set(this.#pending, 0);
      joined.set(bytes, this.#pending.length);
      bytes = joined;
      this.#pending = new Uint8Array(0);
    }
    let keep = 0;
    if (stream) {
      keep = this.#encoding === 'utf-8' ? incompleteTail(bytes) : this.#encoding === 'utf-16le' ? bytes.length % 2 : 0;
      if (keep > 0) {
        this.#pending = bytes.slice(bytes.length - keep);
        bytes = bytes.subarray(0, bytes.length - keep);
      }
    }
    let text;
    if (this.#encoding === 'utf-8') {
      if (this.#fatal && (!native.isUtf8(bytes) || (!stream && this.#pending.length > 0))) {
        this.#pending = new Uint8Array(0);
        throw invalidData(this.#encoding);
      }
      text = native.toString(bytes, kUtf8, 0, bytes.length);
    } else if (this.#encoding === 'utf-16le') {
      text = '';
      for (let i = 0; i + 1 < bytes.length; i += 2) text += String.fromCharCode(bytes[i] | (bytes[i + 1] << 8));
      if (bytes.length % 2 === 1) {
        if (this.#fatal) throw invalidData(this.#encoding);
        text += '\ufffd';
      }
    } else {
      text = native.toString(bytes, kLatin1, 0, bytes.length);
    }
    if (!this.#ignoreBOM && !this.#bomSeen && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff && this.#encoding !== 'windows-1252') text = text.slice(1);
      this.#bomSeen = true;
    }
    if (!stream) this.#bomSeen = false;
    return text;
  }
}
Object.defineProperty(TextDecoder.prototype, Symbol.toStringTag, { value: 'TextDecoder', configurable: true });

module.exports = { TextEncoder, TextDecoder };
