// lode:module console
// Node's console: the global instance writing to process.stdout/stderr, and
// the Console class for other streams. Formatting is util.format's.

const { formatWithOptions, inspect } = require('internal/util/inspect');
const { codes: { ERR_CONSOLE_WRITABLE_STREAM, ERR_INVALID_ARG_TYPE } } = require('internal/errors');
const { validateObject, validateInteger } = require('internal/validators');

const kGroupIndent = Symbol('kGroupIndent');
const kCounts = Symbol('counts');
const kColorMode = Symbol('kColorMode');
const kInspectOptions = Symbol('kInspectOptions');

function Console(options, stderr, ignoreErrors) {
  if (!new.target) return Reflect.construct(Console, arguments);
  if (!options || typeof options.write === 'function') {
    options = { stdout: options, stderr, ignoreErrors };
  }
  const { stdout, stderr: err = stdout, colorMode = 'auto', inspectOptions, groupIndentation = 2 } = options;
  if (!stdout || typeof stdout.write !== 'function') throw new ERR_CONSOLE_WRITABLE_STREAM('stdout');
  if (!err || typeof err.write !== 'function') throw new ERR_CONSOLE_WRITABLE_STREAM('stderr');
  if (inspectOptions !== undefined) validateObject(inspectOptions, 'options.inspectOptions');
  validateInteger(groupIndentation, 'groupIndentation', 0, 1000);
  defineStreams(this, () => stdout, () => err);
  this[kColorMode] = colorMode;
  this[kInspectOptions] = inspectOptions;
  this[kGroupIndent] = '';
  this[kGroupIndentationWidth] = groupIndentation;
  this[kCounts] = new Map();
  bindMethods(this);
}
const kGroupIndentationWidth = Symbol('kGroupIndentWidth');

// The streams and the console.time table, as the non-enumerable `_stdout`,
// `_stderr` and `_times` that Node's console has.
function defineStreams(target, getStdout, getStderr) {
  Object.defineProperty(target, '_stdout', { get: getStdout, configurable: true, enumerable: false });
  Object.defineProperty(target, '_stderr', { get: getStderr, configurable: true, enumerable: false });
  Object.defineProperty(target, '_times', { value: new Map(), writable: true, configurable: true, enumerable: false });
}

function bindMethods(target) {
  for (const key of Object.getOwnPropertyNames(Console.prototype)) {
    if (key === 'constructor') continue;
    const desc = Object.getOwnPropertyDescriptor(Console.prototype, key);
    if (typeof desc.value === 'function') {
      const bound = desc.value.bind(target);
      Object.defineProperty(bound, 'name', { value: key });
      Object.defineProperty(target, key, { value: bound, writable: true, enumerable: true, configurable: true });
    }
  }
}

function useColors(console, stream) {
  if (console[kColorMode] !== 'auto') return console[kColorMode] === true;
  return stream.isTTY === true && typeof stream.getColorDepth === 'function' && stream.getColorDepth() > 2;
}

function formatArgs(console, stream, args) {
  const opts = console[kInspectOptions];
  const options = opts ? { ...opts } : {};
  if (options.colors === undefined) options.colors = useColors(console, stream);
  return formatWithOptions(options, ...args);
}

function writeOut(console, streamSymbol, string) {
  const indent = console[kGroupIndent];
  if (indent.length !== 0) {
    if (string.includes('\n')) string = string.replace(/\n/g, `\n${indent}`);
    string = indent + string;
  }
  string += '\n';
  const stream = console[streamSymbol];
  try {
    stream.write(string);
  } catch (err) {
    // Like Node, a console write that fails (a closed pipe) is dropped.
    if (err?.code !== 'EPIPE' && err?.code !== 'ERR_STREAM_DESTROYED') throw err;
  }
}

function formatDuration(ms) {
  const seconds = ms / 1000;
  if (seconds >= 60 * 60) {
    const h = Math.floor(seconds / 3600);
    const m = Math.floor((seconds % 3600) / 60);
    const s = (seconds % 60).toFixed(3);
    return `${h}:${String(m).padStart(2, '0')}:${s.padStart(6, '0')} (h:mm:ss.mmm)`;
  }
  if (seconds >= 60) {
    const m = Math.floor(seconds / 60);
    const s = (seconds % 60).toFixed(3);
    return `${m}:${s.padStart(6, '0')} (m:ss.mmm)`;
  }
  if (ms >= 1000) return `${seconds.toFixed(3)}s`;
  return `${Number(ms.toFixed(3))}ms`;
}

const timerNow = () => binding('timers').hrnow();

