// lode:module stream/promises
// `node:stream/promises`: pipeline and finished returning promises.

const { pipelineImpl } = require('internal/streams/pipeline');
const { finishedPromise } = require('internal/streams/end_of_stream');
const { isIterable, isNodeStream } = require('internal/streams/utils');

function pipeline(...streams) {
  return new Promise((resolve, reject) => {
    let signal;
    let end;
    const last = streams[streams.length - 1];
    if (last && typeof last === 'object' && !isNodeStream(last) && !isIterable(last) && !Array.isArray(last)) {
      const options = streams.pop();
      signal = options.signal;
      end = options.end;
    }
    pipelineImpl(streams, (err, value) => (err ? reject(err) : resolve(value)), { signal, end });
  });
}

module.exports = { pipeline, finished: finishedPromise };
