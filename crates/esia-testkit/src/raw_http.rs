//! A raw HTTP/1.1 client for tests that must send a request target exactly as written
//! (`/x/../emulator`, `//emulator`, `%65mulator`): reqwest and the `url` crate normalise such
//! paths before sending, so they would test the client, not the server. One request per
//! connection (`Connection: close`); the answer is kept as status, headers and raw body. It
//! must not normalise the target or retry.

use std::io::{Read, Write};

pub struct RawResponse {
    pub status: u16,
    /// Lower-case names, in order.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl RawResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Sends `method target` to `address` (`http://127.0.0.1:PORT`) with `headers` (a `Host`
/// header is added unless given) and `body`.
pub async fn send(
    address: &str,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> RawResponse {
    let authority = address.trim_start_matches("http://").to_string();
    let mut request = format!("{method} {target} HTTP/1.1\r\n");
    if !headers.iter().any(|(n, _)| n.eq_ignore_ascii_case("host")) {
        request.push_str(&format!("Host: {authority}\r\n"));
    }
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    ));
    let mut bytes = request.into_bytes();
    bytes.extend_from_slice(body);
    // A blocking socket on the blocking pool: the server runs on this runtime's other threads.
    let answer = tokio::task::spawn_blocking(move || {
        let mut stream = std::net::TcpStream::connect(&authority).expect("connect");
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(30)))
            .expect("timeout");
        stream.write_all(&bytes).expect("write request");
        read_answer(&mut stream)
    })
    .await
    .expect("raw request task");
    parse(&answer)
}

/// Reads one response: up to `Content-Length` when it is given (actix may wait for the client
/// to close first after a refused request with an unread body), else to the end.
fn read_answer(stream: &mut std::net::TcpStream) -> Vec<u8> {
    let mut answer = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        let n = stream.read(&mut chunk).unwrap_or(0);
        if n == 0 {
            return answer;
        }
        answer.extend_from_slice(&chunk[..n]);
        let Some(end) = answer.windows(4).position(|w| w == b"\r\n\r\n") else {
            continue;
        };
        let head = String::from_utf8_lossy(&answer[..end]).to_ascii_lowercase();
        let length = head
            .split("\r\n")
            .filter_map(|l| l.strip_prefix("content-length:"))
            .find_map(|v| v.trim().parse::<usize>().ok());
        if length.is_some_and(|len| answer.len() >= end + 4 + len) {
            return answer;
        }
    }
}

fn parse(answer: &[u8]) -> RawResponse {
    let text = String::from_utf8_lossy(answer);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {head:?}"));
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    RawResponse {
        status,
        headers,
        body: body.to_string(),
    }
}
