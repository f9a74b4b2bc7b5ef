// lode:module internal/modules/cjs/loader
// CommonJS: Node's module wrapper, resolution algorithm (relative, absolute,
// node_modules walking up to the root, NODE_PATH, package.json `main` and
// `exports`, extension and index probing, symlinks resolved to real paths),
// the module cache, and `node:module`'s patchable internals.

const path = require('path');
const fs = binding('fs');
const { codes: { ERR_INVALID_ARG_VALUE, ERR_UNKNOWN_BUILTIN_MODULE } } = require('internal/errors');
const { validateString } = require('internal/validators');
const builtins = require('internal/modules/builtins');
const { resolvePackageMap } = require('internal/modules/package_map');
const { getOptionValue } = require('internal/options');
const { registerSource } = require('internal/process/execution');

const kIsFile = 0;
const kIsDirectory = 1;

function Module(id = '', parent) {
  this.id = id;
  this.path = path.dirname(id);
  Object.defineProperty(this, 'exports', { value: {}, writable: true, enumerable: true, configurable: true });
  updateChildren(parent, this, false);
  this.filename = null;
  this.loaded = false;
  this.children = [];
  Object.defineProperty(this, 'parentModule', { value: parent, writable: true, enumerable: false, configurable: true });
}

Object.defineProperty(Module.prototype, 'parent', {
  configurable: true,
  enumerable: false,
  get() { return this.parentModule; },
  set(value) { this.parentModule = value; },
});

function updateChildren(parent, child, scan) {
  const children = parent?.children;
  if (children && !(scan && children.includes(child))) children.push(child);
}

Module._cache = { __proto__: null };
Module._pathCache = { __proto__: null };
Module._extensions = { __proto__: null };
Module.globalPaths = [];
const kWrapper = ['(function (exports, require, module, __filename, __dirname) { ', '\n});'];
Module.wrapper = [...kWrapper];
const kWrap = function wrap(script) {
  return `${Module.wrapper[0]}${script}${Module.wrapper[1]}`;
};
Module.wrap = kWrap;
Module.builtinModules = builtins.publicIds();
Module.isBuiltin = builtins.isBuiltin;
Module.Module = Module;

const conditions = new Set(['require', 'node', 'module-sync', 'default', ...getOptionValue('--conditions')]);

function stat(filename) {
  return fs.statKind(filename);
}

function toRealPath(requestPath) {
  return fs.moduleRealpath(requestPath);
}

const packageJsonCache = new Map();

function readPackage(dir) {
  if (packageJsonCache.has(dir)) return packageJsonCache.get(dir);
  const jsonPath = path.resolve(dir, 'package.json');
  let result = null;
  if (stat(jsonPath) === kIsFile) {
    const text = fs.readText(jsonPath);
    try {
      result = JSON.parse(text);
    } catch (err) {
      err.path = jsonPath;
      err.message = `Error parsing ${jsonPath}: ${err.message}`;
      throw err;
    }
    if (result === null || typeof result !== 'object') result = {};
  }
  packageJsonCache.set(dir, result);
  return result;
}

// The nearest package.json above `checkPath`, as { path, data }; cached
// per directory, since every module load asks.
const packageScopeCache = new Map();

function readPackageScope(checkPath) {
  return scopeOfDirectory(path.dirname(checkPath));
}

function scopeOfDirectory(dir) {
  let scope = packageScopeCache.get(dir);
  if (scope !== undefined) return scope;
  if (path.basename(dir) === 'node_modules') {
    scope = false;
  } else {
    const data = readPackage(dir);
    const parent = path.dirname(dir);
    scope = data ? { path: dir, data } : (parent === dir ? false : scopeOfDirectory(parent));
  }
  packageScopeCache.set(dir, scope);
  return scope;
}

// `kind` saves a stat when the caller already knows it.
function tryFile(requestPath, isMain, kind = stat(requestPath)) {
  if (kind !== kIsFile) return false;
  const preserve = getOptionValue(isMain ? '--preserve-symlinks-main' : '--preserve-symlinks');
  return preserve ? path.resolve(requestPath) : toRealPath(requestPath);
}

