//! The freshness check of the `/rs` person read: "the person's eTag version, and were this
//! login's tokens revoked?", asked by concurrent requests and answered by shared rounds of two
//! batched queries (`crate::coalesce`): an answer reflects every write committed before the
//! request arrived, on any replica, as a query of its own would, and the caller awaits it
//! without holding a thread.

use std::collections::HashMap;

use super::bearer::person_revocation_key;
use super::{RestError, TokenLogin};
use crate::app::Core;
use crate::coalesce::Coalescer;

/// The most requests one round answers (bounds the `IN` lists).
const MAX_ROUND: usize = 256;

/// What a freshness check found: `None` when no such person exists.
pub type Freshness = Option<Version>;

/// The person's eTag version, and whether the requesting login's tokens were revoked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Version {
    pub etag_version: i64,
    pub revoked: bool,
}

/// One request's question: the person, and the login of its token.
#[derive(Debug, Clone)]
pub struct Question {
    pub oid: i64,
    pub login: Option<TokenLogin>,
}

/// The freshness checks of one `Core`.
pub(crate) type FreshnessRounds = Coalescer<Core, Question, Freshness, RoundError>;

/// Why a round failed, as every caller of the round receives it: whether the database was
/// away (the caller answers 503) or something else broke (500).
#[derive(Debug, Clone)]
pub(crate) struct RoundError {
    unavailable: bool,
    message: String,
}

impl From<String> for RoundError {
    fn from(message: String) -> Self {
        RoundError {
            unavailable: false,
            message,
        }
    }
}

impl From<crate::CoreError> for RoundError {
    fn from(e: crate::CoreError) -> Self {
        RoundError {
            unavailable: e.is_unavailable(),
            message: e.to_string(),
        }
    }
}

impl From<RoundError> for RestError {
    fn from(e: RoundError) -> Self {
        RestError::Internal(if e.unavailable {
            crate::CoreError::Store(esia_store::StoreError::Unavailable(e.message))
        } else {
            crate::CoreError::Internal(e.message)
        })
    }
}

fn new_rounds() -> FreshnessRounds {
    Coalescer::new(MAX_ROUND, |core, questions| {
        run_round(core, &questions).map_err(RoundError::from)
    })
}

/// Answers `question` from a round that starts after this call; never blocks the caller.
pub async fn rs_freshness(core: &Core, question: Question) -> Result<Freshness, RestError> {
    core.locals
        .get_with(new_rounds)
        .submit(core, question)
        .await
        .map_err(RestError::from)
}

/// One round: the versions of every asked person and the revocations of every asked login.
fn run_round(core: &Core, questions: &[Question]) -> Result<Vec<Freshness>, crate::CoreError> {
    let mut oids: Vec<i64> = questions.iter().map(|q| q.oid).collect();
    oids.sort_unstable();
    oids.dedup();
    // A question's oid is its token's subject (checked before asking), so the person's
    // revocation key (a withdrawn consent) is asked beside the login's sid.
    let person_keys: Vec<String> = questions
        .iter()
        .filter(|q| q.login.is_some())
        .map(|q| person_revocation_key(q.oid))
        .collect();
    let mut sids: Vec<&str> = questions
        .iter()
        .filter_map(|q| q.login.as_ref().map(|l| l.sid.as_str()))
        .chain(person_keys.iter().map(String::as_str))
        .collect();
    sids.sort_unstable();
    sids.dedup();
    let mut conn = core.conn()?;
    let versions: HashMap<i64, i64> = esia_store::person_read::person_versions(&mut conn, &oids)?
        .into_iter()
        .collect();
    let revocations = esia_store::person_read::revocations_of_sids(&mut conn, &sids)?;
    Ok(questions
        .iter()
        .map(|q| {
            let etag_version = *versions.get(&q.oid)?;
            let person_key = person_revocation_key(q.oid);
            let revoked = q.login.as_ref().is_some_and(|l| {
                revocations.iter().any(|(s, c, at)| {
                    (*s == l.sid || *s == person_key) && *c == l.client_id && *at >= l.issued_at
                })
            });
            Some(Version {
                etag_version,
                revoked,
            })
        })
        .collect())
}
