// lode:module child_process
// `node:child_process`: the synchronous functions (spawnSync, execSync,
// execFileSync) run natively to completion; spawn, exec and execFile run
// the child beside the event loop as a ChildProcess with stdio streams.
// fork adds Node's IPC channel (internal/child_process/channel).

const native = binding('child_process');
const { Buffer } = require('buffer');
const {
  codes: {
    ERR_INVALID_ARG_TYPE, ERR_INVALID_ARG_VALUE, ERR_UNKNOWN_SIGNAL, ERR_CHILD_PROCESS_STDIO_MAXBUFFER, ERR_OUT_OF_RANGE,
    ERR_CHILD_PROCESS_IPC_REQUIRED,
  },
  notImplemented, AbortError,
} = require('internal/errors');
const EventEmitter = require('events');
const {
  validateString, validateObject, validateFunction, validateAbortSignal, validateInteger, validateBoolean,
} = require('internal/validators');
const { signals } = require('internal/os/constants');

const signalNames = Object.fromEntries(Object.entries(signals).map(([name, number]) => [number, name]));

function normalizeStdio(stdio) {
  if (stdio === undefined) return ['pipe', 'pipe', 'pipe'];
  if (typeof stdio === 'string') return [stdio, stdio, stdio];
  if (!Array.isArray(stdio)) throw new ERR_INVALID_ARG_VALUE('stdio', stdio);
  return [0, 1, 2].map((i) => {
    const s = stdio[i];
    if (s === undefined || s === null || s === 'pipe' || s === 'overlapped') return 'pipe';
    if (s === 'inherit' || s === i) return 'inherit';
    if (s === 'ignore') return 'ignore';
    if (typeof s === 'number') return `fd:${s}`;
    if (typeof s === 'object' && typeof s.fd === 'number') return s.fd === i ? 'inherit' : `fd:${s.fd}`;
    if (s === 'ipc') throw notImplemented("child_process stdio 'ipc' at index 0 to 2");
    throw new ERR_INVALID_ARG_VALUE('stdio', stdio);
  });
}

// stdio entries past the standard three that share one of our
// descriptors with the child, as [childFd, ourFd]: a number, or an object
// with an `fd` (a stream, a server's handle). 'ipc' is set up separately.
function extraDescriptors(stdio) {
  if (!Array.isArray(stdio)) return [];
  const pairs = [];
  for (let i = 3; i < stdio.length; i++) {
    const s = stdio[i];
    if (s === undefined || s === null || s === 'ignore' || s === 'ipc') continue;
    if (typeof s === 'number') pairs.push([i, s]);
    else if (typeof s === 'object' && typeof s.fd === 'number') pairs.push([i, s.fd]);
    else if (s === 'pipe' || s === 'overlapped') throw notImplemented(`child_process stdio '${s}' at index ${i}`);
    else if (s !== 'inherit') throw new ERR_INVALID_ARG_VALUE('stdio', stdio);
  }
  return pairs;
}

function nullCheck(value, name) {
  if (typeof value === 'string' && value.includes('\u0000')) {
    throw new ERR_INVALID_ARG_VALUE(name, value, 'must be a string without null bytes');
  }
}

let warnedShellArgs = false;

