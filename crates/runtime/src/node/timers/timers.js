// lode:module timers
// `node:timers`: the same functions as the globals, plus `promises`.

const timers = require('internal/timers');

module.exports = {
  setTimeout: timers.setTimeout,
  clearTimeout: timers.clearTimeout,
  setInterval: timers.setInterval,
  clearInterval: timers.clearTimeout,
  setImmediate: timers.setImmediate,
  clearImmediate: timers.clearImmediate,
  // Deprecated in Node but still used by old packages.
  active(timer) {
    timer?.refresh?.();
  },
  unenroll: timers.unenroll,
  _unrefActive(timer) {
    timer?.refresh?.();
  },
};
Object.defineProperty(module.exports, 'promises', {
  enumerable: true,
  configurable: true,
  get() {
    return require('timers/promises');
  },
});
