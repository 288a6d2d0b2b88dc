//! The hostile requests for one route, part 2: headers (bad bytes, garbage credentials, absurd
//! lengths), cookies, and bodies of the route's kind (JSON for the QA API with one field at a
//! time hostile for its OpenAPI type, forms with and without a valid CSRF pair elsewhere), bad
//! framing and one 10 MB body. Builds requests only.

use super::cases::{is_api, typed_body, Case, Route};
use super::raw::Raw;
use super::values::{json_all, typed_baseline, CSRF, EDGE_JSON, INJECT};

/// Headers, cookies and bodies.
pub fn head_and_body(r: &Route, out: &mut Vec<Case>) {
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
    let creds = || r.creds();
    let type_of = |n: &str| r.type_of(n).to_string();
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
            typed_body(raw, pattern, names, "x")
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
    for s in INJECT.iter().take(3) {
        push(
            format!("body {s:?}"),
            typed_body(creds(), pattern, names, s),
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
                            typed_baseline(n, &type_of(n), ctx)
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
        typed_body(creds(), pattern, names, "a\r\nb"),
        false,
    );
    push(
        "body 64 KB values".into(),
        typed_body(creds(), pattern, names, &"z".repeat(65_536)),
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
            ("json huge numbers", json_all(names, "1e999")),
            ("json negative", json_all(names, "-9223372036854775809")),
            ("json bools", json_all(names, "true")),
            ("json arrays", json_all(names, "[[],{}]")),
            ("json objects", json_all(names, "{\"a\":{\"b\":null}}")),
            ("json nulls", json_all(names, "null")),
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
}
