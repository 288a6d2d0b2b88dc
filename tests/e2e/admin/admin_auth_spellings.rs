//! Every guarded route (the OpenAPI paths and the admin pages found by crawling `/emulator`)
//! refuses every spelling of its path (encoded, doubled slashes, dot segments, other case)
//! without the token, and still answers with it; the open paths stay open in any spelling the
//! router accepts, and the admin login goes back only to admin pages.

use super::admin_auth::{guarded_app, snapshot, TOKEN};
use esia_testkit::raw_http;
use esia_testkit::spawn::location;
use esia_testkit::TestApp;
use std::collections::BTreeSet;

/// Guarded routes as (method, path): every OpenAPI operation under `/emulator/api` except the
/// description itself, with `{params}` filled in.
async fn api_routes(app: &TestApp) -> BTreeSet<(String, String)> {
    let doc: serde_json::Value = app
        .get("/emulator/api/openapi.json")
        .await
        .json()
        .await
        .unwrap();
    let mut routes = BTreeSet::new();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        if !path.starts_with("/emulator/api/") || path.ends_with("/openapi.json") {
            continue;
        }
        let filled = path
            .split('/')
            .map(|seg| {
                if seg.starts_with('{') {
                    "1000000001"
                } else {
                    seg
                }
            })
            .collect::<Vec<_>>()
            .join("/");
        for method in ops.as_object().unwrap().keys() {
            routes.insert((method.to_uppercase(), filled.clone()));
        }
    }
    routes
}

/// Admin page routes as (method, path): every link and form target under `/emulator` reachable
/// from the admin home page with the token, except the open ones.
async fn page_routes(app: &TestApp) -> BTreeSet<(String, String)> {
    let mut seen = BTreeSet::new();
    let mut queue = vec!["/emulator".to_string()];
    let mut routes = BTreeSet::new();
    while let Some(page) = queue.pop() {
        if !seen.insert(page.clone()) {
            continue;
        }
        let html = app
            .client
            .get(app.url(&page))
            .bearer_auth(TOKEN)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        routes.insert(("GET".to_string(), page.clone()));
        let links = html.split("href=\"").skip(1).map(|piece| ("GET", piece));
        let forms = html.split("<form").skip(1).filter_map(|piece| {
            let tag = piece.split('>').next().unwrap_or("");
            let method = if tag.contains("method=\"post\"") {
                "POST"
            } else {
                "GET"
            };
            tag.split("action=\"").nth(1).map(|target| (method, target))
        });
        for (method, piece) in links.chain(forms) {
            let target = piece.split(['"', '?', '#']).next().unwrap();
            // The open paths (probes, API description, banks, login) are tested below.
            let open = ["/emulator/api", "/emulator/bank", "/emulator/login"]
                .iter()
                .any(|p| target.starts_with(p))
                || ["/emulator/health", "/emulator/ready"].contains(&target);
            if !(target == "/emulator" || target.starts_with("/emulator/")) || open {
                continue;
            }
            if method == "GET" {
                queue.push(target.to_string());
            }
            routes.insert((method.to_string(), target.to_string()));
        }
    }
    routes
}

/// Spellings of `path` that a router decoding `%XX` (or a lax one) could send to the same
/// handler, plus a few that must simply miss.
fn spellings(path: &str) -> Vec<String> {
    let rest = path.strip_prefix("/emulator").unwrap();
    let mut out = vec![
        format!("/%65mulator{rest}"),
        format!("/%65%6d%75%6c%61%74%6f%72{rest}"),
        format!("/emulator{}", rest.replacen('/', "%2F", 1)),
        format!("/emulator{}", rest.replace('/', "%2f")),
        format!("/%2Femulator{rest}"),
        format!("//emulator{rest}"),
        format!("/emulator/{rest}"),
        format!("/x/../emulator{rest}"),
        format!("/emulator/.{rest}"),
        format!("/emulator/x/..{rest}"),
        format!("/./emulator{rest}"),
        format!("/Emulator{rest}"),
        format!("/EMULATOR{rest}"),
        format!("/emulator{}", rest.to_uppercase()),
        format!("/emulator{rest}/"),
        format!("/emulator{rest}%00"),
    ];
    // The first letter of the second segment encoded: /emulator/%61pi/…, /emulator/%6aournal.
    if let Some(second) = rest.strip_prefix('/').filter(|r| !r.is_empty()) {
        let first = second.as_bytes()[0];
        out.push(format!("/emulator/%{first:02x}{}", &second[1..]));
        out.push(format!("/emulator/%{first:02X}{}", &second[1..]));
    }
    out.push(path.to_string());
    out
}

