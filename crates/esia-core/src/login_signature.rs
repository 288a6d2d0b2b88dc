//! Login with an electronic signature («Вход с помощью электронной подписи», account-lifecycle
//! §4): the user signs a challenge with a qualified certificate (a CMS, GOST or RSA, through
//! `esia_crypto::cms`); the certificate's SNILS identifies a confirmed account, and the session's
//! authentication method is `DS`, so tokens carry `amr` / `urn:esia:amd` `DS` (protocol §8).
//! Kept apart from the password login so the two evolve independently.

use esia_store::write_transaction;

use crate::app::Core;
use crate::error::{CoreError, CoreResult};
use crate::session::{self, NewSession};

/// The session authentication method of a signature login.
pub const AUTH_METHOD_DS: &str = "DS";

/// The text to sign for a login. `nonce` is the browser's CSRF token: the signature is bound to
/// that browser and only the holder of the private key can produce it.
pub fn signature_login_challenge(nonce: &str) -> String {
    format!("esia-emulator: вход с помощью электронной подписи {nonce}")
}

/// Verifies a base64 CMS (whitespace ignored) of [`signature_login_challenge`]`(nonce)` and
/// opens a `DS` session for the confirmed account whose SNILS is in the signer certificate.
/// Refusals are `Conflict` with the Russian text the page shows.
pub fn login_with_signature_base64(
    core: &Core,
    nonce: &str,
    b64: &str,
    foreign_computer: bool,
) -> CoreResult<NewSession> {
    let cert =
        crate::upgrade::confirm::verify_signature_base64(&signature_login_challenge(nonce), b64)?;
    let now = core.now();
    // Five minutes of leeway for a certificate made just now on a machine whose clock runs
    // a little ahead.
    if cert.not_before > now + chrono::Duration::minutes(5) || cert.not_after < now {
        return Err(CoreError::Conflict(
            "Срок действия сертификата истёк или не начался".into(),
        ));
    }
    let Some(snils) = cert
        .snils
        .as_deref()
        .map(|s| s.chars().filter(char::is_ascii_digit).collect::<String>())
        .filter(|s| s.len() == 11)
    else {
        return Err(CoreError::Conflict("В сертификате нет СНИЛС".into()));
    };
    let mut conn = core.conn()?;
    let person = esia_store::persons::find_person_by_snils(&mut conn, &snils)?
        .filter(|p| p.status == esia_domain::AccountStatus::Registered)
        .ok_or_else(|| {
            CoreError::Conflict("Учётная запись с СНИЛС из сертификата не найдена".into())
        })?;
    if person.level != esia_domain::AccountLevel::Confirmed {
        return Err(CoreError::Conflict(
            "Вход с помощью электронной подписи доступен только для подтверждённой учётной записи"
                .into(),
        ));
    }
    if person.blocked {
        return Err(CoreError::Conflict("Учётная запись заблокирована".into()));
    }
    write_transaction(&mut conn, |conn| -> CoreResult<NewSession> {
        tracing::info!(person.id = %person.id, "login with an electronic signature");
        session::create(core, conn, &person.id, foreign_computer, AUTH_METHOD_DS)
    })
}
