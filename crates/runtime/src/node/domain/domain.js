// lode:module domain
// `node:domain` (deprecated in Node, still met in older packages): a sink
// for the errors of a group of emitters and of the code run inside it.
// Built: create/createDomain, Domain's add/remove/run/bind/intercept/
// enter/exit, 'error' emitted on a member emitter without a listener going
// to its domain, and an exception thrown inside run() or a bound function
// reaching the domain's 'error' listeners instead of ending the process.
// Not built: carrying the active domain into callbacks scheduled from
// inside it (timers, I/O, promises); an error thrown there is uncaught, as
// it would be without a domain.

const EventEmitter = require('events');
const { codes: { ERR_UNHANDLED_ERROR } } = require('internal/errors');
const { setUncaughtExceptionCaptureCallback } = require('internal/process/execution');
const { validateFunction } = require('internal/validators');

// Domains entered and not yet exited, innermost last.
const stack = [];
let active = null;

function setActive(domain) {
  active = domain;
  process.domain = domain;
  module.exports.active = domain;
}

// While a domain with 'error' listeners is entered, an uncaught exception
// goes to it (as Node's domain module does, through the same hook).
function updateExceptionCapture() {
  setUncaughtExceptionCaptureCallback(null);
  if (stack.some((domain) => domain.listenerCount('error') > 0)) {
    setUncaughtExceptionCaptureCallback((er) => active._errorHandler(er));
  }
}

class Domain extends EventEmitter {
  constructor() {
    super();
    this.members = [];
    this.on('newListener', (type) => {
      if (type === 'error') process.nextTick(updateExceptionCapture);
    });
  }

  enter() {
    stack.push(this);
    setActive(this);
    updateExceptionCapture();
  }

  exit() {
    const index = stack.lastIndexOf(this);
    if (index === -1) return;
    stack.splice(index);
    setActive(stack.length > 0 ? stack[stack.length - 1] : null);
    updateExceptionCapture();
  }

  add(emitter) {
    if (emitter.domain === this) return;
    if (emitter.domain) emitter.domain.remove(emitter);
    Object.defineProperty(emitter, 'domain', { value: this, writable: true, configurable: true, enumerable: false });
    this.members.push(emitter);
  }

  remove(emitter) {
    emitter.domain = null;
    const index = this.members.indexOf(emitter);
    if (index !== -1) this.members.splice(index, 1);
  }

  // As Node's: no try/finally, so a throw leaves the domain entered until
  // its error handler runs.
  run(fn, ...args) {
    validateFunction(fn, 'fn');
    this.enter();
    const result = Reflect.apply(fn, this, args);
    this.exit();
    return result;
  }

  bind(fn) {
    validateFunction(fn, 'fn');
    const domain = this;
    function bound(...args) {
      domain.enter();
      const result = Reflect.apply(fn, this, args);
      domain.exit();
      return result;
    }
    bound.domain = this;
    return bound;
  }

  // A callback whose first argument, an error, goes to the domain.
  intercept(fn) {
    validateFunction(fn, 'fn');
    const domain = this;
    function intercepted(er, ...args) {
      if (er) {
        if (typeof er === 'object') {
          er.domainBound = fn;
          er.domainThrown = false;
          er.domain = domain;
        }
        domain.emit('error', er);
        return undefined;
      }
      domain.enter();
      const result = Reflect.apply(fn, this, args);
      domain.exit();
      return result;
    }
    intercepted.domain = this;
    return intercepted;
  }

  // The uncaught-exception hook: true when a listener took the error.
  _errorHandler(er) {
    if ((typeof er === 'object' && er !== null) || typeof er === 'function') {
      er.domain = this;
      er.domainThrown = true;
    }
    // The handler runs outside the domain that failed (no re-entering it).
    while (active === this) this.exit();
    let caught = false;
    if (stack.length === 0) {
      if (this.listenerCount('error') > 0) {
        setUncaughtExceptionCaptureCallback(null);
        try {
          caught = this.emit('error', er);
        } finally {
          updateExceptionCapture();
        }
      }
    } else {
      try {
        caught = this.emit('error', er);
      } catch (er2) {
        // The handler threw: an enclosing domain may take that instead.
        updateExceptionCapture();
        if (stack.length === 0) throw er2;
        setActive(stack[stack.length - 1]);
        caught = active._errorHandler(er2);
      }
    }
    // An uncaught exception ends the tick: no domain stays entered.
    stack.length = 0;
    setActive(null);
    updateExceptionCapture();
    if (!caught) throw er;
    return caught;
  }
}

// A member emitter's unheard 'error' goes to its domain; other events run
// with the domain entered.
const emit = EventEmitter.prototype.emit;
EventEmitter.prototype.emit = function (type, ...args) {
  const domain = this.domain;
  if (domain === null || domain === undefined || this === process || (type === 'error' && this.listenerCount('error') > 0)) {
    return Reflect.apply(emit, this, [type, ...args]);
  }
  if (type === 'error') {
    const er = args.length > 0 && args[0] ? args[0] : new ERR_UNHANDLED_ERROR();
    if (typeof er === 'object') {
      er.domainEmitter = this;
      er.domain = domain;
      er.domainThrown = false;
    }
    if (domain.listenerCount('error') === 0) throw er;
    domain.emit('error', er);
    return false;
  }
  domain.enter();
  const result = Reflect.apply(emit, this, [type, ...args]);
  domain.exit();
  return result;
};

function create() {
  return new Domain();
}

setActive(null);

module.exports = { Domain, active, create, createDomain: create, _stack: stack };
