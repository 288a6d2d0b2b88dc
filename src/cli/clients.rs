//! `esia-emulator clients add|list|show|remove`: manage client systems from the shell (the same
//! use cases as `/emulator/api/clients`). Certificates are read from PEM files.

use clap::Subcommand;

use super::{load_config, Cli};

#[derive(Debug, Subcommand)]
pub enum ClientsAction {
    /// Register a client system.
    Add {
        /// The mnemonic (client_id).
        #[arg(long)]
        mnemonic: String,
        /// Human name shown on the consent page.
        #[arg(long)]
        name: String,
        /// Allowed redirect URI prefix (repeatable).
        #[arg(long = "redirect-uri", required = true)]
        redirect_uris: Vec<String>,
        /// Allowed scope (repeatable; default: every person and organisation scope, and openid).
        #[arg(long = "scope")]
        scopes: Vec<String>,
        /// Token algorithm: RS256 or GOST3410_2012_256.
        #[arg(long, default_value = "RS256")]
        alg: String,
        /// strict or lenient.
        #[arg(long, default_value = "strict")]
        mode: String,
        /// Certificate PEM file (repeatable).
        #[arg(long = "cert")]
        certs: Vec<std::path::PathBuf>,
    },
    /// List client systems.
    List,
    /// Show one client system as JSON.
    Show { mnemonic: String },
    /// Remove a client system with its certificates, codes, tokens and consents.
    Remove { mnemonic: String },
}

pub fn run(args: &Cli, action: &ClientsAction) -> anyhow::Result<()> {
    let config = load_config(args)?;
    let core = esia_core::Core::open(
        config,
        std::sync::Arc::new(esia_core::domain::clock::ControlledClock::system()),
    )?;
    core.migrate()?;
    match action {
        ClientsAction::Add {
            mnemonic,
            name,
            redirect_uris,
            scopes,
            alg,
            mode,
            certs,
        } => {
            let mut certificates = Vec::new();
            for path in certs {
                certificates.push(std::fs::read_to_string(path).map_err(|e| {
                    anyhow::anyhow!("cannot read certificate {}: {e}", path.display())
                })?);
            }
            let spec = esia_core::protocol::clients::ClientSpec {
                mnemonic: mnemonic.clone(),
                name: name.clone(),
                redirect_uris: redirect_uris.clone(),
                scopes: scopes.clone(),
                token_alg: Some(alg.clone()),
                mode: Some(mode.clone()),
                certificates,
            };
            let view = esia_core::protocol::clients::add_client(&core, &spec).map_err(describe)?;
            println!("{}", serde_json::to_string_pretty(&view)?);
        }
        ClientsAction::List => {
            for c in esia_core::protocol::clients::list_clients(&core)? {
                let hashes: Vec<&str> =
                    c.certificates.iter().map(|x| x.hash_hex.as_str()).collect();
                println!(
                    "{}\t{}\t{}\t{}\t{}",
                    c.mnemonic,
                    c.token_alg,
                    c.mode,
                    c.name,
                    hashes.join(",")
                );
            }
        }
        ClientsAction::Show { mnemonic } => {
            let view =
                esia_core::protocol::clients::show_client(&core, mnemonic).map_err(describe)?;
            println!("{}", serde_json::to_string_pretty(&view)?);
        }
        ClientsAction::Remove { mnemonic } => {
            esia_core::protocol::clients::remove_client(&core, mnemonic).map_err(describe)?;
            println!("removed {mnemonic}");
        }
    }
    Ok(())
}

fn describe(e: esia_core::CoreError) -> anyhow::Error {
    match e {
        esia_core::CoreError::Validation(fields) => anyhow::anyhow!(
            "invalid client: {}",
            fields
                .iter()
                .map(|f| format!("{}: {}", f.field, f.error.message))
                .collect::<Vec<_>>()
                .join("; ")
        ),
        other => other.into(),
    }
}
