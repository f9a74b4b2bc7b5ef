// lode:module _http_agent
// http.Agent: a pool of client connections per host:port. A request takes
// a free socket (most recently freed first), else a new one while under
// maxSockets, else waits. A socket whose response ended with keep-alive
// comes back 'free' and, when nobody waits, is kept (unref'ed, so it does
// not hold the process) for the next request.

const net = require('net');
const EventEmitter = require('events');
const { validateNumber, validateOneOf } = require('internal/validators');

function Agent(options) {
  if (!(this instanceof Agent)) return new Agent(options);
  EventEmitter.call(this);
  this.defaultPort = 80;
  this.protocol = 'http:';
  this.options = { __proto__: null, ...options };
  if (this.options.noDelay === undefined) this.options.noDelay = true;
  this.options.path = null;
  this.requests = { __proto__: null };
  this.sockets = { __proto__: null };
  this.freeSockets = { __proto__: null };
  this.keepAliveMsecs = this.options.keepAliveMsecs || 1000;
  this.keepAlive = this.options.keepAlive || false;
  this.maxSockets = this.options.maxSockets || Agent.defaultMaxSockets;
  this.maxFreeSockets = this.options.maxFreeSockets || 256;
  this.scheduling = this.options.scheduling || 'lifo';
  this.maxTotalSockets = this.options.maxTotalSockets;
  this.totalSocketCount = 0;
  validateOneOf(this.scheduling, 'scheduling', ['fifo', 'lifo']);
  if (this.maxTotalSockets !== undefined) validateNumber(this.maxTotalSockets, 'maxTotalSockets', 1);
  else this.maxTotalSockets = Infinity;

  this.on('free', (socket, options) => {
    const name = this.getName(options);
    const requests = this.requests[name];
    if (socket.writable && requests && requests.length) {
      const req = requests.shift();
      if (!requests.length) delete this.requests[name];
      req.reusedSocket = true;
      setRequestSocket(this, req, socket);
      return;
    }
    const req = socket._httpMessage;
    if (!req || !req.shouldKeepAlive || !this.keepAlive || !socket.writable) {
      socket.destroy();
      return;
    }
    const free = (this.freeSockets[name] ??= []);
    if (this.totalSocketCount > this.maxTotalSockets || free.length >= this.maxFreeSockets || !this.keepSocketAlive(socket)) {
      socket.destroy();
      return;
    }
    removeFrom(this.sockets, name, socket);
    free.push(socket);
  });
}
Object.setPrototypeOf(Agent.prototype, EventEmitter.prototype);
Object.setPrototypeOf(Agent, EventEmitter);
Agent.defaultMaxSockets = Infinity;

function removeFrom(table, name, socket) {
  const list = table[name];
  if (!list) return false;
  const index = list.indexOf(socket);
  if (index === -1) return false;
  list.splice(index, 1);
  if (!list.length) delete table[name];
  return true;
}

Agent.prototype.createConnection = net.createConnection;

Agent.prototype.getName = function getName(options = {}) {
  let name = options.host || 'localhost';
  name += ':';
  if (options.port) name += options.port;
  name += ':';
  if (options.localAddress) name += options.localAddress;
  if (options.family === 4 || options.family === 6) name += `:${options.family}`;
  if (options.socketPath) name += `:${options.socketPath}`;
  return name;
};

Agent.prototype.addRequest = function addRequest(req, options, port, localAddress) {
  if (typeof options === 'string') options = { __proto__: null, host: options, port, localAddress };
  options = { __proto__: null, ...options, ...this.options };
  if (options.socketPath) options.path = options.socketPath;
  options.servername ||= options.host;
  const name = this.getName(options);
  const free = this.freeSockets[name];
  let socket;
  while (free && free.length) {
    socket = this.scheduling === 'fifo' ? free.shift() : free.pop();
    if (!free.length) delete this.freeSockets[name];
    if (!socket.destroyed) break;
    socket = undefined;
  }
  if (socket) {
    this.reuseSocket(socket, req);
    setRequestSocket(this, req, socket);
    (this.sockets[name] ??= []).push(socket);
    return;
  }
  const count = (this.sockets[name]?.length ?? 0);
  if (count < this.maxSockets && this.totalSocketCount < this.maxTotalSockets) {
    this.createSocket(req, options, (err, newSocket) => {
      if (err) req.onSocket(newSocket, err);
      else setRequestSocket(this, req, newSocket);
    });
    return;
  }
  (this.requests[name] ??= []).push(req);
};

Agent.prototype.createSocket = function createSocket(req, options, cb) {
  options = { __proto__: null, ...options, ...this.options };
  if (options.socketPath) options.path = options.socketPath;
  options.servername ||= options.host;
  const name = this.getName(options);
  options._agentKey = name;
  let called = false;
  const oncreate = (err, socket) => {
    if (called) return;
    called = true;
    if (err) return cb(err);
    (this.sockets[name] ??= []).push(socket);
    this.totalSocketCount++;
    installListeners(this, socket, options);
    cb(null, socket);
  };
  const socket = this.createConnection(options, oncreate);
  if (socket) oncreate(null, socket);
};

function installListeners(agent, socket, options) {
  const name = agent.getName(options);
  const onFree = () => agent.emit('free', socket, options);
  const onClose = () => {
    agent.totalSocketCount--;
    removeFrom(agent.sockets, name, socket);
    removeFrom(agent.freeSockets, name, socket);
    // A waiting request gets the slot this socket held.
    const requests = agent.requests[name];
    if (requests && requests.length) {
      const req = requests.shift();
      if (!requests.length) delete agent.requests[name];
      agent.createSocket(req, options, (err, s) => (err ? req.onSocket(s, err) : setRequestSocket(agent, req, s)));
    }
  };
  const onTimeout = () => {
    // An idle pooled socket times out quietly.
    if (agent.freeSockets[name]?.includes(socket)) socket.destroy();
  };
  socket.on('free', onFree);
  socket.on('close', onClose);
  socket.on('timeout', onTimeout);
  socket.on('agentRemove', () => {
    socket.removeListener('free', onFree);
    socket.removeListener('close', onClose);
    socket.removeListener('timeout', onTimeout);
    removeFrom(agent.sockets, name, socket);
  });
}

function setRequestSocket(agent, req, socket) {
  req.onSocket(socket);
  const agentTimeout = agent.options.timeout || 0;
  if (req.timeout === undefined || req.timeout === agentTimeout) return;
  socket.setTimeout(req.timeout);
}

Agent.prototype.keepSocketAlive = function keepSocketAlive(socket) {
  socket.setKeepAlive(true, this.keepAliveMsecs);
  socket.unref();
  socket.setTimeout(this.options.timeout ?? 0);
  return true;
};

Agent.prototype.reuseSocket = function reuseSocket(socket, req) {
  req.reusedSocket = true;
  socket.ref();
};

Agent.prototype.destroy = function destroy() {
  for (const table of [this.freeSockets, this.sockets]) {
    for (const name of Object.keys(table)) for (const socket of [...table[name]]) socket.destroy();
  }
};

const globalAgent = new Agent({ keepAlive: true, scheduling: 'lifo', timeout: 5000 });

module.exports = { Agent, globalAgent };
