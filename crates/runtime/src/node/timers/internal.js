// lode:module internal/timers
// Timer and immediate queues. Timers live in one min-heap ordered by due
// time then creation; the native loop is told only the earliest due time and
// whether any ref'ed timer remains. Immediates run in FIFO order, each batch
// being those queued before the check phase began.

const native = binding('timers');
const { validateFunction } = require('internal/validators');

const TIMEOUT_MAX = 2 ** 31 - 1;
const kRefed = Symbol('refed');
const kHasPrimitive = Symbol('kHasPrimitive');
const asyncIdSymbol = Symbol('asyncId');
const triggerIdSymbol = Symbol('triggerId');

let asyncIdCounter = 1;
let timerSeq = 0;
let timerRefCount = 0;
// Timers that handed out a primitive id, so clearTimeout(id) finds them.
const knownTimersById = { __proto__: null };

// A binary min-heap of { timer, due, seq, cancelled } entries.
const heap = [];

function entryBefore(a, b) {
  return a.due < b.due || (a.due === b.due && a.seq < b.seq);
}

function heapPush(entry) {
  heap.push(entry);
  let i = heap.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!entryBefore(heap[i], heap[parent])) break;
    [heap[i], heap[parent]] = [heap[parent], heap[i]];
    i = parent;
  }
}

function heapPop() {
  const top = heap[0];
  const last = heap.pop();
  if (heap.length > 0) {
    heap[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let smallest = i;
      if (l < heap.length && entryBefore(heap[l], heap[smallest])) smallest = l;
      if (r < heap.length && entryBefore(heap[r], heap[smallest])) smallest = r;
      if (smallest === i) break;
      [heap[i], heap[smallest]] = [heap[smallest], heap[i]];
      i = smallest;
    }
  }
  return top;
}

// Drops cancelled entries from the top and tells the loop the next due time.
function rescheduleNative() {
  while (heap.length > 0 && heap[0].cancelled) heapPop();
  native.scheduleTimer(heap.length > 0 ? heap[0].due : -1);
}

function changeTimerRefs(delta) {
  const before = timerRefCount;
  timerRefCount += delta;
  if ((before === 0) !== (timerRefCount === 0)) native.toggleTimerRef(timerRefCount > 0);
}

let emitWarning;
function warn(message, type) {
  emitWarning ??= require('internal/process/warning').emitWarning;
  emitWarning(message, type);
}

let warnedNegative = false;

function coerceDelay(delay) {
  let after = delay * 1;
  if (!(after >= 1 && after <= TIMEOUT_MAX)) {
    if (after > TIMEOUT_MAX) {
      warn(`${after} does not fit into a 32-bit signed integer.\nTimeout duration was set to 1.`, 'TimeoutOverflowWarning');
    } else if (after < 0 && after !== -Infinity) {
      // Node warns about negative delays once per process.
      if (!warnedNegative) {
        warnedNegative = true;
        warn(`${after} is a negative number.\nTimeout duration was set to 1.`, 'TimeoutNegativeWarning');
      }
    } else if (Number.isNaN(delay)) {
      // Only a NaN passed as such warns; undefined or a string does not.
      warn(`${after} is not a number.\nTimeout duration was set to 1.`, 'TimeoutNaNWarning');
    }
    after = 1;
  }
  return after;
}

// A timer is active from scheduling until it is cleared or, for a one-shot
// timer, until its callback returns; only active, ref'ed timers count
// towards keeping the process alive (and towards getActiveResourcesInfo).
const kActive = Symbol('active');
const kEntry = Symbol('heapEntry');

class Timeout {
  constructor(callback, after, args, isRepeat, isRefed) {
    after = coerceDelay(after);
    this._idleTimeout = after;
    this._idlePrev = null;
    this._idleNext = null;
    this._idleStart = null;
    this._onTimeout = callback;
    this._timerArgs = args;
    this._repeat = isRepeat ? after : null;
    this._destroyed = false;
    this[kRefed] = isRefed;
    this[kHasPrimitive] = false;
    this[asyncIdSymbol] = ++asyncIdCounter;
    this[triggerIdSymbol] = 1;
  }

