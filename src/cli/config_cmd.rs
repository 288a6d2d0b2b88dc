//! `esia-emulator config check|defaults`: validate a configuration (every problem at once) or
//! print the commented defaults.

use clap::Subcommand;

use super::{load_config, Cli};

#[derive(Debug, Subcommand)]
pub enum ConfigAction {
    /// Load the configuration (file + environment) and report every problem.
    Check,
    /// Print a commented configuration file with every default.
    Defaults,
}

pub fn run(args: &Cli, action: &ConfigAction) -> anyhow::Result<()> {
    match action {
        ConfigAction::Defaults => {
            print!("{}", esia_core::config::DEFAULTS_TOML);
            Ok(())
        }
        ConfigAction::Check => {
            let config = load_config(args)?;
            println!(
                "configuration OK: bind {}, database {}",
                config.server.bind,
                config.database_url()
            );
            Ok(())
        }
    }
}
