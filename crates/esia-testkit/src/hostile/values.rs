//! The values of the hostile-input walk: what the walker knows (`Ctx`), the hostile strings,
//! segments and JSON values, and per route the names it reads with a valid-looking baseline for
//! each (so one hostile field is reached while the others pass). Values only, no requests.

use serde_json::json;

/// A valid double-submit CSRF pair (cookie and field carry the same 32 hex digits).
pub const CSRF: &str = "0123456789abcdef0123456789abcdef";

/// What the walker knows that lets requests get past the first checks.
#[derive(Clone, Default)]
pub struct Ctx {
    pub admin_token: Option<String>,
    /// `esia_session` of a logged-in catalogue persona.
    pub session: Option<String>,
    /// An `/rs` access token for `oid`.
    pub bearer: Option<String>,
    pub oid: String,
}

/// Strings that break naive SQL, HTML, path, template and header handling.
pub const INJECT: &[&str] = &[
    "' OR 1=1--",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "{{7*7}}",
    "\r\nSet-Cookie: x=1",
    "\u{0}\u{202e}%00",
    "99999999999999999999999999",
    "-1",
];

/// Path segments as they go on the request line.
pub const SEGMENTS: &[&str] = &[
    "%2F",
    "..%2F..%2Fetc%2Fpasswd",
    "%00",
    "%C0%AF",
    "%FF%FE",
    "%27%20OR%201%3D1--",
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "%7B%7B7*7%7D%7D",
    "%0D%0ASet-Cookie:x=1",
    "-1",
    "99999999999999999999999999",
    "%",
    "%zz",
    "%E2%80%AE",
    "..",
];

