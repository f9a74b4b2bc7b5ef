// lode:module async_hooks
// `node:async_hooks`: AsyncResource (the part packages such as on-finished
// use to keep a callback's context) and the async id queries. Lode does
// not track async contexts yet, so there is one execution context: ids
// are stable, and `createHook` and `AsyncLocalStorage` are absent.

const { validateFunction, validateString } = require('internal/validators');
const { codes: { ERR_ASYNC_TYPE } } = require('internal/errors');

let nextAsyncId = 2;

class AsyncResource {
  #asyncId;
  #triggerAsyncId;

  constructor(type, options = {}) {
    validateString(type, 'type');
    if (type.length === 0) throw new ERR_ASYNC_TYPE(type);
    const trigger = typeof options === 'number' ? options : options?.triggerAsyncId;
    this.#asyncId = nextAsyncId++;
    this.#triggerAsyncId = trigger ?? executionAsyncId();
  }

  runInAsyncScope(fn, thisArg, ...args) {
    return Reflect.apply(fn, thisArg, args);
  }

  emitDestroy() {
    return this;
  }

  asyncId() {
    return this.#asyncId;
  }

  triggerAsyncId() {
    return this.#triggerAsyncId;
  }

  bind(fn, thisArg) {
    validateFunction(fn, 'fn');
    const resource = this;
    const bound = thisArg === undefined
      ? function(...args) { return resource.runInAsyncScope(fn, this, ...args); }
      : function(...args) { return resource.runInAsyncScope(fn, thisArg, ...args); };
    Object.defineProperties(bound, {
      length: { configurable: true, value: fn.length },
      asyncResource: { configurable: true, enumerable: true, writable: true, value: this },
    });
    return bound;
  }

  static bind(fn, type, thisArg) {
    type = type || fn.name || 'bound-anonymous-fn';
    return new AsyncResource(type).bind(fn, thisArg);
  }
}

function executionAsyncId() {
  return 1;
}

function triggerAsyncId() {
  return 0;
}

function executionAsyncResource() {
  return {};
}

module.exports = {
  AsyncResource,
  executionAsyncId,
  triggerAsyncId,
  executionAsyncResource,
  asyncWrapProviders: Object.freeze({ __proto__: null }),
};
