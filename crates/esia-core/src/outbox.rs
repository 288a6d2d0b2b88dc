//! Reading the outbox for QA: messages newest first, filtered by recipient (phone in any accepted
//! spelling, or e-mail) and kind.

use serde::Serialize;

use crate::app::Core;
use crate::error::{CoreError, CoreResult, FieldError};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OutboxMessage {
    pub id: String,
    pub kind: String,
    pub to: String,
    pub subject: Option<String>,
    pub text: String,
    pub code: Option<String>,
    pub link: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub delivered_at: Option<chrono::DateTime<chrono::Utc>>,
    pub delivery_error: Option<String>,
}

pub fn list_outbox(
    core: &Core,
    to: Option<&str>,
    kind: Option<&str>,
    limit: i64,
) -> CoreResult<Vec<OutboxMessage>> {
    let recipient = match to.map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(t) if t.contains('@') => Some(
            esia_domain::Email::parse(t)
                .map_err(|e| CoreError::Validation(vec![FieldError::new("to", e)]))?
                .as_str()
                .to_string(),
        ),
        Some(t) => Some(
            esia_domain::Phone::parse_any(t)
                .map_err(|e| CoreError::Validation(vec![FieldError::new("to", e)]))?
                .e164()
                .to_string(),
        ),
    };
    if let Some(k) = kind {
        if !["sms", "email", "letter"].contains(&k) {
            return Err(CoreError::Validation(vec![FieldError::new(
                "kind",
                esia_domain::ValidationError::new(
                    "kind_invalid",
                    "kind must be sms, email or letter",
                ),
            )]));
        }
    }
    let mut conn = core.conn()?;
    let rows =
        esia_store::outbox::list(&mut conn, recipient.as_deref(), kind, limit.clamp(1, 1000))?;
    Ok(rows
        .into_iter()
        .map(|r| OutboxMessage {
            id: r.id,
            kind: r.kind,
            to: r.recipient,
            subject: r.subject,
            text: r.body,
            code: r.code,
            link: r.link,
            created_at: r.created_at.and_utc(),
            delivered_at: r.delivered_at.map(|d| d.and_utc()),
            delivery_error: r.delivery_error,
        })
        .collect())
}
