// lode:module internal/modules/esm/loader
// ES modules with Node's rules. The engine asks `resolve(specifier, base)`
// for a module key (an absolute file path, or `node:name` for built-ins) and
// `load(key)` for its source. Files that are not ES modules (CommonJS, JSON,
// built-ins) load as a small generated module whose default export is their
// exports object and whose named exports are that object's keys.

const path = require('path');
const fs = binding('fs');
const { Module, hasModuleSyntax } = require('internal/modules/cjs/loader');
const builtins = require('internal/modules/builtins');
const { resolvePackageMap } = require('internal/modules/package_map');
const { getOptionValue } = require('internal/options');

const kIsFile = 0;
const kIsDirectory = 1;
const conditions = new Set(['node', 'import', 'module-sync', 'default', ...getOptionValue('--conditions')]);

function esmError(code, message, Base = Error) {
  const err = new Base(message);
  err.code = code;
  return err;
}

const { pathToFileHref: pathToFileURL, fileHrefToPath: fileURLToPath } = require('internal/url/file_url');

function toPath(key) {
  return key.startsWith('file:') ? fileURLToPath(key) : key;
}

// The directory a base module key resolves relative specifiers against.
function baseDirectory(base) {
  if (base === '' || base.startsWith('[') || base.startsWith('node:')) return process.cwd();
  return path.dirname(toPath(base));
}

function displayBase(base) {
  return base === '' || base.startsWith('[') ? process.cwd() : toPath(base);
}

function realFile(filename) {
  try {
    return fs.realpath(filename, true);
  } catch {
    return filename;
  }
}

function readPackageJson(dir) {
  const file = path.join(dir, 'package.json');
  if (fs.statKind(file) !== kIsFile) return null;
  try {
    return JSON.parse(fs.readText(file));
  } catch (err) {
    throw esmError('ERR_INVALID_PACKAGE_CONFIG', `Invalid package config ${file}.`);
  }
}

