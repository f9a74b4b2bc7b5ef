// lode:module internal/fs/watchers
// fs.watch (FSWatcher over the native inotify watcher), fs.watchFile /
// unwatchFile (StatWatcher, polling stat on a timer as libuv's fs_poll
// does), and fs.promises.watch (an async iterator over an FSWatcher).

const EventEmitter = require('events');
const { Buffer } = require('buffer');
const path = require('path');
const native = binding('fs');
const { getValidatedPath, getOptions, getStatsFromBinding, copyStatValues } = require('internal/fs/utils');
const { AbortError, codes: { ERR_FS_WATCH_QUEUE_OVERFLOW } } = require('internal/errors');
const { validateBoolean, validateFunction, validateAbortSignal, validateOneOf, validateInteger } = require('internal/validators');

const kHandle = Symbol('kHandle');

class FSWatcher extends EventEmitter {
  constructor() {
    super();
    this[kHandle] = null;
  }

  // Starts the native watcher; a missing path throws Node's uv error with
  // `filename` set.
  start(filename, persistent = true, recursive = false, encoding = 'utf8') {
    if (this[kHandle] !== null) return;
    filename = getValidatedPath(filename, 'filename');
    const onEvent = (eventType, name) => {
      if (name !== null && encoding && encoding !== 'utf8' && encoding !== 'utf-8') {
        name = encoding === 'buffer' ? Buffer.from(name) : Buffer.from(name).toString(encoding);
      }
      this.emit('change', eventType, name);
    };
    try {
      this[kHandle] = native.watch(filename, recursive, onEvent);
    } catch (err) {
      err.filename = filename;
      throw err;
    }
    if (!persistent) native.refWatch(this[kHandle], false);
  }

  close() {
    if (this[kHandle] === null) return;
    native.unwatch(this[kHandle]);
    this[kHandle] = null;
    process.nextTick(() => this.emit('close'));
  }

  ref() {
    if (this[kHandle] !== null) native.refWatch(this[kHandle], true);
    return this;
  }

  unref() {
    if (this[kHandle] !== null) native.refWatch(this[kHandle], false);
    return this;
  }

  [Symbol.dispose]() {
    this.close();
  }
}

function watchOptions(options) {
  options = getOptions(options);
  const persistent = options.persistent ?? true;
  const recursive = options.recursive ?? false;
  validateBoolean(persistent, 'options.persistent');
  validateBoolean(recursive, 'options.recursive');
  if (options.signal !== undefined) validateAbortSignal(options.signal, 'options.signal');
  return { persistent, recursive, encoding: options.encoding ?? 'utf8', signal: options.signal };
}

function watch(filename, options, listener) {
  if (typeof options === 'function') {
    listener = options;
    options = undefined;
  }
  const { persistent, recursive, encoding, signal } = watchOptions(options);
  const watcher = new FSWatcher();
  watcher.start(filename, persistent, recursive, encoding);
  if (listener) watcher.addListener('change', listener);
  if (signal) {
    if (signal.aborted) {
      process.nextTick(() => watcher.close());
    } else {
      const onAbort = () => watcher.close();
      signal.addEventListener('abort', onAbort, { once: true });
      watcher.once('close', () => signal.removeEventListener('abort', onAbort));
    }
  }
  return watcher;
}

