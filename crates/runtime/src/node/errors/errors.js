// lode:module internal/errors
// Node's error codes: one factory for every `ERR_*` error Lode raises, with
// Node's exact messages, `code` property and `Name [CODE]: message` stack.

const codes = {};

function describeReceived(value) {
  if (value == null) return ` Received ${value}`;
  if (typeof value === 'function') return ` Received function ${value.name}`;
  if (typeof value === 'object') {
    if (value.constructor && value.constructor.name) {
      return ` Received an instance of ${value.constructor.name}`;
    }
    const { inspect } = require('internal/util/inspect');
    return ` Received ${inspect(value, { depth: -1 })}`;
  }
  const { inspect } = require('internal/util/inspect');
  let shown = inspect(value, { colors: false });
  if (shown.length > 28) shown = `${shown.slice(0, 25)}...`;
  return ` Received type ${typeof value} (${shown})`;
}

const classRegExp = /^([A-Z][a-z0-9]*)+$/;
const kTypes = ['string', 'function', 'number', 'object', 'Function', 'Object', 'boolean', 'bigint', 'symbol'];

function formatList(list, word = 'or') {
  if (list.length <= 2) return list.join(` ${word} `);
  return `${list.slice(0, -1).join(', ')}, ${word} ${list[list.length - 1]}`;
}

function invalidArgTypeMessage(name, expected, actual) {
  if (!Array.isArray(expected)) expected = [expected];
  let msg = 'The ';
  if (name.endsWith(' argument')) msg += `${name} `;
  else msg += `"${name}" ${name.includes('.') ? 'property' : 'argument'} `;
  msg += 'must be ';
  const types = [];
  const instances = [];
  const other = [];
  for (const value of expected) {
    if (kTypes.includes(value)) types.push(value.toLowerCase());
    else if (classRegExp.test(value)) instances.push(value);
    else other.push(value);
  }
  if (instances.length > 0) {
    const pos = types.indexOf('object');
    if (pos !== -1) {
      types.splice(pos, 1);
      instances.push('Object');
    }
  }
  if (types.length > 0) {
    msg += `${types.length > 1 ? 'one of type' : 'of type'} ${formatList(types)}`;
    if (instances.length > 0 || other.length > 0) msg += ' or ';
  }
  if (instances.length > 0) {
    msg += `an instance of ${formatList(instances)}`;
    if (other.length > 0) msg += ' or ';
  }
  if (other.length > 0) {
    if (other.length > 1) msg += `one of ${formatList(other)}`;
    else {
      if (other[0].toLowerCase() !== other[0]) msg += 'an ';
      msg += `${other[0]}`;
    }
  }
  return msg + '.' + describeReceived(actual);
}

// Registers one code: `new codes.ERR_X(...args)` is an instance of a
// subclass of `Base` (so `instanceof TypeError` holds and `name` stays
// 'TypeError') with an enumerable `code`, the stack header
// `TypeError [ERR_X]: message`, and `String(err)` naming the code too.
function defineCode(code, Base, message, ...otherBases) {
  codes[code] = makeNodeError(code, Base, message);
  // Some codes come in several error kinds: codes.ERR_X.RangeError.
  for (const Other of otherBases) codes[code][Other.name] = makeNodeError(code, Other, message);
}

function makeNodeError(code, Base, message) {
  class NodeError extends Base {
    constructor(...args) {
      super(typeof message === 'function' ? message(...args) : formatMessage(message, args));
      Object.defineProperty(this, 'name', { value: `${Base.name} [${code}]`, configurable: true, writable: true });
      Error.captureStackTrace(this, NodeError);
      delete this.name;
      Object.defineProperty(this, 'code', { value: code, enumerable: true, writable: true, configurable: true });
    }

    toString() {
      return `${this.name} [${code}]: ${this.message}`;
    }
  }
  Object.defineProperty(NodeError, 'name', { value: Base.name });
  return NodeError;
}

function hasCustomToString(value) {
  for (let proto = value; proto !== null && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    if (Object.hasOwn(proto, 'toString')) return true;
  }
  return false;
}

function formatMessage(template, args) {
  let i = 0;
  return template.replace(/%[sdj]/g, (m) => {
    const v = args[i++];
    if (m === '%d') return String(Number(v));
    if (m === '%j') return JSON.stringify(v);
    // As util.format's %s: objects without their own toString are inspected.
    if (typeof v === 'bigint') return `${v}n`;
    if (v !== null && typeof v === 'object' && !hasCustomToString(v)) {
      return require('internal/util/inspect').inspect(v, { depth: 0, colors: false, compact: 3 });
    }
    return String(v);
  });
}

