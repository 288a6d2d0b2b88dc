//! Applying a parsed seed document idempotently: client systems created or rewritten by
//! mnemonic, verification rules added unless an identical one exists, personas created or
//! updated through the personas use case (matched by oid, else login), all in one transaction
//! (prepared first: passwords are hashed before it). Every problem comes back located in the
//! seed's source.

use std::collections::HashMap;

use chrono::{Duration, NaiveDateTime};
use esia_store::verification::RuleRow;
use esia_store::{write_transaction, DbConnection};
use serde::Serialize;

use super::literal::IdMode;
use super::parse::{ParsedSeed, Section};
use super::{PersonaSpec, SeedError, SeedProblem};
use crate::personas::PreparedPersona;
use crate::Control;
use esia_core::app::new_id;
use esia_core::error::{CoreError, CoreResult};

/// What applying a seed did, printed by the CLI and returned by the API.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct SeedSummary {
    pub personas_created: usize,
    pub personas_updated: usize,
    pub clients_created: usize,
    pub clients_updated: usize,
    pub rules_added: usize,
    pub rules_unchanged: usize,
}

impl std::fmt::Display for SeedSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "personas: {} created, {} updated; clients: {} created, {} updated; \
             verification rules: {} added, {} unchanged",
            self.personas_created,
            self.personas_updated,
            self.clients_created,
            self.clients_updated,
            self.rules_added,
            self.rules_unchanged
        )
    }
}

/// Turns a use case's refusal of entry `index` into located problems; other errors pass.
fn locate(
    seed: &ParsedSeed,
    section: Section,
    index: usize,
    err: CoreError,
) -> Result<Vec<SeedProblem>, CoreError> {
    match err {
        CoreError::Validation(fields) => Ok(fields
            .iter()
            .map(|f| seed.problem(section, index, Some(f.field), f.error.message.clone()))
            .collect()),
        CoreError::Conflict(message)
        | CoreError::LoginTaken(message)
        | CoreError::InvalidDocument(message) => {
            Ok(vec![seed.problem(section, index, None, message)])
        }
        CoreError::NotFound(what) => Ok(vec![seed.problem(
            section,
            index,
            None,
            format!("{what} not found"),
        )]),
        other => Err(other),
    }
}

fn problems_to_error(problems: Vec<SeedProblem>) -> CoreError {
    CoreError::from(SeedError(problems))
}

/// A seed document ready to write: its rules checked and its passwords hashed (the slow part)
/// outside any transaction, so the write transaction holds the database only for the writes.
pub(crate) struct PreparedSeed<'s> {
    seed: &'s ParsedSeed,
    personas: PreparedPersonas,
}

enum PreparedPersonas {
    /// Inserted exactly as written (snapshot imports).
    Exact(Vec<PersonaSpec>),
    /// Through the personas use case; an entry that could not be prepared keeps its error.
    Applied(Vec<CoreResult<PreparedPersona>>),
}

/// Applies a seed document; re-applying the same document changes nothing. Everything is
/// validated and written in ONE transaction: clients, rules and personas (validated, absent
/// data generated, matched by oid/login); any refused entry leaves the state untouched.
pub fn apply_seed(ctl: &Control, seed: &ParsedSeed) -> CoreResult<SeedSummary> {
    crate::seed_file::apply::apply_seed_as(ctl, seed, false)
}

/// Applies a seed document; `exact` inserts personas exactly as written into an empty
/// state (snapshot imports: nothing absent is generated, so what was exported comes back).
pub(crate) fn apply_seed_as(
    ctl: &Control,
    seed: &ParsedSeed,
    exact: bool,
) -> CoreResult<SeedSummary> {
    let prepared = crate::seed_file::apply::prepare_seed(ctl, seed, exact)?;
    let mut conn = ctl.idp.conn()?;
    write_transaction(&mut conn, |conn| {
        crate::seed_file::apply::apply_seed_in(ctl, conn, prepared)
    })
}

/// Checks the rules and hashes the passwords of a seed, before any transaction.
pub(crate) fn prepare_seed<'s>(
    ctl: &Control,
    seed: &'s ParsedSeed,
    exact: bool,
) -> CoreResult<PreparedSeed<'s>> {
    let mut problems = Vec::new();
    for (i, rule) in seed.doc.verification_rules.iter().enumerate() {
        for p in rule.problems() {
            problems.push(seed.problem(Section::Rules, i, None, p));
        }
    }
    if !problems.is_empty() {
        return Err(problems_to_error(problems));
    }
    let mut hashes = HashCache::default();
    let personas = if exact {
        let mut specs = Vec::with_capacity(seed.doc.personas.len());
        for spec in &seed.doc.personas {
            specs.push(hashes.prepare(&ctl.idp, spec)?);
        }
        PreparedPersonas::Exact(specs)
    } else {
        PreparedPersonas::Applied(
            seed.doc
                .personas
                .iter()
                .map(|spec| {
                    hashes
                        .prepare(&ctl.idp, spec)
                        .and_then(|spec| crate::personas::prepare_persona(ctl, &spec))
                })
                .collect(),
        )
    };
    Ok(PreparedSeed { seed, personas })
}