/// What a refused request may never show: persona data, hashes, tokens, admin page content.
fn leaks(body: &str) -> bool {
    [
        "password_hash",
        "esiatest001",
        "1000000001\"",
        "admin-nav",
        "\"messages\"",
        "\"clients\"",
    ]
    .iter()
    .any(|marker| body.contains(marker))
}

#[tokio::test]
async fn every_guarded_route_refuses_every_spelling_without_the_token() {
    let app = guarded_app().await;
    let api = api_routes(&app).await;
    let pages = page_routes(&app).await;
    assert!(api.len() >= 30, "OpenAPI routes: {api:?}");
    assert!(pages.len() >= 15, "admin page routes: {pages:?}");
    let before = snapshot(&app).await;

    let mut tried = 0;
    for (method, path) in api.iter().chain(pages.iter()) {
        let (content_type, body): (&str, &[u8]) = if path.starts_with("/emulator/api/") {
            ("application/json", br#"{"offset_secs":60,"field":"snils","pattern":"*","outcome":"pass","endpoint":"te","mnemonic":"X_IS","personas":[{"level":"simplified"}],"level":"simplified"}"#)
        } else {
            (
                "application/x-www-form-urlencoded",
                b"q=1&offset_secs=60&level=simplified",
            )
        };
        for target in spellings(path) {
            let resp = raw_http::send(
                &app.address,
                method,
                &target,
                &[("Content-Type", content_type)],
                body,
            )
            .await;
            tried += 1;
            assert!(
                !(200..300).contains(&resp.status) && resp.status < 500,
                "{method} {target} answered {} without the token",
                resp.status
            );
            assert!(
                !leaks(&resp.body),
                "{method} {target} leaked: {}",
                resp.body
            );
            if resp.status == 303 {
                let to = resp.header("location").unwrap();
                assert!(
                    to.starts_with("/emulator/login?next="),
                    "{method} {target} -> {to}"
                );
            }
        }
    }
    assert!(tried > 800, "{tried} requests");

    let after = snapshot(&app).await;
    assert_eq!(before, after, "a refused request changed the state");
    let faults: serde_json::Value = app
        .client
        .get(app.url("/emulator/api/faults"))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(faults.to_string().matches("\"id\"").count(), 0, "{faults}");

    // With the token, the same routes answer: every parameter-free GET of the API and every
    // admin page, by their canonical path and by an encoded spelling the router decodes.
    for (method, path) in api.iter().chain(pages.iter()) {
        if method != "GET" || path.contains("1000000001") {
            continue;
        }
        for target in [path.clone(), path.replacen("/emulator", "/%65mulator", 1)] {
            let resp = raw_http::send(
                &app.address,
                "GET",
                &target,
                &[("Authorization", &format!("Bearer {TOKEN}"))],
                b"",
            )
            .await;
            assert_eq!(resp.status, 200, "GET {target} with the token");
        }
    }
}

#[tokio::test]
async fn the_open_paths_stay_open_in_any_spelling_the_router_accepts() {
    let app = guarded_app().await;
    for target in [
        "/%65mulator/health",
        "/emulator/%72eady",
        "/emulator/api/openapi.json",
        "/%65mulator/api/docs",
        "/emulator/bank/sberbank",
        "/emulator/login",
    ] {
        let resp = raw_http::send(&app.address, "GET", target, &[], b"").await;
        assert_eq!(resp.status, 200, "{target}");
    }
}

#[tokio::test]
async fn the_admin_login_goes_back_only_to_admin_pages() {
    let app = guarded_app().await;
    let page = app.get("/emulator/login").await.text().await.unwrap();
    let csrf = esia_testkit::spawn::extract_csrf(&page).unwrap();
    for (next, expected) in [
        ("/emulator/journal", "/emulator/journal"),
        ("/emulator/./outbox", "/emulator/outbox"),
        ("//evil.example/emulator", "/emulator"),
        ("/\\evil.example/emulator", "/emulator"),
        ("/\t/evil.example/emulator", "/emulator"),
        ("/emulator/\r\nSet-Cookie: a=b", "/emulator"),
        ("/emulator/../profile", "/emulator"),
        ("/emulator/%2e%2e/profile", "/emulator"),
        ("https://evil.example/emulator", "/emulator"),
        ("/Emulator/journal", "/emulator"),
    ] {
        let resp = app
            .client
            .post(app.url("/emulator/login"))
            .form(&[("csrf", csrf.as_str()), ("token", TOKEN), ("next", next)])
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 303, "{next:?}");
        assert_eq!(location(&resp), expected, "{next:?}");
        // The login page renders the same choice into its form.
        let q: String = url_encode(next);
        let html = app
            .get(&format!("/emulator/login?next={q}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            html.contains(&format!("name=\"next\" value=\"{expected}\"")),
            "{next:?}"
        );
    }
}

fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
