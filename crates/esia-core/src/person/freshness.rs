//! The freshness check of the `/rs` person read: "the person's eTag version, and were this
//! login's tokens revoked?", asked by concurrent requests and answered by shared rounds of two
//! batched queries. A round answers only the questions asked before it started, so an answer
//! reflects every write committed before the request arrived, on any replica, as a query of
//! its own would. Callers await the answer without holding a thread (the cached read then
//! answers on the async thread); one drainer on a blocking thread runs rounds while questions
//! wait and ends when none do, so an idle emulator keeps no thread for this.
//!
//! Hand-written, like `crate::coalesce` (its blocking sibling): the batching crates we know
//! coalesce identical keys or flush on a timer.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use chrono::NaiveDateTime;
use tokio::sync::oneshot;

use super::RestError;
use crate::app::Core;

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

/// One request's question: the person, and the login (client, sid, issued at) of its token.
#[derive(Debug, Clone)]
pub struct Question {
    pub oid: i64,
    pub login: Option<(String, String, NaiveDateTime)>,
}

type Reply = oneshot::Sender<Result<Freshness, String>>;

#[derive(Default)]
struct Queue {
    waiting: Vec<(Question, Reply)>,
    /// Whether a drainer is running (it takes every question queued before it looks).
    draining: bool,
}

/// The freshness checks of one `Core`.
#[derive(Default)]
pub(crate) struct FreshnessBatcher {
    queue: Mutex<Queue>,
}

fn lock(m: &Mutex<Queue>) -> MutexGuard<'_, Queue> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Core {
    /// Answers `question` from a round that starts after this call; never blocks the caller.
    pub async fn rs_freshness(&self, question: Question) -> Result<Freshness, RestError> {
        let (tx, rx) = oneshot::channel();
        let start_drainer = {
            let mut q = lock(&self.rest_freshness.queue);
            q.waiting.push((question, tx));
            !std::mem::replace(&mut q.draining, true)
        };
        if start_drainer {
            let core = self.clone();
            let drain = move || drain(&core);
            // Reuse the runtime's blocking threads when there is one (the server); plain
            // threads otherwise (benches and tools calling from their own threads).
            match tokio::runtime::Handle::try_current() {
                Ok(rt) => drop(rt.spawn_blocking(drain)),
                Err(_) => drop(std::thread::spawn(drain)),
            }
        }
        let internal = |e: String| RestError::Internal(crate::CoreError::Internal(e));
        rx.await
            .map_err(|_| internal("the freshness round was dropped".into()))?
            .map_err(internal)
    }
}

/// Gives the drainer role up if a round panics, so later questions start a new drainer
/// (the panicking round's questions get "dropped" errors) instead of waiting forever.
struct DrainerGuard<'a>(&'a Core);

impl Drop for DrainerGuard<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            lock(&self.0.rest_freshness.queue).draining = false;
        }
    }
}

/// Runs rounds until no question waits.
fn drain(core: &Core) {
    let _guard = DrainerGuard(core);
    loop {
        let round: Vec<(Question, Reply)> = {
            let mut q = lock(&core.rest_freshness.queue);
            if q.waiting.is_empty() {
                q.draining = false;
                return;
            }
            let n = q.waiting.len().min(MAX_ROUND);
            q.waiting.drain(..n).collect()
        };
        let (questions, replies): (Vec<Question>, Vec<Reply>) = round.into_iter().unzip();
        match run_round(core, &questions) {
            Ok(answers) => {
                for (reply, a) in replies.into_iter().zip(answers) {
                    let _ = reply.send(Ok(a));
                }
            }
            Err(e) => {
                let msg = e.to_string();
                for reply in replies {
                    let _ = reply.send(Err(msg.clone()));
                }
            }
        }
    }
}

/// One round: the versions of every asked person and the revocations of every asked login.
fn run_round(core: &Core, questions: &[Question]) -> Result<Vec<Freshness>, crate::CoreError> {
    let mut oids: Vec<i64> = questions.iter().map(|q| q.oid).collect();
    oids.sort_unstable();
    oids.dedup();
    let mut sids: Vec<&str> = questions
        .iter()
        .filter_map(|q| q.login.as_ref().map(|l| l.1.as_str()))
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
            let revoked = q.login.as_ref().is_some_and(|(client, sid, issued)| {
                revocations
                    .iter()
                    .any(|(s, c, at)| s == sid && c == client && at >= issued)
            });
            Some(Version {
                etag_version,
                revoked,
            })
        })
        .collect())
}
