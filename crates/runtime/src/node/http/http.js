// lode:module http
// `node:http`: HTTP/1.1 servers and clients over node:net. The pieces live
// in Node's own module names: _http_common (parser, tables, validation),
// _http_incoming, _http_outgoing, _http_server, _http_client, _http_agent.

const { METHODS, STATUS_CODES, validateHeaderName, validateHeaderValue } = require('_http_common');
const { IncomingMessage } = require('_http_incoming');
const { OutgoingMessage } = require('_http_outgoing');
const { Server, ServerResponse, createServer } = require('_http_server');
const { ClientRequest } = require('_http_client');
const agent = require('_http_agent');

function request(url, options, cb) {
  return new ClientRequest(url, options, cb);
}

function get(url, options, cb) {
  const req = request(url, options, cb);
  req.end();
  return req;
}

const maxHeaderSize = 16 * 1024;

module.exports = {
  METHODS: METHODS.slice().sort(),
  STATUS_CODES,
  Agent: agent.Agent,
  ClientRequest,
  IncomingMessage,
  OutgoingMessage,
  Server,
  ServerResponse,
  createServer,
  validateHeaderName,
  validateHeaderValue,
  get,
  request,
  setMaxIdleHTTPParsers(max) {
    require('internal/validators').validateInteger(max, 'max', 1);
  },
};

Object.defineProperty(module.exports, 'globalAgent', {
  configurable: true,
  enumerable: true,
  get() { return agent.globalAgent; },
  set(value) { agent.globalAgent = value; },
});

Object.defineProperty(module.exports, 'maxHeaderSize', {
  configurable: true,
  enumerable: true,
  get() { return maxHeaderSize; },
});
