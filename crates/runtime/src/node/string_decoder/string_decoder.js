// lode:module string_decoder
// StringDecoder: decodes a byte stream chunk by chunk without splitting
// multi-byte characters (UTF-8, UTF-16LE) or base64 groups across chunks.

const { Buffer } = require('buffer');
const { codes: { ERR_INVALID_ARG_TYPE, ERR_UNKNOWN_ENCODING, ERR_INVALID_THIS } } = require('internal/errors');

function normalizeEncoding(enc) {
  const lower = `${enc ?? 'utf8'}`.toLowerCase();
  switch (lower) {
    case 'utf8': case 'utf-8': case '': return 'utf8';
    case 'ucs2': case 'ucs-2': case 'utf16le': case 'utf-16le': return 'utf16le';
    case 'latin1': case 'binary': return 'latin1';
    case 'base64': case 'base64url': case 'ascii': case 'hex': return lower;
    default: return undefined;
  }
}

const kNative = Symbol('kNativeDecoder');

// Length of a UTF-8 sequence starting with lead byte `b` (0: not a lead),
// classified by bit pattern as Node's decoder does (so F5-F7 wait too).
function utf8SequenceLength(b) {
  if ((b & 0xe0) === 0xc0) return 2;
  if ((b & 0xf0) === 0xe0) return 3;
  if ((b & 0xf8) === 0xf0) return 4;
  return 0;
}

// Bytes at the end of `buf` that begin an incomplete UTF-8 character.
function utf8Incomplete(buf) {
  for (let back = 1; back <= Math.min(3, buf.length); back++) {
    const b = buf[buf.length - back];
    if ((b & 0xc0) === 0x80) continue;
    const need = utf8SequenceLength(b);
    return need > back ? back : 0;
  }
  return 0;
}

// Bytes a held UTF-16LE fragment needs: a whole unit, or a surrogate pair.
function utf16Total(held) {
  if (held.length < 2) return 2;
  const unit = held[0] | (held[1] << 8);
  return unit >= 0xd800 && unit <= 0xdbff ? 4 : 2;
}

// A plain constructor function: Node's works without `new` too.
function StringDecoder(encoding) {
  const normalized = normalizeEncoding(encoding);
  if (normalized === undefined) throw new ERR_UNKNOWN_ENCODING(encoding);
  this.encoding = normalized;
  this[kNative] = Buffer.alloc(0);
}

class StringDecoderMethods {
  // Node exposes its 4-byte holding buffer.
  get lastChar() {
    const held = Buffer.alloc(4);
    held.set(this[kNative].subarray(0, 4));
    return held;
  }

  get lastNeed() {
    const pending = this[kNative];
    if (pending.length === 0) return 0;
    if (this.encoding === 'utf8') {
      return utf8SequenceLength(pending[0]) - pending.length;
    }
    if (this.encoding === 'utf16le') return 2 - (pending.length % 2);
    if (this.encoding === 'base64' || this.encoding === 'base64url') return 3 - pending.length;
    return 0;
  }

  get lastTotal() {
    return this[kNative].length + this.lastNeed;
  }

  write(buf) {
    if (typeof buf === 'string') return buf;
    if (this === null || typeof this !== 'object' || !(kNative in this)) throw new ERR_INVALID_THIS('StringDecoder');
    if (!ArrayBuffer.isView(buf)) throw new ERR_INVALID_ARG_TYPE('buf', ['Buffer', 'TypedArray', 'DataView'], buf);
    let bytes = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
    const held = this[kNative];
    if (this.encoding === 'utf16le' && held.length > 0 && held.length + bytes.length < utf16Total(held)) {
      // Like Node, a held UTF-16 unit or surrogate pair is completed first.
      this[kNative] = Buffer.concat([held, bytes]);
      return '';
    }
    if (this[kNative].length > 0) {
      bytes = Buffer.concat([this[kNative], bytes]);
      this[kNative] = Buffer.alloc(0);
    }
    let keep = 0;
    switch (this.encoding) {
      case 'utf8':
        keep = utf8Incomplete(bytes);
        break;
      case 'utf16le': {
        // An odd byte waits for its partner; with an even length, a lead
        // surrogate waits for its pair (Node checks only the latter case).
        keep = bytes.length % 2;
        if (keep === 0 && bytes.length >= 2) {
          const unit = bytes[bytes.length - 2] | (bytes[bytes.length - 1] << 8);
          if (unit >= 0xd800 && unit <= 0xdbff) keep = 2;
        }
        break;
      }
      case 'base64':
      case 'base64url':
        keep = bytes.length % 3;
        break;
      default:
        break;
    }
    if (keep > 0) {
      this[kNative] = Buffer.from(bytes.subarray(bytes.length - keep));
      bytes = bytes.subarray(0, bytes.length - keep);
    }
    return bytes.toString(this.encoding);
  }

  end(buf) {
    let out = buf === undefined ? '' : this.write(buf);
    const pending = this[kNative];
    if (pending.length > 0) {
      // Held bytes are flushed as the whole stream would decode them.
      this[kNative] = Buffer.alloc(0);
      out += pending.toString(this.encoding);
    }
    return out;
  }

  text(buf, offset) {
    this[kNative] = Buffer.alloc(0);
    return this.write(buf.subarray(offset));
  }
}

for (const name of Object.getOwnPropertyNames(StringDecoderMethods.prototype)) {
  if (name !== 'constructor') {
    Object.defineProperty(StringDecoder.prototype, name,
      Object.getOwnPropertyDescriptor(StringDecoderMethods.prototype, name));
  }
}

module.exports = { StringDecoder };
