// lode:module _stream_passthrough
// The pre-v0.10 module name for stream.PassThrough.
module.exports = require('stream').PassThrough;
