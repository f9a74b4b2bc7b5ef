// lode:module internal/web/event_target
// The DOM's Event and EventTarget (and CustomEvent) as Node provides them:
// listener options (once, capture, passive, signal), handleEvent objects,
// and listener errors reported as uncaught exceptions, not thrown.

const { codes: { ERR_INVALID_ARG_TYPE, ERR_MISSING_ARGS, ERR_INVALID_THIS } } = require('internal/errors');

const kStop = Symbol('stop');
// Lode's own listeners (events.once's abort handling) still run after
// stopImmediatePropagation, as Node's do.
const kResistStopPropagation = Symbol('kResistStopPropagation');
const kTarget = Symbol('target');

class Event {
  #type;
  #bubbles;
  #cancelable;
  #composed;
  #defaultPrevented = false;
  #timeStamp = performance.now();
  [kStop] = false;
  [kTarget] = null;

  constructor(type, options = undefined) {
    if (arguments.length === 0) throw new ERR_MISSING_ARGS('type');
    if (options !== undefined && options !== null && typeof options !== 'object') {
      throw new ERR_INVALID_ARG_TYPE('options', 'object', options);
    }
    this.#type = `${type}`;
    this.#bubbles = !!options?.bubbles;
    this.#cancelable = !!options?.cancelable;
    this.#composed = !!options?.composed;
  }

  get type() { return this.#type; }
  get bubbles() { return this.#bubbles; }
  get cancelable() { return this.#cancelable; }
  get composed() { return this.#composed; }
  get defaultPrevented() { return this.#cancelable && this.#defaultPrevented; }
  get timeStamp() { return this.#timeStamp; }
  get target() { return this[kTarget]; }
  get currentTarget() { return this[kTarget]; }
  get srcElement() { return this[kTarget]; }
  get eventPhase() { return this[kTarget] ? Event.AT_TARGET : Event.NONE; }
  get isTrusted() { return false; }
  get returnValue() { return !this.defaultPrevented; }
  get cancelBubble() { return this[kStop]; }
  set cancelBubble(value) { if (value) this[kStop] = true; }
  composedPath() { return this[kTarget] ? [this[kTarget]] : []; }
  preventDefault() { this.#defaultPrevented = true; }
  stopPropagation() { this[kStop] = true; }
  stopImmediatePropagation() { this[kStop] = true; }
}
Object.defineProperty(Event.prototype, Symbol.toStringTag, { value: 'Event', configurable: true });
for (const [name, value] of [['NONE', 0], ['CAPTURING_PHASE', 1], ['AT_TARGET', 2], ['BUBBLING_PHASE', 3]]) {
  Object.defineProperty(Event, name, { value, enumerable: true });
  Object.defineProperty(Event.prototype, name, { value, enumerable: true });
}

class CustomEvent extends Event {
  #detail;
  constructor(type, options = undefined) {
    super(type, options);
    this.#detail = options?.detail ?? null;
  }

  get detail() { return this.#detail; }
}

const kListeners = Symbol('kEvents');

class EventTarget {
  [kListeners] = new Map();

  addEventListener(type, listener, options = undefined) {
    if (arguments.length < 2) throw new ERR_MISSING_ARGS('type', 'listener');
    if (listener === null || listener === undefined) return;
    if (typeof listener !== 'function' && typeof listener?.handleEvent !== 'function') {
      throw new ERR_INVALID_ARG_TYPE('listener', 'EventListener', listener);
    }
    const opts = typeof options === 'boolean' ? { capture: options } : (options ?? {});
    const capture = !!opts.capture;
    const signal = opts.signal;
    if (signal?.aborted) return;
    type = `${type}`;
    let list = this[kListeners].get(type);
    if (list === undefined) {
      list = [];
      this[kListeners].set(type, list);
    }
    if (list.some((l) => l.listener === listener && l.capture === capture)) return;
    const record = { listener, capture, once: !!opts.once, removed: false, resist: !!opts[kResistStopPropagation] };
    list.push(record);
    if (signal) {
      signal.addEventListener('abort', () => this.removeEventListener(type, listener, options), { once: true });
    }
  }

  removeEventListener(type, listener, options = undefined) {
    const capture = typeof options === 'boolean' ? options : !!options?.capture;
    const list = this[kListeners].get(`${type}`);
    if (list === undefined) return;
    const index = list.findIndex((l) => l.listener === listener && l.capture === capture);
    if (index !== -1) {
      list[index].removed = true;
      list.splice(index, 1);
    }
  }

  dispatchEvent(event) {
    if (!(event instanceof Event)) throw new ERR_INVALID_ARG_TYPE('event', 'Event', event);
    if (!(this instanceof EventTarget)) throw new ERR_INVALID_THIS('EventTarget');
    event[kTarget] = this;
    const list = this[kListeners].get(event.type);
    if (list !== undefined) {
      for (const record of list.slice()) {
        if (record.removed || (event[kStop] && !record.resist)) continue;
        if (record.once) this.removeEventListener(event.type, record.listener, { capture: record.capture });
        try {
          const { listener } = record;
          const result = typeof listener === 'function'
            ? listener.call(this, event)
            : listener.handleEvent(event);
          if (result !== undefined && result !== null && typeof result.then === 'function') {
            result.then(undefined, (err) => process.nextTick(() => { throw err; }));
          }
        } catch (err) {
          process.nextTick(() => { throw err; });
        }
      }
    }
    return !event.defaultPrevented;
  }
}
Object.defineProperty(EventTarget.prototype, Symbol.toStringTag, { value: 'EventTarget', configurable: true });

function listenerCount(target, type) {
  return target[kListeners].get(type)?.length ?? 0;
}

function getListeners(target, type) {
  return (target[kListeners].get(type) ?? []).map((r) => r.listener);
}

module.exports = { Event, CustomEvent, EventTarget, listenerCount, getListeners, kResistStopPropagation };
