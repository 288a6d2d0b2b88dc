//! The order of one benchmark run and what each figure is compared with. One data folder for
//! the run: a first start creates the database, keys and demo seed; the cold starts open it
//! again; one cheap-Argon2 process then serves the protocol figures (memory before and after
//! them), a second with the /rs journal off, a third with default Argon2 for registrations.
//! Progress goes to stderr, one line per figure; the table is `report`'s.

use std::time::Duration;

use esia_testkit::load_client::rsa_cms_signer;
use esia_testkit::protocol::CLIENT;
use esia_testkit::TestDb;

use crate::emulator::{default_bin, Emulator, Setup};
use crate::figures::{self as fig, GOST_CLIENT};
use crate::load::Load;
use crate::report::{number, Figure, Goal, Machine, Report};
use crate::stats::{median, Summary};
use crate::AllArgs;
use crate::{jobs, peers};

/// The size of a run.
struct Plan {
    per_figure: Duration,
    cold_starts: usize,
    codes: u64,
    reads: usize,
    exchanges: usize,
    browsers: usize,
    persons: usize,
}

impl Plan {
    fn new(quick: bool) -> Plan {
        if quick {
            Plan {
                per_figure: Duration::from_secs(2),
                cold_starts: 3,
                codes: 150,
                reads: 16,
                exchanges: 8,
                browsers: 4,
                persons: 150,
            }
        } else {
            Plan {
                per_figure: Duration::from_secs(10),
                cold_starts: 9,
                codes: 4000,
                reads: 64,
                exchanges: 32,
                browsers: 16,
                persons: 2000,
            }
        }
    }

    fn load(&self, concurrency: usize) -> Load {
        Load {
            concurrency,
            duration: self.per_figure,
            max_ops: None,
        }
    }
}

fn progress(f: &Figure) {
    let lat = match (f.p50_ms, f.p99_ms) {
        (Some(p50), Some(p99)) => format!(
            " (p50 {} ms, p99 {} ms, {} errors)",
            number(p50),
            number(p99),
            f.errors
        ),
        _ => String::new(),
    };
    eprintln!(
        "[esia-bench] {}: {} {}{lat}",
        f.name,
        number(f.value),
        f.unit
    );
}

fn rate(name: &str, s: &Summary) -> Figure {
    if let Some(e) = &s.first_error {
        eprintln!("[esia-bench] {name}: first error: {e}");
    }
    Figure::rate(name, s)
}

fn with_log(emu: &Emulator, e: String) -> String {
    format!("{e}\nemulator log:\n{}", emu.log_tail())
}

fn mib(emu: &Emulator) -> Result<f64, String> {
    Ok(emu.rss_kib()? as f64 / 1024.0)
}

const CHEAP: (&str, &str) = ("ESIA__SECURITY__PASSWORD_PROFILE", "cheap");
const ZERO_CLICK: (&str, &str) = ("ESIA__PROTOCOL__ZERO_CLICK", "true");
const NO_DELAY: (&str, &str) = ("ESIA__VERIFICATION__DELAY_SECS", "0");
const TE_RS256: &str = "v3 te GOST secret, RS256 tokens";
const JOURNAL_OFF: (&str, &str) = ("ESIA__PROTOCOL__JOURNAL_RS", "false");

