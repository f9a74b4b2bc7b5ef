// lode:module internal/streams/duplexify
// Duplex.from(): a stream passes through; iterables and strings become a
// readable-only Duplex; an async generator function becomes a Duplex
// whose writes are the generator's input and whose reads its output (an
// async function returning nothing: a writable-only one). Promises, web
// streams and { readable, writable } pairs are not built yet.

const {
  notImplemented, AbortError, codes: { ERR_INVALID_RETURN_VALUE },
} = require('internal/errors');
const { isNodeStream, isIterable } = require('internal/streams/utils');

// Runs `fn` over an async iterable fed by the Duplex's writes: each write
// resolves the pending read of the generator, `final` ends it.
function fromAsyncGen(fn) {
  let pending = Promise.withResolvers();
  const ac = new AbortController();
  const { signal } = ac;
  const value = fn((async function* input() {
    while (true) {
      const { chunk, done, callback } = await pending.promise;
      process.nextTick(callback);
      if (done) return;
      if (signal.aborted) throw new AbortError(undefined, { cause: signal.reason });
      pending = Promise.withResolvers();
      yield chunk;
    }
  })(), { signal });
  return {
    value,
    write(chunk, encoding, callback) {
      pending.resolve({ chunk, done: false, callback });
    },
    final(callback) {
      pending.resolve({ done: true, callback });
    },
    destroy(err, callback) {
      ac.abort();
      callback(err);
    },
  };
}

function fromFunction(body, name) {
  const Duplex = require('internal/streams/duplex');
  const { value, write, final, destroy } = fromAsyncGen(body);
  if (isIterable(value)) {
    return require('internal/streams/from')(Duplex, value, { objectMode: true, write, final, destroy });
  }
  if (typeof value?.then === 'function') {
    let duplex;
    const done = value.then((result) => {
      if (result != null) throw new ERR_INVALID_RETURN_VALUE('nully', 'body', result);
    }, (err) => require('internal/streams/destroy').destroyer(duplex, err));
    duplex = new Duplex({
      objectMode: true,
      readable: false,
      write,
      final(callback) {
        final(async () => {
          try {
            await done;
            process.nextTick(callback, null);
          } catch (err) {
            process.nextTick(callback, err);
          }
        });
      },
      destroy,
    });
    return duplex;
  }
  throw new ERR_INVALID_RETURN_VALUE('Iterable, AsyncIterable or AsyncFunction', name, value);
}

function duplexify(body, name) {
  if (isNodeStream(body)) return body;
  if (isIterable(body) || typeof body === 'string') {
    const Duplex = require('internal/streams/duplex');
    const Readable = require('internal/streams/readable');
    const readable = Readable.from(body);
    const duplex = new Duplex({ objectMode: true, writable: false, read() {} });
    readable.on('data', (chunk) => {
      if (!duplex.push(chunk)) readable.pause();
    });
    duplex._read = () => readable.resume();
    readable.on('end', () => duplex.push(null));
    readable.on('error', (err) => duplex.destroy(err));
    return duplex;
  }
  if (typeof body === 'function') return fromFunction(body, name);
  throw notImplemented(`Duplex.from(${name} of this kind)`);
}

module.exports = duplexify;
