// lode:module stream/web
// WHATWG streams: ReadableStream (default and byte sources, default and
// BYOB readers, tee, pipeTo/pipeThrough, async iteration, from),
// WritableStream, TransformStream, the queuing strategies and the text
// encoding streams. The state machines follow the Streams Standard's
// algorithms, written compactly; what is not built (a byte source's
// byobRequest) says so when used.

const {
  codes: { ERR_INVALID_ARG_TYPE, ERR_INVALID_ARG_VALUE, ERR_INVALID_STATE, ERR_INVALID_THIS },
  AbortError,
  notImplemented,
} = require('internal/errors');

const kState = Symbol('kState');

function deferred() {
  let resolve;
  let reject;
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => {});
  return { promise, resolve, reject };
}

function lockedError(what) {
  return new ERR_INVALID_STATE.TypeError(`${what} is locked`);
}

function check(obj, Class, name) {
  if (!(obj instanceof Class) || obj[kState] === undefined) throw new ERR_INVALID_THIS(name);
  return obj[kState];
}

function strategyOf(strategy, defaultHWM) {
  const highWaterMark = strategy?.highWaterMark === undefined ? defaultHWM : Number(strategy.highWaterMark);
  if (Number.isNaN(highWaterMark) || highWaterMark < 0) {
    throw new ERR_INVALID_ARG_VALUE.RangeError('strategy.highWaterMark', strategy?.highWaterMark);
  }
  const size = strategy?.size;
  if (size !== undefined && typeof size !== 'function') throw new ERR_INVALID_ARG_TYPE('strategy.size', 'Function', size);
  return { highWaterMark, size: size ?? (() => 1) };
}

// --- ReadableStream ---------------------------------------------------------

class ReadableStreamDefaultController {
  constructor() {
    throw new TypeError('Illegal constructor');
  }

  get desiredSize() {
    return desiredSize(check(this, ReadableStreamDefaultController, 'ReadableStreamDefaultController').stream);
  }

  enqueue(chunk) {
    const state = check(this, ReadableStreamDefaultController, 'ReadableStreamDefaultController');
    if (!canEnqueue(state.stream)) throw new ERR_INVALID_STATE.TypeError('Controller is already closed');
    enqueue(state.stream, chunk);
  }

  close() {
    const state = check(this, ReadableStreamDefaultController, 'ReadableStreamDefaultController');
    if (!canEnqueue(state.stream)) throw new ERR_INVALID_STATE.TypeError('Controller is already closed');
    closeRequested(state.stream);
  }

  error(error) {
    errorStream(check(this, ReadableStreamDefaultController, 'ReadableStreamDefaultController').stream, error);
  }
}

class ReadableByteStreamController extends ReadableStreamDefaultController {
  get byobRequest() {
    return null;
  }

  enqueue(chunk) {
    if (!ArrayBuffer.isView(chunk)) throw new ERR_INVALID_ARG_TYPE('chunk', ['Buffer', 'TypedArray', 'DataView'], chunk);
    if (chunk.byteLength === 0) throw new ERR_INVALID_ARG_VALUE.TypeError('chunk', chunk, 'cannot be empty');
    super.enqueue(new Uint8Array(chunk.buffer.slice(chunk.byteOffset, chunk.byteOffset + chunk.byteLength)));
  }
}

function makeController(Class, stream) {
  const controller = Object.create(Class.prototype);
  controller[kState] = { stream };
  return controller;
}

function canEnqueue(stream) {
  const s = stream[kState];
  return !s.closeRequested && s.state === 'readable';
}

function desiredSize(stream) {
  const s = stream[kState];
  if (s.state === 'errored') return null;
  if (s.state === 'closed') return 0;
  return s.highWaterMark - s.queueTotalSize;
}