function tryExtensions(basePath, exts, isMain) {
  for (const ext of exts) {
    const filename = tryFile(basePath + ext, isMain);
    if (filename) return filename;
  }
  return false;
}

function tryPackage(requestPath, exts, isMain, originalPath) {
  const pkg = readPackage(requestPath);
  const main = pkg?.main;
  if (!main) return tryExtensions(path.resolve(requestPath, 'index'), exts, isMain);
  const filename = path.resolve(requestPath, main);
  const actual = tryFile(filename, isMain) ||
    tryExtensions(filename, exts, isMain) ||
    tryExtensions(path.resolve(filename, 'index'), exts, isMain);
  if (actual === false) {
    const fallback = tryExtensions(path.resolve(requestPath, 'index'), exts, isMain);
    if (!fallback) {
      const err = new Error(`Cannot find module '${filename}'. Please verify that the package.json has a valid "main" entry`);
      err.code = 'MODULE_NOT_FOUND';
      err.path = path.resolve(requestPath, 'package.json');
      err.requestPath = originalPath;
      throw err;
    }
    return fallback;
  }
  return actual;
}

function exportsNotFound(subpath, pkgDir, base) {
  const err = new Error(subpath === '.'
    ? `No "exports" main defined in ${pkgDir}/package.json`
    : `Package subpath '${subpath}' is not defined by "exports" in ${pkgDir}/package.json${base ? ` imported from ${base}` : ''}`);
  err.code = 'ERR_PACKAGE_PATH_NOT_EXPORTED';
  return err;
}

function resolveExports(pkgDir, subpath, exports, base) {
  return resolvePackageMap(pkgDir, subpath, exports, conditions, () => exportsNotFound(subpath, pkgDir, base));
}

// `pkg/sub` with a package.json `exports` field in a node_modules folder.
function resolveExportsFromDir(nmPath, request, parentPath) {
  const match = /^((?:@[^/\\%]+\/)?[^./\\%][^/\\%]*)(\/.*)?$/.exec(request);
  if (!match) return undefined;
  const pkgDir = path.resolve(nmPath, match[1]);
  const pkg = readPackage(pkgDir);
  if (!pkg || pkg.exports === undefined || pkg.exports === null) return undefined;
  const file = resolveExports(pkgDir, `.${match[2] || ''}`, pkg.exports, parentPath);
  return tryFile(file, false) || file;
}

// A package importing itself by name.
function resolveSelf(request, parentPath) {
  if (!parentPath) return false;
  const scope = readPackageScope(parentPath);
  if (!scope || !scope.data.exports || !scope.data.name) return false;
  const name = scope.data.name;
  if (request !== name && !request.startsWith(`${name}/`)) return false;
  const file = resolveExports(scope.path, `.${request.slice(name.length)}`, scope.data.exports, parentPath);
  return tryFile(file, false) || file;
}

// `#name` specifiers through the nearest package.json `imports`.
function resolveImports(request, parentPath) {
  const scope = readPackageScope(parentPath || path.resolve('x'));
  const imports = scope && scope.data.imports;
  if (!imports || typeof imports !== 'object') {
    const err = new TypeError(`Package import specifier "${request}" is not defined${scope ? ` in package ${scope.path}/package.json` : ''}${parentPath ? ` imported from ${parentPath}` : ''}`);
    err.code = 'ERR_PACKAGE_IMPORT_NOT_DEFINED';
    throw err;
  }
  try {
    const file = resolveExports(scope.path, request, imports, parentPath);
    if (typeof file === 'object') {
      // A package named by the entry resolves from the package's own folder.
      const filename = path.join(scope.path, 'package.json');
      return Module._resolveFilename(file.bare, { id: filename, filename, paths: Module._nodeModulePaths(scope.path) });
    }
    return tryFile(file, false) || file;
  } catch (e) {
    if (e.code !== 'ERR_PACKAGE_PATH_NOT_EXPORTED') throw e;
    const err = new TypeError(`Package import specifier "${request}" is not defined in package ${scope.path}/package.json${parentPath ? ` imported from ${parentPath}` : ''}`);
    err.code = 'ERR_PACKAGE_IMPORT_NOT_DEFINED';
    throw err;
  }
}

