//! State as a whole: reset (wipe everything, re-apply the startup seed: the demo seed and the
//! configured seed file), snapshot export (the current state as one seed document: personas
//! with their oids and password hashes, clients with their certificates, API verification
//! rules) and snapshot import (wipe, then apply). Reset and import are each ONE transaction
//! under the state lock (`esia_store::admin::lock_state`), so concurrent resets on any
//! replica serialise and readers never see the empty state between wipe and seed.

use esia_store::{write_transaction, DbConnection};

use crate::seed_file::{read_seed_file, ParsedSeed, SeedDocument, SeedSummary};
use crate::Control;
use esia_core::error::CoreResult;
use esia_core::protocol::clients::ClientSpec;
use esia_core::verification_config::RuleConfig;

/// Deletes every row of emulator state (persons and their data, sessions, codes, tokens,
/// grants, journal, outbox, jobs, clients, verification and fault rules) in one
/// transaction. The clock setting stays (it has its own reset).
pub fn wipe_state(ctl: &Control) -> CoreResult<usize> {
    // Buffered journal rows of earlier requests are wiped too, not written after the wipe.
    esia_core::protocol::journal::flush(&ctl.idp);
    let mut conn = ctl.idp.conn()?;
    let n = write_transaction(&mut conn, |conn| -> CoreResult<usize> {
        esia_store::admin::lock_state(conn)?;
        Ok(esia_store::admin::wipe_all(conn)?)
    })?;
    state_replaced(ctl, n);
    Ok(n)
}

/// Forgets the wiped fault rules and client controls in this process at once; other
/// processes follow within their refresh period.
fn state_replaced(ctl: &Control, rows: usize) {
    if let Err(e) = ctl.state.refresh() {
        // The periodic refresh catches up; the new state itself is committed.
        tracing::warn!(error = %e, "control state refresh after a reset failed");
    }
    tracing::warn!(rows, "emulator state wiped");
}

/// The seed the emulator starts from: the demo seed (when `demo.seed`, into an empty
/// database) then the configured seed file, in one transaction. Called on start.
pub fn apply_startup_seed(ctl: &Control) -> CoreResult<SeedSummary> {
    crate::seed::warn_about_demo_client(ctl)?;
    startup_seed(ctl, false)
}

/// `POST /emulator/api/reset`: wipe, then the startup seed again (the same oids as at
/// start), as ONE transaction: other requests see the old state or the new one, never an
/// empty database, and concurrent resets run one after the other.
pub fn reset_state(ctl: &Control) -> CoreResult<SeedSummary> {
    startup_seed(ctl, true)
}

/// `POST /emulator/api/snapshot`: replaces the whole state by the document in one
/// transaction (a refused document leaves the state untouched); personas are inserted
/// exactly as written (nothing generated), so an exported snapshot comes back unchanged.
pub fn import_snapshot(ctl: &Control, doc: SeedDocument) -> CoreResult<SeedSummary> {
    let parsed = ParsedSeed::from_document("snapshot", doc);
    let prepared = crate::seed_file::apply::prepare_seed(ctl, &parsed, true)?;
    replace_state(ctl, true, move |ctl, conn| {
        crate::seed_file::apply::apply_seed_in(ctl, conn, prepared)
    })
}

/// Runs `write` in one write transaction holding the state lock, after the wipe when
/// `wipe`. The slow preparation (seed files, password hashes) happens before, in the
/// caller.
fn replace_state(
    ctl: &Control,
    wipe: bool,
    write: impl FnOnce(&Control, &mut DbConnection) -> CoreResult<SeedSummary>,
) -> CoreResult<SeedSummary> {
    if wipe {
        // As in `wipe_state`: earlier requests' buffered journal rows go with the wipe.
        esia_core::protocol::journal::flush(&ctl.idp);
    }
    let mut conn = ctl.idp.conn()?;
    let mut wiped = 0;
    let summary = write_transaction(&mut conn, |conn| -> CoreResult<SeedSummary> {
        esia_store::admin::lock_state(conn)?;
        if wipe {
            wiped = esia_store::admin::wipe_all(conn)?;
        }
        write(ctl, conn)
    })?;
    if wipe {
        state_replaced(ctl, wiped);
    }
    Ok(summary)
}

/// The startup seed, prepared (seed file read, passwords hashed) before the transaction
/// that writes it, after the wipe when `wipe`.
fn startup_seed(ctl: &Control, wipe: bool) -> CoreResult<SeedSummary> {
    let demo = match ctl.idp.config.demo.seed {
        true => Some(crate::seed::prepare_demo()?),
        false => None,
    };
    let file = match ctl.idp.config.demo.seed_file.as_str() {
        "" => None,
        path => Some(read_seed_file(std::path::Path::new(path))?),
    };
    let prepared = match &file {
        Some(parsed) => Some(crate::seed_file::apply::prepare_seed(ctl, parsed, false)?),
        None => None,
    };
    replace_state(ctl, wipe, move |ctl, conn| {
        let mut summary = SeedSummary::default();
        if let Some(demo) = &demo {
            summary = crate::seed::seed_demo_in(&ctl.idp, conn, demo, ctl.idp.now_naive())?;
        }
        if let Some(prepared) = prepared {
            summary.add(&crate::seed_file::apply::apply_seed_in(
                ctl, conn, prepared,
            )?);
        }
        Ok(summary)
    })
}

/// `GET /emulator/api/snapshot`: the current state as a seed document.
pub fn export_snapshot(ctl: &Control) -> CoreResult<SeedDocument> {
    let mut conn = ctl.idp.conn()?;
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
        personas: crate::personas::export_personas(ctl)?,
        clients,
        verification_rules,
    })
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
