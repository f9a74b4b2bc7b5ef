// lode:module internal/process/task_queues
// The `process.nextTick` queue and promise-rejection processing. After every
// callback from the loop, `processTicksAndRejections` runs all ticks, then all
// promise jobs, then reports unhandled rejections, until nothing is left.

const { validateFunction } = require('internal/validators');
const { runMicrotasks } = internals;
const native = binding('process');

// A queue as an array with a moving head, compacted as it drains.
let queue = [];
let head = 0;

function hasTickScheduled() {
  return head < queue.length;
}

function nextTick(callback, ...args) {
  validateFunction(callback, 'callback');
  if (process._exiting) return;
  queue.push({ callback, args });
}

function takeTick() {
  const tock = queue[head];
  queue[head++] = undefined;
  if (head === queue.length) {
    queue = [];
    head = 0;
  }
  return tock;
}

function processTicksAndRejections() {
  do {
    while (head < queue.length) {
      const { callback, args } = takeTick();
      if (args.length === 0) callback();
      else callback(...args);
    }
    runMicrotasks();
  } while (head < queue.length || processPromiseRejections());
}

// V8 names a frame by its receiver, and Node's loop calls this as a method
// of `process`: stack traces through the tick queue read
// "at process.processTicksAndRejections", here too.
Object.defineProperty(processTicksAndRejections, 'name', { value: 'process.processTicksAndRejections' });

let fatalException;
// For JS-driven phases (timers, immediates): drain, routing errors to the
// uncaught-exception path and carrying on, as Node's loop does.
function runNextTicks() {
  fatalException ??= require('internal/process/execution').fatalException;
  for (;;) {
    try {
      processTicksAndRejections();
      return;
    } catch (err) {
      fatalException(err);
    }
  }
}

// Unhandled rejections: promise -> reason, waiting for the end of this drain.
const pendingUnhandled = new Map();
// Rejections already reported, so a late handler emits 'rejectionHandled'.
const reported = new WeakSet();

function unhandledRejectionsMode() {
  const { getOptionValue } = require('internal/options');
  return getOptionValue('--unhandled-rejections') || 'throw';
}

class UnhandledPromiseRejection extends Error {
  constructor(reason) {
    const { inspect } = require('internal/util/inspect');
    const { codes } = require('internal/errors');
    const probe = new codes.ERR_UNHANDLED_REJECTION(inspect(reason));
    super(probe.message);
    this.code = 'ERR_UNHANDLED_REJECTION';
  }
}
Object.defineProperty(UnhandledPromiseRejection.prototype, 'name', {
  value: 'UnhandledPromiseRejection', writable: true, configurable: true,
});

function processPromiseRejections() {
  for (const [handled, promise, reason] of native.takeRejections()) {
    if (!handled) {
      pendingUnhandled.set(promise, reason);
    } else if (pendingUnhandled.has(promise)) {
      pendingUnhandled.delete(promise);
    } else if (reported.has(promise)) {
      reported.delete(promise);
      process.emit('rejectionHandled', promise);
    }
  }
  if (pendingUnhandled.size === 0) return false;
  const mode = unhandledRejectionsMode();
  const { fatalException, emitUnhandledWarning } = require('internal/process/execution');
  for (const [promise, reason] of pendingUnhandled) {
    pendingUnhandled.delete(promise);
    reported.add(promise);
    const asError = reason instanceof Error ? reason : new UnhandledPromiseRejection(reason);
    switch (mode) {
      case 'strict':
        fatalException(asError, true);
        process.emit('unhandledRejection', reason, promise);
        break;
      case 'warn':
        process.emit('unhandledRejection', reason, promise);
        emitUnhandledWarning(reason);
        break;
      case 'none':
        process.emit('unhandledRejection', reason, promise);
        break;
      case 'warn-with-error-code':
        if (!process.emit('unhandledRejection', reason, promise)) {
          emitUnhandledWarning(reason);
          process.exitCode = 1;
        }
        break;
      default:
        if (!process.emit('unhandledRejection', reason, promise)) fatalException(asError, true);
    }
  }
  return true;
}

module.exports = { nextTick, hasTickScheduled, processTicksAndRejections, runNextTicks };
