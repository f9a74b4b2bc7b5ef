// lode:module vm
// `node:vm`: code compiled and run in this context or in new ones. A new
// context is another QuickJS realm in the same runtime (its own global
// object and built-ins, objects shared freely), as V8 contexts are. V8
// makes the contextified object itself stand for the realm's global; here
// its properties are copied onto the global before code runs and the
// global's own properties back onto it afterwards, so code that keeps the
// global and reads it later (a timer callback) sees the copy, not the object.

const native = binding('contextify');
const {
  codes: { ERR_INVALID_ARG_TYPE, ERR_SCRIPT_EXECUTION_INTERRUPTED, ERR_SCRIPT_EXECUTION_TIMEOUT },
} = require('internal/errors');
const { validateArray, validateBoolean, validateInt32, validateObject, validateString, validateUint32 } = require('internal/validators');

const kDefaultFilename = 'evalmachine.<anonymous>';
const constants = {
  __proto__: null,
  USE_MAIN_CONTEXT_DEFAULT_LOADER: Symbol('vm_dynamic_import_main_context_default'),
  DONT_CONTEXTIFY: Symbol('vm_context_no_contextify'),
};
Object.freeze(constants);

// Contextified object -> { id, global, builtins } of its realm.
const realms = new WeakMap();
const freeRealm = new FinalizationRegistry((id) => native.freeContext(id));

function createContext(contextObject = {}, options = {}) {
  if (contextObject === constants.DONT_CONTEXTIFY) {
    const realm = newRealm();
    realms.set(realm.global, realm);
    return realm.global;
  }
  validateObject(contextObject, 'contextObject', { allowArray: true, allowFunction: true });
  validateObject(options, 'options');
  if (options.name !== undefined) validateString(options.name, 'options.name');
  if (options.microtaskMode !== undefined && options.microtaskMode !== 'afterEvaluate') {
    throw new ERR_INVALID_ARG_TYPE('options.microtaskMode', 'string', options.microtaskMode);
  }
  if (!realms.has(contextObject)) realms.set(contextObject, newRealm(contextObject));
  return contextObject;
}

function newRealm(owner) {
  const [id, global] = native.newContext();
  const realm = { id, global, builtins: new Set(Reflect.ownKeys(global)) };
  freeRealm.register(owner ?? global, id);
  return realm;
}

function isContext(object) {
  validateObject(object, 'object', { allowArray: true, allowFunction: true });
  return realms.has(object);
}

function realmOf(contextifiedObject) {
  const realm = typeof contextifiedObject === 'object' || typeof contextifiedObject === 'function' ? realms.get(contextifiedObject) : undefined;
  if (realm === undefined) throw new ERR_INVALID_ARG_TYPE('contextifiedObject', 'vm.Context', contextifiedObject);
  return realm;
}

// The contextified object's properties onto the realm's global.
function copyIn(realm, object) {
  if (object === realm.global) return;
  for (const key of Reflect.ownKeys(object)) {
    const descriptor = Reflect.getOwnPropertyDescriptor(object, key);
    descriptor.configurable = true;
    Reflect.defineProperty(realm.global, key, descriptor);
  }
}

// What the code left on the global back onto the object: new and changed
// properties, and the removal of ones it deleted.
function copyOut(realm, object) {
  if (object === realm.global) return;
  const { global, builtins } = realm;
  for (const key of Reflect.ownKeys(global)) {
    if (builtins.has(key) && !Object.prototype.hasOwnProperty.call(object, key)) continue;
    const descriptor = Reflect.getOwnPropertyDescriptor(global, key);
    const current = Reflect.getOwnPropertyDescriptor(object, key);
    if (current !== undefined && 'value' in descriptor && 'value' in current && Object.is(current.value, descriptor.value)) continue;
    if (current === undefined || current.configurable) Reflect.defineProperty(object, key, descriptor);
    else if (current.writable) object[key] = descriptor.value;
  }
  for (const key of Reflect.ownKeys(object)) {
    if (!Object.prototype.hasOwnProperty.call(global, key)) Reflect.deleteProperty(object, key);
  }
}

function runOptions(options) {
  if (typeof options === 'string') return { filename: options, lineOffset: 0, timeout: 0 };
  if (options === undefined) return { filename: kDefaultFilename, lineOffset: 0, timeout: 0 };
  validateObject(options, 'options');
  const { filename = kDefaultFilename, lineOffset = 0, timeout, displayErrors, breakOnSigint } = options;
  validateString(filename, 'options.filename');
  validateInt32(lineOffset, 'options.lineOffset');
  if (timeout !== undefined) validateUint32(timeout, 'options.timeout', true);
  if (displayErrors !== undefined) validateBoolean(displayErrors, 'options.displayErrors');
  if (breakOnSigint !== undefined) validateBoolean(breakOnSigint, 'options.breakOnSigint');
  return { filename, lineOffset, timeout: timeout ?? 0, breakOnSigint: breakOnSigint === true };
}

