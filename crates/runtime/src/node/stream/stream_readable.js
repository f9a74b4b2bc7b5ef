// lode:module _stream_readable
// The pre-v0.10 module name for stream.Readable.
module.exports = require('stream').Readable;