const E = defineCode;
E('ERR_INVALID_ARG_TYPE', TypeError, invalidArgTypeMessage);
E('ERR_INVALID_ARG_VALUE', TypeError, (name, value, reason = 'is invalid') => {
  const { inspect } = require('internal/util/inspect');
  let shown = inspect(value);
  if (shown.length > 128) shown = `${shown.slice(0, 128)}...`;
  const type = name.includes('.') ? 'property' : 'argument';
  return `The ${type} '${name}' ${reason}. Received ${shown}`;
}, RangeError);
E('ERR_OUT_OF_RANGE', RangeError, (name, range, input) => {
  let received;
  if (Number.isInteger(input) && Math.abs(input) > 2 ** 32) received = addNumericalSeparator(String(input));
  else if (typeof input === 'bigint') {
    received = String(input);
    if (input > 2n ** 32n || input < -(2n ** 32n)) received = addNumericalSeparator(received);
    received += 'n';
  } else {
    const { inspect } = require('internal/util/inspect');
    received = inspect(input);
  }
  return `The value of "${name}" is out of range. It must be ${range}. Received ${received}`;
});
E('ERR_MISSING_ARGS', TypeError, (...names) => {
  const wrapped = names.map((a) => (Array.isArray(a) ? a.map((n) => `"${n}"`).join(' or ') : `"${a}"`));
  let msg = 'The ';
  if (wrapped.length === 1) msg += `${wrapped[0]} argument`;
  else if (wrapped.length === 2) msg += `${wrapped[0]} and ${wrapped[1]} arguments`;
  else msg += `${wrapped.slice(0, -1).join(', ')}, and ${wrapped[wrapped.length - 1]} arguments`;
  return `${msg} must be specified`;
});
E('ERR_CONSTRUCT_CALL_REQUIRED', TypeError, 'Class constructor %s cannot be invoked without `new`');
E('ERR_MEMORY_ALLOCATION_FAILED', Error, 'Failed to allocate memory');
E('ERR_SCRIPT_EXECUTION_TIMEOUT', Error, 'Script execution timed out after %sms');
E('ERR_SCRIPT_EXECUTION_INTERRUPTED', Error, 'Script execution was interrupted by `SIGINT`');
E('ERR_NOT_IMPLEMENTED', Error, (what) => `${what} is not implemented in Lode yet`);
E('ERR_METHOD_NOT_IMPLEMENTED', Error, 'The %s method is not implemented');
E('ERR_UNHANDLED_ERROR', Error, (err) => {
  const msg = 'Unhandled error.';
  if (err === undefined) return msg;
  return `${msg} (${err})`;
});
E('ERR_CONSOLE_WRITABLE_STREAM', TypeError, 'Console expects a writable stream instance for %s');
E('ERR_INVALID_THIS', TypeError, 'Value of "this" must be of type %s');
E('ERR_ARG_NOT_ITERABLE', TypeError, '%s must be iterable');
E('ERR_INVALID_TUPLE', TypeError, '%s must be an iterable %s tuple');
E('ERR_INVALID_RETURN_VALUE', TypeError, (input, name, value) => {
  const type = describeReceived(value).slice(' Received '.length);
  return `Expected ${input} to be returned from the "${name}" function but got ${type}.`;
});
E('ERR_STREAM_PREMATURE_CLOSE', Error, 'Premature close');
E('ERR_STREAM_PUSH_AFTER_EOF', Error, 'stream.push() after EOF');
E('ERR_STREAM_UNSHIFT_AFTER_END_EVENT', Error, 'stream.unshift() after end event');
E('ERR_STREAM_WRITE_AFTER_END', Error, 'write after end');
E('ERR_STREAM_DESTROYED', Error, 'Cannot call %s after a stream was destroyed');
E('ERR_STREAM_NULL_VALUES', TypeError, 'May not write null values to stream');
E('ERR_STREAM_CANNOT_PIPE', Error, 'Cannot pipe, not readable');
E('ERR_STREAM_ALREADY_FINISHED', Error, 'Cannot call %s after a stream was finished');
E('ERR_MULTIPLE_CALLBACK', Error, 'Callback called multiple times');
E('ERR_STRING_TOO_LONG', Error, 'Cannot create a string longer than 0x1fffffe8 characters');
E('ERR_UNKNOWN_SIGNAL', TypeError, 'Unknown signal: %s');
E('ERR_CHILD_PROCESS_STDIO_MAXBUFFER', RangeError, '%s maxBuffer length exceeded');
E('ERR_CHILD_PROCESS_IPC_REQUIRED', Error, "Forked processes must have an IPC channel, missing value 'ipc' in %s");
E('ERR_IPC_CHANNEL_CLOSED', Error, 'Channel closed');
E('ERR_USE_AFTER_CLOSE', Error, '%s was closed');
E('ERR_INVALID_CURSOR_POS', TypeError, 'Cannot set cursor row without setting its column');
E('ERR_IPC_DISCONNECTED', Error, 'IPC channel is already disconnected');
E('ERR_INVALID_CHAR', TypeError, (name, field) => {
  let msg = `Invalid character in ${name}`;
  if (field !== undefined) msg += ` ["${field}"]`;
  return msg;
});
E('ERR_UNKNOWN_ENCODING', TypeError, 'Unknown encoding: %s');
E('ERR_FALSY_VALUE_REJECTION', Error, 'Promise was rejected with falsy value');
E('ERR_UNHANDLED_REJECTION', Error, (reason) =>
  'This error originated either by throwing inside of an async function without a catch block, ' +
  'or by rejecting a promise which was not handled with .catch(). The promise rejected with the' +
  ` reason "${reason}".`);
