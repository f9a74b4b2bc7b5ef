// lode:module util/types
// Type checks that look at an object's internal kind, not its prototype
// chain, so they hold across realms and for subclassed built-ins.

const native = binding('util');
const tag = (value) => Object.prototype.toString.call(value).slice(8, -1);
const TypedArrayProto = Object.getPrototypeOf(Uint8Array.prototype);
const typedArrayTag = Object.getOwnPropertyDescriptor(TypedArrayProto, Symbol.toStringTag).get;

function brandCheck(getter) {
  return (value) => {
    try {
      getter.call(value);
      return true;
    } catch {
      return false;
    }
  };
}

const isMap = brandCheck(Object.getOwnPropertyDescriptor(Map.prototype, 'size').get);
const isSet = brandCheck(Object.getOwnPropertyDescriptor(Set.prototype, 'size').get);
const isArrayBuffer = brandCheck(Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'byteLength').get);
const isSharedArrayBuffer = brandCheck(Object.getOwnPropertyDescriptor(SharedArrayBuffer.prototype, 'byteLength').get);
const isDataView = brandCheck(Object.getOwnPropertyDescriptor(DataView.prototype, 'byteLength').get);
const isDate = brandCheck(Date.prototype.getTime);
const isWeakMap = brandCheck(WeakMap.prototype.has);
const isWeakSet = brandCheck(WeakSet.prototype.has);
// The `source` getter throws for anything but a RegExp and RegExp.prototype.
const isRegExpOrItsPrototype = brandCheck(Object.getOwnPropertyDescriptor(RegExp.prototype, 'source').get);

function isTypedArray(value) {
  try {
    return typedArrayTag.call(value) !== undefined;
  } catch {
    return false;
  }
}

const typedKind = (name) => (value) => isTypedArray(value) && typedArrayTag.call(value) === name;

module.exports = {
  isAnyArrayBuffer: (v) => isArrayBuffer(v) || isSharedArrayBuffer(v),
  isArrayBuffer,
  isSharedArrayBuffer,
  isArrayBufferView: (v) => ArrayBuffer.isView(v),
  isArgumentsObject: (v) => tag(v) === 'Arguments',
  // Function kinds by the engine's class, as V8's checks: a prototype swap
  // does not change what a function is. native.functionKind gives 0 other,
  // 1 async, 2 generator, 3 async generator.
  isAsyncFunction(v) {
    const kind = native.functionKind(v);
    return kind === 1 || kind === 3;
  },
  isGeneratorFunction(v) {
    const kind = native.functionKind(v);
    return kind === 2 || kind === 3;
  },
  isGeneratorObject: (v) => tag(v) === 'Generator' || tag(v) === 'AsyncGenerator',
  isBigInt64Array: typedKind('BigInt64Array'),
  isBigUint64Array: typedKind('BigUint64Array'),
  isBooleanObject: (v) => typeof v === 'object' && v !== null && brandCheck(Boolean.prototype.valueOf)(v),
  isNumberObject: (v) => typeof v === 'object' && v !== null && brandCheck(Number.prototype.valueOf)(v),
  isStringObject: (v) => typeof v === 'object' && v !== null && brandCheck(String.prototype.valueOf)(v),
  isSymbolObject: (v) => typeof v === 'object' && v !== null && brandCheck(Symbol.prototype.valueOf)(v),
  isBigIntObject: (v) => typeof v === 'object' && v !== null && brandCheck(BigInt.prototype.valueOf)(v),
  isBoxedPrimitive(v) {
    return this.isBooleanObject(v) || this.isNumberObject(v) || this.isStringObject(v) ||
      this.isSymbolObject(v) || this.isBigIntObject(v);
  },
  isDataView,
  isDate,
  isExternal: () => false,
  isFloat16Array: typedKind('Float16Array'),
  isFloat32Array: typedKind('Float32Array'),
  isFloat64Array: typedKind('Float64Array'),
  isInt8Array: typedKind('Int8Array'),
  isInt16Array: typedKind('Int16Array'),
  isInt32Array: typedKind('Int32Array'),
  isUint8Array: typedKind('Uint8Array'),
  isUint8ClampedArray: typedKind('Uint8ClampedArray'),
  isUint16Array: typedKind('Uint16Array'),
  isUint32Array: typedKind('Uint32Array'),
  isMap,
  isSet,
  isMapIterator: (v) => tag(v) === 'Map Iterator',
  isSetIterator: (v) => tag(v) === 'Set Iterator',
  isModuleNamespaceObject: (v) => v !== null && typeof v === 'object' && tag(v) === 'Module' &&
    Object.getPrototypeOf(v) === null,
  isNativeError: (v) => native.isError(v),
  isPromise: (v) => native.promiseState(v) !== undefined,
  isProxy: (v) => native.getProxyDetails(v) !== undefined,
  isRegExp: (v) => v !== RegExp.prototype && isRegExpOrItsPrototype(v),
  isTypedArray,
  isWeakMap,
  isWeakSet,
  isKeyObject: () => false,
  isCryptoKey: () => false,
};
