//! Changing a mobile phone or e-mail from the cabinet (account-lifecycle §7): the new value is
//! kept as the contact's `verifying_value` (so `/rs` shows `vrfValStu: VERIFYING` and
//! `verifyingValue`) and a code (purpose `contact_change`, see `codes.rs`) goes to the NEW
//! address; the old value stays until the code is confirmed. Codes never reach the logs.

use esia_domain::ContactKind;
use esia_store::persons::ContactRow;
use esia_store::write_transaction;

use crate::app::{new_esia_id, new_id, Core};
use crate::codes::{self, CodeCheck, ResendOutcome};
use crate::error::{CoreError, CoreResult};
use crate::notify;

pub const PURPOSE: &str = "contact_change";

/// What starting a change led to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeStarted {
    /// A code was sent to the new value.
    CodeSent,
    /// A code was sent too recently; retry later.
    Cooldown { retry_after_secs: u64 },
}

/// Normalises a new value of `kind` (mobile phone or e-mail) for storage.
fn normalise(kind: ContactKind, value: &str) -> CoreResult<String> {
    match kind {
        ContactKind::Mobile => esia_domain::Phone::parse(value)
            .map(|p| p.e164().to_string())
            .map_err(|e| CoreError::field("value", e)),
        ContactKind::Email => esia_domain::Email::parse(value)
            .map(|e| e.as_str().to_string())
            .map_err(|e| CoreError::field("value", e)),
        _ => Err(CoreError::NotFound("contact kind")),
    }
}

fn contact_of(
    conn: &mut esia_store::DbConnection,
    person_id: &str,
    kind: ContactKind,
) -> CoreResult<Option<ContactRow>> {
    Ok(esia_store::persons::contacts_of(conn, person_id)?
        .into_iter()
        .find(|c| c.kind == kind))
}

/// Starts replacing (or adding) the person's mobile phone or e-mail with `value`.
pub fn start_contact_change(
    core: &Core,
    person_id: &str,
    kind: ContactKind,
    value: &str,
) -> CoreResult<ChangeStarted> {
    let new_value = normalise(kind, value)?;
    let now = core.now_naive();
    let policy = core.config.registration.clone();
    let mut conn = core.conn()?;
    write_transaction(&mut conn, |conn| -> CoreResult<ChangeStarted> {
        let existing = contact_of(conn, person_id, kind)?;
        if let Some(owner) = esia_store::persons::find_person_by_contact(conn, kind, &new_value)? {
            let own_new = owner.id == person_id
                && existing
                    .as_ref()
                    .is_some_and(|c| c.value == new_value && !c.verified);
            if !own_new {
                return Err(CoreError::field(
                    "value",
                    esia_domain::ValidationError::new(
                        "contact_taken",
                        if owner.id == person_id {
                            "Этот контакт уже указан в вашей учётной записи"
                        } else {
                            "Этот контакт уже используется другой учётной записью"
                        },
                    ),
                ));
            }
        }
        let contact_id = match &existing {
            Some(c) => {
                esia_store::person_changes::set_contact_verifying_value(
                    conn,
                    &c.id,
                    Some(&new_value),
                    now,
                )?;
                c.id.clone()
            }
            None => {
                let id = new_id();
                esia_store::persons::insert_contact(
                    conn,
                    &ContactRow {
                        id: id.clone(),
                        esia_id: new_esia_id(),
                        person_id: person_id.into(),
                        kind,
                        value: new_value.clone(),
                        verified: false,
                        verifying_value: Some(new_value.clone()),
                        created_at: now,
                        updated_at: now,
                    },
                )?;
                id
            }
        };
        let code = match codes::resend(conn, &policy, PURPOSE, &contact_id, &new_value, now)? {
            ResendOutcome::Sent { code } => code,
            ResendOutcome::Cooldown { retry_after_secs }
            | ResendOutcome::Blocked { retry_after_secs } => {
                return Ok(ChangeStarted::Cooldown { retry_after_secs });
            }
        };
        if kind == ContactKind::Mobile {
            notify::send_sms(
                conn,
                now,
                &new_value,
                &notify::code_sms_text(&code),
                Some(&code),
                Some(person_id),
            )?;
        } else {
            notify::send_email(
                conn,
                now,
                &new_value,
                "Подтверждение адреса электронной почты",
                &format!(
                    "Код подтверждения: {code}. Никому не сообщайте его. Госуслуги (эмулятор ЕСИА)"
                ),
                None,
                Some(person_id),
            )?;
        }
        tracing::info!(person.id = %person_id, contact.kind = %kind, "contact change started");
        Ok(ChangeStarted::CodeSent)
    })
}

/// Confirms a pending change with the code sent to the new value.
pub fn confirm_contact_change(
    core: &Core,
    person_id: &str,
    kind: ContactKind,
    code: &str,
) -> CoreResult<CodeCheck> {
    let now = core.now_naive();
    let policy = core.config.registration.clone();
    let mut conn = core.conn()?;
    write_transaction(&mut conn, |conn| -> CoreResult<CodeCheck> {
        let Some(contact) = contact_of(conn, person_id, kind)? else {
            return Ok(CodeCheck::NoCode);
        };
        let Some(pending) = contact.verifying_value.clone() else {
            return Ok(CodeCheck::NoCode);
        };
        let outcome = codes::check(conn, &policy, PURPOSE, &contact.id, code, now)?;
        if outcome == CodeCheck::Accepted {
            esia_store::person_changes::confirm_contact_value(conn, &contact.id, &pending, now)
                .map_err(|e| {
                    if e.is_unique_violation() {
                        CoreError::Conflict(
                            "Этот контакт уже используется другой учётной записью".into(),
                        )
                    } else {
                        e.into()
                    }
                })?;
            tracing::info!(person.id = %person_id, contact.kind = %kind, "contact changed");
        }
        Ok(outcome)
    })
}

/// Drops a pending change; the old value stays.
pub fn cancel_contact_change(core: &Core, person_id: &str, kind: ContactKind) -> CoreResult<()> {
    let now = core.now_naive();
    let mut conn = core.conn()?;
    if let Some(c) = contact_of(&mut conn, person_id, kind)? {
        esia_store::person_changes::set_contact_verifying_value(&mut conn, &c.id, None, now)?;
    }
    Ok(())
}
