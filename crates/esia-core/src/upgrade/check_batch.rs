//! The set-based check runner: answers every check job of a claim in one transaction with a
//! fixed number of statements, however many jobs the claim holds. It loads the claimed checks,
//! their persons, pending checks, identity documents, contacts and registry entries with one
//! `eq_any` query each, replays the jobs in claim order against that in-memory copy (so two
//! checks of one person compose exactly as they do one after the other), and then stores the
//! results with one statement per table and distinct value set.
//!
//! The domain level machine decides every outcome, as in the one-job path (`checks::
//! answer_check`), which stays the reference: this module must store exactly what running the
//! same jobs one by one stores. The check row's status is still each job's exactly-once guard
//! (a check already finished is a no-op, and a check finished by someone else mid-batch rolls
//! the batch back); persons are row-locked on PostgreSQL in id order. A check whose agency is
//! «недоступно» is left out of the batch and handed back, so the runner can fail it alone and
//! retry it with backoff; any other error rolls the whole batch back.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDateTime;
use esia_domain::level::{
    transition, AccountEvent, AccountLevel, CheckKind, CheckSet, Effect, Verification,
};
use esia_domain::{CheckStatus, VerificationStatus, VrfStatus};
use esia_store::jobs::JobRow;
use esia_store::outbox::OutboxRow;
use esia_store::person_data::DocumentRow;
use esia_store::persons::{ContactRow, PersonRow};
use esia_store::verification::{CheckRow, RuleRow};
use esia_store::verification_batch as q;
use esia_store::{write_transaction, DbConnection};

use super::checks::{claimed_from, forced_outcome};
use super::rules::Outcome;
use crate::app::Core;
use crate::error::{CoreError, CoreResult};

mod registry;
use registry::Registry;

/// One claimed check job of a batch: the job's id and the check row its payload names (the
/// worker crate decodes the payload).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckClaim {
    pub job_id: String,
    pub check_id: String,
}

/// Runs the claimed check jobs `jobs` as one batch and marks them done in the same
/// transaction; returns the ids of the jobs it left out (agency unavailable), which the caller
/// runs one by one. On `Err` nothing is stored and every job is still the caller's to run.
/// Public so the worker's runner (and tests proving a batch really took this path) call it.
pub fn run_check_batch(
    core: &Core,
    worker_id: &str,
    jobs: &[CheckClaim],
) -> CoreResult<HashSet<String>> {
    let check_ids: Vec<String> = jobs.iter().map(|j| j.check_id.clone()).collect();
    let mut conn = core.conn()?;
    let now = core.now_naive();
    write_transaction(&mut conn, |conn| -> CoreResult<HashSet<String>> {
        esia_store::jobs::relax_commit_flush(conn)?;
        esia_store::verification::lock_persons_of_checks(conn, &check_ids)?;
        let stored_rules = esia_store::verification::list_rules(conn)?;
        let mut batch = Batch::load(conn, &check_ids)?;
        let mut left_out = HashSet::new();
        let mut done = Vec::with_capacity(jobs.len());
        for job in jobs {
            if batch.answer(core, &stored_rules, &job.check_id, now)? {
                done.push(job.job_id.clone());
            } else {
                left_out.insert(job.job_id.clone());
            }
        }
        batch.store(conn, now)?;
        let completed = esia_store::jobs::complete_many(conn, &done, worker_id, now)?;
        if completed != done.len() {
            // Another worker took over an expired lease: its run finds the checks finished.
            tracing::warn!(
                claimed = done.len(),
                completed,
                "some leases expired during a batch"
            );
        }
        Ok(left_out)
    })
}

/// One person as the batch sees and changes it.
struct PersonState {
    row: PersonRow,
    /// Pending checks when loaded, newest first; answered and cancelled ones change status here.
    checks: Vec<CheckRow>,
    /// Own documents, oldest first.
    docs: Vec<DocumentRow>,
    /// Contacts, oldest first.
    contacts: Vec<ContactRow>,
    touched: bool,
    docs_touched: HashSet<usize>,
}

impl PersonState {
    fn mark_identity_doc(
        &mut self,
        vrf_stu: VrfStatus,
        vrf_val_stu: Option<&str>,
        now: NaiveDateTime,
    ) {
        if let Some(i) = super::personal_data::identity_doc_index(&self.docs) {
            super::personal_data::mark_identity_doc(&mut self.docs[i], vrf_stu, vrf_val_stu, now);
            self.docs_touched.insert(i);
        }
    }
}