/// Writes a prepared seed inside the caller's write transaction; the first store error, or
/// all the refused entries together, fail it (the caller's transaction rolls back).
pub(crate) fn apply_seed_in(
    ctl: &Control,
    conn: &mut DbConnection,
    prepared: PreparedSeed<'_>,
) -> CoreResult<SeedSummary> {
    let seed = prepared.seed;
    let mut summary = SeedSummary::default();
    let mut problems = Vec::new();
    let now = ctl.idp.now_naive();
    for (i, spec) in seed.doc.clients.iter().enumerate() {
        match esia_core::protocol::clients::upsert(&ctl.idp, conn, spec) {
            Ok(true) => summary.clients_created += 1,
            Ok(false) => summary.clients_updated += 1,
            Err(e) => problems.extend(locate(seed, Section::Clients, i, e)?),
        }
    }
    if !problems.is_empty() {
        return Err(problems_to_error(problems));
    }
    let stored = esia_store::verification::list_rules(conn)?;
    let n = seed.doc.verification_rules.len() as i64;
    for (i, rule) in seed.doc.verification_rules.iter().enumerate() {
        let same = stored.iter().any(|r| {
            r.field == rule.field
                && r.pattern == rule.pattern
                && r.outcome == rule.outcome
                && r.delay_secs == rule.delay_secs
        });
        if same {
            summary.rules_unchanged += 1;
            continue;
        }
        // The document lists rules by precedence, first wins; API rules rank newest
        // first, so the first rule gets the latest timestamp.
        esia_store::verification::insert_rule(
            conn,
            &RuleRow {
                id: new_id(),
                field: rule.field.clone(),
                pattern: rule.pattern.clone(),
                outcome: rule.outcome.clone(),
                delay_secs: rule.delay_secs,
                created_at: now + Duration::milliseconds(n - i as i64),
            },
        )?;
        summary.rules_added += 1;
    }
    match prepared.personas {
        PreparedPersonas::Exact(specs) => {
            summary.personas_created = insert_exact(conn, seed, &specs, now)?;
        }
        PreparedPersonas::Applied(personas) => {
            let clock = crate::personas::clock_pair(ctl);
            for (i, p) in personas.into_iter().enumerate() {
                match p.and_then(|p| crate::personas::apply_prepared_in(conn, p, clock)) {
                    Ok(a) if a.created => summary.personas_created += 1,
                    Ok(_) => summary.personas_updated += 1,
                    // A store error fails the transaction at once (PostgreSQL refuses
                    // further statements in it); refusals are collected.
                    Err(e) => problems.extend(locate(seed, Section::Personas, i, e)?),
                }
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems_to_error(problems));
    }
    tracing::info!(
        seed.source = %seed.source,
        personas = seed.doc.personas.len(),
        clients = seed.doc.clients.len(),
        rules = seed.doc.verification_rules.len(),
        "seed applied"
    );
    Ok(summary)
}

/// Password hashes computed once per distinct password of a seed: a seed often gives many
/// personas the same password, and hashing is the slow part of applying one.
#[derive(Default)]
struct HashCache(HashMap<String, String>);

impl HashCache {
    /// The spec with its plain password replaced by a (cached) hash.
    fn prepare(&mut self, core: &esia_core::Core, spec: &PersonaSpec) -> CoreResult<PersonaSpec> {
        let mut spec = spec.clone();
        if let Some(pw) = spec.password.take() {
            // Junk (empty, overlong) goes through unhashed so the use case names the field.
            if pw.is_empty() || pw.chars().count() > 128 {
                spec.password = Some(pw);
                return Ok(spec);
            }
            let hash = match self.0.get(&pw) {
                Some(h) => h.clone(),
                None => {
                    let h =
                        esia_crypto::password::hash_password(&pw, &core.config.security.argon2())
                            .map_err(|e| CoreError::Internal(e.to_string()))?;
                    self.0.insert(pw, h.clone());
                    h
                }
            };
            spec.password_hash = Some(hash);
        }
        Ok(spec)
    }
}

/// Inserts every persona as written inside the caller's transaction; the first refusal fails
/// it.
fn insert_exact(
    conn: &mut DbConnection,
    seed: &ParsedSeed,
    specs: &[PersonaSpec],
    now: NaiveDateTime,
) -> CoreResult<usize> {
    for (i, spec) in specs.iter().enumerate() {
        // A step per persona keeps "oldest first" lists in document order.
        let at = now + Duration::milliseconds(i as i64);
        let hash = spec.password_hash.clone();
        let inserted = super::insert_literal(conn, spec, hash, at, IdMode::Fresh);
        let problems = match inserted {
            Ok(()) => continue,
            Err(CoreError::Store(e)) if e.is_unique_violation() => vec![seed.problem(
                Section::Personas,
                i,
                None,
                "its oid, phone or e-mail is already used by another persona",
            )],
            Err(e) => locate(seed, Section::Personas, i, e)?,
        };
        return Err(problems_to_error(problems));
    }
    Ok(specs.len())
}
