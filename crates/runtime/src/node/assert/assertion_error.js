// lode:module internal/assert/assertion_error
// AssertionError and the message Node builds for it. Two values that each
// print on one line are shown side by side (`1 !== 2`) or stacked; longer
// ones as a line diff (Myers' shortest edit script) of what util.inspect
// prints for them, unchanged runs of more than five lines collapsed.

const { inspect } = require('internal/util/inspect');
const { codes: { ERR_INVALID_ARG_TYPE } } = require('internal/errors');

const kHeaders = {
  deepStrictEqual: 'Expected values to be strictly deep-equal:',
  partialDeepStrictEqual: 'Expected values to be partially and strictly deep-equal:',
  strictEqual: 'Expected values to be strictly equal:',
  strictEqualObject: 'Expected "actual" to be reference-equal to "expected":',
  deepEqual: 'Expected values to be loosely deep-equal:',
  notDeepStrictEqual: 'Expected "actual" not to be strictly deep-equal to:',
  notStrictEqual: 'Expected "actual" to be strictly unequal to:',
  notStrictEqualObject: 'Expected "actual" not to be reference-equal to "expected":',
  notDeepEqual: 'Expected "actual" not to be loosely deep-equal to:',
  notIdentical: 'Values have same structure but are not reference-equal:',
  notDeepEqualUnequal: 'Expected values not to be loosely deep-equal:',
};
// Operators whose message is a diff, with a custom message as its title.
const kDiffOperators = new Set(['deepStrictEqual', 'strictEqual', 'partialDeepStrictEqual']);
const kShortLength = 12;
const kLongLength = 512;
const kContextLines = 5;
const kPlusMinus = '+ actual - expected';

function inspectValue(value) {
  return inspect(value, {
    compact: false,
    customInspect: false,
    depth: 1000,
    maxArrayLength: Infinity,
    showHidden: false,
    showProxy: false,
    sorted: true,
    getters: true,
  });
}

const INSERT = 1; // a line only `actual` has
const DELETE = -1; // a line only `expected` has
const KEEP = 0;

