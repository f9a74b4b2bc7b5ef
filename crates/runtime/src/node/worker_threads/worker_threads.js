// lode:module worker_threads
// `node:worker_threads` as seen from the main thread. Workers and message
// ports are not built yet, so Worker, MessageChannel and friends are absent
// (packages feature-detect them).

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
};
