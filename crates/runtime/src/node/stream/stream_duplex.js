// lode:module _stream_duplex
// The pre-v0.10 module name for stream.Duplex.
module.exports = require('stream').Duplex;
