// lode:module assert
// `node:assert`: every assertion of the legacy and strict modes, raising
// AssertionError with code ERR_ASSERTION, actual, expected and operator.

const { inspect } = require('internal/util/inspect');
const { isDeepEqual, isDeepStrictEqual, isPartialStrictEqual } = require('internal/util/comparisons');
const { codes: { ERR_AMBIGUOUS_ARGUMENT, ERR_CONSTRUCT_CALL_REQUIRED, ERR_INVALID_ARG_TYPE, ERR_MISSING_ARGS } } = require('internal/errors');

const { AssertionError } = require('internal/assert/assertion_error');
const { isNativeError, isRegExp } = require('util/types');
const { validateBoolean, validateObject, validateOneOf } = require('internal/validators');

// The options of the `Assert` instance whose method is running (an
// instance's methods are the module's, run with its options in place).
const kDefaultOptions = { diff: 'simple', skipPrototype: false };
let callOptions = kDefaultOptions;

function newError(options) {
  return new AssertionError({ diff: callOptions.diff, ...options });
}

function innerFail(obj) {
  if (isNativeError(obj.message)) throw obj.message;
  throw newError(obj);
}

// The source text of the failing `assert(...)` call, for its message, as
// Node 24 shows it: the call from its callee on the callee's line, up to
// its closing parenthesis or the end of that line, control characters
// escaped.
function callSiteText(fn) {
  const site = firstSourceSite(fn);
  if (site === undefined) return undefined;
  let source = require('internal/process/execution').sourceText(site.getFileName());
  if (source === undefined) {
    // Code from eval or `new Function`: its function's text has its lines.
    const func = site.getFunction?.();
    if (typeof func !== 'function') return undefined;
    source = Function.prototype.toString.call(func);
  }
  const lines = source.split('\n');
  const lineIndex = site.getLineNumber() - 1;
  if (lines[lineIndex] === undefined) return undefined;
  const offset = lines.slice(0, lineIndex).reduce((sum, line) => sum + line.length + 1, 0) +
    utf16Column(lines[lineIndex], site.getColumnNumber() - 1);
  const paren = callParen(source, offset, fn.name);
  if (paren === undefined) return undefined;
  let start = calleeStart(source, paren);
  while (source[start] === '.') start++;
  let lineEnd = source.indexOf('\n', start);
  if (lineEnd === -1) lineEnd = source.length;
  const line = source.slice(start, lineEnd);
  const text = callEnd(line, paren - start) ?? line.replace(/;?\s*$/, '');
  return text.replace(/[\x00-\x08\x0b\x0c\x0e-\x1f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

// The call site of `fn`'s caller, skipping natives such as `apply`.
function firstSourceSite(fn) {
  const holder = {};
  const { stackTraceLimit, prepareStackTrace } = Error;
  Error.stackTraceLimit = 10;
  Error.prepareStackTrace = (_, sites) => sites;
  try {
    Error.captureStackTrace(holder, fn);
    const sites = holder.stack;
    return Array.isArray(sites) ? sites.find((site) => !site.isNative() && site.getLineNumber() > 0) : undefined;
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
    Error.prepareStackTrace = prepareStackTrace;
  }
}

// The engine counts columns in UTF-8 bytes; strings index UTF-16 units.
function utf16Column(line, byteColumn) {
  let bytes = 0;
  let index = 0;
  while (index < line.length && bytes < byteColumn) {
    const code = line.codePointAt(index);
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    index += code > 0xffff ? 2 : 1;
  }
  return index;
}

// The opening parenthesis of the call that ran `fn`. The engine's position
// is the last one it noted before the call: the callee's name for a call
// without arguments, else somewhere in the arguments (maybe a nested call).
// So the candidates are a call starting there and the calls enclosing it;
// one whose callee has `fn`'s name wins, else the innermost enclosing one.
function callParen(source, offset, name) {
  const candidates = [];
  const here = /^[\p{ID_Start}$][\p{ID_Continue}$]*\s*(\?\.\s*)?\(/u.exec(source.slice(offset, offset + 200));
  if (here) candidates.push(offset + here[0].length - 1);
  let depth = 0;
  for (let i = offset - 1; i >= 0 && i >= offset - 4000 && candidates.length < 8; i--) {
    const c = source[i];
    if (c === ')' || c === ']' || c === '}') depth++;
    else if ((c === '(' || c === '[' || c === '{') && depth-- === 0) {
      depth = 0;
      if (c === '(' && /[\p{ID_Continue}$\])]/u.test(source.slice(0, i).trimEnd().slice(-1))) candidates.push(i);
    }
  }
  const named = candidates.find((paren) => calleeName(source, paren) === name);
  if (named !== undefined) return named;
  return here && candidates.length > 1 ? candidates[1] : candidates[0];
}

function calleeName(source, paren) {
  return /([\p{ID_Continue}$]+)\s*(\?\.\s*)?$/u.exec(source.slice(Math.max(0, paren - 200), paren))?.[1];
}

// Where the callee before `paren` begins: back over names, dots and
// bracketed member accesses (`assert['ok'].call`), not across lines.
function calleeStart(source, paren) {
  let start = paren;
  while (start > 0 && /[ \t]/.test(source[start - 1])) start--;
  while (start > 0) {
    const c = source[start - 1];
    if (/[\p{ID_Continue}$.?]/u.test(c)) {
      start--;
    } else if (c === ']') {
      const open = source.lastIndexOf('[', start - 1);
      if (open === -1 || source.slice(open, start).includes('\n')) break;
      start = open;
    } else {
      break;
    }
  }
  return start;
}

// The call starting at `start` up to its closing parenthesis, when that is
// on the same line (quotes and nested parentheses skipped over).
function callEnd(line, paren) {
  let depth = 0;
  let quote = null;
  for (let i = paren; i < line.length; i++) {
    const c = line[i];
    if (quote !== null) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
    } else if (c === "'" || c === '"' || c === '`') quote = c;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return line.slice(0, i + 1);
  }
  return undefined;
}

function innerOk(fn, argLen, value, message) {
  if (value) return;
  let generatedMessage = false;
  if (argLen === 0) {
    generatedMessage = true;
    message = 'No value argument passed to `assert.ok()`';
  } else if (message == null) {
    generatedMessage = true;
    const text = callSiteText(fn);
    message = text ? `The expression evaluated to a falsy value:\n\n  ${text}\n` : 'The expression evaluated to a falsy value';
  } else if (isNativeError(message)) {
    throw message;
  }
  const err = newError({ actual: value, expected: true, message, operator: '==', stackStartFn: fn });
  err.generatedMessage = generatedMessage;
  throw err;
}

function ok(...args) {
  innerOk(ok, args.length, ...args);
}

const assert = function assert(...args) {
  innerOk(assert, args.length, ...args);
};
assert.ok = ok;
assert.AssertionError = AssertionError;

assert.fail = function fail(actual, expected, message, operator, stackStartFn) {
  const argsLen = arguments.length;
  let internalMessage = false;
  if (argsLen === 0) {
    internalMessage = 'Failed';
  } else if (argsLen === 1) {
    message = actual;
    actual = undefined;
  } else {
    if (argsLen === 2) operator = '!=';
  }
  if (isNativeError(message)) throw message;
  const errArgs = { actual, expected, operator: operator === undefined ? 'fail' : operator, stackStartFn: stackStartFn || fail, message: internalMessage || message };
  const err = newError(errArgs);
  if (internalMessage) err.generatedMessage = true;
  throw err;
};

function requireTwo(args, names) {
  if (args.length < 2) throw new ERR_MISSING_ARGS(...names);
}

assert.equal = function equal(actual, expected, message) {
  requireTwo(arguments, ['actual', 'expected']);
  // eslint-disable-next-line eqeqeq
  if (actual != expected && (!Number.isNaN(actual) || !Number.isNaN(expected))) {
    innerFail({ actual, expected, message, operator: '==', stackStartFn: equal });
  }
};
assert.notEqual = function notEqual(actual, expected, message) {
  requireTwo(arguments, ['actual', 'expected']);
  // eslint-disable-next-line eqeqeq
  if (actual == expected || (Number.isNaN(actual) && Number.isNaN(expected))) {
    innerFail({ actual, expected, message, operator: '!=', stackStartFn: notEqual });
  }
};
assert.strictEqual = function strictEqual(actual, expected, message) {
  requireTwo(arguments, ['actual', 'expected']);
  if (!Object.is(actual, expected)) innerFail({ actual, expected, message, operator: 'strictEqual', stackStartFn: strictEqual });
};
assert.notStrictEqual = function notStrictEqual(actual, expected, message) {
  requireTwo(arguments, ['actual', 'expected']);
  if (Object.is(actual, expected)) innerFail({ actual, expected, message, operator: 'notStrictEqual', stackStartFn: notStrictEqual });
};
assert.deepEqual = function deepEqual(actual, expected, message) {
  requireTwo(arguments, ['actual', 'expected']);
  if (!isDeepEqual(actual, expected)) innerFail({ actual, expected, message, operator: 'deepEqual', stackStartFn: deepEqual });
};
assert.notDeepEqual = function notDeepEqual(actual, expected, message) {
  requireTwo(arguments, ['actual', 'expected']);
  if (isDeepEqual(actual, expected)) innerFail({ actual, expected, message, operator: 'notDeepEqual', stackStartFn: notDeepEqual });
};
assert.deepStrictEqual = function deepStrictEqual(actual, expected, message) {
  requireTwo(arguments, ['actual', 'expected']);
  if (!isDeepStrictEqual(actual, expected, callOptions.skipPrototype)) {
    innerFail({ actual, expected, message, operator: 'deepStrictEqual', stackStartFn: deepStrictEqual });
  }
};
assert.notDeepStrictEqual = function notDeepStrictEqual(actual, expected, message) {
  requireTwo(arguments, ['actual', 'expected']);
  if (isDeepStrictEqual(actual, expected, callOptions.skipPrototype)) {
    innerFail({ actual, expected, message, operator: 'notDeepStrictEqual', stackStartFn: notDeepStrictEqual });
  }
};

assert.partialDeepStrictEqual = function partialDeepStrictEqual(actual, expected, message) {
  requireTwo(arguments, ['actual', 'expected']);
  if (!isPartialStrictEqual(actual, expected)) {
    innerFail({ actual, expected, message, operator: 'partialDeepStrictEqual', stackStartFn: partialDeepStrictEqual });
  }
};

class Comparison {
  constructor(obj, keys, actual) {
    for (const key of keys) {
      if (key in obj) {
        if (actual !== undefined && typeof actual[key] === 'string' && obj[key] instanceof RegExp && obj[key].exec(actual[key]) !== null) {
          this[key] = actual[key];
        } else {
          this[key] = obj[key];
        }
      }
    }
  }
}

function compareExceptionKey(actual, expected, key, message, keys, fn) {
  if (!(key in actual) || !isDeepStrictEqual(actual[key], expected[key])) {
    if (!message) {
      const a = new Comparison(actual, keys);
      const b = new Comparison(expected, keys, actual);
      const err = newError({ actual: a, expected: b, operator: 'deepStrictEqual', stackStartFn: fn });
      err.actual = actual;
      err.expected = expected;
      err.operator = fn.name;
      throw err;
    }
    innerFail({ actual, expected, message, operator: fn.name, stackStartFn: fn });
  }
}

function expectedException(actual, expected, message, fn) {
  let generatedMessage = false;
  let throwError = false;
  if (typeof expected !== 'function') {
    if (expected instanceof RegExp) {
      const str = String(actual);
      if (expected.exec(str) !== null) return;
      if (!message) {
        generatedMessage = true;
        message = `The input did not match the regular expression ${inspect(expected)}. Input:\n\n${inspect(str)}\n`;
      }
      throwError = true;
    } else if (typeof actual !== 'object' || actual === null) {
      const err = newError({ actual, expected, message, operator: 'deepStrictEqual', stackStartFn: fn });
      err.operator = fn.name;
      throw err;
    } else {
      const keys = Object.keys(expected);
      if (expected instanceof Error) keys.push('name', 'message');
      else if (keys.length === 0) {
        const { codes: { ERR_INVALID_ARG_VALUE } } = require('internal/errors');
        throw new ERR_INVALID_ARG_VALUE('error', expected, 'may not be an empty object');
      }
      for (const key of keys) {
        if (typeof actual[key] === 'string' && expected[key] instanceof RegExp && expected[key].exec(actual[key]) !== null) {
          continue;
        }
        compareExceptionKey(actual, expected, key, message, keys, fn);
      }
      return;
    }
  } else if (expected.prototype !== undefined && actual instanceof expected) {
    return;
  } else if (Error.isPrototypeOf(expected) || expected === Error) {
    if (!message) {
      generatedMessage = true;
      message = `The error is expected to be an instance of "${expected.name}". Received `;
      if (isNativeError(actual)) {
        const name = actual.constructor?.name || actual.name;
        message += expected.name === name ? 'an error with identical name but a different prototype.' : `"${name}"`;
        if (actual.message) message += `\n\nError message:\n\n${actual.message}`;
      } else {
        message += `"${inspect(actual, { depth: -1 })}"`;
      }
    }
    throwError = true;
  } else {
    const res = Reflect.apply(expected, {}, [actual]);
    if (res !== true) {
      if (!message) {
        generatedMessage = true;
        const name = expected.name ? `"${expected.name}" ` : '';
        message = `The ${name}validation function is expected to return "true". Received ${inspect(res)}`;
        if (actual instanceof Error) message += `\n\nCaught error:\n\n${actual}`;
      }
      throwError = true;
    }
  }
  if (throwError) {
    const err = newError({ actual, expected, message, operator: fn.name, stackStartFn: fn });
    err.generatedMessage = generatedMessage;
    throw err;
  }
}

const NO_EXCEPTION = Symbol('no exception');

function getActual(fn) {
  if (typeof fn !== 'function') throw new ERR_INVALID_ARG_TYPE('fn', 'Function', fn);
  try {
    fn();
  } catch (e) {
    return e;
  }
  return NO_EXCEPTION;
}

async function waitForActual(promiseFn) {
  let resultPromise;
  if (typeof promiseFn === 'function') {
    resultPromise = promiseFn();
    if (!resultPromise || typeof resultPromise.then !== 'function') {
      const { codes: { ERR_INVALID_RETURN_VALUE } } = require('internal/errors');
      throw new ERR_INVALID_RETURN_VALUE('instance of Promise', 'promiseFn', resultPromise);
    }
  } else if (promiseFn && typeof promiseFn.then === 'function') {
    resultPromise = promiseFn;
  } else {
    throw new ERR_INVALID_ARG_TYPE('promiseFn', ['Function', 'Promise'], promiseFn);
  }
  try {
    await resultPromise;
  } catch (e) {
    return e;
  }
  return NO_EXCEPTION;
}

function expectsError(stackStartFn, actual, error, message) {
  if (typeof error === 'string') {
    if (arguments.length === 4) throw new ERR_INVALID_ARG_TYPE('error', ['Object', 'Error', 'Function', 'RegExp'], error);
    if (typeof actual === 'object' && actual !== null) {
      if (actual.message === error) {
        throw new ERR_AMBIGUOUS_ARGUMENT('error/message', `The error message "${actual.message}" is identical to the message.`);
      }
    } else if (actual === error) {
      throw new ERR_AMBIGUOUS_ARGUMENT('error/message', `The error "${actual}" is identical to the message.`);
    }
    message = error;
    error = undefined;
  } else if (error != null && typeof error !== 'object' && typeof error !== 'function') {
    throw new ERR_INVALID_ARG_TYPE('error', ['Object', 'Error', 'Function', 'RegExp'], error);
  }
  if (actual === NO_EXCEPTION) {
    let details = '';
    if (error?.name) details += ` (${error.name})`;
    details += message ? `: ${message}` : '.';
    const fnType = stackStartFn === assert.rejects ? 'rejection' : 'exception';
    innerFail({ actual: undefined, expected: error, operator: stackStartFn.name, message: `Missing expected ${fnType}${details}`, stackStartFn });
  }
  if (!error) return;
  expectedException(actual, error, message, stackStartFn);
}

// Whether the unwanted `actual` is what doesNotThrow's `expected` names.
function hasMatchingError(actual, expected) {
  if (typeof expected !== 'function') {
    if (isRegExp(expected)) return expected.exec(String(actual)) !== null;
    throw new ERR_INVALID_ARG_TYPE('expected', ['Function', 'RegExp'], expected);
  }
  // Arrow functions have no prototype to test against.
  if (expected.prototype !== undefined && actual instanceof expected) return true;
  if (Object.prototype.isPrototypeOf.call(Error, expected)) return false;
  return Reflect.apply(expected, {}, [actual]) === true;
}

function expectsNoError(stackStartFn, actual, error, message) {
  if (actual === NO_EXCEPTION) return;
  if (typeof error === 'string') {
    message = error;
    error = undefined;
  }
  if (!error || hasMatchingError(actual, error)) {
    const details = message ? `: ${message}` : '.';
    const fnType = stackStartFn === assert.doesNotReject ? 'rejection' : 'exception';
    innerFail({ actual, expected: error, operator: stackStartFn.name,
      message: `Got unwanted ${fnType}${details}\nActual message: "${actual?.message}"`, stackStartFn });
  }
  throw actual;
}

assert.throws = function throws(promiseFn, ...args) {
  expectsError(throws, getActual(promiseFn), ...args);
};
assert.rejects = async function rejects(promiseFn, ...args) {
  expectsError(rejects, await waitForActual(promiseFn), ...args);
};
assert.doesNotThrow = function doesNotThrow(fn, ...args) {
  expectsNoError(doesNotThrow, getActual(fn), ...args);
};
assert.doesNotReject = async function doesNotReject(fn, ...args) {
  expectsNoError(doesNotReject, await waitForActual(fn), ...args);
};

assert.ifError = function ifError(err) {
  if (err !== null && err !== undefined) {
    let message = 'ifError got unwanted exception: ';
    if (typeof err === 'object' && typeof err.message === 'string') {
      message += err.message.length === 0 && err.constructor ? err.constructor.name : err.message;
    } else {
      message += inspect(err);
    }
    const newErr = newError({ actual: err, expected: null, operator: 'ifError', message, stackStartFn: ifError });
    const origStack = err.stack;
    if (typeof origStack === 'string') newErr.stack = `${newErr.stack}\n${origStack.split('\n').slice(1).join('\n')}`;
    throw newErr;
  }
};

function internalMatch(string, regexp, message, fn) {
  if (!(regexp instanceof RegExp)) throw new ERR_INVALID_ARG_TYPE('regexp', 'RegExp', regexp);
  const match = fn === assert.match;
  if (typeof string !== 'string' || (regexp.exec(string) !== null) !== match) {
    if (isNativeError(message)) throw message;
    const generatedMessage = !message;
    message = message || (typeof string !== 'string'
      ? `The "string" argument must be of type string. Received type ${typeof string} (${inspect(string)})`
      : (match ? 'The input did not match the regular expression ' : 'The input was expected to not match the regular expression ') +
        `${inspect(regexp)}. Input:\n\n${inspect(string)}\n`);
    const err = newError({ actual: string, expected: regexp, message, operator: fn.name, stackStartFn: fn });
    err.generatedMessage = generatedMessage;
    throw err;
  }
}

assert.match = function match(string, regexp, message) {
  internalMatch(string, regexp, message, match);
};
assert.doesNotMatch = function doesNotMatch(string, regexp, message) {
  internalMatch(string, regexp, message, doesNotMatch);
};

assert.CallTracker = require('internal/assert/calltracker');

// `new assert.Assert({ diff, strict, skipPrototype })` (Node 24): the
// assertions with their own options; strict (the default) makes equal,
// deepEqual and their negations the strict ones.
const kOptions = Symbol('kOptions');
const kMethods = ['ok', 'fail', 'equal', 'notEqual', 'strictEqual', 'notStrictEqual', 'deepEqual', 'notDeepEqual',
  'deepStrictEqual', 'notDeepStrictEqual', 'partialDeepStrictEqual', 'throws', 'rejects', 'doesNotThrow',
  'doesNotReject', 'ifError', 'match', 'doesNotMatch'];

function Assert(options = {}) {
  if (new.target === undefined) throw new ERR_CONSTRUCT_CALL_REQUIRED('Assert');
  validateObject(options, 'options');
  const { diff = 'simple', strict = true, skipPrototype = false } = options;
  validateOneOf(diff, 'options.diff', ['simple', 'full']);
  validateBoolean(strict, 'options.strict');
  validateBoolean(skipPrototype, 'options.skipPrototype');
  this[kOptions] = { diff, skipPrototype };
  this.AssertionError = AssertionError;
  if (strict) {
    this.equal = this.strictEqual;
    this.notEqual = this.notStrictEqual;
    this.deepEqual = this.deepStrictEqual;
    this.notDeepEqual = this.notDeepStrictEqual;
  }
}
for (const name of kMethods) {
  const method = assert[name];
  const wrapper = {
    [name](...args) {
      const saved = callOptions;
      callOptions = this?.[kOptions] ?? kDefaultOptions;
      try {
        return Reflect.apply(method, this, args);
      } catch (err) {
        // The stack starts where the instance's method was called.
        if (err instanceof AssertionError) Error.captureStackTrace(err, wrapper);
        throw err;
      } finally {
        callOptions = saved;
      }
    },
  }[name];
  Assert.prototype[name] = wrapper;
}
assert.Assert = Assert;

function strict(...args) {
  innerOk(strict, args.length, ...args);
}
assert.strict = Object.assign(strict, assert, {
  equal: assert.strictEqual,
  deepEqual: assert.deepStrictEqual,
  notEqual: assert.notStrictEqual,
  notDeepEqual: assert.notDeepStrictEqual,
});
assert.strict.strict = assert.strict;

module.exports = assert;
