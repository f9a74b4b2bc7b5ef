// lode:module internal/child_process/channel
// The IPC channel of fork(): send()/'message'/disconnect() on a
// ChildProcess in the parent and on `process` in the child, one JSON
// message per line. The channel holds the process open only while someone
// listens for 'message' or 'disconnect', as in Node.

const native = binding('child_process');
const {
  codes: { ERR_IPC_CHANNEL_CLOSED, ERR_IPC_DISCONNECTED, ERR_MISSING_ARGS, ERR_INVALID_ARG_TYPE },
} = require('internal/errors');
const { validateObject } = require('internal/validators');

const kChannel = Symbol('kChannel');
// Called once the channel is closed, by either side (a ChildProcess counts
// it before emitting 'close').
const kOnChannelClosed = Symbol('kOnChannelClosed');

// Called with each line from the peer, and null once it is gone.
function onLine(target, line) {
  if (line === null) {
    if (target.connected) finishDisconnect(target);
    return;
  }
  let message;
  try {
    message = JSON.parse(line);
  } catch (err) {
    target.emit('error', err);
    return;
  }
  // Node's internal messages (cluster, handles) are not for user code.
  if (message !== null && typeof message === 'object' && typeof message.cmd === 'string' && message.cmd.startsWith('NODE_')) {
    target.emit('internalMessage', message);
    return;
  }
  target.emit('message', message, undefined);
}

function finishDisconnect(target) {
  target.connected = false;
  native.channelClose(target[kChannel]);
  process.nextTick(() => {
    target.emit('disconnect');
    target[kOnChannelClosed]?.();
  });
}

function send(message, handle, options, callback) {
  if (typeof handle === 'function') {
    callback = handle;
    handle = undefined;
    options = undefined;
  } else if (typeof options === 'function') {
    callback = options;
    options = undefined;
  } else if (options !== undefined) {
    validateObject(options, 'options');
  }
  if (!this.connected) {
    const err = new ERR_IPC_CHANNEL_CLOSED();
    if (typeof callback === 'function') process.nextTick(callback, err);
    else process.nextTick(() => this.emit('error', err));
    return false;
  }
  if (message === undefined) throw new ERR_MISSING_ARGS('message');
  if (!['string', 'object', 'number', 'boolean'].includes(typeof message)) {
    throw new ERR_INVALID_ARG_TYPE('message', ['string', 'object', 'number', 'boolean'], message);
  }
  if (handle !== undefined) throw require('internal/errors').notImplemented('sending handles over IPC');
  native.channelSend(this[kChannel], JSON.stringify(message), (err) => {
    if (typeof callback === 'function') callback(err ?? null);
    else if (err && !options?.swallowErrors) this.emit('error', err);
  });
  return true;
}

function disconnect() {
  if (!this.connected) {
    this.emit('error', new ERR_IPC_DISCONNECTED());
    return;
  }
  finishDisconnect(this);
}

// Gives `target` (a ChildProcess or process) the channel with handle `id`.
function setupChannel(target, id) {
  target[kChannel] = id;
  target.connected = true;
  target.send = send;
  target._send = send;
  target.disconnect = disconnect;
  target.channel = {
    ref() { native.channelRef(id, true); },
    unref() { native.channelRef(id, false); },
    get fd() { return undefined; },
  };
  // Listeners for messages keep the channel (and the process) alive.
  const wanted = () => target.listenerCount('message') + target.listenerCount('disconnect') > 0;
  const update = () => process.nextTick(() => {
    if (target.connected) native.channelRef(id, wanted());
  });
  target.on('newListener', (name) => {
    if (name === 'message' || name === 'disconnect') update();
  });
  target.on('removeListener', (name) => {
    if (name === 'message' || name === 'disconnect') update();
  });
}

// The child's side, from NODE_CHANNEL_FD.
function setupChild(fd) {
  const id = native.openChannel(fd, (line) => onLine(process, line));
  setupChannel(process, id);
}

module.exports = { setupChannel, setupChild, onLine, kOnChannelClosed };
