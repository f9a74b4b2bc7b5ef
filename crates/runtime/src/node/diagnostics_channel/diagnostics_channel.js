// lode:module diagnostics_channel
// `node:diagnostics_channel`: named channels that code publishes diagnostic
// messages to and tools subscribe to, stores bound to a channel (entered
// around `runStores`), and tracing channels (the start/end/asyncStart/
// asyncEnd/error set around a sync call, a promise or a callback).
//
// A channel is one object per name while it is alive: channels nobody
// listens to are held weakly, so a name used once does not live forever; a
// channel with subscribers or bound stores is held strongly. A channel with
// neither is a plain `Channel` whose methods do nothing; the first
// subscriber or store switches its prototype to `ActiveChannel`'s, the last
// one leaving switches it back (as Node does, so `publish` on a silent
// channel costs one empty call and `instanceof Channel` holds for both).

const { codes: { ERR_INVALID_ARG_TYPE } } = require('internal/errors');
const { validateFunction } = require('internal/validators');

// Intrinsics taken before user code can replace them.
const ReflectApply = Reflect.apply;
const ObjectGetPrototypeOf = Object.getPrototypeOf;
const ObjectSetPrototypeOf = Object.setPrototypeOf;
const ObjectDefineProperty = Object.defineProperty;
const PromiseCtor = Promise;
const PromiseResolve = Promise.resolve.bind(Promise);
const PromiseReject = Promise.reject.bind(Promise);
const PromiseThen = Promise.prototype.then;
const ArrayAt = Array.prototype.at;
const ArraySplice = Array.prototype.splice;

// Node keeps a channel's stores in one of its primordial maps; the class
// name shows when a channel is inspected.
class SafeMap extends Map {}

// name -> WeakRef to its channel (or the channel itself without WeakRef).
const byName = new Map();
// Channels with subscribers or stores, kept alive while they have them.
const pinned = new Set();
const hasWeakRefs = typeof WeakRef === 'function' && typeof FinalizationRegistry === 'function';
const forget = hasWeakRefs ? new FinalizationRegistry((name) => {
  // The name may have a newer channel by now; drop only a dead entry.
  const ref = byName.get(name);
  if (ref !== undefined && ref.deref() === undefined) byName.delete(name);
}) : undefined;

function lookup(name) {
  const ref = byName.get(name);
  if (ref === undefined) return undefined;
  return hasWeakRefs ? ref.deref() : ref;
}

function register(name, ch) {
  if (hasWeakRefs) {
    byName.set(name, new WeakRef(ch));
    forget.register(ch, name);
  } else {
    byName.set(name, ch);
  }
}

// A subscriber's (or a store transform's) error must not stop the
// publisher: it surfaces on the next tick as an uncaught exception, shown
// where the error was made.
let fatalException;
function throwLater(err) {
  process.nextTick(() => {
    fatalException ??= require('internal/process/execution').fatalException;
    fatalException(err, false, false);
  });
}

class Channel {
  constructor(name) {
    this._subscribers = undefined;
    this._stores = undefined;
    this.name = name;
    this._index = undefined;
    register(name, this);
  }

  // A channel is a Channel whichever of the two prototypes it has now.
  static [Symbol.hasInstance](value) {
    if (value === undefined || value === null) {
      throw new TypeError('Cannot convert undefined or null to object');
    }
    const proto = ObjectGetPrototypeOf(value);
    return proto === Channel.prototype || proto === ActiveChannel.prototype;
  }

  subscribe(subscription) {
    validateFunction(subscription, 'subscription');
    becomeActive(this);
    this.subscribe(subscription);
  }

  unsubscribe() {
    return false;
  }

  bindStore(store, transform) {
    becomeActive(this);
    this.bindStore(store, transform);
  }

  unbindStore() {
    return false;
  }

  get hasSubscribers() {
    return false;
  }

  publish() {}

  runStores(data, fn, thisArg, ...args) {
    return ReflectApply(fn, thisArg, args);
  }
}

// The prototype of a channel somebody listens to; never constructed.
class ActiveChannel {
  subscribe(subscription) {
    validateFunction(subscription, 'subscription');
    // A new array each time: a publish under way keeps the list it started with.
    this._subscribers = [...this._subscribers, subscription];
  }

  unsubscribe(subscription) {
    const list = this._subscribers;
    const at = list.indexOf(subscription);
    if (at === -1) return false;
    this._subscribers = [...list.slice(0, at), ...list.slice(at + 1)];
    settle(this);
    return true;
  }

  bindStore(store, transform) {
    this._stores.set(store, transform);
  }

  unbindStore(store) {
    if (!this._stores.delete(store)) return false;
    settle(this);
    return true;
  }

  get hasSubscribers() {
    return true;
  }

  publish(data) {
    const list = this._subscribers;
    for (let i = 0; i < list.length; i++) {
      const onMessage = list[i];
      try {
        onMessage(data, this.name);
      } catch (err) {
        throwLater(err);
      }
    }
  }

  // Enters every bound store (the last bound outermost), publishes `data`
  // inside them all, then calls `fn`.
  runStores(data, fn, thisArg, ...args) {
    let next = () => {
      this.publish(data);
      return ReflectApply(fn, thisArg, args);
    };
    for (const [store, transform] of this._stores) next = enterStore(store, transform, data, next);
    return next();
  }
}

function enterStore(store, transform, data, inner) {
  return () => {
    let value = data;
    if (transform !== undefined) {
      try {
        value = transform(data);
      } catch (err) {
        // A failing transform skips its store and carries on.
        throwLater(err);
        return inner();
      }
    }
    return store.run(value, inner);
  };
}

