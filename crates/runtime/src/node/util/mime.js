// lode:module internal/util/mime
// util.MIMEType and util.MIMEParams: MIME types parsed and serialized as
// the WHATWG MIME Sniffing standard says (types, subtypes and parameter
// names are HTTP tokens, lowercased; values may be quoted strings).

const tokenChar = /[-!#$%&'*+.^_`|~A-Za-z0-9]/;
const tokenPattern = /^[-!#$%&'*+.^_`|~A-Za-z0-9]+$/;
const quotedValueChar = /[\t\u0020-\u007e\u0080-\u00ff]/;
const quotedValuePattern = /^[\t\u0020-\u007e\u0080-\u00ff]*$/;
const httpWhitespace = /^[\t\n\r ]+|[\t\n\r ]+$/g;
const trailingWhitespace = /[\t\n\r ]+$/;

class ERR_INVALID_MIME_SYNTAX extends TypeError {
  constructor(production, input, invalidIndex) {
    super(`The MIME syntax for a ${production} in "${input}" is invalid${invalidIndex === -1 ? '' : ` at ${invalidIndex}`}`);
    this.code = 'ERR_INVALID_MIME_SYNTAX';
    Object.defineProperty(this, 'name', { value: 'TypeError', configurable: true, writable: true });
    this.stack = `TypeError [ERR_INVALID_MIME_SYNTAX]: ${this.message}${this.stack.slice(this.stack.indexOf('\n'))}`;
  }

  toString() {
    return `TypeError [ERR_INVALID_MIME_SYNTAX]: ${this.message}`;
  }
}

function firstInvalid(text, pattern) {
  for (let i = 0; i < text.length; i++) if (!pattern.test(text[i])) return i;
  return -1;
}

function checkToken(production, text) {
  if (text === '' || !tokenPattern.test(text)) {
    throw new ERR_INVALID_MIME_SYNTAX(production, text, text === '' ? -1 : firstInvalid(text, tokenChar));
  }
}

function serializeValue(value) {
  if (value !== '' && tokenPattern.test(value)) return value;
  return `"${value.replace(/["\\]/g, '\\$&')}"`;
}

class MIMEParams {
  #data = new Map();

  delete(name) {
    this.#data.delete(name);
  }

  get(name) {
    const value = this.#data.get(name);
    return value === undefined ? null : value;
  }

  has(name) {
    return this.#data.has(name);
  }

  set(name, value) {
    name = `${name}`;
    value = `${value}`;
    checkToken('parameter name', name);
    if (!quotedValuePattern.test(value)) {
      throw new ERR_INVALID_MIME_SYNTAX('parameter value', value, firstInvalid(value, quotedValueChar));
    }
    this.#data.set(name, value);
  }

  *entries() {
    yield* this.#data.entries();
  }

  *keys() {
    yield* this.#data.keys();
  }

  *values() {
    yield* this.#data.values();
  }

  toString() {
    let out = '';
    for (const [name, value] of this.#data) out += `${out === '' ? '' : ';'}${name}=${serializeValue(value)}`;
    return out;
  }

  toJSON() {
    return this.toString();
  }

  [Symbol.iterator]() {
    return this.entries();
  }

  // Parses `;name=value` pairs from `text` starting at `position`.
  static parseInto(params, text, position) {
    const data = params.#data;
    while (position < text.length) {
      position++; // the ';'
      while (position < text.length && /[\t\n\r ]/.test(text[position])) position++;
      let end = position;
      while (end < text.length && text[end] !== ';' && text[end] !== '=') end++;
      const name = text.slice(position, end).toLowerCase();
      position = end;
      if (position < text.length) {
        if (text[position] === ';') continue;
        position++; // the '='
      }
      if (position >= text.length) break;
      let value;
      if (text[position] === '"') {
        value = '';
        position++;
        while (position < text.length) {
          const ch = text[position];
          if (ch === '"') break;
          if (ch === '\\' && position + 1 < text.length) position++;
          value += text[position];
          position++;
        }
        while (position < text.length && text[position] !== ';') position++;
      } else {
        end = text.indexOf(';', position);
        if (end === -1) end = text.length;
        value = text.slice(position, end).replace(trailingWhitespace, '');
        position = end;
        if (value === '') continue;
      }
      if (name !== '' && tokenPattern.test(name) && quotedValuePattern.test(value) && !data.has(name)) {
        data.set(name, value);
      }
    }
  }
}

class MIMEType {
  #type;
  #subtype;
  #params = new MIMEParams();

  constructor(string) {
    const text = `${string}`.replace(httpWhitespace, '');
    const slash = text.indexOf('/');
    const type = slash === -1 ? text : text.slice(0, slash);
    if (slash === -1 || type === '' || !tokenPattern.test(type)) {
      throw new ERR_INVALID_MIME_SYNTAX('type', text, slash === -1 ? -1 : firstInvalid(type, tokenChar));
    }
    let end = text.indexOf(';', slash + 1);
    if (end === -1) end = text.length;
    const subtype = text.slice(slash + 1, end).replace(trailingWhitespace, '');
    if (subtype === '' || !tokenPattern.test(subtype)) {
      throw new ERR_INVALID_MIME_SYNTAX('subtype', text, subtype === '' ? -1 : firstInvalid(subtype, tokenChar));
    }
    this.#type = type.toLowerCase();
    this.#subtype = subtype.toLowerCase();
    MIMEParams.parseInto(this.#params, text, end);
  }

  get type() {
    return this.#type;
  }

  set type(value) {
    value = `${value}`;
    checkToken('type', value);
    this.#type = value.toLowerCase();
  }

  get subtype() {
    return this.#subtype;
  }

  set subtype(value) {
    value = `${value}`;
    checkToken('subtype', value);
    this.#subtype = value.toLowerCase();
  }

  get essence() {
    return `${this.#type}/${this.#subtype}`;
  }

  get params() {
    return this.#params;
  }

  toString() {
    const params = `${this.#params}`;
    return `${this.essence}${params === '' ? '' : `;${params}`}`;
  }

  toJSON() {
    return this.toString();
  }
}

for (const name of ['type', 'subtype', 'essence', 'params']) {
  Object.defineProperty(MIMEType.prototype, name, { enumerable: true });
}

module.exports = { MIMEType, MIMEParams };
