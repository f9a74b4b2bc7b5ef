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

// A promise for one timer or immediate, rejected with an AbortError if
// `signal` aborts first; `start(onFire)` creates the handle, `cancel` clears it.
function abortable(options, start, cancel, value) {
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
      cancel(handle);
      reject(abortError(signal));
    };
    const handle = start(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(value);
    });
    if (!ref) handle.unref();
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function setTimeout(after, value, options = {}) {
  try {
    if (after !== undefined) validateNumber(after, 'delay');
  } catch (err) {
    return Promise.reject(err);
  }
  return abortable(options, (onFire) => timers.setTimeout(onFire, after), timers.clearTimeout, value);
}

function setImmediate(value, options = {}) {
  return abortable(options, (onFire) => timers.setImmediate(onFire), timers.clearImmediate, value);
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
