// lode:module internal/test_runner/mock
// `mock` of node:test: mock functions and methods that record their calls
// and can be restored. Module mocks and fake timers are not built yet.

const { codes: { ERR_INVALID_ARG_TYPE, ERR_INVALID_ARG_VALUE } } = require('internal/errors');
const { validateFunction, validateObject, validateInteger } = require('internal/validators');

const kDefaultTimes = Infinity;

/** The `fn.mock` object: the call log and the implementation switches. */
class MockFunctionContext {
  #calls = [];
  #implementation;
  #restore;
  #times;
  #onceImplementations = new Map();

  constructor(implementation, restore, times) {
    this.#implementation = implementation;
    this.#restore = restore;
    this.#times = times;
  }

  get calls() {
    return this.#calls.slice();
  }

  callCount() {
    return this.#calls.length;
  }

  mockImplementation(implementation) {
    validateFunction(implementation, 'implementation');
    this.#implementation = implementation;
  }

  mockImplementationOnce(implementation, onCall) {
    validateFunction(implementation, 'implementation');
    const call = onCall ?? this.#calls.length;
    validateInteger(call, 'onCall', this.#calls.length);
    this.#onceImplementations.set(call, implementation);
  }

  resetCalls() {
    this.#calls.length = 0;
  }

  restore() {
    if (this.#restore !== undefined) this.#restore();
  }

  /** Picks the implementation for the next call; falls back once `times` is spent. */
  nextImplementation(original) {
    const call = this.#calls.length;
    const once = this.#onceImplementations.get(call);
    if (once !== undefined) {
      this.#onceImplementations.delete(call);
      return once;
    }
    if (call >= this.#times) return original;
    return this.#implementation;
  }

  record(entry) {
    this.#calls.push(entry);
  }
}

function makeMockFunction(original, implementation, times, restore) {
  const context = new MockFunctionContext(implementation, restore, times);
  function mocked(...args) {
    const impl = context.nextImplementation(original) ?? function () {};
    const entry = { arguments: args, error: undefined, result: undefined, stack: new Error(), target: new.target, this: this };
    try {
      entry.result = new.target ? Reflect.construct(impl, args, new.target) : Reflect.apply(impl, this, args);
      return entry.result;
    } catch (err) {
      entry.error = err;
      throw err;
    } finally {
      context.record(entry);
    }
  }
  Object.defineProperty(mocked, 'name', { value: original?.name ?? implementation?.name ?? 'mocked' });
  Object.defineProperty(mocked, 'length', { value: (implementation ?? original)?.length ?? 0 });
  Object.defineProperty(mocked, 'mock', { value: context, enumerable: false });
  return mocked;
}

function splitOptions(implementation, options) {
  if (implementation !== null && typeof implementation === 'object' && typeof implementation !== 'function') {
    return [undefined, implementation];
  }
  return [implementation, options ?? {}];
}

function readTimes(options) {
  const times = options.times ?? kDefaultTimes;
  if (times !== Infinity) validateInteger(times, 'options.times', 1);
  return times;
}

/** A test's `mock` (and the module-level `mock`): creates and tracks mocks. */
class MockTracker {
  #mocks = [];

  fn(original = function () {}, implementation = original, options = {}) {
    if (original !== null && typeof original === 'object') {
      options = original;
      original = function () {};
      implementation = original;
    } else if (implementation !== null && typeof implementation === 'object') {
      options = implementation;
      implementation = original;
    }
    validateFunction(original, 'original');
    validateFunction(implementation, 'implementation');
    validateObject(options, 'options');
    const mocked = makeMockFunction(original, implementation, readTimes(options));
    this.#mocks.push(mocked.mock);
    return mocked;
  }

  method(object, methodName, implementation, options) {
    [implementation, options] = splitOptions(implementation, options);
    if (object === null || (typeof object !== 'object' && typeof object !== 'function')) {
      throw new ERR_INVALID_ARG_TYPE('object', 'Object', object);
    }
    if (typeof methodName !== 'string' && typeof methodName !== 'symbol') {
      throw new ERR_INVALID_ARG_TYPE('methodName', ['string', 'symbol'], methodName);
    }
    validateObject(options, 'options');
    const { getter = false, setter = false } = options;
    if (getter && setter) {
      throw new ERR_INVALID_ARG_VALUE('options.setter', setter, "cannot be used with 'options.getter'");
    }
    let owner = object;
    let descriptor;
    while (owner !== null) {
      descriptor = Object.getOwnPropertyDescriptor(owner, methodName);
      if (descriptor !== undefined) break;
      owner = Object.getPrototypeOf(owner);
    }
    const kind = getter ? 'get' : setter ? 'set' : 'value';
    const original = descriptor?.[kind];
    if (typeof original !== 'function') {
      throw new ERR_INVALID_ARG_VALUE('methodName', original, 'must be a method');
    }
    const ownDescriptor = Object.getOwnPropertyDescriptor(object, methodName);
    const restore = () => {
      if (ownDescriptor === undefined) delete object[methodName];
      else Object.defineProperty(object, methodName, ownDescriptor);
    };
    const mocked = makeMockFunction(original, implementation ?? original, readTimes(options), restore);
    Object.defineProperty(object, methodName, { ...descriptor, [kind]: mocked, configurable: true });
    this.#mocks.push(mocked.mock);
    return mocked;
  }

  getter(object, methodName, implementation, options) {
    [implementation, options] = splitOptions(implementation, options);
    return this.method(object, methodName, implementation, { ...options, getter: true });
  }

  setter(object, methodName, implementation, options) {
    [implementation, options] = splitOptions(implementation, options);
    return this.method(object, methodName, implementation, { ...options, setter: true });
  }

  reset() {
    this.restoreAll();
    this.#mocks = [];
  }

  restoreAll() {
    for (const context of this.#mocks) context.restore();
  }
}


module.exports = { MockTracker };
