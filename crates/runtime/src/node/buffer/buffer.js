// lode:module buffer
// `node:buffer`: until Buffer itself lands with the core-library work, the
// module offers the encoding helpers the engine already has and its
// constants; `Buffer` throws ERR_NOT_IMPLEMENTED.

const { notImplemented } = require('internal/errors');

const kMaxLength = 2 ** 53 - 1;
const kStringMaxLength = 2 ** 30 - 25;

function notYet(name) {
  return { [name]() { throw notImplemented(`buffer.${name}`); } }[name];
}

module.exports = {
  atob: globalThis.atob,
  btoa: globalThis.btoa,
  kMaxLength,
  kStringMaxLength,
  constants: { MAX_LENGTH: kMaxLength, MAX_STRING_LENGTH: kStringMaxLength },
  INSPECT_MAX_BYTES: 50,
  Buffer: notYet('Buffer'),
  SlowBuffer: notYet('SlowBuffer'),
  Blob: notYet('Blob'),
  File: notYet('File'),
  transcode: notYet('transcode'),
  isUtf8: notYet('isUtf8'),
  isAscii: notYet('isAscii'),
  resolveObjectURL: notYet('resolveObjectURL'),
};
