//! Browser sessions: rows in the database so every replica shares them. A session carries the
//! ESIA `sid` and `auth_time` that SSO and tokens reuse. Cookies are the web layer's business.

use chrono::{DateTime, Duration, Utc};
use esia_store::auth::SessionRow;
use esia_store::DbConnection;

use crate::app::{new_token, Core};
use crate::error::CoreResult;

/// A session just created; `token` goes into the cookie.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token: String,
    pub person_id: String,
    pub persistent: bool,
    pub expires_at: DateTime<Utc>,
}

/// A live session resolved from its cookie.
#[derive(Debug, Clone)]
pub struct SessionInfo {
    pub person_id: String,
    pub sid: String,
    pub auth_time: DateTime<Utc>,
    pub auth_method: String,
}

/// Creates a session inside the caller's transaction.
pub fn create(
    core: &Core,
    conn: &mut DbConnection,
    person_id: &str,
    foreign_computer: bool,
    auth_method: &str,
) -> CoreResult<NewSession> {
    let now = core.now_naive();
    let token = new_token();
    let expires = now + Duration::seconds(core.config.login.session_ttl_secs as i64);
    esia_store::auth::insert_session(
        conn,
        &SessionRow {
            id: token.clone(),
            person_id: person_id.into(),
            sid: uuid::Uuid::new_v4().to_string(),
            auth_method: auth_method.into(),
            auth_time: now,
            persistent: !foreign_computer,
            created_at: now,
            expires_at: expires,
            ended_at: None,
        },
    )?;
    Ok(NewSession {
        token,
        person_id: person_id.into(),
        persistent: !foreign_computer,
        expires_at: expires.and_utc(),
    })
}

/// The live session behind a cookie, if any (ended, expired or deleted-account sessions are
/// not live).
pub fn resolve_session(core: &Core, token: &str) -> CoreResult<Option<SessionInfo>> {
    if token.len() != 64 {
        return Ok(None);
    }
    let mut conn = core.conn()?;
    let Some(row) = esia_store::auth::find_session(&mut conn, token)? else {
        return Ok(None);
    };
    if row.ended_at.is_some() || row.expires_at <= core.now_naive() {
        return Ok(None);
    }
    Ok(Some(SessionInfo {
        person_id: row.person_id,
        sid: row.sid,
        auth_time: row.auth_time.and_utc(),
        auth_method: row.auth_method,
    }))
}

/// Ends the session behind a cookie (logout); unknown tokens are ignored.
pub fn end_session(core: &Core, token: &str) -> CoreResult<()> {
    let mut conn = core.conn()?;
    esia_store::auth::end_session(&mut conn, token, core.now_naive())?;
    Ok(())
}