function packageScope(filename) {
  let dir = path.dirname(filename);
  for (;;) {
    const pkg = readPackageJson(dir);
    if (pkg) return { dir, pkg };
    if (path.basename(dir) === 'node_modules') return null;
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

function resolveMap(dir, subpath, map, notFound) {
  return resolvePackageMap(dir, subpath, map, conditions, notFound);
}

function resolvePackage(specifier, base) {
  const m = /^((?:@[^/]+\/)?[^/]+)(\/.*)?$/.exec(specifier);
  if (!m) throw esmError('ERR_INVALID_MODULE_SPECIFIER', `Invalid module "${specifier}" imported from ${displayBase(base)}`, TypeError);
  const [, name, rest = ''] = m;
  const subpath = `.${rest}`;
  // A package importing itself by name.
  const scope = base && !base.startsWith('[') && !base.startsWith('node:') ? packageScope(toPath(base)) : null;
  if (scope?.pkg?.name === name && scope.pkg.exports !== undefined) {
    return resolveMap(scope.dir, subpath, scope.pkg.exports, () => notExported(subpath, scope.dir, base));
  }
  let dir = baseDirectory(base);
  for (;;) {
    const pkgDir = path.join(dir, 'node_modules', name);
    if (fs.statKind(pkgDir) === kIsDirectory) {
      const pkg = readPackageJson(pkgDir);
      if (pkg && pkg.exports !== undefined && pkg.exports !== null) {
        return resolveMap(pkgDir, subpath, pkg.exports, () => notExported(subpath, pkgDir, base));
      }
      if (subpath === '.') return legacyMain(pkgDir, pkg, base);
      return path.join(pkgDir, rest);
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw esmError('ERR_MODULE_NOT_FOUND', `Cannot find package '${name}' imported from ${displayBase(base)}`);
}

function notExported(subpath, pkgDir, base) {
  const message = subpath === '.'
    ? `No "exports" main defined in ${pkgDir}/package.json`
    : `Package subpath '${subpath}' is not defined by "exports" in ${pkgDir}/package.json imported from ${displayBase(base)}`;
  return esmError('ERR_PACKAGE_PATH_NOT_EXPORTED', message);
}

// A package without "exports": "main", with CommonJS-style probing.
function legacyMain(pkgDir, pkg, base) {
  const candidates = [];
  if (pkg?.main) {
    const main = path.resolve(pkgDir, pkg.main);
    candidates.push(main, `${main}.js`, `${main}.json`, `${main}.node`, path.join(main, 'index.js'));
  }
  candidates.push(path.join(pkgDir, 'index.js'), path.join(pkgDir, 'index.json'));
  for (const file of candidates) if (fs.statKind(file) === kIsFile) return file;
  throw esmError('ERR_MODULE_NOT_FOUND', `Cannot find package '${pkgDir}' imported from ${displayBase(base)}`);
}

function resolveImports(specifier, base) {
  const scope = packageScope(base === '' || base.startsWith('[') ? path.join(process.cwd(), 'x') : toPath(base));
  const notDefined = () => esmError('ERR_PACKAGE_IMPORT_NOT_DEFINED',
    `Package import specifier "${specifier}" is not defined${scope ? ` in package ${scope.dir}/package.json` : ''} imported from ${displayBase(base)}`,
    TypeError);
  if (!scope?.pkg?.imports) throw notDefined();
  const target = resolveMap(scope.dir, specifier, scope.pkg.imports, notDefined);
  // A package named by the entry resolves from the package's own folder.
  return typeof target === 'object' ? resolvePackage(target.bare, pathToFileURL(path.join(scope.dir, 'package.json'))) : target;
}

// require(esm) of a module with a default export hands CommonJS a facade
// that also exports `__esModule: true`, as Node does, so transpiled
// interop code picks `.default`.
const kInteropFacade = 'lode-require-esm:';

function resolve(specifier, base) {
  if (specifier.startsWith(kInteropFacade) || specifier === evalKey) return specifier;
  if (specifier.startsWith('node:')) {
    if (!builtins.isBuiltin(specifier)) {
      throw esmError('ERR_UNKNOWN_BUILTIN_MODULE', `No such built-in module: ${specifier}`);
    }
    return specifier;
  }
  if (builtins.isBuiltin(specifier)) return `node:${specifier}`;
  let filename;
  if (specifier.startsWith('file:')) {
    filename = fileURLToPath(specifier);
  } else if (specifier.startsWith('/') || specifier.startsWith('./') || specifier.startsWith('../') ||
      specifier === '.' || specifier === '..') {
    filename = path.resolve(baseDirectory(base), specifier);
  } else if (specifier.startsWith('#')) {
    filename = resolveImports(specifier, base);
  } else if (/^[a-zA-Z][a-zA-Z\d+.-]*:/.test(specifier)) {
    throw esmError('ERR_UNSUPPORTED_ESM_URL_SCHEME',
      `Only URLs with a scheme in: file, data, and node are supported by the default ESM loader. Received protocol '${specifier.split(':')[0]}:'`);
  } else {
    filename = resolvePackage(specifier, base);
  }
  const kind = fs.statKind(filename);
  if (kind === kIsDirectory) {
    throw esmError('ERR_UNSUPPORTED_DIR_IMPORT',
      `Directory import '${filename}' is not supported resolving ES modules imported from ${displayBase(base)}`);
  }
  if (kind !== kIsFile) {
    throw esmError('ERR_MODULE_NOT_FOUND', `Cannot find module '${filename}' imported from ${displayBase(base)}`);
  }
  return pathToFileURL(realFile(filename));
}

// How a file loads: as an ES module, or through CommonJS.
function formatOf(filename) {
  if (filename.endsWith('.mjs')) return 'module';
  if (filename.endsWith('.cjs')) return 'commonjs';
  if (filename.endsWith('.json')) return 'json';
  if (filename.endsWith('.js')) {
    const type = packageScope(filename)?.pkg?.type;
    if (type === 'module' || (type === undefined && hasModuleSyntax(filename))) return 'module';
    return 'commonjs';
  }
  return 'commonjs';
}

const identifier = /^[\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*$/u;
const reserved = new Set(['default', 'await', 'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger',
  'delete', 'do', 'else', 'enum', 'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in',
  'instanceof', 'let', 'new', 'null', 'return', 'static', 'super', 'switch', 'this', 'throw', 'true', 'try',
  'typeof', 'var', 'void', 'while', 'with', 'yield', 'implements', 'interface', 'package', 'private',
  'protected', 'public', 'arguments', 'eval']);

// A module re-exporting `value`: default, plus one named export per key
// (skipping keys whose getter throws, such as not-yet-built APIs).
function facade(value, names) {
  const named = names.filter((n) => {
    if (!identifier.test(n) || reserved.has(n)) return false;
    try {
      void value[n];
      return true;
    } catch {
      return false;
    }
  });
  let source = 'const exportsObject = import.meta.lodeExports;\nexport default exportsObject;\n';
  if (named.length > 0) source += `export const { ${named.join(', ')} } = exportsObject;\n`;
  return { source, meta: { lodeExports: value } };
}

// The statically visible export names of a CommonJS file, following
// re-exports (`module.exports = require('x')` and friends).
function cjsExportNames(filename, seen) {
  const names = new Set();
  if (seen.has(filename)) return names;
  seen.add(filename);
  let found;
  try {
    found = binding('module').cjsExports(fs.readText(filename));
  } catch {
    return names;
  }
  for (const name of found.names) names.add(name);
  for (const specifier of found.reexports) {
    let target;
    try {
      const parent = new Module(filename, null);
      parent.filename = filename;
      parent.paths = Module._nodeModulePaths(path.dirname(filename));
      target = Module._resolveFilename(specifier, parent, false);
    } catch {
      continue;
    }
    if (builtins.isBuiltin(target)) {
      for (const name of Object.keys(builtins.load(target.replace(/^node:/, '')))) names.add(name);
    } else if (formatOf(target) === 'commonjs') {
      for (const name of cjsExportNames(target, seen)) names.add(name);
    }
  }
  return names;
}

// Like `facade`, but the exports object is produced when the module is
// evaluated, not when it is loaded.
function deferredFacade(produce, names) {
  const named = names.filter((n) => identifier.test(n) && !reserved.has(n));
  let source = 'const exportsObject = import.meta.lodeProduce();\nexport default exportsObject;\n';
  if (named.length > 0) source += `export const { ${named.join(', ')} } = exportsObject;\n`;
  return { source, meta: { lodeProduce: produce } };
}

function load(key, type) {
  if (key.startsWith(kInteropFacade)) {
    const target = JSON.stringify(key.slice(kInteropFacade.length));
    return { source: `export * from ${target};\nexport { default } from ${target};\nexport const __esModule = true;\n` };
  }
  if (key.startsWith('node:')) {
    const exports = builtins.load(key.slice(5));
    const names = exports !== null && typeof exports === 'object' || typeof exports === 'function'
      ? Object.keys(exports) : [];
    return facade(exports, names);
  }
  const url = key;
  if (url === evalKey) return moduleRecord(url, toPath(url), evalSource);
  key = toPath(key);
  const format = formatOf(key);
  if (format === 'json' || type === 'json') {
    if (type !== 'json') {
      throw esmError('ERR_IMPORT_ATTRIBUTE_MISSING',
        `Module "${pathToFileURL(key)}" needs an import attribute of "type: json"`, TypeError);
    }
    return facade(JSON.parse(fs.readText(key)), []);
  }
  if (format === 'commonjs') {
    // Named exports come from reading the source, as Node's
    // cjs-module-lexer does; the file itself runs when the facade is
    // evaluated, in import order.
    const names = [...cjsExportNames(key, new Set())];
    return deferredFacade(() => Module._load(key, null, false), names);
  }
  return moduleRecord(url, key, fs.readText(key));
}

function moduleRecord(url, filename, source) {
  return {
    source,
    meta: {
      url,
      filename,
      dirname: path.dirname(filename),
      main: url === mainKey,
      resolve(specifier) {
        return resolve(String(specifier), url);
      },
    },
  };
}

internals.setModuleHooks(resolve, load);

let mainKey;

// Runs an ES module entry point; errors end the process as uncaught ones.
function runMainESM(filename) {
  mainKey = pathToFileURL(realFile(filename));
  const { fatalException } = require('internal/process/execution');
  internals.importModule(mainKey, '').then(undefined, (err) => fatalException(err, false, false));
}

let evalKey;
let evalSource;

// -e or piped code run as an ES module (`--input-type=module`, or module
// syntax detected), named as Node names it: <cwd>/[eval1].
function runEvalModule(source) {
  // Node keeps the brackets of this name unescaped in its URL.
  evalKey = mainKey = `${pathToFileURL(path.join(process.cwd(), '/'))}[eval1]`;
  evalSource = source;
  const { fatalException, registerSource } = require('internal/process/execution');
  // Its frames name it by URL: the caret display and assert.ok read it there.
  registerSource(evalKey, source);
  internals.importModule(evalKey, '').then(undefined, (err) => fatalException(err, false, false));
}

// require() of an ES module: its namespace, if it evaluates synchronously,
// or, as Node 24 does, what it exports under the name 'module.exports'.
function requireESM(filename, parentFilename, requireStack) {
  const namespace = importNow(pathToFileURL(filename), parentFilename, requireStack);
  if ('module.exports' in namespace) return namespace['module.exports'];
  if (!('default' in namespace) || '__esModule' in namespace) return namespace;
  return importNow(`${kInteropFacade}${pathToFileURL(filename)}`, parentFilename, requireStack);
}

// Imports `key` and returns its namespace once evaluation has settled.
function importNow(key, parentFilename, requireStack) {
  const promise = internals.importModule(key, parentFilename || '');
  const native = binding('util');
  // Evaluation settles through promise jobs. A graph still pending after
  // them awaits real work (top-level await on I/O or timers), which require
  // cannot wait for. (Node refuses any top-level await, even one that would
  // settle at once; telling those apart needs the engine's flag.)
  internals.runMicrotasks();
  const [state, result] = native.promiseState(promise);
  if (state === 0) {
    const err = esmError('ERR_REQUIRE_ASYNC_MODULE',
      'require() cannot be used on an ESM graph with top-level await. Use import() instead. To see where the' +
      ` top-level await comes from, use --experimental-print-required-tla.\n  From ${parentFilename} \n  Requiring ${toPath(key)} `);
    err.requireStack = requireStack;
    throw err;
  }
  if (state === 2) throw result;
  return result;
}

module.exports = { resolve, runMainESM, runEvalModule, requireESM, formatOf };