const kExtensions = () => Object.keys(Module._extensions);

Module._findPath = function findPath(request, paths, isMain) {
  const absoluteRequest = path.isAbsolute(request);
  if (absoluteRequest) paths = [''];
  else if (!paths || paths.length === 0) return false;
  const cacheKey = `${request}\x00${paths.join('\x00')}`;
  const cached = Module._pathCache[cacheKey];
  if (cached) return cached;
  const trailingSlash = request.length > 0 &&
    (request.endsWith('/') || request.endsWith('/.') || request.endsWith('/..') || request === '.' || request === '..');
  const exts = kExtensions();
  const relativeRequest = request.startsWith('.');
  for (const curPath of paths) {
    // A relative request looks in the requiring module's own folder, which
    // exists; only node_modules candidates need checking.
    if (curPath && !relativeRequest && !absoluteRequest) {
      if (stat(curPath) !== kIsDirectory) continue;
      const exported = resolveExportsFromDir(curPath, request, undefined);
      if (exported) {
        Module._pathCache[cacheKey] = exported;
        return exported;
      }
    }
    const basePath = path.resolve(curPath, request);
    let filename;
    const rc = stat(basePath);
    if (!trailingSlash) {
      if (rc === kIsFile) filename = tryFile(basePath, isMain, rc);
      if (!filename) filename = tryExtensions(basePath, exts, isMain);
    }
    if (!filename && rc === kIsDirectory) filename = tryPackage(basePath, exts, isMain, request);
    if (filename) {
      Module._pathCache[cacheKey] = filename;
      return filename;
    }
  }
  return false;
};

Module._nodeModulePaths = function nodeModulePaths(from) {
  from = path.resolve(from);
  if (from === '/') return ['/node_modules'];
  const parts = from.split('/');
  const paths = [];
  for (let i = parts.length; i > 0; i--) {
    if (parts[i - 1] === 'node_modules') continue;
    const dir = parts.slice(0, i).join('/');
    paths.push(`${dir}/node_modules`);
  }
  paths.push('/node_modules');
  return paths;
};

Module._resolveLookupPaths = function resolveLookupPaths(request, parent) {
  if (builtins.isBuiltin(request)) return null;
  if (request[0] !== '.' || (request.length > 1 && request[1] !== '.' && request[1] !== '/')) {
    let paths = parent?.paths?.length ? parent.paths.concat(Module.globalPaths) : Module.globalPaths;
    return paths.length > 0 ? paths : null;
  }
  if (!parent || !parent.id || !parent.filename) return ['.'];
  return [path.dirname(parent.filename)];
};

function requireStackOf(parent) {
  const stack = [];
  for (let cursor = parent; cursor; cursor = cursor.parentModule) stack.push(cursor.filename || cursor.id);
  return stack;
}

Module._resolveFilename = function resolveFilename(request, parent, isMain, options) {
  if (builtins.isBuiltin(request) || builtins.isExposedInternal(request)) return request;
  let paths;
  if (typeof options === 'object' && options !== null) {
    if (Array.isArray(options.paths)) {
      const isRelative = request.startsWith('./') || request.startsWith('../');
      if (isRelative) {
        paths = options.paths;
      } else {
        const fake = new Module('', null);
        paths = [];
        for (const p of options.paths) {
          fake.paths = Module._nodeModulePaths(p);
          for (const lookup of Module._resolveLookupPaths(request, fake) || []) {
            if (!paths.includes(lookup)) paths.push(lookup);
          }
        }
      }
    } else if (options.paths === undefined) {
      paths = Module._resolveLookupPaths(request, parent);
    } else {
      throw new ERR_INVALID_ARG_VALUE('options.paths', options.paths);
    }
  } else {
    paths = Module._resolveLookupPaths(request, parent);
  }
  if (request[0] === '#' && (parent?.filename || parent?.id === '<repl>')) {
    return resolveImports(request, parent.filename);
  }
  const isBare = request[0] !== '.' && request[0] !== '/';
  const selfResolved = isBare && resolveSelf(request, parent?.filename);
  if (selfResolved) return selfResolved;
  const filename = Module._findPath(request, paths, isMain);
  if (filename) return filename;
  const requireStack = requireStackOf(parent);
  let message = `Cannot find module '${request}'`;
  if (requireStack.length > 0) message += `\nRequire stack:\n- ${requireStack.join('\n- ')}`;
  const err = new Error(message);
  err.code = 'MODULE_NOT_FOUND';
  err.requireStack = requireStack;
  throw err;
};

