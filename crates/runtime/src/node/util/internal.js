// lode:module internal/util
// Helpers Lode's modules share with Node's names: deprecation wrappers,
// the experimental-feature warning, the symbol that names a callback's
// results for util.promisify, and a blocking sleep.

const { validateFunction, validateString, validateUint32 } = require('internal/validators');

// Set on a callback API whose callback gets several results, naming them
// for util.promisify: `fn[customPromisifyArgs] = ['stdout', 'stderr']`.
const customPromisifyArgs = Symbol('customPromisifyArgs');

const warnedCodes = new Set();

// `fn` that warns (once per function, and once per code) when first called.
// With `modifyPrototype` (the default) the wrapper shares fn's prototypes.
function deprecate(fn, msg, code, { modifyPrototype = true } = {}) {
  validateFunction(fn, 'fn');
  if (code !== undefined) validateString(code, 'code');
  if (process.noDeprecation === true) return fn;
  let warned = false;
  function deprecated(...args) {
    if (!warned) {
      warned = true;
      if (code === undefined || !warnedCodes.has(code)) {
        if (code !== undefined) warnedCodes.add(code);
        process.emitWarning(msg, 'DeprecationWarning', code, deprecated);
      }
    }
    if (new.target) return Reflect.construct(fn, args, new.target);
    return Reflect.apply(fn, this, args);
  }
  if (modifyPrototype) {
    // The wrapper stands in for fn: its arity, and `new` of the unwrapped
    // constructor makes instances of the wrapper.
    Object.setPrototypeOf(deprecated, fn);
    if (fn.prototype) deprecated.prototype = fn.prototype;
    Object.defineProperty(deprecated, 'length', { value: fn.length, configurable: true });
  }
  return deprecated;
}

// A deprecation that warns only under --pending-deprecation.
function pendingDeprecate(fn, msg, code) {
  const pending = require('internal/options').getOptionValue('--pending-deprecation') === true;
  if (!pending) return fn;
  return deprecate(fn, msg, code);
}

const experimentalWarned = new Set();

function emitExperimentalWarning(feature) {
  if (experimentalWarned.has(feature)) return;
  experimentalWarned.add(feature);
  process.emitWarning(`${feature} is an experimental feature and might change at any time`, 'ExperimentalWarning');
}

// Blocks the thread for `msec` milliseconds.
function sleep(msec) {
  validateUint32(msec, 'msec');
  binding('util').sleep(msec);
}

module.exports = { customPromisifyArgs, deprecate, pendingDeprecate, emitExperimentalWarning, sleep };
