//! The syntax of a seed document (YAML, TOML or JSON) and how a file's name tells it. It must not
//! read the document: that is `parse`'s.

use std::path::Path;

/// The syntax of a seed document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeedFormat {
    Yaml,
    Toml,
    Json,
}

impl SeedFormat {
    /// Picks the format from the extension; None for anything else.
    pub fn from_path(path: &Path) -> Option<SeedFormat> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "yaml" | "yml" => Some(SeedFormat::Yaml),
            "toml" => Some(SeedFormat::Toml),
            "json" => Some(SeedFormat::Json),
            _ => None,
        }
    }
}
