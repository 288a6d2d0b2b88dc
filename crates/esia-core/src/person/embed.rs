//! The `/rs` `embed` parameter (§7.1), normalised to the items the emulator knows: whatever a
//! client sends, the result is a subset of [`KNOWN`] in one canonical order, so the body-cache
//! key and the journal never hold the raw text (a 60 KB `embed` is a few bytes here). Pure;
//! callable from fuzz targets (`esia_core::person::embed::Embed::from_query`). What an item
//! releases is the callers' business (`rest.rs`, `rest_body.rs`).
//!
//! Rules: parentheses are optional; items are comma-separated and trimmed; the unexplained
//! `-N` suffix (YA's `contacts.elements-1`) is dropped; a deeper path under a known objects
//! item means that item (`contacts.elements.x` → `contacts.elements`, `elements.x` →
//! `elements`), as before; anything else is ignored (ESIA's answer to unknown items is not
//! recorded; clients send only the known ones, and §2.2 ignores what it does not know).

use std::collections::BTreeSet;

/// The person-level parts (`/rs/prns/{oid}?embed=(contacts.elements,…)`).
pub const PARTS: [&str; 6] = [
    "contacts",
    "documents",
    "addresses",
    "vehicles",
    "kids",
    "organizations",
];

/// Every item the emulator acts on, in canonical order.
pub const KNOWN: [&str; 15] = [
    "addresses",
    "addresses.elements",
    "contacts",
    "contacts.elements",
    "documents",
    "documents.elements",
    "elements",
    "elements.documents.elements",
    "kids",
    "kids.elements",
    "kids.elements.documents.elements",
    "organizations",
    "organizations.elements",
    "vehicles",
    "vehicles.elements",
];

/// The normalised `embed`: known items only, in canonical (sorted) order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Embed(pub BTreeSet<&'static str>);

impl Embed {
    /// Reads every `embed` parameter of a raw (still percent-encoded) query string.
    pub fn from_query(raw_query: &str) -> Embed {
        let mut e = Embed::default();
        for (k, v) in url::form_urlencoded::parse(raw_query.as_bytes()) {
            if k == "embed" {
                e.add_value(&v);
            }
        }
        e
    }

    /// Reads one decoded `embed` value, e.g. `(contacts.elements-1,documents.elements)`.
    pub fn from_value(value: &str) -> Embed {
        let mut e = Embed::default();
        e.add_value(value);
        e
    }

    fn add_value(&mut self, value: &str) {
        let inner = value.trim().trim_start_matches('(').trim_end_matches(')');
        for item in inner.split(',') {
            if let Some(known) = known_item(item) {
                self.0.insert(known);
            }
        }
    }

    /// The canonical text, `a,b,c` (empty when nothing known was asked for): the cache key part.
    pub fn canonical(&self) -> String {
        self.0.iter().copied().collect::<Vec<_>>().join(",")
    }

    /// As a query value, `(a,b,c)`: what the journal stores instead of the raw parameter.
    pub fn query_value(&self) -> String {
        format!("({})", self.canonical())
    }

    pub fn has(&self, item: &str) -> bool {
        self.0.contains(item)
    }

    /// Collection elements as objects: `elements` or a deeper `elements.…` path.
    pub fn elements(&self) -> bool {
        self.0
            .iter()
            .any(|e| *e == "elements" || e.starts_with("elements."))
    }

    /// For a person-level part (`contacts`): `None` = not asked for, `Some(true)` = objects
    /// (`contacts.elements`), `Some(false)` = links (`contacts`).
    pub fn part(&self, name: &str) -> Option<bool> {
        let objects = format!("{name}.elements");
        if self.0.iter().any(|e| {
            *e == objects
                || e.strip_prefix(objects.as_str())
                    .is_some_and(|r| r.starts_with('.'))
        }) {
            Some(true)
        } else if self.has(name) {
            Some(false)
        } else {
            None
        }
    }
}

/// The known item one raw item stands for, if any.
fn known_item(raw: &str) -> Option<&'static str> {
    let item = raw.trim();
    let item = match item.rsplit_once('-') {
        Some((head, tail)) if !tail.is_empty() && tail.bytes().all(|b| b.is_ascii_digit()) => head,
        _ => item,
    };
    if let Some(k) = KNOWN.iter().find(|k| **k == item) {
        return Some(k);
    }
    // A deeper path under an objects item asks for that item's objects.
    let objects =
        |k: &str| k == "elements" || PARTS.iter().any(|p| k.strip_prefix(p) == Some(".elements"));
    KNOWN
        .into_iter()
        .filter(|k| objects(k))
        .find(|k| item.strip_prefix(*k).is_some_and(|r| r.starts_with('.')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embed_tolerates_suffixes_and_encoding() {
        let e = Embed::from_query("embed=%28contacts.elements-1%2Cdocuments.elements-1%29");
        assert!(e.has("contacts.elements") && e.has("documents.elements"));
        assert_eq!(e.part("contacts"), Some(true));
        assert_eq!(e.part("kids"), None);
        let e = Embed::from_query("embed=(elements)");
        assert!(e.has("elements"));
        let e = Embed::from_query("embed=kids.elements.documents.elements");
        assert_eq!(e.part("kids"), Some(true));
        assert!(e.has("kids.elements.documents.elements"));
    }

    #[test]
    fn unknown_items_are_dropped_and_the_order_is_canonical() {
        let junk = "x".repeat(60_000);
        let raw = format!("embed=({junk},vehicles,contacts.elements-1,{junk}2,contacts.elements)");
        let e = Embed::from_query(&raw);
        assert_eq!(e.canonical(), "contacts.elements,vehicles");
        assert_eq!(e, Embed::from_value("vehicles , contacts.elements"));
        assert_eq!(e.query_value(), "(contacts.elements,vehicles)");
        assert_eq!(Embed::from_query("embed=(nope,-1,,)").canonical(), "");
    }

    #[test]
    fn deeper_paths_mean_the_objects_item_they_are_under() {
        assert_eq!(
            Embed::from_value("contacts.elements.foo").canonical(),
            "contacts.elements"
        );
        assert_eq!(Embed::from_value("elements.x.y").canonical(), "elements");
        assert_eq!(
            Embed::from_value("elements.documents.elements").canonical(),
            "elements.documents.elements"
        );
        assert_eq!(Embed::from_value("contactsx.elements").canonical(), "");
        assert_eq!(Embed::from_value("contacts.elementsx").canonical(), "");
    }

    #[test]
    fn every_known_item_parses_to_itself_and_known_is_sorted() {
        for k in KNOWN {
            assert_eq!(Embed::from_value(k).canonical(), k);
        }
        let mut sorted = KNOWN;
        sorted.sort_unstable();
        assert_eq!(sorted, KNOWN);
    }
}
