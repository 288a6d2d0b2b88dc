//! State as a whole: reset (wipe everything, re-apply the startup seed: the demo seed and the
//! configured seed file), snapshot export (the current state as one seed document: personas
//! with their oids and password hashes, clients with their certificates, API verification
//! rules) and snapshot import (wipe, then apply).

use esia_store::write_transaction;

use super::apply::SeedSummary;
use super::parse::{read_seed_file, ParsedSeed};
use super::SeedDocument;
use crate::app::Core;
use crate::error::CoreResult;
use crate::protocol::clients::ClientSpec;
use crate::verification_config::RuleConfig;

impl Core {
    /// Deletes every row of emulator state (persons and their data, sessions, codes, tokens,
    /// grants, journal, outbox, jobs, clients, verification and fault rules) in one
    /// transaction. The clock setting stays (it has its own reset).
    pub fn wipe_state(&self) -> CoreResult<usize> {
        let mut conn = self.conn()?;
        let n = write_transaction(&mut conn, |conn| -> CoreResult<usize> {
            Ok(esia_store::admin::wipe_all(conn)?)
        })?;
        // Forget the wiped fault rules and client controls in this process at once; other
        // processes follow within their refresh period.
        self.control.refresh()?;
        tracing::warn!(rows = n, "emulator state wiped");
        Ok(n)
    }

    /// The seed the emulator starts from: the demo seed (when `demo.seed`, into an empty
    /// database) then the configured seed file. Called on start and by reset.
    pub fn apply_startup_seed(&self) -> CoreResult<SeedSummary> {
        let mut summary = SeedSummary::default();
        self.warn_about_demo_client()?;
        if self.config.demo.seed {
            summary = self.seed_demo_if_empty_summary()?;
        }
        if !self.config.demo.seed_file.is_empty() {
            let parsed = read_seed_file(std::path::Path::new(&self.config.demo.seed_file))?;
            let s = self.apply_seed(&parsed)?;
            summary.add(&s);
        }
        Ok(summary)
    }

    /// `POST /emulator/api/reset`: wipe, then the startup seed again (the same oids as at start).
    pub fn reset_state(&self) -> CoreResult<SeedSummary> {
        self.wipe_state()?;
        self.apply_startup_seed()
    }

    /// `POST /emulator/api/snapshot`: replaces the whole state by the document; personas are
    /// inserted exactly as written (nothing generated), so an exported snapshot comes back
    /// unchanged.
    pub fn import_snapshot(&self, doc: SeedDocument) -> CoreResult<SeedSummary> {
        self.wipe_state()?;
        self.apply_seed_as(&ParsedSeed::from_document("snapshot", doc), true)
    }

    /// `GET /emulator/api/snapshot`: the current state as a seed document.
    pub fn export_snapshot(&self) -> CoreResult<SeedDocument> {
        let mut conn = self.conn()?;
        let mut clients = Vec::new();
        for row in esia_store::clients::list_clients(&mut conn)? {
            let certificates = esia_store::clients::client_certs(&mut conn, &row.mnemonic)?
                .into_iter()
                .map(|c| c.pem)
                .collect();
            clients.push(ClientSpec {
                redirect_uris: serde_json::from_str(&row.redirect_uris).unwrap_or_default(),
                scopes: serde_json::from_str(&row.scopes).unwrap_or_default(),
                token_alg: Some(row.token_alg),
                mode: Some(row.mode),
                mnemonic: row.mnemonic,
                name: row.name,
                certificates,
            });
        }
        let verification_rules = esia_store::verification::list_rules(&mut conn)?
            .into_iter()
            .map(|r| RuleConfig {
                field: r.field,
                pattern: r.pattern,
                outcome: r.outcome,
                delay_secs: r.delay_secs,
            })
            .collect();
        drop(conn);
        Ok(SeedDocument {
            personas: self.export_personas()?,
            clients,
            verification_rules,
        })
    }
}

impl SeedSummary {
    /// Adds another application's counts.
    pub fn add(&mut self, other: &SeedSummary) {
        self.personas_created += other.personas_created;
        self.personas_updated += other.personas_updated;
        self.clients_created += other.clients_created;
        self.clients_updated += other.clients_updated;
        self.rules_added += other.rules_added;
        self.rules_unchanged += other.rules_unchanged;
    }
}