function becomeActive(ch) {
  ObjectSetPrototypeOf(ch, ActiveChannel.prototype);
  ch._subscribers = [];
  ch._stores = new SafeMap();
  pinned.add(ch);
}

// Back to a silent channel once the last subscriber and store are gone.
function settle(ch) {
  if (ch._subscribers.length > 0 || ch._stores.size > 0) return;
  ObjectSetPrototypeOf(ch, Channel.prototype);
  ch._subscribers = undefined;
  ch._stores = undefined;
  pinned.delete(ch);
}

function channel(name) {
  const existing = lookup(name);
  if (existing) return existing;
  if (typeof name !== 'string' && typeof name !== 'symbol') {
    throw new ERR_INVALID_ARG_TYPE('channel', ['string', 'symbol'], name);
  }
  return new Channel(name);
}

function hasSubscribers(name) {
  const ch = lookup(name);
  return ch ? ch.hasSubscribers : false;
}

function subscribe(name, subscription) {
  return channel(name).subscribe(subscription);
}

function unsubscribe(name, subscription) {
  return channel(name).unsubscribe(subscription);
}

const traceEvents = ['start', 'end', 'asyncStart', 'asyncEnd', 'error'];

function eventChannel(nameOrChannels, event) {
  if (typeof nameOrChannels === 'string') return channel(`tracing:${nameOrChannels}:${event}`);
  if (typeof nameOrChannels === 'object' && nameOrChannels !== null) {
    const ch = nameOrChannels[event];
    if (!(ch instanceof Channel)) throw new ERR_INVALID_ARG_TYPE(`nameOrChannels.${event}`, ['Channel'], ch);
    return ch;
  }
  throw new ERR_INVALID_ARG_TYPE('nameOrChannels', ['string', 'object', 'TracingChannel'], nameOrChannels);
}

class TracingChannel {
  constructor(nameOrChannels) {
    for (const event of traceEvents) {
      ObjectDefineProperty(this, event, { __proto__: null, value: eventChannel(nameOrChannels, event) });
    }
  }

  get hasSubscribers() {
    return this.start?.hasSubscribers || this.end?.hasSubscribers || this.asyncStart?.hasSubscribers ||
      this.asyncEnd?.hasSubscribers || this.error?.hasSubscribers;
  }

  subscribe(handlers) {
    for (const event of traceEvents) {
      const handler = handlers[event];
      if (handler) this[event]?.subscribe(handler);
    }
  }

  unsubscribe(handlers) {
    let all = true;
    for (const event of traceEvents) {
      const handler = handlers[event];
      if (handler && !this[event]?.unsubscribe(handler)) all = false;
    }
    return all;
  }

  // The synchronous part every trace shares: `call` runs inside start's
  // stores; a throw is published on error; end is published either way.
  #traceStart(context, call) {
    const { start, end, error } = this;
    return start.runStores(context, () => {
      try {
        return call();
      } catch (err) {
        context.error = err;
        error.publish(context);
        throw err;
      } finally {
        end.publish(context);
      }
    });
  }

  traceSync(fn, context = {}, thisArg, ...args) {
    if (!this.hasSubscribers) return ReflectApply(fn, thisArg, args);
    return this.#traceStart(context, () => {
      const result = ReflectApply(fn, thisArg, args);
      context.result = result;
      return result;
    });
  }

  // Returns a new promise settled after asyncStart and asyncEnd are
  // published; a thenable that is not a promise is adopted first.
  tracePromise(fn, context = {}, thisArg, ...args) {
    if (!this.hasSubscribers) return ReflectApply(fn, thisArg, args);
    const { asyncStart, asyncEnd, error } = this;
    const fulfilled = (result) => {
      context.result = result;
      asyncStart.publish(context);
      asyncEnd.publish(context);
      return result;
    };
    const rejected = (err) => {
      context.error = err;
      error.publish(context);
      asyncStart.publish(context);
      asyncEnd.publish(context);
      return PromiseReject(err);
    };
    return this.#traceStart(context, () => {
      let promise = ReflectApply(fn, thisArg, args);
      if (!(promise instanceof PromiseCtor)) promise = PromiseResolve(promise);
      return ReflectApply(PromiseThen, promise, [fulfilled, rejected]);
    });
  }

  // `args[position]` (from the end when negative) is the callback; it is
  // replaced by one that records `error` or `result` and calls it between
  // asyncStart (with its stores entered) and asyncEnd.
  traceCallback(fn, position = -1, context = {}, thisArg, ...args) {
    if (!this.hasSubscribers) return ReflectApply(fn, thisArg, args);
    const { asyncStart, asyncEnd, error } = this;
    const callback = ReflectApply(ArrayAt, args, [position]);
    validateFunction(callback, 'callback');
    function wrappedCallback(err, res) {
      if (err) {
        context.error = err;
        error.publish(context);
      } else {
        context.result = res;
      }
      const receiver = this;
      const callArgs = arguments;
      asyncStart.runStores(context, () => {
        try {
          return ReflectApply(callback, receiver, callArgs);
        } finally {
          asyncEnd.publish(context);
        }
      });
    }
    ReflectApply(ArraySplice, args, [position, 1, wrappedCallback]);
    return this.#traceStart(context, () => ReflectApply(fn, thisArg, args));
  }
}

function tracingChannel(nameOrChannels) {
  return new TracingChannel(nameOrChannels);
}

module.exports = {
  channel,
  hasSubscribers,
  subscribe,
  tracingChannel,
  unsubscribe,
  Channel,
};
