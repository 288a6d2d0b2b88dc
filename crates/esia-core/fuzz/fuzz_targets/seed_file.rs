//! Fuzz target: a seed file in each format (YAML, TOML, JSON) through `parse_seed`, without a
//! base directory (no file is read), and a small parsed seed through `esia_control::seed_file::apply::apply_seed` on the
//! fuzz database (where field problems are located by line). Syntax and field problems must
//! come back as errors with a location, never as a panic.
#![no_main]

#[path = "common.rs"]
mod common;

use esia_control::seed_file::{parse_seed, SeedFormat};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let format = match selector % 3 {
        0 => SeedFormat::Yaml,
        1 => SeedFormat::Toml,
        _ => SeedFormat::Json,
    };
    let Ok(parsed) = parse_seed("fuzz.seed", &text, format, None) else {
        return;
    };
    // Applying hashes passwords and writes: only small documents, to keep the run fast.
    let doc = &parsed.doc;
    if doc.personas.len() + doc.clients.len() + doc.verification_rules.len() <= 3 {
        let _ = esia_control::seed_file::apply::apply_seed(common::control(), &parsed);
    }
});
