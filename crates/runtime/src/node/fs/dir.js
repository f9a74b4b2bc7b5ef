// lode:module internal/fs/dir
// `fs.Dir` and `opendir`: a directory handle whose entries are read when it
// is opened (in one native scandir, on the blocking pool for the async
// forms) and handed out one Dirent at a time.

const { ops } = require('internal/fs/ops');
const { getValidatedPath, getOptions } = require('internal/fs/utils');
const { codes: { ERR_DIR_CLOSED, ERR_MISSING_ARGS } } = require('internal/errors');
const { validateFunction, validateUint32 } = require('internal/validators');

class Dir {
  #path;
  #entries;
  #closed = false;

  constructor(path, entries) {
    if (entries === undefined) throw new ERR_MISSING_ARGS('handle');
    this.#path = path;
    this.#entries = entries;
  }

  get path() {
    return this.#path;
  }

  readSync() {
    if (this.#closed) throw new ERR_DIR_CLOSED();
    return this.#entries.shift() ?? null;
  }

  read(callback) {
    if (callback === undefined) {
      return new Promise((resolve, reject) => this.read((err, entry) => (err ? reject(err) : resolve(entry))));
    }
    validateFunction(callback, 'callback');
    if (this.#closed) throw new ERR_DIR_CLOSED();
    process.nextTick(callback, null, this.#entries.shift() ?? null);
  }

  closeSync() {
    if (this.#closed) throw new ERR_DIR_CLOSED();
    this.#closed = true;
  }

  close(callback) {
    if (callback === undefined) {
      return new Promise((resolve, reject) => this.close((err) => (err ? reject(err) : resolve())));
    }
    validateFunction(callback, 'callback');
    if (this.#closed) {
      process.nextTick(callback, new ERR_DIR_CLOSED());
      return;
    }
    this.#closed = true;
    process.nextTick(callback, null);
  }

  async* entries() {
    try {
      while (true) {
        const entry = await this.read();
        if (entry === null) break;
        yield entry;
      }
    } finally {
      if (!this.#closed) await this.close();
    }
  }

  [Symbol.asyncIterator]() {
    return this.entries();
  }

  [Symbol.dispose]() {
    if (!this.#closed) this.closeSync();
  }

  async [Symbol.asyncDispose]() {
    if (!this.#closed) await this.close();
  }
}

function openArgs(path, options) {
  path = getValidatedPath(path);
  options = getOptions(options, { encoding: 'utf8' });
  if (options.bufferSize !== undefined) validateUint32(options.bufferSize, 'options.bufferSize', true);
  return { path, options: { encoding: options.encoding, withFileTypes: true, recursive: !!options.recursive } };
}

function opendirSync(path, options) {
  ({ path, options } = openArgs(path, options));
  return new Dir(String(path), ops.readdir(undefined, path, options));
}

function opendir(path, options, callback) {
  if (typeof options === 'function') {
    callback = options;
    options = undefined;
  }
  validateFunction(callback, 'callback');
  ({ path, options } = openArgs(path, options));
  ops.readdir((err, entries) => (err ? callback(err) : callback(null, new Dir(String(path), entries))), path, options);
}

module.exports = { Dir, api: { Dir, opendir, opendirSync } };
