// lode:module internal/net
// What node:http needs from a socket beyond its public face. A net.Socket
// can hand each chunk it reads straight to a consumer (the HTTP parser)
// instead of going through its Readable, and start/stop reading for
// backpressure; any other stream (a Duplex a test or a library passes as
// the socket) gets the same calls through 'data' and pause()/resume().
// node:net fills in the net.Socket side when it loads.

const kDirectData = Symbol('kDirectData');

const api = {
  kDirectData,
  // Set by node:net.
  isNetSocket: null,
  setReading: null,
  writeDirect: null,
  // Whether writes wait for 'drain' (through the Writable or writeDirect).
  isWriteBlocked: (socket) => socket.writableNeedDrain === true,

  attachConsumer(socket, fn) {
    if (api.isNetSocket(socket)) socket[kDirectData] = fn;
    else socket.on('data', fn);
  },

  detachConsumer(socket, fn) {
    if (api.isNetSocket(socket)) {
      if (socket[kDirectData] === fn) socket[kDirectData] = null;
    } else {
      socket.removeListener('data', fn);
    }
  },

  pauseReads(socket) {
    if (api.isNetSocket(socket) && socket[kDirectData]) api.setReading(socket, false);
    else socket.pause();
  },

  resumeReads(socket) {
    if (api.isNetSocket(socket) && socket[kDirectData]) api.setReading(socket, true);
    else if (socket.isPaused()) socket.resume();
  },
};

module.exports = api;
