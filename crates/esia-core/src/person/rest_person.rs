//! The `/rs/prns/{oid}` read as one call, [`rs_person`](crate::person::rest::rs_person): the `Authorization` header in,
//! the body (or ESIA's refusal) out, with the token's client and subject for the journal. The
//! revocation check cannot be skipped: the grant without it never leaves this module tree.
//! The hot path (a token verified before, a shared freshness round, a cached body) holds no
//! thread; verifying a new token and rendering after a miss run on the blocking pool. Renders
//! nothing itself (`rest.rs` builds the person object); knows no HTTP.

use std::sync::Arc;

use super::super::{AccessGrant, Embed, RestError, TokenLogin};
use super::RestResult;
use crate::app::Core;

/// What one `GET /rs/prns/{oid}` answered, with the token's client and subject for the journal
/// (`None` when the token itself was refused).
#[derive(Debug)]
pub struct PersonRead {
    pub body: RestResult<String>,
    pub client_id: Option<String>,
    pub subject_oid: Option<i64>,
}

/// What the cached person read found.
#[derive(Debug)]
pub enum CachedPerson {
    /// The serialised body, current as of a moment after the request arrived.
    Hit(Arc<str>),
    /// Not cached: render it (`rs_person_render`) and it is cached under this key.
    Miss { cache_key: String },
}

/// `GET /rs/prns/{oid}` from the `Authorization` header to the body. A token verified before,
/// the shared freshness round (which also answers the revocation check) and a cached body
/// need no blocking thread; verifying a new token and rendering after a miss run on one.
pub async fn rs_person(
    core: &Core,
    authorization: Option<&str>,
    oid: &str,
    raw_query: &str,
) -> PersonRead {
    let granted = match crate::person::bearer::rest_grant_cached(core, authorization) {
        Some(g) => g,
        None => {
            let (core, auth) = (core.clone(), authorization.map(str::to_string));
            blocking(move || crate::person::bearer::rest_grant_unchecked(&core, auth.as_deref()))
                .await
        }
    };
    let (grant, login) = match granted {
        Ok(g) => g,
        Err(e) => {
            return PersonRead {
                body: Err(e),
                client_id: None,
                subject_oid: None,
            }
        }
    };
    let (client_id, subject_oid) = (Some(grant.client_id.clone()), grant.subject_oid);
    let body = person_body(core, grant, login, oid, raw_query).await;
    PersonRead {
        body,
        client_id,
        subject_oid,
    }
}

/// The body for a token that passed every check but revocation, which the freshness round
/// of `rs_person_cached` answers before any body is read.
async fn person_body(
    core: &Core,
    grant: AccessGrant,
    login: Option<TokenLogin>,
    oid: &str,
    raw_query: &str,
) -> RestResult<String> {
    let oid: i64 = oid.parse().map_err(|_| RestError::NotFound)?;
    match rs_person_cached(core, &grant, login.as_ref(), oid, raw_query).await? {
        CachedPerson::Hit(body) => Ok(body.to_string()),
        CachedPerson::Miss { cache_key } => {
            let (core, q) = (core.clone(), raw_query.to_string());
            blocking(move || rs_person_render(&core, &grant, oid, &q, cache_key)).await
        }
    }
}

/// The hot path of `GET /rs/prns/{oid}`, without blocking: checks the token's revocation
/// and the person's eTag version in a round shared with concurrent requests
/// (`freshness.rs`) and answers from the body cache while the version stands (`cache.rs`);
/// a miss tells the caller to render on a blocking thread with `rs_person_render`.
async fn rs_person_cached(
    core: &Core,
    grant: &AccessGrant,
    login: Option<&TokenLogin>,
    oid: i64,
    raw_query: &str,
) -> RestResult<CachedPerson> {
    // `release_for`'s refusal, without building the release (a cache hit never needs it).
    if grant.subject_oid != Some(oid) {
        return Err(RestError::ScopeNotAllowed);
    }
    let question = super::super::freshness::Question {
        oid,
        login: login.cloned(),
    };
    let version = crate::person::freshness::rs_freshness(core, question)
        .await?
        .ok_or(RestError::NotFound)?;
    if version.revoked {
        return Err(RestError::InvalidToken);
    }
    let scopes = {
        let mut v = grant.scopes_for(oid);
        v.sort_unstable();
        v.dedup();
        v.join(" ")
    };
    // Normalised (`embed.rs`): junk in `embed` neither splits nor grows the cache.
    let embed = Embed::from_query(raw_query).canonical();
    let cache_key = format!("{oid}|{}|{scopes}|{embed}", version.etag_version);
    Ok(
        match core
            .locals
            .get::<crate::person::cache::RestCache>()
            .body(&cache_key)
        {
            Some(hit) => CachedPerson::Hit(hit),
            None => CachedPerson::Miss { cache_key },
        },
    )
}

/// Renders `GET /rs/prns/{oid}` after a cache miss and caches it under `cache_key` when
/// it may be cached (blocking: reads the database).
fn rs_person_render(
    core: &Core,
    grant: &AccessGrant,
    oid: i64,
    raw_query: &str,
    cache_key: String,
) -> RestResult<String> {
    let mut conn = core.conn()?;
    let (value, cacheable) =
        crate::person::rest::person_value(core, &mut conn, grant, oid, raw_query)?;
    let body = value.to_string();
    if cacheable {
        core.locals
            .get::<crate::person::cache::RestCache>()
            .put_body(cache_key, Arc::from(body.as_str()));
    }
    Ok(body)
}

/// Runs a blocking step of the person read on the runtime's blocking pool (the pool
/// `actix_web::web::block` uses); a panic there is an internal error, never a lost answer.
async fn blocking<T, F>(f: F) -> RestResult<T>
where
    F: FnOnce() -> RestResult<T> + Send + 'static,
    T: Send + 'static,
{
    tokio::task::spawn_blocking(f).await.unwrap_or_else(|e| {
        Err(RestError::Internal(crate::CoreError::Internal(
            e.to_string(),
        )))
    })
}