function enqueue(stream, chunk) {
  const s = stream[kState];
  // A read waiting: hand the chunk over directly.
  if (s.reader && s.reader[kState].readRequests.length > 0) {
    s.reader[kState].readRequests.shift().resolve({ value: chunk, done: false });
  } else {
    let size;
    try {
      size = s.byteStream ? chunk.byteLength : s.size(chunk);
      if (!(size >= 0) || size === Infinity) throw new ERR_INVALID_ARG_VALUE.RangeError('size', size);
    } catch (err) {
      errorStream(stream, err);
      throw err;
    }
    s.queue.push({ value: chunk, size });
    s.queueTotalSize += size;
  }
  callPullIfNeeded(stream);
}

function closeRequested(stream) {
  const s = stream[kState];
  s.closeRequested = true;
  if (s.queue.length === 0) closeStream(stream);
}

function closeStream(stream) {
  const s = stream[kState];
  if (s.state !== 'readable') return;
  s.state = 'closed';
  const reader = s.reader;
  if (!reader) return;
  for (const request of reader[kState].readRequests.splice(0)) request.resolve({ value: undefined, done: true });
  reader[kState].closed.resolve();
}

function errorStream(stream, error) {
  const s = stream[kState];
  if (s.state !== 'readable') return;
  s.state = 'errored';
  s.storedError = error;
  s.queue = [];
  s.queueTotalSize = 0;
  const reader = s.reader;
  if (!reader) return;
  for (const request of reader[kState].readRequests.splice(0)) request.reject(error);
  reader[kState].closed.reject(error);
}

function callPullIfNeeded(stream) {
  const s = stream[kState];
  if (!s.started || s.state !== 'readable' || s.closeRequested) return;
  const wanted = (s.reader && s.reader[kState].readRequests.length > 0) || desiredSize(stream) > 0;
  if (!wanted) return;
  if (s.pulling) {
    s.pullAgain = true;
    return;
  }
  s.pulling = true;
  Promise.resolve()
    .then(() => s.pull?.(s.controller))
    .then(() => {
      s.pulling = false;
      if (s.pullAgain) {
        s.pullAgain = false;
        callPullIfNeeded(stream);
      }
    }, (err) => errorStream(stream, err));
}

function cancelStream(stream, reason) {
  const s = stream[kState];
  s.disturbed = true;
  if (s.state === 'closed') return Promise.resolve();
  if (s.state === 'errored') return Promise.reject(s.storedError);
  closeStream(stream);
  s.queue = [];
  s.queueTotalSize = 0;
  return Promise.resolve().then(() => s.cancel?.(reason)).then(() => undefined);
}

function readFrom(stream) {
  const s = stream[kState];
  s.disturbed = true;
  if (s.state === 'closed') return Promise.resolve({ value: undefined, done: true });
  if (s.state === 'errored') return Promise.reject(s.storedError);
  if (s.queue.length > 0) {
    const { value, size } = s.queue.shift();
    s.queueTotalSize -= size;
    if (s.closeRequested && s.queue.length === 0) closeStream(stream);
    else callPullIfNeeded(stream);
    return Promise.resolve({ value, done: false });
  }
  const request = deferred();
  s.reader[kState].readRequests.push(request);
  callPullIfNeeded(stream);
  return request.promise;
}

class ReadableStream {
  constructor(source = {}, strategy = {}) {
    if (source === null || (typeof source !== 'object' && typeof source !== 'function')) {
      throw new ERR_INVALID_ARG_TYPE('source', 'Object', source);
    }
    const byteStream = `${source.type}` === 'bytes';
    if (source.type !== undefined && !byteStream) throw new ERR_INVALID_ARG_VALUE.TypeError('source.type', source.type);
    const { highWaterMark, size } = strategyOf(strategy, byteStream ? 0 : 1);
    if (byteStream && strategy?.size !== undefined) throw new ERR_INVALID_ARG_VALUE.RangeError('strategy.size', strategy.size);
    this[kState] = {
      state: 'readable', reader: null, storedError: undefined, disturbed: false, queue: [], queueTotalSize: 0,
      highWaterMark, size, byteStream, started: false, pulling: false, pullAgain: false, closeRequested: false,
      pull: typeof source.pull === 'function' ? (c) => source.pull(c) : null,
      cancel: typeof source.cancel === 'function' ? (r) => source.cancel(r) : null,
      controller: null,
    };
    const controller = makeController(byteStream ? ReadableByteStreamController : ReadableStreamDefaultController, this);
    this[kState].controller = controller;
    // start() runs now, as the standard has it; pulling waits for it.
    Promise.resolve(source.start?.(controller)).then(() => {
      this[kState].started = true;
      callPullIfNeeded(this);
    }, (err) => errorStream(this, err));
  }

