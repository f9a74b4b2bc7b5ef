// lode:module internal/webstreams/adapters
// The bridges between Node streams and web streams: Readable.toWeb /
// fromWeb, Writable.toWeb / fromWeb, Duplex.toWeb / fromWeb. Backpressure
// crosses in both directions (a paused Node stream while the web queue is
// full; web writes waiting for 'drain').

const { Buffer } = require('buffer');
const { ReadableStream, WritableStream } = require('stream/web');
const { codes: { ERR_INVALID_ARG_TYPE } } = require('internal/errors');
const { destroyer } = require('internal/streams/destroy');
const { finished } = require('internal/streams/end_of_stream');
const { isReadableNodeStream, isWritableNodeStream } = require('internal/streams/utils');

function newReadableStreamFromStreamReadable(readable, options = {}) {
  if (!isReadableNodeStream(readable)) throw new ERR_INVALID_ARG_TYPE('streamReadable', 'stream.Readable', readable);
  const objectMode = readable.readableObjectMode;
  const highWaterMark = options.strategy?.highWaterMark ?? (objectMode ? 1 : readable.readableHighWaterMark);
  let controller;
  const onData = (chunk) => {
    // Bytes cross as Uint8Arrays (over the Buffer's memory).
    if (Buffer.isBuffer(chunk) && !objectMode) chunk = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    controller.enqueue(chunk);
    if (controller.desiredSize <= 0) readable.pause();
  };
  const cleanup = finished(readable, (error) => {
    cleanup();
    readable.off('data', onData);
    if (error?.code === 'ERR_STREAM_PREMATURE_CLOSE') {
      const { AbortError } = require('internal/errors');
      error = new AbortError(undefined, { cause: error });
    }
    if (error) return controller.error(error);
    controller.close();
  });
  readable.on('data', onData);
  return new ReadableStream({
    start(c) {
      controller = c;
    },
    pull() {
      readable.resume();
    },
    cancel(reason) {
      destroyer(readable, reason);
    },
  }, { highWaterMark, size: objectMode ? () => 1 : (chunk) => chunk.byteLength ?? chunk.length });
}

function newStreamReadableFromReadableStream(readableStream, options = {}) {
  if (!(readableStream instanceof ReadableStream)) throw new ERR_INVALID_ARG_TYPE('readableStream', 'ReadableStream', readableStream);
  const { highWaterMark, encoding, objectMode = false, signal } = options;
  const reader = readableStream.getReader();
  const Readable = require('internal/streams/readable');
  let closed = false;
  const readable = new Readable({
    objectMode,
    highWaterMark,
    encoding,
    signal,
    read() {
      reader.read().then(({ value, done }) => {
        if (done) readable.push(null);
        else readable.push(value);
      }, (error) => destroyer(readable, error));
    },
    destroy(error, callback) {
      const done = () => process.nextTick(callback, error);
      if (!closed) reader.cancel(error).then(done, done);
      else done();
    },
  });
  reader.closed.then(() => {
    closed = true;
  }, (error) => {
    closed = true;
    destroyer(readable, error);
  });
  return readable;
}

function newWritableStreamFromStreamWritable(writable) {
  if (!isWritableNodeStream(writable)) throw new ERR_INVALID_ARG_TYPE('streamWritable', 'stream.Writable', writable);
  let backpressure = null;
  const onDrain = () => {
    backpressure?.resolve();
    backpressure = null;
  };
  writable.on('drain', onDrain);
  let controller;
  const cleanup = finished(writable, (error) => {
    cleanup();
    writable.off('drain', onDrain);
    if (error) controller?.error(error);
  });
  return new WritableStream({
    start(c) {
      controller = c;
    },
    write(chunk) {
      if (writable.writableNeedDrain || !writable.write(chunk)) {
        backpressure = Promise.withResolvers();
        return backpressure.promise;
      }
      return undefined;
    },
    abort(reason) {
      destroyer(writable, reason);
    },
    close() {
      return new Promise((resolve, reject) => {
        writable.end((err) => (err ? reject(err) : resolve()));
      });
    },
  }, { highWaterMark: writable.writableHighWaterMark });
}

function newStreamWritableFromWritableStream(writableStream, options = {}) {
  if (!(writableStream instanceof WritableStream)) throw new ERR_INVALID_ARG_TYPE('writableStream', 'WritableStream', writableStream);
  const { highWaterMark, decodeStrings = true, objectMode = false, signal } = options;
  const writer = writableStream.getWriter();
  const Writable = require('internal/streams/writable');
  let closed = false;
  const writable = new Writable({
    highWaterMark,
    objectMode,
    decodeStrings,
    signal,
    write(chunk, encoding, callback) {
      writer.ready.then(() => writer.write(chunk)).then(() => callback(), callback);
    },
    writev(chunks, callback) {
      writer.ready.then(() => Promise.all(chunks.map(({ chunk }) => writer.write(chunk)))).then(() => callback(), callback);
    },
    final(callback) {
      writer.close().then(() => {
        closed = true;
        callback();
      }, callback);
    },
    destroy(error, callback) {
      const done = () => process.nextTick(callback, error);
      if (!closed && error) writer.abort(error).then(done, done);
      else done();
    },
  });
  writer.closed.then(() => {
    closed = true;
  }, (error) => {
    closed = true;
    destroyer(writable, error);
  });
  return writable;
}

function newReadableWritablePairFromDuplex(duplex) {
  return {
    readable: newReadableStreamFromStreamReadable(duplex),
    writable: newWritableStreamFromStreamWritable(duplex),
  };
}

function newStreamDuplexFromReadableWritablePair(pair = {}, options = {}) {
  const { readable: readableStream, writable: writableStream } = pair;
  if (!(readableStream instanceof ReadableStream)) throw new ERR_INVALID_ARG_TYPE('pair.readable', 'ReadableStream', readableStream);
  if (!(writableStream instanceof WritableStream)) throw new ERR_INVALID_ARG_TYPE('pair.writable', 'WritableStream', writableStream);
  const readable = newStreamReadableFromReadableStream(readableStream, options);
  const writable = newStreamWritableFromWritableStream(writableStream, options);
  const Duplex = require('internal/streams/duplex');
  const duplex = new Duplex({
    objectMode: !!options.objectMode,
    encoding: options.encoding,
    decodeStrings: options.decodeStrings ?? true,
    signal: options.signal,
    write(chunk, encoding, callback) {
      writable.write(chunk, encoding, callback);
    },
    final(callback) {
      writable.end(callback);
    },
    read() {
      readable.resume();
    },
    destroy(error, callback) {
      destroyer(readable, error);
      destroyer(writable, error);
      callback(error);
    },
  });
  readable.on('data', (chunk) => {
    if (!duplex.push(chunk)) readable.pause();
  });
  readable.on('end', () => duplex.push(null));
  readable.on('error', (error) => duplex.destroy(error));
  writable.on('error', (error) => duplex.destroy(error));
  return duplex;
}

module.exports = {
  newReadableStreamFromStreamReadable,
  newStreamReadableFromReadableStream,
  newWritableStreamFromStreamWritable,
  newStreamWritableFromWritableStream,
  newReadableWritablePairFromDuplex,
  newStreamDuplexFromReadableWritablePair,
};
