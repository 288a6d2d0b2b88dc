//! The bounds of one protocol-journal row: parameter values, names and counts, strings in the
//! signature check and the size of each stored JSON column, with markers saying what was cut;
//! secrets truncated and codes or tokens hidden. Pure; it writes nothing and decides nothing
//! about what is journaled (`journal.rs`).

use serde_json::{json, Map, Value};

use super::Params;

const TRUNCATED: &[&str] = &["client_secret"];
const HIDDEN: &[&str] = &["code", "refresh_token", "code_verifier", "password"];

/// Bounds of what one journal row stores, whatever the request carried (issue 10: 60 KB
/// parameters once wrote 128 MB of journal): characters of a parameter value and of a name,
/// parameters per row, characters of a string inside the signature check, and bytes of each
/// stored JSON column. Longer values are cut with a marker saying how long they were.
pub const MAX_VALUE_CHARS: usize = 256;
const MAX_NAME_CHARS: usize = 64;
pub const MAX_PARAMS: usize = 40;
pub const MAX_DETAIL_CHARS: usize = 512;
pub const MAX_COLUMN_BYTES: usize = 16 * 1024;

/// `s` cut to `max` characters, with a marker giving the original length.
fn cut(s: &str, max: usize) -> String {
    let n = s.chars().count();
    if n <= max {
        return s.to_string();
    }
    format!(
        "{}…<{n} chars, truncated>",
        s.chars().take(max).collect::<String>()
    )
}

/// The parameters as stored: secrets cut to 12 characters, codes and tokens hidden, every
/// other value cut to `MAX_VALUE_CHARS`, at most `MAX_PARAMS` names (the first value of each).
pub fn sanitize(params: &Params) -> Value {
    let mut map = Map::new();
    let mut dropped = 0usize;
    for (k, v) in &params.0 {
        let name = cut(k, MAX_NAME_CHARS);
        if map.contains_key(&name) {
            continue;
        }
        if map.len() >= MAX_PARAMS {
            dropped += 1;
            continue;
        }
        let shown = if HIDDEN.contains(&k.as_str()) {
            format!("<{} chars hidden>", v.chars().count())
        } else if TRUNCATED.contains(&k.as_str()) && v.chars().count() > 12 {
            format!("{}…", v.chars().take(12).collect::<String>())
        } else {
            cut(v, MAX_VALUE_CHARS)
        };
        map.insert(name, Value::String(shown));
    }
    if dropped > 0 {
        map.insert(
            "…".into(),
            Value::String(format!("<{dropped} more not stored>")),
        );
    }
    Value::Object(map)
}

/// Every string inside `v` cut to `max` characters (the signature check quotes the signed
/// strings, which carry the request's values).
pub fn cut_strings(v: Value, max: usize) -> Value {
    match v {
        Value::String(s) => Value::String(cut(&s, max)),
        Value::Array(a) => Value::Array(a.into_iter().map(|x| cut_strings(x, max)).collect()),
        Value::Object(m) => Value::Object(
            m.into_iter()
                .map(|(k, x)| (cut(&k, MAX_NAME_CHARS), cut_strings(x, max)))
                .collect(),
        ),
        other => other,
    }
}

/// A JSON column as stored: the value, or a small object saying it was too large.
pub fn column(v: &Value) -> String {
    let text = v.to_string();
    if text.len() <= MAX_COLUMN_BYTES {
        return text;
    }
    json!({"…": format!("<{} bytes, not stored>", text.len())}).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_names_and_counts_are_bounded() {
        let big = "x".repeat(60_000);
        let mut pairs: Vec<(String, String)> = vec![
            ("scope".into(), big.clone()),
            (big.clone(), "v".into()),
            ("client_secret".into(), big.clone()),
            ("code".into(), "secret-code".into()),
        ];
        for i in 0..100 {
            pairs.push((format!("p{i}"), big.clone()));
        }
        let v = sanitize(&Params(pairs));
        let m = v.as_object().unwrap();
        assert_eq!(m.len(), MAX_PARAMS + 1);
        assert_eq!(m["…"], "<64 more not stored>");
        let scope = m["scope"].as_str().unwrap();
        assert!(scope.ends_with("…<60000 chars, truncated>"), "{scope}");
        assert_eq!(scope.chars().filter(|c| *c == 'x').count(), MAX_VALUE_CHARS);
        assert_eq!(m["client_secret"], format!("{}…", "x".repeat(12)));
        assert_eq!(m["code"], "<11 chars hidden>");
        assert!(m.keys().all(|k| k.chars().count() < 100));
        assert!(column(&v).len() <= MAX_COLUMN_BYTES);
    }

    #[test]
    fn nested_strings_and_whole_columns_are_bounded() {
        let v = cut_strings(json!({"a": ["y".repeat(5000)], "b": 1}), 10);
        assert_eq!(v["a"][0], "yyyyyyyyyy…<5000 chars, truncated>");
        assert_eq!(v["b"], 1);
        let huge = json!(vec!["z".repeat(100); 1000]);
        let stored = column(&huge);
        assert!(stored.len() < 100, "{stored}");
        assert!(serde_json::from_str::<Value>(&stored).is_ok());
    }
}
