//! Identity confirmation (account-lifecycle §6): a code by Russian Post (a `post_letter` job
//! delivers it after the configured delay; it expires and allows few wrong tries), a service
//! centre operator, an online bank and an electronic signature. Every way ends in the level
//! machine's `IdentityConfirmed` event; the log of confirmations is kept for QA.

use esia_domain::level::{AccountEvent, AccountLevel, BankId, ConfirmationMethod};
use esia_domain::ContactKind;
use esia_domain::LetterStatus;
use esia_store::verification::{ConfirmationRow, PostLetterRow};
use esia_store::{write_transaction, DbConnection};

use crate::app::{new_code, new_id, Core};
use crate::error::{CoreError, CoreResult};

/// What the «Подтвердить учётную запись» page shows.
#[derive(Debug, Clone)]
pub struct ConfirmView {
    pub level: AccountLevel,
    /// `none`, `ordered` or `delivered`.
    pub letter: String,
    /// The challenge to sign with an electronic signature.
    pub challenge: String,
}

/// The result of typing the post code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PostCodeResult {
    Confirmed,
    Wrong { attempts_left: u32 },
    Expired,
    Blocked,
    NotDelivered,
}

/// Confirms the identity in the caller's transaction.
pub(crate) fn confirm_in(
    core: &Core,
    conn: &mut DbConnection,
    person_id: &str,
    method: ConfirmationMethod,
    detail: Option<&str>,
) -> CoreResult<()> {
    let now = core.now_naive();
    let person = super::person_locked(conn, person_id)?;
    super::apply_event(
        core,
        conn,
        &person,
        AccountEvent::IdentityConfirmed(method),
        &new_id(),
        now,
    )?;
    esia_store::verification::insert_confirmation(
        conn,
        &ConfirmationRow {
            id: new_id(),
            person_id: person_id.into(),
            method: method.as_str().into(),
            detail: detail.map(str::to_string),
            created_at: now,
        },
    )?;
    Ok(())
}

/// The signature challenge of a person: stable, so a page reload does not invalidate it.
pub fn challenge(person_id: &str) -> String {
    format!("esia-emulator: подтверждение личности {person_id}")
}

pub fn confirm_view(core: &Core, person_id: &str) -> CoreResult<ConfirmView> {
    let mut conn = core.conn()?;
    let p = super::person(&mut conn, person_id)?;
    let letter = esia_store::verification::latest_letter(&mut conn, person_id)?
        .map_or("none".to_string(), |l| l.status.to_string());
    Ok(ConfirmView {
        level: p.level,
        letter,
        challenge: challenge(person_id),
    })
}

/// «Заказать код подтверждения»: a letter job due after the post's delay.
pub fn order_post_code(core: &Core, person_id: &str) -> CoreResult<()> {
    let now = core.now_naive();
    let mut conn = core.conn()?;
    write_transaction(&mut conn, |conn| -> CoreResult<()> {
        let p = super::person_locked(conn, person_id)?;
        if p.level != AccountLevel::Standard {
            return Err(CoreError::Conflict(
                "Подтвердить личность можно только для стандартной учётной записи".into(),
            ));
        }
        if esia_store::verification::latest_letter(conn, person_id)?
            .is_some_and(|l| l.status == LetterStatus::Ordered)
        {
            return Err(CoreError::Conflict("Письмо с кодом уже в пути".into()));
        }
        let letter_id = new_id();
        esia_store::verification::insert_letter(
            conn,
            &PostLetterRow {
                id: letter_id.clone(),
                person_id: person_id.into(),
                status: LetterStatus::Ordered,
                code: None,
                attempts_left: core.config.verification.post_code_attempts as i32,
                expires_at: None,
                ordered_at: now,
                delivered_at: None,
            },
        )?;
        let delay = core.config.verification.post_letter_delay_secs as i64;
        crate::jobs::enqueue(
            conn,
            &crate::jobs::PostLetter { letter_id },
            now + chrono::Duration::seconds(delay),
            now,
        )?;
        Ok(())
    })
}

