// lode:module url
// `node:url`: the WHATWG URL API (internal/url) and the legacy
// url.parse/resolve API (internal/url/legacy).

const {
  URL, URLSearchParams, fileURLToPath, pathToFileURL, urlToHttpOptions, format, domainToASCII, domainToUnicode,
} = require('internal/url');
const legacy = require('internal/url/legacy');

module.exports = {
  URL,
  URLSearchParams,
  fileURLToPath,
  pathToFileURL,
  urlToHttpOptions,
  format,
  domainToASCII,
  domainToUnicode,
  parse: legacy.parse,
  resolve: legacy.resolve,
  resolveObject: legacy.resolveObject,
  Url: legacy.Url,
};