  get locked() {
    return check(this, ReadableStream, 'ReadableStream').reader !== null;
  }

  cancel(reason = undefined) {
    let s;
    try {
      s = check(this, ReadableStream, 'ReadableStream');
    } catch (err) {
      return Promise.reject(err);
    }
    if (s.reader) return Promise.reject(lockedError('ReadableStream'));
    return cancelStream(this, reason);
  }

  getReader(options = undefined) {
    check(this, ReadableStream, 'ReadableStream');
    const mode = options?.mode;
    if (mode === undefined) return new ReadableStreamDefaultReader(this);
    if (`${mode}` === 'byob') return new ReadableStreamBYOBReader(this);
    throw new ERR_INVALID_ARG_VALUE('options.mode', mode);
  }

  pipeThrough(transform, options = {}) {
    check(this, ReadableStream, 'ReadableStream');
    const { readable, writable } = transform ?? {};
    if (!(readable instanceof ReadableStream)) throw new ERR_INVALID_ARG_TYPE('transform.readable', 'ReadableStream', readable);
    if (!(writable instanceof WritableStream)) throw new ERR_INVALID_ARG_TYPE('transform.writable', 'WritableStream', writable);
    if (this.locked) throw lockedError('ReadableStream');
    if (writable.locked) throw lockedError('WritableStream');
    this.pipeTo(writable, options).catch(() => {});
    return readable;
  }