/// Checks the code from the letter; confirms on a match.
pub fn enter_post_code(core: &Core, person_id: &str, typed: &str) -> CoreResult<PostCodeResult> {
    let now = core.now_naive();
    let mut conn = core.conn()?;
    write_transaction(&mut conn, |conn| -> CoreResult<PostCodeResult> {
        let Some(letter) = esia_store::verification::latest_letter(conn, person_id)? else {
            return Ok(PostCodeResult::NotDelivered);
        };
        let (Some(code), Some(expires_at)) = (letter.code.as_deref(), letter.expires_at) else {
            return Ok(PostCodeResult::NotDelivered);
        };
        if letter.status != LetterStatus::Delivered {
            return Ok(PostCodeResult::NotDelivered);
        }
        if letter.attempts_left <= 0 {
            return Ok(PostCodeResult::Blocked);
        }
        if expires_at <= now {
            return Ok(PostCodeResult::Expired);
        }
        if typed.trim() == code {
            esia_store::verification::update_letter_code_state(
                conn,
                &letter.id,
                letter.attempts_left,
                LetterStatus::Used,
            )?;
            confirm_in(core, conn, person_id, ConfirmationMethod::PostCode, None)?;
            return Ok(PostCodeResult::Confirmed);
        }
        let left = letter.attempts_left - 1;
        esia_store::verification::update_letter_code_state(
            conn,
            &letter.id,
            left,
            LetterStatus::Delivered,
        )?;
        Ok(if left <= 0 {
            PostCodeResult::Blocked
        } else {
            PostCodeResult::Wrong {
                attempts_left: left as u32,
            }
        })
    })
}

/// Service centre: the operator confirms after comparing the documents.
pub fn operator_confirm(core: &Core, person_id: &str) -> CoreResult<()> {
    let mut conn = core.conn()?;
    write_transaction(&mut conn, |conn| {
        confirm_in(
            core,
            conn,
            person_id,
            ConfirmationMethod::ServiceCentre,
            None,
        )
    })
}

/// Online bank: the bank sends the data it knows (the registry entry of the person's
/// SNILS); ESIA confirms when they match the profile. `Err(Conflict)` names the mismatch.
pub fn bank_confirm(core: &Core, person_id: &str, bank: BankId) -> CoreResult<()> {
    let mut conn = core.conn()?;
    write_transaction(&mut conn, |conn| -> CoreResult<()> {
        let p = super::person_locked(conn, person_id)?;
        // A simplified account has no checked SNILS for the bank to compare: say what is
        // missing instead of «not found».
        if p.level == AccountLevel::Simplified {
            return Err(CoreError::Conflict(
                "Через банк подтверждается только стандартная учётная запись. Сначала \
                 заполните персональные данные в профиле Госуслуг и дождитесь их проверки."
                    .into(),
            ));
        }
        let real = match p.snils.as_deref() {
            Some(s) => esia_store::verification::registry_by_snils(conn, s)?,
            None => None,
        };
        let Some(real) = real else {
            return Err(CoreError::Conflict(
                "Банк не нашёл клиента с таким СНИЛС".into(),
            ));
        };
        let same = |a: &str, b: &str| a.trim().to_lowercase() == b.trim().to_lowercase();
        if !(same(&p.surname, &real.surname)
            && same(&p.name, &real.name)
            && p.birth_date == Some(real.birth_date))
        {
            return Err(CoreError::Conflict(
                "Данные банка не совпадают с данными учётной записи".into(),
            ));
        }
        confirm_in(
            core,
            conn,
            person_id,
            ConfirmationMethod::Bank(bank),
            Some(bank.title_ru()),
        )
    })
}

/// [`signature_confirm`] with the signature as base64 (whitespace ignored).
pub fn signature_confirm_base64(core: &Core, person_id: &str, b64: &str) -> CoreResult<()> {
    let cert = verify_signature_base64(&challenge(person_id), b64)?;
    signature_confirm_cert(core, person_id, &cert)
}

/// Electronic signature: a CMS signature of [`challenge`] by a certificate whose SNILS and
/// surname match the profile.
pub fn signature_confirm(core: &Core, person_id: &str, cms_der: &[u8]) -> CoreResult<()> {
    let cert = verify_signature(&challenge(person_id), cms_der)?;
    signature_confirm_cert(core, person_id, &cert)
}

