//! Simplified registration (account-lifecycle §3): the form, the SMS code or e-mail link that
//! proves the contact, the password, and the new simplified account with a browser session.

use chrono::Duration;
use esia_domain::ContactKind;
use esia_domain::{Email, PersonName, Phone};
use esia_store::auth::{EmailLinkRow, RegistrationRow};
use esia_store::persons::{ContactRow, PersonRow};
use esia_store::write_transaction;

use crate::app::{new_esia_id, new_id, new_oid, new_token, Core};
use crate::codes::{self, CodeCheck, ResendOutcome};
use crate::error::{CoreError, CoreResult, FieldError};
use crate::notify;
use crate::session::{self, NewSession};

pub const PURPOSE: &str = "registration";

/// The registration form as typed.
#[derive(Debug, Clone, Default)]
pub struct RegistrationForm {
    pub surname: String,
    pub name: String,
    pub patronymic: String,
    pub phone: String,
    pub email: String,
}

/// Where the user goes after the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegistrationStarted {
    /// An SMS code went to this phone (shown masked).
    CodeSent {
        registration_id: String,
        phone_pretty: String,
    },
    /// A link went to this e-mail.
    LinkSent {
        registration_id: String,
        email: String,
    },
}

/// What the code page shows.
#[derive(Debug, Clone)]
pub struct RegistrationState {
    pub phone_pretty: Option<String>,
    pub email: Option<String>,
    pub contact_confirmed: bool,
    pub completed: bool,
    pub resend_in_secs: u64,
}

