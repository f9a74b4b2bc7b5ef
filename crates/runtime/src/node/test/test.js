// lode:module test
// `node:test`: tests, suites and hooks run in declaration order, reported as
// Node's spec reporter prints them (to stdout), with a summary at exit and
// exit code 1 when anything failed. Runs sequentially: `concurrency` is
// accepted and ignored. `run()`, snapshots, module mocks and fake timers are
// not built yet, so they are absent.

const assert = require('assert');
const { inspect } = require('internal/util/inspect');
const { MockTracker } = require('internal/test_runner/mock');
const { validateFunction, validateObject, validateInteger, validateNumber } = require('internal/validators');

const counts = { tests: 0, suites: 0, pass: 0, fail: 0, cancelled: 0, skipped: 0, todo: 0 };
const failures = [];
const startTime = performance.now();

function write(line) {
  process.stdout.write(`${line}\n`);
}

function indent(nesting) {
  return '  '.repeat(nesting);
}

function formatDuration(ms) {
  return `(${Number(ms.toFixed(6))}ms)`;
}

/** The spec reporter's line for a finished test or suite. */
function report(test) {
  for (const ancestor of test.ancestors().reverse()) {
    if (!ancestor.headerPrinted) {
      ancestor.headerPrinted = true;
      write(`${indent(ancestor.nesting)}▶ ${ancestor.name}`);
    }
  }
  const pad = indent(test.nesting);
  const time = formatDuration(test.duration);
  if (test.skipped) {
    write(`${pad}﹣ ${test.name} ${time} # ${test.skipped === true ? 'SKIP' : test.skipped}`);
  } else if (test.error !== undefined) {
    write(`${pad}✖ ${test.name} ${time}`);
  } else {
    const todo = test.todo ? ` # ${test.todo === true ? 'TODO' : test.todo}` : '';
    write(`${pad}✔ ${test.name} ${time}${todo}`);
  }
}

function formatError(err) {
  return err instanceof Error ? inspect(err) : `${inspect(err)}`;
}

function printSummary() {
  const duration = performance.now() - startTime;
  for (const [name, value] of Object.entries(counts)) write(`ℹ ${name} ${value}`);
  write(`ℹ duration_ms ${Number(duration.toFixed(6))}`);
  if (failures.length > 0) {
    write('\n✖ failing tests:\n');
    failures.forEach((test, i) => {
      if (i > 0) write('');
      if (test.location !== undefined) write(`test at ${test.location}`);
      write(`✖ ${test.name} ${formatDuration(test.duration)}`);
      for (const line of formatError(test.error).split('\n')) write(`  ${line}`);
    });
  }
}

/** Runs a hook or test body that may be async or take a `done` callback. */
function invoke(fn, thisArg, context, takesDone) {
  if (!takesDone) return Reflect.apply(fn, thisArg, [context]);
  return new Promise((resolve, reject) => {
    let called = false;
    const done = (err) => {
      if (called) return;
      called = true;
      if (err) reject(err);
      else resolve();
    };
    const result = Reflect.apply(fn, thisArg, [context, done]);
    if (result && typeof result.then === 'function') {
      reject(new Error('passed a callback but also returned a Promise'));
    }
  });
}

