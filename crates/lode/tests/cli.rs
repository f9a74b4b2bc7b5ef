//! The command line, as Node's: -e/-p, --version, --help, stdin scripts,
//! `--`, shebangs, argv/execArgv, unknown flags (exit 9), accepted flags.

mod common;

use std::fs;

use common::{run_in, text};

fn tmp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("lode-cli-{name}-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn version_and_help() {
    let dir = tmp_dir("version");
    for flag in ["--version", "-v"] {
        let out = run_in(&dir, &[flag], "");
        assert_eq!(text(&out.stdout), format!("v{}\n", env!("CARGO_PKG_VERSION")));
        assert!(out.status.success());
    }
    let out = run_in(&dir, &["--help"], "");
    assert!(text(&out.stdout).contains("Usage: lode"));
}

#[test]
fn eval_and_print() {
    let dir = tmp_dir("eval");
    let out = run_in(&dir, &["-e", "console.log(1 + 1, typeof require, __filename)"], "");
    assert_eq!(text(&out.stdout), "2 function [eval]\n");
    let out = run_in(&dir, &["-p", "({ a: [1, 2] })"], "");
    assert_eq!(text(&out.stdout), "{ a: [ 1, 2 ] }\n");
    let out = run_in(&dir, &["--print", "process.argv.length", "x", "y"], "");
    assert_eq!(text(&out.stdout), "3\n");
    // -e code is sloppy: `with` and implicit globals work.
    let out = run_in(&dir, &["-e", "with ({ v: 5 }) { g = v } console.log(g)"], "");
    assert_eq!(text(&out.stdout), "5\n");
}

#[test]
fn eval_as_an_es_module() {
    let dir = tmp_dir("eval-esm");
    fs::write(dir.join("dep.mjs"), "export const x = 7;\n").unwrap();
    let url = format!("file://{}/[eval1]", dir.canonicalize().unwrap().display());
    // Said by --input-type, or detected from module syntax, as Node 24.
    for args in [
        vec!["--input-type=module", "-e", "import { x } from './dep.mjs'; console.log(x, import.meta.url, typeof require)"],
        vec!["-e", "import { x } from './dep.mjs'; console.log(x, import.meta.url, typeof require)"],
    ] {
        let out = run_in(&dir, &args, "");
        assert_eq!(text(&out.stdout), format!("7 {url} undefined\n"), "{args:?}: {}", text(&out.stderr));
    }
    let out = run_in(&dir, &["--input-type=module"], "console.log(import.meta.main)");
    assert_eq!(text(&out.stdout), "true\n");
    let out = run_in(&dir, &["--input-type=commonjs", "-e", "import fs from 'fs'"], "");
    assert!(text(&out.stderr).contains("SyntaxError"), "{}", text(&out.stderr));
    let out = run_in(&dir, &["--input-type=module", "-p", "1"], "");
    assert!(text(&out.stderr).contains("ERR_EVAL_ESM_CANNOT_PRINT"));
    assert_eq!(out.status.code(), Some(1));
    // assert.ok quotes the failing call from the eval'd source in both kinds.
    for header in ["const assert = require('assert');", "import assert from 'assert';"] {
        let out = run_in(&dir, &["-e", &format!("{header}\nassert.ok(0 === 2);\n")], "");
        assert!(
            text(&out.stderr).contains("The expression evaluated to a falsy value:\n\n  assert.ok(0 === 2)\n"),
            "{header}: {}",
            text(&out.stderr)
        );
    }
}

#[test]
fn expose_internals_reaches_internal_modules() {
    let dir = tmp_dir("internals");
    let probe = "console.log(typeof require('internal/util').sleep)";
    let out = run_in(&dir, &["-e", probe], "");
    assert!(text(&out.stderr).contains("Cannot find module 'internal/util'"), "{}", text(&out.stderr));
    let out = run_in(&dir, &["--expose-internals", "-e", probe], "");
    assert_eq!(text(&out.stdout), "function\n");
    // internalBinding gives the binding object the module itself calls, as
    // Node's tests expect when they patch one.
    let patched = "const { internalBinding } = require('internal/test/binding');
        internalBinding('os').getHomeDirectory = (ctx) => { ctx.syscall = 'foo'; ctx.code = 'bar'; ctx.message = 'baz'; };
        try { require('os').homedir(); } catch (err) { console.log(err.code, err.message); }";
    let out = run_in(&dir, &["--expose-internals", "--no-warnings", "-e", patched], "");
    assert_eq!(text(&out.stdout), "ERR_SYSTEM_ERROR A system error occurred: foo returned bar (baz)\n", "{}", text(&out.stderr));
}

