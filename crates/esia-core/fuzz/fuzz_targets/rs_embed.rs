//! Fuzz target: the `/rs` `embed` parameter, read from a raw (still percent-encoded) query
//! string by `Embed::from_query`, and every question the handlers ask of it. Must never panic.
#![no_main]

use esia_core::person::Embed;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let query = String::from_utf8_lossy(data);
    let embed = Embed::from_query(&query);
    let _ = embed.elements();
    for part in [
        "contacts",
        "documents",
        "addresses",
        "kids",
        "vehicles",
        "organizations",
        "elements",
    ] {
        let _ = embed.part(part);
    }
    let _ = embed.has("kids.elements.documents.elements");
    assert!(
        embed.0.iter().all(|item| !item.is_empty()),
        "empty embed item"
    );
});