// Node's normalizeSpawnArguments, shared by the sync and async APIs.
function normalize(file, args, options) {
  validateString(file, 'file');
  nullCheck(file, 'file');
  if (file.length === 0) throw new ERR_INVALID_ARG_VALUE('file', file, 'cannot be empty');
  if (Array.isArray(args)) {
    args = args.slice();
  } else if (args === undefined || args === null) {
    args = [];
  } else if (typeof args !== 'object') {
    throw new ERR_INVALID_ARG_TYPE('args', 'object', args);
  } else {
    options = args;
    args = [];
  }
  args.forEach((arg, i) => nullCheck(arg, `args[${i}]`));
  if (options === undefined) options = {};
  else validateObject(options, 'options');
  let cwd = options.cwd;
  if (cwd != null) cwd = `${require('internal/fs/utils').getValidatedPath(cwd, 'options.cwd')}`;
  if (options.detached != null) validateBoolean(options.detached, 'options.detached');
  for (const id of ['uid', 'gid']) {
    if (options[id] != null && options[id] !== (options[id] | 0)) {
      throw new ERR_INVALID_ARG_TYPE(`options.${id}`, 'int32', options[id]);
    }
  }
  if (options.shell != null && typeof options.shell !== 'boolean' && typeof options.shell !== 'string') {
    throw new ERR_INVALID_ARG_TYPE('options.shell', ['boolean', 'string'], options.shell);
  }
  if (options.argv0 != null) {
    validateString(options.argv0, 'options.argv0');
    nullCheck(options.argv0, 'options.argv0');
  }
  let command = file;
  if (options.shell) {
    nullCheck(options.shell, 'options.shell');
    if (args.length > 0 && !warnedShellArgs) {
      warnedShellArgs = true;
      process.emitWarning('Passing args to a child process with shell option true can lead to security ' +
        'vulnerabilities, as the arguments are not escaped, only concatenated.', 'DeprecationWarning', 'DEP0190');
    }
    command = [file, ...args].join(' ');
    file = typeof options.shell === 'string' ? options.shell : '/bin/sh';
    args = ['-c', command];
  }
  const env = options.env || process.env;
  const envPairs = [];
  // Inherited (prototype) values count, as in Node.
  for (const key in env) {
    const value = env[key];
    if (value === undefined) continue;
    nullCheck(key, `options.env['${key}']`);
    nullCheck(value, `options.env['${key}']`);
    envPairs.push([key, `${value}`]);
  }
  return {
    file,
    args,
    spawnargs: [options.argv0 ?? file, ...args],
    argv0: options.argv0,
    cwd,
    envPairs,
    stdio: normalizeStdio(options.stdio),
    // fork(): an IPC channel (after the three standard streams).
    ipc: Array.isArray(options.stdio) && options.stdio.indexOf('ipc') > 2,
    extraFds: extraDescriptors(options.stdio),
    timeout: options.timeout,
    killSignal: typeof options.killSignal === 'string' ? signals[options.killSignal] : options.killSignal,
    maxBuffer: options.maxBuffer ?? 1024 * 1024,
    encoding: options.encoding,
    input: typeof options.input === 'string' ? Buffer.from(options.input, options.encoding) : options.input,
    command,
    detached: !!options.detached,
    uid: options.uid,
    gid: options.gid,
    signal: options.signal,
  };
}

function spawnSyncError(errno, syscall, request) {
  const [code] = binding('errors').uvName(errno);
  const err = new Error(`${syscall} ${code}`);
  err.errno = -errno;
  err.code = code;
  err.syscall = syscall;
  err.path = request.file;
  err.spawnargs = request.args;
  return err;
}

function spawnSync(file, args, options) {
  const request = normalize(file, args, options);
  const raw = native.spawnSync(request);
  const decode = (bytes) => {
    if (bytes === null) return null;
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return request.encoding && request.encoding !== 'buffer' ? buffer.toString(request.encoding) : buffer;
  };
  const stdout = decode(raw.stdout);
  const stderr = decode(raw.stderr);
  const result = {
    pid: raw.pid,
    output: [null, stdout, stderr],
    stdout,
    stderr,
    status: raw.status ?? null,
    signal: raw.signal === null || raw.signal === undefined ? null : signalNames[raw.signal] ?? null,
  };
  if (raw.error !== null && raw.error !== undefined) {
    result.error = spawnSyncError(raw.error, `spawnSync ${request.file}`, request);
    if (raw.pid === 0) result.pid = 0;
  }
  return result;
}

function checkExecSyncError(ret, args, cmd) {
  let err;
  if (ret.error) {
    err = ret.error;
    Object.assign(err, ret);
  } else if (ret.status !== 0) {
    let msg = 'Command failed: ';
    msg += cmd || args.join(' ');
    if (ret.stderr && ret.stderr.length > 0) msg += `\n${ret.stderr.toString()}`;
    err = new Error(msg);
    Object.assign(err, ret);
  }
  return err;
}

function execFileSync(file, args, options) {
  const request = normalize(file, args, options);
  const inheritStderr = !(options ?? (Array.isArray(args) ? undefined : args))?.stdio;
  const ret = spawnSync(file, args, options);
  if (inheritStderr && ret.stderr) process.stderr.write(ret.stderr);
  const err = checkExecSyncError(ret, request.spawnargs, undefined);
  if (err) throw err;
  return ret.stdout;
}

function execSync(command, options) {
  const opts = { ...options, shell: options?.shell ?? true };
  const inheritStderr = !opts.stdio;
  const ret = spawnSync(command, opts);
  if (inheritStderr && ret.stderr) process.stderr.write(ret.stderr);
  const err = checkExecSyncError(ret, undefined, command);
  if (err) throw err;
  return ret.stdout;
}

// --- spawn -----------------------------------------------------------------

