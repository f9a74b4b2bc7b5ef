// lode:module cluster
// `node:cluster`: a primary forks workers (this program again, with
// NODE_UNIQUE_ID and an IPC channel) and follows their lifecycle:
// 'fork', 'online', 'message', 'disconnect', 'exit'. Workers may listen
// with `reusePort` or `exclusive`; Node's shared server handles (a worker's
// plain listen() served by the primary) are not built and say so.

const EventEmitter = require('events');
const { validateObject } = require('internal/validators');

const SCHED_NONE = 1;
const SCHED_RR = 2;
const isPrimary = process.env.NODE_UNIQUE_ID === undefined;

function Worker(options) {
  if (!(this instanceof Worker)) return new Worker(options);
  EventEmitter.call(this);
  this.exitedAfterDisconnect = undefined;
  this.state = options?.state || 'none';
  this.id = options?.id | 0;
  if (options?.process) {
    this.process = options.process;
    this.process.on('error', (code, signal) => this.emit('error', code, signal));
    this.process.on('message', (message, handle) => this.emit('message', message, handle));
  }
}
Object.setPrototypeOf(Worker.prototype, EventEmitter.prototype);
Object.setPrototypeOf(Worker, EventEmitter);

Worker.prototype.kill = function kill(signal = 'SIGTERM') {
  this.exitedAfterDisconnect = true;
  if (this.process.connected) this.process.disconnect();
  this.process.kill(signal);
};
Worker.prototype.destroy = Worker.prototype.kill;

Worker.prototype.send = function send(...args) {
  return this.process.send(...args);
};

Worker.prototype.isDead = function isDead() {
  return this.process.exitCode != null || this.process.signalCode != null;
};

Worker.prototype.isConnected = function isConnected() {
  return this.process.connected;
};

Worker.prototype.disconnect = function disconnect() {
  this.exitedAfterDisconnect = true;
  if (this.process.connected) this.process.disconnect();
  return this;
};

const cluster = new EventEmitter();
cluster.isWorker = !isPrimary;
cluster.isPrimary = isPrimary;
cluster.isMaster = isPrimary;
cluster.Worker = Worker;
cluster.SCHED_NONE = SCHED_NONE;
cluster.SCHED_RR = SCHED_RR;
cluster.schedulingPolicy = process.env.NODE_CLUSTER_SCHED_POLICY === 'none' ? SCHED_NONE : SCHED_RR;

if (isPrimary) {
  cluster.workers = {};
  cluster.settings = {};
  let ids = 0;

  cluster.setupPrimary = function setupPrimary(options) {
    if (options !== undefined) validateObject(options, 'options');
    cluster.settings = {
      args: process.argv.slice(2),
      exec: process.argv[1],
      execArgv: process.execArgv,
      silent: false,
      ...cluster.settings,
      ...options,
    };
    process.nextTick(() => cluster.emit('setup', cluster.settings));
  };
  cluster.setupMaster = cluster.setupPrimary;

  cluster.fork = function fork(env) {
    cluster.setupPrimary();
    const id = ++ids;
    const { fork: forkProcess } = require('child_process');
    const settings = cluster.settings;
    const child = forkProcess(settings.exec, settings.args, {
      cwd: settings.cwd,
      env: { ...process.env, ...env, NODE_UNIQUE_ID: `${id}` },
      execArgv: settings.execArgv,
      silent: settings.silent,
      stdio: settings.stdio,
      uid: settings.uid,
      gid: settings.gid,
      serialization: settings.serialization,
    });
    const worker = new Worker({ id, process: child });
    worker.state = 'none';
    cluster.workers[id] = worker;
    child.on('internalMessage', (message) => {
      if (message.cmd === 'NODE_CLUSTER' && message.act === 'online') {
        worker.state = 'online';
        worker.emit('online');
        cluster.emit('online', worker);
      }
    });
    worker.on('message', (message, handle) => cluster.emit('message', worker, message, handle));
    child.once('disconnect', () => {
      worker.state = 'disconnected';
      if (worker.exitedAfterDisconnect === undefined) worker.exitedAfterDisconnect = false;
      worker.emit('disconnect');
      cluster.emit('disconnect', worker);
    });
    child.once('exit', (code, signal) => {
      worker.state = 'dead';
      delete cluster.workers[id];
      if (worker.exitedAfterDisconnect === undefined) worker.exitedAfterDisconnect = false;
      worker.emit('exit', code, signal);
      cluster.emit('exit', worker, code, signal);
    });
    process.nextTick(() => cluster.emit('fork', worker));
    return worker;
  };

  cluster.disconnect = function disconnect(cb) {
    const workers = Object.values(cluster.workers);
    let left = workers.length;
    if (left === 0) {
      if (typeof cb === 'function') process.nextTick(cb);
      return;
    }
    for (const worker of workers) {
      worker.once('disconnect', () => {
        if (--left === 0 && typeof cb === 'function') cb();
      });
      worker.disconnect();
    }
  };
} else {
  const worker = new Worker({ id: +process.env.NODE_UNIQUE_ID | 0, process, state: 'online' });
  cluster.worker = worker;
  worker.disconnect = function disconnect() {
    this.exitedAfterDisconnect = true;
    if (process.connected) process.disconnect();
    return this;
  };
  worker.kill = function kill() {
    this.disconnect();
    process.exit(0);
  };
  worker.destroy = worker.kill;
  process.once('disconnect', () => {
    worker.emit('disconnect');
    if (!worker.exitedAfterDisconnect) process.exit(0);
  });
  if (process.connected) process.send({ cmd: 'NODE_CLUSTER', act: 'online' });
}

module.exports = cluster;
