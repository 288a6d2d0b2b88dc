//! Shared by the protocol targets: one real `Core` over a temporary SQLite database with the
//! demo catalogue seeded (so `client_id=DEMO_IS` reaches the signature checks), and the input
//! split into an endpoint choice and a form-urlencoded parameter list, as the web layer parses
//! query strings and bodies.

use std::sync::{Arc, OnceLock};

use esia_control::Control;
use esia_core::domain::clock::ControlledClock;
use esia_core::protocol::Params;
use esia_core::{Config, Core};

pub fn core() -> &'static Core {
    &control().idp
}

/// The control plane over `core()` (seed files go through it).
pub fn control() -> &'static Control {
    static CONTROL: OnceLock<(Control, tempfile::TempDir)> = OnceLock::new();
    &CONTROL
        .get_or_init(|| {
            let dir = tempfile::tempdir().expect("temp dir");
            let mut config = Config::default();
            config.server.data_dir = dir.path().to_path_buf();
            config.database.url = format!("sqlite://{}", dir.path().join("fuzz.db").display());
            config.keys.dir = dir.path().join("keys");
            config.security.password_profile = "cheap".into();
            config.demo.seed = true;
            config.validate().expect("fuzz config");
            // A fixed clock, so timestamps in the seed corpus stay inside the window.
            let start = chrono_start();
            let clock = Arc::new(ControlledClock::fake(start));
            let core = Core::open(config, clock.clone()).expect("core");
            core.migrate().expect("migrate");
            let control = Control::start(core, clock);
            esia_control::snapshot::apply_startup_seed(&control).expect("seed");
            (control, dir)
        })
        .0
}

fn chrono_start() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339("2026-01-15T12:00:00Z")
        .expect("start")
        .to_utc()
}

/// `(selector byte, form-urlencoded parameters)`.
#[allow(dead_code)] // not every target splits its input
pub fn split(data: &[u8]) -> Option<(u8, Params)> {
    let (&first, rest) = data.split_first()?;
    let pairs = url::form_urlencoded::parse(rest)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    Some((first, Params(pairs)))
}
