//! Command-line parsing with Node's rules: runtime flags come before the
//! script, everything after the script (or `--`) belongs to the program,
//! `--flag=value` and `--flag value` are both accepted, `_` equals `-` in
//! flag names, and an unknown flag is an error with exit code 9.

use std::io::{IsTerminal, Read};

use lode_runtime::{Entry, RunOptions};

/// What `main` should do.
pub enum Parsed {
    Run(RunOptions),
    Exit { stdout: String, stderr: String, code: i32 },
}

/// Node's exit code for invalid arguments.
const BAD_OPTION: i32 = 9;

/// How a flag takes its value.
#[derive(PartialEq)]
enum Arity {
    None,
    Value,
}

/// Flags Lode knows. Flags that Node accepts and that change nothing here
/// (V8 tuning, experimental toggles already on) are accepted too, so Node's
/// own test files and scripts with shebang flags run unchanged.
const FLAGS: &[(&str, Arity)] = &[
    ("--eval", Arity::Value),
    ("--print", Arity::Value),
    ("--require", Arity::Value),
    ("--import", Arity::Value),
    ("--conditions", Arity::Value),
    ("--stack-size", Arity::Value),
    ("--unhandled-rejections", Arity::Value),
    ("--input-type", Arity::Value),
    ("--disable-warning", Arity::Value),
    ("--max-old-space-size", Arity::Value),
    ("--max-semi-space-size", Arity::Value),
    ("--title", Arity::Value),
    ("--stack-trace-limit", Arity::Value),
    ("--no-warnings", Arity::None),
    ("--no-deprecation", Arity::None),
    ("--throw-deprecation", Arity::None),
    ("--trace-deprecation", Arity::None),
    ("--trace-warnings", Arity::None),
    ("--pending-deprecation", Arity::None),
    ("--expose-gc", Arity::None),
    ("--trace-uncaught", Arity::None),
    ("--abort-on-uncaught-exception", Arity::None),
    ("--preserve-symlinks", Arity::None),
    ("--preserve-symlinks-main", Arity::None),
    ("--enable-source-maps", Arity::None),
    ("--zero-fill-buffers", Arity::None),
    ("--trace-exit", Arity::None),
    ("--no-force-async-hooks-checks", Arity::None),
    ("--allow-natives-syntax", Arity::None),
    ("--expose-internals", Arity::None),
    ("--no-addons", Arity::None),
    ("--frozen-intrinsics", Arity::None),
    ("--jitless", Arity::None),
    ("--no-opt", Arity::None),
    ("--stack-trace-on-illegal", Arity::None),
    ("--interpreted-frames-native-stack", Arity::None),
    ("--no-experimental-require-module", Arity::None),
    ("--no-experimental-detect-module", Arity::None),
];

/// Node's single-letter aliases.
fn expand_alias(flag: &str) -> &str {
    match flag {
        "-e" => "--eval",
        // `-pe CODE` is Node's "print the result of CODE": -p alone does.
        "-p" | "-pe" => "--print",
        "-r" => "--require",
        "-C" => "--conditions",
        other => other,
    }
}

/// Node flags for features Lode has not built: refused with a clear error
/// (the experimental-toggle rule below would take them as switches, and
/// their value as the script to run).
fn not_built(name: &str) -> Option<&'static str> {
    match name {
        "--experimental-loader" | "--loader" => Some("module customization hooks"),
        _ => None,
    }
}

fn arity(name: &str) -> Option<&'static Arity> {
    if let Some((_, arity)) = FLAGS.iter().find(|(n, _)| *n == name) {
        return Some(arity);
    }
    // Experimental and harmony toggles only switch on what is always on here.
    let toggles = ["--experimental-", "--no-experimental-", "--harmony"];
    toggles.iter().any(|p| name.starts_with(p)).then_some(&Arity::None)
}

const HELP: &str = "Usage: lode [options] [ script.js ] [arguments]
       lode -e \"script\" | -p \"expression\" [arguments]
       lode -                      (read the script from stdin)
       lode install | add | remove | update | outdated | run | x | init

Runs Node.js programs on the Lode runtime, and installs their packages
from the npm registry (`lode install`, `lode add pkg`, `lode run script`).

