//! Servers under hostile clients: real sockets on 127.0.0.1 against the real
//! binary. No single client may take a server down.

mod common;

use std::{
    io::{BufRead, BufReader, Read, Write},
    net::{SocketAddr, TcpStream},
    process::{Child, Stdio},
    time::Duration,
};

/// Starts `lode -e <source>`; the program prints its port on the first line.
fn start_server(source: &str) -> (Child, SocketAddr) {
    let mut child = common::lode()
        .args(["-e", source])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn lode");
    let mut line = String::new();
    BufReader::new(child.stdout.as_mut().unwrap()).read_line(&mut line).unwrap();
    let port: u16 = line.trim().parse().unwrap_or_else(|_| panic!("no port printed, got {line:?}"));
    (child, SocketAddr::from(([127, 0, 0, 1], port)))
}

fn http_get(addr: SocketAddr) -> String {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    stream.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}

/// Clients that connect and reset before the server reads them (the peer is
/// gone by the time the connection is set up) are dropped silently: the
/// server neither errors nor exits, and serves the next client.
#[test]
fn http_server_survives_clients_that_reset_before_being_read() {
    let server = "const http = require('http');
        const server = http.createServer((req, res) => res.end('still here'));
        server.on('error', (e) => { console.error('server error', e.code); process.exit(3); });
        server.listen(0, '127.0.0.1', () => console.log(server.address().port));";
    let (mut child, addr) = start_server(server);
    for _ in 0..200 {
        let socket = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
        socket.connect(&addr.into()).unwrap();
        // Linger 0: close sends RST instead of FIN.
        socket.set_linger(Some(Duration::ZERO)).unwrap();
        drop(socket);
    }
    let response = http_get(addr);
    let alive = child.try_wait().unwrap().is_none();
    child.kill().ok();
    let output = child.wait_with_output().unwrap();
    assert!(response.ends_with("still here"), "response: {response:?}, stderr: {}", common::text(&output.stderr));
    assert!(alive, "the server exited: {}", common::text(&output.stderr));
}
