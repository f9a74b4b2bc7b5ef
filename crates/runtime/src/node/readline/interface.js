// lode:module internal/readline/interface
// readline's Interface: lines from an input stream ('line' events, an
// async iterator, question(), prompt()), as Node reads them when the input
// is not driven key by key: chunks are decoded as UTF-8 and split on \n,
// \r\n or \r (a \r\n split across chunks within crlfDelay counts once).
// Terminal line editing (raw mode, history, completion) is not built: on a
// terminal the line discipline does the editing, as with terminal: false.

const EventEmitter = require('events');
const { StringDecoder } = require('string_decoder');
const {
  codes: { ERR_INVALID_ARG_VALUE, ERR_USE_AFTER_CLOSE },
  AbortError,
} = require('internal/errors');
const { validateFunction, validateAbortSignal, validateString, validateUint32 } = require('internal/validators');

const kQuestionCallback = Symbol('kQuestionCallback');
const kLineStream = Symbol('kLineStream');

class Interface extends EventEmitter {
  constructor(input, output, completer, terminal) {
    super();
    let options = input;
    if (!(input && typeof input.on === 'function' && !('input' in input))) {
      // createInterface({ input, output, ... })
    } else {
      options = { input, output, completer, terminal };
    }
    if (options?.input === undefined || options === null || typeof options !== 'object') {
      throw new ERR_INVALID_ARG_VALUE('input', options?.input);
    }
    ({ input, output, completer } = options);
    if (completer !== undefined) validateFunction(completer, 'completer');
    if (options.signal !== undefined) validateAbortSignal(options.signal, 'options.signal');
    const crlfDelay = options.crlfDelay === undefined ? 100 : Math.max(100, Number(options.crlfDelay));
    if (options.historySize !== undefined) validateUint32(options.historySize, 'historySize');
    this.input = input;
    this.output = output;
    this.completer = completer;
    this.terminal = !!(options.terminal ?? output?.isTTY);
    this.crlfDelay = crlfDelay;
    this.line = '';
    this.cursor = 0;
    this.history = [];
    this.closed = false;
    this.paused = false;
    this._prompt = options.prompt ?? '> ';
    this[kQuestionCallback] = null;
    this._sawReturnAt = 0;
    this._decoder = new StringDecoder('utf8');
    this._ondata = (data) => this._normalWrite(data);
    this._onend = () => {
      if (typeof this._pending === 'string' && this._pending.length > 0) this.emit('line', this._pending);
      this._pending = '';
      this.close();
    };
    this._onerror = (err) => this.emit('error', err);
    this._pending = '';
    input.on('error', this._onerror);
    input.on('data', this._ondata);
    input.on('end', this._onend);
    this.once('close', () => {
      input.removeListener('data', this._ondata);
      input.removeListener('error', this._onerror);
      input.removeListener('end', this._onend);
    });
    if (options.signal) {
      const onAborted = () => this.close();
      if (options.signal.aborted) process.nextTick(onAborted);
      else {
        options.signal.addEventListener('abort', onAborted, { once: true });
        this.once('close', () => options.signal.removeEventListener('abort', onAborted));
      }
    }
    input.resume?.();
  }

  get columns() {
    return this.output?.columns ?? Infinity;
  }

  setPrompt(prompt) {
    this._prompt = prompt;
  }

  getPrompt() {
    return this._prompt;
  }

  _writeToOutput(text) {
    validateString(text, 'stringToWrite');
    this.output?.write(text);
  }

  prompt(preserveCursor) {
    if (this.paused) this.resume();
    if (this.closed) throw new ERR_USE_AFTER_CLOSE('readline');
    this._writeToOutput(this._prompt);
  }

  question(query, options, cb) {
    cb = typeof options === 'function' ? options : cb;
    if (options?.signal) {
      validateAbortSignal(options.signal, 'options.signal');
      if (options.signal.aborted) return;
      const onAbort = () => {
        this[kQuestionCallback] = null;
      };
      options.signal.addEventListener('abort', onAbort, { once: true });
      const original = cb;
      cb = (answer) => {
        options.signal.removeEventListener('abort', onAbort);
        original(answer);
      };
    }
    if (this.closed) throw new ERR_USE_AFTER_CLOSE('readline');
    if (typeof cb !== 'function') return;
    if (this[kQuestionCallback]) {
      this.prompt();
      return;
    }
    this[kQuestionCallback] = cb;
    this._writeToOutput(query);
  }

  _onLine(line) {
    const callback = this[kQuestionCallback];
    if (callback) {
      this[kQuestionCallback] = null;
      callback(line);
    } else {
      this.emit('line', line);
    }
  }

  // Splits decoded input into lines; the last piece waits for more.
  _normalWrite(data) {
    if (data === undefined) return;
    let string = typeof data === 'string' ? data : this._decoder.write(data);
    // A \n right after a \r that ended the previous chunk is the same break.
    if (this._sawReturnAt && Date.now() - this._sawReturnAt <= this.crlfDelay && string[0] === '\n') {
      string = string.slice(1);
    }
    this._sawReturnAt = string.endsWith('\r') ? Date.now() : 0;
    const pieces = (this._pending + string).split(/\r\n|\n|\r/);
    this._pending = pieces.pop();
    for (const line of pieces) {
      if (this.closed) return;
      this._onLine(line);
    }
  }

  write(data, key) {
    if (this.closed) throw new ERR_USE_AFTER_CLOSE('readline');
    if (this.paused) this.resume();
    if (data !== undefined && data !== null) this._normalWrite(data);
  }

  pause() {
    if (this.paused) return;
    this.input.pause?.();
    this.paused = true;
    this.emit('pause');
    return this;
  }

  resume() {
    if (!this.paused) return;
    this.input.resume?.();
    this.paused = false;
    this.emit('resume');
    return this;
  }

  close() {
    if (this.closed) return;
    this.pause();
    this.closed = true;
    this.emit('close');
  }

  [Symbol.dispose]() {
    this.close();
  }

  getCursorPos() {
    return { rows: 0, cols: this.cursor };
  }

  [Symbol.asyncIterator]() {
    if (this[kLineStream] === undefined) {
      const { Readable } = require('stream');
      const readable = new Readable({
        objectMode: true,
        read: () => this.resume(),
        destroy: (err, cb) => {
          this.off('line', onLine);
          this.off('close', onClose);
          this.close();
          cb(err);
        },
      });
      const onLine = (line) => {
        if (!readable.push(line)) this.pause();
      };
      const onClose = () => readable.push(null);
      this.on('line', onLine);
      this.on('close', onClose);
      this.on('error', (err) => readable.destroy(err));
      this[kLineStream] = readable;
    }
    return this[kLineStream][Symbol.asyncIterator]();
  }
}

module.exports = { Interface, kQuestionCallback, AbortError };
