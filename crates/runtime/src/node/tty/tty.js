// lode:module tty
// `node:tty`: whether a descriptor is a terminal. The ReadStream and
// WriteStream classes are not built yet, so they are absent.

const native = binding('process');

function isatty(fd) {
  return Number.isInteger(fd) && fd >= 0 && fd <= 2147483647 && native.isatty(fd);
}

module.exports = {
  isatty,
};
