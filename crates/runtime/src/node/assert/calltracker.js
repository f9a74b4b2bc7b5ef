// lode:module internal/assert/calltracker
// assert.CallTracker (deprecated, DEP0173, still in Node 24): wraps
// functions to count their calls, and reports or throws when a tracked
// function was not called exactly the expected number of times.

const { AssertionError } = require('internal/assert/assertion_error');
const { codes: { ERR_INVALID_ARG_VALUE } } = require('internal/errors');
const { validateUint32 } = require('internal/validators');

// Nameless, so its calls are reported under 'calls', as Node's are.
const noop = (() => () => {})();

// One tracked function: its expected count and the calls it got.
class CallTrackerContext {
  #expected;
  #calls = [];
  #name;
  #stackTrace;

  constructor({ expected, name, stackTrace }) {
    this.#expected = expected;
    this.#name = name;
    this.#stackTrace = stackTrace;
  }

  track(thisArg, args) {
    this.#calls.push(Object.freeze({ thisArg, arguments: args }));
  }

  get delta() {
    return this.#calls.length - this.#expected;
  }

  reset() {
    this.#calls = [];
  }

  getCalls() {
    return [...this.#calls];
  }

  report() {
    if (this.delta === 0) return undefined;
    const actual = this.#calls.length;
    return {
      message: `Expected the ${this.#name} function to be executed ${this.#expected} time(s) but was executed ` +
        `${actual} time(s).`,
      actual,
      expected: this.#expected,
      operator: this.#name,
      stack: this.#stackTrace,
    };
  }
}

let warned = false;

class CallTracker {
  #contexts = new Set();
  #tracked = new WeakMap();

  constructor() {
    if (!warned) {
      warned = true;
      process.emitWarning('assert.CallTracker is deprecated.', 'DeprecationWarning', 'DEP0173');
    }
  }

  #contextOf(tracked) {
    const context = this.#tracked.get(tracked);
    if (context === undefined) throw new ERR_INVALID_ARG_VALUE('tracked', tracked, 'is not a tracked function');
    return context;
  }

  // A function that calls `fn` and counts the calls; `expected` defaults to 1.
  calls(fn, expected = 1) {
    if (typeof fn === 'number') {
      expected = fn;
      fn = noop;
    } else if (fn === undefined) {
      fn = noop;
    }
    validateUint32(expected, 'expected', true);
    const context = new CallTrackerContext({ expected, name: fn.name || 'calls', stackTrace: new Error() });
    // A proxy keeps the function's name, length and properties.
    const tracked = new Proxy(fn, {
      apply(target, thisArg, args) {
        context.track(thisArg, args);
        return Reflect.apply(target, thisArg, args);
      },
    });
    this.#contexts.add(context);
    this.#tracked.set(tracked, context);
    return tracked;
  }

  getCalls(tracked) {
    return this.#contextOf(tracked).getCalls();
  }

  reset(tracked) {
    if (tracked === undefined) {
      for (const context of this.#contexts) context.reset();
      return;
    }
    this.#contextOf(tracked).reset();
  }

  report() {
    const errors = [];
    for (const context of this.#contexts) {
      const report = context.report();
      if (report !== undefined) errors.push(report);
    }
    return errors;
  }

  verify() {
    const errors = this.report();
    if (errors.length === 0) return;
    const message = errors.length === 1 ? errors[0].message : 'Functions were not called the expected number of times';
    throw new AssertionError({ message, details: errors });
  }
}

module.exports = CallTracker;