// Myers' algorithm over lines. With `commaTolerant`, two lines that differ
// only by a trailing comma count as the same (an object's last property
// gains one when another follows it). Returns [operation, line] pairs in
// order; at a change, `actual`'s lines come before `expected`'s.
function lineDiff(actual, expected, commaTolerant) {
  const same = (a, e) => a === e || (commaTolerant && (`${a},` === e || a === `${e},`));
  const n = actual.length;
  const m = expected.length;
  const offset = n + m;
  const furthest = new Int32Array(2 * offset + 2);
  const history = [];
  let found = false;
  for (let d = 0; d <= offset && !found; d++) {
    history.push(furthest.slice());
    for (let k = -d; k <= d; k += 2) {
      const takeExpected = k === -d || (k !== d && furthest[offset + k - 1] < furthest[offset + k + 1]);
      let x = takeExpected ? furthest[offset + k + 1] : furthest[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && same(actual[x], expected[y])) {
        x++;
        y++;
      }
      furthest[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  // Walk back from the end through the saved frontiers.
  const reversed = [];
  let x = n;
  let y = m;
  for (let d = history.length - 1; d >= 0; d--) {
    const frontier = history[d];
    const k = x - y;
    const fromExpected = k === -d || (k !== d && frontier[offset + k - 1] < frontier[offset + k + 1]);
    const previousK = fromExpected ? k + 1 : k - 1;
    const previousX = frontier[offset + previousK];
    const previousY = previousX - previousK;
    while (x > previousX && y > previousY) {
      const line = actual[x - 1];
      reversed.push([KEEP, commaTolerant && !line.endsWith(',') ? expected[y - 1] : line]);
      x--;
      y--;
    }
    if (d > 0) reversed.push(x > previousX ? [INSERT, actual[--x]] : [DELETE, expected[--y]]);
  }
  return reversed.reverse();
}

// The diff as lines: `+ ` and `- ` for changes, two spaces for context.
// Of a run of unchanged lines, the first five are shown, and of the rest
// only the last (after `...`) unless that hides a single line.
function printDiff(operations) {
  const lines = [];
  let skipped = false;
  let run = 0;
  const closeRun = (end) => {
    if (run === kContextLines + 1) lines.push(`  ${operations[end - 1][1]}`);
    else if (run === kContextLines + 2) lines.push(`  ${operations[end - 2][1]}`, `  ${operations[end - 1][1]}`);
    else if (run >= kContextLines + 3) {
      lines.push('...', `  ${operations[end - 1][1]}`);
      skipped = true;
    }
    run = 0;
  };
  operations.forEach(([operation, line], i) => {
    if (operation !== KEEP && run > 0) closeRun(i);
    if (operation === INSERT) lines.push(`+ ${line}`);
    else if (operation === DELETE) lines.push(`- ${line}`);
    else {
      if (run < kContextLines) lines.push(`  ${line}`);
      run++;
    }
  });
  return { text: `\n${lines.join('\n').trimEnd()}`, skipped };
}

// Two one-line values: side by side when short, else one above the other
// (strings with a caret under the first difference when it fits).
function simpleDiff(actual, actualLine, expected, expectedLine) {
  let length = actualLine.length + expectedLine.length;
  if (typeof actual === 'string') length -= 2;
  if (typeof expected === 'string') length -= 2;
  if (length <= kShortLength && (actual !== 0 || expected !== 0)) {
    return { text: `${actualLine} !== ${expectedLine}`, header: '' };
  }
  let text = `\n+ ${actualLine}\n- ${expectedLine}`;
  const width = process.stderr.isTTY ? process.stderr.columns : 80;
  if (typeof actual === 'string' && typeof expected === 'string' && actualLine.length + expectedLine.length <= width) {
    for (let i = 0; i < actualLine.length; i++) {
      if (actualLine[i] !== expectedLine[i]) {
        // Not for the first two characters (and the quote): it is plain.
        if (i >= 3) text += `\n${' '.repeat(i + 2)}^`;
        break;
      }
    }
  }
  return { text, header: kPlusMinus };
}

function diffMessage(actual, expected, operator, title, full) {
  if (operator === 'strictEqual' &&
      ((typeof actual === 'object' && actual !== null && typeof expected === 'object' && expected !== null) ||
       (typeof actual === 'function' && typeof expected === 'function'))) {
    operator = 'strictEqualObject';
  }
  const actualText = inspectValue(actual);
  const expectedText = inspectValue(expected);
  const actualLines = actualText.split('\n');
  const expectedLines = expectedText.split('\n');
  let header = kPlusMinus;
  let text;
  let skipped = false;
  const oneLine = actualLines.length === 1 && expectedLines.length === 1;
  if (oneLine && (typeof actual !== 'object' || actual === null || typeof expected !== 'object' || expected === null)) {
    ({ text, header } = simpleDiff(actual, actualLines[0], expected, expectedLines[0]));
  } else if (actualText === expectedText) {
    operator = 'notIdentical';
    header = '';
    if (actualLines.length > 50 && !full) {
      text = `${actualLines.slice(0, 50).join('\n')}\n...}`;
      skipped = true;
    } else {
      text = actualText;
    }
  } else {
    const commaTolerant = actual != null && typeof actual === 'object';
    ({ text, skipped } = printDiff(lineDiff(actualLines, expectedLines, commaTolerant)));
  }
  return `${title || kHeaders[operator]}\n${header}${skipped ? '\n... Skipped lines' : ''}\n${text}\n`;
}

function defaultMessage(actual, expected, operator, full) {
  if (operator === 'notDeepStrictEqual' || operator === 'notStrictEqual') {
    let title = kHeaders[operator];
    const lines = inspectValue(actual).split('\n');
    if (operator === 'notStrictEqual' && ((typeof actual === 'object' && actual !== null) || typeof actual === 'function')) {
      title = kHeaders.notStrictEqualObject;
    }
    if (lines.length > 50 && !full) {
      lines[46] = '...';
      lines.length = 47;
    }
    if (lines.length === 1) return `${title}${lines[0].length > 5 ? '\n\n' : ' '}${lines[0]}`;
    return `${title}\n\n${lines.join('\n')}\n`;
  }
  let shown = inspectValue(actual);
  let other = inspectValue(expected);
  const title = kHeaders[operator];
  if (operator === 'notDeepEqual' && shown === other) {
    shown = `${title}\n\n${shown}`;
    return shown.length > 1024 && !full ? `${shown.slice(0, 1021)}...` : shown;
  }
  if (shown.length > kLongLength && !full) shown = `${shown.slice(0, 509)}...`;
  if (other.length > kLongLength && !full) other = `${other.slice(0, 509)}...`;
  if (operator === 'deepEqual') return `${title}\n\n${shown}\n\nshould loosely deep-equal\n\n${other}`;
  const unequal = kHeaders[`${operator}Unequal`];
  if (unequal) return `${unequal}\n\n${shown}\n\nshould not loosely deep-equal\n\n${other}`;
  return `${shown} ${operator} ${other}`;
}

// A copy of an Error without its stack, so a message quoting two errors
// does not print their stacks.
function copyError(source) {
  const target = Object.assign({ __proto__: Object.getPrototypeOf(source) }, source);
  Object.defineProperty(target, 'message', { value: source.message });
  if (Object.prototype.hasOwnProperty.call(source, 'cause')) {
    const cause = source.cause instanceof Error ? copyError(source.cause) : source.cause;
    Object.defineProperty(target, 'cause', { value: cause });
  }
  return target;
}

function addEllipsis(text) {
  const lines = text.split('\n', 11);
  if (lines.length > 10) return `${lines.slice(0, 10).join('\n')}\n...`;
  if (text.length > kLongLength) return `${text.slice(kLongLength)}...`;
  return text;
}

class AssertionError extends Error {
  constructor(options) {
    if (options === null || typeof options !== 'object') throw new ERR_INVALID_ARG_TYPE('options', 'Object', options);
    const { message, operator, stackStartFn, stackStartFunction, details, diff = 'simple' } = options;
    let { actual, expected } = options;
    if (message != null && !kDiffOperators.has(operator)) {
      super(String(message));
    } else {
      if (message == null && actual instanceof Error && expected instanceof Error && 'stack' in actual && 'stack' in expected) {
        actual = copyError(actual);
        expected = copyError(expected);
      }
      const full = diff === 'full';
      super(kDiffOperators.has(operator) ? diffMessage(actual, expected, operator, message, full) : defaultMessage(actual, expected, operator, full));
    }
    this.generatedMessage = message == null;
    Object.defineProperty(this, 'name', { value: 'AssertionError [ERR_ASSERTION]', enumerable: false, writable: true, configurable: true });
    this.code = 'ERR_ASSERTION';
    if (details) {
      this.actual = undefined;
      this.expected = undefined;
      this.operator = undefined;
      for (let i = 0; i < details.length; i++) {
        this[`message ${i}`] = details[i].message;
        this[`actual ${i}`] = details[i].actual;
        this[`expected ${i}`] = details[i].expected;
        this[`operator ${i}`] = details[i].operator;
        this[`stack trace ${i}`] = details[i].stack;
      }
    } else {
      this.actual = actual;
      this.expected = expected;
      this.operator = operator;
    }
    Error.captureStackTrace(this, stackStartFn || stackStartFunction);
    this.name = 'AssertionError';
    // Which message form was asked for: 'full' diffs are never shortened.
    this.diff = diff;
  }

  toString() {
    return `${this.name} [${this.code}]: ${this.message}`;
  }

  // Long string values are shortened and others shown one level deep: the
  // message already shows them in full.
  [inspect.custom](recurseTimes, ctx) {
    const { actual, expected } = this;
    if (typeof actual === 'string') this.actual = addEllipsis(actual);
    if (typeof expected === 'string') this.expected = addEllipsis(expected);
    try {
      return inspect(this, { ...ctx, customInspect: false, depth: 0 });
    } finally {
      this.actual = actual;
      this.expected = expected;
    }
  }
}

module.exports = { AssertionError, inspectValue };
