//! Password login (account-lifecycle §4): by phone, e-mail or SNILS, with a throttle kept in the
//! database (5 failures in 15 minutes block the account for 5 minutes, whatever spelling of the
//! login is used, shared across replicas). Owns the throttle rule; the atomic counting is the
//! store's `reserve_login_attempt`.

use chrono::{Duration, NaiveDateTime};
use esia_domain::ContactKind;
use esia_domain::LoginId;
use esia_store::auth::AttemptLimits;
use esia_store::persons::PersonRow;
use esia_store::{write_transaction, DbConnection};

use crate::app::Core;
use crate::error::{CoreError, CoreResult};
use crate::session::{self, NewSession};

/// The throttle key of a login: the ACCOUNT it names (`person:<id>`), so every spelling of a
/// login — phone, e-mail, SNILS — shares one failure count; for a login naming no account, its
/// normalised form, hashed (bounded length, no personal data in the table), so unknown logins
/// are throttled the same way and a lockout does not reveal whether an account exists.
fn throttle_key(login: &str, person: Option<&PersonRow>) -> String {
    if let Some(p) = person {
        return format!("person:{}", p.id);
    }
    let normalised = match LoginId::parse(login) {
        Ok(LoginId::Phone(p)) => format!("phone:{}", p.e164()),
        Ok(LoginId::Email(e)) => format!("email:{}", e.as_str()),
        Ok(LoginId::Snils(s)) => format!("snils:{}", s.digits()),
        Err(_) => format!("raw:{}", login.trim().to_lowercase()),
    };
    format!(
        "unknown:{}",
        hex::encode(esia_crypto::hash::sha256(normalised.as_bytes()))
    )
}

/// Finds the person a login names.
pub fn find_by_login(conn: &mut DbConnection, login: &str) -> CoreResult<Option<PersonRow>> {
    Ok(match LoginId::parse(login) {
        Ok(LoginId::Phone(p)) => {
            match esia_store::persons::find_person_by_contact(conn, ContactKind::Mobile, p.e164())?
            {
                Some(person) => Some(person),
                // Eleven digits starting with 7 or 8 read as a phone first; when no account
                // has that phone and they are a valid SNILS, they name the SNILS's owner (the
                // personas API returns SNILS logins as bare digits).
                None => match esia_domain::Snils::parse(login.trim()) {
                    Ok(s) if login.trim().len() == 11 => {
                        esia_store::persons::find_person_by_snils(conn, s.digits())?
                    }
                    _ => None,
                },
            }
        }
        Ok(LoginId::Email(e)) => {
            esia_store::persons::find_person_by_contact(conn, ContactKind::Email, e.as_str())?
        }
        Ok(LoginId::Snils(s)) => esia_store::persons::find_person_by_snils(conn, s.digits())?,
        Err(_) => None,
    })
}

fn blocked_for(until: Option<NaiveDateTime>, now: NaiveDateTime) -> Option<u64> {
    let until = until?;
    (until > now).then(|| (until - now).num_seconds().max(1) as u64)
}

/// Checks login and password and opens a session. Verifying the hash costs ~16 ms of CPU at
/// the default parameters: call this off async threads.
///
/// The throttle is checked BEFORE the password, by reserving the attempt in one atomic
/// statement: at most `login.max_failures` password checks per window and account, however
/// many replicas and requests run at once. A success clears the count.
pub fn login(
    core: &Core,
    login: &str,
    password: &str,
    foreign_computer: bool,
) -> CoreResult<NewSession> {
    // A reset or snapshot import replaces every person (new ids) in one transaction; a
    // login that resolved the account just before it finds its row gone when it opens the
    // session, and resolves the login again (a few times: resets may run back to back).
    for _ in 0..3 {
        if let Some(session) = login_once(core, login, password, foreign_computer)? {
            return Ok(session);
        }
    }
    Err(CoreError::WrongCredentials)
}

/// One login attempt; `None` when the account vanished before its session was stored.
fn login_once(
    core: &Core,
    login: &str,
    password: &str,
    foreign_computer: bool,
) -> CoreResult<Option<NewSession>> {
    let cfg = &core.config.login;
    let mut conn = core.conn()?;
    let now = core.now_naive();
    let person = find_by_login(&mut conn, login)?;
    let key = throttle_key(login, person.as_ref());
    let lockout = Duration::seconds(cfg.lockout_secs as i64);
    let limits = AttemptLimits {
        now,
        window_cutoff: now - Duration::seconds(cfg.failure_window_secs as i64),
        max_attempts: i32::try_from(cfg.max_failures).unwrap_or(i32::MAX),
        lockout_until: now + lockout,
    };
    let reserved = esia_store::auth::reserve_login_attempt(&mut conn, &key, &limits)?;
    if let Some(secs) = blocked_for(reserved.blocked_until, now) {
        tracing::info!("login refused: locked");
        return Err(CoreError::TooManyAttempts {
            retry_after_secs: secs,
        });
    }
    let verified = match &person {
        Some(p) => p
            .password_hash
            .as_deref()
            .is_some_and(|hash| esia_crypto::password::verify_password(password, hash)),
        None => {
            // Spend the same time on unknown logins so timing does not reveal accounts.
            let _ = crate::password::hash(core, password);
            false
        }
    };
    let usable = person.filter(|p| verified && p.status == esia_domain::AccountStatus::Registered);
    let Some(person) = usable else {
        // The last check a window allows failed: the lockout starts now.
        let blocked = reserved.failures >= limits.max_attempts;
        if blocked {
            esia_store::auth::block_login(&mut conn, &key, limits.lockout_until)?;
        }
        tracing::info!(blocked, "login failed");
        return Err(if blocked {
            CoreError::TooManyAttempts {
                retry_after_secs: cfg.lockout_secs,
            }
        } else {
            CoreError::WrongCredentials
        });
    };
    if person.blocked {
        return Err(CoreError::Conflict("Учётная запись заблокирована".into()));
    }
    write_transaction(&mut conn, |conn| -> CoreResult<Option<NewSession>> {
        // Under the shared state lock no reset runs until this commits; one that ran
        // since the account was resolved has removed it.
        esia_store::admin::share_state_lock(conn)?;
        if esia_store::persons::find_person(conn, &person.id)?.is_none() {
            return Ok(None);
        }
        esia_store::auth::clear_throttle(conn, &key)?;
        tracing::info!(person.id = %person.id, "login succeeded");
        session::create(core, conn, &person.id, foreign_computer, "PWD").map(Some)
    })
}
