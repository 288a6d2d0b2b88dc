//! The hostile requests for one route, part 1: path parameters filled with valid-looking and
//! hostile values, encoded spellings of the path and hostile query strings (`bodies.rs` adds
//! headers, cookies and bodies). Each is labelled so a failure names its input. It only builds
//! requests; sending and judging them is the caller's business.

use esia_web::routes::fill;
use serde_json::{json, Value};

use super::raw::Raw;
use super::values::{baseline, enc, INJECT, SEGMENTS};
pub use super::values::{Ctx, CSRF};

/// One request and the name of its input.
pub struct Case {
    pub label: String,
    pub raw: Raw,
    /// A 10 MB body or broken HTTP framing: the server may close the connection without an
    /// answer (or the kernel may drop it while we still write), which is not a failure.
    pub may_drop: bool,
}

/// One route being walked: what every section needs.
pub struct Route<'a> {
    pub method: &'a str,
    pub pattern: &'a str,
    pub api: &'a [(String, String)],
    pub ctx: &'a Ctx,
    pub names: Vec<String>,
    /// The path with valid-looking parameters.
    pub valid: String,
    pub body_route: bool,
}

impl Route<'_> {
    /// The route's request with credentials and (for body methods) a harmless body.
    pub fn base(&self, target: Vec<u8>) -> Raw {
        let raw = self.creds_for(target);
        if self.body_route {
            typed_body(raw, self.pattern, &self.names, "x")
        } else {
            raw
        }
    }

    /// The valid path with credentials and no body.
    pub fn creds(&self) -> Raw {
        self.creds_for(self.valid.clone().into_bytes())
    }

    fn creds_for(&self, target: Vec<u8>) -> Raw {
        credentials(Raw::new(self.method, target), self.pattern, self.ctx)
    }

    /// The OpenAPI type of a field (`string` when unknown).
    pub fn type_of(&self, name: &str) -> &str {
        self.api
            .iter()
            .find(|(k, _)| k == name)
            .map_or("string", |(_, t)| t.as_str())
    }
}

pub fn is_api(pattern: &str) -> bool {
    pattern.starts_with("/emulator/api/")
}

/// Headers that let a request past the guards: admin token, session, CSRF cookie, bearer.
pub fn credentials(raw: Raw, pattern: &str, ctx: &Ctx) -> Raw {
    let mut raw = raw;
    if let Some(t) = &ctx.admin_token {
        raw = raw.header("X-Emulator-Token", t.as_str());
    }
    if pattern.starts_with("/rs/") || pattern.starts_with("/emulator/oidc/") {
        if let Some(b) = &ctx.bearer {
            raw = raw.header("Authorization", format!("Bearer {b}"));
        }
    }
    let mut cookie = format!("esia_csrf={CSRF}");
    if let Some(s) = &ctx.session {
        cookie.push_str(&format!("; esia_session={s}"));
    }
    raw.header("Cookie", cookie)
}

pub fn form_of(pairs: &[(String, String)]) -> String {
    let mut s = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        s.append_pair(k, v);
    }
    s.finish()
}

/// A body of the route's kind (JSON for the API, a form with the CSRF field elsewhere).
pub fn typed_body(raw: Raw, pattern: &str, names: &[String], value: &str) -> Raw {
    let pairs: Vec<(String, String)> = names.iter().map(|n| (n.clone(), value.into())).collect();
    body_of(raw, pattern, &pairs)
}

pub fn body_of(raw: Raw, pattern: &str, pairs: &[(String, String)]) -> Raw {
    if is_api(pattern) {
        let obj: serde_json::Map<String, Value> =
            pairs.iter().map(|(n, v)| (n.clone(), json!(v))).collect();
        raw.body(Some("application/json"), Value::Object(obj).to_string())
    } else {
        let mut all = vec![("csrf".to_string(), CSRF.to_string())];
        all.extend_from_slice(pairs);
        raw.body(Some("application/x-www-form-urlencoded"), form_of(&all))
    }
}

/// Every name at its baseline except `hostile`, which gets `value`.
pub fn one_hostile(
    names: &[String],
    hostile: &str,
    value: &str,
    ctx: &Ctx,
) -> Vec<(String, String)> {
    names
        .iter()
        .map(|n| {
            let v = if n == hostile {
                value.to_string()
            } else {
                baseline(n, ctx)
            };
            (n.clone(), v)
        })
        .collect()
}

