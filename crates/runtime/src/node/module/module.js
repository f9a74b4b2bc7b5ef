// lode:module module
// `node:module`: the CommonJS Module class with its statics.

module.exports = require('internal/modules/cjs/loader').Module;