#[test]
fn script_from_stdin() {
    let dir = tmp_dir("stdin");
    let out = run_in(&dir, &[], "console.log('from stdin', process.argv.length)");
    assert_eq!(text(&out.stdout), "from stdin 1\n");
    let out = run_in(&dir, &["-", "arg"], "console.log(process.argv.slice(2))");
    assert_eq!(text(&out.stdout), "[ 'arg' ]\n");
}

#[test]
fn argv_exec_argv_and_double_dash() {
    let dir = tmp_dir("argv");
    fs::write(dir.join("a.js"), "console.log(JSON.stringify([process.argv.slice(1), process.execArgv]))").unwrap();
    let out = run_in(&dir, &["--no-warnings", "a.js", "--flag", "-e", "x"], "");
    let script = dir.join("a.js").canonicalize().unwrap();
    assert_eq!(
        text(&out.stdout),
        format!("[[\"{}\",\"--flag\",\"-e\",\"x\"],[\"--no-warnings\"]]\n", script.display())
    );
    let out = run_in(&dir, &["--", "a.js", "z"], "");
    assert!(text(&out.stdout).contains("\"z\""), "{}", text(&out.stderr));
}

#[test]
fn shebang_line_is_ignored() {
    let dir = tmp_dir("shebang");
    fs::write(dir.join("s.js"), "#!/usr/bin/env node\nconsole.log('ran', new Error().stack.split('\\n')[1].includes(':2:'))").unwrap();
    let out = run_in(&dir, &["s.js"], "");
    assert_eq!(text(&out.stdout), "ran true\n");
}

#[test]
fn unknown_flag_exits_9() {
    let dir = tmp_dir("badflag");
    let out = run_in(&dir, &["--definitely-not-a-flag", "x.js"], "");
    assert_eq!(out.status.code(), Some(9));
    assert!(text(&out.stderr).contains("bad option: --definitely-not-a-flag"));
    // A flag for a feature not built is refused by name; its value is not
    // taken for the script.
    fs::write(dir.join("loader.mjs"), "console.log('ran the loader as the script')").unwrap();
    let out = run_in(&dir, &["--experimental-loader", "./loader.mjs", "x.js"], "");
    assert_eq!(out.status.code(), Some(9));
    assert!(text(&out.stderr).contains("--experimental-loader (module customization hooks) is not implemented"));
    assert_eq!(text(&out.stdout), "");
}

#[test]
fn missing_script_is_module_not_found() {
    let dir = tmp_dir("missing");
    let out = run_in(&dir, &["nope.js"], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("Cannot find module"), "{}", text(&out.stderr));
}

#[test]
fn syntax_error_names_file_and_line() {
    let dir = tmp_dir("syntax");
    fs::write(dir.join("bad.js"), "const ok = 1;\nlet = = 2;\n").unwrap();
    let out = run_in(&dir, &["bad.js"], "");
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("SyntaxError"), "{err}");
    assert!(err.contains("bad.js:2"), "{err}");
}

#[test]
fn accepted_node_flags() {
    let dir = tmp_dir("flags");
    let out = run_in(&dir, &["--expose-gc", "-e", "gc(); console.log(typeof gc)"], "");
    assert_eq!(text(&out.stdout), "function\n");
    let out = run_in(&dir, &["--expose_gc", "--pending-deprecation", "--stack-size=2000", "-e", "console.log('ok')"], "");
    assert_eq!(text(&out.stdout), "ok\n", "{}", text(&out.stderr));
    let out = run_in(&dir, &["--no-warnings", "-e", "process.emitWarning('hidden')"], "");
    assert_eq!(text(&out.stderr), "");
    let out = run_in(&dir, &["--unhandled-rejections=warn", "-e", "Promise.reject(new Error('soft'))"], "");
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stderr).contains("UnhandledPromiseRejectionWarning"), "{}", text(&out.stderr));
}

#[test]
fn deep_recursion_is_a_range_error() {
    let dir = tmp_dir("recursion");
    let out = run_in(&dir, &["-e", "function f() { f() } try { f() } catch (e) { console.log(e instanceof RangeError) }"], "");
    assert_eq!(text(&out.stdout), "true\n", "{}", text(&out.stderr));
}

