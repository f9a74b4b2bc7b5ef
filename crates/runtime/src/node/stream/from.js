// lode:module internal/streams/from
// Readable.from(): a Readable over an iterable or async iterable (object
// mode by default), pulling one item per read and closing the iterator when
// the stream is destroyed early. Strings and Buffers are one chunk.

const { codes: { ERR_INVALID_ARG_TYPE, ERR_STREAM_NULL_VALUES } } = require('internal/errors');

function from(Readable, iterable, opts) {
  if (typeof iterable === 'string' || iterable instanceof Uint8Array) {
    return new Readable({
      objectMode: true,
      ...opts,
      read() {
        this.push(iterable);
        this.push(null);
      },
    });
  }
  let iterator;
  let isAsync;
  if (iterable && typeof iterable[Symbol.asyncIterator] === 'function') {
    isAsync = true;
    iterator = iterable[Symbol.asyncIterator]();
  } else if (iterable && typeof iterable[Symbol.iterator] === 'function') {
    isAsync = false;
    iterator = iterable[Symbol.iterator]();
  } else {
    throw new ERR_INVALID_ARG_TYPE('iterable', ['Iterable'], iterable);
  }
  const readable = new Readable({ objectMode: true, highWaterMark: 1, ...opts });
  let reading = false;
  let isAsyncValues = false;
  readable._read = function () {
    if (!reading) {
      reading = true;
      if (isAsync || isAsyncValues) nextAwaited();
      else nextSync();
    }
  };
  readable._destroy = function (error, cb) {
    close(error).then(() => process.nextTick(cb, error), (e) => process.nextTick(cb, e || error));
  };
  async function close(error) {
    const hadError = error !== undefined && error !== null;
    const hasThrow = typeof iterator.throw === 'function';
    if (hadError && hasThrow) {
      const { value, done } = await iterator.throw(error);
      await value;
      if (done) return;
    }
    if (typeof iterator.return === 'function') {
      const { value } = await iterator.return();
      await value;
    }
  }
  // Pushes one item; false once the stream wants no more for now.
  function pushItem(value) {
    if (value === null) {
      reading = false;
      throw new ERR_STREAM_NULL_VALUES();
    }
    if (readable.push(value)) return true;
    reading = false;
    return false;
  }
  function nextSync() {
    try {
      for (;;) {
        const { value, done } = iterator.next();
        if (done) {
          readable.push(null);
          return;
        }
        if (value && typeof value.then === 'function') {
          // From here on, every item is awaited.
          isAsyncValues = true;
          value.then((resolved) => {
            try {
              if (pushItem(resolved)) nextAwaited();
            } catch (err) {
              readable.destroy(err);
            }
          }, (err) => readable.destroy(err));
          return;
        }
        if (!pushItem(value)) return;
      }
    } catch (err) {
      readable.destroy(err);
    }
  }
  // Async iterators, and sync ones whose items are promises.
  async function nextAwaited() {
    try {
      for (;;) {
        const { value, done } = isAsync ? await iterator.next() : iterator.next();
        if (done) {
          readable.push(null);
          return;
        }
        if (!pushItem(isAsync ? value : await value)) return;
      }
    } catch (err) {
      readable.destroy(err);
    }
  }
  return readable;
}

module.exports = from;
