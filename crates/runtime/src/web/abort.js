// lode:module internal/web/abort
// AbortController and AbortSignal (abort, timeout, any, throwIfAborted),
// with `reason` defaulting to an AbortError DOMException as in Node.

const { EventTarget, Event } = require('internal/web/event_target');
const { codes: { ERR_ILLEGAL_CONSTRUCTOR, ERR_INVALID_ARG_TYPE } } = require('internal/errors');
const { validateNumber, validateArray } = require('internal/validators');
const timers = require('internal/timers');

const kCreate = Symbol('create');
const kAborted = Symbol('kAborted');
const kReason = Symbol('kReason');

function defaultReason() {
  return new DOMException('This operation was aborted', 'AbortError');
}

function abortSignal(signal, reason) {
  if (signal[kAborted]) return;
  signal[kAborted] = true;
  signal[kReason] = reason;
  const event = new Event('abort');
  if (typeof signal.onabort === 'function') signal.onabort(event);
  signal.dispatchEvent(event);
}

class AbortSignal extends EventTarget {
  constructor(key) {
    if (key !== kCreate) throw new ERR_ILLEGAL_CONSTRUCTOR();
    super();
    // Any number of abort listeners is fine: no leak warning, as in Node.
    this[Symbol.for('nodejs.event_target.maxListeners')] = 0;
    this[kAborted] = false;
    this[kReason] = undefined;
    this.onabort = null;
  }

  get aborted() { return this[kAborted]; }
  get reason() { return this[kReason]; }

  throwIfAborted() {
    if (this[kAborted]) throw this[kReason];
  }

  static abort(reason = defaultReason()) {
    const signal = new AbortSignal(kCreate);
    signal[kAborted] = true;
    signal[kReason] = reason;
    return signal;
  }

  static timeout(delay) {
    validateNumber(delay, 'delay', 0, 4294967295);
    const signal = new AbortSignal(kCreate);
    timers.setTimeout(() => {
      abortSignal(signal, new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
    }, delay).unref();
    return signal;
  }

  static any(signals) {
    validateArray(signals, 'signals');
    const result = new AbortSignal(kCreate);
    for (const s of signals) {
      if (!(s instanceof AbortSignal)) throw new ERR_INVALID_ARG_TYPE('signals', 'AbortSignal[]', s);
      if (s.aborted) {
        result[kAborted] = true;
        result[kReason] = s.reason;
        return result;
      }
    }
    for (const s of signals) {
      s.addEventListener('abort', () => abortSignal(result, s.reason), { once: true });
    }
    return result;
  }
}
Object.defineProperty(AbortSignal.prototype, Symbol.toStringTag, { value: 'AbortSignal', configurable: true });
AbortSignal.prototype[Symbol.for('nodejs.util.inspect.custom')] = function (depth, options, inspect) {
  return `AbortSignal ${inspect({ aborted: this.aborted }, options)}`;
};

class AbortController {
  #signal = new AbortSignal(kCreate);

  get signal() { return this.#signal; }

  abort(reason = defaultReason()) {
    abortSignal(this.#signal, reason);
  }
}
Object.defineProperty(AbortController.prototype, Symbol.toStringTag, { value: 'AbortController', configurable: true });
AbortController.prototype[Symbol.for('nodejs.util.inspect.custom')] = function (depth, options, inspect) {
  return `AbortController { signal: ${inspect(this.signal, options)} }`;
};

module.exports = { AbortController, AbortSignal };
