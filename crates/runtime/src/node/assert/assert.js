// lode:module assert
// `node:assert`: every assertion of the legacy and strict modes, raising
// AssertionError with code ERR_ASSERTION, actual, expected and operator.

const { inspect } = require('internal/util/inspect');
const { isDeepEqual, isDeepStrictEqual } = require('internal/util/comparisons');
const { codes: { ERR_CONSTRUCT_CALL_REQUIRED, ERR_INVALID_ARG_TYPE, ERR_MISSING_ARGS }, notImplemented } = require('internal/errors');

const { AssertionError } = require('internal/assert/assertion_error');
const { validateBoolean, validateObject, validateOneOf } = require('internal/validators');

// The options of the `Assert` instance whose method is running (an
// instance's methods are the module's, run with its options in place).
const kDefaultOptions = { diff: 'simple', skipPrototype: false };
let callOptions = kDefaultOptions;

function newError(options) {
  return new AssertionError({ diff: callOptions.diff, ...options });
}

function innerFail(obj) {
  if (obj.message instanceof Error) throw obj.message;
  throw newError(obj);
}

// The source text of the failing `assert(...)` call, for its message.
function callSiteText(fn) {
  const holder = {};
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 1;
  Error.captureStackTrace(holder, fn);
  Error.stackTraceLimit = limit;
  const frame = /\(?([^()\s]+):(\d+):(\d+)\)?$/.exec(String(holder.stack).split('\n')[1] || '');
  if (!frame) return undefined;
  let line;
  try {
    line = binding('fs').readText(frame[1]).split('\n')[Number(frame[2]) - 1];
  } catch {
    return undefined;
  }
  if (line === undefined) return undefined;
  // The `assert` nearest before the call's column (a line may hold more).
  const column = Number(frame[3]) - 1;
  let start = -1;
  for (const match of line.matchAll(/\bassert\b/g)) {
    if (match.index <= column || start === -1) start = match.index;
    if (match.index > column) break;
  }
  if (start === -1) return line.trim().replace(/;$/, '');
  return callExpression(line, start) ?? line.slice(start).trim().replace(/;$/, '');
}

// The call starting at `start` up to its closing parenthesis, when that is
// on the same line (quotes and nested parentheses skipped over).
function callExpression(line, start) {
  let depth = 0;
  let quote = null;
  for (let i = line.indexOf('(', start); i !== -1 && i < line.length; i++) {
    const c = line[i];
    if (quote !== null) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
    } else if (c === "'" || c === '"' || c === '`') quote = c;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return line.slice(start, i + 1);
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
  } else if (message instanceof Error) {
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
  if (message instanceof Error) throw message;
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

// Every key of `expected` is present and strictly deep-equal in `actual`.
function isPartial(actual, expected) {
  if (typeof expected !== 'object' || expected === null) return Object.is(actual, expected);
  if (typeof actual !== 'object' || actual === null) return false;
  if (Object.getPrototypeOf(actual) !== Object.getPrototypeOf(expected)) return false;
  if (expected instanceof Map || expected instanceof Set || ArrayBuffer.isView(expected) || expected instanceof Date ||
      expected instanceof RegExp) {
    return isDeepStrictEqual(actual, expected);
  }
  if (Array.isArray(expected)) {
    let from = 0;
    for (const item of expected) {
      let found = false;
      for (; from < actual.length; from++) {
        if (isPartial(actual[from], item)) {
          found = true;
          from++;
          break;
        }
      }
      if (!found) return false;
    }
    return true;
  }
  return Reflect.ownKeys(expected).every((key) => Object.prototype.propertyIsEnumerable.call(expected, key) === false ||
    (key in actual && isPartial(actual[key], expected[key])));
}

assert.partialDeepStrictEqual = function partialDeepStrictEqual(actual, expected, message) {
  requireTwo(arguments, ['actual', 'expected']);
  if (!isPartial(actual, expected)) {
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
      message = 'The error is expected to be an instance of ' +
        `"${expected.name}". Received "${actual?.constructor?.name ?? inspect(actual)}"`;
      if (actual instanceof Error) message += `\n\nError message:\n\n${actual.message}`;
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
    message = error;
    error = undefined;
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

function expectsNoError(stackStartFn, actual, error, message) {
  if (actual === NO_EXCEPTION) return;
  if (typeof error === 'string') {
    message = error;
    error = undefined;
  }
  if (!error || (typeof error === 'function' && error.prototype !== undefined && actual instanceof error) ||
      (error instanceof RegExp && error.test(String(actual)))) {
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
    if (message instanceof Error) throw message;
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

assert.CallTracker = function CallTracker() {
  throw notImplemented('assert.CallTracker');
};

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

module.exports = assert;
