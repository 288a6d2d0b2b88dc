//! Finding source lines without a full syntax tree: the line of a byte offset, and the line of a
//! field inside one entry (the first `key:` / `key =` between the entry's start and the next
//! entry). Good enough to point a human at the right line; never used to read values.

use super::format::SeedFormat;

/// 1-based line of a byte offset.
pub(crate) fn line_of_offset(text: &str, offset: usize) -> u32 {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|b| **b == b'\n')
        .count() as u32
        + 1
}

/// The line of `field` (its last path segment, `documents[1].number` → `number`) within lines
/// `start..end` (1-based, end exclusive).
pub(crate) fn field_line(
    text: &str,
    format: SeedFormat,
    start: u32,
    end: u32,
    field: &str,
) -> Option<u32> {
    let key = field
        .rsplit('.')
        .next()
        .unwrap_or(field)
        .split('[')
        .next()
        .unwrap_or(field);
    if key.is_empty() {
        return None;
    }
    for (idx, line) in text.lines().enumerate() {
        let n = idx as u32 + 1;
        if n < start {
            continue;
        }
        if n >= end {
            break;
        }
        let t = line.trim_start().trim_start_matches("- ").trim_start();
        let t = t.trim_start_matches(['"', '\'']);
        let Some(rest) = t.strip_prefix(key) else {
            continue;
        };
        let rest = rest.trim_start_matches(['"', '\'']);
        let hit = match format {
            SeedFormat::Yaml | SeedFormat::Json => rest.trim_start().starts_with(':'),
            SeedFormat::Toml => rest.trim_start().starts_with('='),
        };
        if hit {
            return Some(n);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_field_lines_inside_one_entry() {
        let yaml = "personas:\n  - oid: 1\n    snils: 1\n  - oid: 2\n    login:\n      snils: 2\n";
        assert_eq!(field_line(yaml, SeedFormat::Yaml, 2, 4, "snils"), Some(3));
        assert_eq!(
            field_line(yaml, SeedFormat::Yaml, 4, u32::MAX, "snils"),
            Some(6)
        );
        assert_eq!(field_line(yaml, SeedFormat::Yaml, 2, 4, "inn"), None);
        assert_eq!(
            field_line(yaml, SeedFormat::Yaml, 2, 4, "documents[0].oid"),
            Some(2)
        );
        let toml = "[[personas]]\noid = 1\nsnils = \"x\"\n";
        assert_eq!(
            field_line(toml, SeedFormat::Toml, 1, u32::MAX, "snils"),
            Some(3)
        );
        assert_eq!(line_of_offset("a\nb\nc", 4), 3);
        assert_eq!(line_of_offset("a", 99), 1);
    }
}
