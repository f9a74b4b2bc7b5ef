// lode:module internal/bootstrap
// Boots Node's environment: the built-in module loader, V8-style stack
// traces, `process`, the globals, and the hooks the native event loop calls.
// Everything else loads lazily, on first use.

const builtinCache = new Map();
const bindingCache = new Map();

function getBinding(name) {
  let b = bindingCache.get(name);
  if (b === undefined) {
    b = internals.binding(name);
    bindingCache.set(name, b);
  }
  return b;
}

// Loads built-in `id` from its bytecode, once.
function requireBuiltin(id) {
  const cached = builtinCache.get(id);
  if (cached !== undefined) return cached.exports;
  const wrapper = internals.loadBuiltin(id);
  if (wrapper === undefined) {
    const err = new Error(`Cannot find module '${id}'`);
    err.code = 'MODULE_NOT_FOUND';
    throw err;
  }
  const mod = { id, exports: {}, loaded: false };
  builtinCache.set(id, mod);
  try {
    wrapper(mod.exports, requireBuiltin, mod, getBinding, internals);
  } catch (err) {
    builtinCache.delete(id);
    throw err;
  }
  mod.loaded = true;
  return mod.exports;
}

// V8's stack format, `Name: message` then `    at fn (file:line:col)`, which
// many packages parse.
function errorHeader(error) {
  if (error === null || (typeof error !== 'object' && typeof error !== 'function')) return String(error);
  let name;
  let message;
  try {
    name = error.name === undefined ? 'Error' : String(error.name);
    message = error.message === undefined ? '' : String(error.message);
  } catch {
    return '<error>';
  }
  if (name === '') return message;
  if (message === '') return name;
  return `${name}: ${message}`;
}

function formatCallSite(site) {
  const file = site.getFileName() || '<anonymous>';
  const location = `${file}:${site.getLineNumber()}:${site.getColumnNumber()}`;
  let fn = site.getFunctionName();
  if (fn === '<eval>') fn = null;
  if (site.isNative && site.isNative()) return `    at ${fn || '<anonymous>'} (native)`;
  return fn ? `    at ${fn} (${location})` : `    at ${location}`;
}

// QuickJS's call sites have the location methods; packages that read
// structured stacks (depd, callsites...) also call V8's others.
{
  const saved = Error.prepareStackTrace;
  Error.prepareStackTrace = (error, frames) => frames;
  const holder = {};
  Error.captureStackTrace(holder);
  const frame = holder.stack[0];
  Error.prepareStackTrace = saved;
  const proto = frame && Object.getPrototypeOf(frame);
  const missing = {
    isEval: () => false,
    isToplevel() { return this.getFunctionName() === null; },
    isAsync: () => false,
    isPromiseAll: () => false,
    getPromiseIndex: () => null,
    getThis: () => undefined,
    getTypeName: () => null,
    getMethodName: () => null,
    getEvalOrigin: () => undefined,
    getScriptNameOrSourceURL() { return this.getFileName(); },
    getScriptHash: () => '',
    getEnclosingLineNumber: () => null,
    getEnclosingColumnNumber: () => null,
    getPosition: () => 0,
    toString() { return formatCallSite(this).slice('    at '.length); },
  };
  if (proto) {
    for (const name of Object.keys(missing)) {
      if (!(name in proto)) Object.defineProperty(proto, name, { value: missing[name], writable: true, configurable: true });
    }
  }
}

Error.prepareStackTrace = function prepareStackTrace(error, frames) {
  let out = errorHeader(error);
  for (const frame of frames) out += `\n${formatCallSite(frame)}`;
  return out;
};

const process = requireBuiltin('process');
Object.defineProperty(globalThis, 'process', { value: process, writable: true, configurable: true, enumerable: false });
Object.defineProperty(globalThis, 'global', { value: globalThis, writable: true, configurable: true, enumerable: false });

const { getOptionValue } = requireBuiltin('internal/options');
const stackLimit = getOptionValue('--stack-trace-limit');
if (stackLimit !== undefined) Error.stackTraceLimit = Number(stackLimit);

const timers = requireBuiltin('internal/timers');
function defineGlobal(name, value) {
  Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: true });
}
function defineLazyGlobal(name, load) {
  Object.defineProperty(globalThis, name, {
    configurable: true,
    enumerable: false,
    get() {
      const value = load();
      Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
      return value;
    },
    set(value) {
      Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
    },
  });
}

defineGlobal('setTimeout', timers.setTimeout);
defineGlobal('setInterval', timers.setInterval);
defineGlobal('clearTimeout', timers.clearTimeout);
defineGlobal('clearInterval', timers.clearTimeout);
defineGlobal('setImmediate', timers.setImmediate);
defineGlobal('clearImmediate', timers.clearImmediate);

