// lode:module internal/modules/builtins
// Which built-in modules exist and how user code reaches them. Every module
// Node has can be required; one Lode has not built yet loads as an empty
// object.

// Node 24's public built-ins.
const nodeBuiltins = [
  '_http_agent', '_http_client', '_http_common', '_http_incoming', '_http_outgoing', '_http_server',
  '_stream_duplex', '_stream_passthrough', '_stream_readable', '_stream_transform', '_stream_wrap',
  '_stream_writable', '_tls_common', '_tls_wrap', 'assert', 'assert/strict', 'async_hooks', 'buffer',
  'child_process', 'cluster', 'console', 'constants', 'crypto', 'dgram', 'diagnostics_channel', 'dns',
  'dns/promises', 'domain', 'events', 'fs', 'fs/promises', 'http', 'http2', 'https', 'inspector',
  'inspector/promises', 'module', 'net', 'os', 'path', 'path/posix', 'path/win32', 'perf_hooks',
  'process', 'punycode', 'querystring', 'readline', 'readline/promises', 'repl', 'stream',
  'stream/consumers', 'stream/promises', 'stream/web', 'string_decoder', 'sys', 'timers',
  'timers/promises', 'tls', 'trace_events', 'tty', 'url', 'util', 'util/types', 'v8', 'vm', 'wasi',
  'worker_threads', 'zlib',
];
// Only reachable with the `node:` prefix.
const schemeOnly = ['sea', 'sqlite', 'test', 'test/reporters'];
const aliases = { sys: 'util' };

const idSet = new Set(nodeBuiltins);

function publicIds() {
  return nodeBuiltins.slice();
}

function isBuiltin(id) {
  if (typeof id !== 'string') return false;
  if (id.startsWith('node:')) {
    const bare = id.slice(5);
    return idSet.has(bare) || schemeOnly.includes(bare);
  }
  return idSet.has(id);
}

function canBeRequiredByUsers(id, withScheme = false) {
  return idSet.has(id) || (withScheme && schemeOnly.includes(id));
}

// Node's --expose-internals (used by its own tests) lets `require` reach
// internal modules by id; here, Lode's internal modules of the same ids.
let exposeInternals;

function isExposedInternal(id) {
  exposeInternals ??= require('internal/options').getOptionValue('--expose-internals') === true;
  return exposeInternals && typeof id === 'string' && id.startsWith('internal/') && builtinExists(id);
}

// A built-in Lode has not built yet loads as an empty object: what it
// would export is absent, so code that feature-detects (`dc.tracingChannel
// && ...`) takes its fallback.
const stubs = new Map();

function notBuiltYet(id) {
  let stub = stubs.get(id);
  if (stub === undefined) {
    stub = {};
    stubs.set(id, stub);
  }
  return stub;
}

function load(id) {
  const target = aliases[id] || id;
  if (internals.loadBuiltin !== undefined && builtinExists(target)) return require(target);
  return notBuiltYet(id);
}

function builtinExists(id) {
  return internals.builtinIds.includes(id);
}

module.exports = { publicIds, isBuiltin, isExposedInternal, canBeRequiredByUsers, load };
