// lode:module worker_threads
// `node:worker_threads` as seen from the main thread. Creating workers
// arrives later and throws ERR_NOT_IMPLEMENTED until then.

const { notImplemented } = require('internal/errors');

function notYet(name) {
  return { [name]() { throw notImplemented(`worker_threads.${name}`); } }[name];
}

const environmentData = new Map();

module.exports = {
  isMainThread: true,
  isInternalThread: false,
  parentPort: null,
  resourceLimits: {},
  SHARE_ENV: Symbol.for('nodejs.worker_threads.SHARE_ENV'),
  threadId: 0,
  workerData: null,
  getEnvironmentData(key) {
    return environmentData.get(key);
  },
  setEnvironmentData(key, value) {
    if (value === undefined) environmentData.delete(key);
    else environmentData.set(key, value);
  },
  markAsUntransferable() {},
  isMarkedAsUntransferable() {
    return false;
  },
  markAsUncloneable() {},
  Worker: notYet('Worker'),
  MessageChannel: notYet('MessageChannel'),
  MessagePort: notYet('MessagePort'),
  BroadcastChannel: notYet('BroadcastChannel'),
  moveMessagePortToContext: notYet('moveMessagePortToContext'),
  receiveMessageOnPort: notYet('receiveMessageOnPort'),
  postMessageToThread: notYet('postMessageToThread'),
};