/// The loaded rows and every change the batch has decided so far.
struct Batch {
    /// Claimed checks still pending when loaded → their person.
    person_of: HashMap<String, String>,
    persons: HashMap<String, PersonState>,
    registry: Registry,
    finished: Vec<(String, CheckStatus, Option<&'static str>)>,
    cancelled: Vec<String>,
    messages: Vec<OutboxRow>,
    deliveries: Vec<JobRow>,
}

impl Batch {
    /// Loads everything the claimed checks can touch: six queries, whatever the batch size.
    fn load(conn: &mut DbConnection, check_ids: &[String]) -> CoreResult<Batch> {
        let person_of: HashMap<String, String> = q::checks_by_ids(conn, check_ids)?
            .into_iter()
            .filter(|c| c.status == CheckStatus::Pending)
            .map(|c| (c.id, c.person_id))
            .collect();
        let mut person_ids: Vec<String> = person_of.values().cloned().collect();
        person_ids.sort();
        person_ids.dedup();
        let mut persons: HashMap<String, PersonState> = q::persons_by_ids(conn, &person_ids)?
            .into_iter()
            .map(|row| {
                let state = PersonState {
                    row,
                    checks: Vec::new(),
                    docs: Vec::new(),
                    contacts: Vec::new(),
                    touched: false,
                    docs_touched: HashSet::new(),
                };
                (state.row.id.clone(), state)
            })
            .collect();
        for c in q::pending_checks_of_persons(conn, &person_ids)? {
            if let Some(p) = persons.get_mut(&c.person_id) {
                p.checks.push(c);
            }
        }
        for d in q::documents_of_persons(conn, &person_ids)? {
            if let Some(p) = persons.get_mut(&d.person_id) {
                p.docs.push(d);
            }
        }
        for c in q::contacts_of_persons(conn, &person_ids)? {
            if let Some(p) = persons.get_mut(&c.person_id) {
                p.contacts.push(c);
            }
        }
        let claims = person_of
            .values()
            .filter_map(|id| persons.get(id))
            .map(|p| {
                let doc = super::personal_data::identity_doc_index(&p.docs).map(|i| &p.docs[i]);
                claimed_from(&p.row, doc)
            });
        let registry = Registry::load(conn, claims)?;
        Ok(Batch {
            person_of,
            persons,
            registry,
            finished: Vec::new(),
            cancelled: Vec::new(),
            messages: Vec::new(),
            deliveries: Vec::new(),
        })
    }

    /// Answers one claimed check in memory, as `checks::answer_check` does in the database.
    /// Returns false when the job must leave the batch (agency unavailable).
    fn answer(
        &mut self,
        core: &Core,
        stored_rules: &[RuleRow],
        check_id: &str,
        now: NaiveDateTime,
    ) -> CoreResult<bool> {
        let Some(person_id) = self.person_of.get(check_id) else {
            return Ok(true); // Already finished or gone: nothing to do.
        };
        let p = self
            .persons
            .get_mut(person_id)
            .ok_or(CoreError::NotFound("person"))?;
        let Some(idx) = p
            .checks
            .iter()
            .position(|c| c.id == check_id && c.status == CheckStatus::Pending)
        else {
            return Ok(true); // Cancelled earlier in this batch.
        };
        let check = p.checks[idx].kind;
        let doc = super::personal_data::identity_doc_index(&p.docs).map(|i| &p.docs[i]);
        let claimed = claimed_from(&p.row, doc);
        let forced = forced_outcome(core, stored_rules, check, &claimed.subject);
        let (outcome, known) = match forced {
            Some(o) => (o, None),
            None => {
                let (o, known) = self.registry.answer_known(check, &claimed);
                (o, Some(known))
            }
        };
        let event = match outcome {
            Outcome::Hang => return Ok(true),
            Outcome::Unavailable => {
                tracing::info!(check.id = %check_id, check.kind = check.as_str(), "agency unavailable");
                return Ok(false);
            }
            Outcome::Pass => AccountEvent::CheckPassed(check),
            Outcome::Fail(reason) => AccountEvent::CheckFailed(check, reason),
        };
        let (status, reason) = outcome.stored_status();
        let row = &mut p.checks[idx];
        row.status = status;
        row.reason = reason.map(str::to_string);
        row.finished_at = Some(now);
        let request_id = row.request_id.clone();
        self.finished.push((check_id.to_string(), status, reason));
        if outcome == Outcome::Pass && known != Some(true) {
            self.registry.remember(check, &claimed, now);
        }
        self.apply(person_id.clone(), event, check, &request_id, now)?;
        tracing::info!(check.id = %check_id, check.kind = check.as_str(), status = status.as_str(), "check answered");
        Ok(true)
    }