function signalNumber(signal) {
  if (typeof signal === 'number') {
    if (signalNames[signal] === undefined && signal !== 0) throw new ERR_UNKNOWN_SIGNAL(signal);
    return signal;
  }
  if (typeof signal === 'string' && signals[signal.toUpperCase()] !== undefined) return signals[signal.toUpperCase()];
  throw new ERR_UNKNOWN_SIGNAL(signal);
}

// Node's ErrnoException for a failed system call on the child.
function errnoException(errno, syscall) {
  const [code] = binding('errors').uvName(errno);
  const err = new Error(`${syscall} ${code}`);
  err.errno = errno;
  err.code = code;
  err.syscall = syscall;
  return err;
}

const kHandle = Symbol('kHandle');

class ChildProcess extends EventEmitter {
  constructor() {
    super();
    this._closesNeeded = 1;
    this._closesGot = 0;
    this.connected = false;
    this.signalCode = null;
    this.exitCode = null;
    this.killed = false;
    this.spawnfile = null;
    this.spawnargs = [];
    this.pid = undefined;
    this.stdin = null;
    this.stdout = null;
    this.stderr = null;
    this.stdio = [null, null, null];
    this[kHandle] = null;
  }

  spawn(options) {
    validateObject(options, 'options');
    const request = options.envPairs ? options : normalize(options.file, options.args?.slice(1), options);
    this.spawnfile = request.file;
    this.spawnargs = request.spawnargs;
    if (request.ipc) request.onMessage = (line) => require('internal/child_process/channel').onLine(this, line);
    const result = native.spawn(request, (kind, a, b) => (kind === 'output' ? this.#output(a, b) : this.#exit(a, b)));
    const failed = result.length === 1;
    if (!failed) {
      [this.pid, this[kHandle]] = result;
      if (result[2] >= 0) {
        // 'close' waits for the IPC channel too.
        const channel = require('internal/child_process/channel');
        channel.setupChannel(this, result[2]);
        this._closesNeeded++;
        this[channel.kOnChannelClosed] = () => this.#maybeClose();
      }
    }
    // The pipes exist even when the spawn fails (then they just end), as
    // Node creates them first.
    for (let i = 0; i < 3; i++) {
      if (request.stdio[i] !== 'pipe') continue;
      const stream = i === 0 ? this.#stdinStream() : this.#outputStream();
      this.stdio[i] = stream;
      if (i > 0) {
        this._closesNeeded++;
        stream.on('close', () => this.#maybeClose());
      }
    }
    [this.stdin, this.stdout, this.stderr] = this.stdio;
    if (failed) {
      // Node reports a failed start as the child's exit with -errno.
      const errno = result[0];
      this.stdout?.push(null);
      this.stderr?.push(null);
      process.nextTick(() => this.#exit(errno, null));
      return errno;
    }
    process.nextTick(() => this.emit('spawn'));
    return 0;
  }

  #stdinStream() {
    const { Writable } = require('stream');
    const handle = this[kHandle];
    const stream = new Writable({
      write(chunk, encoding, callback) {
        if (handle === null) return callback(errnoException(-32, 'write'));
        native.writeStdin(handle, chunk, callback);
      },
      final(callback) {
        if (handle !== null) native.endStdin(handle);
        callback();
      },
      destroy(err, callback) {
        if (handle !== null) native.endStdin(handle);
        callback(err);
      },
    });
    stream.readable = false;
    return stream;
  }

  #outputStream() {
    const { Readable } = require('stream');
    const stream = new Readable({ read() {} });
    stream.writable = false;
    return stream;
  }

  #output(fd, chunk) {
    const stream = this.stdio[fd];
    if (!stream || stream.destroyed) return;
    stream.push(chunk);
  }

  #exit(code, signal) {
    if (this.stdin) this.stdin.destroy();
    if (code !== null && code < 0) {
      const syscall = this.spawnfile ? `spawn ${this.spawnfile}` : 'spawn';
      const err = errnoException(code, syscall);
      if (this.spawnfile) err.path = this.spawnfile;
      err.spawnargs = this.spawnargs.slice(1);
      this.exitCode = code;
      this.emit('error', err);
    } else {
      this.exitCode = signal === null ? code : null;
      this.signalCode = signal === null ? null : signalNames[signal] ?? null;
      this.emit('exit', this.exitCode, this.signalCode);
    }
    // Output nobody reads is drained, so the streams end and 'close' comes.
    process.nextTick(() => {
      for (const stream of this.stdio.slice(1)) {
        if (stream && stream.readable && !stream.readableDidRead && stream.listenerCount('data') === 0 &&
            stream.listenerCount('readable') === 0 && stream.readableFlowing === null) {
          stream.resume();
        }
      }
    });
    this.#maybeClose();
  }

