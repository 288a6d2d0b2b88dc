//! esia-bench: the one benchmark command of issue 12. `esia-bench all` starts the real emulator
//! binary as a separate process on a fresh data folder and a free loopback port, loads it from
//! this process (`load`), and prints every figure beside its goal (`report`); `--peers` measures
//! the peer identity providers in the same run. The modules: `emulator` (the process), `load`
//! (the generator), `stats` (percentiles), `figures` (what one operation is), `peers`, `run`
//! (the order of figures and their comparisons) and `report` (table and JSON). It measures and
//! reports; it never changes the emulator's code or configuration beyond `ESIA__…` variables.

pub mod emulator;
pub mod figures;
pub mod jobs;
pub mod load;
pub mod peers;
pub mod report;
pub mod run;
pub mod stats;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "esia-bench",
    about = "Benchmarks the esia-emulator binary (issue 12)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Runs every figure: start time, memory, te, flows, /rs, registrations, verification jobs.
    All(AllArgs),
}

#[derive(Args, Debug, Clone)]
pub struct AllArgs {
    /// A few seconds per figure (for tests); the figures are then indicative only.
    #[arg(long)]
    pub quick: bool,
    /// Also start and load the peers of shared/peers (needs node and npm).
    #[arg(long)]
    pub peers: bool,
    /// Where the peers are (start-peer.sh).
    #[arg(long, default_value = "../shared/peers")]
    pub peers_dir: PathBuf,
    /// A PostgreSQL server URL: the figures are taken on a fresh database there (dropped after).
    #[arg(long)]
    pub database_url: Option<String>,
    /// Also write the report as JSON to this file.
    #[arg(long)]
    pub json: Option<PathBuf>,
    /// The emulator binary (default: esia-emulator next to this executable).
    #[arg(long)]
    pub bin: Option<PathBuf>,
}

/// Parses the command line, runs, prints the table on stdout; exit 1 on a failure or on any
/// request error (a benchmark with errors measured something else).
pub fn main_entry() -> ExitCode {
    let Command::All(args) = Cli::parse().command;
    let command = std::env::args().collect::<Vec<_>>().join(" ");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let report = match runtime.block_on(run::all(&args, command)) {
        Ok(report) => report,
        Err(e) => {
            eprintln!("esia-bench: {e}");
            return ExitCode::FAILURE;
        }
    };
    print!("{}", report::render(&report));
    if let Some(path) = &args.json {
        let json = serde_json::to_string_pretty(&report).expect("report as JSON");
        if let Err(e) = std::fs::write(path, json) {
            eprintln!("esia-bench: writing {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
    }
    if report.errors() > 0 {
        eprintln!("esia-bench: {} requests failed", report.errors());
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
