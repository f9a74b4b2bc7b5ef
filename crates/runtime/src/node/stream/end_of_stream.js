// lode:module internal/streams/end_of_stream
// stream.finished(): one callback when a stream is done (ended, finished,
// errored or closed early: ERR_STREAM_PREMATURE_CLOSE), returning a cleanup.

const {
  codes: { ERR_INVALID_ARG_TYPE, ERR_STREAM_PREMATURE_CLOSE }, AbortError,
} = require('internal/errors');
const { validateFunction, validateObject, validateAbortSignal } = require('internal/validators');
const u = require('internal/streams/utils');

function nop() {}

function isRequest(stream) {
  return stream.setHeader && typeof stream.abort === 'function';
}

function finished(stream, options, callback) {
  if (arguments.length === 2) {
    callback = options;
    options = {};
  } else if (options == null) {
    options = {};
  } else {
    validateObject(options, 'options');
  }
  validateFunction(callback, 'callback');
  validateAbortSignal(options.signal, 'options.signal');
  let called = false;
  const once = callback;
  callback = function (...args) {
    if (called) return;
    called = true;
    Reflect.apply(once, this, args);
  };
  if (u.isReadableStream(stream) || u.isWritableStream(stream)) {
    throw require('internal/errors').notImplemented('stream.finished on a web stream');
  }
  if (!u.isNodeStream(stream)) throw new ERR_INVALID_ARG_TYPE('stream', ['ReadableStream', 'WritableStream', 'Stream'], stream);

  const readable = options.readable ?? u.isReadableNodeStream(stream);
  const writable = options.writable ?? u.isWritableNodeStream(stream);
  const wState = stream._writableState;
  const rState = stream._readableState;
  const onlegacyfinish = () => {
    if (!stream.writable) onfinish();
  };
  let willEmitClose = u.willEmitClose(stream) && u.isReadableNodeStream(stream) === readable && u.isWritableNodeStream(stream) === writable;
  let writableFinished = u.isWritableFinished(stream, false);
  const onfinish = () => {
    writableFinished = true;
    if (stream.destroyed) willEmitClose = false;
    if (willEmitClose && (!stream.readable || readable)) return;
    if (!readable || readableFinished) callback.call(stream);
  };
  let readableFinished = u.isReadableFinished(stream, false);
  const onend = () => {
    readableFinished = true;
    if (stream.destroyed) willEmitClose = false;
    if (willEmitClose && (!stream.writable || writable)) return;
    if (!writable || writableFinished) callback.call(stream);
  };
  const onerror = (err) => callback.call(stream, err);
  let closed = u.isClosed(stream);
  const onclose = () => {
    closed = true;
    const errored = u.isWritableErrored(stream) || u.isReadableErrored(stream);
    if (errored && typeof errored !== 'boolean') return callback.call(stream, errored);
    if (readable && !readableFinished && u.isReadableNodeStream(stream, true) && !u.isReadableFinished(stream, false)) {
      return callback.call(stream, new ERR_STREAM_PREMATURE_CLOSE());
    }
    if (writable && !writableFinished && !u.isWritableFinished(stream, false)) {
      return callback.call(stream, new ERR_STREAM_PREMATURE_CLOSE());
    }
    callback.call(stream);
  };
  const onclosed = () => {
    closed = true;
    const errored = u.isWritableErrored(stream) || u.isReadableErrored(stream);
    if (errored && typeof errored !== 'boolean') return callback.call(stream, errored);
    callback.call(stream);
  };
  const onrequest = () => {
    stream.req.on('finish', onfinish);
  };

  if (isRequest(stream)) {
    stream.on('complete', onfinish);
    if (!willEmitClose) stream.on('abort', onclose);
    if (stream.req) onrequest();
    else stream.on('request', onrequest);
  } else if (writable && !wState) {
    stream.on('end', onlegacyfinish);
    stream.on('close', onlegacyfinish);
  }
  if (!willEmitClose && typeof stream.aborted === 'boolean') stream.on('aborted', onclose);
  stream.on('end', onend);
  stream.on('finish', onfinish);
  if (options.error !== false) stream.on('error', onerror);
  stream.on('close', onclose);

  if (closed) {
    process.nextTick(onclose);
  } else if (wState?.errorEmitted || rState?.errorEmitted) {
    if (!willEmitClose) process.nextTick(onclosed);
  } else if (!readable && (!willEmitClose || u.isReadable(stream)) && (writableFinished || u.isWritable(stream) === false)) {
    process.nextTick(onclosed);
  } else if (!writable && (!willEmitClose || u.isWritable(stream)) && (readableFinished || u.isReadable(stream) === false)) {
    process.nextTick(onclosed);
  } else if (rState && stream.req && stream.aborted) {
    process.nextTick(onclosed);
  }

  const cleanup = () => {
    callback = nop;
    stream.removeListener('aborted', onclose);
    stream.removeListener('complete', onfinish);
    stream.removeListener('abort', onclose);
    stream.removeListener('request', onrequest);
    if (stream.req) stream.req.removeListener('finish', onfinish);
    stream.removeListener('end', onlegacyfinish);
    stream.removeListener('close', onlegacyfinish);
    stream.removeListener('finish', onfinish);
    stream.removeListener('end', onend);
    stream.removeListener('error', onerror);
    stream.removeListener('close', onclose);
  };

  if (options.signal && !closed) {
    const abort = () => {
      const endCallback = callback;
      cleanup();
      endCallback.call(stream, new AbortError(undefined, { cause: options.signal.reason }));
    };
    if (options.signal.aborted) {
      process.nextTick(abort);
    } else {
      options.signal.addEventListener('abort', abort, { once: true });
      const originalCallback = callback;
      callback = function (...args) {
        options.signal.removeEventListener('abort', abort);
        Reflect.apply(originalCallback, this, args);
      };
    }
  }
  return cleanup;
}

function finishedPromise(stream, opts) {
  let autoCleanup = false;
  if (opts?.cleanup) {
    require('internal/validators').validateBoolean(opts.cleanup, 'cleanup');
    autoCleanup = opts.cleanup;
  }
  return new Promise((resolve, reject) => {
    const cleanup = finished(stream, opts, (err) => {
      if (autoCleanup) cleanup();
      if (err) reject(err);
      else resolve();
    });
  });
}

finished.finished = finishedPromise;

module.exports = { finished, finishedPromise };
