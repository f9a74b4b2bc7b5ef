//! process.stdin / stdout as streams, through real pipes: piping input
//! through a pipeline to output loses and reorders nothing, a paused stdin
//! does not keep the process alive, and stdout output written just before
//! exit is all there.

mod common;

use std::{
    io::{Read, Write},
    process::Stdio,
    time::{Duration, Instant},
};

use common::{lode, text};

#[test]
fn stdin_through_a_pipeline_to_stdout() {
    let script = "const { pipeline, Transform } = require('stream');
        const upper = new Transform({ transform(chunk, enc, cb) { cb(null, chunk.toString('latin1').toUpperCase()); } });
        pipeline(process.stdin, upper, process.stdout, (err) => { if (err) { console.error(err); process.exit(1); } });";
    let input: String = (0..200_000).map(|i| format!("line {i}\n")).collect();
    let mut child = lode()
        .args(["-e", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let feeder = {
        let input = input.clone();
        std::thread::spawn(move || stdin.write_all(input.as_bytes()).unwrap())
    };
    let out = child.wait_with_output().unwrap();
    feeder.join().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(out.stdout.len(), input.len());
    assert!(text(&out.stdout) == input.to_uppercase());
}

#[test]
fn paused_stdin_lets_the_process_exit() {
    // The writer keeps the pipe open: only pausing stdin lets lode end.
    let script = "process.stdin.once('data', (d) => { console.log('got', String(d).trim()); process.stdin.pause(); });";
    let mut child = lode()
        .args(["-e", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(b"hello\n").unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "lode kept running with stdin paused");
        std::thread::sleep(Duration::from_millis(20));
    };
    drop(stdin);
    let mut stdout = String::new();
    child.stdout.take().unwrap().read_to_string(&mut stdout).unwrap();
    assert!(status.success());
    assert_eq!(stdout, "got hello\n");
}

#[test]
fn file_piped_to_stdout_arrives_whole() {
    let dir = std::env::temp_dir().join(format!("lode-stdio-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("big.txt");
    let content: String = (0..100_000).map(|i| format!("{i:08}\n")).collect();
    std::fs::write(&file, &content).unwrap();
    let script = format!(
        "require('stream').pipeline(require('fs').createReadStream({:?}), process.stdout, (err) => {{ if (err) throw err; }});",
        file.display().to_string()
    );
    let out = lode().args(["-e", &script]).output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout) == content);
    std::fs::remove_dir_all(&dir).unwrap();
}