function run(id, code, { filename, lineOffset, timeout, breakOnSigint = false }) {
  if (!breakOnSigint) return runNative(id, code, filename, lineOffset, timeout, false);
  // As Node: 'SIGINT' listeners do not run while the script may be broken
  // off by one; they are back afterwards.
  const listeners = process.rawListeners('SIGINT');
  process.removeAllListeners('SIGINT');
  try {
    return runNative(id, code, filename, lineOffset, timeout, true);
  } finally {
    for (const listener of listeners) process.addListener('SIGINT', listener);
  }
}

function runNative(id, code, filename, lineOffset, timeout, breakOnSigint) {
  const [value, interrupted] = native.run(id, code, filename, lineOffset + 1, timeout, breakOnSigint);
  if (interrupted === 'timeout') throw new ERR_SCRIPT_EXECUTION_TIMEOUT(timeout);
  if (interrupted === 'sigint') throw new ERR_SCRIPT_EXECUTION_INTERRUPTED();
  return value;
}

function runIn(realm, object, code, options) {
  copyIn(realm, object);
  try {
    return run(realm.id, code, options);
  } finally {
    copyOut(realm, object);
  }
}

class Script {
  #code;
  #filename;
  #lineOffset;

  constructor(code, options = {}) {
    code = `${code}`;
    if (typeof options === 'string') options = { filename: options };
    validateObject(options, 'options');
    const { filename = kDefaultFilename, lineOffset = 0, columnOffset = 0, cachedData, produceCachedData = false } = options;
    validateString(filename, 'options.filename');
    validateInt32(lineOffset, 'options.lineOffset');
    validateInt32(columnOffset, 'options.columnOffset');
    if (cachedData !== undefined && !ArrayBuffer.isView(cachedData)) {
      throw new ERR_INVALID_ARG_TYPE('options.cachedData', ['Buffer', 'TypedArray', 'DataView'], cachedData);
    }
    validateBoolean(produceCachedData, 'options.produceCachedData');
    native.compile(code, filename, lineOffset + 1);
    this.#code = code;
    this.#filename = filename;
    this.#lineOffset = lineOffset;
    // Engine code caches are V8's; QuickJS's is not offered.
    if (cachedData !== undefined) this.cachedDataRejected = true;
  }

  #options(options) {
    const parsed = runOptions(options);
    return { filename: this.#filename, lineOffset: this.#lineOffset, timeout: parsed.timeout, breakOnSigint: parsed.breakOnSigint };
  }

  runInThisContext(options) {
    return run(0, this.#code, this.#options(options));
  }

  runInContext(contextifiedObject, options) {
    const realm = realmOf(contextifiedObject);
    return runIn(realm, contextifiedObject, this.#code, this.#options(options));
  }

  runInNewContext(contextObject, options) {
    const object = createContext(contextObject ?? {}, contextOptions(options));
    return this.runInContext(object, options);
  }

  get sourceMapURL() {
    const match = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(this.#code);
    return match === null ? undefined : match[1];
  }
}

function contextOptions(options) {
  if (options === undefined || typeof options === 'string') return undefined;
  return { name: options.contextName, origin: options.contextOrigin, microtaskMode: options.microtaskMode };
}

function createScript(code, options) {
  return new Script(code, options);
}

function runInContext(code, contextifiedObject, options) {
  const realm = realmOf(contextifiedObject);
  return runIn(realm, contextifiedObject, `${code}`, runOptions(options));
}

function runInNewContext(code, contextObject, options) {
  const object = createContext(contextObject ?? {}, contextOptions(options));
  return runInContext(code, object, options);
}

function runInThisContext(code, options) {
  return run(0, `${code}`, runOptions(options));
}

// A function whose body is `code`, compiled in the main context or in
// `parsingContext`'s realm; `contextExtensions` objects are in scope as
// with `with`.
function compileFunction(code, params = [], options = {}) {
  validateString(code, 'code');
  validateArray(params, 'params');
  params.forEach((param, i) => validateString(param, `params[${i}]`));
  validateObject(options, 'options');
  const { filename = '', lineOffset = 0, columnOffset = 0, parsingContext, contextExtensions = [] } = options;
  validateString(filename, 'options.filename');
  validateInt32(lineOffset, 'options.lineOffset');
  validateInt32(columnOffset, 'options.columnOffset');
  validateArray(contextExtensions, 'options.contextExtensions');
  contextExtensions.forEach((extension, i) => validateObject(extension, `options.contextExtensions[${i}]`));
  const id = parsingContext === undefined ? 0 : realmOf(parsingContext).id;
  const names = contextExtensions.map((_, i) => `__lodeVmExtension${i}`);
  const open = names.map((name) => `with (${name}) `).join('');
  const source = `(function (${names.join(', ')}) { ${open}return function (${params.join(', ')}) {\n${code}\n}; })`;
  const factory = run(id, source, { filename, lineOffset: lineOffset - 1, timeout: 0 });
  return factory(...contextExtensions);
}

module.exports = {
  Script,
  compileFunction,
  constants,
  createContext,
  createScript,
  isContext,
  runInContext,
  runInNewContext,
  runInThisContext,
};