Console.prototype = {
  constructor: Console,
  log(...args) {
    writeOut(this, '_stdout', formatArgs(this, this['_stdout'], args));
  },
  warn(...args) {
    writeOut(this, '_stderr', formatArgs(this, this['_stderr'], args));
  },
  dir(object, options) {
    writeOut(this, '_stdout', inspect(object, {
      customInspect: false,
      ...this[kInspectOptions],
      ...options,
    }));
  },
  time(label = 'default') {
    label = `${label}`;
    if (this._times.has(label)) {
      process.emitWarning(`Label '${label}' already exists for console.time()`);
      return;
    }
    this._times.set(label, timerNow());
  },
  timeEnd(label = 'default') {
    label = `${label}`;
    if (logTimer(this, 'timeEnd', label)) this._times.delete(label);
  },
  timeLog(label = 'default', ...data) {
    logTimer(this, 'timeLog', `${label}`, data);
  },
  count(label = 'default') {
    label = `${label}`;
    const count = (this[kCounts].get(label) || 0) + 1;
    this[kCounts].set(label, count);
    this.log(`${label}: ${count}`);
  },
  countReset(label = 'default') {
    label = `${label}`;
    if (!this[kCounts].has(label)) {
      process.emitWarning(`Count for '${label}' does not exist`);
      return;
    }
    this[kCounts].delete(label);
  },
  group(...data) {
    if (data.length > 0) this.log(...data);
    this[kGroupIndent] += ' '.repeat(this[kGroupIndentationWidth]);
  },
  groupEnd() {
    this[kGroupIndent] = this[kGroupIndent].slice(0, this[kGroupIndent].length - this[kGroupIndentationWidth]);
  },
  trace(...args) {
    const err = { name: 'Trace', message: formatArgs(this, this['_stderr'], args) };
    Error.captureStackTrace(err, Console.prototype.trace);
    this.error(err.stack);
  },
  assert(expression, ...args) {
    if (!expression) {
      if (args.length > 0 && typeof args[0] === 'string') {
        args[0] = `Assertion failed: ${args[0]}`;
      } else {
        args.unshift('Assertion failed');
      }
      this.warn(...args);
    }
  },
  clear() {
    const stdout = this['_stdout'];
    if (stdout.isTTY && process.env.TERM !== 'dumb') stdout.write('\u001b[1;1H\u001b[0J');
  },
  table(tabularData, properties) {
    if (properties !== undefined && !Array.isArray(properties)) {
      throw new ERR_INVALID_ARG_TYPE('properties', 'Array', properties);
    }
    if (tabularData === null || typeof tabularData !== 'object') return this.log(tabularData);
    this.log(renderTable(tabularData, properties));
  },
  profile() {},
  profileEnd() {},
  timeStamp() {},
};
Console.prototype.info = Console.prototype.log;
Console.prototype.debug = Console.prototype.log;
Console.prototype.dirxml = Console.prototype.log;
Console.prototype.error = Console.prototype.warn;
Console.prototype.groupCollapsed = Console.prototype.group;

function logTimer(console, name, label, data) {
  const start = console._times.get(label);
  if (start === undefined) {
    process.emitWarning(`No such label '${label}' for console.${name}()`);
    return false;
  }
  const duration = formatDuration(timerNow() - start);
  if (data && data.length > 0) console.log(`${label}: ${duration}`, ...data);
  else console.log(`${label}: ${duration}`);
  return true;
}

// console.table: Node's box-drawing layout, values shown by inspect.
function renderTable(data, properties) {
  const cell = (v) => inspect(v, { depth: 1, colors: false, compact: 3, breakLength: Infinity, maxArrayLength: 3 });
  const isMap = data instanceof Map;
  const isSet = data instanceof Set;
  const indexHeader = isMap || isSet ? '(iteration index)' : '(index)';
  const rows = [];
  const columns = [];
  let hasValues = false;
  const keyColumn = [];
  const valuesColumn = [];
  const entries = isMap ? [...data.entries()].map(([k, v], i) => [String(i), v, k])
    : isSet ? [...data.values()].map((v, i) => [String(i), v])
    : Object.keys(data).map((k) => [k, data[k]]);
  for (const [index, value, mapKey] of entries) {
    const row = { index, cells: new Map() };
    if (isMap) keyColumn.push(cell(mapKey));
    if (value !== null && typeof value === 'object' && !isMap) {
      for (const key of properties || Object.keys(value)) {
        if (!columns.includes(key)) columns.push(key);
        if (key in value) row.cells.set(key, cell(value[key]));
      }
      valuesColumn.push('');
    } else {
      // With an explicit column list, primitive rows show no Values column.
      hasValues = properties === undefined;
      valuesColumn.push(cell(value));
    }
    rows.push(row);
  }
  if (properties) {
    for (const key of properties) if (!columns.includes(key)) columns.push(key);
  }
  const header = [indexHeader, ...(isMap ? ['Key'] : []), ...columns, ...(hasValues ? ['Values'] : [])];
  const body = rows.map((row, i) => [
    row.index,
    ...(isMap ? [keyColumn[i]] : []),
    ...columns.map((c) => row.cells.get(c) ?? ''),
    ...(hasValues ? [valuesColumn[i]] : []),
  ]);
  const { getStringWidth } = require('internal/util/inspect');
  const widths = header.map((h, c) => Math.max(getStringWidth(h), ...body.map((r) => getStringWidth(r[c]))) + 2);
  const pad = (s, w) => ` ${s}${' '.repeat(w - getStringWidth(s) - 1)}`;
  const line = (l, m, r) => `${l}${widths.map((w) => '─'.repeat(w)).join(m)}${r}`;
  const out = [line('┌', '┬', '┐'), `│${header.map((h, c) => pad(h, widths[c])).join('│')}│`, line('├', '┼', '┤')];
  for (const r of body) out.push(`│${r.map((v, c) => pad(v, widths[c])).join('│')}│`);
  out.push(line('└', '┴', '┘'));
  return out.join('\n');
}

// The global console writes to process.stdout and process.stderr, looked
// up on every call so reassigning them takes effect.
const globalConsole = Object.create(Console.prototype);
defineStreams(globalConsole, () => process.stdout, () => process.stderr);
globalConsole[kColorMode] = 'auto';
globalConsole[kInspectOptions] = undefined;
globalConsole[kGroupIndent] = '';
globalConsole[kGroupIndentationWidth] = 2;
globalConsole[kCounts] = new Map();

bindMethods(globalConsole);
globalConsole.Console = Console;
Object.defineProperty(Console, Symbol.hasInstance, {
  value(instance) {
    return instance === globalConsole || Object.prototype.isPrototypeOf.call(Console.prototype, instance);
  },
});

module.exports = globalConsole;
