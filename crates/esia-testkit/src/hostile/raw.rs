//! A raw HTTP/1.1 client for the hostile-input walk: it writes exactly the bytes it is given
//! (bad UTF-8, CR/LF, oversized heads and bodies that no well-behaved client would send) and
//! reads back only the status line. The body is written on its own thread while the answer is
//! read, so a server that answers 413 early and closes is still heard. It must not retry or
//! normalise anything: the point is to deliver the malformed request as is.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

/// One request as bytes on the wire.
#[derive(Clone)]
pub struct Raw {
    pub method: String,
    /// Path and query exactly as they go on the request line (already percent-encoded or not).
    pub target: Vec<u8>,
    pub headers: Vec<(String, Vec<u8>)>,
    pub body: Vec<u8>,
    /// Leave out `Content-Length` (the body is then sent anyway, to test framing).
    pub no_length: bool,
    /// Shut the write side after the request (a body cut short by the client).
    pub half_close: bool,
}

impl Raw {
    pub fn new(method: &str, target: impl Into<Vec<u8>>) -> Raw {
        Raw {
            method: method.to_string(),
            target: target.into(),
            headers: Vec::new(),
            body: Vec::new(),
            no_length: false,
            half_close: false,
        }
    }

    pub fn header(mut self, name: &str, value: impl Into<Vec<u8>>) -> Raw {
        self.headers.push((name.to_string(), value.into()));
        self
    }

    pub fn body(mut self, content_type: Option<&str>, body: impl Into<Vec<u8>>) -> Raw {
        if let Some(ct) = content_type {
            self = self.header("Content-Type", ct);
        }
        self.body = body.into();
        self
    }

    fn has(&self, name: &str) -> bool {
        self.headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case(name))
    }

    /// The bytes on the wire: request line, headers (Host and framing added when absent).
    pub fn to_bytes(&self, host: &str) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.body.len() + 512);
        out.extend_from_slice(self.method.as_bytes());
        out.push(b' ');
        out.extend_from_slice(&self.target);
        out.extend_from_slice(b" HTTP/1.1\r\n");
        if !self.has("host") {
            out.extend_from_slice(format!("Host: {host}\r\n").as_bytes());
        }
        for (n, v) in &self.headers {
            out.extend_from_slice(n.as_bytes());
            out.extend_from_slice(b": ");
            out.extend_from_slice(v);
            out.extend_from_slice(b"\r\n");
        }
        if !self.no_length && !self.has("content-length") && !self.has("transfer-encoding") {
            out.extend_from_slice(format!("Content-Length: {}\r\n", self.body.len()).as_bytes());
        }
        out.extend_from_slice(b"Connection: close\r\n\r\n");
        out.extend_from_slice(&self.body);
        out
    }
}

/// What came back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Status(u16),
    /// The connection closed (or timed out) before a status line arrived.
    NoAnswer,
}

/// Sends `req` on a fresh connection and returns the status (blocking; run it off the runtime).
pub fn send(addr: SocketAddr, req: &Raw) -> Outcome {
    let host = addr.to_string();
    let bytes = req.to_bytes(&host);
    let Ok(mut stream) = TcpStream::connect_timeout(&addr, Duration::from_secs(5)) else {
        return Outcome::NoAnswer;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(30)));
    let half_close = req.half_close;
    let writer = stream.try_clone().ok().map(|mut w| {
        std::thread::spawn(move || {
            // Errors are expected: the server may answer and close before the body is read.
            let _ = w.write_all(&bytes);
            let _ = w.flush();
            if half_close {
                let _ = w.shutdown(std::net::Shutdown::Write);
            }
        })
    });
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    let outcome = loop {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break parse_status(&head),
            Ok(n) => {
                head.extend_from_slice(&buf[..n]);
                if head.windows(2).any(|w| w == b"\r\n") {
                    break parse_status(&head);
                }
            }
        }
    };
    let _ = stream.shutdown(std::net::Shutdown::Both);
    if let Some(w) = writer {
        let _ = w.join();
    }
    outcome
}

fn parse_status(head: &[u8]) -> Outcome {
    let line = head.split(|b| *b == b'\r').next().unwrap_or_default();
    let text = String::from_utf8_lossy(line);
    let mut parts = text.split(' ');
    match (
        parts.next(),
        parts.next().and_then(|s| s.parse::<u16>().ok()),
    ) {
        (Some(v), Some(code)) if v.starts_with("HTTP/") => Outcome::Status(code),
        _ => Outcome::NoAnswer,
    }
}