/// Path parameters, spellings of the path, and query strings.
pub fn path_and_query(r: &Route, out: &mut Vec<Case>) {
    let (names, valid, m, body_route, pattern, ctx) =
        (&r.names, &r.valid, r.method, r.body_route, r.pattern, r.ctx);
    let mut push = |label: String, raw: Raw, may_drop: bool| {
        out.push(Case {
            label,
            raw,
            may_drop,
        })
    };
    let base = |target: Vec<u8>| r.base(target);
    // Path parameters: valid-looking, then hostile segments in every position at once.
    push("path valid".into(), base(valid.clone().into_bytes()), false);
    if pattern.contains('{') {
        for seg in SEGMENTS {
            push(
                format!("path param {seg}"),
                base(fill(pattern, seg).into_bytes()),
                false,
            );
        }
        let long = "a".repeat(5000);
        push(
            "path param 5000 chars".into(),
            base(fill(pattern, &long).into_bytes()),
            false,
        );
        let mut raw_bytes = fill(pattern, "\u{1}").into_bytes();
        for b in raw_bytes.iter_mut().filter(|b| **b == 1) {
            *b = 0xFF;
        }
        push("path param raw 0xFF".into(), base(raw_bytes), false);
    }
    // Encoded, doubled and dotted spellings of the path.
    let first = valid.chars().nth(1).unwrap_or('x');
    let encoded = format!(
        "/%{:02X}{}",
        first as u32 & 0xFF,
        valid.get(2..).unwrap_or("")
    );
    for (label, path) in [
        ("path first char encoded", encoded),
        ("path doubled slash", format!("/{valid}")),
        ("path trailing slash", format!("{valid}/")),
        ("path dot segment", format!("/x/..{valid}")),
        ("path %2e%2e", format!("{valid}/%2e%2e/%2e%2e/")),
        ("path upper case", valid.to_uppercase()),
        ("path ;param", format!("{valid};jsessionid=1")),
    ] {
        push(label.into(), base(path.into_bytes()), false);
    }

    // Query strings.
    let q = |query: &str| format!("{valid}?{query}").into_bytes();
    for s in INJECT.iter().take(3) {
        let query = names
            .iter()
            .map(|n| format!("{n}={}", enc(s)))
            .collect::<Vec<_>>();
        push(format!("query {s:?}"), base(q(&query.join("&"))), false);
    }
    // One parameter hostile at a time, the others valid-looking (so the hostile one is reached).
    for (i, name) in names.iter().enumerate() {
        for value in [
            INJECT[i % INJECT.len()],
            "http://localhost:8000/cb\r\nX-Injected: 1",
            "9223372036854775807",
            "-9223372036854775808",
        ] {
            let pairs = one_hostile(names, name, value, ctx);
            if body_route {
                let raw = credentials(Raw::new(m, valid.clone().into_bytes()), pattern, ctx);
                push(
                    format!("body {name}={value:?}"),
                    body_of(raw, pattern, &pairs),
                    false,
                );
            } else {
                push(
                    format!("query {name}={value:?}"),
                    base(q(&form_of(&pairs))),
                    false,
                );
            }
        }
    }
    let repeated = names
        .iter()
        .map(|n| format!("{n}=1&{n}=2&{n}="))
        .collect::<Vec<_>>()
        .join("&");
    push("query repeated".into(), base(q(&repeated)), false);
    let crlf = names
        .iter()
        .map(|n| format!("{n}=a%0D%0Ab"))
        .collect::<Vec<_>>();
    push("query CR/LF".into(), base(q(&crlf.join("&"))), false);
    let bad = names
        .iter()
        .map(|n| format!("{n}=%FF%FE%C0%AF"))
        .collect::<Vec<_>>();
    push(
        "query bad UTF-8 encoded".into(),
        base(q(&bad.join("&"))),
        false,
    );
    let mut raw_q = q("a=\u{1}\u{1}");
    for b in raw_q.iter_mut().filter(|b| **b == 1) {
        *b = 0xFE;
    }
    push("query raw bad UTF-8".into(), base(raw_q), false);
    push(
        "query separators".into(),
        base(q("=&&=&a&%&%zz=%&embed=(((")),
        false,
    );
    push(
        "query 100 KB".into(),
        base(q(&format!("q={}", "a".repeat(100_000)))),
        false,
    );
    push(
        "query 30 KB".into(),
        base(q(&format!("q={}", "a".repeat(30_000)))),
        false,
    );
    let many = (0..2000)
        .map(|i| format!("p{i}=1"))
        .collect::<Vec<_>>()
        .join("&");
    push("query 2000 params".into(), base(q(&many)), false);
}