  async pipeTo(destination, options = {}) {
    check(this, ReadableStream, 'ReadableStream');
    if (!(destination instanceof WritableStream)) throw new ERR_INVALID_ARG_TYPE('destination', 'WritableStream', destination);
    const { preventClose = false, preventAbort = false, preventCancel = false, signal } = options ?? {};
    if (this.locked) throw lockedError('ReadableStream');
    if (destination.locked) throw lockedError('WritableStream');
    const reader = this.getReader();
    const writer = destination.getWriter();
    let abortListener;
    try {
      if (signal) {
        await new Promise((resolve, reject) => {
          const onAbort = () => reject(signal.reason ?? new AbortError());
          if (signal.aborted) onAbort();
          abortListener = onAbort;
          signal.addEventListener('abort', onAbort, { once: true });
          resolve();
        });
      }
      const aborted = signal ? new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason ?? new AbortError()), { once: true })) : null;
      aborted?.catch(() => {});
      while (true) {
        await (aborted ? Promise.race([writer.ready, aborted]) : writer.ready);
        const { value, done } = await (aborted ? Promise.race([reader.read(), aborted]) : reader.read());
        if (done) break;
        writer.write(value).catch(() => {});
      }
      if (!preventClose) await writer.close();
    } catch (err) {
      const destState = destination[kState].state;
      if (this[kState].state === 'errored') {
        if (!preventAbort && destState === 'writable') await writer.abort(err).catch(() => {});
      } else if (destState === 'errored' || destState === 'erroring') {
        if (!preventCancel) await reader.cancel(err).catch(() => {});
      } else {
        if (!preventAbort) await writer.abort(err).catch(() => {});
        if (!preventCancel) await reader.cancel(err).catch(() => {});
      }
      throw err;
    } finally {
      if (abortListener) signal.removeEventListener('abort', abortListener);
      reader.releaseLock();
      writer.releaseLock();
    }
  }

  tee() {
    check(this, ReadableStream, 'ReadableStream');
    const reader = this.getReader();
    let canceled = 0;
    const reasons = [];
    const cancelled = deferred();
    const branches = [];
    let reading = false;
    const pull = () => {
      if (reading) return;
      reading = true;
      reader.read().then(({ value, done }) => {
        reading = false;
        if (done) {
          for (const branch of branches) {
            try {
              branch[kState].controller.close();
            } catch {}
          }
          cancelled.resolve();
          return;
        }
        for (const branch of branches) {
          if (branch[kState].state === 'readable' && !branch[kState].closeRequested) enqueue(branch, value);
        }
      }, (err) => {
        reading = false;
        for (const branch of branches) errorStream(branch, err);
      });
    };
    for (let i = 0; i < 2; i++) {
      branches.push(new ReadableStream({
        pull,
        cancel: (reason) => {
          reasons[i] = reason;
          if (++canceled === 2) reader.cancel(reasons).then(cancelled.resolve, cancelled.reject);
          return cancelled.promise;
        },
      }));
    }
    return branches;
  }

  values(options = undefined) {
    check(this, ReadableStream, 'ReadableStream');
    const reader = this.getReader();
    const preventCancel = !!options?.preventCancel;
    return Object.setPrototypeOf({
      next() {
        return reader.read().then((result) => {
          if (result.done) reader.releaseLock();
          return result;
        });
      },
      async return(value) {
        if (!preventCancel) await reader.cancel(value);
        reader.releaseLock();
        return { value, done: true };
      },
    }, AsyncIteratorPrototype);
  }

  [Symbol.asyncIterator](options) {
    return this.values(options);
  }

  static from(iterable) {
    if (iterable instanceof ReadableStream) return iterable;
    const method = iterable?.[Symbol.asyncIterator] ?? iterable?.[Symbol.iterator];
    if (typeof method !== 'function') throw new ERR_INVALID_ARG_TYPE('iterable', ['Iterable', 'AsyncIterable'], iterable);
    const iterator = method.call(iterable);
    return new ReadableStream({
      async pull(controller) {
        const { value, done } = await iterator.next();
        if (done) controller.close();
        else controller.enqueue(await value);
      },
      async cancel(reason) {
        await iterator.return?.(reason);
      },
    }, { highWaterMark: 0 });
  }
}

const AsyncIteratorPrototype = Object.getPrototypeOf(Object.getPrototypeOf(async function* () {}).prototype);

class ReadableStreamDefaultReader {
  constructor(stream) {
    if (!(stream instanceof ReadableStream)) throw new ERR_INVALID_ARG_TYPE('stream', 'ReadableStream', stream);
    if (stream.locked) throw lockedError('ReadableStream');
    const closed = deferred();
    this[kState] = { stream, readRequests: [], closed };
    stream[kState].reader = this;
    const s = stream[kState];
    if (s.state === 'closed') closed.resolve();
    else if (s.state === 'errored') closed.reject(s.storedError);
  }

  get closed() {
    return check(this, ReadableStreamDefaultReader, 'ReadableStreamDefaultReader').closed.promise;
  }

  read() {
    const state = this[kState];
    if (state?.stream === undefined) return Promise.reject(new ERR_INVALID_STATE.TypeError('The reader is not attached to a stream'));
    return readFrom(state.stream);
  }

  cancel(reason = undefined) {
    const state = this[kState];
    if (state?.stream === undefined) return Promise.reject(new ERR_INVALID_STATE.TypeError('The reader is not attached to a stream'));
    return cancelStream(state.stream, reason);
  }

  releaseLock() {
    const state = check(this, ReadableStreamDefaultReader, 'ReadableStreamDefaultReader');
    if (state.stream === undefined) return;
    const error = new ERR_INVALID_STATE.TypeError('Reader released');
    for (const request of state.readRequests.splice(0)) request.reject(error);
    // The closed promise rejects (a fresh one if it had settled already).
    if (state.stream[kState].state !== 'readable') state.closed = deferred();
    state.closed.reject(error);
    state.stream[kState].reader = null;
    state.stream = undefined;
  }
}

