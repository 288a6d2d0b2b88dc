//! A real, tiny SMTP server for tests. This module owns the sink that
//! listens on `127.0.0.1:0`, speaks just enough plain ESMTP for lettre's SMTP
//! transport (no STARTTLS, no AUTH: greeting, EHLO/HELO, MAIL, RCPT, DATA with
//! dot-unstuffing, RSET, NOOP, QUIT), keeps every accepted message in memory
//! as [`ReceivedMail`], and lets tests wait (bounded) for messages. It also
//! owns the light MIME decoding tests need to find a code or a link in a
//! message: RFC 2047 subjects and base64 / quoted-printable bodies of simple
//! single-part (or first text part of a multipart) messages.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine as _;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;
use tokio::task::JoinHandle;

/// Largest message the sink accepts (bytes of DATA).
const MAX_MESSAGE: usize = 25 * 1024 * 1024;

/// One message accepted by the sink.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedMail {
    /// Envelope sender (`MAIL FROM`), without angle brackets.
    pub from: String,
    /// Envelope recipients (`RCPT TO`), without angle brackets.
    pub to: Vec<String>,
    /// Raw RFC 5322 message as sent after DATA, dot-unstuffed, CRLF kept.
    pub data: String,
}

#[derive(Default)]
struct Shared {
    mail: Mutex<Vec<ReceivedMail>>,
    notify: Notify,
}

/// The running SMTP sink; stops accepting connections when dropped.
pub struct SmtpSink {
    port: u16,
    shared: Arc<Shared>,
    accept: JoinHandle<()>,
}

impl SmtpSink {
    /// Binds `127.0.0.1:0` and starts serving in the background.
    pub async fn start() -> SmtpSink {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("smtp sink: bind 127.0.0.1:0");
        let port = listener.local_addr().expect("smtp sink: local addr").port();
        let shared = Arc::new(Shared::default());
        let sh = shared.clone();
        let accept = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let sh = sh.clone();
                tokio::spawn(async move {
                    let _ = session(stream, sh).await;
                });
            }
        });
        SmtpSink {
            port,
            shared,
            accept,
        }
    }

    /// The port the sink listens on (host is `127.0.0.1`).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// All messages received so far, oldest first.
    pub fn messages(&self) -> Vec<ReceivedMail> {
        self.shared.mail.lock().unwrap().clone()
    }

    /// Forgets all messages received so far.
    pub fn clear(&self) {
        self.shared.mail.lock().unwrap().clear();
    }

    /// Waits until at least `n` messages arrived and returns all of them.
    ///
    /// Panics after `timeout` with a message listing what did arrive.
    pub async fn wait_for_messages(&self, n: usize, timeout: Duration) -> Vec<ReceivedMail> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let notified = self.shared.notify.notified();
            let now = self.messages();
            if now.len() >= n {
                return now;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                let now = self.messages();
                if now.len() >= n {
                    return now;
                }
                let subjects: Vec<String> = now.iter().map(|m| m.subject_decoded()).collect();
                panic!(
                    "smtp sink: expected {n} message(s) within {timeout:?}, got {}: {subjects:?}",
                    now.len()
                );
            }
        }
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.accept.abort();
    }
}

