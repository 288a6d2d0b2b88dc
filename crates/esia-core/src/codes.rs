//! One-time SMS codes: issue, resend with a cooldown, check with limited attempts, block after
//! repeated failures. Shared by registration, password recovery and contact changes; each caller
//! supplies the purpose and subject and runs these inside its own transaction.

use chrono::{Duration, NaiveDateTime};
use esia_store::auth::CodeRow;
use esia_store::DbConnection;

use crate::app::{new_code, new_id};
use crate::config::RegistrationConfig;
use crate::error::CoreResult;

/// What checking a code led to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeCheck {
    Accepted,
    Wrong {
        attempts_left: u32,
    },
    Expired,
    /// Confirmation is blocked after too many wrong codes.
    Blocked {
        retry_after_secs: u64,
    },
    /// No code was ever sent (or the last one was used).
    NoCode,
}

/// What asking for a new code led to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResendOutcome {
    Sent { code: String },
    Cooldown { retry_after_secs: u64 },
    Blocked { retry_after_secs: u64 },
}

fn secs_until(now: NaiveDateTime, later: NaiveDateTime) -> u64 {
    (later - now).num_seconds().max(1) as u64
}

/// Creates a fresh code (superseding older ones, which are checked only through the newest).
pub fn issue(
    conn: &mut DbConnection,
    policy: &RegistrationConfig,
    purpose: &str,
    subject_id: &str,
    target: &str,
    now: NaiveDateTime,
) -> CoreResult<String> {
    let code = new_code();
    esia_store::auth::insert_code(
        conn,
        &CodeRow {
            id: new_id(),
            purpose: purpose.into(),
            subject_id: subject_id.into(),
            target: target.into(),
            code: code.clone(),
            attempts_left: policy.code_attempts as i32,
            sent_at: now,
            expires_at: now + Duration::seconds(policy.code_ttl_secs as i64),
            blocked_until: None,
            consumed_at: None,
        },
    )?;
    Ok(code)
}

/// Seconds until a new code may be requested (0 = now).
pub fn cooldown_left(
    conn: &mut DbConnection,
    policy: &RegistrationConfig,
    purpose: &str,
    subject_id: &str,
    now: NaiveDateTime,
) -> CoreResult<u64> {
    let Some(last) = esia_store::auth::latest_code(conn, purpose, subject_id)? else {
        return Ok(0);
    };
    let ready_at = last.sent_at + Duration::seconds(policy.resend_cooldown_secs as i64);
    Ok(if ready_at > now {
        secs_until(now, ready_at)
    } else {
        0
    })
}

/// Issues a new code unless the cooldown or a block forbids it.
pub fn resend(
    conn: &mut DbConnection,
    policy: &RegistrationConfig,
    purpose: &str,
    subject_id: &str,
    target: &str,
    now: NaiveDateTime,
) -> CoreResult<ResendOutcome> {
    if let Some(last) = esia_store::auth::latest_code(conn, purpose, subject_id)? {
        if let Some(until) = last.blocked_until.filter(|until| *until > now) {
            return Ok(ResendOutcome::Blocked {
                retry_after_secs: secs_until(now, until),
            });
        }
        let ready_at = last.sent_at + Duration::seconds(policy.resend_cooldown_secs as i64);
        if ready_at > now {
            return Ok(ResendOutcome::Cooldown {
                retry_after_secs: secs_until(now, ready_at),
            });
        }
    }
    let code = issue(conn, policy, purpose, subject_id, target, now)?;
    Ok(ResendOutcome::Sent { code })
}

/// Checks a code typed by the user against the newest one.
pub fn check(
    conn: &mut DbConnection,
    policy: &RegistrationConfig,
    purpose: &str,
    subject_id: &str,
    typed: &str,
    now: NaiveDateTime,
) -> CoreResult<CodeCheck> {
    let Some(code) = esia_store::auth::latest_code(conn, purpose, subject_id)? else {
        return Ok(CodeCheck::NoCode);
    };
    if code.consumed_at.is_some() {
        return Ok(CodeCheck::NoCode);
    }
    if let Some(until) = code.blocked_until.filter(|until| *until > now) {
        return Ok(CodeCheck::Blocked {
            retry_after_secs: secs_until(now, until),
        });
    }
    if code.attempts_left <= 0 {
        // The block has passed: this code is spent, the user asks for a new one.
        return Ok(CodeCheck::Expired);
    }
    if code.expires_at <= now {
        return Ok(CodeCheck::Expired);
    }
    if typed.trim() == code.code {
        esia_store::auth::consume_code(conn, &code.id, now)?;
        return Ok(CodeCheck::Accepted);
    }
    let left = code.attempts_left - 1;
    if left <= 0 {
        let until = now + Duration::seconds(policy.code_block_secs as i64);
        esia_store::auth::update_code_attempts(conn, &code.id, 0, Some(until))?;
        return Ok(CodeCheck::Blocked {
            retry_after_secs: secs_until(now, until),
        });
    }
    esia_store::auth::update_code_attempts(conn, &code.id, left, None)?;
    Ok(CodeCheck::Wrong {
        attempts_left: left as u32,
    })
}
