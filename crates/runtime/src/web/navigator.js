// lode:module internal/web/navigator
// The `navigator` global as Node provides it.

const os = require('os');
const { codes: { ERR_ILLEGAL_CONSTRUCTOR } } = require('internal/errors');

const kCreate = Symbol('create');

class Navigator {
  constructor(key) {
    if (key !== kCreate) throw new ERR_ILLEGAL_CONSTRUCTOR();
  }

  get hardwareConcurrency() {
    return os.availableParallelism();
  }

  get language() {
    return 'en-US';
  }

  get languages() {
    return ['en-US'];
  }

  get userAgent() {
    return `Node.js/${process.version.slice(1).split('.')[0]}`;
  }

  get platform() {
    return `${os.type()} ${os.machine()}`;
  }
}

module.exports = { Navigator, navigator: new Navigator(kCreate) };
