// lode:module stream
// `node:stream`: the legacy Stream base with Readable, Writable, Duplex,
// Transform and PassThrough hung on it (as Node exports them), pipeline,
// finished, addAbortSignal, the Readable operators and the is* helpers.

const { Stream } = require('internal/streams/legacy');
const Readable = require('internal/streams/readable');
const Writable = require('internal/streams/writable');
const Duplex = require('internal/streams/duplex');
const { Transform, PassThrough } = require('internal/streams/transform');
const { pipeline } = require('internal/streams/pipeline');
const { finished } = require('internal/streams/end_of_stream');
const { addAbortSignal } = require('internal/streams/add_abort_signal');
const { destroyer } = require('internal/streams/destroy');
const { getDefaultHighWaterMark, setDefaultHighWaterMark } = require('internal/streams/state');
const operators = require('internal/streams/operators');
const utils = require('internal/streams/utils');

// Installed as methods (not constructible, as iterator helpers are) that
// throw if `this` is not a stream, as Node's wrappers do.
for (const [name, op] of [
  ...Object.entries(operators.streamReturningOperators), ...Object.entries(operators.promiseReturningOperators),
]) {
  const method = {
    [name](...args) {
      if (new.target !== undefined) throw new TypeError(`${name} is not a constructor`);
      return Reflect.apply(op, this, args);
    },
  }[name];
  Object.defineProperty(method, 'length', { value: op.length });
  Object.defineProperty(Readable.prototype, name, { value: method, writable: true, configurable: true });
}

Stream.isDestroyed = utils.isDestroyed;
Stream.isDisturbed = utils.isDisturbed;
Stream.isErrored = utils.isErrored;
Stream.isReadable = utils.isReadable;
Stream.isWritable = utils.isWritable;
Stream.Readable = Readable;
Stream.Writable = Writable;
Stream.Duplex = Duplex;
Stream.Transform = Transform;
Stream.PassThrough = PassThrough;
Stream.duplexPair = duplexPair;
Stream.pipeline = pipeline;
Stream.addAbortSignal = addAbortSignal;
Stream.finished = finished;
Stream.destroy = destroyer;
Stream.compose = function compose(...streams) {
  return require('internal/streams/compose')(...streams);
};

// readable.compose(stream, options): this stream piped into `stream`.
Object.defineProperty(Readable.prototype, 'compose', {
  value: function compose(stream, options = undefined) {
    if (options != null) require('internal/validators').validateObject(options, 'options');
    require('internal/validators').validateAbortSignal(options?.signal, 'options.signal');
    const composed = require('internal/streams/compose')(this, stream);
    if (options?.signal) require('internal/streams/add_abort_signal').addAbortSignalNoValidate(options.signal, composed);
    return composed;
  },
  writable: true,
  configurable: true,
});
Stream.setDefaultHighWaterMark = setDefaultHighWaterMark;
Stream.getDefaultHighWaterMark = getDefaultHighWaterMark;
Stream.Stream = Stream;
Stream._isArrayBufferView = ArrayBuffer.isView;
Stream._isUint8Array = (value) => value instanceof Uint8Array;
Stream._uint8ArrayToBuffer = (chunk) => require('buffer').Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);

Object.defineProperty(Stream, 'promises', {
  configurable: true,
  enumerable: true,
  get() {
    return require('stream/promises');
  },
});
Object.defineProperty(pipeline, Symbol.for('nodejs.util.promisify.custom'), {
  enumerable: true,
  get() {
    return require('stream/promises').pipeline;
  },
});
Object.defineProperty(finished, Symbol.for('nodejs.util.promisify.custom'), {
  enumerable: true,
  get() {
    return require('stream/promises').finished;
  },
});

// Two Duplexes wired back to back: what one writes, the other reads.
function duplexPair(options) {
  const kCallback = Symbol('kCallback');
  class Side extends Duplex {
    constructor() {
      super(options);
      this[kCallback] = null;
      this.other = null;
    }

    _read() {
      const callback = this[kCallback];
      if (callback) {
        this[kCallback] = null;
        callback();
      }
    }

    _write(chunk, encoding, callback) {
      if (chunk.length === 0) {
        process.nextTick(callback);
      } else {
        this.other.push(chunk);
        this.other[kCallback] = callback;
      }
    }

    _final(callback) {
      this.other.on('end', callback);
      this.other.push(null);
    }

    _destroy(err, callback) {
      if (err) this.other.destroy(err);
      else if (!this.other.destroyed) this.other.destroy();
      callback(err);
    }
  }
  const a = new Side();
  const b = new Side();
  a.other = b;
  b.other = a;
  return [a, b];
}

module.exports = Stream;