// BYOB reads fill the caller's view from the queued bytes.
class ReadableStreamBYOBReader extends ReadableStreamDefaultReader {
  constructor(stream) {
    if (stream instanceof ReadableStream && !stream[kState].byteStream) {
      throw new ERR_INVALID_ARG_VALUE('stream', stream, 'must be a byte stream');
    }
    super(stream);
  }

  async read(view) {
    if (!ArrayBuffer.isView(view)) throw new ERR_INVALID_ARG_TYPE('view', ['Buffer', 'TypedArray', 'DataView'], view);
    if (view.byteLength === 0) throw new ERR_INVALID_STATE.TypeError('View has zero byteLength');
    const stream = this[kState].stream;
    const target = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
    const { value, done } = await readFrom(stream);
    if (done) return { value: new view.constructor(view.buffer, view.byteOffset, 0), done: true };
    const n = Math.min(value.byteLength, target.byteLength);
    target.set(value.subarray(0, n));
    if (n < value.byteLength) {
      // The rest goes back to the front of the queue.
      const s = stream[kState];
      s.queue.unshift({ value: value.subarray(n), size: value.byteLength - n });
      s.queueTotalSize += value.byteLength - n;
    }
    const elementSize = view.BYTES_PER_ELEMENT ?? 1;
    return { value: new view.constructor(view.buffer, view.byteOffset, Math.floor(n / elementSize)), done: false };
  }
}

// --- WritableStream ---------------------------------------------------------

class WritableStreamDefaultController {
  constructor() {
    throw new TypeError('Illegal constructor');
  }

  get signal() {
    return check(this, WritableStreamDefaultController, 'WritableStreamDefaultController').abort.signal;
  }

  error(error) {
    const { stream } = check(this, WritableStreamDefaultController, 'WritableStreamDefaultController');
    if (stream[kState].state === 'writable') errorWritable(stream, error);
  }
}

function errorWritable(stream, error) {
  const s = stream[kState];
  if (s.state === 'errored' || s.state === 'closed') return;
  s.state = 'errored';
  s.storedError = error;
  for (const request of s.queue.splice(0)) request.reject(error);
  s.writer?.[kState].closed.reject(error);
  s.writer?.[kState].ready.reject(error);
  s.closeRequest?.reject(error);
}

function updateBackpressure(stream) {
  const s = stream[kState];
  const writer = s.writer?.[kState];
  if (!writer || s.state !== 'writable') return;
  const backpressure = s.highWaterMark - s.queueTotalSize <= 0;
  if (backpressure && !writer.backpressure) {
    writer.ready = deferred();
  } else if (!backpressure && writer.backpressure) {
    writer.ready.resolve();
  }
  writer.backpressure = backpressure;
}

async function processWrites(stream) {
  const s = stream[kState];
  if (s.processing || !s.started) return;
  s.processing = true;
  try {
    while (s.queue.length > 0 && s.state === 'writable') {
      const request = s.queue[0];
      try {
        await s.write?.(request.chunk, s.controller);
        s.queue.shift();
        s.queueTotalSize -= request.size;
        request.resolve();
        updateBackpressure(stream);
      } catch (err) {
        errorWritable(stream, err);
        request.reject(err);
        return;
      }
    }
    if (s.closeRequest && s.state === 'writable' && s.queue.length === 0) {
      try {
        await s.close?.();
        s.state = 'closed';
        s.closeRequest.resolve();
        s.writer?.[kState].closed.resolve();
      } catch (err) {
        errorWritable(stream, err);
      }
    }
  } finally {
    s.processing = false;
  }
}

function writeTo(stream, chunk) {
  const s = stream[kState];
  if (s.state === 'errored') return Promise.reject(s.storedError);
  if (s.state !== 'writable' || s.closeRequest) return Promise.reject(new ERR_INVALID_STATE.TypeError('WritableStream is closed'));
  let size;
  try {
    size = s.size(chunk);
  } catch (err) {
    errorWritable(stream, err);
    return Promise.reject(err);
  }
  const request = deferred();
  Object.assign(request, { chunk, size });
  s.queue.push(request);
  s.queueTotalSize += size;
  updateBackpressure(stream);
  processWrites(stream);
  return request.promise;
}

