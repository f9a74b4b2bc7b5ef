// lode:module internal/options
// The runtime's command-line options, read the way Node's internals read
// them: `getOptionValue('--no-warnings')`. Repeatable flags give arrays.

const repeatable = new Set(['--require', '--import', '--conditions', '--disable-warning']);
const values = new Map();

for (const [name, value] of internals.options.flags) {
  if (repeatable.has(name)) {
    if (!values.has(name)) values.set(name, []);
    values.get(name).push(value);
  } else if (name.startsWith('--no-') && value === undefined) {
    values.set(`--${name.slice(5)}`, false);
    values.set(name, true);
  } else {
    values.set(name, value === undefined ? true : value);
  }
}

function getOptionValue(name) {
  if (values.has(name)) return values.get(name);
  return repeatable.has(name) ? [] : undefined;
}

module.exports = { getOptionValue };
