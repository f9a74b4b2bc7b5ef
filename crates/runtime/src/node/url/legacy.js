// lode:module internal/url/legacy
// The legacy `url.parse()` / `url.format()` / `url.resolve()` API and its
// `Url` objects, as Node documents them: lenient parsing into protocol,
// slashes, auth, host, port, hostname, hash, search, query, pathname, path
// and href; hostnames lowercased and converted to ASCII; unsafe characters
// percent-encoded. Resolution follows RFC 3986's merge and dot-segment rules.

const querystring = require('querystring');
const { codes: { ERR_INVALID_ARG_TYPE, ERR_INVALID_URL } } = require('internal/errors');

// Protocols that never have a host, and those that always have `//`.
const hostlessProtocol = new Set(['javascript', 'javascript:']);
const slashedProtocol = new Set(['http', 'http:', 'https', 'https:', 'ftp', 'ftp:', 'gopher', 'gopher:', 'file', 'file:',
  'ws', 'ws:', 'wss', 'wss:']);
const protocolPattern = /^[a-z0-9.+-]+:/i;
const portPattern = /:[0-9]*$/;
const simplePathPattern = /^(\/\/?(?!\/)[^?\s]*)(\?[^\s]*)?$/;
const hostnameMaxLen = 255;
// Characters that end a host, and those that may not appear in it.
const hostEndingChars = new Set(['/', '?', '#']);
const nonHostChars = new Set(['\t', '\n', '\r', ' ', '"', '%', "'", ';', '<', '>', '\\', '^', '`', '{', '|', '}']);
// Characters escaped in the rest of the URL (Node's autoEscape list).
const autoEscape = { '\t': '%09', '\n': '%0A', '\r': '%0D', ' ': '%20', '"': '%22', "'": '%27', '<': '%3C', '>': '%3E',
  '\\': '%5C', '^': '%5E', '`': '%60', '{': '%7B', '|': '%7C', '}': '%7D' };