pub async fn all(args: &AllArgs, command: String) -> Result<Report, String> {
    let plan = Plan::new(args.quick);
    let machine = Machine::here();
    eprintln!(
        "[esia-bench] machine: nproc {}, load average {}",
        machine.nproc, machine.loadavg
    );
    let db = TestDb::on(args.database_url.clone());
    let root = tempfile::tempdir().map_err(|e| format!("temp dir: {e}"))?;
    let setup = Setup {
        bin: default_bin(args.bin.as_deref()),
        database_url: db.url.clone(),
        root: root.path().to_path_buf(),
    };
    let mut figures = Vec::new();
    let mut add = |f: Figure| {
        progress(&f);
        figures.push(f);
        figures.len()
    };
    let cheap = [CHEAP, ZERO_CLICK];

    let (first, _) = setup.start("first", &cheap).await?;
    drop(first);
    let mut starts = Vec::new();
    for i in 0..plan.cold_starts {
        let (emu, took) = setup.start(&format!("start-{i}"), &cheap).await?;
        starts.push(took.as_secs_f64() * 1000.0);
        drop(emu);
    }
    add(Figure::new(
        "cold start to first health 200 (median)",
        median(&starts),
        "ms",
    )
    .goal(Goal::AtMost(12.0)));

    let (emu, _) = setup.start("main", &cheap).await?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    add(Figure::new("idle RSS after start", mib(&emu)?, "MiB").goal(Goal::AtMost(20.0)));

    let health = fig::health(&emu, plan.load(plan.reads)).await;
    let ceiling = health.rate();
    add(rate("GET /emulator/health", &health));
    let (token, oid) = fig::rs_token(&emu).await.map_err(|e| with_log(&emu, e))?;
    let rs_on = fig::rs_reads(&emu, &token, oid, plan.load(plan.reads)).await;
    add(rate("GET /rs/prns/{oid} journal on", &rs_on)
        .against("health", ceiling)
        .goal(Goal::RatioAtLeast(0.5)));

    fig::register_gost_client(&emu).await?;
    let te_load = plan.load(plan.exchanges);
    let codes = fig::codes(&emu, CLIENT, None, plan.codes, te_load)
        .await
        .map_err(|e| with_log(&emu, e))?;
    let te_rs256 = fig::exchanges(&emu, CLIENT, codes, None, te_load).await;
    // Its row comes here; its ratio to the peer is known only at the end.
    let te_row = add(rate(TE_RS256, &te_rs256)) - 1;
    let codes = fig::codes(&emu, GOST_CLIENT, None, plan.codes, te_load)
        .await
        .map_err(|e| with_log(&emu, e))?;
    let te_gost = fig::exchanges(&emu, GOST_CLIENT, codes, None, te_load).await;
    add(rate("v3 te GOST secret, GOST tokens", &te_gost));
    let cms = rsa_cms_signer();
    let codes = fig::codes(&emu, CLIENT, Some(&cms), plan.codes, te_load)
        .await
        .map_err(|e| with_log(&emu, e))?;
    let te_v1 = fig::exchanges(&emu, CLIENT, codes, Some(&cms), te_load).await;
    add(rate("v1 te RSA CMS secret, RS256 tokens", &te_v1));

    add(rate(
        "ac → login → consent → te flows (cheap Argon2)",
        &fig::flows(&emu, plan.load(plan.browsers)).await,
    ));
    add(rate(
        "registrations (cheap Argon2)",
        &fig::registrations(&emu, 0, plan.load(plan.browsers)).await,
    ));
    add(Figure::new("RSS after load", mib(&emu)?, "MiB").goal(Goal::AtMost(60.0)));
    drop(emu);

    let (emu, _) = setup
        .start("journal-off", &[CHEAP, ZERO_CLICK, JOURNAL_OFF])
        .await?;
    let (token, oid) = fig::rs_token(&emu).await.map_err(|e| with_log(&emu, e))?;
    let rs_off = fig::rs_reads(&emu, &token, oid, plan.load(plan.reads)).await;
    add(rate("GET /rs/prns/{oid} journal off", &rs_off).against("health", ceiling));
    drop(emu);

    let (emu, _) = setup.start("default-argon2", &[ZERO_CLICK]).await?;
    add(rate(
        "registrations (default Argon2)",
        &fig::registrations(&emu, 1_000_000, plan.load(plan.browsers)).await,
    ));
    drop(emu);

    let jobs = jobs::verification_jobs(&setup, plan.persons, 2_000_000_000, &[NO_DELAY]).await?;
    let mut f = Figure::new("verification jobs (worker process)", jobs.rate(), "/s");
    f.errors = jobs.errors;
    add(f);

    let mut skipped = Vec::new();
    let mut te = Figure::rate(TE_RS256, &te_rs256);
    if args.peers {
        match peers::unavailable(&args.peers_dir) {
            Some(why) => {
                eprintln!("[esia-bench] SKIPPED {why}");
                skipped.push(why);
            }
            None => {
                for peer in [peers::OAUTH2_MOCK, peers::OIDC_PROVIDER] {
                    let log = root.path().join(format!("{}.log", peer.name));
                    let s =
                        peers::measure(&args.peers_dir, &peer, plan.load(plan.reads), &log).await?;
                    if peer.name == peers::OAUTH2_MOCK.name {
                        te = te.against(peer.name, s.rate());
                    }
                    let f = rate(&format!("peer {} {}", peer.name, peer.grant), &s);
                    add(f.against("our v3 te RS256", te_rs256.rate()));
                }
            }
        }
    } else {
        skipped.push("peers: not asked for (--peers)".into());
    }
    figures[te_row] = te.goal(Goal::RatioAtLeast(2.5));
    Ok(Report {
        command,
        machine,
        backend: db.backend().as_str().to_string(),
        quick: args.quick,
        figures,
        skipped,
    })
}
