//! Native side of `http`: the HTTP/1.x message parser (llhttp's part in
//! Node). A parser is fed the bytes a socket reads and answers with what
//! they completed: a message head, body pieces (chunked framing removed),
//! the message's end with its trailers, an upgrade with the bytes after
//! it, or an error with llhttp's code (`HPE_INVALID_METHOD`...). Heads are
//! parsed by `httparse`; framing (Content-Length, chunked, read-until-close)
//! follows RFC 9112, strict where llhttp is strict.

use std::{cell::RefCell, collections::HashMap};

use lode_engine::{Binding, Val};

/// Node's default `--max-http-header-size`.
const MAX_HEADER_SIZE: usize = 16 * 1024;

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Request,
    Response,
}

/// Where the parser is within the current message.
enum State {
    Head,
    /// `n` body bytes still to come.
    Fixed(u64),
    ChunkSize,
    ChunkData(u64),
    ChunkDataEnd,
    Trailers,
    /// A response body without length: it ends when the connection does.
    UntilClose,
    /// After an upgrade or an error: nothing more is parsed.
    Stopped,
}

struct Parser {
    kind: Kind,
    state: State,
    /// Unparsed bytes carried over between feeds (an incomplete head or
    /// chunk-size line).
    pending: Vec<u8>,
    trailers: Vec<String>,
    keep_alive: bool,
    /// The requests sent whose responses have no body (HEAD), in order.
    head_requests: std::collections::VecDeque<bool>,
}

