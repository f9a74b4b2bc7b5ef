// lode:module _stream_transform
// The pre-v0.10 module name for stream.Transform.
module.exports = require('stream').Transform;
