//! Password login (account-lifecycle §4): by phone, e-mail or SNILS, with a throttle kept in the
//! database (5 failures in 15 minutes block the login for 5 minutes, shared across replicas).

use chrono::{Duration, NaiveDateTime};
use esia_domain::LoginId;
use esia_store::auth::ThrottleRow;
use esia_store::persons::PersonRow;
use esia_store::{write_transaction, DbConnection};

use crate::app::Core;
use crate::error::{CoreError, CoreResult};
use crate::session::{self, NewSession};

/// The canonical key of a login for throttling and lookup.
fn throttle_key(login: &str) -> String {
    match LoginId::parse(login) {
        Ok(LoginId::Phone(p)) => format!("phone:{}", p.e164()),
        Ok(LoginId::Email(e)) => format!("email:{}", e.as_str()),
        Ok(LoginId::Snils(s)) => format!("snils:{}", s.digits()),
        Err(_) => format!("raw:{}", login.trim().to_lowercase()),
    }
}

/// Finds the person a login names.
pub(crate) fn find_by_login(conn: &mut DbConnection, login: &str) -> CoreResult<Option<PersonRow>> {
    Ok(match LoginId::parse(login) {
        Ok(LoginId::Phone(p)) => {
            esia_store::persons::find_person_by_contact(conn, "MBT", p.e164())?
        }
        Ok(LoginId::Email(e)) => {
            esia_store::persons::find_person_by_contact(conn, "EML", e.as_str())?
        }
        Ok(LoginId::Snils(s)) => esia_store::persons::find_person_by_snils(conn, s.digits())?,
        Err(_) => None,
    })
}

fn blocked_for(row: &Option<ThrottleRow>, now: NaiveDateTime) -> Option<u64> {
    let until = row.as_ref()?.blocked_until?;
    (until > now).then(|| (until - now).num_seconds().max(1) as u64)
}

impl Core {
    /// Checks login and password and opens a session. Verifying the hash costs ~16 ms of CPU at
    /// the default parameters: call this off async threads.
    pub fn login(
        &self,
        login: &str,
        password: &str,
        foreign_computer: bool,
    ) -> CoreResult<NewSession> {
        let key = throttle_key(login);
        let mut conn = self.conn()?;
        let now = self.now_naive();
        let throttle = esia_store::auth::find_throttle(&mut conn, &key)?;
        if let Some(secs) = blocked_for(&throttle, now) {
            return Err(CoreError::TooManyAttempts {
                retry_after_secs: secs,
            });
        }
        let person = find_by_login(&mut conn, login)?;
        let verified = match &person {
            Some(p) => p
                .password_hash
                .as_deref()
                .is_some_and(|hash| esia_crypto::password::verify_password(password, hash)),
            None => {
                // Spend the same time on unknown logins so timing does not reveal accounts.
                let _ = crate::password::hash(self, password);
                false
            }
        };
        let usable = person.filter(|p| verified && p.status == "REGISTERED");
        let Some(person) = usable else {
            return self.record_failure(&mut conn, &key, now);
        };
        if person.blocked {
            return Err(CoreError::Conflict("Учётная запись заблокирована".into()));
        }
        write_transaction(&mut conn, |conn| -> CoreResult<NewSession> {
            esia_store::auth::clear_throttle(conn, &key)?;
            tracing::info!(person.id = %person.id, "login succeeded");
            session::create(self, conn, &person.id, foreign_computer, "PWD")
        })
    }

    fn record_failure(
        &self,
        conn: &mut DbConnection,
        key: &str,
        now: NaiveDateTime,
    ) -> CoreResult<NewSession> {
        let cfg = &self.config.login;
        let blocked = write_transaction(conn, |conn| -> CoreResult<bool> {
            let current = esia_store::auth::find_throttle(conn, key)?;
            let window = Duration::seconds(cfg.failure_window_secs as i64);
            let mut row = match current {
                Some(r) if r.window_started_at + window > now => r,
                _ => ThrottleRow {
                    login_key: key.into(),
                    failures: 0,
                    window_started_at: now,
                    blocked_until: None,
                },
            };
            row.failures += 1;
            let blocked = row.failures >= cfg.max_failures as i32;
            if blocked {
                row.blocked_until = Some(now + Duration::seconds(cfg.lockout_secs as i64));
                row.failures = 0;
                row.window_started_at = now;
            }
            esia_store::auth::save_throttle(conn, &row)?;
            Ok(blocked)
        })?;
        tracing::info!(blocked, "login failed");
        if blocked {
            Err(CoreError::TooManyAttempts {
                retry_after_secs: cfg.lockout_secs,
            })
        } else {
            Err(CoreError::WrongCredentials)
        }
    }
}
