// lode:module internal/url/file_url
// Conversions between absolute paths and file: URL strings, shared by
// node:url and the ES module loader (which must not load URL itself).

const { codes: { ERR_INVALID_URL } } = require('internal/errors');

// What Node's pathToFileURL percent-encodes besides controls and non-ASCII.
const kEncoded = '"#%<>?`{}[]^|~\\';

function encodePath(absolutePath) {
  let out = '';
  for (const ch of absolutePath) {
    const code = ch.codePointAt(0);
    if (code <= 0x20 || code >= 0x7f || kEncoded.includes(ch)) {
      for (const byte of new TextEncoder().encode(ch)) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    } else {
      out += ch;
    }
  }
  return out;
}

// `file://` + the encoded absolute path.
function pathToFileHref(absolutePath) {
  return `file://${encodePath(absolutePath)}`;
}

// The path of a file: URL string (host empty or localhost).
function fileHrefToPath(href) {
  const match = /^file:\/\/(?:localhost)?(\/[^?#]*)/.exec(href);
  if (!match) {
    const err = new ERR_INVALID_URL();
    err.input = href;
    throw err;
  }
  return decodeURIComponent(match[1]);
}

module.exports = { encodePath, pathToFileHref, fileHrefToPath };
