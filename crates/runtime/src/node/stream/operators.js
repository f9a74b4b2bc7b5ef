// lode:module internal/streams/operators
// The Readable iterator helpers (map, filter, forEach, toArray, some,
// every, find, reduce, take, drop, flatMap): each consumes the stream with
// async iteration. Items are processed one at a time; `concurrency` is
// accepted but not used to run work in parallel.

const { AbortError, codes: { ERR_OUT_OF_RANGE } } = require('internal/errors');
const { validateFunction, validateObject, validateAbortSignal } = require('internal/validators');

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

function map(fn, options = undefined) {
  validateFunction(fn, 'fn');
  const signal = checkOptions(options);
  const stream = this;
  return fromGenerator(this, async function* () {
    for await (const value of stream) {
      throwIfAborted(signal);
      yield await fn(value, { signal });
    }
  });
}

function filter(fn, options = undefined) {
  validateFunction(fn, 'fn');
  const signal = checkOptions(options);
  const stream = this;
  return fromGenerator(this, async function* () {
    for await (const value of stream) {
      throwIfAborted(signal);
      if (await fn(value, { signal })) yield value;
    }
  });
}

function flatMap(fn, options = undefined) {
  validateFunction(fn, 'fn');
  const signal = checkOptions(options);
  const stream = this;
  return fromGenerator(this, async function* () {
    for await (const value of stream) yield* await fn(value, { signal });
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
  const signal = checkOptions(options);
  for await (const value of this) {
    throwIfAborted(signal);
    await fn(value, { signal });
  }
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
  validateFunction(fn, 'fn');
  const signal = checkOptions(options);
  for await (const value of this) {
    if (await fn(value, { signal })) return true;
  }
  return false;
}

async function every(fn, options = undefined) {
  validateFunction(fn, 'fn');
  const signal = checkOptions(options);
  for await (const value of this) {
    if (!(await fn(value, { signal }))) return false;
  }
  return true;
}

async function find(fn, options = undefined) {
  validateFunction(fn, 'fn');
  const signal = checkOptions(options);
  for await (const value of this) {
    if (await fn(value, { signal })) return value;
  }
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