function withTimeout(promise, timeout, test) {
  if (timeout === Infinity) return promise;
  let timer;
  const expired = new Promise((resolve, reject) => {
    timer = setTimeout(() => {
      const message = `test timed out after ${timeout}ms`;
      test.cancelled = true;
      test.controller.abort(new DOMException(message, 'AbortError'));
      reject(message);
    }, timeout);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}

/** What suites share with tests: naming, nesting and the child queue. */
class Runnable {
  constructor(parent, name, options) {
    this.parent = parent;
    this.name = name;
    this.nesting = parent === null ? -1 : (parent.nesting + 1);
    this.children = [];
    this.pending = [];
    this.drainPromise = undefined;
    this.canStartChildren = false;
    this.hooks = { before: [], after: [], beforeEach: [], afterEach: [] };
    this.skipped = options.skip ? options.skip : false;
    this.todo = options.todo ? options.todo : false;
    this.timeout = options.timeout ?? Infinity;
    if (this.timeout !== Infinity) validateNumber(this.timeout, 'options.timeout', 0);
    this.controller = new AbortController();
    if (options.signal !== undefined) {
      options.signal.addEventListener('abort', () => this.controller.abort(options.signal.reason), { once: true });
    }
    this.error = undefined;
    this.ownFailure = false;
    this.cancelled = false;
    this.location = undefined;
    this.duration = 0;
    this.headerPrinted = false;
    this.beforeHooksRan = false;
    this.runOnlyChildren = false;
    this.hookContext = undefined;
    this.done = new Promise((resolve) => { this.resolveDone = resolve; });
  }

  addHook(kind, fn, options = {}) {
    validateFunction(fn, 'fn');
    validateObject(options, 'options');
    this.hooks[kind].push({ fn, timeout: options.timeout ?? Infinity });
  }

  ancestors() {
    const list = [];
    for (let p = this.parent; p !== null && p.parent !== null; p = p.parent) list.push(p);
    return list;
  }

  fullName() {
    return [...this.ancestors().reverse().map((t) => t.name), this.name].join(' > ');
  }

  enqueue(child) {
    this.children.push(child);
    this.pending.push(child);
    if (this.canStartChildren) this.kick();
    return child.done;
  }

  kick() {
    if (this.drainPromise === undefined && this.pending.length > 0) this.drainPromise = this.drain();
  }

  async drain() {
    if (!this.beforeHooksRan) {
      this.beforeHooksRan = true;
      try {
        await this.runHooks('before', this.hookContext ?? new SuiteContext(this));
      } catch (err) {
        this.ownFailure = true;
        this.fail(err);
      }
    }
    while (this.pending.length > 0) await this.pending.shift().run();
    this.drainPromise = undefined;
  }

  async runChildren() {
    this.canStartChildren = true;
    this.kick();
    while (this.drainPromise !== undefined) await this.drainPromise;
  }

  async runHooks(kind, context, list = this.hooks[kind]) {
    for (const { fn, timeout } of list) {
      await withTimeout(Promise.resolve().then(() => invoke(fn, undefined, context, fn.length >= 2)), timeout, this);
    }
  }

  // beforeEach hooks of every enclosing suite, outermost first.
  async runEachHooks(kind, context) {
    const chain = [];
    for (let p = this.parent; p !== null; p = p.parent) chain.push(p);
    if (kind === 'beforeEach') chain.reverse();
    for (const owner of chain) await owner.runHooks(kind, context);
  }

  fail(err) {
    if (this.error === undefined) this.error = err;
  }

  finish(start) {
    this.duration = performance.now() - start;
    if (this instanceof Suite) {
      if (this.ownFailure) failures.push(this);
    } else if (this.skipped) counts.skipped++;
    else if (this.error !== undefined) {
      if (this.cancelled) counts.cancelled++;
      else counts.fail++;
      if (this.ownFailure) failures.push(this);
    } else if (this.todo) counts.todo++;
    else counts.pass++;
    report(this);
    this.controller.abort();
    this.resolveDone();
  }
}

class Test extends Runnable {
  constructor(parent, name, options, fn) {
    super(parent, name, options);
    this.fn = fn;
    this.assertions = 0;
    this.planned = undefined;
    this.mockTracker = undefined;
    counts.tests++;
  }

  async run() {
    const start = performance.now();
    running.add(this);
    const context = new TestContext(this);
    this.hookContext = context;
    if (!this.skipped) {
      try {
        await this.runEachHooks('beforeEach', context);
        this.canStartChildren = true;
        const body = Promise.resolve().then(() => invoke(this.fn, context, context, this.fn.length >= 2));
        await withTimeout(body, this.timeout, this);
        await this.runChildren();
        if (this.planned !== undefined && this.planned !== this.assertions) {
          throw `plan expected ${this.planned} assertions but received ${this.assertions}`;
        }
      } catch (err) {
        this.ownFailure = true;
        this.fail(err);
      }
      if (this.error === undefined && this.children.some((child) => child.error !== undefined)) {
        this.fail(new Error(`${this.children.filter((c) => c.error !== undefined).length} subtests failed`));
      }
      try {
        await this.runHooks('after', context);
        await this.runEachHooks('afterEach', context);
      } catch (err) {
        this.ownFailure = true;
        this.fail(err);
      }
      this.mockTracker?.reset();
    }
    running.delete(this);
    this.finish(start);
  }
}

class Suite extends Runnable {
  constructor(parent, name, options, fn) {
    super(parent, name, options);
    counts.suites++;
    this.body = undefined;
    if (this.skipped || fn === undefined) return;
    const previous = currentSuite;
    currentSuite = this;
    try {
      const result = Reflect.apply(fn, new SuiteContext(this), [new SuiteContext(this)]);
      if (result && typeof result.then === 'function') this.body = Promise.resolve(result);
    } catch (err) {
      this.ownFailure = true;
      this.fail(err);
    } finally {
      currentSuite = previous;
    }
  }

  async run() {
    const start = performance.now();
    if (!this.skipped) {
      running.add(this);
      const context = new SuiteContext(this);
      this.hookContext = context;
      try {
        if (this.body !== undefined) await this.body;
        await withTimeout(this.runChildren(), this.timeout, this);
        await this.runHooks('after', context);
      } catch (err) {
        this.ownFailure = true;
        this.fail(err);
      }
      if (this.error === undefined && this.children.some((child) => child.error !== undefined)) {
        this.fail(new Error(`${this.children.filter((c) => c.error !== undefined).length} subtests failed`));
      }
      running.delete(this);
    }
    this.finish(start);
  }
}

class SuiteContext {
  #suite;
  constructor(suite) {
    this.#suite = suite;
  }
  get name() { return this.#suite.name; }
  get fullName() { return this.#suite.fullName(); }
  get signal() { return this.#suite.controller.signal; }
  get filePath() { return process.argv[1]; }
}

class TestContext {
  #test;
  #assert;
  constructor(test) {
    this.#test = test;
  }
  get name() { return this.#test.name; }
  get fullName() { return this.#test.fullName(); }
  get signal() { return this.#test.controller.signal; }
  get filePath() { return process.argv[1]; }
  get mock() {
    this.#test.mockTracker ??= new MockTracker();
    return this.#test.mockTracker;
  }
  get assert() {
    if (this.#assert === undefined) {
      const test = this.#test;
      this.#assert = {};
      for (const [name, fn] of Object.entries(assert)) {
        if (typeof fn !== 'function' || name === 'AssertionError' || name === 'CallTracker' || name === 'strict') continue;
        this.#assert[name] = function (...args) {
          test.assertions++;
          return Reflect.apply(fn, this, args);
        };
      }
    }
    return this.#assert;
  }
  diagnostic(message) {
    write(`${indent(this.#test.nesting + 1)}ℹ ${message}`);
  }
  plan(count) {
    validateInteger(count, 'count', 0);
    this.#test.planned = count;
  }
  skip(message) {
    this.#test.skipped = message ?? true;
  }
  todo(message) {
    this.#test.todo = message ?? true;
  }
  // Subtests declared from now on run only if they have `only: true`.
  runOnly(value) {
    this.#test.runOnlyChildren = !!value;
  }
  before(fn, options) {
    this.#test.addHook('before', fn, options);
  }
  after(fn, options) {
    this.#test.addHook('after', fn, options);
  }
  beforeEach(fn, options) {
    this.#test.addHook('beforeEach', fn, options);
  }
  afterEach(fn, options) {
    this.#test.addHook('afterEach', fn, options);
  }
  test(name, options, fn) {
    this.#test.assertions++;
    return declare(Test, this.#test, name, options, fn, {});
  }
  async waitFor(condition, { interval = 50, timeout = 1000 } = {}) {
    validateFunction(condition, 'condition');
    const deadline = performance.now() + timeout;
    for (;;) {
      try {
        return await condition();
      } catch (err) {
        if (performance.now() >= deadline) throw err;
      }
      await new Promise((resolve) => setTimeout(resolve, interval));
    }
  }
}

const root = new Runnable(null, '<root>', {});
const running = new Set();
let currentSuite;
let started = false;
let finished = false;

function ownerFor(parent) {
  if (parent !== undefined) return parent;
  if (currentSuite !== undefined) return currentSuite;
  if (!started) {
    started = true;
    process.nextTick(() => root.runChildren());
    process.on('beforeExit', () => finishRun(true));
    process.on('exit', () => finishRun(false));
  }
  return root;
}

// At beforeExit the root's `after` hooks may still run (asynchronously,
// so the loop goes on and beforeExit comes again); at exit nothing can wait.
function finishRun(canWait) {
  if (finished) return;
  if (canWait && root.hooks.after.length > 0 && !root.afterHooksDone) {
    if (root.afterHooksStarted) return;
    root.afterHooksStarted = true;
    root.runHooks('after', new SuiteContext(root)).catch((err) => {
      root.ownFailure = true;
      root.fail(err);
    }).then(() => {
      root.afterHooksDone = true;
      finishRun(false);
    });
    return;
  }
  finished = true;
  // Whatever still runs now waits on a promise nothing will settle.
  for (const test of running) {
    test.ownFailure = true;
    test.cancelled = true;
    test.fail('Promise resolution is still pending but the event loop has already resolved');
    if (test instanceof Test) {
      counts.cancelled++;
      failures.push(test);
    }
    report(test);
  }
  if (root.error !== undefined) {
    counts.fail++;
    write(`✖ ${formatError(root.error)}`);
  }
  printSummary();
  // A suite whose own function or hooks failed is not counted as a failing
  // test, but fails the run, as in Node.
  if (counts.fail > 0 || counts.cancelled > 0 || failures.length > 0) process.exitCode = 1;
}

// `file:line:column` of the first frame outside Lode's built-ins, relative
// to the working directory as Node's reporter shows it.
function callerLocation() {
  const site = require('internal/util/call_sites').firstUserCallSite();
  if (site === undefined) return undefined;
  let file = site.getFileName();
  if (file.startsWith('file://')) file = require('url').fileURLToPath(file);
  const cwd = `${process.cwd()}/`;
  if (file.startsWith(cwd)) file = file.slice(cwd.length);
  return `${file}:${site.getLineNumber()}:${site.getColumnNumber()}`;
}

// test([name][, options][, fn]) in all its argument shapes.
function declare(Kind, parent, name, options, fn, overrides) {
  if (typeof name === 'function') {
    fn = name;
    options = {};
    name = fn.name || '<anonymous>';
  } else if (name !== null && typeof name === 'object') {
    fn = options;
    options = name;
    name = fn?.name || '<anonymous>';
  } else if (typeof options === 'function') {
    fn = options;
    options = {};
  }
  options ??= {};
  validateObject(options, 'options');
  if (fn !== undefined) validateFunction(fn, 'fn');
  name = name === undefined ? (fn?.name || '<anonymous>') : `${name}`;
  options = { ...options, ...overrides };
  if (fn === undefined && Kind === Test) options.todo ??= true;
  const owner = ownerFor(parent);
  // Filtered out by runOnly: Node neither runs nor reports it.
  if (owner.runOnlyChildren && !options.only) return Promise.resolve();
  const runnable = new Kind(owner, name, options, fn ?? (() => {}));
  runnable.location = callerLocation();
  return owner.enqueue(runnable);
}

function variants(Kind) {
  const base = (name, options, fn) => declare(Kind, undefined, name, options, fn, {});
  base.skip = (name, options, fn) => declare(Kind, undefined, name, options, fn, { skip: true });
  base.todo = (name, options, fn) => declare(Kind, undefined, name, options, fn, { todo: true });
  base.only = (name, options, fn) => declare(Kind, undefined, name, options, fn, { only: true });
  return base;
}

const test = variants(Test);
const suite = variants(Suite);

function topLevelHook(kind) {
  return function hook(fn, options) {
    (currentSuite ?? ownerFor(undefined)).addHook(kind, fn, options);
  };
}

Object.assign(test, {
  test,
  it: test,
  suite,
  describe: suite,
  before: topLevelHook('before'),
  after: topLevelHook('after'),
  beforeEach: topLevelHook('beforeEach'),
  afterEach: topLevelHook('afterEach'),
  mock: new MockTracker(),
});

module.exports = test;
