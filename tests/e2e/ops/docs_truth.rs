//! What README.md and docs/ promise exists (issue 14): every `ESIA__SECTION__KEY` variable and
//! every `section.key` they name is a configuration key, every `/emulator/api/…` path they name
//! is routed (with the method when they write one), and every `esia-emulator …` command line
//! they show names a real subcommand whose `--help` lists each flag used. A doc that mentions a
//! key, path or flag that was renamed or removed fails here.

use std::collections::BTreeSet;
use std::process::Command;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// README.md and every docs/*.md, with their names.
fn docs() -> Vec<(String, String)> {
    let mut out = vec![(
        "README.md".to_string(),
        std::fs::read_to_string(format!("{ROOT}/README.md")).unwrap(),
    )];
    let mut paths: Vec<_> = std::fs::read_dir(format!("{ROOT}/docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    paths.sort();
    for p in paths {
        let name = format!("docs/{}", p.file_name().unwrap().to_string_lossy());
        out.push((name, std::fs::read_to_string(&p).unwrap()));
    }
    out
}

/// `section.key` of every configuration key (from the code's defaults).
fn config_keys() -> BTreeSet<String> {
    let value = serde_json::to_value(esia_core::Config::default()).unwrap();
    let mut keys = BTreeSet::new();
    for (section, table) in value.as_object().unwrap() {
        for key in table.as_object().unwrap().keys() {
            keys.insert(format!("{section}.{key}"));
        }
    }
    keys
}

/// The words of `text` that start with `prefix`, cut at the first character that cannot be part
/// of the token (`allowed`).
fn tokens<'a>(text: &'a str, prefix: &str, allowed: impl Fn(char) -> bool) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(prefix) {
        let tail = &rest[i..];
        let end = tail
            .char_indices()
            .skip(prefix.len())
            .find(|(_, c)| !allowed(*c))
            .map_or(tail.len(), |(j, _)| j);
        out.push(&tail[..end]);
        rest = &tail[end..];
    }
    out
}

#[test]
fn every_documented_configuration_key_exists() {
    let keys = config_keys();
    let mut missing = Vec::new();
    for (doc, text) in docs() {
        let env = |c: char| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_';
        for var in tokens(&text, "ESIA__", env) {
            let parts: Vec<&str> = var["ESIA__".len()..].splitn(2, "__").collect();
            let [section, key] = parts[..] else { continue };
            let key = format!("{}.{}", section.to_lowercase(), key.to_lowercase());
            if key != "section.key" && !keys.contains(&key) {
                missing.push(format!("{doc}: {var}"));
            }
        }
        let sections: BTreeSet<&str> = keys.iter().filter_map(|k| k.split('.').next()).collect();
        let dotted = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.';
        for quoted in tokens(&text, "`", dotted) {
            let name = quoted.trim_start_matches('`').trim_end_matches('.');
            let Some((section, key)) = name.split_once('.') else {
                continue;
            };
            let (key, _) = key.split_once('.').unwrap_or((key, ""));
            // `registration.id`, `job.id`: log fields (internal ids), not configuration.
            if sections.contains(section) && !key.is_empty() && key != "id" {
                let full = format!("{section}.{key}");
                if !keys.contains(&full) {
                    missing.push(format!("{doc}: `{full}`"));
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "documented keys that do not exist: {missing:#?}"
    );
}

/// Whether a documented path (literal ids, `{id}` or `<id>` placeholders) is a routed pattern.
fn routed(path: &str, method: Option<&str>) -> bool {
    let segs: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    esia_web::routes::ALL.iter().any(|(m, pattern)| {
        let pat: Vec<&str> = pattern.split('/').collect();
        method.is_none_or(|want| m.as_str() == want)
            && pat.len() == segs.len()
            && pat.iter().zip(&segs).all(|(p, s)| {
                p == s || p.starts_with('{') || s.starts_with('{') || s.starts_with('<')
            })
    })
}

#[test]
fn every_documented_api_path_is_routed() {
    let mut missing = Vec::new();
    for (doc, text) in docs() {
        let path_char = |c: char| c.is_ascii_alphanumeric() || "_{}<>/.-".contains(c);
        for line in text.lines() {
            for path in tokens(line, "/emulator/api/", path_char) {
                let path = path.trim_end_matches('.');
                // "GET /emulator/api/…" names the method too.
                let before = &line[..line.find(path).unwrap_or(0)];
                let method = ["GET", "POST", "PUT", "PATCH", "DELETE"]
                    .into_iter()
                    .find(|m| before.trim_end().trim_end_matches('`').ends_with(m));
                if !routed(path, method) {
                    missing.push(format!("{doc}: {} {path}", method.unwrap_or("")));
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "documented API paths that are not routed: {missing:#?}"
    );
}

/// The command lines of the docs: what follows `esia-emulator ` or `cargo run [--release] -- `
/// at the start of a line (a shell example), up to a comment.
fn command_lines(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim_start().trim_start_matches("$ ");
        let rest = ["esia-emulator ", "cargo run --release -- ", "cargo run -- "]
            .iter()
            .find_map(|p| line.strip_prefix(p));
        if let Some(rest) = rest {
            out.push(rest.split('#').next().unwrap().trim().to_string());
        }
    }
    out
}

#[test]
fn every_documented_command_and_flag_exists() {
    let help = |words: &[&str]| -> Option<String> {
        let out = Command::new(env!("CARGO_BIN_EXE_esia-emulator"))
            .args(words)
            .arg("--help")
            .output()
            .unwrap();
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let mut missing = Vec::new();
    let mut checked = 0;
    for (doc, text) in docs() {
        for line in command_lines(&text) {
            let words: Vec<&str> = line.split_whitespace().collect();
            // The subcommand path: the leading plain words that `--help` accepts.
            let mut path: Vec<&str> = Vec::new();
            let mut page = help(&[]).unwrap();
            for w in &words {
                if w.starts_with('-') || !w.chars().all(|c| c.is_ascii_lowercase() || c == '-') {
                    break;
                }
                let mut deeper = path.clone();
                deeper.push(w);
                match help(&deeper) {
                    Some(p) if p != page => {
                        path = deeper;
                        page = p;
                    }
                    _ => break,
                }
            }
            if path.is_empty() {
                missing.push(format!("{doc}: `{line}` names no subcommand"));
                continue;
            }
            checked += 1;
            for w in words
                .iter()
                .filter(|w| w.trim_start_matches('[').starts_with("--"))
            {
                let flag = w.trim_start_matches('[').split(['=', ']']).next().unwrap();
                if !page.contains(flag) {
                    missing.push(format!("{doc}: `{line}`: {flag} is not a flag of {path:?}"));
                }
            }
        }
    }
    assert!(
        checked >= 5,
        "too few command lines found ({checked}): the scan broke"
    );
    assert!(
        missing.is_empty(),
        "documented commands that do not exist: {missing:#?}"
    );
}
