//! E-mail delivery with lettre: SMTP when `mail.smtp` is set (e.g. mailpit), otherwise `.eml`
//! files in the data directory. Delivery runs in the worker from outbox rows; this module never
//! decides what to send.

use lettre::message::header::ContentType;
use lettre::transport::file::FileTransport;
use lettre::transport::smtp::SmtpTransport;
use lettre::{Message, Transport};

use crate::config::Config;
use crate::error::{CoreError, CoreResult};

pub(crate) enum Mailer {
    Smtp(SmtpTransport),
    File(FileTransport),
}

impl Mailer {
    pub(crate) fn from_config(config: &Config) -> CoreResult<Mailer> {
        if config.mail.smtp.is_empty() {
            let dir = config.mail_file_dir();
            std::fs::create_dir_all(&dir)
                .map_err(|e| CoreError::Config(format!("mail directory {}: {e}", dir.display())))?;
            return Ok(Mailer::File(FileTransport::new(dir)));
        }
        let url = url::Url::parse(&config.mail.smtp)
            .map_err(|e| CoreError::Config(format!("mail.smtp: {e}")))?;
        let host = url.host_str().unwrap_or("127.0.0.1").to_string();
        let port = url.port().unwrap_or(25);
        // Plain SMTP without TLS: the targets are local sinks such as mailpit.
        Ok(Mailer::Smtp(
            SmtpTransport::builder_dangerous(host).port(port).build(),
        ))
    }

    /// Sends one message; the error text is stored on the outbox row and in the job.
    pub(crate) fn send(
        &self,
        from: &str,
        to: &str,
        subject: &str,
        body: &str,
    ) -> Result<(), String> {
        let message = Message::builder()
            .from(from.parse().map_err(|e| format!("bad From address: {e}"))?)
            .to(to
                .parse()
                .map_err(|e| format!("bad recipient address: {e}"))?)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body.to_string())
            .map_err(|e| format!("cannot build message: {e}"))?;
        match self {
            Mailer::Smtp(t) => t
                .send(&message)
                .map(|_| ())
                .map_err(|e| format!("SMTP: {e}")),
            Mailer::File(t) => t
                .send(&message)
                .map(|_| ())
                .map_err(|e| format!("file transport: {e}")),
        }
    }
}
