//! Outgoing messages: SMS (simulated: stored in the outbox as delivered), e-mails (stored, then
//! delivered by a `deliver_email` job enqueued in the same transaction) and their Russian texts.
//! QA reads codes and links back through the outbox API. [`deliver_email`] is the job's use case;
//! the worker crate runs it, this module never claims jobs.

use chrono::NaiveDateTime;
use esia_store::jobs::JobRow;
use esia_store::outbox::OutboxRow;
use esia_store::DbConnection;

use crate::app::{new_id, Core};
use crate::error::{CoreError, CoreResult};
use crate::jobs::{job_row, DeliverEmail};

/// Stores an SMS. SMS are simulated, so it counts as delivered at once.
pub fn send_sms(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    phone_e164: &str,
    text: &str,
    code: Option<&str>,
    person_id: Option<&str>,
) -> CoreResult<String> {
    let row = sms_row(now, phone_e164, text, code, person_id);
    esia_store::outbox::insert(conn, &row)?;
    Ok(row.id)
}

/// The outbox row of an SMS (what [`send_sms`] stores; batch writers insert many at once).
pub fn sms_row(
    now: NaiveDateTime,
    phone_e164: &str,
    text: &str,
    code: Option<&str>,
    person_id: Option<&str>,
) -> OutboxRow {
    OutboxRow {
        id: new_id(),
        kind: "sms".into(),
        recipient: phone_e164.into(),
        subject: None,
        body: text.into(),
        code: code.map(str::to_string),
        link: None,
        person_id: person_id.map(str::to_string),
        created_at: now,
        delivered_at: Some(now),
        delivery_error: None,
    }
}

/// Stores an e-mail and enqueues its delivery in the caller's transaction.
pub fn send_email(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    email: &str,
    subject: &str,
    body: &str,
    link: Option<&str>,
    person_id: Option<&str>,
) -> CoreResult<String> {
    let (row, job) = email_rows(now, email, subject, body, link, person_id);
    esia_store::outbox::insert(conn, &row)?;
    esia_store::jobs::enqueue(conn, &job)?;
    Ok(row.id)
}

/// The outbox row of an e-mail and its delivery job (what [`send_email`] stores).
pub fn email_rows(
    now: NaiveDateTime,
    email: &str,
    subject: &str,
    body: &str,
    link: Option<&str>,
    person_id: Option<&str>,
) -> (OutboxRow, JobRow) {
    let id = new_id();
    let job = job_row(
        &DeliverEmail {
            outbox_id: id.clone(),
        },
        now,
        now,
    );
    let row = OutboxRow {
        id,
        kind: "email".into(),
        recipient: email.into(),
        subject: Some(subject.into()),
        body: body.into(),
        code: None,
        link: link.map(str::to_string),
        person_id: person_id.map(str::to_string),
        created_at: now,
        delivered_at: None,
        delivery_error: None,
    };
    (row, job)
}

/// The `deliver_email` job: sends one stored e-mail; idempotent (an already delivered message
/// is not sent again). The send result is recorded on the outbox row either way.
pub fn deliver_email(core: &Core, outbox_id: &str) -> CoreResult<()> {
    let mut conn = core.conn()?;
    let row = esia_store::outbox::find(&mut conn, outbox_id)?
        .ok_or(CoreError::NotFound("outbox message"))?;
    if row.delivered_at.is_some() {
        return Ok(());
    }
    let subject = row.subject.clone().unwrap_or_default();
    let sent = core
        .mailer
        .send(&core.config.mail.from, &row.recipient, &subject, &row.body);
    let now = core.now_naive();
    esia_store::outbox::mark_delivered(
        &mut conn,
        outbox_id,
        now,
        sent.as_ref().err().map(String::as_str),
    )?;
    sent.map_err(CoreError::Internal)
}

/// The SMS text carrying a confirmation code, worded like Госуслуги.
pub fn code_sms_text(code: &str) -> String {
    format!("Код подтверждения: {code}. Никому не сообщайте его. Госуслуги (эмулятор ЕСИА)")
}

pub fn registration_email(link: &str) -> (String, String) {
    (
        "Подтверждение регистрации на Госуслугах".into(),
        format!(
            "Здравствуйте!\n\nДля завершения регистрации перейдите по ссылке и задайте пароль:\n{link}\n\n\
             Если вы не регистрировались, просто проигнорируйте это письмо.\n\n\
             Это письмо отправлено эмулятором ЕСИА (тестовая среда)."
        ),
    )
}

pub fn recovery_email(link: &str) -> (String, String) {
    (
        "Восстановление пароля на Госуслугах".into(),
        format!(
            "Здравствуйте!\n\nЧтобы задать новый пароль, перейдите по ссылке:\n{link}\n\n\
             Если вы не запрашивали восстановление, проигнорируйте это письмо.\n\n\
             Это письмо отправлено эмулятором ЕСИА (тестовая среда)."
        ),
    )
}
