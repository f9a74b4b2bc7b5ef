// lode:module path/posix
// `node:path/posix`: the POSIX flavour of path.

module.exports = require('path').posix;