pub fn enc(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// A valid-looking value for a path parameter.
pub fn valid_segment(pattern: &str, name: &str, ctx: &Ctx) -> String {
    match name {
        "oid" | "kid" => ctx.oid.clone(),
        "mnemonic" => "DEMO_IS".into(),
        "bank" => "sberbank".into(),
        "coll" => "docs".into(),
        "kind" if pattern.starts_with("/profile/contacts/") => "email".into(),
        "kind" => "documents".into(),
        "token" => "a".repeat(64),
        "org" => "1000000100".into(),
        _ => "00000000-0000-0000-0000-000000000001".into(),
    }
}

pub fn fill_valid(pattern: &str, ctx: &Ctx) -> String {
    let mut out = String::new();
    let mut rest = pattern;
    while let Some(start) = rest.find('{') {
        let end = rest[start..].find('}').map_or(rest.len(), |e| start + e);
        out.push_str(&rest[..start]);
        out.push_str(&valid_segment(pattern, &rest[start + 1..end], ctx));
        rest = rest.get(end + 1..).unwrap_or("");
    }
    out.push_str(rest);
    out
}

fn list_is_ac(pattern: &str) -> bool {
    pattern.starts_with("/aas/oauth2/ac") || pattern.starts_with("/aas/oauth2/v2/ac")
}

/// Field and query names a route reads (from its extractor structs and the protocol reference).
pub fn names_for(pattern: &str, api: &[(String, String)]) -> Vec<String> {
    // The protocol's own lists of single-valued parameters (the ones a repetition makes
    // ESIA-007003), so a parameter added there is walked here too; `ac` also reads these.
    use esia_core::protocol::params::{AC_SINGLE, TE_SINGLE};
    const AC_ALSO: &[&str] = &["roles", "obj_type", "permissions"];
    const BY_PREFIX: &[(&str, &[&str])] = &[
        ("/emulator/login", &["token", "next"]),
        ("/aas/oauth2/ac", AC_ALSO),
        ("/aas/oauth2/v2/ac", AC_ALSO),
        ("/aas/oauth2/te", TE_SINGLE),
        ("/aas/oauth2/v3/te", TE_SINGLE),
        ("/aas/oauth2/continue", &["request"]),
        ("/aas/oauth2/consent", &["request", "decision"]),
        ("/aas/oauth2/role", &["request", "role"]),
        ("/idp/ext/Logout", &["client_id", "redirect_url"]),
        ("/emulator/clock", &["action", "value"]),
        (
            "/emulator/faults",
            &[
                "client_id",
                "code",
                "endpoint",
                "kind",
                "latency_ms",
                "persona_oid",
                "status",
                "timeout_secs",
                "times",
            ],
        ),
        (
            "/emulator/journal",
            &["endpoint", "kind", "request", "token"],
        ),
        ("/emulator/outbox", &["kind", "to"]),
        (
            "/emulator/personas",
            &[
                "blocked",
                "email",
                "level",
                "login",
                "name",
                "password",
                "patronymic",
                "phone",
                "surname",
            ],
        ),
        ("/emulator/bank/", &["person_id", "phone", "reg"]),
        (
            "/emulator/clients",
            &[
                "certificate",
                "mnemonic",
                "mode",
                "name",
                "redirect_uris",
                "scopes",
                "token_alg",
            ],
        ),
        ("/emulator/operator", &["done", "person_id", "q", "reg"]),
        (
            "/login/signature",
            &["foreign_computer", "return_to", "signature"],
        ),
        (
            "/login",
            &["foreign_computer", "login", "password", "return_to"],
        ),
        ("/profile/confirm", &["code", "done", "signature"]),
        ("/profile/orgs", &["created", "org", "signature"]),
        (
            "/profile/personal-data",
            &[
                "data",
                "edit",
                "saved",
                "surname",
                "name",
                "patronymic",
                "birth_date",
                "gender",
                "snils",
                "series",
                "number",
                "issue_date",
                "issued_by",
            ],
        ),
        ("/profile/contacts", &["code", "value"]),
        ("/profile/delete", &["confirm"]),
        (
            "/profile/",
            &[
                "doc_type",
                "series",
                "number",
                "issue_date",
                "issued_by",
                "expiry_date",
                "addr_type",
                "zip_code",
                "region",
                "city",
                "street",
                "house",
                "building",
                "flat",
                "surname",
                "name",
                "patronymic",
                "birth_date",
                "gender",
                "snils",
                "cert_series",
                "cert_number",
                "cert_act_no",
                "cert_issue_date",
                "number_plate",
                "reg_cert_series",
                "reg_cert_number",
            ],
        ),
        ("/profile", &["registered", "saved"]),
        ("/recovery", &["login", "code", "password", "repeat"]),
        (
            "/registration",
            &[
                "code",
                "email",
                "name",
                "password",
                "patronymic",
                "phone",
                "repeat",
                "surname",
            ],
        ),
        ("/rs/", &["embed"]),
    ];
    let mut names: Vec<String> = api.iter().map(|(n, _)| n.clone()).collect();
    if let Some((_, list)) = BY_PREFIX.iter().find(|(p, _)| pattern.starts_with(p)) {
        names.extend(list.iter().map(|s| s.to_string()));
    }
    if list_is_ac(pattern) {
        names.extend(AC_SINGLE.iter().map(|s| s.to_string()));
    }
    if names.is_empty() {
        names = vec!["q".into(), "next".into(), "return_to".into()];
    }
    names.dedup();
    names
}

/// A value that passes the first checks of the parameter, so a hostile neighbour is reached.
pub fn baseline(name: &str, ctx: &Ctx) -> String {
    match name {
        "client_id" => "DEMO_IS".into(),
        "redirect_uri" | "redirect_url" => "http://localhost:8000/callback".into(),
        "scope" => "openid fullname".into(),
        "state" => "3f1b2c4d-5e6f-4a1b-8c9d-0e1f2a3b4c5d".into(),
        "timestamp" => chrono::Utc::now()
            .format("%Y.%m.%d %H:%M:%S %z")
            .to_string(),
        "response_type" => "code".into(),
        "access_type" => "offline".into(),
        "grant_type" => "authorization_code".into(),
        "client_certificate_hash" => {
            "0819BD49D5E6E382FA83A8F760406B122354A5EDD143FE3CCFD79714AC8C695D".into()
        }
        "return_to" => "/profile".into(),
        "next" => "/emulator/journal".into(),
        "login" => "EsiaTest001@yandex.ru".into(),
        "password" | "repeat" => "11111111".into(),
        "embed" => "(contacts.elements-1,documents.elements)".into(),
        "email" | "to" => "qa@example.test".into(),
        "phone" => "+79001234567".into(),
        "oid" | "persona_oid" | "person_id" => ctx.oid.clone(),
        "mnemonic" => "QA_HOSTILE".into(),
        "kind" => "sms".into(),
        "decision" => "grant".into(),
        "level" => "standard".into(),
        "endpoint" => "v2/ac".into(),
        "redirect_uris" => "http://localhost:9000/cb".into(),
        _ => "1".into(),
    }
}

/// JSON values at the edges of the number types, and of the wrong types.
pub const EDGE_JSON: &[&str] = &[
    "9223372036854775807",
    "-9223372036854775808",
    "18446744073709551615",
    "1e308",
    "-0.5",
    "\"\\u0000\\r\\n\"",
    "[\"a\",\"b\"]",
];

/// A valid-looking JSON value for a field of an OpenAPI type.
pub fn typed_baseline(name: &str, json_type: &str, ctx: &Ctx) -> String {
    match json_type {
        "integer" | "number" => "1".into(),
        "boolean" => "false".into(),
        "array" => format!("[{}]", json!(baseline(name, ctx))),
        "object" => "{}".into(),
        _ => json!(baseline(name, ctx)).to_string(),
    }
}

pub fn json_all(names: &[String], raw_value: &str) -> String {
    let fields: Vec<String> = names
        .iter()
        .map(|n| format!("{:?}:{raw_value}", n))
        .collect();
    format!("{{{}}}", fields.join(","))
}
