// lode:module internal/streams/duplex
// stream.Duplex: a Readable that is also a Writable (both states on one
// object). allowHalfOpen: false ends the writable side when reading ends.

const { Stream } = require('internal/streams/legacy');
const Readable = require('internal/streams/readable');
const Writable = require('internal/streams/writable');
const destroyImpl = require('internal/streams/destroy');

function Duplex(options) {
  if (!(this instanceof Duplex)) return new Duplex(options);
  this._events ??= {
    __proto__: null, close: undefined, error: undefined, prefinish: undefined, finish: undefined, drain: undefined,
    data: undefined, end: undefined, readable: undefined,
  };
  Readable.call(this, options);
  Writable.call(this, options);
  if (options) {
    this.allowHalfOpen = options.allowHalfOpen !== false;
    if (options.readable === false) {
      this._readableState.readable = false;
      this._readableState.ended = true;
      this._readableState.endEmitted = true;
    }
    if (options.writable === false) {
      this._writableState.writable = false;
      this._writableState.ending = true;
      this._writableState.ended = true;
      this._writableState.finished = true;
    }
    if (options.signal) require('internal/streams/add_abort_signal').addAbortSignal(options.signal, this);
  } else {
    this.allowHalfOpen = true;
  }
}
Object.setPrototypeOf(Duplex.prototype, Readable.prototype);
Object.setPrototypeOf(Duplex, Readable);
Stream.Duplex = Duplex;

// Writable's methods and getters, except those Readable already defines.
for (const name of Object.getOwnPropertyNames(Writable.prototype)) {
  if (name === 'constructor' || name === 'destroy' || Object.prototype.hasOwnProperty.call(Duplex.prototype, name)) continue;
  if (Object.prototype.hasOwnProperty.call(Readable.prototype, name) && name !== 'writable') continue;
  Object.defineProperty(Duplex.prototype, name, Object.getOwnPropertyDescriptor(Writable.prototype, name));
}

function bothStates(name) {
  return function () {
    const r = this._readableState;
    const w = this._writableState;
    if (r === undefined || w === undefined) return false;
    return r[name] && w[name];
  };
}

Object.defineProperty(Duplex.prototype, 'destroyed', {
  get: bothStates('destroyed'),
  set(value) {
    if (this._readableState && this._writableState) {
      this._readableState.destroyed = value;
      this._writableState.destroyed = value;
    }
  },
  configurable: true,
});
Object.defineProperty(Duplex.prototype, 'closed', {
  get() {
    const r = this._readableState;
    const w = this._writableState;
    return !!r && !!w && r.closed && w.closed;
  },
  configurable: true,
});
Object.defineProperty(Duplex.prototype, 'errored', {
  get() {
    return (this._readableState && this._readableState.errored) || (this._writableState && this._writableState.errored) || null;
  },
  configurable: true,
});

Duplex.prototype.destroy = Writable.prototype.destroy;
Duplex.prototype._undestroy = destroyImpl.undestroy;

Duplex.from = function (body) {
  return require('internal/streams/duplexify')(body, 'body');
};

Duplex.fromWeb = function fromWeb(pair, options) {
  return require('internal/webstreams/adapters').newStreamDuplexFromReadableWritablePair(pair, options);
};
Duplex.toWeb = function toWeb(duplex) {
  return require('internal/webstreams/adapters').newReadableWritablePairFromDuplex(duplex);
};

module.exports = Duplex;
