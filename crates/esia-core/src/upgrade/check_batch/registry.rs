//! The registry part of a check batch: the entries of every document the batch's checks claim,
//! loaded with one query, answered from memory as `agencies::answer_known` answers from the
//! database, and the entries passed checks add (stored by the batch in one statement).

use std::collections::HashMap;

use chrono::NaiveDateTime;
use esia_domain::level::{CheckKind, FailureReason};
use esia_store::verification::RegistryPersonRow;
use esia_store::DbConnection;

use super::super::agencies::{self, Claimed};
use super::super::rules::Outcome;
use crate::error::CoreResult;

/// The registry entries the batch may consult, by document value, and those it adds.
#[derive(Default)]
pub(super) struct Registry {
    by: HashMap<(CheckKind, String), RegistryPersonRow>,
    pub(super) added: Vec<RegistryPersonRow>,
}

impl Registry {
    /// The entries of every document the claims hold (one query).
    pub(super) fn load(
        conn: &mut DbConnection,
        claims: impl Iterator<Item = Claimed>,
    ) -> CoreResult<Registry> {
        let mut values: [Vec<String>; 3] = Default::default();
        for claimed in claims {
            for (slot, check) in CHECKS.into_iter().enumerate() {
                if let Some(v) = agencies::document_value(check, &claimed) {
                    values[slot].push(v.to_string());
                }
            }
        }
        for v in &mut values {
            v.sort();
            v.dedup();
        }
        let mut registry = Registry::default();
        let rows = esia_store::verification_batch::registry_by_values(
            conn, &values[0], &values[1], &values[2],
        )?;
        for row in rows {
            for (check, value) in CHECKS
                .into_iter()
                .zip([&row.snils, &row.passport, &row.inn])
            {
                if let Some(v) = value {
                    registry
                        .by
                        .entry((check, v.clone()))
                        .or_insert_with(|| row.clone());
                }
            }
        }
        Ok(registry)
    }

    fn get(&self, check: CheckKind, value: &str) -> Option<&RegistryPersonRow> {
        self.by.get(&(check, value.to_string()))
    }

    /// `agencies::answer_known` against the loaded entries.
    pub(super) fn answer_known(&self, check: CheckKind, claimed: &Claimed) -> (Outcome, bool) {
        let Some(value) = agencies::document_value(check, claimed) else {
            return (Outcome::Fail(FailureReason::NotFound), false);
        };
        match self.get(check, value) {
            Some(real) => (agencies::compare(check, claimed, real), true),
            None => (Outcome::Pass, false),
        }
    }

    /// `agencies::remember`: a passed document joins the registry unless it is there.
    pub(super) fn remember(&mut self, check: CheckKind, claimed: &Claimed, now: NaiveDateTime) {
        let Some(value) = agencies::document_value(check, claimed) else {
            return;
        };
        if self.get(check, value).is_some() {
            return;
        }
        if let Some(row) = agencies::registry_row(check, claimed, now) {
            self.by.insert((check, value.to_string()), row.clone());
            self.added.push(row);
        }
    }
}

const CHECKS: [CheckKind; 3] = [CheckKind::Snils, CheckKind::Passport, CheckKind::Inn];
