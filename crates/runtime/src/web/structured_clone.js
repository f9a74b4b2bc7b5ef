// lode:module internal/web/structured_clone
// structuredClone: the HTML structured clone algorithm over the value kinds
// a single-threaded runtime can copy (primitives, wrappers, Date, RegExp,
// Map, Set, ArrayBuffer and views, errors, arrays, plain objects), keeping
// shared and circular references. Anything else is a DataCloneError.

const { codes: { ERR_MISSING_ARGS } } = require('internal/errors');

const errorConstructors = { Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError };
const tagOf = (v) => Object.prototype.toString.call(v).slice(8, -1);

function dataCloneError(value) {
  const shown = typeof value === 'function' ? `${value}` : tagOf(value);
  return new DOMException(`${shown} could not be cloned.`, 'DataCloneError');
}

function structuredClone(value, options = undefined) {
  if (arguments.length === 0) throw new ERR_MISSING_ARGS('value');
  const transfer = options?.transfer ?? [];
  const memory = new Map();
  const result = cloneValue(value, memory);
  for (const buffer of transfer) {
    if (!(buffer instanceof ArrayBuffer)) throw new DOMException('Value not transferable', 'DataCloneError');
    if (typeof buffer.transfer === 'function') buffer.transfer();
  }
  return result;
}

function cloneValue(value, memory) {
  if (typeof value === 'symbol') throw dataCloneError(value);
  if (typeof value === 'function') throw dataCloneError(value);
  if (value === null || typeof value !== 'object') return value;
  if (memory.has(value)) return memory.get(value);
  const tag = tagOf(value);
  let copy;
  switch (tag) {
    case 'Boolean': case 'Number': case 'String': case 'BigInt':
      copy = Object(value.valueOf());
      break;
    case 'Date':
      copy = new Date(value.getTime());
      break;
    case 'RegExp':
      copy = new RegExp(value.source, value.flags);
      break;
    case 'ArrayBuffer':
      copy = value.slice(0);
      break;
    case 'DataView': {
      const buffer = cloneValue(value.buffer, memory);
      copy = new DataView(buffer, value.byteOffset, value.byteLength);
      break;
    }
    case 'Map':
      copy = new Map();
      memory.set(value, copy);
      for (const [k, v] of value) copy.set(cloneValue(k, memory), cloneValue(v, memory));
      return copy;
    case 'Set':
      copy = new Set();
      memory.set(value, copy);
      for (const v of value) copy.add(cloneValue(v, memory));
      return copy;
    case 'Error': {
      const Ctor = errorConstructors[value.name] ?? Error;
      copy = Object.create(Ctor.prototype);
      memory.set(value, copy);
      for (const key of ['message', 'stack']) {
        if (Object.prototype.hasOwnProperty.call(value, key)) {
          Object.defineProperty(copy, key, { value: String(value[key]), writable: true, configurable: true });
        }
      }
      if ('cause' in value) {
        Object.defineProperty(copy, 'cause', { value: cloneValue(value.cause, memory), writable: true, configurable: true });
      }
      return copy;
    }
    case 'Array':
      copy = new Array(value.length);
      memory.set(value, copy);
      for (const key of Object.keys(value)) copy[key] = cloneValue(value[key], memory);
      return copy;
    case 'Object':
      // Class instances clone as plain objects of their own data.
      copy = {};
      memory.set(value, copy);
      for (const key of Object.keys(value)) copy[key] = cloneValue(value[key], memory);
      return copy;
    default:
      if (ArrayBuffer.isView(value)) {
        const buffer = cloneValue(value.buffer, memory);
        copy = new value.constructor(buffer, value.byteOffset, value.length);
        break;
      }
      throw dataCloneError(value);
  }
  memory.set(value, copy);
  return copy;
}

module.exports = { structuredClone };
