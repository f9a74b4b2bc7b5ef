// lode:module readline/promises
// `node:readline/promises`: an Interface whose question() returns a
// promise, and Readline, the cursor helpers as a queue of escape codes.

const { Interface: BaseInterface } = require('internal/readline/interface');
const { AbortError, codes: { ERR_USE_AFTER_CLOSE } } = require('internal/errors');
const { validateAbortSignal } = require('internal/validators');

class Interface extends BaseInterface {
  question(query, options = {}) {
    return new Promise((resolve, reject) => {
      if (this.closed) {
        reject(new ERR_USE_AFTER_CLOSE('readline'));
        return;
      }
      const { signal } = options;
      if (signal !== undefined) {
        validateAbortSignal(signal, 'options.signal');
        if (signal.aborted) {
          reject(new AbortError(undefined, { cause: signal.reason }));
          return;
        }
        const onAbort = () => {
          this._questionAborted = true;
          reject(new AbortError(undefined, { cause: signal.reason }));
        };
        signal.addEventListener('abort', onAbort, { once: true });
        super.question(query, (answer) => {
          signal.removeEventListener('abort', onAbort);
          resolve(answer);
        });
        return;
      }
      super.question(query, resolve);
    });
  }
}

function createInterface(input, output, completer, terminal) {
  return new Interface(input, output, completer, terminal);
}

class Readline {
  #stream;
  #todo = [];

  constructor(stream, options = undefined) {
    this.#stream = stream;
  }

  cursorTo(x, y = undefined) {
    this.#todo.push(typeof y === 'number' ? `\x1b[${y + 1};${x + 1}H` : `\x1b[${x + 1}G`);
    return this;
  }

  moveCursor(dx, dy) {
    if (dx < 0) this.#todo.push(`\x1b[${-dx}D`);
    else if (dx > 0) this.#todo.push(`\x1b[${dx}C`);
    if (dy < 0) this.#todo.push(`\x1b[${-dy}A`);
    else if (dy > 0) this.#todo.push(`\x1b[${dy}B`);
    return this;
  }

  clearLine(dir) {
    this.#todo.push(dir < 0 ? '\x1b[1K' : dir > 0 ? '\x1b[0K' : '\x1b[2K');
    return this;
  }

  clearScreenDown() {
    this.#todo.push('\x1b[0J');
    return this;
  }

  commit() {
    const data = this.#todo.join('');
    this.#todo = [];
    return new Promise((resolve) => this.#stream.write(data, resolve));
  }

  rollback() {
    this.#todo = [];
    return this;
  }
}

module.exports = { Interface, Readline, createInterface };
