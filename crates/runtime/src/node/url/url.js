// lode:module internal/url
// The WHATWG URL and URLSearchParams (parsing in Rust by the `url` crate),
// file URL conversions, url.format and isURL; `node:url` (url/public.js)
// exposes them with the legacy url.parse/resolve API (internal/url/legacy).

const native = binding('url');
const path = require('path');
const { pathToFileHref, encodePath } = require('internal/url/file_url');
const legacy = require('internal/url/legacy');
const {
  codes: {
    ERR_ARG_NOT_ITERABLE, ERR_INVALID_ARG_TYPE, ERR_INVALID_ARG_VALUE, ERR_INVALID_TUPLE, ERR_INVALID_URL, ERR_MISSING_ARGS,
    ERR_INVALID_THIS, ERR_INVALID_URL_SCHEME,
    ERR_INVALID_FILE_URL_HOST,
    ERR_INVALID_FILE_URL_PATH,
  },
} =
  require('internal/errors');
const { validateFunction } = require('internal/validators');

const customInspect = Symbol.for('nodejs.util.inspect.custom');
const HREF = 0;
const ORIGIN = 1;
const PROTOCOL = 2;
const USERNAME = 3;
const PASSWORD = 4;
const HOST = 5;
const HOSTNAME = 6;
const PORT = 7;
const PATHNAME = 8;
const SEARCH = 9;
const HASH = 10;

// Components of `input` (against `base`), or null.
function parseParts(input, base) {
  return base === undefined ? native.parse(input) : native.parse(input, base);
}

function invalidURL(input, base) {
  return new ERR_INVALID_URL(input, base);
}

class URL {
  #parts;
  #searchParams;

  constructor(input, base = undefined) {
    if (arguments.length === 0) throw new ERR_MISSING_ARGS('url');
    input = `${input}`;
    if (base !== undefined) base = `${base}`;
    const parts = parseParts(input, base);
    if (parts === null) throw invalidURL(input, base);
    this.#parts = parts;
  }

  static canParse(input, base = undefined) {
    if (arguments.length === 0) throw new ERR_MISSING_ARGS('url');
    return parseParts(`${input}`, base === undefined ? undefined : `${base}`) !== null;
  }

  static parse(input, base = undefined) {
    if (arguments.length === 0) throw new ERR_MISSING_ARGS('url');
    const parts = parseParts(`${input}`, base === undefined ? undefined : `${base}`);
    if (parts === null) return null;
    return new URL(parts[HREF]);
  }

  static createObjectURL(obj) {
    return require('internal/web/blob').createObjectURL(obj);
  }

  static revokeObjectURL(url) {
    if (arguments.length === 0) throw new ERR_MISSING_ARGS('url');
    require('internal/web/blob').revokeObjectURL(url);
  }

  #set(component, value) {
    const parts = native.set(this.#parts[HREF], component, `${value}`);
    if (parts !== null) this.#parts = parts;
    if (component === 'search' || component === 'href') this.#searchParams?._updateFromURL(this.#parts[SEARCH]);
  }