  // Re-arms the timer from now, even after it fired, unless it was cleared.
  refresh() {
    if (this._idleTimeout >= 0) {
      removeFromHeap(this);
      schedule(this, native.now());
    }
    return this;
  }

  unref() {
    if (this[kRefed]) {
      this[kRefed] = false;
      if (this[kActive]) changeTimerRefs(-1);
    }
    return this;
  }

  ref() {
    if (!this[kRefed]) {
      this[kRefed] = true;
      if (this[kActive]) changeTimerRefs(1);
    }
    return this;
  }

  hasRef() {
    return this[kRefed];
  }

  close() {
    clearTimeout(this);
    return this;
  }

  [Symbol.toPrimitive]() {
    const id = this[asyncIdSymbol];
    if (!this[kHasPrimitive]) {
      this[kHasPrimitive] = true;
      knownTimersById[id] = this;
    }
    return id;
  }
}
if (Symbol.dispose) Timeout.prototype[Symbol.dispose] = function () { clearTimeout(this); };

function activate(timer) {
  if (!timer[kActive]) {
    timer[kActive] = true;
    timer._destroyed = false;
    if (timer[kRefed]) changeTimerRefs(1);
  }
}

function deactivate(timer) {
  if (timer[kActive]) {
    timer[kActive] = false;
    if (timer[kRefed]) changeTimerRefs(-1);
  }
  timer._destroyed = true;
  if (timer[kHasPrimitive]) delete knownTimersById[timer[asyncIdSymbol]];
}

function schedule(timer, start) {
  timer._idleStart = start;
  // Like Node, sub-millisecond precision is not assumed: the delay is truncated.
  const entry = { timer, due: start + Math.trunc(timer._idleTimeout), seq: timerSeq++, cancelled: false };
  timer[kEntry] = entry;
  activate(timer);
  const wasTop = heap.length > 0 ? heap[0] : null;
  heapPush(entry);
  if (heap[0] !== wasTop) native.scheduleTimer(heap[0].due);
}

function removeFromHeap(timer) {
  const entry = timer[kEntry];
  if (entry === undefined || entry === null) return;
  entry.cancelled = true;
  timer[kEntry] = null;
  if (heap[0] === entry) rescheduleNative();
}

function clearTimeout(timer) {
  if (timer && timer._onTimeout) {
    timer._onTimeout = null;
    unenroll(timer);
    return;
  }
  if (typeof timer === 'number' || typeof timer === 'string') {
    const known = knownTimersById[timer];
    if (known !== undefined) {
      known._idleTimeout = -1;
      unenroll(known);
    }
  }
}

function unenroll(timer) {
  if (timer._destroyed && !timer[kActive]) return;
  removeFromHeap(timer);
  deactivate(timer);
  timer._idleTimeout = -1;
}

function activeTimerCount() {
  return timerRefCount;
}

function setTimeout(callback, after, ...args) {
  validateFunction(callback, 'callback');
  const timeout = new Timeout(callback, after, args.length > 0 ? args : undefined, false, true);
  schedule(timeout, native.now());
  return timeout;
}

function setInterval(callback, repeat, ...args) {
  validateFunction(callback, 'callback');
  const timeout = new Timeout(callback, repeat, args.length > 0 ? args : undefined, true, true);
  schedule(timeout, native.now());
  return timeout;
}

let runNextTicks;
let fatalException;
function loopHooks() {
  if (runNextTicks === undefined) {
    ({ runNextTicks } = require('internal/process/task_queues'));
    ({ fatalException } = require('internal/process/execution'));
  }
}