function closeWritable(stream) {
  const s = stream[kState];
  if (s.state !== 'writable' || s.closeRequest) return Promise.reject(new ERR_INVALID_STATE.TypeError('WritableStream is closed'));
  s.closeRequest = deferred();
  s.writer?.[kState].ready.resolve();
  processWrites(stream);
  return s.closeRequest.promise;
}

function abortWritable(stream, reason) {
  const s = stream[kState];
  if (s.state === 'closed' || s.state === 'errored') return Promise.resolve();
  s.controller[kState].abort.abort(reason);
  const error = reason;
  errorWritable(stream, error);
  return Promise.resolve().then(() => s.abort?.(reason)).then(() => undefined);
}

class WritableStream {
  constructor(sink = {}, strategy = {}) {
    if (sink === null || (typeof sink !== 'object' && typeof sink !== 'function')) throw new ERR_INVALID_ARG_TYPE('sink', 'Object', sink);
    if (sink.type !== undefined) throw new ERR_INVALID_ARG_VALUE.RangeError('sink.type', sink.type);
    const { highWaterMark, size } = strategyOf(strategy, 1);
    const controller = Object.create(WritableStreamDefaultController.prototype);
    controller[kState] = { stream: this, abort: new AbortController() };
    this[kState] = {
      state: 'writable', writer: null, storedError: undefined, queue: [], queueTotalSize: 0, highWaterMark, size,
      started: false, processing: false, closeRequest: null, controller,
      write: typeof sink.write === 'function' ? (c, ctl) => sink.write(c, ctl) : null,
      close: typeof sink.close === 'function' ? () => sink.close() : null,
      abort: typeof sink.abort === 'function' ? (r) => sink.abort(r) : null,
    };
    Promise.resolve(sink.start?.(controller)).then(() => {
      this[kState].started = true;
      processWrites(this);
    }, (err) => errorWritable(this, err));
  }

  get locked() {
    return check(this, WritableStream, 'WritableStream').writer !== null;
  }

  abort(reason = undefined) {
    if (this.locked) return Promise.reject(lockedError('WritableStream'));
    return abortWritable(this, reason);
  }

  close() {
    if (this.locked) return Promise.reject(lockedError('WritableStream'));
    return closeWritable(this);
  }

  getWriter() {
    return new WritableStreamDefaultWriter(this);
  }
}

class WritableStreamDefaultWriter {
  constructor(stream) {
    if (!(stream instanceof WritableStream)) throw new ERR_INVALID_ARG_TYPE('stream', 'WritableStream', stream);
    if (stream.locked) throw lockedError('WritableStream');
    const s = stream[kState];
    const state = { stream, closed: deferred(), ready: deferred(), backpressure: false };
    this[kState] = state;
    s.writer = this;
    if (s.state === 'errored') {
      state.closed.reject(s.storedError);
      state.ready.reject(s.storedError);
    } else if (s.state === 'closed') {
      state.closed.resolve();
      state.ready.resolve();
    } else {
      state.ready.resolve();
      updateBackpressure(stream);
    }
  }

  get closed() {
    return check(this, WritableStreamDefaultWriter, 'WritableStreamDefaultWriter').closed.promise;
  }

  get ready() {
    return check(this, WritableStreamDefaultWriter, 'WritableStreamDefaultWriter').ready.promise;
  }

  get desiredSize() {
    const { stream } = check(this, WritableStreamDefaultWriter, 'WritableStreamDefaultWriter');
    if (stream === undefined) throw new ERR_INVALID_STATE.TypeError('Writer released');
    const s = stream[kState];
    if (s.state === 'errored') return null;
    if (s.state === 'closed') return 0;
    return s.highWaterMark - s.queueTotalSize;
  }