  // Called by the URLSearchParams this URL owns.
  _updateSearch(search) {
    const parts = native.set(this.#parts[HREF], 'search', search);
    if (parts !== null) this.#parts = parts;
  }

  get href() { return this.#parts[HREF]; }
  set href(value) {
    const parts = parseParts(`${value}`);
    if (parts === null) throw invalidURL(`${value}`);
    this.#parts = parts;
    this.#searchParams?._updateFromURL(parts[SEARCH]);
  }

  get origin() { return this.#parts[ORIGIN]; }
  get protocol() { return this.#parts[PROTOCOL]; }
  set protocol(value) { this.#set('protocol', value); }
  get username() { return this.#parts[USERNAME]; }
  set username(value) { this.#set('username', value); }
  get password() { return this.#parts[PASSWORD]; }
  set password(value) { this.#set('password', value); }
  get host() { return this.#parts[HOST]; }
  set host(value) { this.#set('host', value); }
  get hostname() { return this.#parts[HOSTNAME]; }
  set hostname(value) { this.#set('hostname', value); }
  get port() { return this.#parts[PORT]; }
  set port(value) { this.#set('port', value); }
  get pathname() { return this.#parts[PATHNAME]; }
  set pathname(value) { this.#set('pathname', value); }
  get search() { return this.#parts[SEARCH]; }
  set search(value) { this.#set('search', value); }
  get hash() { return this.#parts[HASH]; }
  set hash(value) { this.#set('hash', value); }

  get searchParams() {
    if (this.#searchParams === undefined) {
      this.#searchParams = new URLSearchParams(this.#parts[SEARCH]);
      this.#searchParams._attach(this);
    }
    return this.#searchParams;
  }

  toString() { return this.#parts[HREF]; }
  toJSON() { return this.#parts[HREF]; }

  [customInspect](depth, options, inspect) {
    const obj = {
      href: this.href, origin: this.origin, protocol: this.protocol, username: this.username,
      password: this.password, host: this.host, hostname: this.hostname, port: this.port,
      pathname: this.pathname, search: this.search, searchParams: this.searchParams, hash: this.hash,
    };
    if (depth < 0) return this;
    return `URL ${inspect(obj, options)}`;
  }
}
Object.defineProperty(URL.prototype, Symbol.toStringTag, { value: 'URL', configurable: true });
for (const name of ['href', 'origin', 'protocol', 'username', 'password', 'host', 'hostname', 'port', 'pathname',
  'search', 'searchParams', 'hash', 'toString', 'toJSON']) {
  Object.defineProperty(URL.prototype, name, { ...Object.getOwnPropertyDescriptor(URL.prototype, name), enumerable: true });
}

// application/x-www-form-urlencoded, as the URL Standard defines it:
// percent-decoding works on the UTF-8 bytes, '+' is a space.
function hexValue(byte) {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  if (byte >= 0x41 && byte <= 0x46) return byte - 0x37;
  if (byte >= 0x61 && byte <= 0x66) return byte - 0x57;
  return -1;
}

function formDecode(text) {
  const input = new TextEncoder().encode(text.toWellFormed());
  const out = new Uint8Array(input.length);
  let n = 0;
  for (let i = 0; i < input.length; i++) {
    const byte = input[i];
    if (byte === 0x2b) {
      out[n++] = 0x20;
    } else if (byte === 0x25 && i + 2 < input.length && hexValue(input[i + 1]) >= 0 && hexValue(input[i + 2]) >= 0) {
      out[n++] = hexValue(input[i + 1]) * 16 + hexValue(input[i + 2]);
      i += 2;
    } else {
      out[n++] = byte;
    }
  }
  return new TextDecoder().decode(out.subarray(0, n));
}

const formSafe = /[A-Za-z0-9*\-._]/;
function formEncode(text) {
  let out = '';
  for (const byte of new TextEncoder().encode(`${text}`.toWellFormed())) {
    const c = String.fromCharCode(byte);
    if (byte === 0x20) out += '+';
    else if (byte < 0x80 && formSafe.test(c)) out += c;
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function parseQuery(query) {
  const list = [];
  for (const part of query.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = eq === -1 ? part : part.slice(0, eq);
    const value = eq === -1 ? '' : part.slice(eq + 1);
    list.push([formDecode(name), formDecode(value)]);
  }
  return list;
}

// USVString conversion as Node's (V8's) reads: a symbol fails with V8's
// message, which Node's URLSearchParams errors carry.
function toUSVString(value) {
  if (typeof value === 'symbol') throw new TypeError('Cannot convert a Symbol value to a string');
  return `${value}`.toWellFormed();
}

// A URLSearchParams's pairs, for its iterators (set in the class).
let listOf;

class URLSearchParams {
  #list = [];
  #url = null;

  static {
    listOf = (params) => params.#list;
  }

  // Brand check shared by the methods: Node's ERR_INVALID_THIS.
  static #check(self) {
    if (typeof self !== 'object' || self === null || !(#list in self)) throw new ERR_INVALID_THIS('URLSearchParams');
  }

  constructor(init = undefined) {
    if (init === undefined || init === null) return;
    if (typeof init === 'object' || typeof init === 'function') {
      const method = init[Symbol.iterator];
      if (method !== undefined && method !== null) {
        if (typeof method !== 'function') throw new ERR_ARG_NOT_ITERABLE('Query pairs');
        for (const pair of init) this.#list.push(queryPair(pair));
      } else {
        // A record: own enumerable keys, symbols included (they throw when
        // made strings, as in Node); a repeated key keeps the last value.
        const seen = new Map();
        for (const key of Reflect.ownKeys(init)) {
          const desc = Reflect.getOwnPropertyDescriptor(init, key);
          if (desc === undefined || !desc.enumerable) continue;
          const name = toUSVString(key);
          const value = toUSVString(init[key]);
          const index = seen.get(name);
          if (index !== undefined) this.#list[index][1] = value;
          else seen.set(name, this.#list.push([name, value]) - 1);
        }
      }
      return;
    }
    let text = toUSVString(init);
    if (text.startsWith('?')) text = text.slice(1);
    this.#list = parseQuery(text);
  }

  _attach(url) {
    this.#url = url;
  }

  _updateFromURL(search) {
    this.#list = parseQuery(search.startsWith('?') ? search.slice(1) : search);
  }

  #update() {
    if (this.#url !== null) {
      const serialized = this.toString();
      this.#url._updateSearch(serialized === '' ? '' : serialized);
    }
  }

  get size() {
    URLSearchParams.#check(this);
    return this.#list.length;
  }

  append(name, value) {
    URLSearchParams.#check(this);
    if (arguments.length < 2) throw new ERR_MISSING_ARGS('name', 'value');
    this.#list.push([toUSVString(name), toUSVString(value)]);
    this.#update();
  }

  delete(name, value = undefined) {
    URLSearchParams.#check(this);
    if (arguments.length < 1) throw new ERR_MISSING_ARGS('name');
    name = toUSVString(name);
    if (value !== undefined) value = toUSVString(value);
    this.#list = this.#list.filter(([n, v]) => n !== name || (value !== undefined && v !== value));
    this.#update();
  }

  get(name) {
    URLSearchParams.#check(this);
    if (arguments.length < 1) throw new ERR_MISSING_ARGS('name');
    name = toUSVString(name);
    const found = this.#list.find(([n]) => n === name);
    return found === undefined ? null : found[1];
  }

  getAll(name) {
    URLSearchParams.#check(this);
    if (arguments.length < 1) throw new ERR_MISSING_ARGS('name');
    name = toUSVString(name);
    return this.#list.filter(([n]) => n === name).map(([, v]) => v);
  }

  has(name, value = undefined) {
    URLSearchParams.#check(this);
    if (arguments.length < 1) throw new ERR_MISSING_ARGS('name');
    name = toUSVString(name);
    if (value !== undefined) value = toUSVString(value);
    return this.#list.some(([n, v]) => n === name && (value === undefined || v === value));
  }

  set(name, value) {
    URLSearchParams.#check(this);
    if (arguments.length < 2) throw new ERR_MISSING_ARGS('name', 'value');
    name = toUSVString(name);
    value = toUSVString(value);
    const index = this.#list.findIndex(([n]) => n === name);
    if (index === -1) this.#list.push([name, value]);
    else {
      this.#list[index][1] = value;
      this.#list = this.#list.filter(([n], i) => n !== name || i === index);
    }
    this.#update();
  }

  sort() {
    URLSearchParams.#check(this);
    const indexed = this.#list.map((entry, i) => [entry, i]);
    indexed.sort(([a, i], [b, j]) => {
      if (a[0] === b[0]) return i - j;
      // Sort by UTF-16 code units, as the standard says.
      return a[0] < b[0] ? -1 : 1;
    });
    this.#list = indexed.map(([entry]) => entry);
    this.#update();
  }

  forEach(callback, thisArg = undefined) {
    URLSearchParams.#check(this);
    validateFunction(callback, 'callback');
    // Re-read each turn: the callback may change the list.
    for (let i = 0; i < this.#list.length; i++) callback.call(thisArg, this.#list[i][1], this.#list[i][0], this);
  }

  entries() {
    URLSearchParams.#check(this);
    return new URLSearchParamsIterator(this, 'key+value');
  }

  keys() {
    URLSearchParams.#check(this);
    return new URLSearchParamsIterator(this, 'key');
  }

  values() {
    URLSearchParams.#check(this);
    return new URLSearchParamsIterator(this, 'value');
  }

  toString() {
    URLSearchParams.#check(this);
    return this.#list.map(([n, v]) => `${formEncode(n)}=${formEncode(v)}`).join('&');
  }

  [customInspect](recurseTimes, ctx, inspect) {
    URLSearchParams.#check(this);
    if (typeof recurseTimes === 'number' && recurseTimes < 0) return ctx.stylize('[Object]', 'special');
    const innerOptions = { ...ctx };
    if (recurseTimes !== null) innerOptions.depth = recurseTimes - 1;
    const output = this.#list.map(([n, v]) => `${inspect(n, innerOptions)} => ${inspect(v, innerOptions)}`);
    const separator = ', ';
    const { stripVTControlCharacters } = require('internal/util/inspect');
    // One line when it fits breakLength, else one entry a line.
    const length = output.reduce((total, entry) => total + stripVTControlCharacters(entry).length + separator.length,
      -separator.length);
    const name = this.constructor.name;
    if (length > ctx.breakLength) return `${name} {\n  ${output.join(',\n  ')} }`;
    if (output.length > 0) return `${name} { ${output.join(separator)} }`;
    return `${name} {}`;
  }
}
Object.defineProperty(URLSearchParams.prototype, Symbol.toStringTag, { value: 'URLSearchParams', configurable: true });
Object.defineProperty(URLSearchParams.prototype, Symbol.iterator, {
  value: URLSearchParams.prototype.entries, writable: true, configurable: true,
});

// One [name, value] pair of an iterable given to the constructor.
function queryPair(pair) {
  if (Array.isArray(pair)) {
    if (pair.length !== 2) throw new ERR_INVALID_TUPLE('Each query pair', '[name, value]');
    return [toUSVString(pair[0]), toUSVString(pair[1])];
  }
  if ((typeof pair !== 'object' && typeof pair !== 'function') || pair === null ||
      typeof pair[Symbol.iterator] !== 'function') {
    throw new ERR_INVALID_TUPLE('Each query pair', '[name, value]');
  }
  const entry = [];
  for (const element of pair) entry.push(toUSVString(element));
  if (entry.length !== 2) throw new ERR_INVALID_TUPLE('Each query pair', '[name, value]');
  return entry;
}

// What entries(), keys() and values() return: live over the params.
class URLSearchParamsIterator {
  #params;
  #kind;
  #index = 0;

  constructor(params, kind) {
    this.#params = params;
    this.#kind = kind;
  }

  static #check(self) {
    if (typeof self !== 'object' || self === null || !(#params in self)) {
      throw new ERR_INVALID_THIS('URLSearchParamsIterator');
    }
  }

  #item([name, value]) {
    if (this.#kind === 'key') return name;
    if (this.#kind === 'value') return value;
    return [name, value];
  }

  next() {
    URLSearchParamsIterator.#check(this);
    const list = listOf(this.#params);
    if (this.#index >= list.length) return { value: undefined, done: true };
    return { value: this.#item(list[this.#index++]), done: false };
  }

  [customInspect](recurseTimes, ctx, inspect) {
    URLSearchParamsIterator.#check(this);
    if (typeof recurseTimes === 'number' && recurseTimes < 0) return ctx.stylize('[Object]', 'special');
    const innerOptions = { ...ctx };
    if (recurseTimes !== null) innerOptions.depth = recurseTimes - 1;
    const output = listOf(this.#params).slice(this.#index).map((entry) => this.#item(entry));
    const parts = output.map((item) => inspect(item, innerOptions));
    const text = inspect(output, innerOptions).includes('\n')
      ? `\n  ${parts.join(',\n  ')}`
      : ` ${parts.join(', ')}`;
    return `${this[Symbol.toStringTag]} {${text} }`;
  }
}
Object.setPrototypeOf(URLSearchParamsIterator.prototype, Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]())));
Object.defineProperty(URLSearchParamsIterator.prototype, Symbol.toStringTag, {
  value: 'URLSearchParams Iterator', configurable: true,
});

function fileURLToPath(url, options = undefined) {
  if (typeof url === 'string') url = new URL(url);
  else if (!(url instanceof URL)) throw new ERR_INVALID_ARG_TYPE('path', ['string', 'URL'], url);
  if (url.protocol !== 'file:') throw new ERR_INVALID_URL_SCHEME('file');
  if (url.hostname !== '') throw new ERR_INVALID_FILE_URL_HOST(process.platform);
  const pathname = url.pathname;
  if (/%2f/i.test(pathname)) throw new ERR_INVALID_FILE_URL_PATH('must not include encoded / characters');
  return decodeURIComponent(pathname);
}

function pathToFileURL(filepath, options = undefined) {
  if (typeof filepath !== 'string') throw new ERR_INVALID_ARG_TYPE('path', 'string', filepath);
  if (options?.windows) return windowsPathToFileURL(filepath);
  let resolved = path.resolve(filepath);
  if (filepath.endsWith('/') && !resolved.endsWith('/')) resolved += '/';
  return new URL(pathToFileHref(resolved));
}

// pathToFileURL(path, { windows: true }): drive paths (`C:\dir`), local
// extended paths (`\\?\C:\dir`), and UNC paths (`\\server\share`, also
// `\\?\UNC\server\share`) whose server becomes the URL's host.
function windowsPathToFileURL(filepath) {
  const trailing = filepath.endsWith('\\') || filepath.endsWith('/');
  let local = filepath;
  if (local.startsWith('\\\\?\\') && !local.startsWith('\\\\?\\UNC\\')) local = local.slice(4);
  if (local.startsWith('\\\\')) {
    const extended = local.startsWith('\\\\?\\UNC\\');
    const start = extended ? 8 : 2;
    const hostEnd = local.indexOf('\\', start);
    if (hostEnd === -1) throw new ERR_INVALID_ARG_VALUE('path', filepath, 'Missing UNC resource path');
    if (hostEnd === 2) throw new ERR_INVALID_ARG_VALUE('path', filepath, 'Empty UNC servername');
    const host = local.slice(start, hostEnd);
    const rest = path.win32.normalize(local.slice(hostEnd)).replaceAll('\\', '/');
    return new URL(`file://${host}${encodePath(rest)}`);
  }
  let resolved = path.win32.resolve(local).replaceAll('\\', '/');
  if (trailing && !resolved.endsWith('/')) resolved += '/';
  return new URL(`file:///${encodePath(resolved)}`);
}

function urlToHttpOptions(url) {
  if (url === null || typeof url !== 'object') throw new ERR_INVALID_ARG_TYPE('url', 'object', url);
  const { hostname, pathname, port, username, password, search } = url;
  const options = {
    __proto__: null,
    ...url,
    protocol: url.protocol,
    hostname: typeof hostname === 'string' && hostname.startsWith('[') ? hostname.slice(1, -1) : hostname,
    hash: url.hash,
    search,
    pathname,
    path: `${pathname || ''}${search || ''}`,
    href: url.href,
  };
  if (port !== '') options.port = Number(port);
  if (username || password) options.auth = `${decodeURIComponent(username)}:${decodeURIComponent(password)}`;
  return options;
}

function format(urlObject, options = undefined) {
  if (!(urlObject instanceof URL)) return legacy.format(urlObject);
  if (options !== undefined && (options === null || typeof options !== 'object')) {
    throw new ERR_INVALID_ARG_TYPE('options', 'Object', options);
  }
  const { fragment = true, unicode = false, search = true, auth = true } = options ?? {};
  let out = urlObject.protocol;
  if (urlObject.host !== '' || urlObject.protocol === 'file:') {
    out += '//';
    if (auth && (urlObject.username || urlObject.password)) {
      out += urlObject.username;
      if (urlObject.password) out += `:${urlObject.password}`;
      out += '@';
    }
    out += unicode ? domainToUnicode(urlObject.hostname) : urlObject.hostname;
    if (urlObject.port) out += `:${urlObject.port}`;
  }
  out += urlObject.pathname;
  if (search) out += urlObject.search;
  if (fragment) out += urlObject.hash;
  return out;
}

function domainToASCII(domain) {
  if (arguments.length < 1) throw new ERR_MISSING_ARGS('domain');
  return native.domainToASCII(`${domain}`);
}

// Node's test for "a WHATWG URL or an object shaped like one" (legacy
// url.parse results carry `auth` and `path`, which URL does not).
function isURL(value) {
  return value != null && typeof value === 'object' && typeof value.href === 'string' &&
    typeof value.protocol === 'string' && value.auth === undefined && value.path === undefined;
}

function domainToUnicode(domain) {
  if (arguments.length < 1) throw new ERR_MISSING_ARGS('domain');
  return native.domainToUnicode(`${domain}`);
}

module.exports = {
  isURL,
  URL,
  URLSearchParams,
  fileURLToPath,
  pathToFileURL,
  urlToHttpOptions,
  format,
  domainToASCII,
  domainToUnicode,
};