// Code points WHATWG forbids in a host; Node 24 rejects them in url.parse too.
const forbiddenHostChars = /[\0\t\n\r #%/:<>?@[\\\]^|]/;

let urlBinding;

function toASCII(hostname) {
  urlBinding ??= binding('url');
  return urlBinding.domainToASCII(hostname);
}

class Url {
  constructor() {
    this.protocol = null;
    this.slashes = null;
    this.auth = null;
    this.host = null;
    this.port = null;
    this.hostname = null;
    this.hash = null;
    this.search = null;
    this.query = null;
    this.pathname = null;
    this.path = null;
    this.href = null;
  }

  parse(url, parseQueryString, slashesDenoteHost) {
    if (typeof url !== 'string') throw new ERR_INVALID_ARG_TYPE('url', 'string', url);
    // Backslashes before the query become slashes; surrounding spaces go.
    let rest = url.trim();
    const queryIndex = rest.search(/[?#]/);
    const before = queryIndex === -1 ? rest : rest.slice(0, queryIndex);
    rest = before.replace(/\\/g, '/') + (queryIndex === -1 ? '' : rest.slice(queryIndex));

    if (!slashesDenoteHost && !rest.includes('#')) {
      const simple = simplePathPattern.exec(rest);
      if (simple !== null) {
        this.path = rest;
        this.href = rest;
        this.pathname = simple[1];
        if (simple[2]) {
          this.search = simple[2];
          this.query = parseQueryString ? querystring.parse(this.search.slice(1)) : this.search.slice(1);
        } else if (parseQueryString) {
          this.search = null;
          this.query = { __proto__: null };
        }
        return this;
      }
    }

    let lowerProto;
    const proto = protocolPattern.exec(rest);
    if (proto !== null) {
      lowerProto = proto[0].toLowerCase();
      this.protocol = lowerProto;
      rest = rest.slice(proto[0].length);
    }

    let slashes;
    if (slashesDenoteHost || proto !== null || /^\/\/[^@/]+@[^@/]+/.test(rest)) {
      slashes = rest.startsWith('//');
      if (slashes && !(proto !== null && hostlessProtocol.has(lowerProto))) {
        rest = rest.slice(2);
        this.slashes = true;
      }
    }

    if (!hostlessProtocol.has(lowerProto) && (slashes || (proto !== null && !slashedProtocol.has(lowerProto)))) {
      rest = this.#parseHost(rest, url);
    }

    if (!(lowerProto !== undefined && hostlessProtocol.has(lowerProto))) rest = escapeUnsafe(rest);

    const hashIndex = rest.indexOf('#');
    if (hashIndex !== -1) {
      this.hash = rest.slice(hashIndex);
      rest = rest.slice(0, hashIndex);
    }
    const questionIndex = rest.indexOf('?');
    if (questionIndex !== -1) {
      this.search = rest.slice(questionIndex);
      this.query = rest.slice(questionIndex + 1);
      if (parseQueryString) this.query = querystring.parse(this.query);
      rest = rest.slice(0, questionIndex);
    } else if (parseQueryString) {
      this.search = null;
      this.query = { __proto__: null };
    }
    if (rest.length > 0) this.pathname = rest;
    if (slashedProtocol.has(lowerProto) && this.hostname && !this.pathname) this.pathname = '/';

    if (this.pathname || this.search) this.path = `${this.pathname || ''}${this.search || ''}`;
    this.href = this.format();
    return this;
  }

  // Takes `user:pass@host:port` off the front of `rest`; returns what is left.
  #parseHost(rest, url) {
    let hostEnd = -1;
    let atSign = -1;
    let nonHost = -1;
    for (let i = 0; i < rest.length; i++) {
      const ch = rest[i];
      if (hostEndingChars.has(ch)) {
        if (nonHost === -1) nonHost = i;
        hostEnd = i;
        break;
      }
      if (nonHost === -1 && nonHostChars.has(ch)) nonHost = i;
      else if (ch === '@') {
        atSign = i;
        nonHost = -1;
      }
    }
    let start = 0;
    if (atSign !== -1) {
      this.auth = decodeURIComponent(rest.slice(0, atSign));
      start = atSign + 1;
    }
    const end = nonHost === -1 ? (hostEnd === -1 ? rest.length : hostEnd) : nonHost;
    this.host = rest.slice(start, end);
    rest = rest.slice(end);
    this.#splitPort();

    let hostname = this.hostname || '';
    const ipv6 = hostname.startsWith('[') && hostname.endsWith(']');
    if (!ipv6) {
      // A character that cannot be in a host ends it; the rest is path.
      // Node 24 warns (DEP0170, once) when that character is a colon.
      const cut = hostname.search(/[/\\#?:]/);
      if (cut !== -1) {
        if (hostname[cut] === ':' && !warnedInvalidPort) {
          warnedInvalidPort = true;
          process.emitWarning(`The URL ${url} is invalid. Future versions of Node.js will throw an error.`, 'DeprecationWarning', 'DEP0170');
        }
        rest = `/${hostname.slice(cut)}${rest}`;
        hostname = hostname.slice(0, cut);
      }
    }
    hostname = hostname.length > hostnameMaxLen ? '' : hostname.toLowerCase();
    if (!ipv6 && hostname !== '') {
      const ascii = toASCII(hostname);
      if (ascii === '' || forbiddenHostChars.test(ascii)) throw new ERR_INVALID_URL(url);
      hostname = ascii;
    } else if (ipv6 && /[\0\t\n\r ]/.test(hostname)) {
      throw new ERR_INVALID_URL(url);
    }
    const port = this.port ? `:${this.port}` : '';
    this.host = `${hostname}${port}`;
    this.hostname = hostname;
    if (ipv6) {
      this.hostname = hostname.slice(1, -1);
      if (rest[0] !== '/') rest = `/${rest}`;
    }
    return rest;
  }

  #splitPort() {
    let host = this.host;
    const port = portPattern.exec(host);
    if (port !== null) {
      if (port[0] !== ':') this.port = port[0].slice(1);
      host = host.slice(0, host.length - port[0].length);
    }
    if (host) this.hostname = host;
  }

  format() {
    let auth = this.auth || '';
    if (auth) auth = `${encodeURIComponent(auth).replace(/%3A/i, ':')}@`;
    let protocol = this.protocol || '';
    let pathname = this.pathname || '';
    let hash = this.hash || '';
    let host = '';
    let query = '';
    if (this.host) {
      host = auth + this.host;
    } else if (this.hostname) {
      const h = this.hostname;
      host = auth + (h.includes(':') && !(h.startsWith('[') && h.endsWith(']')) ? `[${h}]` : h);
      if (this.port) host += `:${this.port}`;
    }
    if (this.query !== null && typeof this.query === 'object') query = querystring.stringify(this.query);
    let search = this.search || (query && `?${query}`) || '';
    if (protocol && !protocol.endsWith(':')) protocol += ':';
    pathname = pathname.replace(/[#?]/g, (ch) => (ch === '#' ? '%23' : '%3F'));
    if (this.slashes || slashedProtocol.has(protocol)) {
      if (this.slashes || host) {
        if (pathname && pathname[0] !== '/') pathname = `/${pathname}`;
        host = `//${host}`;
      } else if (protocol === 'file:') {
        host = '//';
      }
    }
    search = search.replace(/#/g, '%23');
    if (hash && hash[0] !== '#') hash = `#${hash}`;
    if (search && search[0] !== '?') search = `?${search}`;
    return protocol + host + pathname + search + hash;
  }

  resolve(relative) {
    return this.resolveObject(urlParse(relative, false, true)).format();
  }

  resolveObject(relative) {
    if (typeof relative === 'string') relative = urlParse(relative, false, true);
    const result = new Url();
    Object.assign(result, this);
    result.hash = relative.hash;
    if (relative.href === '') {
      result.href = result.format();
      return result;
    }
    // A different scheme (or a scheme-relative `//host`) replaces the base.
    if (relative.protocol && relative.protocol !== result.protocol) {
      Object.assign(result, relative);
      if (!slashedProtocol.has(relative.protocol) || relative.host) {
        result.href = result.format();
        return result;
      }
      result.pathname = removeDotSegments(relative.pathname || '/', true);
    } else if (relative.slashes && relative.host !== null) {
      Object.assign(result, relative, { protocol: result.protocol });
      if (slashedProtocol.has(result.protocol) && !result.pathname) result.pathname = '/';
    } else if (relative.pathname) {
      const absoluteBase = Boolean(result.host || result.slashes || (result.pathname && result.pathname.startsWith('/')));
      const merged = relative.pathname.startsWith('/')
        ? relative.pathname
        : `${(result.pathname || (result.host ? '/' : '')).replace(/[^/]*$/, '')}${relative.pathname}`;
      result.pathname = removeDotSegments(merged, absoluteBase);
      result.search = relative.search;
      result.query = relative.query;
    } else if (relative.search !== null) {
      result.search = relative.search;
      result.query = relative.query;
    }
    result.path = result.pathname || result.search ? `${result.pathname || ''}${result.search || ''}` : null;
    result.href = result.format();
    return result;
  }
}

function escapeUnsafe(rest) {
  let out = '';
  let last = 0;
  for (let i = 0; i < rest.length; i++) {
    const escaped = autoEscape[rest[i]];
    if (escaped === undefined) continue;
    out += rest.slice(last, i) + escaped;
    last = i + 1;
  }
  return last === 0 ? rest : out + rest.slice(last);
}

// RFC 3986 5.2.4; a relative base may keep leading `..` segments.
function removeDotSegments(path, absolute) {
  const trailing = /(^|\/)\.{1,2}$/.test(path) || path.endsWith('/');
  const out = [];
  for (const segment of path.split('/')) {
    if (segment === '.' || segment === '') continue;
    if (segment === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!absolute) out.push('..');
    } else {
      out.push(segment);
    }
  }
  let result = out.join('/');
  if (absolute || path.startsWith('/')) result = `/${result}`;
  if (trailing && out.length > 0) result += '/';
  return result;
}

let warned = false;
let warnedInvalidPort = false;

function urlParse(url, parseQueryString, slashesDenoteHost) {
  if (url instanceof Url) return url;
  const parsed = new Url();
  parsed.parse(url, parseQueryString, slashesDenoteHost);
  return parsed;
}

// DEP0169, once, and not for code inside node_modules.
function parse(url, parseQueryString, slashesDenoteHost) {
  if (!warned && !calledFromNodeModules()) {
    warned = true;
    process.emitWarning('`url.parse()` behavior is not standardized and prone to errors that have security implications. ' +
      'Use the WHATWG URL API instead. CVEs are not issued for `url.parse()` vulnerabilities.', 'DeprecationWarning', 'DEP0169');
  }
  return urlParse(url, parseQueryString, slashesDenoteHost);
}

function calledFromNodeModules() {
  const site = require('internal/util/call_sites').firstUserCallSite();
  return site !== undefined && /[\\/]node_modules[\\/]/.test(site.getFileName());
}

function format(urlObject) {
  if (typeof urlObject === 'string') return urlParse(urlObject).format();
  if (typeof urlObject !== 'object' || urlObject === null) {
    throw new ERR_INVALID_ARG_TYPE('urlObject', ['Object', 'string'], urlObject);
  }
  return Url.prototype.format.call(urlObject);
}

function resolve(source, relative) {
  return urlParse(source, false, true).resolve(relative);
}

function resolveObject(source, relative) {
  if (!source) return relative;
  return urlParse(source, false, true).resolveObject(relative);
}

module.exports = { Url, parse, format, resolve, resolveObject };