fn signature_confirm_cert(
    core: &Core,
    person_id: &str,
    cert: &esia_crypto::cert::ParsedCert,
) -> CoreResult<()> {
    let mut conn = core.conn()?;
    write_transaction(&mut conn, |conn| -> CoreResult<()> {
        let p = super::person_locked(conn, person_id)?;
        let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
        let snils_ok = cert.snils.as_deref().map(digits) == p.snils.clone();
        let surname_ok = cert
            .surname
            .as_deref()
            .is_some_and(|s| s.trim().to_lowercase() == p.surname.to_lowercase());
        if !(snils_ok && surname_ok) {
            return Err(CoreError::Conflict(
                "СНИЛС или фамилия в сертификате не совпадают с данными учётной записи".into(),
            ));
        }
        confirm_in(core, conn, person_id, ConfirmationMethod::ESignature, None)
    })
}

/// Verifies a base64 CMS (whitespace ignored) over `message`; returns the signer certificate.
pub(crate) fn verify_signature_base64(
    message: &str,
    b64: &str,
) -> CoreResult<esia_crypto::cert::ParsedCert> {
    use base64::Engine;
    let cleaned: String = b64.split_whitespace().collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(cleaned.as_bytes())
        .map_err(|_| CoreError::Conflict("Подпись должна быть в base64 (CMS, DER)".into()))?;
    verify_signature(message, &der)
}

/// Verifies a CMS signature (detached or attached, GOST or RSA) over `message` with its
/// embedded certificate; returns that certificate.
pub(crate) fn verify_signature(
    message: &str,
    cms_der: &[u8],
) -> CoreResult<esia_crypto::cert::ParsedCert> {
    let parsed = esia_crypto::cms::ParsedCms::parse(cms_der)
        .map_err(|_| CoreError::Conflict("Подпись не распознана".into()))?;
    let certs = parsed.embedded_certs().to_vec();
    parsed
        .verify(message.as_bytes(), &certs)
        .map_err(|_| CoreError::Conflict("Подпись не прошла проверку".into()))?;
    certs
        .into_iter()
        .next()
        .ok_or_else(|| CoreError::Conflict("В подписи нет сертификата".into()))
}

/// The `post_letter` job: delivers letter `letter_id` with a fresh code, once.
pub fn run_letter(core: &Core, letter_id: &str) -> CoreResult<()> {
    let now = core.now_naive();
    let mut conn = core.conn()?;
    write_transaction(&mut conn, |conn| -> CoreResult<()> {
        let Some(letter) = esia_store::verification::find_letter(conn, letter_id)? else {
            return Ok(());
        };
        let code = new_code();
        let ttl = core.config.verification.post_code_ttl_secs as i64;
        let expires_at = now + chrono::Duration::seconds(ttl);
        if !esia_store::verification::deliver_letter(conn, &letter.id, &code, expires_at, now)? {
            return Ok(());
        }
        let person = super::person(conn, &letter.person_id)?;
        // The outbox is read by phone or e-mail: the letter is filed under the holder's mobile
        // phone (else e-mail, else oid), so QA finds it with `?to=<phone>&kind=letter`.
        let contacts = esia_store::persons::contacts_of(conn, &person.id)?;
        let recipient = [ContactKind::Mobile, ContactKind::Email]
            .iter()
            .find_map(|k| {
                contacts
                    .iter()
                    .find(|c| c.kind == *k)
                    .map(|c| c.value.clone())
            })
            .unwrap_or_else(|| person.oid.to_string());
        esia_store::outbox::insert(
            conn,
            &esia_store::outbox::OutboxRow {
                id: letter.id.clone(),
                kind: "letter".into(),
                recipient,
                subject: Some("Код подтверждения личности".into()),
                body: format!(
                    "{}\nКод подтверждения личности для Госуслуг: {code}. Введите его в профиле \
                     в разделе «Подтвердить учётную запись». Никому не сообщайте его.",
                    super::full_name(&person)
                ),
                code: Some(code),
                link: None,
                person_id: Some(person.id.clone()),
                created_at: now,
                delivered_at: Some(now),
                delivery_error: None,
            },
        )?;
        tracing::info!(person.id = %person.id, letter.id = %letter.id, "post letter delivered");
        Ok(())
    })
}
