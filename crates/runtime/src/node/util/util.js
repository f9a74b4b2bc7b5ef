// lode:module util
// `node:util`. inspect and format live in internal/util/inspect.

const { inspect, format, formatWithOptions, stripVTControlCharacters } = require('internal/util/inspect');
const { codes: { ERR_INVALID_ARG_TYPE, ERR_FALSY_VALUE_REJECTION } } = require('internal/errors');
const { validateFunction, validateString } = require('internal/validators');
const types = require('util/types');
const { customPromisifyArgs, deprecate } = require('internal/util');

function inherits(ctor, superCtor) {
  if (ctor === undefined || ctor === null) throw new ERR_INVALID_ARG_TYPE('ctor', 'Function', ctor);
  if (superCtor === undefined || superCtor === null) throw new ERR_INVALID_ARG_TYPE('superCtor', 'Function', superCtor);
  if (superCtor.prototype === undefined) throw new ERR_INVALID_ARG_TYPE('superCtor.prototype', 'Object', superCtor.prototype);
  Object.defineProperty(ctor, 'super_', { value: superCtor, writable: true, configurable: true });
  Object.setPrototypeOf(ctor.prototype, superCtor.prototype);
}

const kCustomPromisified = Symbol.for('nodejs.util.promisify.custom');

function promisify(original) {
  validateFunction(original, 'original');
  if (original[kCustomPromisified]) {
    const fn = original[kCustomPromisified];
    validateFunction(fn, 'util.promisify.custom');
    return Object.defineProperty(fn, kCustomPromisified, { value: fn, enumerable: false, writable: false, configurable: true });
  }
  const argumentNames = original[customPromisifyArgs];
  function fn(...args) {
    return new Promise((resolve, reject) => {
      const result = Reflect.apply(original, this, [...args, (err, ...values) => {
        if (err) return reject(err);
        if (argumentNames !== undefined && values.length > 1) {
          const obj = {};
          for (let i = 0; i < argumentNames.length; i++) obj[argumentNames[i]] = values[i];
          resolve(obj);
        } else {
          resolve(values[0]);
        }
      }]);
      if (types.isPromise(result)) {
        process.emitWarning('Calling promisify on a function that returns a Promise is likely a mistake.',
          'DeprecationWarning', 'DEP0174');
      }
    });
  }
  Object.setPrototypeOf(fn, Object.getPrototypeOf(original));
  Object.defineProperty(fn, kCustomPromisified, { value: fn, enumerable: false, writable: false, configurable: true });
  return Object.defineProperties(fn, Object.getOwnPropertyDescriptors(original));
}
promisify.custom = kCustomPromisified;

function callbackify(original) {
  validateFunction(original, 'original');
  function callbackified(...args) {
    const last = args.pop();
    validateFunction(last, 'last argument');
    // Called with the same `this` as the callbackified function, as Node.
    const callback = last.bind(this);
    const onRejected = (reason) => {
      if (!reason) {
        const err = new ERR_FALSY_VALUE_REJECTION();
        // The stack starts where the tick queue called back, as in Node.
        Error.captureStackTrace(err, onRejected);
        err.reason = reason;
        reason = err;
      }
      callback(reason);
    };
    Reflect.apply(original, this, args).then((value) => process.nextTick(callback, null, value),
      (reason) => process.nextTick(onRejected, reason));
  }
  const descriptors = Object.getOwnPropertyDescriptors(original);
  if (typeof descriptors.length.value === 'number') descriptors.length.value++;
  if (typeof descriptors.name.value === 'string') descriptors.name.value += 'Callbackified';
  Object.defineProperties(callbackified, descriptors);
  return callbackified;
}