  write(chunk = undefined) {
    const { stream } = this[kState] ?? {};
    if (stream === undefined) return Promise.reject(new ERR_INVALID_STATE.TypeError('Writer released'));
    return writeTo(stream, chunk);
  }

  close() {
    const { stream } = this[kState] ?? {};
    if (stream === undefined) return Promise.reject(new ERR_INVALID_STATE.TypeError('Writer released'));
    return closeWritable(stream);
  }

  abort(reason = undefined) {
    const { stream } = this[kState] ?? {};
    if (stream === undefined) return Promise.reject(new ERR_INVALID_STATE.TypeError('Writer released'));
    return abortWritable(stream, reason);
  }

  releaseLock() {
    const state = check(this, WritableStreamDefaultWriter, 'WritableStreamDefaultWriter');
    if (state.stream === undefined) return;
    const error = new ERR_INVALID_STATE.TypeError('Writer released');
    state.ready.reject(error);
    state.closed.reject(error);
    state.stream[kState].writer = null;
    state.stream = undefined;
  }
}

// --- TransformStream ---------------------------------------------------------

class TransformStreamDefaultController {
  constructor() {
    throw new TypeError('Illegal constructor');
  }

  get desiredSize() {
    return desiredSize(check(this, TransformStreamDefaultController, 'TransformStreamDefaultController').readable);
  }

  enqueue(chunk) {
    const { readable } = check(this, TransformStreamDefaultController, 'TransformStreamDefaultController');
    readable[kState].controller.enqueue(chunk);
  }

  error(reason) {
    const { readable, writable } = check(this, TransformStreamDefaultController, 'TransformStreamDefaultController');
    errorStream(readable, reason);
    errorWritable(writable, reason);
  }

  terminate() {
    const { readable, writable } = check(this, TransformStreamDefaultController, 'TransformStreamDefaultController');
    if (canEnqueue(readable)) closeRequested(readable);
    errorWritable(writable, new ERR_INVALID_STATE.TypeError('TransformStream terminated'));
  }
}

class TransformStream {
  constructor(transformer = {}, writableStrategy = {}, readableStrategy = {}) {
    if (transformer?.readableType !== undefined) throw new ERR_INVALID_ARG_VALUE.RangeError('transformer.readableType', transformer.readableType);
    if (transformer?.writableType !== undefined) throw new ERR_INVALID_ARG_VALUE.RangeError('transformer.writableType', transformer.writableType);
    const controller = Object.create(TransformStreamDefaultController.prototype);
    const started = deferred();
    // Backpressure, as the standard keeps it: set while the readable side
    // has no room, cleared when it pulls; writes wait while it is set.
    let backpressure = true;
    let pullWaiter = null;
    const readable = new ReadableStream({
      start: () => started.promise,
      pull: () => {
        backpressure = false;
        pullWaiter?.resolve();
        pullWaiter = null;
      },
      cancel: async (reason) => {
        errorWritable(writable, reason);
        await transformer?.cancel?.(reason);
      },
    }, { highWaterMark: 0, ...readableStrategy });
    const writable = new WritableStream({
      start: () => started.promise,
      write: async (chunk) => {
        if (backpressure && readable[kState].state === 'readable') {
          pullWaiter = deferred();
          await pullWaiter.promise;
        }
        if (typeof transformer?.transform === 'function') await transformer.transform(chunk, controller);
        else controller.enqueue(chunk);
        if (desiredSize(readable) <= 0) backpressure = true;
      },
      close: async () => {
        await transformer?.flush?.(controller);
        if (canEnqueue(readable)) closeRequested(readable);
      },
      abort: async (reason) => {
        errorStream(readable, reason);
        await transformer?.cancel?.(reason);
      },
    }, { highWaterMark: 1, ...writableStrategy });
    controller[kState] = { readable, writable };
    this[kState] = { readable, writable };
    Promise.resolve(transformer?.start?.(controller)).then(started.resolve, (err) => {
      errorStream(readable, err);
      errorWritable(writable, err);
      started.reject(err);
    });
  }