/// One thing a feed completed, in order.
enum Event {
    Head {
        raw_headers: Vec<String>,
        /// Request: method and URL; response: status code and reason.
        first: String,
        second: String,
        status: u16,
        version: (u8, u8),
        keep_alive: bool,
        upgrade: bool,
    },
    Body(Vec<u8>),
    Complete(Vec<String>),
    Upgrade(Vec<u8>),
    Error(&'static str, String),
}

thread_local! {
    static PARSERS: RefCell<HashMap<usize, Parser>> = RefCell::new(HashMap::new());
    static NEXT_PARSER: std::cell::Cell<usize> = const { std::cell::Cell::new(1) };
}

fn header_value<'a>(headers: &'a [(String, String)], name: &'a str) -> impl Iterator<Item = &'a str> {
    headers.iter().filter(move |(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
}

fn has_token(headers: &[(String, String)], name: &str, token: &str) -> bool {
    header_value(headers, name).any(|v| v.split(',').any(|t| t.trim().eq_ignore_ascii_case(token)))
}

impl Parser {
    fn new(kind: Kind) -> Self {
        Self {
            kind,
            state: State::Head,
            pending: Vec::new(),
            trailers: Vec::new(),
            keep_alive: true,
            head_requests: Default::default(),
        }
    }

    /// Parses `data` (after whatever was pending), appending to `events`.
    fn feed(&mut self, data: &[u8], events: &mut Vec<Event>) {
        let mut input = std::mem::take(&mut self.pending);
        input.extend_from_slice(data);
        let mut at = 0;
        while at < input.len() {
            let rest = &input[at..];
            let used = match self.state {
                State::Stopped => return,
                State::Head => match self.parse_head(rest, events) {
                    Some(n) => n,
                    None => break,
                },
                State::Fixed(left) => {
                    let n = (left as usize).min(rest.len());
                    events.push(Event::Body(rest[..n].to_vec()));
                    if left as usize == n {
                        self.finish_message(events);
                    } else {
                        self.state = State::Fixed(left - n as u64);
                    }
                    n
                }
                State::UntilClose => {
                    events.push(Event::Body(rest.to_vec()));
                    rest.len()
                }
                State::ChunkSize => {
                    let Some(end) = find_crlf(rest) else {
                        if rest.len() > 1024 {
                            return self.fail(events, "HPE_INVALID_CHUNK_SIZE", "Invalid character in chunk size");
                        }
                        break;
                    };
                    let line = &rest[..end];
                    let digits = line.split(|&b| b == b';').next().unwrap_or_default();
                    let digits = std::str::from_utf8(digits).unwrap_or("!").trim_end_matches([' ', '\t']);
                    match u64::from_str_radix(digits, 16) {
                        Ok(0) => self.state = State::Trailers,
                        Ok(size) if !digits.starts_with('+') => self.state = State::ChunkData(size),
                        _ => return self.fail(events, "HPE_INVALID_CHUNK_SIZE", "Invalid character in chunk size"),
                    }
                    end + 2
                }
                State::ChunkData(left) => {
                    let n = (left as usize).min(rest.len());
                    events.push(Event::Body(rest[..n].to_vec()));
                    self.state = if left as usize == n { State::ChunkDataEnd } else { State::ChunkData(left - n as u64) };
                    n
                }
                State::ChunkDataEnd => {
                    if rest.len() < 2 {
                        break;
                    }
                    if &rest[..2] != b"\r\n" {
                        return self.fail(events, "HPE_STRICT", "Expected CRLF after chunk");
                    }
                    self.state = State::ChunkSize;
                    2
                }
                State::Trailers => {
                    let Some(end) = find_crlf(rest) else {
                        if rest.len() > MAX_HEADER_SIZE {
                            return self.fail(events, "HPE_HEADER_OVERFLOW", "Header overflow");
                        }
                        break;
                    };
                    if end == 0 {
                        self.finish_message(events);
                    } else {
                        let line = String::from_utf8_lossy(&rest[..end]);
                        if let Some((name, value)) = line.split_once(':') {
                            self.trailers.push(name.trim().to_string());
                            self.trailers.push(value.trim().to_string());
                        }
                    }
                    end + 2
                }
            };
            at += used;
        }
        if at < input.len() {
            self.pending = input[at..].to_vec();
        }
    }

    fn fail(&mut self, events: &mut Vec<Event>, code: &'static str, reason: &str) {
        self.state = State::Stopped;
        self.pending.clear();
        events.push(Event::Error(code, reason.to_string()));
    }

    fn finish_message(&mut self, events: &mut Vec<Event>) {
        events.push(Event::Complete(std::mem::take(&mut self.trailers)));
        self.state = State::Head;
    }

    /// Parses a message head at the start of `input`; returns the bytes
    /// it used, or `None` when it is not complete yet.
    fn parse_head(&mut self, input: &[u8], events: &mut Vec<Event>) -> Option<usize> {
        // Blank lines between messages are tolerated, as llhttp does.
        let skip = input.iter().take_while(|&&b| b == b'\r' || b == b'\n').count();
        if skip > 0 {
            return Some(skip);
        }
        let mut slots = 64;
        loop {
            let mut headers = vec![httparse::EMPTY_HEADER; slots];
            let parsed = match self.kind {
                Kind::Request => {
                    let mut request = httparse::Request::new(&mut headers);
                    match request.parse(input) {
                        Ok(httparse::Status::Complete(len)) => Ok(Some((
                            len,
                            (
                                request.method.unwrap_or_default().to_string(),
                                request.path.unwrap_or_default().to_string(),
                                0,
                                request.version.unwrap_or(1),
                                collect_headers(request.headers),
                            ),
                        ))),
                        Ok(httparse::Status::Partial) => Ok(None),
                        Err(e) => Err(e),
                    }
                }
                Kind::Response => {
                    let mut response = httparse::Response::new(&mut headers);
                    match response.parse(input) {
                        Ok(httparse::Status::Complete(len)) => {
                            let code = response.code.unwrap_or_default();
                            Ok(Some((
                                len,
                                (
                                    code.to_string(),
                                    response.reason.unwrap_or_default().to_string(),
                                    code,
                                    response.version.unwrap_or(1),
                                    collect_headers(response.headers),
                                ),
                            )))
                        }
                        Ok(httparse::Status::Partial) => Ok(None),
                        Err(e) => Err(e),
                    }
                }
            };
            return match parsed {
                Ok(None) => {
                    if input.len() > MAX_HEADER_SIZE {
                        self.fail(events, "HPE_HEADER_OVERFLOW", "Header overflow");
                        return Some(input.len());
                    }
                    None
                }
                Ok(Some((len, (first, second, status, minor, headers)))) => {
                    if len > MAX_HEADER_SIZE {
                        self.fail(events, "HPE_HEADER_OVERFLOW", "Header overflow");
                        return Some(input.len());
                    }
                    self.begin_body(first, second, status, minor, headers, events, &input[len..]).map(|tail| len + tail)
                }
                Err(httparse::Error::TooManyHeaders) if slots < 4096 => {
                    slots *= 4;
                    continue;
                }
                Err(e) => {
                    let (code, reason) = match e {
                        httparse::Error::Token => ("HPE_INVALID_METHOD", "Invalid method encountered"),
                        httparse::Error::HeaderName => ("HPE_INVALID_HEADER_TOKEN", "Invalid header token"),
                        httparse::Error::HeaderValue => ("HPE_INVALID_HEADER_TOKEN", "Invalid header value char"),
                        httparse::Error::NewLine => ("HPE_LF_EXPECTED", "Missing expected LF after header value"),
                        httparse::Error::Status => ("HPE_INVALID_STATUS", "Invalid status code"),
                        httparse::Error::Version => ("HPE_INVALID_VERSION", "Invalid HTTP version"),
                        httparse::Error::TooManyHeaders => ("HPE_HEADER_OVERFLOW", "Header overflow"),
                    };
                    self.fail(events, code, reason);
                    Some(input.len())
                }
            };
        }
    }

    /// Decides the body's framing from a parsed head and reports the head.
    /// Returns how many bytes after the head were used (the rest of the
    /// input after an upgrade).
    #[allow(clippy::too_many_arguments)]
    fn begin_body(
        &mut self,
        first: String,
        second: String,
        status: u16,
        minor: u8,
        headers: Vec<(String, String)>,
        events: &mut Vec<Event>,
        after: &[u8],
    ) -> Option<usize> {
        let chunked = header_value(&headers, "transfer-encoding")
            .last()
            .map(|v| v.rsplit(',').next().unwrap_or("").trim().eq_ignore_ascii_case("chunked"))
            .unwrap_or(false);
        let has_te = header_value(&headers, "transfer-encoding").next().is_some();
        let lengths: Vec<&str> = header_value(&headers, "content-length").collect();
        let mut length = None;
        for value in &lengths {
            match value.trim().parse::<u64>() {
                Ok(n) if value.trim().bytes().all(|b| b.is_ascii_digit()) && length.is_none_or(|l| l == n) => length = Some(n),
                _ => {
                    self.fail(events, "HPE_INVALID_CONTENT_LENGTH", "Invalid character in Content-Length");
                    return Some(after.len());
                }
            }
        }
        if has_te && length.is_some() {
            self.fail(events, "HPE_UNEXPECTED_CONTENT_LENGTH", "Content-Length can't be present with Transfer-Encoding");
            return Some(after.len());
        }
        if self.kind == Kind::Request && has_te && !chunked {
            self.fail(events, "HPE_INVALID_TRANSFER_ENCODING", "Request has invalid `Transfer-Encoding`");
            return Some(after.len());
        }
        let connection_close = has_token(&headers, "connection", "close");
        let keep_alive = if minor == 0 { has_token(&headers, "connection", "keep-alive") } else { !connection_close };
        let upgrade_requested = has_token(&headers, "connection", "upgrade") && header_value(&headers, "upgrade").next().is_some();
        let upgrade = match self.kind {
            Kind::Request => first == "CONNECT" || upgrade_requested,
            Kind::Response => status == 101,
        };
        let no_body = match self.kind {
            Kind::Request => false,
            Kind::Response => {
                let informational = (100..200).contains(&status);
                let head = if informational { false } else { self.head_requests.pop_front().unwrap_or(false) };
                informational || status == 204 || status == 304 || head
            }
        };
        self.keep_alive = keep_alive;
        let mut raw_headers = Vec::with_capacity(headers.len() * 2);
        for (name, value) in headers {
            raw_headers.push(name);
            raw_headers.push(value);
        }
        events.push(Event::Head { raw_headers, first, second, status, version: (1, minor), keep_alive, upgrade });
        if upgrade {
            self.state = State::Stopped;
            events.push(Event::Upgrade(after.to_vec()));
            return Some(after.len());
        }
        if no_body {
            self.finish_message(events);
        } else if chunked {
            self.state = State::ChunkSize;
        } else if let Some(length) = length {
            if length == 0 {
                self.finish_message(events);
            } else {
                self.state = State::Fixed(length);
            }
        } else if self.kind == Kind::Response {
            self.keep_alive = false;
            self.state = State::UntilClose;
        } else {
            self.finish_message(events);
        }
        Some(0)
    }

    /// The connection ended: a read-until-close body is complete; a
    /// message cut short is an error.
    fn finish(&mut self, events: &mut Vec<Event>) {
        match self.state {
            State::UntilClose => self.finish_message(events),
            State::Head if self.pending.is_empty() => {}
            State::Stopped => {}
            _ => self.fail(events, "HPE_INVALID_EOF_STATE", "Invalid EOF state"),
        }
    }
}

fn collect_headers(headers: &[httparse::Header<'_>]) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|h| (h.name.to_string(), String::from_utf8_lossy(h.value).trim().to_string()))
        .collect()
}

fn find_crlf(bytes: &[u8]) -> Option<usize> {
    memchr::memmem::find(bytes, b"\r\n")
}

/// What a feed completed, as JS gets it: one array per event (see
/// `HTTPParser` in `common.js`).
fn events_to_val<'s>(events: Vec<Event>) -> Val<'s> {
    Val::array(events.into_iter().map(|event| match event {
        Event::Head { raw_headers, first, second, status, version, keep_alive, upgrade } => Val::array([
            Val::Str("head"),
            Val::array(raw_headers),
            if status == 0 { first.into() } else { status.into() },
            second.into(),
            version.0.into(),
            version.1.into(),
            keep_alive.into(),
            upgrade.into(),
        ]),
        Event::Body(bytes) => Val::array([Val::Str("body"), Val::Buffer(bytes)]),
        Event::Complete(trailers) => Val::array([Val::Str("complete"), Val::array(trailers)]),
        Event::Upgrade(rest) => Val::array([Val::Str("upgrade"), Val::Buffer(rest)]),
        Event::Error(code, reason) => Val::array([Val::Str("error"), Val::Str(code), reason.into()]),
    }))
}

fn with_parser<R>(id: usize, f: impl FnOnce(&mut Parser) -> R) -> Option<R> {
    PARSERS.with(|p| p.borrow_mut().get_mut(&id).map(f))
}

pub fn init(b: &mut Binding<'_, '_>) {
    b.op("parserCreate", |_, args| {
        let kind = if args.bool(0)? { Kind::Response } else { Kind::Request };
        let id = NEXT_PARSER.with(|n| {
            let id = n.get();
            n.set(id + 1);
            id
        });
        PARSERS.with(|p| p.borrow_mut().insert(id, Parser::new(kind)));
        Ok(id.into())
    })
    .op("parserExecute", |scope, args| {
        let id = args.usize(0)?;
        let mut events = Vec::new();
        scope.with_bytes(&args.get(1), |bytes| with_parser(id, |parser| parser.feed(bytes, &mut events)))?;
        Ok(events_to_val(events))
    })
    .op("parserFinish", |_, args| {
        let id = args.usize(0)?;
        let mut events = Vec::new();
        with_parser(id, |parser| parser.finish(&mut events));
        Ok(events_to_val(events))
    })
    // A request was sent: whether its response can have a body.
    .op("parserExpectResponse", |_, args| {
        let (id, is_head) = (args.usize(0)?, args.bool(1)?);
        with_parser(id, |parser| parser.head_requests.push_back(is_head));
        Ok(Val::Undefined)
    })
    .op("parserFree", |_, args| {
        let id = args.usize(0)?;
        PARSERS.with(|p| p.borrow_mut().remove(&id));
        Ok(Val::Undefined)
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feed(kind: Kind, chunks: &[&[u8]]) -> Vec<String> {
        let mut parser = Parser::new(kind);
        let mut events = Vec::new();
        for chunk in chunks {
            parser.feed(chunk, &mut events);
        }
        parser.finish(&mut events);
        events
            .into_iter()
            .map(|e| match e {
                Event::Head { first, second, .. } => format!("head {first} {second}"),
                Event::Body(b) => format!("body {}", String::from_utf8_lossy(&b)),
                Event::Complete(t) => format!("complete {}", t.join(",")),
                Event::Upgrade(rest) => format!("upgrade {}", String::from_utf8_lossy(&rest)),
                Event::Error(code, _) => format!("error {code}"),
            })
            .collect()
    }

    #[test]
    fn request_with_length_split_anywhere() {
        let whole = b"POST /a HTTP/1.1\r\nContent-Length: 5\r\n\r\nhelloGET /b HTTP/1.1\r\n\r\n";
        for split in 1..whole.len() {
            let events = feed(Kind::Request, &[&whole[..split], &whole[split..]]);
            let body: String = events.iter().filter_map(|e| e.strip_prefix("body ")).collect();
            assert_eq!(body, "hello", "split at {split}");
            assert_eq!(events.iter().filter(|e| e.starts_with("complete")).count(), 2, "split at {split}");
        }
    }

    #[test]
    fn chunked_body_with_trailers() {
        let events = feed(Kind::Request, &[b"PUT / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5;x=y\r\nhello\r\n1\r\n!\r\n0\r\nX-T: 1\r\n\r\n"]);
        assert_eq!(events, ["head PUT /", "body hello", "body !", "complete X-T,1"]);
    }

    #[test]
    fn response_until_close_and_head() {
        assert_eq!(feed(Kind::Response, &[b"HTTP/1.1 200 OK\r\n\r\nabc"]), ["head 200 OK", "body abc", "complete "]);
        let mut parser = Parser::new(Kind::Response);
        parser.head_requests.push_back(true);
        let mut events = Vec::new();
        parser.feed(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n", &mut events);
        assert!(matches!(events.last(), Some(Event::Complete(_))));
    }

    #[test]
    fn bad_input_is_an_error_not_a_panic() {
        assert_eq!(feed(Kind::Request, &[b"GET / HTTP/1.1\r\nContent-Length: x\r\n\r\n"]).last().unwrap(), "error HPE_INVALID_CONTENT_LENGTH");
        assert_eq!(
            feed(Kind::Request, &[b"GET / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n"]).last().unwrap(),
            "error HPE_UNEXPECTED_CONTENT_LENGTH"
        );
        assert!(feed(Kind::Request, &[b"\x00\x01garbage\r\n\r\n"]).last().unwrap().starts_with("error"));
        assert_eq!(feed(Kind::Request, &[b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"]).last().unwrap(), "error HPE_INVALID_CHUNK_SIZE");
        assert_eq!(feed(Kind::Request, &[b"POST / HTTP/1.1\r\nContent-Length: 9\r\n\r\nab"]).last().unwrap(), "error HPE_INVALID_EOF_STATE");
    }

    #[test]
    fn upgrade_hands_over_the_rest() {
        let events = feed(Kind::Request, &[b"GET / HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\nraw"]);
        assert_eq!(events, ["head GET /", "upgrade raw"]);
    }
}