// fs.promises.watch: `{ eventType, filename }` per change until the signal
// aborts (rejecting with AbortError) or the iterator is returned.
async function* watchAsync(filename, options = {}) {
  const { persistent, recursive, encoding, signal } = watchOptions(options);
  const maxQueue = options?.maxQueue ?? 2048;
  const overflow = options?.overflow ?? 'ignore';
  validateInteger(maxQueue, 'options.maxQueue');
  validateOneOf(overflow, 'options.overflow', ['ignore', 'error']);
  if (signal?.aborted) throw new AbortError(undefined, { cause: signal.reason });
  const watcher = new FSWatcher();
  watcher.start(filename, persistent, recursive, encoding);
  const queue = [];
  let wake = null;
  let failure = null;
  const notify = () => {
    if (wake) {
      wake();
      wake = null;
    }
  };
  watcher.on('change', (eventType, name) => {
    if (queue.length >= maxQueue) {
      if (overflow === 'error') failure = new ERR_FS_WATCH_QUEUE_OVERFLOW(maxQueue);
    } else {
      queue.push({ eventType, filename: name });
    }
    notify();
  });
  const onAbort = () => {
    failure = new AbortError(undefined, { cause: signal.reason });
    notify();
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    while (true) {
      while (queue.length > 0) yield queue.shift();
      if (failure) throw failure;
      await new Promise((resolve) => { wake = resolve; });
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    watcher.close();
  }
}

// --- watchFile -------------------------------------------------------------

const kZeroFields = new Array(18).fill(0);
const kStatFieldsCompared = [0, 1, 3, 4, 7, 8, 12, 13, 14, 15, 16, 17];

function sameStat(a, b) {
  return kStatFieldsCompared.every((i) => a[i] === b[i]);
}

class StatWatcher extends EventEmitter {
  #timer = null;
  #bigint;
  #refs = 0;
  #persistent = true;
  #status = 0;
  #prev = kZeroFields;
  #polled = false;

  constructor(bigint = false) {
    super();
    this.#bigint = bigint;
  }

  start(filename, persistent, interval) {
    if (this.#timer !== null) return;
    this.#persistent = persistent;
    this.#refs = 1;
    const poll = () => {
      native.stat(filename, (err) => {
        if (this.#timer === null) return;
        const fields = err ? null : copyStatValues();
        if (err) {
          // Each new error is reported once, with zeroed stats.
          if (this.#status !== err.errno) {
            this.#status = err.errno;
            this.#emit(kZeroFields, this.#prev);
            this.#prev = kZeroFields;
          }
        } else {
          if (this.#status < 0 || (this.#polled && !sameStat(fields, this.#prev))) this.#emit(fields, this.#prev);
          this.#status = 0;
          this.#prev = fields;
        }
        this.#polled = true;
      });
    };
    this.#timer = setInterval(poll, interval);
    if (!persistent) this.#timer.unref();
    poll();
  }

  #emit(curr, prev) {
    this.emit('change', getStatsFromBinding(curr, this.#bigint), getStatsFromBinding(prev, this.#bigint));
  }

  stop() {
    if (this.#timer === null) return;
    clearInterval(this.#timer);
    this.#timer = null;
    process.nextTick(() => this.emit('stop'));
  }

  // Node counts watchFile callers; the timer is ref'ed while any persistent
  // one remains.
  addOrCleanRef(operation) {
    if (operation === 'add') this.#refs++;
    else if (operation === 'clean') this.#refs--;
    else this.#refs = 0;
    if (this.#timer !== null && this.#persistent) {
      if (this.#refs > 0) this.#timer.ref();
      else this.#timer.unref();
    }
  }

  ref() {
    this.#timer?.ref();
    return this;
  }

  unref() {
    this.#timer?.unref();
    return this;
  }
}

const statWatchers = new Map();

function watchFile(filename, options, listener) {
  filename = path.resolve(String(getValidatedPath(filename)));
  if (options === null || typeof options !== 'object') {
    listener = options;
    options = null;
  }
  options = { interval: 5007, persistent: true, ...options };
  validateFunction(listener, 'listener');
  let stat = statWatchers.get(filename);
  if (stat === undefined) {
    stat = new StatWatcher(options.bigint);
    stat.start(filename, options.persistent, options.interval);
    statWatchers.set(filename, stat);
  } else {
    stat.addOrCleanRef('add');
  }
  stat.addListener('change', listener);
  return stat;
}

function unwatchFile(filename, listener) {
  filename = path.resolve(String(getValidatedPath(filename)));
  const stat = statWatchers.get(filename);
  if (stat === undefined) return;
  if (typeof listener === 'function') {
    const before = stat.listenerCount('change');
    stat.removeListener('change', listener);
    if (stat.listenerCount('change') < before) stat.addOrCleanRef('clean');
  } else {
    stat.removeAllListeners('change');
    stat.addOrCleanRef('cleanAll');
  }
  if (stat.listenerCount('change') === 0) {
    stat.stop();
    statWatchers.delete(filename);
  }
}

module.exports = { FSWatcher, StatWatcher, watch, watchAsync, watchFile, unwatchFile };
