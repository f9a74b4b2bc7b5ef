// lode:module internal/streams/pipeline
// stream.pipeline(): connects streams (and async generator functions,
// iterables and a final async function) so data flows from the first to
// the last, every one is destroyed on the first error, and one callback
// reports the outcome.

const { codes: { ERR_INVALID_ARG_TYPE, ERR_INVALID_RETURN_VALUE, ERR_MISSING_ARGS, ERR_STREAM_DESTROYED }, AbortError } =
  require('internal/errors');
const { validateFunction, validateAbortSignal } = require('internal/validators');
const destroyImpl = require('internal/streams/destroy');
const { finished: eos } = require('internal/streams/end_of_stream');
const u = require('internal/streams/utils');

let PassThrough;
let Readable;

function popCallback(streams) {
  validateFunction(streams[streams.length - 1], 'streams[stream.length - 1]');
  return streams.pop();
}

function destroyer(stream, reading, writing) {
  let finished = false;
  stream.on('close', () => {
    finished = true;
  });
  const cleanup = eos(stream, { readable: reading, writable: writing }, (err) => {
    finished = !err;
  });
  return {
    destroy(err) {
      if (finished) return;
      finished = true;
      destroyImpl.destroyer(stream, err || new ERR_STREAM_DESTROYED('pipe'));
    },
    cleanup,
  };
}

function makeAsyncIterable(val) {
  if (u.isIterable(val)) return val;
  if (u.isReadableNodeStream(val)) {
    Readable ??= require('internal/streams/readable');
    return Readable.prototype[Symbol.asyncIterator].call(val);
  }
  throw new ERR_INVALID_ARG_TYPE('val', ['Readable', 'Iterable', 'AsyncIterable'], val);
}

async function pumpToNode(iterable, writable, finish, { end }) {
  let error;
  let onresolve = null;
  const resume = (err) => {
    if (err) error = err;
    if (onresolve) {
      const callback = onresolve;
      onresolve = null;
      callback();
    }
  };
  const wait = () => new Promise((resolve, reject) => {
    if (error) reject(error);
    else onresolve = () => (error ? reject(error) : resolve());
  });
  writable.on('drain', resume);
  const cleanup = eos(writable, { readable: false }, resume);
  try {
    if (writable.writableNeedDrain) await wait();
    for await (const chunk of iterable) {
      if (!writable.write(chunk)) await wait();
    }
    if (end) {
      writable.end();
      await wait();
    }
    finish();
  } catch (err) {
    finish(error !== err ? aggregate(error, err) : err);
  } finally {
    cleanup();
    writable.off('drain', resume);
  }
}

function aggregate(inner, outer) {
  return inner || outer;
}

function pipeline(...streams) {
  return pipelineImpl(streams, popCallback(streams));
}

