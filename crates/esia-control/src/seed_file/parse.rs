//! Reading a seed document: the format from the file's extension (`.yaml`/`.yml`, `.toml`,
//! `.json`), syntax and type errors with the file's line, each entry's starting line kept for
//! later errors, and client certificates given as paths read relative to the seed file.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::format::SeedFormat;
use super::locate::{field_line, line_of_offset};
use super::{PersonaSpec, SeedDocument, SeedError, SeedProblem};
use esia_core::protocol::clients::ClientSpec;
use esia_core::verification_config::RuleConfig;

/// Which list of the document an entry belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Section {
    Personas,
    Clients,
    Rules,
}

impl Section {
    fn key(self) -> &'static str {
        match self {
            Section::Personas => "personas",
            Section::Clients => "clients",
            Section::Rules => "verification_rules",
        }
    }
}

/// A parsed document with where each entry starts in its source.
#[derive(Debug, Clone)]
pub struct ParsedSeed {
    /// The file name as given (or `snapshot`).
    pub source: String,
    pub doc: SeedDocument,
    text: String,
    format: SeedFormat,
    persona_lines: Vec<u32>,
    client_lines: Vec<u32>,
    rule_lines: Vec<u32>,
}

impl ParsedSeed {
    /// A document that did not come from a file (a snapshot import): problems carry no line.
    pub fn from_document(source: &str, doc: SeedDocument) -> ParsedSeed {
        ParsedSeed {
            source: source.to_string(),
            doc,
            text: String::new(),
            format: SeedFormat::Json,
            persona_lines: Vec::new(),
            client_lines: Vec::new(),
            rule_lines: Vec::new(),
        }
    }

