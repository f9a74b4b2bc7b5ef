// lode:module internal/streams/operators
// The Readable iterator helpers (map, filter, forEach, toArray, some,
// every, find, reduce, take, drop, flatMap). map runs up to `concurrency`
// calls of `fn` at once and yields results in input order, reading ahead
// at most `highWaterMark` results; filter, forEach, flatMap, some, every
// and find are built on it, as in Node.

const { AbortError, codes: { ERR_OUT_OF_RANGE } } = require('internal/errors');
const { validateFunction, validateObject, validateAbortSignal, validateInteger } = require('internal/validators');

// What a mapping function returns to drop an item (filter, forEach).
const kEmpty = Symbol('kEmpty');
const kEof = Symbol('kEof');

function checkOptions(options) {
  if (options != null) validateObject(options, 'options');
  validateAbortSignal(options?.signal, 'options.signal');
  if (options?.concurrency != null) {
    const concurrency = Math.floor(options.concurrency);
    if (!(concurrency >= 1)) throw new ERR_OUT_OF_RANGE('options.concurrency', '>= 1', options.concurrency);
  }
  return options?.signal;
}

function throwIfAborted(signal) {
  if (signal?.aborted) throw new AbortError(undefined, { cause: signal.reason });
}

function fromGenerator(stream, generator) {
  const Readable = require('internal/streams/readable');
  return Readable.from(generator(), { objectMode: true });
}

// map as an async generator: a pump reads the source and starts `fn` for
// each item while fewer than `concurrency` are running and fewer than
// `highWaterMark` results wait; the consumer awaits results in order.
function mapGenerator(stream, fn, options) {
  validateFunction(fn, 'fn');
  if (options != null) validateObject(options, 'options');
  if (options?.signal != null) validateAbortSignal(options.signal, 'options.signal');
  const concurrency = options?.concurrency != null ? Math.floor(options.concurrency) : 1;
  let highWaterMark = options?.highWaterMark != null ? Math.floor(options.highWaterMark) : concurrency - 1;
  validateInteger(concurrency, 'options.concurrency', 1);
  validateInteger(highWaterMark, 'options.highWaterMark', 0);
  highWaterMark += concurrency;

  return (async function* map() {
    const signal = AbortSignal.any([options?.signal].filter(Boolean));
    const signalOption = { signal };
    const queue = [];
    let wakeConsumer = null;
    let wakePump = null;
    let done = false;
    let running = 0;

    const maybeResume = () => {
      if (wakePump && !done && running < concurrency && queue.length < highWaterMark) {
        wakePump();
        wakePump = null;
      }
    };
    const afterItem = () => {
      running -= 1;
      maybeResume();
    };
    const onFailure = () => {
      done = true;
      afterItem();
    };
    const notifyConsumer = () => {
      if (wakeConsumer) {
        wakeConsumer();
        wakeConsumer = null;
      }
    };

    (async () => {
      try {
        for await (const value of stream) {
          if (done) return;
          throwIfAborted(signal);
          let result;
          try {
            result = fn(value, signalOption);
            if (result === kEmpty) continue;
            result = Promise.resolve(result);
          } catch (err) {
            result = Promise.reject(err);
          }
          running += 1;
          result.then(afterItem, onFailure);
          queue.push(result);
          notifyConsumer();
          if (!done && (queue.length >= highWaterMark || running >= concurrency)) {
            await new Promise((resolve) => { wakePump = resolve; });
          }
        }
        queue.push(kEof);
      } catch (err) {
        const failed = Promise.reject(err);
        failed.then(afterItem, onFailure);
        queue.push(failed);
      } finally {
        done = true;
        notifyConsumer();
      }
    })();

    try {
      while (true) {
        while (queue.length > 0) {
          const value = await queue[0];
          if (value === kEof) return;
          throwIfAborted(signal);
          if (value !== kEmpty) yield value;
          queue.shift();
          maybeResume();
        }
        await new Promise((resolve) => { wakeConsumer = resolve; });
      }
    } finally {
      done = true;
      if (wakePump) {
        wakePump();
        wakePump = null;
      }
    }
  })();
}

function map(fn, options = undefined) {
  const generator = mapGenerator(this, fn, options);
  return fromGenerator(this, () => generator);
}

function filterGenerator(stream, fn, options) {
  validateFunction(fn, 'fn');
  return mapGenerator(stream, async (value, opts) => ((await fn(value, opts)) ? value : kEmpty), options);
}

function filter(fn, options = undefined) {
  const generator = filterGenerator(this, fn, options);
  return fromGenerator(this, () => generator);
}

function flatMap(fn, options = undefined) {
  const values = mapGenerator(this, fn, options);
  return fromGenerator(this, async function* () {
    for await (const value of values) yield* value;
  });
}

function take(number, options = undefined) {
  const limit = toIntegerOrInfinity(number);
  const signal = checkOptions(options);
  const stream = this;
  return fromGenerator(this, async function* () {
    if (limit <= 0) return;
    let count = 0;
    for await (const value of stream) {
      throwIfAborted(signal);
      yield value;
      if (++count >= limit) return;
    }
  });
}

function drop(number, options = undefined) {
  const limit = toIntegerOrInfinity(number);
  const signal = checkOptions(options);
  const stream = this;
  return fromGenerator(this, async function* () {
    let count = 0;
    for await (const value of stream) {
      throwIfAborted(signal);
      if (count++ >= limit) yield value;
    }
  });
}

function toIntegerOrInfinity(number) {
  number = Number(number);
  if (Number.isNaN(number)) return 0;
  if (number < 0) throw new (require('internal/errors').codes.ERR_OUT_OF_RANGE)('number', '>= 0', number);
  return Math.trunc(number);
}

async function forEach(fn, options = undefined) {
  validateFunction(fn, 'fn');
  const each = async (value, opts) => {
    await fn(value, opts);
    return kEmpty;
  };
  // eslint-disable-next-line no-unused-vars
  for await (const unused of mapGenerator(this, each, options));
}

async function toArray(options = undefined) {
  const signal = checkOptions(options);
  const result = [];
  for await (const value of this) {
    throwIfAborted(signal);
    result.push(value);
  }
  return result;
}

async function some(fn, options = undefined) {
  // eslint-disable-next-line no-unused-vars
  for await (const unused of filterGenerator(this, fn, options)) return true;
  return false;
}

async function every(fn, options = undefined) {
  validateFunction(fn, 'fn');
  return !(await some.call(this, async (...args) => !(await fn(...args)), options));
}

async function find(fn, options = undefined) {
  for await (const result of filterGenerator(this, fn, options)) return result;
  return undefined;
}

async function reduce(reducer, initialValue = undefined, options = undefined) {
  validateFunction(reducer, 'reducer');
  const signal = checkOptions(options);
  let hasInitial = arguments.length > 1;
  let accumulator = initialValue;
  for await (const value of this) {
    throwIfAborted(signal);
    if (!hasInitial) {
      accumulator = value;
      hasInitial = true;
    } else {
      accumulator = await reducer(accumulator, value, { signal });
    }
  }
  if (!hasInitial) {
    const err = new TypeError('Reduce of an empty stream requires an initial value');
    err.code = 'ERR_INVALID_ARGS';
    throw err;
  }
  return accumulator;
}


module.exports = {
  streamReturningOperators: { drop, filter, flatMap, map, take },
  promiseReturningOperators: { every, forEach, reduce, toArray, some, find },
};