// The timers phase: runs every timer due at `now`, draining nextTicks and
// promise jobs between callbacks.
function processTimers(now) {
  loopHooks();
  let ranAtLeastOne = false;
  while (heap.length > 0) {
    const entry = heap[0];
    if (entry.cancelled) {
      heapPop();
      continue;
    }
    if (entry.due > now) break;
    // Ticks queued by the previous timer run before the next one; they may
    // clear or add timers, so look at the heap again afterwards.
    if (ranAtLeastOne) {
      ranAtLeastOne = false;
      runNextTicks();
      continue;
    }
    heapPop();
    const timer = entry.timer;
    timer[kEntry] = null;
    if (typeof timer._onTimeout !== 'function') {
      // Cleared by assigning `_onTimeout = null`, as old code does.
      deactivate(timer);
      continue;
    }
    ranAtLeastOne = true;
    const start = timer._repeat ? native.now() : undefined;
    try {
      const args = timer._timerArgs;
      if (args === undefined) timer._onTimeout();
      else timer._onTimeout(...args);
    } catch (err) {
      fatalException(err);
    }
    if (timer[kEntry] !== null) continue; // refreshed inside its callback
    if (timer._repeat && timer._idleTimeout !== -1 && timer[kActive]) {
      timer._idleTimeout = timer._repeat;
      schedule(timer, start);
    } else if (timer[kActive]) {
      deactivate(timer);
    }
  }
  rescheduleNative();
}

// Immediates: a FIFO queue; `immediateRefCount` counts ref'ed pending ones.
let immediateQueue = [];
let immediatePending = 0;
let immediateRefCount = 0;

function updateImmediateState() {
  native.toggleImmediates(immediatePending > 0, immediateRefCount > 0);
}

class Immediate {
  constructor(callback, args) {
    this._idleNext = null;
    this._idlePrev = null;
    this._onImmediate = callback;
    this._argv = args;
    this._destroyed = false;
    this[kRefed] = true;
    this[asyncIdSymbol] = ++asyncIdCounter;
    this[triggerIdSymbol] = 1;
    immediatePending++;
    immediateRefCount++;
    immediateQueue.push(this);
    updateImmediateState();
  }

  ref() {
    if (!this[kRefed]) {
      this[kRefed] = true;
      if (!this._destroyed) {
        immediateRefCount++;
        updateImmediateState();
      }
    }
    return this;
  }

  unref() {
    if (this[kRefed]) {
      this[kRefed] = false;
      if (!this._destroyed) {
        immediateRefCount--;
        updateImmediateState();
      }
    }
    return this;
  }

  hasRef() {
    return !!this[kRefed];
  }
}
if (Symbol.dispose) Immediate.prototype[Symbol.dispose] = function () { clearImmediate(this); };

function setImmediate(callback, ...args) {
  validateFunction(callback, 'callback');
  return new Immediate(callback, args.length > 0 ? args : undefined);
}

function retireImmediate(immediate) {
  immediate._destroyed = true;
  immediatePending--;
  if (immediate[kRefed]) immediateRefCount--;
  immediate._onImmediate = null;
}

function clearImmediate(immediate) {
  if (!immediate || immediate._destroyed || !(immediate instanceof Immediate)) return;
  retireImmediate(immediate);
  updateImmediateState();
}

// The check phase: runs the immediates queued before it began.
function processImmediates() {
  loopHooks();
  const queue = immediateQueue;
  immediateQueue = [];
  let ranAtLeastOne = false;
  for (let i = 0; i < queue.length; i++) {
    const immediate = queue[i];
    if (immediate._destroyed) continue;
    if (ranAtLeastOne) runNextTicks();
    else ranAtLeastOne = true;
    if (immediate._destroyed) continue;
    const callback = immediate._onImmediate;
    const args = immediate._argv;
    retireImmediate(immediate);
    updateImmediateState();
    try {
      if (args === undefined) callback();
      else callback(...args);
    } catch (err) {
      fatalException(err);
    }
  }
  updateImmediateState();
}

function activeImmediateCount() {
  return immediateRefCount;
}

module.exports = {
  activeTimerCount,
  activeImmediateCount,
  Timeout,
  Immediate,
  setTimeout,
  setInterval,
  clearTimeout,
  setImmediate,
  clearImmediate,
  unenroll,
  processTimers,
  processImmediates,
  kRefed,
  TIMEOUT_MAX,
};
