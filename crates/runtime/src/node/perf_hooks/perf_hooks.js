// lode:module perf_hooks
// `node:perf_hooks` and the `performance` global: a monotonic clock from
// process start, user timing marks and measures, and the entry buffer.
// Observers, histograms, timerify and event-loop delay monitoring are not
// built yet, so they are absent (packages feature-detect them).

const timersNative = binding('timers');
const { codes: { ERR_ILLEGAL_CONSTRUCTOR, ERR_INVALID_ARG_TYPE, ERR_MISSING_ARGS } } = require('internal/errors');
const { validateString, validateObject } = require('internal/validators');

const kCreate = Symbol('create');
const customInspect = Symbol.for('nodejs.util.inspect.custom');

const now = () => timersNative.hrnow();
const timeOrigin = Date.now() - now();

class PerformanceEntry {
  #name;
  #type;
  #start;
  #duration;
  #detail;

  constructor(key, name, type, start, duration, detail) {
    if (key !== kCreate) throw new ERR_ILLEGAL_CONSTRUCTOR();
    this.#name = name;
    this.#type = type;
    this.#start = start;
    this.#duration = duration;
    this.#detail = detail;
  }

  get name() { return this.#name; }
  get entryType() { return this.#type; }
  get startTime() { return this.#start; }
  get duration() { return this.#duration; }
  get detail() { return this.#detail; }

  toJSON() {
    return { name: this.name, entryType: this.entryType, startTime: this.startTime, duration: this.duration, detail: this.detail };
  }

  [customInspect](depth, options, inspect) {
    return `${this.constructor.name} ${inspect(this.toJSON(), options)}`;
  }
}

class PerformanceMark extends PerformanceEntry {
  constructor(name, options = undefined) {
    if (arguments.length === 0) throw new ERR_MISSING_ARGS('name');
    if (options !== undefined) validateObject(options, 'options');
    const start = options?.startTime ?? now();
    if (typeof start !== 'number') throw new ERR_INVALID_ARG_TYPE('options.startTime', 'number', start);
    super(kCreate, `${name}`, 'mark', start, 0, options?.detail === undefined ? null : structuredClone(options.detail));
  }
}

class PerformanceMeasure extends PerformanceEntry {
  constructor(key, ...args) {
    if (key !== kCreate) throw new ERR_ILLEGAL_CONSTRUCTOR();
    super(kCreate, ...args);
  }
}

const buffer = [];

function markTime(name) {
  if (typeof name === 'number') return name;
  for (let i = buffer.length - 1; i >= 0; i--) {
    if (buffer[i].entryType === 'mark' && buffer[i].name === name) return buffer[i].startTime;
  }
  const err = new DOMException(`The "${name}" performance mark has not been set`, 'SyntaxError');
  throw err;
}

class Performance extends EventTarget {
  constructor(key) {
    if (key !== kCreate) throw new ERR_ILLEGAL_CONSTRUCTOR();
    super();
  }

  get timeOrigin() { return timeOrigin; }

  now() {
    return now();
  }

  mark(name, options = undefined) {
    const mark = new PerformanceMark(name, options);
    buffer.push(mark);
    return mark;
  }

  measure(name, startOrOptions = undefined, endMark = undefined) {
    validateString(name, 'name');
    let start;
    let end;
    let detail = null;
    if (startOrOptions !== null && typeof startOrOptions === 'object') {
      const { start: s, end: e, duration, detail: d } = startOrOptions;
      start = s === undefined ? (duration !== undefined && e !== undefined ? markTime(e) - duration : 0) : markTime(s);
      end = e === undefined ? (duration !== undefined ? start + duration : now()) : markTime(e);
      detail = d === undefined ? null : structuredClone(d);
    } else {
      start = startOrOptions === undefined ? 0 : markTime(startOrOptions);
      end = endMark === undefined ? now() : markTime(endMark);
    }
    const measure = new PerformanceMeasure(kCreate, name, 'measure', start, end - start, detail);
    buffer.push(measure);
    return measure;
  }

  clearMarks(name = undefined) {
    removeEntries('mark', name);
  }

  clearMeasures(name = undefined) {
    removeEntries('measure', name);
  }

  clearResourceTimings() {
    removeEntries('resource', undefined);
  }

  getEntries() {
    return buffer.slice().sort((a, b) => a.startTime - b.startTime);
  }

  getEntriesByName(name, type = undefined) {
    return this.getEntries().filter((e) => e.name === `${name}` && (type === undefined || e.entryType === type));
  }

  getEntriesByType(type) {
    return this.getEntries().filter((e) => e.entryType === `${type}`);
  }

  toJSON() {
    return { nodeTiming: {}, timeOrigin, eventLoopUtilization: {} };
  }
}
Object.defineProperty(Performance.prototype, Symbol.toStringTag, { value: 'Performance', configurable: true });

function removeEntries(type, name) {
  for (let i = buffer.length - 1; i >= 0; i--) {
    if (buffer[i].entryType === type && (name === undefined || buffer[i].name === `${name}`)) buffer.splice(i, 1);
  }
}

const performance = new Performance(kCreate);

module.exports = {
  Performance,
  PerformanceEntry,
  PerformanceMark,
  PerformanceMeasure,
  performance,
  constants: {
    NODE_PERFORMANCE_GC_MAJOR: 4, NODE_PERFORMANCE_GC_MINOR: 1, NODE_PERFORMANCE_GC_INCREMENTAL: 8,
    NODE_PERFORMANCE_GC_WEAKCB: 16, NODE_PERFORMANCE_GC_FLAGS_NO: 0, NODE_PERFORMANCE_GC_FLAGS_CONSTRUCT_RETAINED: 2,
    NODE_PERFORMANCE_GC_FLAGS_FORCED: 4, NODE_PERFORMANCE_GC_FLAGS_SYNCHRONOUS_PHANTOM_PROCESSING: 8,
    NODE_PERFORMANCE_GC_FLAGS_ALL_AVAILABLE_GARBAGE: 16, NODE_PERFORMANCE_GC_FLAGS_ALL_EXTERNAL_MEMORY: 32,
    NODE_PERFORMANCE_GC_FLAGS_SCHEDULE_IDLE: 64,
  },
};