#[test]
fn stdout_to_a_pipe_is_complete_and_ordered_before_exit() {
    let dir = tmp_dir("pipe");
    let out = run_in(&dir, &["-e", "for (let i = 0; i < 20000; i++) console.log('line', i); process.exitCode = 3"], "");
    let stdout = text(&out.stdout);
    assert_eq!(stdout.lines().count(), 20000);
    assert!(stdout.ends_with("line 19999\n"));
    assert_eq!(out.status.code(), Some(3));
    // Killing itself with a signal does not lose what was written before.
    let out = run_in(&dir, &["-e", "console.log('before the signal'); process.kill(process.pid, 'SIGTERM')"], "");
    assert_eq!(text(&out.stdout), "before the signal\n");
    // Ended by SIGTERM (15).
    assert_eq!(std::os::unix::process::ExitStatusExt::signal(&out.status), Some(15));
}

#[test]
fn lone_surrogates_print_as_replacement_characters() {
    // JS strings can hold what UTF-8 cannot; Node writes U+FFFD for it.
    let dir = tmp_dir("surrogates");
    let out = run_in(&dir, &["-e", "console.log('a\\ud800b'); process.stdout.write('x\\udc00y\\n')"], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(out.stdout, "a\u{FFFD}b\nx\u{FFFD}y\n".as_bytes());
}

#[test]
fn conditions_flag_selects_exports() {
    let fixtures = common::repo_root().join("tests/fixtures/modules");
    let script = "console.log(require('custom-cond'))";
    for flags in [&["-C", "custom"][..], &["--conditions=custom"][..]] {
        let mut args = flags.to_vec();
        args.extend(["-e", script]);
        let out = run_in(&fixtures, &args, "");
        assert_eq!(text(&out.stdout), "custom condition\n", "{flags:?}: {}", text(&out.stderr));
    }
    let out = run_in(&fixtures, &["-e", script], "");
    assert_eq!(text(&out.stdout), "default condition\n");
}

#[test]
fn node_path_is_searched_and_preload_runs_first() {
    let dir = tmp_dir("node-path");
    let libs = dir.join("libs");
    fs::create_dir_all(libs.join("from-node-path")).unwrap();
    fs::write(libs.join("from-node-path/index.js"), "module.exports = 'found through NODE_PATH';").unwrap();
    fs::write(dir.join("pre.js"), "globalThis.preloaded = 'preloaded';").unwrap();
    fs::write(dir.join("main.js"), "console.log(globalThis.preloaded, require('from-node-path'))").unwrap();
    let out = common::lode()
        .args(["-r", "./pre.js", "main.js"])
        .current_dir(&dir)
        .env("NODE_PATH", &libs)
        .output()
        .unwrap();
    assert_eq!(text(&out.stdout), "preloaded found through NODE_PATH\n", "{}", text(&out.stderr));
}

/// A parent that leaves SIGINT ignored (a shell's background job does)
/// does not make Lode, or the children it spawns, immune to it: like Node,
/// Lode restores default signal actions at startup.
#[test]
fn inherited_ignored_sigint_is_reset() {
    use std::os::unix::process::ExitStatusExt;
    let script = "process.kill(process.pid, 'SIGINT'); setTimeout(() => console.log('still alive'), 200)";
    let out = std::process::Command::new("sh")
        .args(["-c", "trap '' INT; exec \"$0\" -e \"$1\"", env!("CARGO_BIN_EXE_lode"), script])
        .output()
        .unwrap();
    assert_eq!(text(&out.stdout), "");
    assert_eq!(out.status.signal(), Some(2), "{:?}", out.status);
}

/// What Lode has not built is absent, so packages that feature-detect
/// (`dc.tracingChannel && ...`, `typeof fetch`) take their fallback instead
/// of calling a stand-in that throws.
#[test]
fn unbuilt_features_are_absent() {
    let dir = tmp_dir("absent");
    let probe = "console.log([typeof require('async_hooks').AsyncLocalStorage, typeof require('worker_threads').Worker, \
                 typeof require('perf_hooks').PerformanceObserver, typeof require('tty').WriteStream, \
                 typeof require('crypto').createCipheriv, typeof require('crypto').subtle.digest, \
                 Object.keys(require('inspector')).length].join(' '))";
    let out = run_in(&dir, &["-e", probe], "");
    assert_eq!(text(&out.stdout), "undefined undefined undefined undefined undefined undefined 0\n", "{}", text(&out.stderr));
}