/// Validates the form, refuses taken contacts, stores the pending registration and sends the
/// code (phone given) or the link (e-mail only).
pub fn start_registration(core: &Core, form: &RegistrationForm) -> CoreResult<RegistrationStarted> {
    let mut errors = Vec::new();
    let surname = PersonName::parse(&form.surname)
        .map_err(|e| errors.push(FieldError::new("surname", e)))
        .ok();
    let name = PersonName::parse(&form.name)
        .map_err(|e| errors.push(FieldError::new("name", e)))
        .ok();
    let patronymic = if form.patronymic.trim().is_empty() {
        None
    } else {
        PersonName::parse(&form.patronymic)
            .map_err(|e| errors.push(FieldError::new("patronymic", e)))
            .ok()
    };
    let phone = if form.phone.trim().is_empty() {
        None
    } else {
        Phone::parse(&form.phone)
            .map_err(|e| errors.push(FieldError::new("phone", e)))
            .ok()
    };
    let email = if form.email.trim().is_empty() {
        None
    } else {
        Email::parse(&form.email)
            .map_err(|e| errors.push(FieldError::new("email", e)))
            .ok()
    };
    if form.phone.trim().is_empty() && form.email.trim().is_empty() {
        errors.push(FieldError::new(
            "phone",
            esia_domain::ValidationError::new(
                "contact_required",
                "Укажите мобильный телефон или электронную почту",
            ),
        ));
    }
    let mut conn = core.conn()?;
    if let Some(p) = &phone {
        if esia_store::persons::contact_value_taken(&mut conn, ContactKind::Mobile, p.e164())? {
            errors.push(FieldError::new(
                "phone",
                esia_domain::ValidationError::new(
                    "phone_taken",
                    "Этот номер уже используется другой учётной записью",
                ),
            ));
        }
    }
    if let Some(e) = &email {
        if esia_store::persons::contact_value_taken(&mut conn, ContactKind::Email, e.as_str())? {
            errors.push(FieldError::new(
                "email",
                esia_domain::ValidationError::new(
                    "email_taken",
                    "Эта почта уже используется другой учётной записью",
                ),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(CoreError::Validation(errors));
    }
    let (Some(surname), Some(name)) = (surname, name) else {
        return Err(CoreError::Internal("validated names missing".into()));
    };
    let now = core.now_naive();
    let id = new_id();
    let cfg = &core.config.registration;
    let row = RegistrationRow {
        id: id.clone(),
        surname: surname.as_str().into(),
        name: name.as_str().into(),
        patronymic: patronymic.map(|p| p.as_str().to_string()),
        phone: phone.as_ref().map(|p| p.e164().to_string()),
        email: email.as_ref().map(|e| e.as_str().to_string()),
        phone_confirmed: false,
        email_confirmed: false,
        completed_person_id: None,
        created_at: now,
        expires_at: now + Duration::seconds(cfg.pending_ttl_secs as i64),
    };
    let base = core.config.public_base_url();
    write_transaction(&mut conn, |conn| -> CoreResult<RegistrationStarted> {
        esia_store::auth::insert_registration(conn, &row)?;
        if let Some(p) = &phone {
            let code = codes::issue(conn, cfg, PURPOSE, &id, p.e164(), now)?;
            notify::send_sms(
                conn,
                now,
                p.e164(),
                &notify::code_sms_text(&code),
                Some(&code),
                None,
            )?;
            tracing::info!(registration.id = %id, channel = "sms", "registration started");
            Ok(RegistrationStarted::CodeSent {
                registration_id: id.clone(),
                phone_pretty: p.pretty(),
            })
        } else if let Some(e) = &email {
            let token = new_token();
            esia_store::auth::insert_email_link(
                conn,
                &EmailLinkRow {
                    token: token.clone(),
                    purpose: PURPOSE.into(),
                    subject_id: id.clone(),
                    email: e.as_str().into(),
                    created_at: now,
                    expires_at: now + Duration::seconds(cfg.email_link_ttl_secs as i64),
                    used_at: None,
                },
            )?;
            let link = format!("{base}/registration/email/{token}");
            let (subject, body) = notify::registration_email(&link);
            notify::send_email(conn, now, e.as_str(), &subject, &body, Some(&link), None)?;
            tracing::info!(registration.id = %id, channel = "email", "registration started");
            Ok(RegistrationStarted::LinkSent {
                registration_id: id.clone(),
                email: e.as_str().into(),
            })
        } else {
            Err(CoreError::Internal("no contact after validation".into()))
        }
    })
}

fn pending_registration(
    core: &Core,
    conn: &mut esia_store::DbConnection,
    id: &str,
) -> CoreResult<RegistrationRow> {
    let row = esia_store::auth::find_registration(conn, id)?
        .ok_or(CoreError::NotFound("registration"))?;
    if row.expires_at <= core.now_naive() {
        return Err(CoreError::Expired("registration"));
    }
    Ok(row)
}

/// What the code and password pages need to show.
pub fn registration_state(core: &Core, id: &str) -> CoreResult<RegistrationState> {
    let mut conn = core.conn()?;
    let row = pending_registration(core, &mut conn, id)?;
    let resend_in_secs = codes::cooldown_left(
        &mut conn,
        &core.config.registration,
        PURPOSE,
        id,
        core.now_naive(),
    )?;
    Ok(RegistrationState {
        phone_pretty: row
            .phone
            .as_deref()
            .and_then(|p| Phone::parse(p).ok())
            .map(|p| p.pretty()),
        email: row.email.clone(),
        contact_confirmed: row.phone_confirmed || row.email_confirmed,
        completed: row.completed_person_id.is_some(),
        resend_in_secs,
    })
}

/// Checks the SMS code of a registration.
pub fn confirm_registration_code(core: &Core, id: &str, code: &str) -> CoreResult<CodeCheck> {
    let mut conn = core.conn()?;
    let now = core.now_naive();
    let cfg = &core.config.registration;
    write_transaction(&mut conn, |conn| -> CoreResult<CodeCheck> {
        pending_registration(core, conn, id)?;
        let outcome = codes::check(conn, cfg, PURPOSE, id, code, now)?;
        if outcome == CodeCheck::Accepted {
            esia_store::auth::mark_registration_confirmed(conn, id, true, false)?;
        }
        Ok(outcome)
    })
}

/// Sends a new SMS code unless the cooldown or a block forbids it.
pub fn resend_registration_code(core: &Core, id: &str) -> CoreResult<ResendOutcome> {
    let mut conn = core.conn()?;
    let now = core.now_naive();
    let cfg = &core.config.registration;
    write_transaction(&mut conn, |conn| -> CoreResult<ResendOutcome> {
        let row = pending_registration(core, conn, id)?;
        let phone = row
            .phone
            .ok_or(CoreError::Conflict("Регистрация без телефона".into()))?;
        let outcome = codes::resend(conn, cfg, PURPOSE, id, &phone, now)?;
        if let ResendOutcome::Sent { code } = &outcome {
            notify::send_sms(
                conn,
                now,
                &phone,
                &notify::code_sms_text(code),
                Some(code),
                None,
            )?;
        }
        Ok(outcome)
    })
}

/// Opens the e-mail link: marks the e-mail confirmed and returns the registration id.
pub fn open_registration_link(core: &Core, token: &str) -> CoreResult<String> {
    let mut conn = core.conn()?;
    let now = core.now_naive();
    write_transaction(&mut conn, |conn| -> CoreResult<String> {
        let link = esia_store::auth::find_email_link(conn, token)?
            .filter(|l| l.purpose == PURPOSE)
            .ok_or(CoreError::NotFound("link"))?;
        if link.expires_at <= now {
            return Err(CoreError::Expired("link"));
        }
        let row = pending_registration(core, conn, &link.subject_id)?;
        if row.completed_person_id.is_some() {
            return Err(CoreError::Expired("link"));
        }
        esia_store::auth::mark_registration_confirmed(conn, &link.subject_id, false, true)?;
        Ok(link.subject_id)
    })
}

/// Sets the password and creates the simplified account with its confirmed contact, then
/// logs the user in. Hashing runs here, so call this off async threads.
pub fn complete_registration(
    core: &Core,
    id: &str,
    password: &str,
    repeat: &str,
) -> CoreResult<NewSession> {
    crate::password::check_new_password(password, repeat)?;
    let hash = crate::password::hash(core, password)?;
    let mut conn = core.conn()?;
    let now = core.now_naive();
    let person_id = new_id();
    write_transaction(&mut conn, |conn| -> CoreResult<NewSession> {
        let row = pending_registration(core, conn, id)?;
        if row.completed_person_id.is_some() {
            return Err(CoreError::Expired("registration"));
        }
        if !row.phone_confirmed && !row.email_confirmed {
            return Err(CoreError::Conflict("Контакт ещё не подтверждён".into()));
        }
        esia_store::persons::insert_person(
            conn,
            &PersonRow {
                password_hash: Some(hash.clone()),
                ..PersonRow::new_simplified(
                    person_id.clone(),
                    new_oid(),
                    row.surname.clone(),
                    row.name.clone(),
                    row.patronymic.clone(),
                    now,
                )
            },
        )?;
        for (kind, value, verified) in [
            (ContactKind::Mobile, row.phone.clone(), row.phone_confirmed),
            (ContactKind::Email, row.email.clone(), row.email_confirmed),
        ] {
            let Some(value) = value else { continue };
            let insert = esia_store::persons::insert_contact(
                conn,
                &ContactRow {
                    id: new_id(),
                    esia_id: new_esia_id(),
                    person_id: person_id.clone(),
                    kind,
                    value,
                    verified,
                    verifying_value: None,
                    created_at: now,
                    updated_at: now,
                },
            );
            if let Err(e) = insert {
                return Err(if e.is_unique_violation() {
                    CoreError::Conflict("Контакт уже используется другой учётной записью".into())
                } else {
                    e.into()
                });
            }
        }
        esia_store::auth::complete_registration(conn, id, &person_id)?;
        tracing::info!(registration.id = %id, person.id = %person_id, "registration completed");
        session::create(core, conn, &person_id, false, "PWD")
    })
}
