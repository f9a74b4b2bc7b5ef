// lode:module internal/test/binding
// `internalBinding(name)` for Node's own tests (with --expose-internals):
// Lode's native binding of that name, the very object its modules use, so
// a test may patch it. Names match Node's where Lode has the binding; the
// functions in it are Lode's and only some share Node's shapes.

process.emitWarning('These APIs are for internal testing only. Do not use them.', 'internal/test/binding');

function internalBinding(name) {
  const found = binding(name);
  if (found === undefined) throw new Error(`No such binding: ${name}`);
  return found;
}

module.exports = { internalBinding };
