// lode:module internal/process/execution
// What happens to an exception nobody caught: 'uncaughtException' listeners
// get it; without one, 'exit' is emitted and the error is printed as Node
// prints it (source line with a caret, the stack, own properties), and the
// process exits with code 1.

const native = binding('process');

// Sources that are not files ([eval], [stdin]), for the caret display.
const virtualSources = new Map();

function registerSource(name, source) {
  virtualSources.set(name, source);
}

let captureCallback = null;

function setUncaughtExceptionCaptureCallback(fn) {
  if (fn === null) {
    captureCallback = null;
    return;
  }
  if (typeof fn !== 'function') {
    const { codes: { ERR_INVALID_ARG_TYPE } } = require('internal/errors');
    throw new ERR_INVALID_ARG_TYPE('fn', ['Function', 'null'], fn);
  }
  if (captureCallback !== null) {
    const err = new Error('`process.setupUncaughtExceptionCapture()` was called while a capture callback was already active');
    err.code = 'ERR_UNCAUGHT_EXCEPTION_CAPTURE_ALREADY_SET';
    throw err;
  }
  captureCallback = fn;
}

function hasUncaughtExceptionCaptureCallback() {
  return captureCallback !== null;
}

// `caretAtThrow`: point the caret at a `throw` on the error's line, as V8
// does for synchronous throws; errors out of promises and ES module
// evaluation are shown where they were created instead.
function fatalException(err, fromPromise = false, caretAtThrow = !fromPromise) {
  const type = fromPromise ? 'unhandledRejection' : 'uncaughtException';
  process.emit('uncaughtExceptionMonitor', err, type);
  if (captureCallback !== null) {
    captureCallback(err);
    return;
  }
  if (process.listenerCount('uncaughtException') > 0) {
    process.emit('uncaughtException', err, type);
    return;
  }
  try {
    if (!process._exiting) {
      process._exiting = true;
      process.exitCode = 1;
      process.emit('exit', 1);
    }
  } catch {
    // An 'exit' listener that throws does not stop the report.
  }
  native.writeStderr(formatFatal(err, caretAtThrow));
  native.reallyExit(process.exitCode ?? 1);
}

// The text of a script: a file, or a registered source such as [eval].
function sourceText(file) {
  const text = virtualSources.get(file);
  if (text !== undefined) return text;
  try {
    return binding('fs').readText(file);
  } catch {
    return undefined;
  }
}

function sourceLine(file, lineNumber) {
  return sourceText(file)?.split(/\r?\n/)[lineNumber - 1];
}

// `file:line`, the line, and a caret under the throw (or under `new` for an
// error that was never thrown, such as a rejection reason).
function sourceContext(err, caretAtThrow) {
  const stack = typeof err?.stack === 'string' ? err.stack : '';
  const frame = /^\s+at (?:.*? \()?(.+?):(\d+):(\d+)\)?$/m.exec(stack);
  if (frame === null || frame[1].startsWith('node:')) return '';
  const [, file, lineText, colText] = frame;
  const filePath = file.startsWith('file://') ? require('internal/url/file_url').fileHrefToPath(file) : file;
  const line = sourceLine(filePath, Number(lineText));
  if (line === undefined) return '';
  let column = Number(colText) - 1;
  const before = line.slice(0, column);
  const newMatch = /new\s+$/.exec(before);
  if (newMatch !== null) column = newMatch.index;
  if (caretAtThrow) {
    const throwAt = line.indexOf('throw');
    if (throwAt !== -1) column = throwAt;
  }
  const pad = line.slice(0, Math.max(0, column)).replace(/[^\t]/g, ' ');
  return `${file}:${lineText}\n${line}\n${pad}^\n`;
}

function formatFatal(err, caretAtThrow) {
  const { inspect, isError } = require('internal/util/inspect');
  const context = sourceContext(err, caretAtThrow);
  const version = `Lode v${internals.options.version}`;
  if (isError(err) || (err !== null && typeof err === 'object' && typeof err.stack === 'string')) {
    let body;
    try {
      body = inspect(err);
    } catch {
      body = String(err?.stack);
    }
    return `${context}${context ? '\n' : ''}${body}\n\n${version}\n`;
  }
  let shown;
  try {
    shown = inspect(err);
  } catch {
    shown = '[value that cannot be displayed]';
  }
  return `${context}${shown}\n(Use \`lode --trace-uncaught ...\` to show where the exception was thrown)\n\n${version}\n`;
}

function emitUnhandledWarning(reason) {
  const { emitWarning } = require('internal/process/warning');
  const { inspect } = require('internal/util/inspect');
  const shown = reason instanceof Error && typeof reason.stack === 'string' ? reason.stack : inspect(reason);
  emitWarning(shown, 'UnhandledPromiseRejectionWarning');
  emitWarning('Unhandled promise rejection. This error originated either by throwing inside of an async ' +
    'function without a catch block, or by rejecting a promise which was not handled with .catch(). ' +
    'To terminate the node process on unhandled promise rejection, use the CLI flag ' +
    '`--unhandled-rejections=strict` (see https://nodejs.org/api/cli.html#cli_unhandled_rejections_mode).',
    'UnhandledPromiseRejectionWarning');
}

module.exports = {
  fatalException,
  formatFatal,
  registerSource,
  sourceText,
  setUncaughtExceptionCaptureCallback,
  hasUncaughtExceptionCaptureCallback,
  emitUnhandledWarning,
};