async fn session(stream: TcpStream, shared: Arc<Shared>) -> std::io::Result<()> {
    let (rd, mut wr) = stream.into_split();
    let mut rd = BufReader::new(rd);
    wr.write_all(b"220 esia-smtp-sink ESMTP ready\r\n").await?;
    let mut from: Option<String> = None;
    let mut to: Vec<String> = Vec::new();
    let mut line = Vec::new();
    loop {
        line.clear();
        if rd.read_until(b'\n', &mut line).await? == 0 {
            return Ok(());
        }
        let text = String::from_utf8_lossy(&line);
        let cmd = text.trim_end_matches(['\r', '\n']);
        let verb = cmd
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_uppercase();
        let reply: &[u8] = match verb.as_str() {
            "EHLO" => b"250-esia-smtp-sink\r\n250-8BITMIME\r\n250 SIZE 26214400\r\n",
            "HELO" => b"250 esia-smtp-sink\r\n",
            "MAIL" => match path_arg(cmd, "MAIL FROM:") {
                Some(addr) => {
                    from = Some(addr);
                    to.clear();
                    b"250 OK\r\n"
                }
                None => b"501 Syntax: MAIL FROM:<address>\r\n",
            },
            "RCPT" if from.is_none() => b"503 Need MAIL first\r\n",
            "RCPT" => match path_arg(cmd, "RCPT TO:") {
                Some(addr) => {
                    to.push(addr);
                    b"250 OK\r\n"
                }
                None => b"501 Syntax: RCPT TO:<address>\r\n",
            },
            "DATA" if to.is_empty() => b"503 Need RCPT first\r\n",
            "DATA" => {
                wr.write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                    .await?;
                let Some(data) = read_data(&mut rd).await? else {
                    wr.write_all(b"552 Message too large\r\n").await?;
                    from = None;
                    to.clear();
                    continue;
                };
                let mail = ReceivedMail {
                    from: from.take().unwrap_or_default(),
                    to: std::mem::take(&mut to),
                    data,
                };
                shared.mail.lock().unwrap().push(mail);
                shared.notify.notify_waiters();
                b"250 OK queued\r\n"
            }
            "RSET" => {
                from = None;
                to.clear();
                b"250 OK\r\n"
            }
            "NOOP" => b"250 OK\r\n",
            "VRFY" => b"252 Cannot VRFY user\r\n",
            "QUIT" => {
                wr.write_all(b"221 Bye\r\n").await?;
                return Ok(());
            }
            _ => b"502 Command not implemented\r\n",
        };
        wr.write_all(reply).await?;
    }
}

/// Extracts the address from `MAIL FROM:<a@b> PARAMS` / `RCPT TO:<a@b>`.
fn path_arg(cmd: &str, prefix: &str) -> Option<String> {
    let head = cmd.get(..prefix.len())?;
    if !head.eq_ignore_ascii_case(prefix) {
        return None;
    }
    let rest = cmd[prefix.len()..].trim_start();
    if let Some(inner) = rest.strip_prefix('<') {
        return inner.find('>').map(|end| inner[..end].to_string());
    }
    rest.split_whitespace().next().map(str::to_string)
}

/// Reads DATA up to the lone dot, undoing dot-stuffing. `None` if too large.
async fn read_data<R: AsyncBufReadExt + Unpin>(rd: &mut R) -> std::io::Result<Option<String>> {
    let mut out = Vec::new();
    let mut line = Vec::new();
    let mut too_large = false;
    loop {
        line.clear();
        if rd.read_until(b'\n', &mut line).await? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        if line == b".\r\n" || line == b".\n" {
            break;
        }
        let body = line.strip_prefix(b".").unwrap_or(&line);
        if out.len() + body.len() > MAX_MESSAGE {
            too_large = true;
        } else {
            out.extend_from_slice(body);
        }
    }
    Ok((!too_large).then(|| String::from_utf8_lossy(&out).into_owned()))
}

impl ReceivedMail {
    /// First header named `name` (case-insensitive), unfolded, still encoded.
    pub fn header(&self, name: &str) -> Option<String> {
        header_in(split_head(&self.data).0, name)
    }

    /// The `Subject` header with RFC 2047 encoded-words decoded.
    pub fn subject_decoded(&self) -> String {
        self.header("Subject")
            .map(|s| decode_rfc2047(&s))
            .unwrap_or_default()
    }

    /// Decoded body text: a single-part message's body, or the first
    /// `text/plain` part of a multipart one (else the first `text/html`).
    pub fn body_text(&self) -> String {
        part_text(&self.data, "text/plain")
            .or_else(|| part_text(&self.data, "text/html"))
            .unwrap_or_default()
    }
}

/// Splits a MIME entity into (header block, body).
fn split_head(entity: &str) -> (&str, &str) {
    for sep in ["\r\n\r\n", "\n\n"] {
        if let Some(i) = entity.find(sep) {
            return (&entity[..i], &entity[i + sep.len()..]);
        }
    }
    (entity, "")
}

