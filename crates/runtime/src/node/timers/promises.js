// lode:module timers/promises
// Promise forms of the timers, with AbortSignal and `ref` support, and the
// `scheduler` API.

const timers = require('internal/timers');
const { AbortError } = require('internal/errors');
const { validateAbortSignal, validateBoolean, validateObject, validateNumber } = require('internal/validators');

function checkOptions(options) {
  validateObject(options, 'options');
  const { signal, ref = true } = options;
  validateAbortSignal(signal, 'options.signal');
  validateBoolean(ref, 'options.ref');
  return { signal, ref };
}

function abortError(signal) {
  return new AbortError(undefined, { cause: signal?.reason });
}

function setTimeout(after, value, options = {}) {
  let signal;
  let ref;
  try {
    if (after !== undefined) validateNumber(after, 'delay');
    ({ signal, ref } = checkOptions(options));
  } catch (err) {
    return Promise.reject(err);
  }
  if (signal?.aborted) return Promise.reject(abortError(signal));
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      timers.clearTimeout(timeout);
      reject(abortError(signal));
    };
    const timeout = timers.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(value);
    }, after);
    if (!ref) timeout.unref();
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function setImmediate(value, options = {}) {
  let signal;
  let ref;
  try {
    ({ signal, ref } = checkOptions(options));
  } catch (err) {
    return Promise.reject(err);
  }
  if (signal?.aborted) return Promise.reject(abortError(signal));
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      timers.clearImmediate(immediate);
      reject(abortError(signal));
    };
    const immediate = timers.setImmediate(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(value);
    });
    if (!ref) immediate.unref();
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

async function* setInterval(after, value, options = {}) {
  if (after !== undefined) validateNumber(after, 'delay');
  const { signal, ref } = checkOptions(options);
  if (signal?.aborted) throw abortError(signal);
  let pending = 0;
  let wake = null;
  let aborted = false;
  const interval = timers.setInterval(() => {
    pending++;
    if (wake) {
      wake();
      wake = null;
    }
  }, after);
  if (!ref) interval.unref();
  const onAbort = () => {
    aborted = true;
    timers.clearTimeout(interval);
    if (wake) {
      wake();
      wake = null;
    }
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for (;;) {
      if (pending === 0 && !aborted) await new Promise((resolve) => { wake = resolve; });
      if (aborted) throw abortError(signal);
      for (; pending > 0; pending--) yield value;
    }
  } finally {
    timers.clearTimeout(interval);
    signal?.removeEventListener('abort', onAbort);
  }
}

const kScheduler = Symbol('kScheduler');

class Scheduler {
  constructor(key) {
    if (key !== kScheduler) {
      const { codes: { ERR_ILLEGAL_CONSTRUCTOR } } = require('internal/errors');
      throw new ERR_ILLEGAL_CONSTRUCTOR();
    }
  }

  yield() {
    return setImmediate();
  }

  wait(delay, options) {
    return setTimeout(delay, undefined, options);
  }
}

const scheduler = new Scheduler(kScheduler);

module.exports = { setTimeout, setImmediate, setInterval, scheduler };
