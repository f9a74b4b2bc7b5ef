//! Runs every fixture entry point (the top-level .js/.mjs files of
//! tests/fixtures/{runtime,modules,core}) through the real binary
//! and compares stdout, stderr and the exit status with what Node 24 printed
//! for the same file (recorded by scripts/record-expected.sh).
//!
//! Stack frames differ between engines by design, so output is compared with
//! `    at ...` lines removed, the runtime's version line and process ids
//! masked; everything else, including the source line and caret of an
//! uncaught error, must match.

mod common;

use std::{fs, path::Path};

fn normalize(text: &str, dir: &Path) -> String {
    let text = text.replace(&dir.display().to_string(), "<dir>");
    let mut out = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("at ") && line.starts_with(' ') {
            continue;
        }
        if trimmed.starts_with("... ") && trimmed.ends_with("lines matching cause stack trace ...") {
            continue;
        }
        let line = if line.starts_with("Node.js v") || line.starts_with("Lode v") {
            "<runtime version>".to_string()
        } else {
            line.replace("`lode --trace-", "`node --trace-")
        };
        out.push(mask_durations(&mask_pids(&line)));
    }
    out.join("\n")
}

/// node:test's timings: `(0.47ms)` -> `(<ms>)`, `duration_ms 515.6` -> `duration_ms <ms>`.
fn mask_durations(line: &str) -> String {
    if let Some(rest) = line.strip_prefix("ℹ duration_ms ") {
        if rest.parse::<f64>().is_ok() {
            return "ℹ duration_ms <ms>".to_string();
        }
    }
    let Some(end) = line.rfind("ms)") else { return line.to_string() };
    let Some(start) = line[..end].rfind('(') else { return line.to_string() };
    let number = &line[start + 1..end];
    if number.is_empty() || number.parse::<f64>().is_err() {
        return line.to_string();
    }
    format!("{}(<ms>){}", &line[..start], &line[end + 3..])
}

/// `(node:1234)` -> `(node:<pid>)`.
fn mask_pids(line: &str) -> String {
    let mut result = String::new();
    let mut rest = line;
    while let Some(at) = rest.find("(node:") {
        result.push_str(&rest[..at + 6]);
        let after = &rest[at + 6..];
        let digits = after.chars().take_while(char::is_ascii_digit).count();
        if digits > 0 && after[digits..].starts_with(')') {
            result.push_str("<pid>");
        } else {
            result.push_str(&after[..digits]);
        }
        rest = &after[digits..];
    }
    result.push_str(rest);
    result
}

/// Runs every entry point in `tests/fixtures/<folder>` and collects mismatches.
fn check_folder(folder: &str) -> Vec<String> {
    let dir = common::repo_root().join("tests/fixtures").join(folder);
    let mut fixtures: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "js" || e == "mjs"))
        .collect();
    fixtures.sort();
    assert!(!fixtures.is_empty(), "no fixtures in {}", dir.display());

    let mut failures = Vec::new();
    for fixture in &fixtures {
        let file = fixture.file_name().unwrap().to_str().unwrap();
        let name = fixture.file_stem().unwrap().to_str().unwrap();
        let expected = |ext: &str| {
            fs::read_to_string(dir.join(format!("{name}.{ext}")))
                .unwrap_or_else(|_| panic!("{folder}/{name}.{ext} not recorded; run scripts/record-expected.sh"))
        };
        let output = common::run_in(&dir, &[file, "a", "b"], "");
        let status = output.status.code().unwrap_or(-1);
        let stdout = normalize(&common::text(&output.stdout), &dir);
        let stderr = normalize(&common::text(&output.stderr), &dir);

        let want_status: i32 = expected("status").trim().parse().unwrap();
        let want_stdout = normalize(&expected("stdout"), &dir);
        let want_stderr = normalize(&expected("stderr"), &dir);
        if status != want_status {
            failures.push(format!("{folder}/{file}: exit status {status}, Node gave {want_status}\nstderr:\n{stderr}"));
        }
        if stdout != want_stdout {
            failures.push(format!("{folder}/{file}: stdout differs\n--- node\n{want_stdout}\n--- lode\n{stdout}"));
        }
        if stderr != want_stderr {
            failures.push(format!("{folder}/{file}: stderr differs\n--- node\n{want_stderr}\n--- lode\n{stderr}"));
        }
    }
    failures
}

#[test]
fn runtime_fixtures_match_node() {
    let failures = check_folder("runtime");
    assert!(failures.is_empty(), "{} mismatches:\n\n{}", failures.len(), failures.join("\n\n"));
}

#[test]
fn module_fixtures_match_node() {
    let failures = check_folder("modules");
    assert!(failures.is_empty(), "{} mismatches:\n\n{}", failures.len(), failures.join("\n\n"));
}

#[test]
fn core_library_fixtures_match_node() {
    let failures = check_folder("core");
    assert!(failures.is_empty(), "{} mismatches:\n\n{}", failures.len(), failures.join("\n\n"));
}
