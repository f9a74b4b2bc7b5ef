// lode:module querystring
// `node:querystring`: parse and stringify URL query strings with Node's
// escaping rules (not the WHATWG form encoding that URLSearchParams uses).

const { Buffer } = require('buffer');
const { codes: { ERR_INVALID_URI } } = require('internal/errors');

// Characters escape() leaves alone: A-Z a-z 0-9 - . _ ~ ! ' ( ) *
const unreserved = /[A-Za-z0-9\-._~!'()*]/;

function qsEscape(str) {
  if (typeof str !== 'string') {
    if (typeof str === 'object') str = String(str);
    else str += '';
  }
  let out = '';
  for (let i = 0; i < str.length; i++) {
    const c = str.charCodeAt(i);
    if (c < 0x80) {
      out += unreserved.test(str[i]) ? str[i] : `%${c.toString(16).toUpperCase().padStart(2, '0')}`;
      continue;
    }
    let codePoint = c;
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = str.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) throw new ERR_INVALID_URI();
      codePoint = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      throw new ERR_INVALID_URI();
    }
    for (const byte of Buffer.from(String.fromCodePoint(codePoint))) out += `%${byte.toString(16).toUpperCase()}`;
  }
  return out;
}

// Like decodeURIComponent, but malformed sequences are kept as they are.
function qsUnescape(s, decodeSpaces) {
  try {
    return decodeURIComponent(s);
  } catch {
    return unescapeBuffer(s, decodeSpaces).toString();
  }
}

function unescapeBuffer(s, decodeSpaces) {
  const out = Buffer.allocUnsafe(Buffer.byteLength(s) + 4);
  let n = 0;
  const bytes = Buffer.from(s);
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (c === 0x2b && decodeSpaces) {
      out[n++] = 0x20;
    } else if (c === 0x25 && i + 2 < bytes.length && /^[0-9a-fA-F]{2}$/.test(String.fromCharCode(bytes[i + 1], bytes[i + 2]))) {
      out[n++] = Number.parseInt(String.fromCharCode(bytes[i + 1], bytes[i + 2]), 16);
      i += 2;
    } else {
      out[n++] = c;
    }
  }
  return out.subarray(0, n);
}

function stringifyPrimitive(v) {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return `${v}`;
  if (typeof v === 'bigint') return `${v}`;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return '';
}

function stringify(obj, sep, eq, options = undefined) {
  // Node's defaults replace any falsy separator, null included.
  sep ||= '&';
  eq ||= '=';
  // The exported escape/unescape, looked up per call: a program may replace them.
  const encode = typeof options?.encodeURIComponent === 'function' ? options.encodeURIComponent : module.exports.escape;
  if (obj === null || typeof obj !== 'object') return '';
  const parts = [];
  for (const key of Object.keys(obj)) {
    const value = obj[key];
    const ks = `${encode(stringifyPrimitive(key))}${eq}`;
    if (Array.isArray(value)) {
      for (const item of value) parts.push(ks + encode(stringifyPrimitive(item)));
    } else {
      parts.push(ks + encode(stringifyPrimitive(value)));
    }
  }
  return parts.join(sep);
}

function parse(qs, sep = '&', eq = '=', options = undefined) {
  const obj = { __proto__: null };
  if (typeof qs !== 'string' || qs.length === 0) return obj;
  sep = sep ? `${sep}` : '&';
  eq = eq ? `${eq}` : '=';
  let maxKeys = 1000;
  if (options && typeof options.maxKeys === 'number') maxKeys = options.maxKeys;
  const decode = typeof options?.decodeURIComponent === 'function' ? options.decodeURIComponent : module.exports.unescape;
  let pairs = qs.split(sep);
  if (maxKeys > 0 && pairs.length > maxKeys) pairs = pairs.slice(0, maxKeys);
  for (const pair of pairs) {
    if (pair.length === 0) continue;
    const idx = pair.indexOf(eq);
    let key = idx >= 0 ? pair.slice(0, idx) : pair;
    let value = idx >= 0 ? pair.slice(idx + eq.length) : '';
    key = decodeComponent(key.replace(/\+/g, ' '), decode);
    value = decodeComponent(value.replace(/\+/g, ' '), decode);
    if (Object.prototype.hasOwnProperty.call(obj, key)) {
      if (Array.isArray(obj[key])) obj[key].push(value);
      else obj[key] = [obj[key], value];
    } else {
      obj[key] = value;
    }
  }
  return obj;
}

function decodeComponent(s, decode) {
  try {
    return decode(s);
  } catch {
    return qsUnescape(s, true);
  }
}

module.exports = {
  unescapeBuffer,
  unescape: qsUnescape,
  escape: qsEscape,
  stringify,
  encode: stringify,
  parse,
  decode: parse,
};