function pipelineImpl(streams, callback, opts) {
  if (streams.length === 1 && Array.isArray(streams[0])) streams = streams[0];
  if (streams.length < 2) throw new ERR_MISSING_ARGS('streams');
  const ac = new AbortController();
  const signal = ac.signal;
  const outerSignal = opts?.signal;
  validateAbortSignal(outerSignal, 'options.signal');
  const abort = () => finishImpl(new AbortError(undefined, { cause: outerSignal?.reason }), true);
  outerSignal?.addEventListener('abort', abort, { once: true });

  let error;
  let value;
  const destroys = [];
  const lastCleanups = [];
  let finishCount = 0;

  function finish(err) {
    finishImpl(err, --finishCount === 0);
  }

  function finishImpl(err, final) {
    if (err && (!error || error.code === 'ERR_STREAM_PREMATURE_CLOSE')) error = err;
    if (!error && !final) return;
    while (destroys.length) destroys.shift()(error);
    outerSignal?.removeEventListener('abort', abort);
    ac.abort();
    if (final) {
      if (!error) for (const cleanup of lastCleanups) cleanup();
      process.nextTick(callback, error, value);
    }
  }

  let ret;
  for (let i = 0; i < streams.length; i++) {
    const stream = streams[i];
    const reading = i < streams.length - 1;
    const writing = i > 0;
    const end = reading || opts?.end !== false;
    const isLastStream = i === streams.length - 1;
    if (u.isNodeStream(stream)) {
      if (end) {
        const { destroy, cleanup } = destroyer(stream, reading, writing);
        destroys.push(destroy);
        if (u.isReadable(stream) && isLastStream) lastCleanups.push(cleanup);
      }
      // Errors after the pipeline settled must not crash the process.
      stream.on('error', onError);
      if (u.isReadable(stream) && isLastStream) lastCleanups.push(() => stream.removeListener('error', onError));
    }
    if (i === 0) {
      if (typeof stream === 'function') {
        ret = stream({ signal });
        if (!u.isIterable(ret)) throw new ERR_INVALID_RETURN_VALUE('Iterable, AsyncIterable or Stream', 'source', ret);
      } else if (u.isIterable(stream) || u.isReadableNodeStream(stream)) {
        ret = stream;
      } else {
        throw new ERR_INVALID_ARG_TYPE('source', ['Stream', 'Iterable', 'AsyncIterable', 'Function'], stream);
      }
    } else if (typeof stream === 'function') {
      ret = stream(makeAsyncIterable(ret), { signal });
      if (reading) {
        if (!u.isIterable(ret, true)) throw new ERR_INVALID_RETURN_VALUE('AsyncIterable', `transform[${i - 1}]`, ret);
      } else {
        PassThrough ??= require('internal/streams/transform').PassThrough;
        const pt = new PassThrough({ objectMode: true });
        const then = ret?.then;
        if (typeof then === 'function') {
          finishCount++;
          Reflect.apply(then, ret, [(val) => {
            value = val;
            if (val != null) pt.write(val);
            if (end) pt.end();
            process.nextTick(finish);
          }, (err) => {
            pt.destroy(err);
            process.nextTick(finish, err);
          }]);
        } else if (u.isIterable(ret, true)) {
          finishCount++;
          pumpToNode(ret, pt, finish, { end });
        } else {
          throw new ERR_INVALID_RETURN_VALUE('AsyncIterable or Promise', 'destination', ret);
        }
        ret = pt;
        const { destroy, cleanup } = destroyer(ret, false, true);
        destroys.push(destroy);
        if (isLastStream) lastCleanups.push(cleanup);
      }
    } else if (u.isNodeStream(stream)) {
      if (u.isReadableNodeStream(ret)) {
        finishCount += 2;
        const cleanup = pipe(ret, stream, finish, { end });
        if (u.isReadable(stream) && isLastStream) lastCleanups.push(cleanup);
      } else if (u.isIterable(ret)) {
        finishCount++;
        pumpToNode(ret, stream, finish, { end });
      } else {
        throw new ERR_INVALID_ARG_TYPE('val', ['Readable', 'Iterable', 'AsyncIterable'], ret);
      }
      ret = stream;
    } else {
      throw new ERR_INVALID_ARG_TYPE(`streams[${i}]`, ['Stream', 'Function'], stream);
    }
  }
  if (signal.aborted || outerSignal?.aborted) process.nextTick(abort);
  return ret;

  function onError(err) {
    finish(err);
  }
}

// Pipes src into dst; returns the cleanup of dst's end-of-stream watch,
// which a finished pipeline removes from its last stream.
function pipe(src, dst, finish, { end }) {
  src.pipe(dst, { end: false });
  const srcDone = eos(src, { readable: true, writable: false }, (err) => {
    const rState = src._readableState;
    if (err && err.code === 'ERR_STREAM_PREMATURE_CLOSE' && rState && rState.ended && !rState.errored && !rState.errorEmitted) {
      src.once('end', finish).once('error', finish);
    } else {
      finish(err);
    }
  });
  if (!end) {
    finish();
    return srcDone;
  }
  const endFn = () => dst.end();
  if (u.isReadableFinished(src)) process.nextTick(endFn);
  else src.once('end', endFn);
  return eos(dst, { readable: false, writable: true }, finish);
}

module.exports = { pipeline, pipelineImpl };
