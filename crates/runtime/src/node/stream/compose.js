// lode:module internal/streams/compose
// stream.compose(...streams): one Duplex whose writes go into the first
// stream and whose reads come out of the last, the streams (or async
// generator functions) piped together in between with pipeline().

const { pipeline } = require('internal/streams/pipeline');
const Duplex = require('internal/streams/duplex');
const { destroyer } = require('internal/streams/destroy');
const { isNodeStream, isReadableNodeStream, isWritableNodeStream } = require('internal/streams/utils');
const { AbortError, codes: { ERR_INVALID_ARG_VALUE, ERR_MISSING_ARGS } } = require('internal/errors');

function compose(...streams) {
  if (streams.length === 0) throw new ERR_MISSING_ARGS('streams');
  if (streams.length === 1) return Duplex.from(streams[0]);
  const given = [...streams];
  if (typeof streams[0] === 'function') streams[0] = Duplex.from(streams[0]);
  const last = streams.length - 1;
  if (typeof streams[last] === 'function') streams[last] = Duplex.from(streams[last]);
  for (let n = 0; n < streams.length; n++) {
    if (!isNodeStream(streams[n])) continue;
    if (n < last && !isReadableNodeStream(streams[n])) {
      throw new ERR_INVALID_ARG_VALUE(`streams[${n}]`, given[n], 'must be readable');
    }
    if (n > 0 && !isWritableNodeStream(streams[n])) {
      throw new ERR_INVALID_ARG_VALUE(`streams[${n}]`, given[n], 'must be writable');
    }
  }

  let ondrain;
  let onfinish;
  let onreadable;
  let onclose;
  let duplex;

  // The pipeline settled: hand the result to a pending destroy, or end
  // the composed stream with it.
  function onfinished(err) {
    const callback = onclose;
    onclose = null;
    if (callback) callback(err);
    else if (err) duplex.destroy(err);
    else if (!readable && !writable) duplex.destroy();
  }

  const head = streams[0];
  const tail = pipeline(streams, onfinished);
  const writable = !!isWritableNodeStream(head);
  const readable = !!isReadableNodeStream(tail);

  duplex = new Duplex({
    writableObjectMode: !!head?.writableObjectMode,
    readableObjectMode: !!tail?.readableObjectMode,
    writable,
    readable,
  });

  if (writable) {
    duplex._write = function (chunk, encoding, callback) {
      if (head.write(chunk, encoding)) callback();
      else ondrain = callback;
    };
    duplex._final = function (callback) {
      head.end();
      onfinish = callback;
    };
    head.on('drain', () => {
      if (ondrain) {
        const callback = ondrain;
        ondrain = null;
        callback();
      }
    });
    tail.on('finish', () => {
      if (onfinish) {
        const callback = onfinish;
        onfinish = null;
        callback();
      }
    });
  }

  if (readable) {
    tail.on('readable', () => {
      if (onreadable) {
        const callback = onreadable;
        onreadable = null;
        callback();
      }
    });
    tail.on('end', () => duplex.push(null));
    duplex._read = function () {
      while (true) {
        const chunk = tail.read();
        if (chunk === null) {
          onreadable = duplex._read;
          return;
        }
        if (!duplex.push(chunk)) return;
      }
    };
  }

  duplex._destroy = function (err, callback) {
    if (!err && onclose !== null) err = new AbortError();
    onreadable = null;
    ondrain = null;
    onfinish = null;
    if (onclose === null) {
      callback(err);
    } else {
      onclose = callback;
      if (isNodeStream(tail)) destroyer(tail, err);
    }
  };

  return duplex;
}

module.exports = compose;
