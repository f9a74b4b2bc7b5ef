// lode:module internal/streams/destroy
// Destruction shared by every stream kind: destroy() once, with `_destroy`,
// the `errored`/`closed` state and the 'error' then 'close' events on the
// next tick; errorOrDestroy for errors raised inside the machinery; and the
// optional asynchronous `_construct` step that holds I/O until it is done.

const kDestroy = Symbol('kDestroy');
const kConstruct = Symbol('kConstruct');

function setError(err, ...states) {
  if (!err) return;
  // Capture the stack before it is emitted (Node does this too).
  err.stack; // eslint-disable-line no-unused-expressions
  for (const state of states) {
    if (state && !state.errored) state.errored = err;
  }
}

function destroy(err, cb) {
  const r = this._readableState;
  const w = this._writableState;
  if ((w && w.destroyed) || (r && r.destroyed)) {
    if (typeof cb === 'function') cb();
    return this;
  }
  setError(err, w, r);
  if (w) w.destroyed = true;
  if (r) r.destroyed = true;
  if ((w && !w.constructed) || (r && !r.constructed)) {
    this.once(kDestroy, (er) => runDestroy(this, err || er, cb));
  } else {
    runDestroy(this, err, cb);
  }
  return this;
}

function runDestroy(self, err, cb) {
  let called = false;
  const onDestroy = (er) => {
    if (called) return;
    called = true;
    const r = self._readableState;
    const w = self._writableState;
    setError(er, w, r);
    if (w) w.closed = true;
    if (r) r.closed = true;
    if (typeof cb === 'function') cb(er);
    if (er) process.nextTick(emitErrorCloseNT, self, er);
    else process.nextTick(emitCloseNT, self);
  };
  try {
    self._destroy(err || null, onDestroy);
  } catch (e) {
    onDestroy(e);
  }
}

function emitErrorCloseNT(self, err) {
  emitErrorNT(self, err);
  emitCloseNT(self);
}

function emitCloseNT(self) {
  const r = self._readableState;
  const w = self._writableState;
  if (w) w.closeEmitted = true;
  if (r) r.closeEmitted = true;
  if ((w && w.emitClose) || (r && r.emitClose)) self.emit('close');
}

function emitErrorNT(self, err) {
  const r = self._readableState;
  const w = self._writableState;
  if ((w && w.errorEmitted) || (r && r.errorEmitted)) return;
  if (w) w.errorEmitted = true;
  if (r) r.errorEmitted = true;
  self.emit('error', err);
}

// Brings a destroyed stream back to life (used by fs streams' reopen).
function undestroy() {
  const r = this._readableState;
  const w = this._writableState;
  if (r) {
    r.constructed = true;
    r.closed = false;
    r.closeEmitted = false;
    r.destroyed = false;
    r.errored = null;
    r.errorEmitted = false;
    r.reading = false;
    r.ended = r.readable === false;
    r.endEmitted = r.readable === false;
  }
  if (w) {
    w.constructed = true;
    w.destroyed = false;
    w.closed = false;
    w.closeEmitted = false;
    w.errored = null;
    w.errorEmitted = false;
    w.finalCalled = false;
    w.prefinished = false;
    w.ended = w.writable === false;
    w.ending = w.writable === false;
    w.finished = w.writable === false;
  }
}

function errorOrDestroy(stream, err, sync) {
  const r = stream._readableState;
  const w = stream._writableState;
  if ((w && w.destroyed) || (r && r.destroyed)) return;
  if ((r && r.autoDestroy) || (w && w.autoDestroy)) {
    stream.destroy(err);
  } else if (err) {
    setError(err, w, r);
    if (sync) process.nextTick(emitErrorNT, stream, err);
    else emitErrorNT(stream, err);
  }
}

function construct(stream, cb) {
  if (typeof stream._construct !== 'function') return;
  const r = stream._readableState;
  const w = stream._writableState;
  if (r) r.constructed = false;
  if (w) w.constructed = false;
  stream.once(kConstruct, cb);
  if (stream.listenerCount(kConstruct) > 1) return;
  process.nextTick(constructNT, stream);
}

function constructNT(stream) {
  let called = false;
  const onConstruct = (err) => {
    if (called) {
      const { codes: { ERR_MULTIPLE_CALLBACK } } = require('internal/errors');
      errorOrDestroy(stream, err ?? new ERR_MULTIPLE_CALLBACK());
      return;
    }
    called = true;
    const r = stream._readableState;
    const w = stream._writableState;
    const s = w || r;
    if (r) r.constructed = true;
    if (w) w.constructed = true;
    if (s.destroyed) stream.emit(kDestroy, err);
    else if (err) errorOrDestroy(stream, err, true);
    else stream.emit(kConstruct);
  };
  try {
    stream._construct((err) => process.nextTick(onConstruct, err));
  } catch (err) {
    process.nextTick(onConstruct, err);
  }
}

function isRequest(stream) {
  return stream && stream.setHeader && typeof stream.abort === 'function';
}

// Destroys anything stream-like: Node streams, requests, fs-like closers.
function destroyer(stream, err) {
  if (!stream || stream.destroyed) return;
  if (typeof stream.destroy === 'function' && !isRequest(stream)) stream.destroy(err);
  else if (isRequest(stream)) stream.abort();
  else if (typeof stream.close === 'function') stream.close();
}

// stream[Symbol.asyncDispose]: destroys an unfinished stream with an
// AbortError and resolves once it has closed (rejecting on another error).
function disposeAsync(stream, done) {
  let error;
  if (!stream.destroyed) {
    const { AbortError } = require('internal/errors');
    error = done ? null : new AbortError();
    stream.destroy(error);
  }
  const { finished } = require('internal/streams/end_of_stream');
  return new Promise((resolve, reject) => finished(stream, (err) => (err && err !== error ? reject(err) : resolve(null))));
}

module.exports = { construct, destroy, undestroy, errorOrDestroy, destroyer, disposeAsync, kDestroy };