// Errors thrown by a microtask are uncaught exceptions, as in Node.
const engineQueueMicrotask = globalThis.queueMicrotask;
defineGlobal('queueMicrotask', function queueMicrotask(callback) {
  requireBuiltin('internal/validators').validateFunction(callback, 'callback');
  engineQueueMicrotask(() => {
    try {
      callback();
    } catch (err) {
      requireBuiltin('internal/process/execution').fatalException(err);
    }
  });
});
defineLazyGlobal('console', () => requireBuiltin('console'));
for (const name of ['EventTarget', 'Event', 'CustomEvent']) {
  defineLazyGlobal(name, () => requireBuiltin('internal/web/event_target')[name]);
}
defineLazyGlobal('Buffer', () => requireBuiltin('buffer').Buffer);
for (const name of ['URL', 'URLSearchParams']) {
  defineLazyGlobal(name, () => requireBuiltin('url')[name]);
}
for (const name of ['performance', 'Performance', 'PerformanceEntry', 'PerformanceMark', 'PerformanceMeasure']) {
  defineLazyGlobal(name, () => requireBuiltin('perf_hooks')[name]);
}
defineLazyGlobal('navigator', () => requireBuiltin('internal/web/navigator').navigator);
defineLazyGlobal('Navigator', () => requireBuiltin('internal/web/navigator').Navigator);
for (const name of ['TextEncoder', 'TextDecoder']) {
  defineLazyGlobal(name, () => requireBuiltin('internal/web/encoding')[name]);
}
for (const name of [
  'ReadableStream', 'ReadableStreamDefaultReader', 'ReadableStreamBYOBReader', 'ReadableStreamBYOBRequest',
  'ReadableByteStreamController', 'ReadableStreamDefaultController', 'TransformStream', 'TransformStreamDefaultController',
  'WritableStream', 'WritableStreamDefaultWriter', 'WritableStreamDefaultController', 'ByteLengthQueuingStrategy',
  'CountQueuingStrategy', 'TextEncoderStream', 'TextDecoderStream', 'CompressionStream', 'DecompressionStream',
]) {
  defineLazyGlobal(name, () => requireBuiltin('stream/web')[name]);
}
defineLazyGlobal('Blob', () => requireBuiltin('internal/web/blob').Blob);
defineLazyGlobal('File', () => requireBuiltin('internal/web/blob').File);
defineLazyGlobal('structuredClone', () => requireBuiltin('internal/web/structured_clone').structuredClone);
defineLazyGlobal('crypto', () => requireBuiltin('crypto').webcrypto);
defineLazyGlobal('Crypto', () => requireBuiltin('crypto').Crypto);
// fetch is not built yet. Unlike other unbuilt features it is not left
// absent: Node's own test harness (test/common) lists it among the known
// globals, so every Node test file needs it to exist. It rejects, naming
// itself.
defineGlobal('fetch', async function fetch() {
  throw requireBuiltin('internal/errors').notImplemented('fetch');
});
for (const name of ['AbortController', 'AbortSignal']) {
  defineLazyGlobal(name, () => requireBuiltin('internal/web/abort')[name]);
}

if (getOptionValue('--expose-gc')) {
  defineGlobal('gc', function gc() {
    getBinding('process').gc();
  });
}

if (getOptionValue('--warnings') !== false) {
  process.on('warning', requireBuiltin('internal/process/warning').onWarning);
}

const { processTicksAndRejections } = requireBuiltin('internal/process/task_queues');
const execution = requireBuiltin('internal/process/execution');
const { signals } = requireBuiltin('internal/os/constants');
const signalNames = Object.keys(signals);

internals.setModuleLoaderInit(() => requireBuiltin('internal/modules/esm/loader'));

// Whether -e or piped code is an ES module: as --input-type says, else
// when it does not compile as a script but does as a module (Node's
// syntax detection).
function isModuleInput(source) {
  const inputType = getOptionValue('--input-type');
  if (inputType === 'module') return true;
  if (inputType === 'commonjs') return false;
  return !internals.parsesAsScript(source) && internals.parsesAsModule(source);
}

function runMain() {
  const { options } = internals;
  // Started by fork(): the IPC channel to the parent.
  const channelFd = process.env.NODE_CHANNEL_FD;
  if (channelFd !== undefined) {
    delete process.env.NODE_CHANNEL_FD;
    delete process.env.NODE_CHANNEL_SERIALIZATION_MODE;
    requireBuiltin('internal/child_process/channel').setupChild(Number(channelFd));
  }
  const loader = requireBuiltin('internal/modules/cjs/loader');
  for (const request of getOptionValue('--require')) loader.preload(request);
  process.argv.push(...(options.file !== undefined ? [loader.resolveMainPath(options.file)] : []), ...options.args);
  if (options.file !== undefined) {
    loader.runMain(process.argv[1]);
  } else {
    const name = options.eval !== undefined ? '[eval]' : '[stdin]';
    const source = options.eval ?? options.stdin;
    if (isModuleInput(source)) {
      if (options.print) throw new (requireBuiltin('internal/errors').codes.ERR_EVAL_ESM_CANNOT_PRINT)();
      requireBuiltin('internal/modules/esm/loader').runEvalModule(source);
    } else {
      loader.evalScript(name, source, options.print);
    }
  }
}

module.exports = {
  runMain,
  tick: processTicksAndRejections,
  processTimers: timers.processTimers,
  processImmediates: timers.processImmediates,
  fatalException: execution.fatalException,
  emitBeforeExit() {
    if (!process._exiting) process.emit('beforeExit', process.exitCode ?? 0);
  },
  emitExit() {
    if (!process._exiting) {
      process._exiting = true;
      process.emit('exit', (process.exitCode | 0) || 0);
    }
    return (process.exitCode | 0) || 0;
  },
  emitSignal(signo) {
    const name = signalNames.find((n) => signals[n] === signo);
    // With no listener left, the signal does what it would have by default.
    if (!process.emit(name, name, signo)) getBinding('process').reallyExit(128 + signo);
  },
};