fn header_in(head: &str, name: &str) -> Option<String> {
    let mut found: Option<String> = None;
    for line in head.lines() {
        let line = line.trim_end_matches('\r');
        if line.starts_with([' ', '\t']) {
            if let Some(v) = found.as_mut() {
                v.push(' ');
                v.push_str(line.trim());
            }
            continue;
        }
        if found.is_some() {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            if k.trim().eq_ignore_ascii_case(name) {
                found = Some(v.trim().to_string());
            }
        }
    }
    found
}

/// Value of a `; key=value` parameter of a header such as Content-Type.
fn param(value: &str, key: &str) -> Option<String> {
    value.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case(key)
            .then(|| v.trim().trim_matches('"').to_string())
    })
}

/// Decoded text of the first part (searching multiparts) whose type is `want`.
fn part_text(entity: &str, want: &str) -> Option<String> {
    let (head, body) = split_head(entity);
    let ctype = header_in(head, "Content-Type").unwrap_or_else(|| "text/plain".into());
    let mime = ctype
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if mime.starts_with("multipart/") {
        let boundary = format!("--{}", param(&ctype, "boundary")?);
        let mut chunks = body.split(boundary.as_str()).skip(1);
        return chunks.find_map(|chunk| {
            if chunk.starts_with("--") {
                return None;
            }
            let chunk = chunk.trim_start_matches([' ', '\t']);
            let chunk = chunk
                .strip_prefix("\r\n")
                .or_else(|| chunk.strip_prefix('\n'))
                .unwrap_or(chunk);
            part_text(chunk, want)
        });
    }
    if mime != want {
        return None;
    }
    let cte = header_in(head, "Content-Transfer-Encoding")
        .unwrap_or_default()
        .to_ascii_lowercase();
    let bytes = match cte.as_str() {
        "base64" => decode_base64(body),
        "quoted-printable" => decode_qp(body, false),
        _ => body.as_bytes().to_vec(),
    };
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

fn decode_base64(s: &str) -> Vec<u8> {
    use base64::engine::{
        general_purpose::GeneralPurposeConfig, DecodePaddingMode, GeneralPurpose,
    };
    let lenient = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
    );
    let clean: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    lenient
        .decode(clean)
        .unwrap_or_else(|_| s.as_bytes().to_vec())
}

/// Quoted-printable (`underscore_space` = the RFC 2047 "Q" variant).
fn decode_qp(s: &str, underscore_space: bool) -> Vec<u8> {
    let s = s.replace("=\r\n", "").replace("=\n", "");
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = b
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (b[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'=', Some(v)) => {
                out.push(v);
                i += 2;
            }
            (b'_', _) if underscore_space => out.push(b' '),
            (c, _) => out.push(c),
        }
        i += 1;
    }
    out
}

/// Decodes RFC 2047 encoded-words (`=?charset?B|Q?text?=`), assuming UTF-8;
/// whitespace between two adjacent encoded-words is dropped.
pub fn decode_rfc2047(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    let mut after_word = false;
    while let Some(start) = rest.find("=?") {
        let Some((decoded, used)) = encoded_word(&rest[start..]) else {
            out.push_str(&rest[..start + 2]);
            rest = &rest[start + 2..];
            after_word = false;
            continue;
        };
        let gap = &rest[..start];
        if !(after_word && gap.trim().is_empty()) {
            out.push_str(gap);
        }
        out.push_str(&decoded);
        rest = &rest[start + used..];
        after_word = true;
    }
    out.push_str(rest);
    out
}

/// Parses one encoded-word at the start of `s`: (decoded text, bytes used).
fn encoded_word(s: &str) -> Option<(String, usize)> {
    let body = s.strip_prefix("=?")?;
    let (_charset, after) = body.split_once('?')?;
    let (enc, after) = after.split_once('?')?;
    let end = after.find("?=")?;
    let text = &after[..end];
    if text.contains(char::is_whitespace) {
        return None;
    }
    let bytes = match enc {
        "B" | "b" => decode_base64(text),
        "Q" | "q" => decode_qp(text, true),
        _ => return None,
    };
    let used = s.len() - after.len() + end + 2;
    Some((String::from_utf8_lossy(&bytes).into_owned(), used))
}