Module._load = function load(request, parent, isMain) {
  if (request.startsWith('node:')) {
    const id = request.slice(5);
    if (!builtins.canBeRequiredByUsers(id, true)) throw new ERR_UNKNOWN_BUILTIN_MODULE(request);
    return builtins.load(id);
  }
  const filename = Module._resolveFilename(request, parent, isMain);
  if (builtins.isBuiltin(filename) || builtins.isExposedInternal(filename)) return builtins.load(filename);
  const cached = Module._cache[filename];
  if (cached !== undefined) {
    updateChildren(parent, cached, true);
    return cached.exports;
  }
  const module = new Module(filename, parent);
  if (isMain) {
    process.mainModule = module;
    setRequireMain(module);
    module.id = '.';
  }
  Module._cache[filename] = module;
  let threw = true;
  try {
    module.load(filename);
    threw = false;
  } finally {
    if (threw) {
      delete Module._cache[filename];
      if (parent !== undefined && parent !== null) {
        const index = parent.children.indexOf(module);
        if (index !== -1) parent.children.splice(index, 1);
      }
    }
  }
  return module.exports;
};

let mainModule;
function setRequireMain(module) {
  mainModule = module;
}

Module.prototype.load = function load(filename) {
  this.filename = filename;
  this.paths = Module._nodeModulePaths(path.dirname(filename));
  if (isESMFile(filename)) {
    // require(esm), as in Node 22+: the namespace of a synchronous module graph.
    this.exports = require('internal/modules/esm/loader')
      .requireESM(filename, this.parentModule?.filename, requireStackOf(this.parentModule));
    this.loaded = true;
    return;
  }
  let extension = path.extname(filename);
  if (!Module._extensions[extension]) extension = '.js';
  try {
    Module._extensions[extension](this, filename);
  } catch (err) {
    if (!hasModuleSyntax(filename, err)) throw err;
    if (this.id === '.') throw new ModuleSyntaxDetected(filename);
    this.exports = require('internal/modules/esm/loader')
      .requireESM(filename, this.parentModule?.filename, requireStackOf(this.parentModule));
  }
  this.loaded = true;
};

Module.prototype.require = function require(id) {
  validateString(id, 'id');
  if (id === '') throw new ERR_INVALID_ARG_VALUE('id', id, 'must be a non-empty string');
  return Module._load(id, this, false);
};

function stripShebang(content) {
  if (content.startsWith('#!')) {
    const end = content.indexOf('\n');
    return end === -1 ? '' : `//${content.slice(2)}`;
  }
  return content;
}

Module.prototype._compile = function _compile(content, filename) {
  // Node compiles a module as a function body, so positions in it are the
  // file's. Here the wrapper's header gets lines of its own, numbered -1
  // and 0 (the engine takes 0 for "unnumbered").
  // A wrapper patched by a tool shares line 1 with the code instead (as in
  // Node, whose line 1 columns then shift too).
  const source = stripShebang(content);
  const patched = Module.wrap !== kWrap || Module.wrapper[0] !== kWrapper[0] || Module.wrapper[1] !== kWrapper[1];
  const compiledWrapper = patched
    ? internals.evalScript(Module.wrap(source), filename, 1)
    : internals.evalScript(`${kWrapper[0]}\n\n${source}${kWrapper[1]}`, filename, -1);
  const dirname = path.dirname(filename);
  const require = makeRequireFunction(this);
  return Reflect.apply(compiledWrapper, this.exports, [this.exports, require, this, filename, dirname]);
};

