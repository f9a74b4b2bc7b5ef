// lode:module readline
// `node:readline`: createInterface (internal/readline/interface), the ANSI
// cursor helpers, and emitKeypressEvents for streams read key by key.

const { Interface } = require('internal/readline/interface');
const { validateFunction } = require('internal/validators');
const { codes: { ERR_INVALID_ARG_VALUE, ERR_INVALID_CURSOR_POS } } = require('internal/errors');

const CSI = (strings, ...args) => `\x1b[${strings.reduce((out, s, i) => out + args[i - 1] + s)}`;

function createInterface(input, output, completer, terminal) {
  return new Interface(input, output, completer, terminal);
}

// Writes `data` to the stream (if any), then calls back as Node's helpers do.
function writeCsi(stream, data, callback) {
  if (callback !== undefined) validateFunction(callback, 'callback');
  if (stream == null) {
    if (typeof callback === 'function') process.nextTick(callback, null);
    return true;
  }
  return stream.write(data, callback);
}

function cursorTo(stream, x, y, callback) {
  if (typeof y === 'function') {
    callback = y;
    y = undefined;
  }
  if (Number.isNaN(x)) throw new ERR_INVALID_ARG_VALUE('x', x);
  if (Number.isNaN(y)) throw new ERR_INVALID_ARG_VALUE('y', y);
  if (stream == null || (typeof x !== 'number' && typeof y !== 'number')) {
    if (typeof callback === 'function') process.nextTick(callback, null);
    return true;
  }
  if (typeof x !== 'number') throw new ERR_INVALID_CURSOR_POS();
  const data = typeof y !== 'number' ? CSI`${x + 1}G` : CSI`${y + 1};${x + 1}H`;
  return writeCsi(stream, data, callback);
}

function moveCursor(stream, dx, dy, callback) {
  if (stream == null || !(dx || dy)) {
    if (typeof callback === 'function') process.nextTick(callback, null);
    return true;
  }
  let data = '';
  if (dx < 0) data += CSI`${-dx}D`;
  else if (dx > 0) data += CSI`${dx}C`;
  if (dy < 0) data += CSI`${-dy}A`;
  else if (dy > 0) data += CSI`${dy}B`;
  return writeCsi(stream, data, callback);
}

function clearLine(stream, dir, callback) {
  const type = dir < 0 ? CSI`1K` : dir > 0 ? CSI`0K` : CSI`2K`;
  return writeCsi(stream, type, callback);
}

function clearScreenDown(stream, callback) {
  return writeCsi(stream, CSI`0J`, callback);
}

// 'keypress' events for a stream read character by character: plain
// characters, Enter, Backspace, Tab, Escape, arrows, and Ctrl+letter.
const kKeypressDecoder = Symbol('kKeypressDecoder');
function emitKeypressEvents(stream) {
  if (stream[kKeypressDecoder]) return;
  stream[kKeypressDecoder] = true;
  const names = { '\r': 'return', '\n': 'enter', '\t': 'tab', '\x7f': 'backspace', '\b': 'backspace', '\x1b': 'escape', ' ': 'space' };
  const arrows = { '\x1b[A': 'up', '\x1b[B': 'down', '\x1b[C': 'right', '\x1b[D': 'left', '\x1b[H': 'home', '\x1b[F': 'end' };
  stream.on('data', (data) => {
    if (stream.listenerCount('keypress') === 0) return;
    const text = String(data);
    for (let i = 0; i < text.length; i++) {
      const three = text.slice(i, i + 3);
      if (arrows[three]) {
        stream.emit('keypress', undefined, { sequence: three, name: arrows[three], ctrl: false, meta: false, shift: false });
        i += 2;
        continue;
      }
      const ch = text[i];
      const code = ch.charCodeAt(0);
      const key = { sequence: ch, name: undefined, ctrl: false, meta: false, shift: false };
      if (names[ch]) key.name = names[ch];
      else if (code <= 26) {
        key.name = String.fromCharCode(code + 96);
        key.ctrl = true;
      } else if (/[a-z0-9]/.test(ch)) key.name = ch;
      else if (/[A-Z]/.test(ch)) {
        key.name = ch.toLowerCase();
        key.shift = true;
      }
      stream.emit('keypress', ch.length === 1 && code >= 32 && code !== 127 ? ch : undefined, key);
    }
  });
}

module.exports = {
  Interface,
  createInterface,
  cursorTo,
  moveCursor,
  clearLine,
  clearScreenDown,
  emitKeypressEvents,
  get promises() {
    return require('readline/promises');
  },
};
