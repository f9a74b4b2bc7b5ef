// lode:module _stream_writable
// The pre-v0.10 module name for stream.Writable.
module.exports = require('stream').Writable;