  get readable() {
    return check(this, TransformStream, 'TransformStream').readable;
  }

  get writable() {
    return check(this, TransformStream, 'TransformStream').writable;
  }
}

// --- Strategies and text streams ---------------------------------------------

// The two strategies differ only in how they measure a chunk.
function queuingStrategy(name, size) {
  const Strategy = class {
    #highWaterMark;

    constructor(init) {
      if (init?.highWaterMark === undefined) throw new ERR_INVALID_ARG_TYPE('init.highWaterMark', 'number', init?.highWaterMark);
      this.#highWaterMark = Number(init.highWaterMark);
    }

    get highWaterMark() {
      return this.#highWaterMark;
    }

    get size() {
      return size;
    }
  };
  Object.defineProperty(Strategy, 'name', { value: name });
  return Strategy;
}
const CountQueuingStrategy = queuingStrategy('CountQueuingStrategy', () => 1);
const ByteLengthQueuingStrategy = queuingStrategy('ByteLengthQueuingStrategy', (chunk) => chunk.byteLength);

class TextEncoderStream {
  #transform;

  constructor() {
    const encoder = new TextEncoder();
    let pendingHigh = '';
    this.#transform = new TransformStream({
      transform(chunk, controller) {
        let text = pendingHigh + String(chunk);
        pendingHigh = '';
        // A lone high surrogate at the end waits for its pair.
        const last = text.charCodeAt(text.length - 1);
        if (last >= 0xd800 && last <= 0xdbff) {
          pendingHigh = text.at(-1);
          text = text.slice(0, -1);
        }
        if (text.length > 0) controller.enqueue(encoder.encode(text));
      },
      flush(controller) {
        if (pendingHigh) controller.enqueue(new Uint8Array([0xef, 0xbf, 0xbd]));
      },
    });
  }

  get encoding() {
    return 'utf-8';
  }

  get readable() {
    return this.#transform.readable;
  }

  get writable() {
    return this.#transform.writable;
  }
}

class TextDecoderStream {
  #transform;
  #decoder;

  constructor(encoding = 'utf-8', options = {}) {
    const decoder = new TextDecoder(encoding, options);
    this.#decoder = decoder;
    this.#transform = new TransformStream({
      transform(chunk, controller) {
        const text = decoder.decode(chunk, { stream: true });
        if (text) controller.enqueue(text);
      },
      flush(controller) {
        const text = decoder.decode();
        if (text) controller.enqueue(text);
      },
    });
  }

  get encoding() {
    return this.#decoder.encoding;
  }

  get fatal() {
    return this.#decoder.fatal;
  }

  get ignoreBOM() {
    return this.#decoder.ignoreBOM;
  }

  get readable() {
    return this.#transform.readable;
  }

  get writable() {
    return this.#transform.writable;
  }
}

for (const Class of [ReadableStream, ReadableStreamDefaultReader, ReadableStreamBYOBReader, ReadableStreamDefaultController,
  ReadableByteStreamController, WritableStream, WritableStreamDefaultWriter, WritableStreamDefaultController, TransformStream,
  TransformStreamDefaultController, CountQueuingStrategy, ByteLengthQueuingStrategy, TextEncoderStream, TextDecoderStream]) {
  Object.defineProperty(Class.prototype, Symbol.toStringTag, { value: Class.name, configurable: true });
}

class ReadableStreamBYOBRequest {
  constructor() {
    throw notImplemented('ReadableStreamBYOBRequest');
  }
}

module.exports = {
  ReadableStream, ReadableStreamDefaultReader, ReadableStreamBYOBReader, ReadableStreamBYOBRequest,
  ReadableByteStreamController, ReadableStreamDefaultController, TransformStream, TransformStreamDefaultController,
  WritableStream, WritableStreamDefaultWriter, WritableStreamDefaultController, ByteLengthQueuingStrategy,
  CountQueuingStrategy, TextEncoderStream, TextDecoderStream,
};
