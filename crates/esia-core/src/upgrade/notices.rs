//! Notices of check results and confirmations: an SMS to the confirmed mobile phone and an
//! e-mail to the confirmed address, worded like real Госуслуги notices. Stored in the outbox in
//! the caller's transaction, so a notice exists exactly when the state change it reports does.

use chrono::NaiveDateTime;
use esia_domain::level::NoticeKind;
use esia_store::jobs::JobRow;
use esia_store::outbox::OutboxRow;
use esia_store::persons::{ContactRow, PersonRow};
use esia_store::DbConnection;

use crate::error::CoreResult;
use crate::notify::{email_rows, sms_row};

/// The e-mail subject of a notice.
pub fn subject(kind: NoticeKind) -> &'static str {
    match kind {
        NoticeKind::UpgradedToStandard => "Учётная запись повышена до стандартной",
        NoticeKind::CheckPassed { .. } => "Проверка данных завершена",
        NoticeKind::CheckFailed { .. } => "Данные не прошли проверку",
        NoticeKind::IdentityConfirmed => "Учётная запись подтверждена",
        NoticeKind::AccountDeleted => "Учётная запись удалена",
        NoticeKind::AccountBlocked => "Учётная запись заблокирована",
        NoticeKind::AccountUnblocked => "Учётная запись разблокирована",
    }
}

/// The e-mail body: greeting, the notice, what to do next, the emulator footer.
pub fn email_body(person: &PersonRow, kind: NoticeKind) -> String {
    let next = match kind {
        NoticeKind::CheckFailed { .. } => {
            "\n\nПроверьте личные данные в профиле и нажмите «Исправить данные»."
        }
        NoticeKind::UpgradedToStandard => {
            "\n\nТеперь вам доступно большинство услуг. Чтобы получить доступ ко всем услугам, \
             подтвердите учётную запись."
        }
        _ => "",
    };
    format!(
        "Здравствуйте, {}!\n\n{}.{next}\n\nЭто письмо отправлено эмулятором ЕСИА (тестовая среда).",
        person.name,
        kind.text_ru()
    )
}

/// Sends the notice by SMS and e-mail to the person's confirmed contacts.
pub fn notify(
    conn: &mut DbConnection,
    person: &PersonRow,
    kind: NoticeKind,
    now: NaiveDateTime,
) -> CoreResult<()> {
    let contacts = esia_store::persons::contacts_of(conn, &person.id)?;
    let mut messages = Vec::new();
    let mut deliveries = Vec::new();
    notice_rows(person, &contacts, kind, now, &mut messages, &mut deliveries);
    for m in &messages {
        esia_store::outbox::insert(conn, m)?;
    }
    for j in &deliveries {
        esia_store::jobs::enqueue(conn, j)?;
    }
    Ok(())
}

/// The outbox rows of a notice to the person's confirmed contacts (`contacts` oldest first) and
/// the delivery jobs of its e-mails, appended to `messages` and `deliveries`. Pure: [`notify`]
/// stores them at once, the batched check runner with every other notice of its batch.
pub fn notice_rows(
    person: &PersonRow,
    contacts: &[ContactRow],
    kind: NoticeKind,
    now: NaiveDateTime,
    messages: &mut Vec<OutboxRow>,
    deliveries: &mut Vec<JobRow>,
) {
    let text = kind.text_ru();
    for c in contacts.iter().filter(|c| c.verified) {
        match c.kind.as_str() {
            "MBT" => messages.push(sms_row(
                now,
                &c.value,
                &format!("{text}. Госуслуги"),
                None,
                Some(&person.id),
            )),
            "EML" => {
                let (m, j) = email_rows(
                    now,
                    &c.value,
                    subject(kind),
                    &email_body(person, kind),
                    None,
                    Some(&person.id),
                );
                messages.push(m);
                deliveries.push(j);
            }
            _ => {}
        }
    }
}
