//! `esia-emulator seed FILE`: apply a seed file (YAML or TOML) to the configured database after
//! migrating it, and print one line of counts. A bad file prints every located problem and
//! exits non-zero without writing anything it could check beforehand.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use clap::Args;
use esia_control::seed_file::read_seed_file;
use esia_core::domain::clock::ControlledClock;
use esia_core::Core;

use super::{load_config, Cli};

#[derive(Debug, Args)]
pub struct SeedArgs {
    /// The seed file: .yaml, .yml or .toml (see docs/seed-files.md).
    pub file: PathBuf,
}

pub fn run(args: &Cli, seed_args: &SeedArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let parsed = read_seed_file(&seed_args.file)?;
    let config = load_config(args)?;
    let clock = Arc::new(ControlledClock::system());
    let core = Core::open(config, clock.clone())?;
    core.migrate()?;
    let control = esia_control::Control::start(core, clock);
    let summary = esia_control::seed_file::apply::apply_seed(&control, &parsed)?;
    println!(
        "seeded {}: {summary} ({} ms)",
        seed_args.file.display(),
        started.elapsed().as_millis()
    );
    Ok(())
}