Options:
  -e, --eval script            evaluate script
  -p, --print script           evaluate script and print the result
  -r, --require module         preload a module at startup
  -C, --conditions condition   add a package.json exports condition
  --stack-size size            JS stack size in KiB
  --no-warnings                silence process warnings
  --no-deprecation             silence deprecation warnings
  --throw-deprecation          throw on deprecations
  --trace-warnings             print stack traces for warnings
  --unhandled-rejections mode  throw (default), strict, warn, none,
                               or warn-with-error-code
  --expose-gc                  expose global.gc()
  -v, --version                print Lode's version
  -h, --help                   print this help
";

pub fn parse(argv: Vec<String>) -> Parsed {
    let argv0 = argv.first().cloned().unwrap_or_else(|| "lode".into());
    let mut exec_argv = Vec::new();
    let mut flags = Vec::new();
    let mut entry = None;
    let mut stack_size_kib = None;
    let mut rest = argv.into_iter().skip(1).peekable();

    while let Some(arg) = rest.peek().cloned() {
        if arg == "--" {
            rest.next();
            break;
        }
        if arg == "-" || !arg.starts_with('-') {
            break;
        }
        rest.next();
        match arg.as_str() {
            "-v" | "--version" => return exit_ok(format!("v{}\n", lode_runtime::VERSION)),
            "-h" | "--help" => return exit_ok(HELP.into()),
            _ => {}
        }
        let (raw_name, inline_value) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let name = expand_alias(&normalize(&raw_name)).to_string();
        if let Some(feature) = not_built(&name) {
            return bad_option(&format!("{name} ({feature}) is not implemented in Lode yet (ERR_NOT_IMPLEMENTED)"));
        }
        let Some(arity) = arity(&name) else {
            return bad_option(&format!("bad option: {arg}"));
        };
        exec_argv.push(arg.clone());
        let value = match (arity, inline_value) {
            (Arity::None, _) => None,
            (Arity::Value, Some(v)) => Some(v),
            (Arity::Value, None) => match rest.next() {
                Some(v) => {
                    exec_argv.push(v.clone());
                    Some(v)
                }
                None => return bad_option(&format!("{arg} requires an argument")),
            },
        };
        flags.push((name.clone(), value.clone()));
        match (name.as_str(), value) {
            ("--eval", Some(source)) => entry = Some(Entry::Eval { source, print: false }),
            ("--print", Some(source)) => entry = Some(Entry::Eval { source, print: true }),
            ("--stack-size", Some(v)) => match v.parse() {
                Ok(kib) => stack_size_kib = Some(kib),
                Err(_) => return bad_option(&format!("invalid value for --stack-size: {v}")),
            },
            _ => {}
        }
    }

    // Like Node, an explicit `-` stays in process.argv as argv[1].
    let mut args = Vec::new();
    let entry = match entry {
        Some(entry) => entry,
        None => match rest.next() {
            Some(file) if file != "-" => Entry::File(file),
            stdin_marker => {
                args.extend(stdin_marker.clone());
                if stdin_marker.is_none() && std::io::stdin().is_terminal() {
                    return Parsed::Exit {
                        stdout: String::new(),
                        stderr: "lode: the interactive REPL is not implemented (ERR_NOT_IMPLEMENTED); \
                                 run a file, or pipe a script on stdin\n"
                            .into(),
                        code: BAD_OPTION,
                    };
                }
                let mut source = String::new();
                if let Err(e) = std::io::stdin().read_to_string(&mut source) {
                    return bad_option(&format!("cannot read the script from stdin: {e}"));
                }
                Entry::Stdin(source)
            }
        },
    };
    args.extend(rest);
    Parsed::Run(RunOptions { entry, args, exec_argv, flags, argv0, stack_size_kib })
}

/// `--expose_gc` and `--expose-gc` are the same flag in Node.
fn normalize(name: &str) -> String {
    match name.strip_prefix("--") {
        Some(rest) => format!("--{}", rest.replace('_', "-")),
        None => name.to_string(),
    }
}

fn exit_ok(stdout: String) -> Parsed {
    Parsed::Exit { stdout, stderr: String::new(), code: 0 }
}

fn bad_option(message: &str) -> Parsed {
    Parsed::Exit { stdout: String::new(), stderr: format!("lode: {message}\n"), code: BAD_OPTION }
}