    /// A problem of entry `index` of `section`, at the field's line when it can be found.
    pub(crate) fn problem(
        &self,
        section: Section,
        index: usize,
        field: Option<&str>,
        message: impl Into<String>,
    ) -> SeedProblem {
        let lines = match section {
            Section::Personas => &self.persona_lines,
            Section::Clients => &self.client_lines,
            Section::Rules => &self.rule_lines,
        };
        let start = lines.get(index).copied();
        let line = start.map(|start| {
            let end = lines.get(index + 1).copied().unwrap_or(u32::MAX);
            field
                .and_then(|f| field_line(&self.text, self.format, start, end, f))
                .unwrap_or(start)
        });
        let mut path = format!("{}[{index}]", section.key());
        if let Some(f) = field {
            path.push('.');
            path.push_str(f);
        }
        SeedProblem {
            source: self.source.clone(),
            line,
            path,
            message: message.into(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawYaml {
    #[serde(default)]
    personas: Vec<serde_saphyr::Spanned<PersonaSpec>>,
    #[serde(default)]
    clients: Vec<serde_saphyr::Spanned<ClientSpec>>,
    #[serde(default)]
    verification_rules: Vec<serde_saphyr::Spanned<RuleConfig>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawToml {
    #[serde(default)]
    personas: Vec<toml::Spanned<PersonaSpec>>,
    #[serde(default)]
    clients: Vec<toml::Spanned<ClientSpec>>,
    #[serde(default)]
    verification_rules: Vec<toml::Spanned<RuleConfig>>,
}

fn syntax(source: &str, line: Option<u32>, message: String) -> SeedError {
    SeedError(vec![SeedProblem {
        source: source.to_string(),
        line,
        path: String::new(),
        message,
    }])
}

/// Reads and parses a seed file; certificate paths resolve against the file's directory.
pub fn read_seed_file(path: &Path) -> Result<ParsedSeed, SeedError> {
    let source = path.display().to_string();
    let format = SeedFormat::from_path(path).ok_or_else(|| {
        syntax(
            &source,
            None,
            "unknown seed file type: use .yaml, .yml, .toml or .json".into(),
        )
    })?;
    let text = std::fs::read_to_string(path)
        .map_err(|e| syntax(&source, None, format!("cannot read the seed file: {e}")))?;
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    parse_seed(&source, &text, format, Some(&base))
}

/// Parses a seed document. With `base_dir`, a client certificate that is not inline PEM is read
/// from that path (relative to `base_dir`).
pub fn parse_seed(
    source: &str,
    text: &str,
    format: SeedFormat,
    base_dir: Option<&Path>,
) -> Result<ParsedSeed, SeedError> {
    let mut parsed = ParsedSeed::from_document(source, SeedDocument::default());
    parsed.text = text.to_string();
    parsed.format = format;
    match format {
        // An empty or comment-only YAML file is an empty document, not an error.
        SeedFormat::Yaml
            if text
                .lines()
                .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#')) => {}
        SeedFormat::Yaml => {
            let raw: RawYaml = serde_saphyr::from_str(text).map_err(|e| {
                let line = e.location().map(|l| l.line() as u32).filter(|l| *l > 0);
                syntax(source, line, e.without_snippet().to_string())
            })?;
            let line = |l: &serde_saphyr::Location| l.line() as u32;
            parsed.persona_lines = raw.personas.iter().map(|s| line(&s.referenced)).collect();
            parsed.client_lines = raw.clients.iter().map(|s| line(&s.referenced)).collect();
            parsed.rule_lines = raw
                .verification_rules
                .iter()
                .map(|s| line(&s.referenced))
                .collect();
            parsed.doc = SeedDocument {
                personas: raw.personas.into_iter().map(|s| s.value).collect(),
                clients: raw.clients.into_iter().map(|s| s.value).collect(),
                verification_rules: raw
                    .verification_rules
                    .into_iter()
                    .map(|s| s.value)
                    .collect(),
            };
        }
        SeedFormat::Toml => {
            let raw: RawToml = toml::from_str(text).map_err(|e| {
                let line = e.span().map(|s| line_of_offset(text, s.start));
                syntax(source, line, e.message().to_string())
            })?;
            let line = |start: usize| line_of_offset(text, start);
            parsed.persona_lines = raw.personas.iter().map(|s| line(s.span().start)).collect();
            parsed.client_lines = raw.clients.iter().map(|s| line(s.span().start)).collect();
            parsed.rule_lines = raw
                .verification_rules
                .iter()
                .map(|s| line(s.span().start))
                .collect();
            parsed.doc = SeedDocument {
                personas: raw.personas.into_iter().map(|s| s.into_inner()).collect(),
                clients: raw.clients.into_iter().map(|s| s.into_inner()).collect(),
                verification_rules: raw
                    .verification_rules
                    .into_iter()
                    .map(|s| s.into_inner())
                    .collect(),
            };
        }
        SeedFormat::Json => {
            parsed.doc = serde_json::from_str(text).map_err(|e| {
                syntax(
                    source,
                    Some(e.line() as u32).filter(|l| *l > 0),
                    e.to_string(),
                )
            })?;
        }
    }
    if let Some(base) = base_dir {
        resolve_certificates(&mut parsed, base)?;
    }
    Ok(parsed)
}

/// Replaces certificate paths by the files' PEM text.
fn resolve_certificates(parsed: &mut ParsedSeed, base: &Path) -> Result<(), SeedError> {
    let mut problems = Vec::new();
    let mut resolved: Vec<(usize, usize, String)> = Vec::new();
    for (i, client) in parsed.doc.clients.iter().enumerate() {
        for (j, cert) in client.certificates.iter().enumerate() {
            if cert.contains("-----BEGIN") {
                continue;
            }
            let path: PathBuf = base.join(cert.trim());
            match std::fs::read_to_string(&path) {
                Ok(pem) => resolved.push((i, j, pem)),
                Err(e) => problems.push(parsed.problem(
                    Section::Clients,
                    i,
                    Some("certificates"),
                    format!(
                        "certificate #{}: cannot read {}: {e}",
                        j + 1,
                        path.display()
                    ),
                )),
            }
        }
    }
    if !problems.is_empty() {
        return Err(SeedError(problems));
    }
    for (i, j, pem) in resolved {
        parsed.doc.clients[i].certificates[j] = pem;
    }
    Ok(())
}
