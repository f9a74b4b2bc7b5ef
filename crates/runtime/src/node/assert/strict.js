// lode:module assert/strict
// `node:assert/strict`: assert in strict mode.

module.exports = require('assert').strict;
