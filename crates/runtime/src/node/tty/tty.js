// lode:module tty
// `node:tty`: whether a descriptor is a terminal. The ReadStream and
// WriteStream classes arrive with streams and net.Socket.

const { notImplementedFunction } = require('internal/errors');
const native = binding('process');

function isatty(fd) {
  return Number.isInteger(fd) && fd >= 0 && fd <= 2147483647 && native.isatty(fd);
}

module.exports = {
  isatty,
  ReadStream: notImplementedFunction('tty.ReadStream', 'ReadStream'),
  WriteStream: notImplementedFunction('tty.WriteStream', 'WriteStream'),
};
