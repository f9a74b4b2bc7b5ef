// lode:module internal/util/parse_args
// util.parseArgs: command-line parsing with Node's option configuration,
// strict-mode errors, negative booleans, short groups and tokens.

const { codes: { ERR_INVALID_ARG_VALUE } } = require('internal/errors');
const { validateObject, validateArray, validateBoolean, validateString, validateOneOf } = require('internal/validators');

function parseError(code, message) {
  const err = new TypeError(message);
  err.code = code;
  return err;
}

const isLongOptionAndValue = (arg) => arg.length > 2 && arg.startsWith('--') && arg.includes('=');
const isLoneLongOption = (arg) => arg.length > 2 && arg.startsWith('--') && !arg.includes('=');
const isLoneShortOption = (arg) => arg.length === 2 && arg[0] === '-' && arg[1] !== '-';
const isShortOptionGroup = (arg) => arg.length > 2 && arg[0] === '-' && arg[1] !== '-';
const isOptionLikeValue = (value) => value !== undefined && value.length > 1 && value[0] === '-';

function findLongOptionForShort(shortOption, options) {
  for (const [longOption, config] of Object.entries(options)) {
    if (config.short === shortOption) return longOption;
  }
  return shortOption;
}

// The arguments after the script (or after -e code), as Node picks them.
function defaultArgs() {
  const hasEval = process.execArgv.some((a) => a === '-e' || a === '--eval' || a === '-p' || a === '--print' ||
    a.startsWith('--eval=') || a.startsWith('--print='));
  return process.argv.slice(hasEval ? 1 : 2);
}

function validateOptions(options) {
  validateObject(options, 'options');
  for (const [name, config] of Object.entries(options)) {
    validateObject(config, `options.${name}`);
    validateOneOf(config.type, `options.${name}.type`, ['string', 'boolean']);
    if (Object.prototype.hasOwnProperty.call(config, 'short')) {
      validateString(config.short, `options.${name}.short`);
      if (config.short.length !== 1) {
        throw new ERR_INVALID_ARG_VALUE(`options.${name}.short`, config.short, 'must be a single character');
      }
    }
    if (Object.prototype.hasOwnProperty.call(config, 'multiple')) validateBoolean(config.multiple, `options.${name}.multiple`);
    if (config.default !== undefined) {
      const check = config.type === 'string' ? validateString : validateBoolean;
      if (config.multiple) {
        validateArray(config.default, `options.${name}.default`);
        config.default.forEach((v, i) => check(v, `options.${name}.default[${i}]`));
      } else {
        check(config.default, `options.${name}.default`);
      }
    }
  }
}

function tokenize(args, options, allowNegative) {
  const tokens = [];
  let index = -1;
  let groupCount = 0;
  const remaining = args.slice();
  while (remaining.length > 0) {
    const arg = remaining.shift();
    const nextArg = remaining[0];
    if (groupCount > 0) groupCount--;
    else index++;

    if (arg === '--') {
      tokens.push({ kind: 'option-terminator', index });
      for (const value of remaining) tokens.push({ kind: 'positional', index: ++index, value });
      break;
    }
    // An option that may take the next argument as its value.
    const pushOption = (name) => {
      let value;
      let inlineValue;
      if (options[name]?.type === 'string' && nextArg !== undefined) {
        value = remaining.shift();
        inlineValue = false;
      }
      tokens.push({ kind: 'option', name, rawName: arg, index, value, inlineValue });
      if (value !== undefined) ++index;
    };
    if (isLoneShortOption(arg)) {
      pushOption(findLongOptionForShort(arg[1], options));
      continue;
    }
    if (isShortOptionGroup(arg) && options[findLongOptionForShort(arg[1], options)]?.type !== 'string') {
      const expanded = [];
      for (let i = 1; i < arg.length; i++) {
        const shortOption = arg[i];
        const longOption = findLongOptionForShort(shortOption, options);
        if (options[longOption]?.type !== 'string' || i === arg.length - 1) {
          expanded.push(`-${shortOption}`);
        } else {
          expanded.push(`-${shortOption}${arg.slice(i + 1)}`);
          break;
        }
      }
      remaining.unshift(...expanded);
      groupCount = expanded.length;
      continue;
    }
    if (isShortOptionGroup(arg)) {
      // '-fvalue': a short string option with its value attached.
      const shortOption = arg[1];
      const longOption = findLongOptionForShort(shortOption, options);
      tokens.push({ kind: 'option', name: longOption, rawName: `-${shortOption}`, index, value: arg.slice(2), inlineValue: true });
      continue;
    }
    if (isLoneLongOption(arg)) {
      const longOption = arg.slice(2);
      if (allowNegative && longOption.startsWith('no-') && options[longOption.slice(3)]?.type === 'boolean') {
        tokens.push({ kind: 'option', name: longOption, rawName: arg, index, value: undefined, inlineValue: undefined });
      } else {
        pushOption(longOption);
      }
      continue;
    }
    if (isLongOptionAndValue(arg)) {
      const eq = arg.indexOf('=');
      tokens.push({ kind: 'option', name: arg.slice(2, eq), rawName: arg.slice(0, eq), index, value: arg.slice(eq + 1), inlineValue: true });
      continue;
    }
    tokens.push({ kind: 'positional', index, value: arg });
  }
  return tokens;
}

