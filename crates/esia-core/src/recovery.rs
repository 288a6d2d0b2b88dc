//! Password recovery (account-lifecycle §4): a code to the confirmed phone or a link to the
//! confirmed e-mail, then a new password that follows the rules. Old sessions end.

use chrono::Duration;
use esia_domain::ContactKind;
use esia_domain::LoginId;
use esia_store::auth::EmailLinkRow;
use esia_store::write_transaction;

use crate::app::{new_token, Core};
use crate::codes::{self, CodeCheck};
use crate::error::{CoreError, CoreResult, FieldError};
use crate::notify;

pub const PURPOSE: &str = "recovery";
const PASSWORD_STEP: &str = "password_step";

/// Where recovery continues.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecoveryStarted {
    /// A code went by SMS; the code page works on `person_ref`.
    CodeSent {
        person_ref: String,
        phone_pretty: String,
    },
    /// A link went by e-mail.
    LinkSent { email: String },
}

/// Starts recovery for a login: a phone login gets an SMS code, an e-mail login a link, a
/// SNILS login uses the confirmed phone if any, else the e-mail.
pub fn start_recovery(core: &Core, login: &str) -> CoreResult<RecoveryStarted> {
    let parsed = LoginId::parse(login)
        .map_err(|e| CoreError::Validation(vec![FieldError::new("login", e)]))?;
    let mut conn = core.conn()?;
    let person = crate::login::find_by_login(&mut conn, login)?
        .filter(|p| p.status == esia_domain::AccountStatus::Registered)
        .ok_or(CoreError::NotFound("account"))?;
    let contacts = esia_store::persons::contacts_of(&mut conn, &person.id)?;
    let phone = contacts
        .iter()
        .find(|c| c.kind == ContactKind::Mobile && c.verified)
        .map(|c| c.value.clone());
    let email = contacts
        .iter()
        .find(|c| c.kind == ContactKind::Email && c.verified)
        .map(|c| c.value.clone());
    let use_email = matches!(parsed, LoginId::Email(_)) || phone.is_none();
    let now = core.now_naive();
    let cfg = &core.config.registration;
    let base = core.config.public_base_url();
    write_transaction(&mut conn, |conn| -> CoreResult<RecoveryStarted> {
        if use_email {
            let email = email.clone().ok_or(CoreError::Conflict(
                "Нет подтверждённого контакта для восстановления".into(),
            ))?;
            let token = new_token();
            esia_store::auth::insert_email_link(
                conn,
                &EmailLinkRow {
                    token: token.clone(),
                    purpose: PURPOSE.into(),
                    subject_id: person.id.clone(),
                    email: email.clone(),
                    created_at: now,
                    expires_at: now + Duration::seconds(cfg.email_link_ttl_secs as i64),
                    used_at: None,
                },
            )?;
            let link = format!("{base}/recovery/password/{token}");
            let (subject, body) = notify::recovery_email(&link);
            notify::send_email(
                conn,
                now,
                &email,
                &subject,
                &body,
                Some(&link),
                Some(&person.id),
            )?;
            Ok(RecoveryStarted::LinkSent { email })
        } else {
            let phone = phone
                .clone()
                .ok_or(CoreError::Internal("phone vanished".into()))?;
            match codes::resend(conn, cfg, PURPOSE, &person.id, &phone, now)? {
                codes::ResendOutcome::Sent { code } => {
                    notify::send_sms(
                        conn,
                        now,
                        &phone,
                        &notify::code_sms_text(&code),
                        Some(&code),
                        Some(&person.id),
                    )?;
                }
                codes::ResendOutcome::Cooldown { .. } => {}
                codes::ResendOutcome::Blocked { retry_after_secs } => {
                    return Err(CoreError::TooManyAttempts { retry_after_secs })
                }
            }
            let pretty = esia_domain::Phone::parse(&phone)
                .map(|p| p.pretty())
                .unwrap_or(phone);
            Ok(RecoveryStarted::CodeSent {
                person_ref: person.id.clone(),
                phone_pretty: pretty,
            })
        }
    })
}

/// Checks the recovery SMS code; on success returns a one-time token for the password page.
pub fn confirm_recovery_code(
    core: &Core,
    person_ref: &str,
    code: &str,
) -> CoreResult<Result<String, CodeCheck>> {
    let mut conn = core.conn()?;
    let now = core.now_naive();
    let cfg = &core.config.registration;
    write_transaction(&mut conn, |conn| -> CoreResult<Result<String, CodeCheck>> {
        let outcome = codes::check(conn, cfg, PURPOSE, person_ref, code, now)?;
        if outcome != CodeCheck::Accepted {
            return Ok(Err(outcome));
        }
        let token = new_token();
        esia_store::auth::insert_email_link(
            conn,
            &EmailLinkRow {
                token: token.clone(),
                purpose: PASSWORD_STEP.into(),
                subject_id: person_ref.into(),
                email: String::new(),
                created_at: now,
                expires_at: now + Duration::seconds(cfg.code_ttl_secs as i64 * 2),
                used_at: None,
            },
        )?;
        Ok(Ok(token))
    })
}

/// True when a recovery token (from the e-mail or the code step) can still set a password.
pub fn recovery_token_valid(core: &Core, token: &str) -> CoreResult<bool> {
    let mut conn = core.conn()?;
    let now = core.now_naive();
    Ok(
        esia_store::auth::find_email_link(&mut conn, token)?.is_some_and(|l| {
            (l.purpose == PURPOSE || l.purpose == PASSWORD_STEP)
                && l.used_at.is_none()
                && l.expires_at > now
        }),
    )
}

/// Sets the new password with a recovery token, ends every session of the person and clears
/// the login throttle of their logins.
pub fn finish_recovery(core: &Core, token: &str, password: &str, repeat: &str) -> CoreResult<()> {
    crate::password::check_new_password(password, repeat)?;
    let hash = crate::password::hash(core, password)?;
    let mut conn = core.conn()?;
    let now = core.now_naive();
    write_transaction(&mut conn, |conn| -> CoreResult<()> {
        let link = esia_store::auth::find_email_link(conn, token)?
            .filter(|l| l.purpose == PURPOSE || l.purpose == PASSWORD_STEP)
            .ok_or(CoreError::NotFound("link"))?;
        if link.expires_at <= now || esia_store::auth::use_email_link(conn, token, now)? == 0 {
            return Err(CoreError::Expired("link"));
        }
        esia_store::persons::update_password(conn, &link.subject_id, &hash, now)?;
        esia_store::auth::end_sessions_of_person(conn, &link.subject_id, now)?;
        for c in esia_store::persons::contacts_of(conn, &link.subject_id)? {
            let key = if c.kind == ContactKind::Mobile {
                format!("phone:{}", c.value)
            } else {
                format!("email:{}", c.value)
            };
            esia_store::auth::clear_throttle(conn, &key)?;
        }
        tracing::info!(person.id = %link.subject_id, "password recovered");
        Ok(())
    })
}
