// lode:module child_process
// `node:child_process`: the synchronous functions (spawnSync, execSync,
// execFileSync) run natively to completion. The asynchronous ones need
// streams and arrive with them; until then they throw ERR_NOT_IMPLEMENTED.

const native = binding('child_process');
const { Buffer } = require('buffer');
const { codes: { ERR_INVALID_ARG_TYPE, ERR_INVALID_ARG_VALUE }, notImplementedFunction } = require('internal/errors');
const { validateString, validateObject } = require('internal/validators');
const { signals } = require('internal/os/constants');

const signalNames = Object.fromEntries(Object.entries(signals).map(([name, number]) => [number, name]));

function normalizeStdio(stdio) {
  if (stdio === undefined) return ['pipe', 'pipe', 'pipe'];
  if (typeof stdio === 'string') return [stdio, stdio, stdio];
  if (!Array.isArray(stdio)) throw new ERR_INVALID_ARG_VALUE('stdio', stdio);
  return [0, 1, 2].map((i) => {
    const s = stdio[i];
    if (s === undefined || s === null || s === 'pipe' || s === 'overlapped') return 'pipe';
    if (s === 'inherit' || s === i || s === process.stdio?.[i]) return 'inherit';
    if (s === 'ignore') return 'ignore';
    if (typeof s === 'number' || typeof s === 'object') return 'inherit';
    throw new ERR_INVALID_ARG_VALUE('stdio', stdio);
  });
}

// Node's normalizeSpawnArguments, for the synchronous API.
function normalize(file, args, options) {
  validateString(file, 'file');
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
  if (options === undefined) options = {};
  else validateObject(options, 'options');
  let command = file;
  if (options.shell) {
    command = [file, ...args].join(' ');
    file = typeof options.shell === 'string' ? options.shell : '/bin/sh';
    args = ['-c', command];
  }
  const env = options.env || process.env;
  const envPairs = [];
  for (const key of Object.keys(env)) {
    if (env[key] !== undefined) envPairs.push([key, `${env[key]}`]);
  }
  return {
    file,
    args,
    spawnargs: [options.argv0 ?? file, ...args],
    argv0: options.argv0,
    cwd: options.cwd === undefined || options.cwd === null ? undefined : `${options.cwd}`,
    envPairs,
    stdio: normalizeStdio(options.stdio),
    timeout: options.timeout,
    killSignal: typeof options.killSignal === 'string' ? signals[options.killSignal] : options.killSignal,
    maxBuffer: options.maxBuffer ?? 1024 * 1024,
    encoding: options.encoding,
    input: typeof options.input === 'string' ? Buffer.from(options.input, options.encoding) : options.input,
    command,
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

module.exports = {
  spawnSync,
  execSync,
  execFileSync,
  spawn: notImplementedFunction('child_process.spawn'),
  exec: notImplementedFunction('child_process.exec'),
  execFile: notImplementedFunction('child_process.execFile'),
  fork: notImplementedFunction('child_process.fork'),
  ChildProcess: notImplementedFunction('child_process.ChildProcess'),
};
