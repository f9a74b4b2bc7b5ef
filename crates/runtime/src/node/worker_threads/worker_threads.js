// lode:module worker_threads
// `node:worker_threads` as seen from the main thread. Creating workers
// arrives later and throws ERR_NOT_IMPLEMENTED until then.

const { notImplementedFunction } = require('internal/errors');


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
  Worker: notImplementedFunction('worker_threads.Worker'),
  MessageChannel: notImplementedFunction('worker_threads.MessageChannel'),
  MessagePort: notImplementedFunction('worker_threads.MessagePort'),
  BroadcastChannel: notImplementedFunction('worker_threads.BroadcastChannel'),
  moveMessagePortToContext: notImplementedFunction('worker_threads.moveMessagePortToContext'),
  receiveMessageOnPort: notImplementedFunction('worker_threads.receiveMessageOnPort'),
  postMessageToThread: notImplementedFunction('worker_threads.postMessageToThread'),
};