    /// `apply_event_with` for a just-answered check, on the in-memory person.
    fn apply(
        &mut self,
        person_id: String,
        event: AccountEvent,
        answered: CheckKind,
        request_id: &str,
        now: NaiveDateTime,
    ) -> CoreResult<()> {
        let p = self
            .persons
            .get_mut(&person_id)
            .ok_or(CoreError::NotFound("person"))?;
        // The answered check's row is finished already; it still counts as pending here.
        let pending = p
            .checks
            .iter()
            .filter(|c| c.status == CheckStatus::Pending)
            .map(|c| c.kind)
            .fold(CheckSet::EMPTY.with(answered), |s, k| s.with(k));
        let state = super::state_of(&p.row, pending);
        let t = transition(&state, &event).map_err(|e| CoreError::Conflict(e.to_string()))?;
        for effect in &t.effects {
            match *effect {
                // A check answer never starts checks; the one-job path knows how, so let it.
                Effect::EnqueueCheck(_) => {
                    return Err(CoreError::Internal(format!(
                        "a check answer asked to enqueue a check (request {request_id})"
                    )))
                }
                Effect::CancelCheck(kind) => {
                    for c in p.checks.iter_mut() {
                        if c.kind == kind && c.status == CheckStatus::Pending {
                            c.status = CheckStatus::Cancelled;
                            c.finished_at = Some(now);
                            self.cancelled.push(c.id.clone());
                        }
                    }
                }
                Effect::MarkVerified(CheckKind::Passport) => {
                    p.mark_identity_doc(VrfStatus::Verified, None, now);
                }
                Effect::Notify(kind) => super::notices::notice_rows(
                    &p.row,
                    &p.contacts,
                    kind,
                    now,
                    &mut self.messages,
                    &mut self.deliveries,
                ),
                Effect::MarkVerified(_)
                | Effect::SetLevel(_)
                | Effect::RetryLater(_)
                | Effect::TerminateSessions => {}
            }
        }
        if let Verification::Failed {
            check: CheckKind::Passport,
            ..
        } = t.next.verification
        {
            p.mark_identity_doc(VrfStatus::NotVerified, Some("VERIFICATION_FAILED"), now);
        }
        let (verification, note) = super::stored_verification(t.next.verification);
        p.row.level = t.next.level;
        p.row.verification = verification;
        p.row.verification_note = note;
        p.row.updated_at = now;
        p.touched = true;
        tracing::info!(
            person.id = %person_id,
            level = t.next.level.as_str(),
            verification = verification.as_str(),
            effects = t.effects.len(),
            "account event applied"
        );
        Ok(())
    }

    /// Stores every decided change: one statement per table and distinct value set.
    fn store(self, conn: &mut DbConnection, now: NaiveDateTime) -> CoreResult<()> {
        let mut finished: BTreeMap<(CheckStatus, Option<&str>), Vec<String>> = BTreeMap::new();
        for (id, status, reason) in self.finished {
            finished.entry((status, reason)).or_default().push(id);
        }
        for ((status, reason), ids) in &finished {
            if q::finish_checks(conn, ids, *status, *reason, now)? != ids.len() {
                // The exactly-once guard: someone finished a check under us; redo one by one.
                return Err(CoreError::Internal(
                    "a check of the batch was no longer pending".into(),
                ));
            }
        }
        if q::cancel_checks(conn, &self.cancelled, now)? != self.cancelled.len() {
            return Err(CoreError::Internal(
                "a check the batch cancels was no longer pending".into(),
            ));
        }
        q::insert_registry_people(conn, &self.registry.added)?;
        let mut levels: BTreeMap<(AccountLevel, VerificationStatus, Option<String>), Vec<String>> =
            BTreeMap::new();
        let mut docs: BTreeMap<(VrfStatus, Option<String>, Option<bool>), Vec<String>> =
            BTreeMap::new();
        for p in self.persons.into_values() {
            for &i in &p.docs_touched {
                let d = &p.docs[i];
                docs.entry((d.vrf_stu, d.vrf_val_stu.clone(), d.fms_valid))
                    .or_default()
                    .push(d.id.clone());
            }
            if p.touched {
                let r = p.row;
                levels
                    .entry((r.level, r.verification, r.verification_note))
                    .or_default()
                    .push(r.id);
            }
        }
        for ((vrf_stu, vrf_val_stu, fms_valid), ids) in &docs {
            q::update_document_statuses(
                conn,
                ids,
                *vrf_stu,
                vrf_val_stu.as_deref(),
                *fms_valid,
                now,
            )?;
        }
        for ((level, verification, note), ids) in &levels {
            q::update_level_states(conn, ids, *level, *verification, note.as_deref(), now)?;
        }
        q::insert_outbox(conn, &self.messages)?;
        q::enqueue_jobs(conn, &self.deliveries)?;
        Ok(())
    }
}
