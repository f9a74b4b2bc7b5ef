// lode:module process
// The `process` object: an EventEmitter carrying the program's identity,
// environment, clocks and exit machinery, built on the native `process`
// binding. Signal listeners start native signal watchers on demand.

const EventEmitter = require('events');
const { codes: { ERR_INVALID_ARG_TYPE, ERR_OUT_OF_RANGE, ERR_UNKNOWN_SIGNAL, ERR_INVALID_ARG_VALUE } } = require('internal/errors');
const { validateNumber, validateObject, validateInteger } = require('internal/validators');
const { getOptionValue } = require('internal/options');
const { signals } = require('internal/os/constants');
const native = binding('process');
const { options } = internals;

function Process() {
  EventEmitter.call(this);
}
Object.setPrototypeOf(Process.prototype, EventEmitter.prototype);
Object.setPrototypeOf(Process, EventEmitter);
Object.defineProperty(Process, 'name', { value: 'process' });
Object.defineProperty(Process.prototype, Symbol.toStringTag, { value: 'process', configurable: true });

const process = new Process();
module.exports = process;

const nodeVersion = options.nodeVersion;
let title = 'lode';
let exitCode;

function readOnly(name, value) {
  Object.defineProperty(process, name, { value, enumerable: true, writable: false, configurable: true });
}

readOnly('version', `v${nodeVersion}`);
readOnly('versions', {
  node: nodeVersion,
  lode: options.version,
  [native.engineName]: native.engineVersion,
  uv: '1.51.0',
  modules: '137',
  napi: '10',
});
readOnly('arch', native.arch);
readOnly('platform', native.platform);
readOnly('release', {
  name: 'node',
  lts: 'Krypton',
  sourceUrl: '',
  headersUrl: '',
});
readOnly('features', {
  inspector: false,
  debug: false,
  uv: true,
  ipv6: true,
  openssl_is_boringssl: false,
  quic: false,
  tls_alpn: false,
  tls_sni: false,
  tls_ocsp: false,
  tls: false,
  cached_builtins: true,
  require_module: true,
  typescript: 'strip',
});
// Immutable, as in Node 24.
const config = {
  target_defaults: { default_configuration: 'Release' },
  variables: {
    asan: 0,
    coverage: false,
    debug_nghttp2: false,
    debug_node: false,
    host_arch: native.arch,
    icu_small: false,
    llvm_version: '0.0',
    napi_build_version: '10',
    node_builtin_shareable_builtins: [],
    node_module_version: 137,
    node_prefix: '/usr/local',
    node_shared: false,
    node_shared_openssl: false,
    node_use_amaro: false,
    node_use_node_code_cache: false,
    node_use_node_snapshot: false,
    node_use_openssl: false,
    node_use_v8_platform: false,
    openssl_is_fips: false,
    shlib_suffix: 'so',
    target_arch: native.arch,
    v8_enable_i18n_support: 0,
    v8_enable_inspector: 0,
    v8_no_strict_aliasing: 1,
    v8_optimized_debug: 1,
    v8_promise_internal_field_count: 1,
    v8_use_siphash: 1,
  },
};
Object.freeze(config.target_defaults);
Object.freeze(config.variables);
readOnly('config', Object.freeze(config));
process.pid = native.pid;
process.ppid = native.ppid;
process.execPath = native.execPath;
process.argv0 = options.argv0;
process.execArgv = options.execArgv.slice();
process.argv = [native.execPath];
process._exiting = false;
process.noDeprecation = getOptionValue('--deprecation') === false;
process.throwDeprecation = getOptionValue('--throw-deprecation') === true;
process.traceDeprecation = getOptionValue('--trace-deprecation') === true;
process.traceProcessWarnings = getOptionValue('--trace-warnings') === true;
process.allowedNodeEnvironmentFlags = new Set([
  '--conditions', '--disable-warning', '--enable-source-maps', '--expose-gc', '--max-old-space-size',
  '--no-deprecation', '--no-warnings', '--pending-deprecation', '--preserve-symlinks', '--require',
  '--stack-trace-limit', '--throw-deprecation', '--title', '--trace-deprecation', '--trace-uncaught',
  '--trace-warnings', '--unhandled-rejections', '-C', '-r',
]);

Object.defineProperty(process, 'title', {
  enumerable: true,
  configurable: true,
  get() { return title; },
  set(value) { title = String(value); },
});
if (typeof getOptionValue('--title') === 'string') title = getOptionValue('--title');

function validateExitCode(code) {
  if (code === undefined || code === null) return;
  if (typeof code === 'string' && code !== '' && Number.isInteger(+code)) return;
  if (typeof code !== 'number') throw new ERR_INVALID_ARG_TYPE('code', 'integer', code);
  if (!Number.isInteger(code)) throw new ERR_OUT_OF_RANGE('code', 'an integer', code);
}

