//! The demo data set applied once to an empty database: the seed file `seeds/demo.yaml`
//! (embedded), personas mirroring the real test stand's shared logins (`EsiaTest00N@yandex.ru`,
//! password `11111111`) so scripts written for the test stand run unchanged, and the demo client
//! `DEMO_IS`. Its personas are inserted exactly as written (stable internal ids, see
//! `seed_file::literal`). Seeded passwords skip the password rules on purpose. Beyond loopback
//! the demo client is left out unless `demo.allow_demo_client_on_network` (its private keys are
//! public); `protocol::clients::load_served` refuses an existing row there.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use esia_store::{write_transaction, DbConnection};

use crate::seed_file::literal::IdMode;
use crate::seed_file::{
    parse_seed, ParsedSeed, SeedError, SeedFormat, SeedSummary, DEMO_SEED_NAME, DEMO_SEED_YAML,
};
use crate::Control;
use esia_core::error::{CoreError, CoreResult};
use esia_core::Core;

pub use esia_core::protocol::clients::DEMO_CLIENT;

pub use crate::demo_personas::{DemoPersona, DEMO_PERSONAS};

/// Files the demo seed names by path, embedded so the binary needs no checkout.
const EMBEDDED_FILES: &[(&str, &str)] = &[
    (
        "../keys/demo-client/demo-is-gost.pem",
        include_str!("../../../keys/demo-client/demo-is-gost.pem"),
    ),
    (
        "../keys/demo-client/demo-is-rsa.pem",
        include_str!("../../../keys/demo-client/demo-is-rsa.pem"),
    ),
];

/// The embedded demo seed, parsed, its certificate paths replaced by the embedded files.
pub fn demo_seed() -> Result<ParsedSeed, SeedError> {
    let mut parsed = parse_seed(DEMO_SEED_NAME, DEMO_SEED_YAML, SeedFormat::Yaml, None)?;
    for client in &mut parsed.doc.clients {
        for cert in &mut client.certificates {
            if let Some((_, pem)) = EMBEDDED_FILES.iter().find(|(path, _)| path == cert) {
                *cert = (*pem).to_string();
            }
        }
    }
    Ok(parsed)
}

/// The demo seed with its passwords hashed: what `seed_demo_in` writes.
pub(crate) struct PreparedDemo {
    seed: ParsedSeed,
    hashes: HashMap<String, String>,
}

/// Seeds the demo data (`seeds/demo.yaml`: the demo client and personas) when the database
/// has no persons yet; returns how many personas were added.
pub fn seed_demo_if_empty(ctl: &Control) -> CoreResult<usize> {
    Ok(crate::seed::seed_demo_if_empty_summary(ctl)?.personas_created)
}

/// As `seed_demo_if_empty`, with the counts.
pub fn seed_demo_if_empty_summary(ctl: &Control) -> CoreResult<SeedSummary> {
    let mut conn = ctl.idp.conn()?;
    if esia_store::persons::count_persons(&mut conn)? > 0 {
        return Ok(SeedSummary::default());
    }
    let demo = prepare_demo()?;
    let now = ctl.idp.now_naive();
    let summary = write_transaction(&mut conn, |conn| seed_demo_in(&ctl.idp, conn, &demo, now))?;
    Ok(summary)
}

/// On a bind beyond loopback without `demo.allow_demo_client_on_network`: says that the
/// demo client is not served, loudly when a `DEMO_IS` row exists (a shared database seeded
/// on a laptop, or a seed file). Called on start.
pub fn warn_about_demo_client(ctl: &Control) -> CoreResult<()> {
    if ctl.idp.config.demo_client_served() {
        return Ok(());
    }
    let mut conn = ctl.idp.conn()?;
    if esia_store::clients::find_client(&mut conn, DEMO_CLIENT)?.is_some() {
        tracing::warn!(
            client.id = DEMO_CLIENT,
            "the demo client exists but is NOT served: server.bind is beyond loopback and its \
             private keys are public; ac/te with it answer ESIA-007002 \
             (set demo.allow_demo_client_on_network = true to serve it anyway)"
        );
    } else {
        tracing::info!(
            client.id = DEMO_CLIENT,
            "demo client not seeded: server.bind is beyond loopback \
             (demo.allow_demo_client_on_network = true seeds it)"
        );
    }
    Ok(())
}

/// Parses the demo seed and hashes its passwords (the slow part, outside any transaction).
pub(crate) fn prepare_demo() -> CoreResult<PreparedDemo> {
    let seed = demo_seed()?;
    // Demo hashes use the cheap profile: the passwords are public anyway. One hash per
    // distinct password (they are all the same).
    let mut hashes: HashMap<String, String> = HashMap::new();
    for p in &seed.doc.personas {
        if let Some(pw) = &p.password {
            if !hashes.contains_key(pw) {
                let h = esia_crypto::password::hash_password(
                    pw,
                    &esia_crypto::password::Argon2Params::CHEAP,
                )
                .map_err(|e| CoreError::Internal(e.to_string()))?;
                hashes.insert(pw.clone(), h);
            }
        }
    }
    Ok(PreparedDemo { seed, hashes })
}

/// Writes the demo seed inside the caller's write transaction when the database has no
/// persons (checked inside it, so two starts never both seed).
pub(crate) fn seed_demo_in(
    core: &Core,
    conn: &mut DbConnection,
    demo: &PreparedDemo,
    now: NaiveDateTime,
) -> CoreResult<SeedSummary> {
    let mut summary = SeedSummary::default();
    // Replicas started together on an empty database all get here: under the state lock only
    // the first one seeds, the others find the personas and stop.
    esia_store::admin::lock_state(conn)?;
    if esia_store::persons::count_persons(conn)? > 0 {
        return Ok(summary);
    }
    // The demo client's private keys are public: beyond loopback it is seeded only when
    // explicitly allowed (`demo.allow_demo_client_on_network`).
    let serve_demo_client = core.config.demo_client_served();
    for spec in demo
        .seed
        .doc
        .clients
        .iter()
        .filter(|c| serve_demo_client || c.mnemonic != DEMO_CLIENT)
    {
        if esia_core::protocol::clients::upsert(core, conn, spec)? {
            summary.clients_created += 1;
        } else {
            summary.clients_updated += 1;
        }
    }
    for p in &demo.seed.doc.personas {
        let hash = match &p.password {
            Some(pw) => demo.hashes.get(pw).cloned(),
            None => p.password_hash.clone(),
        };
        crate::seed_file::insert_literal(conn, p, hash, now, IdMode::Stable)?;
        summary.personas_created += 1;
    }
    tracing::info!(personas = summary.personas_created, "demo seed applied");
    Ok(summary)
}