  #maybeClose() {
    this._closesGot++;
    if (this._closesGot !== this._closesNeeded) return;
    if (this[kHandle] !== null) {
      native.closeChild(this[kHandle]);
      this[kHandle] = null;
    }
    this.emit('close', this.exitCode, this.signalCode);
  }

  kill(sig = 'SIGTERM') {
    const signo = sig === 0 ? 0 : signalNumber(sig);
    if (this.pid === undefined || this.exitCode !== null || this.signalCode !== null) return false;
    const ret = native.kill(this.pid, signo);
    if (ret === 0) {
      this.killed = true;
      return true;
    }
    const [code] = binding('errors').uvName(ret);
    if (code === 'ESRCH') return false;
    throw errnoException(ret, 'kill');
  }

  [Symbol.dispose]() {
    if (!this.killed) this.kill();
  }

  ref() {
    if (this[kHandle] !== null) native.refChild(this[kHandle], true);
  }

  unref() {
    if (this[kHandle] !== null) native.refChild(this[kHandle], false);
  }

}

function spawn(file, args, options) {
  const request = normalize(file, args, options);
  const opts = (Array.isArray(args) || args == null ? options : args) ?? {};
  if (opts.signal !== undefined) validateAbortSignal(opts.signal, 'options.signal');
  if (opts.timeout != null) validateInteger(opts.timeout, 'options.timeout', 0);
  const killSignal = opts.killSignal === undefined ? 'SIGTERM' : opts.killSignal;
  if (opts.killSignal !== undefined) signalNumber(killSignal);
  const child = new ChildProcess();
  child.spawn(request);
  if (opts.timeout > 0) {
    let timer = setTimeout(() => {
      timer = null;
      try {
        child.kill(killSignal);
      } catch (err) {
        child.emit('error', err);
      }
    }, opts.timeout);
    child.once('exit', () => {
      if (timer) clearTimeout(timer);
    });
  }
  const { signal } = opts;
  if (signal) {
    const onAbort = () => {
      if (child.kill(killSignal)) child.emit('error', new AbortError(undefined, { cause: signal.reason }));
    };
    if (signal.aborted) {
      process.nextTick(onAbort);
    } else {
      signal.addEventListener('abort', onAbort, { once: true });
      child.once('exit', () => signal.removeEventListener('abort', onAbort));
    }
  }
  return child;
}

// fork(modulePath[, args][, options]): a Lode running modulePath, with an
// IPC channel (send()/'message') to this process.
function fork(modulePath, args, options) {
  if (modulePath instanceof URL) modulePath = require('url').fileURLToPath(modulePath);
  validateString(modulePath, 'modulePath');
  nullCheck(modulePath, 'modulePath');
  if (args == null) {
    args = [];
  } else if (typeof args === 'object' && !Array.isArray(args)) {
    options = args;
    args = [];
  } else {
    require('internal/validators').validateArray(args, 'args');
  }
  if (options != null) validateObject(options, 'options');
  options = { ...options, shell: false };
  options.execPath = options.execPath || process.execPath;
  nullCheck(options.execPath, 'options.execPath');
  const execArgv = options.execArgv || process.execArgv;
  execArgv.forEach((arg, i) => nullCheck(arg, `options.execArgv[${i}]`));
  args = [...execArgv, modulePath, ...args];
  if (typeof options.stdio === 'string') {
    options.stdio = [options.stdio, options.stdio, options.stdio, 'ipc'];
  } else if (!Array.isArray(options.stdio)) {
    const mode = options.silent ? 'pipe' : 'inherit';
    options.stdio = [mode, mode, mode, 'ipc'];
  } else if (!options.stdio.includes('ipc')) {
    throw new ERR_CHILD_PROCESS_IPC_REQUIRED('options.stdio');
  }
  return spawn(options.execPath, args, options);
}

// Node's normalizeExecFileArgs: (file[, args][, options][, callback]).
function execFileArgs(file, args, options, callback) {
  if (Array.isArray(args)) {
    args = args.slice();
  } else if (args != null && typeof args === 'object') {
    callback = options;
    options = args;
    args = null;
  } else if (typeof args === 'function') {
    callback = args;
    options = null;
    args = null;
  }
  args ??= [];
  if (typeof options === 'function') {
    callback = options;
  } else if (options != null) {
    validateObject(options, 'options');
  }
  options ??= {};
  if (callback != null) validateFunction(callback, 'callback');
  if (options.argv0 != null) validateString(options.argv0, 'options.argv0');
  return { file, args, options, callback };
}