function checkOptionToken(token, options, allowPositionals, allowNegative) {
  const { name, rawName, value, inlineValue } = token;
  const config = options[name];
  const negative = allowNegative && name.startsWith('no-') && options[name.slice(3)]?.type === 'boolean';
  if (config === undefined && !negative) {
    const hint = allowPositionals
      ? `. To specify a positional argument starting with a '-', place it at the end of the command after '--', as in '-- ${JSON.stringify(rawName)}`
      : '';
    throw parseError('ERR_PARSE_ARGS_UNKNOWN_OPTION', `Unknown option '${rawName}'${hint}`);
  }
  const shortAndLong = config?.short ? `-${config.short}, --${name}` : `--${name}`;
  if (config?.type === 'string' && typeof value !== 'string') {
    throw parseError('ERR_PARSE_ARGS_INVALID_OPTION_VALUE', `Option '${shortAndLong} <value>' argument missing`);
  }
  if (config?.type === 'string' && !inlineValue && isOptionLikeValue(value)) {
    throw parseError('ERR_PARSE_ARGS_INVALID_OPTION_VALUE', `Option '${rawName}' argument is ambiguous.\n` +
      `Did you forget to specify the option argument for '${rawName}'?\n` +
      `To specify an option argument starting with a dash use '${config.short && rawName === `-${config.short}` ? `--${name}=-XYZ' or '-${config.short}-XYZ` : `--${name}=-XYZ`}'.`);
  }
  if ((config?.type === 'boolean' || negative) && value !== undefined) {
    throw parseError('ERR_PARSE_ARGS_INVALID_OPTION_VALUE', `Option '${shortAndLong}' does not take an argument`);
  }
}

function storeOption(name, value, options, values, allowNegative) {
  if (name === '__proto__') return;
  if (allowNegative && name.startsWith('no-') && options[name.slice(3)]?.type === 'boolean') {
    name = name.slice(3);
    value = false;
  }
  const config = options[name];
  const newValue = value ?? true;
  if (config?.multiple) {
    if (values[name] === undefined) values[name] = [newValue];
    else values[name].push(newValue);
  } else {
    values[name] = newValue;
  }
}

function parseArgs(config = {}) {
  validateObject(config, 'config');
  const args = config.args ?? defaultArgs();
  const strict = config.strict ?? true;
  const allowPositionals = config.allowPositionals ?? !strict;
  const returnTokens = config.tokens ?? false;
  const allowNegative = config.allowNegative ?? false;
  const options = config.options ?? { __proto__: null };
  validateArray(args, 'args');
  validateBoolean(strict, 'strict');
  validateBoolean(allowPositionals, 'allowPositionals');
  validateBoolean(returnTokens, 'tokens');
  validateBoolean(allowNegative, 'allowNegative');
  validateOptions(options);

  const tokens = tokenize(args, options, allowNegative);
  const result = { values: { __proto__: null }, positionals: [] };
  if (returnTokens) result.tokens = tokens;
  for (const token of tokens) {
    if (token.kind === 'option') {
      if (strict) checkOptionToken(token, options, allowPositionals, allowNegative);
      storeOption(token.name, token.value, options, result.values, allowNegative);
    } else if (token.kind === 'positional') {
      if (!allowPositionals) {
        throw parseError('ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL',
          `Unexpected argument '${token.value}'. This command does not take positional arguments`);
      }
      result.positionals.push(token.value);
    }
  }
  for (const [name, option] of Object.entries(options)) {
    if (option.default !== undefined && result.values[name] === undefined) result.values[name] = option.default;
  }
  return result;
}

module.exports = { parseArgs };
