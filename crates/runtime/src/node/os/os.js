// lode:module os
// `node:os`: operating-system facts, read from the kernel on each call.

const native = binding('os');
const { signals } = require('internal/os/constants');
const { validateInt32, validateObject } = require('internal/validators');
const { asSystemError, codes: { ERR_SYSTEM_ERROR } } = require('internal/errors');

const errno = {
  E2BIG: 7, EACCES: 13, EADDRINUSE: 98, EADDRNOTAVAIL: 99, EAFNOSUPPORT: 97, EAGAIN: 11, EALREADY: 114,
  EBADF: 9, EBADMSG: 74, EBUSY: 16, ECANCELED: 125, ECHILD: 10, ECONNABORTED: 103, ECONNREFUSED: 111,
  ECONNRESET: 104, EDEADLK: 35, EDESTADDRREQ: 89, EDOM: 33, EDQUOT: 122, EEXIST: 17, EFAULT: 14,
  EFBIG: 27, EHOSTUNREACH: 113, EIDRM: 43, EILSEQ: 84, EINPROGRESS: 115, EINTR: 4, EINVAL: 22, EIO: 5,
  EISCONN: 106, EISDIR: 21, ELOOP: 40, EMFILE: 24, EMLINK: 31, EMSGSIZE: 90, EMULTIHOP: 72,
  ENAMETOOLONG: 36, ENETDOWN: 100, ENETRESET: 102, ENETUNREACH: 101, ENFILE: 23, ENOBUFS: 105,
  ENODATA: 61, ENODEV: 19, ENOENT: 2, ENOEXEC: 8, ENOLCK: 37, ENOLINK: 67, ENOMEM: 12, ENOMSG: 42,
  ENOPROTOOPT: 92, ENOSPC: 28, ENOSR: 63, ENOSTR: 60, ENOSYS: 38, ENOTCONN: 107, ENOTDIR: 20,
  ENOTEMPTY: 39, ENOTSOCK: 88, ENOTSUP: 95, ENOTTY: 25, ENXIO: 6, EOPNOTSUPP: 95, EOVERFLOW: 75,
  EPERM: 1, EPIPE: 32, EPROTO: 71, EPROTONOSUPPORT: 93, EPROTOTYPE: 91, ERANGE: 34, EROFS: 30,
  ESPIPE: 29, ESRCH: 3, ESTALE: 116, ETIME: 62, ETIMEDOUT: 110, ETXTBSY: 26, EWOULDBLOCK: 11, EXDEV: 18,
};
const priority = {
  PRIORITY_LOW: 19, PRIORITY_BELOW_NORMAL: 10, PRIORITY_NORMAL: 0, PRIORITY_ABOVE_NORMAL: -7,
  PRIORITY_HIGH: -14, PRIORITY_HIGHEST: -20,
};
const constants = Object.freeze({
  UV_UDP_REUSEADDR: 4,
  dlopen: Object.freeze({ RTLD_LAZY: 1, RTLD_NOW: 2, RTLD_GLOBAL: 256, RTLD_LOCAL: 0, RTLD_DEEPBIND: 8 }),
  errno: Object.freeze(errno),
  signals: Object.freeze({ ...signals }),
  priority: Object.freeze(priority),
});

// Node's os functions stringify to their value, so `${os.hostname}` works.
function withToPrimitive(fn) {
  fn[Symbol.toPrimitive] = () => fn();
  return fn;
}

function cpus() {
  return native.cpus().map(([model, speed, user, nice, sys, idle, irq]) => ({
    model, speed, times: { user, nice, sys, idle, irq },
  }));
}

function userInfo(options) {
  if (options !== undefined) validateObject(options, 'options');
  const [username, uid, gid, shell, homedir] = native.userInfo();
  return { uid, gid, username, homedir, shell };
}

// Prefix length of a netmask, as `cidr` needs it.
function maskBits(netmask, family) {
  if (family === 'IPv4') {
    return netmask.split('.').reduce((bits, part) => bits + (Number(part) >>> 0).toString(2).replace(/0/g, '').length, 0);
  }
  const groups = netmask.split('::');
  const parts = groups[0].split(':').filter(Boolean);
  return parts.reduce((bits, part) => bits + Number.parseInt(part, 16).toString(2).replace(/0/g, '').length, 0);
}

function networkInterfaces() {
  const result = {};
  for (const [name, address, netmask, family, mac, internal, scopeid] of native.networkInterfaces()) {
    const entry = { address, netmask, family, mac, internal, cidr: `${address}/${maskBits(netmask, family)}` };
    if (family === 'IPv6') entry.scopeid = scopeid;
    (result[name] ??= []).push(entry);
  }
  return result;
}

// Looked up on the binding at each call, as Node's checked functions are:
// the binding fills `ctx` when the system call fails.
function homedir() {
  const ctx = {};
  const path = native.getHomeDirectory(ctx);
  if (path === undefined) throw new ERR_SYSTEM_ERROR(ctx);
  return path;
}

function tmpdir() {
  let path = process.env.TMPDIR || process.env.TMP || process.env.TEMP || '/tmp';
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  return path;
}

function getPriority(pid = 0) {
  validateInt32(pid, 'pid');
  return asSystemError(() => native.getPriority(pid));
}

function setPriority(pid, prio) {
  if (prio === undefined) {
    prio = pid;
    pid = 0;
  }
  validateInt32(pid, 'pid');
  validateInt32(prio, 'priority', -20, 19);
  asSystemError(() => native.setPriority(pid, prio));
}

module.exports = {
  arch: withToPrimitive(function arch() { return process.arch; }),
  availableParallelism: withToPrimitive(function availableParallelism() { return native.availableParallelism(); }),
  cpus,
  endianness: withToPrimitive(function endianness() { return 'LE'; }),
  freemem: withToPrimitive(function freemem() { return native.freemem(); }),
  getPriority,
  homedir: withToPrimitive(homedir),
  hostname: withToPrimitive(function hostname() { return native.hostname; }),
  loadavg: function loadavg() { return native.loadavg(); },
  machine: withToPrimitive(function machine() { return native.machine; }),
  networkInterfaces,
  platform: withToPrimitive(function platform() { return process.platform; }),
  release: withToPrimitive(function release() { return native.release; }),
  setPriority,
  tmpdir: withToPrimitive(tmpdir),
  totalmem: withToPrimitive(function totalmem() { return native.totalmem(); }),
  type: withToPrimitive(function type() { return native.sysname; }),
  uptime: withToPrimitive(function uptime() { return native.uptime(); }),
  userInfo,
  version: withToPrimitive(function version() { return native.version; }),
};
// Read-only, as in Node: `os.EOL = x` throws in strict code.
for (const [name, value] of [['constants', constants], ['EOL', '\n'], ['devNull', '/dev/null']]) {
  Object.defineProperty(module.exports, name, { value, enumerable: true, writable: false, configurable: true });
}
