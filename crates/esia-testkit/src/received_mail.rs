//! One message the test SMTP sink accepted, and the light MIME decoding tests need to find a code
//! or a link in it: RFC 2047 subjects and base64 / quoted-printable bodies of simple single-part
//! (or first text part of a multipart) messages. Hand-written because tests need only these few
//! forms and must see the raw message too; it must not send or receive anything.

use base64::Engine as _;

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