Module._extensions['.js'] = function loadJs(module, filename) {
  const content = fs.readText(filename);
  module._compile(content, filename);
};

Module._extensions['.json'] = function loadJson(module, filename) {
  const content = fs.readText(filename);
  try {
    module.exports = JSON.parse(content.charCodeAt(0) === 0xfeff ? content.slice(1) : content);
  } catch (err) {
    err.message = `${filename}: ${err.message}`;
    throw err;
  }
};

Module._extensions['.node'] = function loadNative(module, filename) {
  throw require('internal/errors').notImplemented(`loading native addon ${filename}`);
};

function makeRequireFunction(mod) {
  const require = function require(request) {
    return mod.require(request);
  };
  function resolve(request, options) {
    validateString(request, 'request');
    return Module._resolveFilename(request, mod, false, options);
  }
  require.resolve = resolve;
  resolve.paths = function paths(request) {
    validateString(request, 'request');
    return Module._resolveLookupPaths(request, mod);
  };
  Object.defineProperty(require, 'main', {
    configurable: true, enumerable: true, get() { return mainModule; }, set(v) { mainModule = v; },
  });
  require.extensions = Module._extensions;
  require.cache = Module._cache;
  return require;
}

Module.createRequire = function createRequire(filename) {
  let filepath = filename;
  if (typeof filename === 'object' && filename !== null && typeof filename.href === 'string') filename = filename.href;
  if (typeof filename === 'string' && filename.startsWith('file://')) {
    filepath = decodeURIComponent(filename.slice(7));
  } else if (typeof filename !== 'string' || !path.isAbsolute(filename)) {
    throw new ERR_INVALID_ARG_VALUE('filename', filename, 'must be a file URL object, file URL string, or absolute path string');
  }
  const trailingSlash = filepath.endsWith('/');
  const proxyPath = trailingSlash ? path.join(filepath, 'noop.js') : filepath;
  const m = new Module(proxyPath);
  m.filename = proxyPath;
  m.paths = Module._nodeModulePaths(m.path);
  return makeRequireFunction(m);
};

