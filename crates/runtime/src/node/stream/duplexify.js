// lode:module internal/streams/duplexify
// Duplex.from(): a stream passes through; iterables and strings become a
// readable-only Duplex. Other shapes (functions, promises, web streams,
// { readable, writable } pairs) are not built yet.

const { notImplemented } = require('internal/errors');
const { isNodeStream, isIterable } = require('internal/streams/utils');

function duplexify(body, name) {
  if (isNodeStream(body)) return body;
  if (isIterable(body) || typeof body === 'string') {
    const Duplex = require('internal/streams/duplex');
    const Readable = require('internal/streams/readable');
    const readable = Readable.from(body);
    const duplex = new Duplex({ objectMode: true, writable: false, read() {} });
    readable.on('data', (chunk) => {
      if (!duplex.push(chunk)) readable.pause();
    });
    duplex._read = () => readable.resume();
    readable.on('end', () => duplex.push(null));
    readable.on('error', (err) => duplex.destroy(err));
    return duplex;
  }
  throw notImplemented(`Duplex.from(${name} of this kind)`);
}

module.exports = duplexify;
