//! A real, tiny SMTP server for tests. This module owns the sink that
//! listens on `127.0.0.1:0`, speaks just enough plain ESMTP for lettre's SMTP
//! transport (no STARTTLS, no AUTH: greeting, EHLO/HELO, MAIL, RCPT, DATA with
//! dot-unstuffing, RSET, NOOP, QUIT), keeps every accepted message in memory
//! as [`ReceivedMail`], and lets tests wait (bounded) for messages. Reading a
//! message (MIME) is `received_mail`'s.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;
use tokio::task::JoinHandle;

pub use crate::received_mail::{decode_rfc2047, ReceivedMail};

/// Largest message the sink accepts (bytes of DATA).
const MAX_MESSAGE: usize = 25 * 1024 * 1024;

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
