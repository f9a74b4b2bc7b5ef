// lode:module util
// `node:util`. inspect and format live in internal/util/inspect.

const { inspect, format, formatWithOptions, stripVTControlCharacters } = require('internal/util/inspect');
const { codes: { ERR_INVALID_ARG_TYPE, ERR_FALSY_VALUE_REJECTION }, notImplementedFunction } = require('internal/errors');
const { validateFunction, validateString } = require('internal/validators');
const types = require('util/types');

function inherits(ctor, superCtor) {
  if (ctor === undefined || ctor === null) throw new ERR_INVALID_ARG_TYPE('ctor', 'Function', ctor);
  if (superCtor === undefined || superCtor === null) throw new ERR_INVALID_ARG_TYPE('superCtor', 'Function', superCtor);
  if (superCtor.prototype === undefined) throw new ERR_INVALID_ARG_TYPE('superCtor.prototype', 'Object', superCtor.prototype);
  Object.defineProperty(ctor, 'super_', { value: superCtor, writable: true, configurable: true });
  Object.setPrototypeOf(ctor.prototype, superCtor.prototype);
}

const kCustomPromisified = Symbol.for('nodejs.util.promisify.custom');
const kCustomPromisifyArgs = Symbol('customPromisifyArgs');

function promisify(original) {
  validateFunction(original, 'original');
  if (original[kCustomPromisified]) {
    const fn = original[kCustomPromisified];
    validateFunction(fn, 'util.promisify.custom');
    return Object.defineProperty(fn, kCustomPromisified, { value: fn, enumerable: false, writable: false, configurable: true });
  }
  const argumentNames = original[kCustomPromisifyArgs];
  function fn(...args) {
    return new Promise((resolve, reject) => {
      Reflect.apply(original, this, [...args, (err, ...values) => {
        if (err) return reject(err);
        if (argumentNames !== undefined && values.length > 1) {
          const obj = {};
          for (let i = 0; i < argumentNames.length; i++) obj[argumentNames[i]] = values[i];
          resolve(obj);
        } else {
          resolve(values[0]);
        }
      }]);
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
    const callback = args.pop();
    validateFunction(callback, 'last argument');
    const onRejected = (reason) => {
      if (!reason) {
        const err = new ERR_FALSY_VALUE_REJECTION();
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

const warnedCodes = new Set();
function deprecate(fn, msg, code) {
  validateFunction(fn, 'fn');
  if (code !== undefined) validateString(code, 'code');
  if (process.noDeprecation === true) return fn;
  let warned = false;
  function deprecated(...args) {
    if (!warned) {
      warned = true;
      if (code === undefined || !warnedCodes.has(code)) {
        if (code !== undefined) warnedCodes.add(code);
        process.emitWarning(msg, 'DeprecationWarning', code, deprecated);
      }
    }
    if (new.target) return Reflect.construct(fn, args, new.target);
    return Reflect.apply(fn, this, args);
  }
  Object.setPrototypeOf(deprecated, fn);
  if (fn.prototype) deprecated.prototype = fn.prototype;
  return deprecated;
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

function styleText(format, text, { validateStream = true, stream = process.stdout } = {}) {
  validateString(text, 'text');
  const formats = Array.isArray(format) ? format : [format];
  const useColor = !validateStream || (stream?.isTTY === true && !process.env.NO_COLOR && process.env.TERM !== 'dumb');
  let left = '';
  let right = '';
  for (const key of formats) {
    if (key === 'none') continue;
    const code = inspect.colors[key];
    if (code === undefined) {
      const { codes: { ERR_INVALID_ARG_VALUE } } = require('internal/errors');
      throw new ERR_INVALID_ARG_VALUE('format', key, `must be one of: ${Object.keys(inspect.colors).join(', ')}`);
    }
    left += `\u001b[${code[0]}m`;
    right = `\u001b[${code[1]}m${right}`;
  }
  return useColor ? `${left}${text}${right}` : text;
}

function getSystemErrorName(errno) {
  const { errnoNames } = systemErrors();
  return errnoNames.get(-errno) ?? `Unknown system error ${errno}`;
}

function getSystemErrorMap() {
  const { errnoNames, descriptions } = systemErrors();
  const map = new Map();
  for (const [n, name] of errnoNames) map.set(-n, [name, descriptions[name] || '']);
  return map;
}

let systemErrorsCache;
function systemErrors() {
  if (systemErrorsCache) return systemErrorsCache;
  const table = {
    EPERM: [1, 'operation not permitted'], ENOENT: [2, 'no such file or directory'], ESRCH: [3, 'no such process'],
    EINTR: [4, 'interrupted system call'], EIO: [5, 'i/o error'], EBADF: [9, 'bad file descriptor'],
    EAGAIN: [11, 'resource temporarily unavailable'], ENOMEM: [12, 'not enough memory'],
    EACCES: [13, 'permission denied'], EBUSY: [16, 'resource busy or locked'], EEXIST: [17, 'file already exists'],
    EXDEV: [18, 'cross-device link not permitted'], ENOTDIR: [20, 'not a directory'],
    EISDIR: [21, 'illegal operation on a directory'], EINVAL: [22, 'invalid argument'],
    ENFILE: [23, 'file table overflow'], EMFILE: [24, 'too many open files'], ENOSPC: [28, 'no space left on device'],
    EROFS: [30, 'read-only file system'], EPIPE: [32, 'broken pipe'], ENAMETOOLONG: [36, 'name too long'],
    ENOTEMPTY: [39, 'directory not empty'], ELOOP: [40, 'too many symbolic links encountered'],
    EADDRINUSE: [98, 'address already in use'], ECONNRESET: [104, 'connection reset by peer'],
    ETIMEDOUT: [110, 'connection timed out'], ECONNREFUSED: [111, 'connection refused'],
  };
  const errnoNames = new Map();
  const descriptions = {};
  for (const [name, [n, description]] of Object.entries(table)) {
    errnoNames.set(n, name);
    descriptions[name] = description;
  }
  systemErrorsCache = { errnoNames, descriptions };
  return systemErrorsCache;
}

// The caller's stack as structured frames, skipping getCallSites itself.
function getCallSites(frameCount = 10, options) {
  if (typeof frameCount === 'object' && frameCount !== null) {
    options = frameCount;
    frameCount = 10;
  }
  require('internal/validators').validateNumber(frameCount, 'frameCount', 1, 200);
  if (options !== undefined) require('internal/validators').validateObject(options, 'options');
  const holder = {};
  const previousPrepare = Error.prepareStackTrace;
  const previousLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = frameCount;
  Error.prepareStackTrace = (error, sites) => sites;
  try {
    Error.captureStackTrace(holder, getCallSites);
    return holder.stack.map((site) => ({
      functionName: site.getFunctionName() ?? '',
      scriptId: '0',
      scriptName: site.getFileName() ?? '',
      lineNumber: site.getLineNumber(),
      columnNumber: site.getColumnNumber(),
      column: site.getColumnNumber(),
    }));
  } finally {
    Error.prepareStackTrace = previousPrepare;
    Error.stackTraceLimit = previousLimit;
  }
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
  isDeepStrictEqual: require('internal/util/comparisons').isDeepStrictEqual,
  parseArgs: notImplementedFunction('util.parseArgs'),
  parseEnv: notImplementedFunction('util.parseEnv'),
  aborted: notImplementedFunction('util.aborted'),
  transferableAbortController: notImplementedFunction('util.transferableAbortController'),
  transferableAbortSignal: notImplementedFunction('util.transferableAbortSignal'),
  getCallSites,
  toUSVString: (s) => String(s).toWellFormed(),
  TextEncoder: require('internal/web/encoding').TextEncoder,
  TextDecoder: require('internal/web/encoding').TextDecoder,
};
