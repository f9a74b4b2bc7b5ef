// lode:module internal/net
// What node:http needs from a net.Socket beyond its public face, filled in
// by node:net when it loads: reading straight into a consumer (the HTTP
// parser) instead of through the Readable, starting/stopping reads for
// backpressure, and writing past the Writable when it holds nothing.

module.exports = {
  // socket[kDirectData] = fn: each chunk read goes to fn, not push().
  kDirectData: Symbol('kDirectData'),
  setReading: null,
  writeDirect: null,
};