const debugEnv = (process.env.NODE_DEBUG || '').split(/[\s,]+/).filter(Boolean)
  .map((s) => new RegExp(`^${s.replace(/[|\\{}()[\]^$+?.]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i'));

function debuglog(set, callback) {
  set = String(set);
  const enabled = debugEnv.some((re) => re.test(set));
  let logger;
  if (enabled) {
    const prefix = `${set.toUpperCase()} ${process.pid}:`;
    logger = (...args) => process.stderr.write(`${prefix} ${format(...args)}\n`);
  } else {
    logger = () => {};
  }
  if (typeof callback === 'function') callback(logger);
  Object.defineProperty(logger, 'enabled', { get: () => enabled, configurable: true, enumerable: true });
  return logger;
}

// A Node stream or a web stream, as Node's styleText accepts.
function isStreamLike(value) {
  if (value === null || typeof value !== 'object') return false;
  if (value._readableState || value._writableState) return true;
  if (typeof value.on === 'function' && (typeof value.write === 'function' || typeof value.pipe === 'function')) return true;
  return typeof value.getReader === 'function' || typeof value.getWriter === 'function';
}

// FORCE_COLOR wins; otherwise a TTY with colours not turned off.
function shouldColorize(stream) {
  const force = process.env.FORCE_COLOR;
  if (force !== undefined) return force === '' || force === '1' || force === '2' || force === '3' || force === 'true';
  if (stream?.isTTY !== true) return false;
  if (typeof stream.getColorDepth === 'function') return stream.getColorDepth() > 2;
  return !process.env.NO_COLOR && !process.env.NODE_DISABLE_COLORS && process.env.TERM !== 'dumb';
}

function styleText(format, text, { validateStream = true, stream = process.stdout } = {}) {
  validateString(text, 'text');
  const formats = Array.isArray(format) ? format : [format];
  if (validateStream && !isStreamLike(stream)) {
    const { codes: { ERR_INVALID_ARG_TYPE } } = require('internal/errors');
    throw new ERR_INVALID_ARG_TYPE('stream', ['ReadableStream', 'WritableStream', 'Stream'], stream);
  }
  const useColor = !validateStream || shouldColorize(stream);
  let left = '';
  let right = '';
  for (const key of formats) {
    if (key === 'none') continue;
    const code = inspect.colors[key];
    if (code === undefined) {
      const { codes: { ERR_INVALID_ARG_VALUE } } = require('internal/errors');
      throw new ERR_INVALID_ARG_VALUE('format', key, `must be one of: ${Object.keys(inspect.colors).join(', ')}`);
    }
    const open = `\u001b[${code[0]}m`;
    const close = `\u001b[${code[1]}m`;
    left += open;
    right = `${close}${right}`;
    // A nested style's reset (except one ending the text) would end this
    // one too: reopen it instead. Code 22 also ends bold/dim siblings, so
    // it stays and the style is reopened after it.
    const reopen = code[1] === 22 ? `${close}${open}` : open;
    let at = text.indexOf(close);
    while (at !== -1 && at + close.length < text.length) {
      text = `${text.slice(0, at)}${reopen}${text.slice(at + close.length)}`;
      at = text.indexOf(close, at + reopen.length);
    }
  }
  return useColor ? `${left}${text}${right}` : text;
}

function getSystemErrorName(errno) {
  require('internal/validators').validateInteger(errno, 'err');
  if (errno >= 0) {
    const { codes: { ERR_OUT_OF_RANGE } } = require('internal/errors');
    throw new ERR_OUT_OF_RANGE('err', 'a negative integer', errno);
  }
  const [name] = binding('errors').uvName(errno);
  return name === 'UNKNOWN' ? `Unknown system error ${errno}` : name;
}

// Every errno Linux defines that libuv names, as [name, description].
function getSystemErrorMap() {
  const map = new Map();
  for (let errno = 1; errno < 135; errno++) {
    const [name, description] = binding('errors').uvName(errno);
    if (name !== 'UNKNOWN') map.set(-errno, [name, description]);
  }
  return map;
}

// The dotenv format, as Node's --env-file and util.parseEnv read it.
function parseEnv(content) {
  require('internal/validators').validateString(content, 'content');
  const result = {};
  const text = content.replace(/\r\n?/g, '\n');
  let pos = 0;
  while (pos < text.length) {
    let lineEnd = text.indexOf('\n', pos);
    if (lineEnd === -1) lineEnd = text.length;
    let line = text.slice(pos, lineEnd).trim();
    let next = lineEnd + 1;
    if (line.startsWith('export ')) line = line.slice(7).trimStart();
    const eq = line.indexOf('=');
    if (line === '' || line.startsWith('#') || eq === -1) {
      pos = next;
      continue;
    }
    const key = line.slice(0, eq).trim();
    let value = line.slice(eq + 1).trimStart();
    const quote = value[0];
    let quoted = false;
    if (quote === '"' || quote === "'" || quote === '`') {
      // The closing quote may be on a later line.
      const start = pos + text.slice(pos, lineEnd).indexOf(value) + 1;
      const close = text.indexOf(quote, start);
      if (close !== -1) {
        value = text.slice(start, close);
        if (quote === '"') value = value.replace(/\\n/g, '\n');
        quoted = true;
        const after = text.indexOf('\n', close);
        next = after === -1 ? text.length : after + 1;
      }
    }
    if (!quoted) {
      const hash = value.indexOf('#');
      if (hash !== -1) value = value.slice(0, hash);
      value = value.trim();
    }
    if (key !== '') result[key] = value;
    pos = next;
  }
  return result;
}

// Resolves once `signal` aborts (or at once if it already has).
function aborted(signal, resource) {
  const { validateAbortSignal, validateObject } = require('internal/validators');
  if (signal === undefined) {
    const { codes: { ERR_INVALID_ARG_TYPE } } = require('internal/errors');
    return Promise.reject(new ERR_INVALID_ARG_TYPE('signal', 'AbortSignal', signal));
  }
  try {
    validateAbortSignal(signal, 'signal');
    validateObject(resource, 'resource', { allowArray: true, allowFunction: true });
  } catch (err) {
    return Promise.reject(err);
  }
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

// The caller's stack as structured frames, skipping getCallSites itself.
function getCallSites(frameCount = 10, options) {
  if (typeof frameCount === 'object' && frameCount !== null) {
    options = frameCount;
    frameCount = 10;
  }
  require('internal/validators').validateNumber(frameCount, 'frameCount', 1, 200);
  if (options !== undefined) require('internal/validators').validateObject(options, 'options');
  return require('internal/util/call_sites').callSites(frameCount, getCallSites).map((site) => ({
    functionName: site.getFunctionName() ?? '',
    scriptId: '0',
    scriptName: site.getFileName() ?? '',
    lineNumber: site.getLineNumber(),
    columnNumber: site.getColumnNumber(),
    column: site.getColumnNumber(),
  }));
}


module.exports = {
  format,
  formatWithOptions,
  inspect,
  inherits,
  promisify,
  callbackify,
  deprecate,
  debuglog,
  debug: debuglog,
  types,
  styleText,
  stripVTControlCharacters,
  getSystemErrorName,
  getSystemErrorMap,
  isArray: Array.isArray,
  _extend: deprecate(function _extend(target, source) {
    if (source === null || typeof source !== 'object') return target;
    for (const key of Object.keys(source)) target[key] = source[key];
    return target;
  }, 'The `util._extend` API is deprecated. Please use Object.assign() instead.', 'DEP0060'),
  isDeepStrictEqual: require('internal/util/comparisons').isDeepStrictEqual,
  parseArgs: (...args) => require('internal/util/parse_args').parseArgs(...args),
  parseEnv,
  aborted,
  getCallSites,
  toUSVString: (s) => String(s).toWellFormed(),
  TextEncoder: require('internal/web/encoding').TextEncoder,
  TextDecoder: require('internal/web/encoding').TextDecoder,
  get MIMEType() { return require('internal/util/mime').MIMEType; },
  get MIMEParams() { return require('internal/util/mime').MIMEParams; },
};
