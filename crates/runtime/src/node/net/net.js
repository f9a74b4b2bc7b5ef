// lode:module net
// `node:net`: address helpers and socket defaults. Sockets and servers
// arrive with the networking work; until then they throw ERR_NOT_IMPLEMENTED.

const { notImplementedFunction } = require('internal/errors');
const { validateInt32, validateBoolean } = require('internal/validators');

const IPv4Part = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]\\d|\\d)';
const IPv4Pattern = new RegExp(`^(?:${IPv4Part}\\.){3}${IPv4Part}$`);
const IPv6Segment = '(?:[0-9a-fA-F]{1,4})';
const IPv4Tail = `(?:${IPv4Part}\\.){3}${IPv4Part}`;
const IPv6Pattern = new RegExp('^(?:' +
  `(?:${IPv6Segment}:){7}(?:${IPv6Segment}|:)|` +
  `(?:${IPv6Segment}:){6}(?:${IPv4Tail}|:${IPv6Segment}|:)|` +
  `(?:${IPv6Segment}:){5}(?::${IPv4Tail}|(?::${IPv6Segment}){1,2}|:)|` +
  `(?:${IPv6Segment}:){4}(?:(?::${IPv6Segment}){0,1}:${IPv4Tail}|(?::${IPv6Segment}){1,3}|:)|` +
  `(?:${IPv6Segment}:){3}(?:(?::${IPv6Segment}){0,2}:${IPv4Tail}|(?::${IPv6Segment}){1,4}|:)|` +
  `(?:${IPv6Segment}:){2}(?:(?::${IPv6Segment}){0,3}:${IPv4Tail}|(?::${IPv6Segment}){1,5}|:)|` +
  `(?:${IPv6Segment}:){1}(?:(?::${IPv6Segment}){0,4}:${IPv4Tail}|(?::${IPv6Segment}){1,6}|:)|` +
  `(?::(?:(?::${IPv6Segment}){0,5}:${IPv4Tail}|(?::${IPv6Segment}){1,7}|:))` +
  ')(?:%[0-9a-zA-Z-.:]{1,})?$');

function isIPv4(input) {
  return IPv4Pattern.test(`${input}`);
}

function isIPv6(input) {
  return IPv6Pattern.test(`${input}`);
}

function isIP(input) {
  if (isIPv4(input)) return 4;
  if (isIPv6(input)) return 6;
  return 0;
}

let autoSelectFamily = true;
let autoSelectFamilyAttemptTimeout = 250;


module.exports = {
  isIP,
  isIPv4,
  isIPv6,
  getDefaultAutoSelectFamily() {
    return autoSelectFamily;
  },
  setDefaultAutoSelectFamily(value) {
    validateBoolean(value, 'value');
    autoSelectFamily = value;
  },
  getDefaultAutoSelectFamilyAttemptTimeout() {
    return autoSelectFamilyAttemptTimeout;
  },
  setDefaultAutoSelectFamilyAttemptTimeout(value) {
    validateInt32(value, 'value', 1);
    autoSelectFamilyAttemptTimeout = value < 10 ? 10 : value;
  },
  createServer: notImplementedFunction('net.createServer'),
  createConnection: notImplementedFunction('net.createConnection'),
  connect: notImplementedFunction('net.connect'),
  Server: notImplementedFunction('net.Server'),
  Socket: notImplementedFunction('net.Socket'),
  Stream: notImplementedFunction('net.Stream'),
  BlockList: notImplementedFunction('net.BlockList'),
  SocketAddress: notImplementedFunction('net.SocketAddress'),
};
