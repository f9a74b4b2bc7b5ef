// lode:module constants
// The deprecated (DEP0008, documentation only) `constants` module: os's
// dlopen, errno, priority and signal numbers, fs's and crypto's constants,
// merged into one frozen object, as Node builds it.

const os = require('os').constants;
const fs = require('internal/fs/utils').constants;
const crypto = require('crypto').constants;

Object.assign(exports, os.dlopen, os.errno, os.priority, os.signals, fs, crypto);
Object.freeze(exports);