Object.defineProperty(process, 'exitCode', {
  enumerable: true,
  configurable: false,
  get() { return exitCode; },
  set(code) {
    validateExitCode(code);
    exitCode = code;
  },
});

process.exit = function exit(code) {
  validateExitCode(code);
  if (code !== undefined && code !== null) process.exitCode = code;
  if (!process._exiting) {
    process._exiting = true;
    process.emit('exit', (process.exitCode | 0) || 0);
  }
  process.reallyExit((process.exitCode | 0) || 0);
};
process.reallyExit = function reallyExit(code) {
  native.reallyExit(code | 0);
};
Object.assign(process, {
  // Method syntax: Node's process.abort has no prototype and cannot be new'd.
  abort() {
    native.abort();
  },
});

process.cwd = function cwd() {
  return native.cwd();
};
process.chdir = function chdir(directory) {
  if (typeof directory !== 'string') throw new ERR_INVALID_ARG_TYPE('directory', 'string', directory);
  native.chdir(directory);
};
process.umask = function umask(mask) {
  if (mask === undefined) return native.umask();
  if (typeof mask === 'string') {
    if (!/^[0-7]+$/.test(mask)) throw new ERR_INVALID_ARG_VALUE('mask', mask, 'must be a 32-bit unsigned integer or an octal string');
    mask = Number.parseInt(mask, 8);
  }
  validateInteger(mask, 'mask', 0, 0xffffffff);
  return native.umask(mask);
};

function hrtime(previous) {
  const [sec, nsec] = native.hrtime();
  if (previous !== undefined) {
    if (!Array.isArray(previous)) throw new ERR_INVALID_ARG_TYPE('time', 'Array', previous);
    if (previous.length !== 2) throw new ERR_OUT_OF_RANGE('time', '2', previous.length);
    let s = sec - previous[0];
    let ns = nsec - previous[1];
    if (ns < 0) {
      s -= 1;
      ns += 1e9;
    }
    return [s, ns];
  }
  return [sec, nsec];
}
hrtime.bigint = function bigint() {
  const [sec, nsec] = native.hrtime();
  return BigInt(sec) * 1000000000n + BigInt(nsec);
};
process.hrtime = hrtime;

function memoryUsage() {
  return native.memoryUsage();
}
memoryUsage.rss = function rss() {
  return native.rss();
};
process.memoryUsage = memoryUsage;
process.constrainedMemory = function constrainedMemory() {
  return 0;
};
process.availableMemory = function availableMemory() {
  return require('os').freemem();
};

// cpuUsage(previous) / threadCpuUsage(previous): the usage since `previous`.
function usageSince([user, system], previous) {
  if (previous === undefined) return { user, system };
  validateObject(previous, 'prevValue');
  for (const field of ['user', 'system']) {
    const value = previous[field];
    validateNumber(value, `prevValue.${field}`);
    if (value < 0 || !Number.isFinite(value)) throw new ERR_INVALID_ARG_VALUE.RangeError(`prevValue.${field}`, value);
  }
  return { user: user - previous.user, system: system - previous.system };
}

process.cpuUsage = function cpuUsage(previous) {
  return usageSince(native.cpuUsage(), previous);
};
process.resourceUsage = function resourceUsage() {
  return native.resourceUsage();
};
process.uptime = function uptime() {
  return native.uptime();
};

for (const name of ['getuid', 'geteuid', 'getgid', 'getegid']) {
  process[name] = { [name]() { return native[name](); } }[name];
}
process.getgroups = function getgroups() {
  return [native.getgid()];
};

process.kill = function kill(pid, sig = 'SIGTERM') {
  if (pid != (pid | 0)) throw new ERR_INVALID_ARG_TYPE('pid', 'number', pid); // eslint-disable-line eqeqeq
  let signo;
  if (typeof sig === 'number') signo = sig;
  else if (typeof sig === 'string' && signals[sig] !== undefined) signo = signals[sig];
  else throw new ERR_UNKNOWN_SIGNAL(sig);
  process._kill(pid, signo);
  return true;
};
// The raw system call, which tests and tools monkey-patch.
process._kill = function _kill(pid, signal) {
  native.kill(pid | 0, signal);
};

process.emitWarning = function emitWarning(...args) {
  return require('internal/process/warning').emitWarning(...args);
};
process.nextTick = require('internal/process/task_queues').nextTick;

process.setUncaughtExceptionCaptureCallback = function (fn) {
  require('internal/process/execution').setUncaughtExceptionCaptureCallback(fn);
};
process.hasUncaughtExceptionCaptureCallback = function () {
  return require('internal/process/execution').hasUncaughtExceptionCaptureCallback();
};