E('ERR_INVALID_STATE', Error, 'Invalid state: %s', TypeError, RangeError);
E('ERR_ILLEGAL_CONSTRUCTOR', TypeError, 'Illegal constructor');
E('ERR_INVALID_URL', TypeError, 'Invalid URL');
{
  // Carries what failed to parse: `input`, and `base` when one was given.
  const InvalidURL = codes.ERR_INVALID_URL;
  codes.ERR_INVALID_URL = class extends InvalidURL {
    constructor(input, base) {
      super();
      if (input !== undefined) this.input = input;
      if (base !== undefined) this.base = base;
    }
  };
  Object.defineProperty(codes.ERR_INVALID_URL, 'name', { value: 'TypeError' });
}
E('ERR_SOCKET_BAD_PORT', RangeError, (name, port, allowZero = true) => {
  const operator = allowZero ? '>=' : '>';
  return `${name} should be ${operator} 0 and < 65536.${describeReceived(port)}.`;
});
E('ERR_AMBIGUOUS_ARGUMENT', TypeError, 'The "%s" argument is ambiguous. %s');
E('ERR_EVAL_ESM_CANNOT_PRINT', Error, '--print cannot be used with ESM input');
E('ERR_ASYNC_TYPE', TypeError, 'Invalid name for async "type": %s');
E('ERR_SOCKET_CLOSED', Error, 'Socket is closed');
E('ERR_SOCKET_CLOSED_BEFORE_CONNECTION', Error, 'Socket closed before the connection was established');
E('ERR_SERVER_ALREADY_LISTEN', Error, 'Listen method has been called more than once without closing.');
E('ERR_SERVER_NOT_RUNNING', Error, 'Server is not running.');
E('ERR_INVALID_IP_ADDRESS', TypeError, 'Invalid IP address: %s');
E('ERR_INVALID_ADDRESS_FAMILY', RangeError, (family, host, port) => `Invalid address family: ${family} ${host}:${port}`);
E('ERR_HTTP_HEADERS_SENT', Error, 'Cannot %s headers after they are sent to the client');
E('ERR_HTTP_INVALID_HEADER_VALUE', TypeError, 'Invalid value "%s" for header "%s"');
E('ERR_HTTP_INVALID_STATUS_CODE', RangeError, 'Invalid status code: %s');
E('ERR_HTTP_TRAILER_INVALID', Error, 'Trailers are invalid with this transfer encoding');
E('ERR_HTTP_BODY_NOT_ALLOWED', Error, 'Adding content for this request method or response status is not allowed.');
E('ERR_HTTP_CONTENT_LENGTH_MISMATCH', Error, 'Response body\'s content-length of %s byte(s) does not match the content-length of %s byte(s) set in header');
E('ERR_HTTP_SOCKET_ASSIGNED', Error, 'ServerResponse has an already assigned socket');
E('ERR_INVALID_HTTP_TOKEN', TypeError, '%s must be a valid HTTP token ["%s"]');
E('ERR_UNESCAPED_CHARACTERS', TypeError, '%s contains unescaped characters');
E('ERR_INVALID_PROTOCOL', TypeError, 'Protocol "%s" not supported. Expected "%s"');
E('ERR_INVALID_URI', URIError, 'URI malformed');
E('ERR_INVALID_URL_SCHEME', TypeError, (expected) => `The URL must be of scheme ${expected}`);
E('ERR_INVALID_FILE_URL_HOST', TypeError, (platform) => `File URL host must be "localhost" or empty on ${platform}`);
E('ERR_INVALID_FILE_URL_PATH', TypeError, 'File URL path %s');
E('ERR_DIR_CLOSED', Error, 'Directory handle was closed');
E('ERR_DIR_CONCURRENT_OPERATION', Error, 'Cannot do synchronous work on directory handle with concurrent asynchronous operations');
E('ERR_FS_FILE_TOO_LARGE', RangeError, 'File size (%s) is greater than 2 GiB');
E('ERR_FS_WATCH_QUEUE_OVERFLOW', Error, 'fs.watch() queued more than %d events');
E('ERR_MODULE_NOT_FOUND', Error, (request, base) => `Cannot find module '${request}' imported from ${base}`);
E('ERR_UNKNOWN_BUILTIN_MODULE', Error, 'No such built-in module: %s');
E('ERR_REQUIRE_ESM', Error, (filename) => `require() of ES Module ${filename} not supported.`);
E('ERR_INVALID_PACKAGE_CONFIG', Error, (path, base, message) =>
  `Invalid package config ${path}${base ? ` while importing ${base}` : ''}${message ? `. ${message}` : ''}`);