// The package.json governing `specifier` as resolved from `base`: a path
// or URL is taken as is, a bare package name is resolved like require().
Module.findPackageJSON = function findPackageJSON(specifier, base) {
  const toPath = (p) => String(p).replace(/^file:\/\//, '');
  const baseFile = base ? toPath(base) : path.join(process.cwd(), 'noop.js');
  specifier = String(specifier);
  let target;
  if (specifier.startsWith('file:') || path.isAbsolute(specifier) || specifier.startsWith('.')) {
    target = path.resolve(path.dirname(baseFile), toPath(specifier));
  } else {
    const parent = new Module(baseFile, null);
    parent.filename = baseFile;
    parent.paths = Module._nodeModulePaths(path.dirname(baseFile));
    target = Module._resolveFilename(specifier, parent, false);
  }
  let dir = stat(target) === kIsDirectory ? target : path.dirname(target);
  for (;;) {
    const candidate = path.join(dir, 'package.json');
    if (stat(candidate) === kIsFile) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
};

Module.syncBuiltinESMExports = function syncBuiltinESMExports() {};
Module.register = function register() {
  throw require('internal/errors').notImplemented('module.register');
};
Module.registerHooks = function registerHooks() {
  throw require('internal/errors').notImplemented('module.registerHooks');
};
Module.enableCompileCache = function enableCompileCache() {
  return { status: 2, message: 'Lode compiles built-ins ahead of time' };
};
Module.getCompileCacheDir = function getCompileCacheDir() {
  return undefined;
};
Module.constants = { compileCacheStatus: { FAILED: 0, ENABLED: 1, ALREADY_ENABLED: 2, DISABLED: 3 } };

Module._initPaths = function initPaths() {
  const home = process.env.HOME;
  const nodePath = process.env.NODE_PATH;
  const prefixDir = path.resolve(process.execPath, '..', '..');
  let paths = [path.resolve(prefixDir, 'lib', 'node')];
  if (home) {
    paths.unshift(path.resolve(home, '.node_libraries'));
    paths.unshift(path.resolve(home, '.node_modules'));
  }
  if (nodePath) paths = nodePath.split(path.delimiter).filter(Boolean).concat(paths);
  Module.globalPaths = paths;
};
Module._initPaths();

function resolveMainPath(file) {
  return path.resolve(file);
}

// The entry point loads as an ES module when its format says so (.mjs, or
// .js under "type": "module"), through CommonJS otherwise.
function runMain(mainPath) {
  const filename = Module._findPath(mainPath, null, true);
  if (filename && isESMFile(filename)) {
    require('internal/modules/esm/loader').runMainESM(filename);
    return;
  }
  try {
    Module._load(mainPath, null, true);
  } catch (err) {
    if (!(err instanceof ModuleSyntaxDetected)) throw err;
    require('internal/modules/esm/loader').runMainESM(err.filename);
  }
}

// A typeless .js entry point that turned out to be written as an ES module.
class ModuleSyntaxDetected extends Error {
  constructor(filename) {
    super(`${filename} is an ES module`);
    this.filename = filename;
  }
}

// Node's module-syntax detection: a .js file outside any "type" that does
// not compile as CommonJS but parses as an ES module is one. `err` is the
// CommonJS compile error when the caller already has it.
function hasModuleSyntax(filename, err) {
  if (err !== undefined && !(err instanceof SyntaxError)) return false;
  if (!filename.endsWith('.js') || readPackageScope(filename)?.data?.type !== undefined) return false;
  const source = fs.readText(filename);
  if (err === undefined && internals.parsesAsScript(Module.wrap(stripShebang(source)))) return false;
  return internals.parsesAsModule(source);
}

function isESMFile(filename) {
  return filename.endsWith('.mjs') || (filename.endsWith('.js') && readPackageScope(filename)?.data?.type === 'module');
}

function preload(request) {
  const parent = new Module('internal/preload', null);
  parent.paths = Module._nodeModulePaths(process.cwd());
  parent.filename = path.join(process.cwd(), '[preload]');
  Module._load(request, parent, false);
}

// -e, -p and piped scripts: global code with `require` and friends in scope.
function evalScript(name, source, print) {
  registerSource(name, source);
  const module = new Module(name);
  module.filename = path.join(process.cwd(), name);
  module.paths = Module._nodeModulePaths(process.cwd());
  const require = makeRequireFunction(module);
  for (const [key, value] of [['module', module], ['exports', module.exports], ['require', require],
    ['__filename', name], ['__dirname', '.']]) {
    Object.defineProperty(globalThis, key, { value, writable: true, configurable: true, enumerable: false });
  }
  if (name === '[eval]') addBuiltinsToGlobal(require);
  const result = internals.evalScript(stripShebang(source), name, 1);
  if (print) console.log(result);
}

// As Node for -e and -p: built-in modules as globals (`fs`, `vm`...),
// required on first use; assigning one replaces it.
function addBuiltinsToGlobal(require) {
  for (const id of require('module').builtinModules) {
    if (id.startsWith('_') || id.includes('/') || Object.prototype.hasOwnProperty.call(globalThis, id)) continue;
    const define = (value) => Object.defineProperty(globalThis, id, { value, writable: true, configurable: true, enumerable: false });
    Object.defineProperty(globalThis, id, {
      get() {
        const lib = require(id);
        define(lib);
        return lib;
      },
      set: define,
      configurable: true,
      enumerable: false,
    });
  }
}

module.exports = { Module, runMain, resolveMainPath, preload, evalScript, hasModuleSyntax };