process.getBuiltinModule = function getBuiltinModule(id) {
  if (typeof id !== 'string') throw new ERR_INVALID_ARG_TYPE('id', 'string', id);
  const name = id.startsWith('node:') ? id.slice(5) : id;
  if (!require('internal/modules/builtins').canBeRequiredByUsers(name)) return undefined;
  return require(name);
};

process.binding = function binding(name) {
  throw require('internal/errors').notImplemented(`process.binding('${name}')`);
};
process._linkedBinding = process.binding;

process.getActiveResourcesInfo = function getActiveResourcesInfo() {
  const timers = require('internal/timers');
  return [
    ...new Array(timers.activeTimerCount()).fill('Timeout'),
    ...new Array(timers.activeImmediateCount()).fill('Immediate'),
  ];
};
process.threadCpuUsage = function threadCpuUsage(previous) {
  return usageSince(native.threadCpuUsage(), previous);
};
process.setSourceMapsEnabled = function setSourceMapsEnabled(value) {
  require('internal/validators').validateBoolean(value, 'val');
};
process.sourceMapsEnabled = false;
process.loadEnvFile = function loadEnvFile() {
  throw require('internal/errors').notImplemented('process.loadEnvFile');
};
process.ref = function ref(maybeRefable) {
  maybeRefable?.ref?.();
};
process.unref = function unref(maybeRefable) {
  maybeRefable?.unref?.();
};
process.emit = function emit(...args) {
  return EventEmitter.prototype.emit.apply(this, args);
};
process.moduleLoadList = [];
process.report = {
  getReport() {
    throw require('internal/errors').notImplemented('process.report.getReport');
  },
};

let envWarned = false;
function warnEnvDeprecation() {
  if (envWarned || getOptionValue('--pending-deprecation') !== true) return;
  envWarned = true;
  process.emitWarning('Assigning any value other than a string, number, or boolean to a process.env ' +
    'property is deprecated. Please make sure to convert the value to a string before setting ' +
    'process.env with it.', 'DeprecationWarning', 'DEP0104');
}

// process.env: the real environment; every value is stored as a string.
process.env = new Proxy({}, {
  get(target, key) {
    if (typeof key === 'symbol') return target[key];
    const value = native.getEnv(key);
    // Unset names fall through to Object.prototype, as on Node's env object.
    return value !== undefined ? value : target[key];
  },
  set(target, key, value) {
    if (typeof key === 'symbol') {
      const err = new TypeError('Cannot convert a Symbol value to a string');
      throw err;
    }
    if (value !== null && typeof value === 'object' || typeof value === 'function' || value === undefined || value === null) {
      warnEnvDeprecation();
    }
    native.setEnv(key, String(value));
    return true;
  },
  has(target, key) {
    return typeof key === 'string' && native.getEnv(key) !== undefined;
  },
  deleteProperty(target, key) {
    if (typeof key === 'string') native.unsetEnv(key);
    return true;
  },
  ownKeys() {
    return native.envKeys();
  },
  getOwnPropertyDescriptor(target, key) {
    if (typeof key !== 'string') return undefined;
    const value = native.getEnv(key);
    if (value === undefined) return undefined;
    return { value, writable: true, enumerable: true, configurable: true };
  },
  defineProperty(target, key, descriptor) {
    if (descriptor.get || descriptor.set) {
      const err = new TypeError("'process.env' does not accept an accessor(getter/setter) descriptor");
      err.code = 'ERR_INVALID_OBJECT_DEFINE_PROPERTY';
      throw err;
    }
    if (!descriptor.writable || !descriptor.enumerable || !descriptor.configurable) {
      const err = new TypeError("'process.env' only accepts a configurable, writable, and enumerable data descriptor");
      err.code = 'ERR_INVALID_OBJECT_DEFINE_PROPERTY';
      throw err;
    }
    native.setEnv(key, String(descriptor.value));
    return true;
  },
});

// Standard streams, created on first use.
function lazy(name, make) {
  let value;
  Object.defineProperty(process, name, {
    configurable: true,
    enumerable: true,
    get() {
      value ??= make();
      return value;
    },
    set(v) {
      value = v;
    },
  });
}
lazy('stdout', () => require('internal/process/stdio').createWritable(1));
lazy('stderr', () => require('internal/process/stdio').createWritable(2));
lazy('stdin', () => require('internal/process/stdio').createStdin());

// A listener for a signal name starts watching that signal natively.
const watchedSignals = new Set();
process.on('newListener', (event) => {
  if (typeof event === 'string' && signals[event] !== undefined && !watchedSignals.has(event)) {
    if (event === 'SIGKILL' || event === 'SIGSTOP') return;
    watchedSignals.add(event);
    native.watchSignal(signals[event]);
  }
});