E('ERR_INVALID_SYNC_FORK_INPUT', TypeError, 'Asynchronous forks do not support Buffer, TypedArray, DataView or string input: %s');

function addNumericalSeparator(val) {
  let res = '';
  let i = val.length;
  const start = val[0] === '-' ? 1 : 0;
  for (; i >= start + 4; i -= 3) res = `_${val.slice(i - 3, i)}${res}`;
  return `${val.slice(0, i)}${res}`;
}

// An error for a function that is not built yet: fail loudly, never silently.
function notImplemented(what) {
  return new codes.ERR_NOT_IMPLEMENTED(what);
}

// AbortError as thrown by timers/promises, events.once and friends.
class AbortError extends Error {
  constructor(message = 'The operation was aborted', options = undefined) {
    super(message, options);
    this.code = 'ABORT_ERR';
    this.name = 'AbortError';
  }
}

// ERR_SYSTEM_ERROR: a libuv call failed where Node reports it as a
// SystemError (os.getPriority, os.userInfo...). `context` holds the uv
// error: errno (negative), code, message (its description) and syscall.
class SystemError extends Error {
  constructor(context, code = 'ERR_SYSTEM_ERROR', prefix = 'A system error occurred') {
    let message = `${prefix}: ${context.syscall} returned ${context.code} (${context.message})`;
    if (context.path !== undefined) message += ` ${context.path}`;
    if (context.dest !== undefined) message += ` => ${context.dest}`;
    super(message);
    Error.captureStackTrace(this, SystemError);
    Object.defineProperty(this, 'name', { value: 'SystemError', configurable: true, writable: true });
    Object.defineProperty(this, 'code', { value: code, enumerable: true, configurable: true, writable: true });
    const info = { ...context };
    Object.defineProperty(this, 'info', { value: info, enumerable: true, configurable: true });
    for (const key of ['errno', 'syscall', 'path', 'dest']) {
      if (context[key] === undefined) continue;
      Object.defineProperty(this, key, {
        get() { return info[key]; },
        set(value) { info[key] = value; },
        enumerable: true,
        configurable: true,
      });
    }
  }

  toString() {
    return `${this.name} [${this.code}]: ${this.message}`;
  }
}

// Runs `fn`; a uv error it throws (with errno and syscall) becomes a SystemError.
function asSystemError(fn) {
  try {
    return fn();
  } catch (err) {
    if (err === null || typeof err !== 'object' || typeof err.errno !== 'number' || err.syscall === undefined) throw err;
    const [code, message] = binding('errors').uvName(err.errno);
    throw new SystemError({ errno: err.errno, code, message, syscall: err.syscall, path: err.path, dest: err.dest });
  }
}
codes.ERR_SYSTEM_ERROR = SystemError;

// SystemErrors with their own code and message prefix (Node's
// makeSystemErrorWithCode), built from a uv context as SystemError is.
for (const [code, prefix] of Object.entries({
  ERR_FS_CP_DIR_TO_NON_DIR: 'Cannot overwrite non-directory with directory',
  ERR_FS_CP_EEXIST: 'Target already exists',
  ERR_FS_CP_EINVAL: 'Invalid src or dest',
  ERR_FS_CP_NON_DIR_TO_DIR: 'Cannot overwrite directory with non-directory',
  ERR_FS_CP_SYMLINK_TO_SUBDIRECTORY: 'Cannot overwrite symlink in subdirectory of self',
  ERR_FS_CP_UNKNOWN: 'Cannot copy an unknown file type',
  ERR_FS_EISDIR: 'Path is a directory',
  ERR_FS_CP_FIFO_PIPE: 'Cannot copy a FIFO pipe',
  ERR_FS_CP_SOCKET: 'Cannot copy a socket file',
})) {
  codes[code] = class extends SystemError {
    constructor(context) {
      super(context, code, prefix);
    }
  };
  Object.defineProperty(codes[code], 'name', { value: 'SystemError' });
}

module.exports = { codes, AbortError, SystemError, asSystemError, notImplemented, addNumericalSeparator };
