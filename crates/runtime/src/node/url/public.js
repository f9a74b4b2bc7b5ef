// lode:module url
// `node:url`: the WHATWG URL API (internal/url, less its internal isURL)
// and the legacy url.parse/resolve API (internal/url/legacy).

const { isURL, ...whatwg } = require('internal/url');
const legacy = require('internal/url/legacy');

module.exports = {
  ...whatwg,
  parse: legacy.parse,
  resolve: legacy.resolve,
  resolveObject: legacy.resolveObject,
  Url: legacy.Url,
};
