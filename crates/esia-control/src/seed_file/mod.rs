//! Declarative seed documents: personas, client systems and verification rules in one YAML or
//! TOML file (`esia-emulator seed FILE`, `serve --seed FILE`, the shipped demo seed) or one JSON
//! snapshot (`/emulator/api/snapshot`). This module owns the document type, its parsing with
//! source lines, applying it idempotently, exporting the current state as one, and the reset.
//! It never touches HTTP; validation of each entry stays with the use case that owns the entry.

pub mod apply;
mod format;
pub(crate) mod literal;
mod locate;
mod parse;

use serde::{Deserialize, Serialize};

use esia_core::protocol::clients::ClientSpec;
use esia_core::verification_config::RuleConfig;

pub use apply::SeedSummary;
pub use format::SeedFormat;
pub(crate) use literal::insert_persona as insert_literal;
pub use parse::{parse_seed, read_seed_file, ParsedSeed};

/// A persona entry of a seed document (the personas API's spec).
pub type PersonaSpec = crate::personas::PersonaSpec;

/// The demo seed shipped in the repository (`seeds/demo.yaml`), applied to an empty database
/// when `demo.seed` is on.
pub const DEMO_SEED_YAML: &str = include_str!("../../../../seeds/demo.yaml");
/// The name the demo seed's errors and summaries carry.
pub const DEMO_SEED_NAME: &str = "seeds/demo.yaml";

/// One seed document. Every list is optional; unknown keys are refused.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SeedDocument {
    /// Personas, matched by oid, else by login (phone, e-mail, SNILS), when re-applied.
    #[serde(default)]
    pub personas: Vec<PersonaSpec>,
    /// Client systems, matched by mnemonic. In files, a certificate that is not inline PEM is a
    /// path relative to the seed file.
    #[serde(default)]
    pub clients: Vec<ClientSpec>,
    /// Verification rules (the `/emulator/api/verification-rules` shape); an identical rule is
    /// never added twice.
    #[serde(default)]
    /// Items: `{field, pattern, outcome, delay_secs?}` (see the verification rules API).
    #[schema(value_type = Vec<Object>)]
    pub verification_rules: Vec<RuleConfig>,
}

/// One problem of a seed document, located as precisely as the source allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedProblem {
    /// The file (or `snapshot` for an imported JSON body).
    pub source: String,
    /// 1-based line, when known.
    pub line: Option<u32>,
    /// `personas[3].snils`-style path; empty for a syntax error.
    pub path: String,
    pub message: String,
}

impl std::fmt::Display for SeedProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.source)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if !self.path.is_empty() {
            write!(f, ": {}", self.path)?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Every problem found, one per line when displayed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedError(pub Vec<SeedProblem>);

impl std::fmt::Display for SeedError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let lines: Vec<String> = self.0.iter().map(ToString::to_string).collect();
        f.write_str(&lines.join("\n"))
    }
}

impl std::error::Error for SeedError {}

impl From<SeedError> for esia_core::error::CoreError {
    fn from(e: SeedError) -> Self {
        esia_core::error::CoreError::InvalidDocument(e.to_string())
    }
}
