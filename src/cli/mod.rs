//! Command-line interface: global options, the command enum, tracing setup and dispatch.

mod clients;
mod config_cmd;
mod seed;
mod serve;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "esia-emulator",
    version,
    about = "A local emulator of ESIA (Госуслуги identity provider). Never for production."
)]
pub struct Cli {
    /// Optional TOML configuration file (see `esia-emulator config defaults`).
    #[arg(long, global = true, env = "ESIA_CONFIG")]
    pub config: Option<PathBuf>,
    /// Database URL: a SQLite path, sqlite://PATH or postgres://… (overrides configuration).
    #[arg(long, global = true)]
    pub database_url: Option<String>,
    /// Data directory for the SQLite database and mail files (overrides configuration).
    #[arg(long, global = true)]
    pub data_dir: Option<PathBuf>,
    /// Log as JSON lines.
    #[arg(long, global = true)]
    pub log_json: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the emulator (web server and, unless --no-worker, the job worker).
    Serve(serve::ServeArgs),
    /// Run only the job worker (scale-out; pair with `serve --no-worker`).
    Worker,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Signing-key helpers.
    Keys {
        #[command(subcommand)]
        action: KeysAction,
    },
    /// Client systems (mnemonic, redirect URIs, scopes, certificates).
    Clients {
        #[command(subcommand)]
        action: clients::ClientsAction,
    },
    /// Apply a seed file (personas, client systems, verification rules) idempotently.
    Seed(seed::SeedArgs),
    /// Configuration helpers.
    Config {
        #[command(subcommand)]
        action: config_cmd::ConfigAction,
    },
}

#[derive(Debug, Subcommand)]
pub enum KeysAction {
    /// Generate new RSA-2048 and GOST-256 signing keys (replaces existing ones in keys.dir).
    Generate,
}

pub fn init_tracing(args: &Cli) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("ESIA_LOG").unwrap_or_else(|_| {
        tracing_subscriber::EnvFilter::new("info,actix_web=warn,actix_server=warn")
    });
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        // Colour codes only on a terminal: a log file or a collector gets plain `key=value`.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()));
    if args.log_json {
        builder.json().init();
    } else {
        builder.init();
    }
}

/// Loads configuration and applies the global command-line overrides.
pub fn load_config(args: &Cli) -> anyhow::Result<esia_core::Config> {
    let mut config = esia_core::Config::load(args.config.as_deref())?;
    if let Some(url) = &args.database_url {
        config.database.url = url.clone();
    }
    if let Some(dir) = &args.data_dir {
        config.server.data_dir = dir.clone();
    }
    config.validate()?;
    Ok(config)
}

pub fn run(args: Cli) -> anyhow::Result<()> {
    match &args.command {
        Command::Serve(serve_args) => serve::serve(&args, serve_args),
        Command::Worker => serve::worker_only(&args),
        Command::Migrate => {
            let config = load_config(&args)?;
            let core = esia_core::Core::open(
                config,
                std::sync::Arc::new(esia_core::domain::clock::ControlledClock::system()),
            )?;
            let applied = core.migrate()?;
            println!("migrations applied: {applied} ({})", core.backend_name());
            Ok(())
        }
        Command::Config { action } => config_cmd::run(&args, action),
        Command::Seed(seed_args) => seed::run(&args, seed_args),
        Command::Clients { action } => clients::run(&args, action),
        Command::Keys {
            action: KeysAction::Generate,
        } => {
            let config = load_config(&args)?;
            esia_core::keys::generate(&config.keys.dir)?;
            println!("generated signing keys in {}", config.keys.dir.display());
            for p in esia_core::keys::key_paths(&config.keys.dir) {
                println!("  {}", p.display());
            }
            Ok(())
        }
    }
}
