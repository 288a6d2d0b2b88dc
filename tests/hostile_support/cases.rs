//! The hostile requests for one route: path parameters filled with valid-looking and hostile
//! values, encoded paths, hostile query strings, headers, cookies and bodies (JSON for the QA
//! API, forms elsewhere), each labelled so a failure names its input. It only builds requests;
//! sending and judging them is the caller's business.

use esia_web::routes::fill;
use esia_web::routes::Method;
use serde_json::{json, Value};

use super::raw::Raw;

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

/// One request and the name of its input.
pub struct Case {
    pub label: String,
    pub raw: Raw,
    /// A 10 MB body or broken HTTP framing: the server may close the connection without an
    /// answer (or the kernel may drop it while we still write), which is not a failure.
    pub may_drop: bool,
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

fn enc(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// A valid-looking value for a path parameter.
fn valid_segment(pattern: &str, name: &str, ctx: &Ctx) -> String {
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

fn fill_valid(pattern: &str, ctx: &Ctx) -> String {
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

/// Field and query names a route reads (from its extractor structs and the protocol reference).
pub fn names_for(pattern: &str, api: &[(String, String)]) -> Vec<String> {
    const AC: &[&str] = &[
        "client_id",
        "client_secret",
        "redirect_uri",
        "scope",
        "scope_org",
        "state",
        "timestamp",
        "response_type",
        "access_type",
        "client_certificate_hash",
        "code_challenge",
        "code_challenge_method",
        "person_filter",
        "roles",
        "obj_type",
        "permissions",
    ];
    const TE: &[&str] = &[
        "client_id",
        "client_secret",
        "grant_type",
        "code",
        "state",
        "timestamp",
        "scope",
        "redirect_uri",
        "token_type",
        "refresh_token",
        "code_verifier",
        "client_certificate_hash",
    ];
    const BY_PREFIX: &[(&str, &[&str])] = &[
        ("/emulator/login", &["token", "next"]),
        ("/aas/oauth2/ac", AC),
        ("/aas/oauth2/v2/ac", AC),
        ("/aas/oauth2/te", TE),
        ("/aas/oauth2/v3/te", TE),
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
    if names.is_empty() {
        names = vec!["q".into(), "next".into(), "return_to".into()];
    }
    names.dedup();
    names
}

/// A value that passes the first checks of the parameter, so a hostile neighbour is reached.
fn baseline(name: &str, ctx: &Ctx) -> String {
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

fn is_api(pattern: &str) -> bool {
    pattern.starts_with("/emulator/api/")
}

fn has_body(method: &Method) -> bool {
    matches!(
        *method,
        Method::POST | Method::PUT | Method::PATCH | Method::DELETE
    )
}

/// Headers that let a request past the guards: admin token, session, CSRF cookie, bearer.
fn credentials(raw: Raw, pattern: &str, ctx: &Ctx) -> Raw {
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

fn form_of(pairs: &[(String, String)]) -> String {
    let mut s = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        s.append_pair(k, v);
    }
    s.finish()
}

/// A body of the route's kind (JSON for the API, a form with the CSRF field elsewhere).
fn typed_body(raw: Raw, pattern: &str, names: &[String], value: &str) -> Raw {
    let pairs: Vec<(String, String)> = names.iter().map(|n| (n.clone(), value.into())).collect();
    body_of(raw, pattern, &pairs)
}

fn body_of(raw: Raw, pattern: &str, pairs: &[(String, String)]) -> Raw {
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
fn one_hostile(names: &[String], hostile: &str, value: &str, ctx: &Ctx) -> Vec<(String, String)> {
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

/// Every hostile request for one route. `api_names` are the names the OpenAPI document gives
/// for its query parameters and JSON body properties.
pub fn cases(
    method: &Method,
    pattern: &str,
    api_names: &[(String, String)],
    ctx: &Ctx,
) -> Vec<Case> {
    let names = names_for(pattern, api_names);
    let type_of = |n: &str| {
        api_names
            .iter()
            .find(|(k, _)| k == n)
            .map_or("string", |(_, t)| t.as_str())
    };
    let valid = fill_valid(pattern, ctx);
    let m = method.as_str();
    let body_route = has_body(method);
    let mut out: Vec<Case> = Vec::new();
    let mut push = |label: String, raw: Raw, may_drop: bool| {
        out.push(Case {
            label,
            raw,
            may_drop,
        })
    };
    let base = |target: Vec<u8>| {
        let raw = credentials(Raw::new(m, target), pattern, ctx);
        if body_route {
            typed_body(raw, pattern, &names, "x")
        } else {
            raw
        }
    };

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
            let pairs = one_hostile(&names, name, value, ctx);
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

    // Headers and cookies.
    let header = |name: &str, value: Vec<u8>| base(valid.clone().into_bytes()).header(name, value);
    let mut bad_bytes = b"a\xFF\xFEb".to_vec();
    push(
        "header raw 0xFF".into(),
        header("X-Test", bad_bytes.clone()),
        false,
    );
    for name in [
        "Authorization",
        "Accept-Language",
        "If-None-Match",
        "Referer",
        "Origin",
    ] {
        push(
            format!("header {name} bad bytes"),
            header(name, bad_bytes.clone()),
            false,
        );
    }
    bad_bytes.clear();
    for v in [
        "Bearer <script>",
        "Bearer a.b.c",
        "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOjF9.",
        "Bearer eyJhbGciOiJSUzI1NiIsImtpZCI6Ii4uLy4uL2V0Yy9wYXNzd2QifQ.e30.AAAA",
        "Basic !!!",
        "Basic OjpfOjo6",
        "Basic YTpiOmMlWlo=",
        "bearer",
    ] {
        push(
            format!("header Authorization {v}"),
            header("Authorization", v.into()),
            false,
        );
    }
    push(
        "header X-Emulator-Token garbage".into(),
        header("X-Emulator-Token", "' OR 1=1--".into()),
        false,
    );
    push(
        "header 20 KB".into(),
        header("X-Long", vec![b'a'; 20_000]),
        false,
    );
    push(
        "header 100 KB".into(),
        header("X-Long", vec![b'a'; 100_000]),
        false,
    );
    push(
        "header Host evil".into(),
        header("Host", "evil.example".into()),
        false,
    );
    push(
        "header If-None-Match garbage".into(),
        header("If-None-Match", "\"\", W/\"'\", *".into()),
        false,
    );
    push(
        "header Accept garbage".into(),
        header("Accept", "*/*;q=x, application/json;q=99".into()),
        false,
    );
    for c in [
        "esia_session=' OR 1=1--",
        "esia_session=<script>; esia_csrf=<script>",
        "esia_admin=garbage; esia_reg=garbage; esia_rec=garbage",
        "esia_csrf=zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz",
        "=; ;;; esia_session",
        "esia_session=%FF%FE",
    ] {
        let raw = Raw::new(m, valid.clone().into_bytes()).header("Cookie", c);
        let raw = if body_route {
            typed_body(raw, pattern, &names, "x")
        } else {
            raw
        };
        push(format!("cookie {c}"), raw, false);
    }
    let raw = Raw::new(m, valid.clone().into_bytes())
        .header("Cookie", format!("esia_session={}", "a".repeat(8000)));
    push("cookie 8 KB".into(), raw, false);
    push(
        "no credentials".into(),
        Raw::new(m, valid.clone().into_bytes()),
        false,
    );

    // Bodies.
    let target = || valid.clone().into_bytes();
    let creds = || credentials(Raw::new(m, target()), pattern, ctx);
    for s in INJECT.iter().take(3) {
        push(
            format!("body {s:?}"),
            typed_body(creds(), pattern, &names, s),
            false,
        );
    }
    if is_api(pattern) && body_route {
        // The other fields valid for their OpenAPI type, one field a hostile JSON value.
        for name in names.iter().take(16) {
            for raw_value in EDGE_JSON {
                let fields: Vec<String> = names
                    .iter()
                    .map(|n| {
                        let v = if n == name {
                            raw_value.to_string()
                        } else {
                            typed_baseline(n, type_of(n), ctx)
                        };
                        format!("{n:?}:{v}")
                    })
                    .collect();
                let body = format!("{{{}}}", fields.join(","));
                push(
                    format!("json {name}={raw_value}"),
                    creds().body(Some("application/json"), body),
                    false,
                );
            }
        }
    }
    push(
        "body CR/LF".into(),
        typed_body(creds(), pattern, &names, "a\r\nb"),
        false,
    );
    push(
        "body 64 KB values".into(),
        typed_body(creds(), pattern, &names, &"z".repeat(65_536)),
        false,
    );
    if is_api(pattern) {
        for (label, body) in [
            ("json {}", "{}".to_string()),
            ("json []", "[]".into()),
            ("json null", "null".into()),
            ("json truncated", "{\"a\":".into()),
            (
                "json deep",
                format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)),
            ),
            ("json huge numbers", json_all(&names, "1e999")),
            ("json negative", json_all(&names, "-9223372036854775809")),
            ("json bools", json_all(&names, "true")),
            ("json arrays", json_all(&names, "[[],{}]")),
            ("json objects", json_all(&names, "{\"a\":{\"b\":null}}")),
            ("json nulls", json_all(&names, "null")),
            ("json duplicate keys", "{\"a\":1,\"a\":2}".into()),
        ] {
            push(
                label.into(),
                creds().body(Some("application/json"), body),
                false,
            );
        }
        let mut bad = br#"{"name":"a"#.to_vec();
        bad.extend_from_slice(b"\xFF\xFE\"}");
        push(
            "json bad UTF-8".into(),
            creds().body(Some("application/json"), bad),
            false,
        );
        push(
            "json as text/plain".into(),
            creds().body(Some("text/plain"), "{}"),
            false,
        );
        push(
            "json as form".into(),
            creds().body(Some("application/x-www-form-urlencoded"), "a=1"),
            false,
        );
        push(
            "json no content type".into(),
            creds().body(None, "{}"),
            false,
        );
        push(
            "json charset garbage".into(),
            creds().body(Some("application/json; charset=koi8-r"), "{}"),
            false,
        );
    } else {
        let pairs = |v: &str| -> String {
            names
                .iter()
                .map(|n| format!("{n}={v}"))
                .collect::<Vec<_>>()
                .join("&")
        };
        for (label, body) in [
            ("form no csrf", pairs("x").into_bytes()),
            (
                "form bad csrf",
                format!("csrf=zz&{}", pairs("x")).into_bytes(),
            ),
            (
                "form repeated",
                format!("csrf={CSRF}&csrf=x&{}&{}", pairs("1"), pairs("2")).into_bytes(),
            ),
            (
                "form bad UTF-8 encoded",
                format!("csrf={CSRF}&{}", pairs("%FF%FE%C0%AF")).into_bytes(),
            ),
            (
                "form bad escapes",
                format!("csrf={CSRF}&{}&%zz&=&&", pairs("%")).into_bytes(),
            ),
        ] {
            push(
                label.into(),
                creds().body(Some("application/x-www-form-urlencoded"), body),
                false,
            );
        }
        let mut raw_bad = format!("csrf={CSRF}&{}=", names[0]).into_bytes();
        raw_bad.extend_from_slice(b"\xFF\xFE\x00");
        push(
            "form raw bad UTF-8".into(),
            creds().body(Some("application/x-www-form-urlencoded"), raw_bad),
            false,
        );
        push(
            "form as JSON".into(),
            creds().body(Some("application/json"), "{\"csrf\":1}"),
            false,
        );
        push(
            "form as multipart".into(),
            creds().body(Some("multipart/form-data; boundary=x"), "--x\r\n\r\n--x--"),
            false,
        );
        push(
            "form no content type".into(),
            creds().body(None, format!("csrf={CSRF}")),
            false,
        );
    }
    let mut chunked = creds().header("Transfer-Encoding", "chunked");
    chunked.body = b"zz\r\nabc\r\n0\r\n\r\n".to_vec();
    push("body bad chunked framing".into(), chunked, true);
    let mut lying = creds().header("Content-Length", "100");
    lying.body = b"short".to_vec();
    lying.half_close = true;
    push("body shorter than Content-Length".into(), lying, true);

    // One 10 MB body per route (JSON for the API, a form elsewhere).
    let ten_mb = "a".repeat(10 * 1024 * 1024);
    let big = if is_api(pattern) {
        creds().body(
            Some("application/json"),
            format!("{{\"name\":\"{ten_mb}\"}}"),
        )
    } else {
        creds().body(
            Some("application/x-www-form-urlencoded"),
            format!("csrf={CSRF}&q={ten_mb}"),
        )
    };
    push("body 10 MB".into(), big, true);
    out
}

/// JSON values at the edges of the number types, and of the wrong types.
const EDGE_JSON: &[&str] = &[
    "9223372036854775807",
    "-9223372036854775808",
    "18446744073709551615",
    "1e308",
    "-0.5",
    "\"\\u0000\\r\\n\"",
    "[\"a\",\"b\"]",
];

/// A valid-looking JSON value for a field of an OpenAPI type.
fn typed_baseline(name: &str, json_type: &str, ctx: &Ctx) -> String {
    match json_type {
        "integer" | "number" => "1".into(),
        "boolean" => "false".into(),
        "array" => format!("[{}]", json!(baseline(name, ctx))),
        "object" => "{}".into(),
        _ => json!(baseline(name, ctx)).to_string(),
    }
}

fn json_all(names: &[String], raw_value: &str) -> String {
    let fields: Vec<String> = names
        .iter()
        .map(|n| format!("{:?}:{raw_value}", n))
        .collect();
    format!("{{{}}}", fields.join(","))
}