function execFile(file, args, options, callback) {
  ({ file, args, options, callback } = execFileArgs(file, args, options, callback));
  options = {
    encoding: 'utf8', timeout: 0, maxBuffer: 1024 * 1024, killSignal: 'SIGTERM', cwd: null, env: null, shell: false,
    ...options,
  };
  validateInteger(options.timeout, 'timeout', 0);
  if (options.maxBuffer != null && !(typeof options.maxBuffer === 'number' && options.maxBuffer >= 0)) {
    throw new ERR_OUT_OF_RANGE('options.maxBuffer', 'a positive number', options.maxBuffer);
  }
  signalNumber(options.killSignal);
  const child = spawn(file, args, {
    cwd: options.cwd, env: options.env, gid: options.gid, shell: options.shell, signal: options.signal,
    uid: options.uid, argv0: options.argv0,
  });
  const encoding = options.encoding !== 'buffer' && Buffer.isEncoding(options.encoding) ? options.encoding : null;
  const output = { stdout: [], stderr: [] };
  const lengths = { stdout: 0, stderr: 0 };
  let killed = false;
  let exited = false;
  let timer = null;
  let ex = null;
  let cmd = file;

  function exithandler(code, signal) {
    if (exited) return;
    exited = true;
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    if (!callback) return;
    const join = (name) => (encoding || child[name]?.readableEncoding ? output[name].join('') : Buffer.concat(output[name]));
    const stdout = join('stdout');
    const stderr = join('stderr');
    if (!ex && code === 0 && signal === null) {
      callback(null, stdout, stderr);
      return;
    }
    if (args?.length) cmd += ` ${args.join(' ')}`;
    if (!ex) {
      ex = new Error(`Command failed: ${cmd}\n${stderr}`);
      ex.code = code < 0 ? require('util').getSystemErrorName(code) : code;
      ex.killed = child.killed || killed;
      ex.signal = signal;
    }
    ex.cmd = cmd;
    callback(ex, stdout, stderr);
  }

  function errorhandler(e) {
    ex = e;
    child.stdout?.destroy();
    child.stderr?.destroy();
    exithandler();
  }

  function kill() {
    child.stdout?.destroy();
    child.stderr?.destroy();
    killed = true;
    try {
      child.kill(options.killSignal);
    } catch (e) {
      ex = e;
      exithandler();
    }
  }

  if (options.timeout > 0) {
    timer = setTimeout(() => {
      kill();
      timer = null;
    }, options.timeout);
  }

  for (const name of ['stdout', 'stderr']) {
    const stream = child[name];
    if (!stream) continue;
    if (encoding) stream.setEncoding(encoding);
    stream.on('data', (chunk) => {
      const chunkEncoding = stream.readableEncoding;
      const length = chunkEncoding ? Buffer.byteLength(chunk, chunkEncoding) : chunk.length;
      lengths[name] += length;
      if (lengths[name] > options.maxBuffer) {
        const keep = options.maxBuffer - (lengths[name] - length);
        output[name].push(chunk.slice(0, keep));
        ex = new ERR_CHILD_PROCESS_STDIO_MAXBUFFER(name);
        kill();
      } else {
        output[name].push(chunk);
      }
    });
  }
  child.addListener('close', exithandler);
  child.addListener('error', errorhandler);
  return child;
}

function exec(command, options, callback) {
  if (typeof options === 'function') {
    callback = options;
    options = undefined;
  }
  validateString(command, 'command');
  options = { ...options };
  options.shell = typeof options.shell === 'string' ? options.shell : true;
  return execFile(command, options, callback);
}

// util.promisify(exec/execFile): { stdout, stderr }, the child on the promise.
for (const fn of [exec, execFile]) {
  Object.defineProperty(fn, Symbol.for('nodejs.util.promisify.custom'), {
    enumerable: false,
    value: (...args) => {
      let resolve;
      let reject;
      const promise = new Promise((res, rej) => {
        resolve = res;
        reject = rej;
      });
      promise.child = fn(...args, (err, stdout, stderr) => {
        if (err !== null) {
          err.stdout = stdout;
          err.stderr = stderr;
          reject(err);
        } else {
          resolve({ stdout, stderr });
        }
      });
      return promise;
    },
  });
}

module.exports = {
  spawnSync,
  execSync,
  execFileSync,
  spawn,
  exec,
  execFile,
  fork,
  ChildProcess,
};
