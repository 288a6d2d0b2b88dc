//! The admin token: with `[admin] token` set the QA API answers 401 JSON without it and the
//! admin pages send the browser to /emulator/login, while ESIA's own endpoints, the probes and
//! the API description stay open; the CLI refuses to listen beyond loopback without a token.
//! Every guarded route (the OpenAPI paths and the admin pages found by crawling `/emulator`)
//! refuses every spelling of its path (encoded, doubled slashes, dot segments, other case)
//! without the token, and still answers with it.

use esia_testkit::raw_http;
use std::collections::BTreeSet;
use std::process::Command;

use esia_testkit::spawn::location;
use esia_testkit::{spawn_app_with, TestApp};

const TOKEN: &str = "qa-admin-token-0123456789";

/// The whole state, read with the token: what a refused request must leave unchanged.
async fn snapshot(app: &TestApp) -> serde_json::Value {
    app.client
        .get(app.url("/emulator/api/snapshot"))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

async fn guarded_app() -> TestApp {
    spawn_app_with(|c| c.admin.token = TOKEN.into()).await
}

#[tokio::test]
async fn the_api_needs_the_token() {
    let app = guarded_app().await;
    let resp = app.get("/emulator/api/outbox").await;
    assert_eq!(resp.status(), 401);
    assert!(resp.headers()["www-authenticate"]
        .to_str()
        .unwrap()
        .starts_with("Bearer"));
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["error"], "admin_token_required");

    let with = |token: &str| {
        app.client
            .get(app.url("/emulator/api/outbox"))
            .bearer_auth(token)
            .send()
    };
    assert_eq!(with(TOKEN).await.unwrap().status(), 200);
    assert_eq!(
        with("qa-admin-token-012345678X").await.unwrap().status(),
        401
    );
    let by_header = app
        .client
        .get(app.url("/emulator/api/clients"))
        .header("X-Emulator-Token", TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(by_header.status(), 200);

    // Writes are guarded too, and refused before the body is read.
    let post = app
        .client
        .post(app.url("/emulator/api/verification-rules"))
        .json(&serde_json::json!({"field":"snils","pattern":"*","outcome":"pass"}))
        .send()
        .await
        .unwrap();
    assert_eq!(post.status(), 401);
}

#[tokio::test]
async fn esia_endpoints_probes_and_the_description_stay_open() {
    let app = guarded_app().await;
    for path in [
        "/emulator/health",
        "/emulator/ready",
        "/emulator/api/openapi.json",
        "/emulator/api/docs",
        "/login",
        "/registration",
    ] {
        assert_eq!(app.get(path).await.status(), 200, "{path}");
    }
    // The protocol surface answers as ESIA does (an error for a bare ac), not with 401.
    let ac = app.get("/aas/oauth2/v2/ac").await.status();
    assert_ne!(ac, 401);
}

#[tokio::test]
async fn pages_send_the_browser_to_the_login_form_and_the_cookie_opens_them() {
    let app = guarded_app().await;
    let resp = app.get("/emulator/journal").await;
    assert_eq!(resp.status(), 303);
    assert_eq!(
        location(&resp),
        "/emulator/login?next=%2Femulator%2Fjournal"
    );

    let page = app.get("/emulator/login?next=%2Femulator%2Fjournal").await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("data-testid=\"admin-login-token\""));
    let csrf = html
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_string();

    let wrong = app
        .client
        .post(app.url("/emulator/login"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("token", "nope"),
            ("next", "/emulator/journal"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    assert!(wrong
        .text()
        .await
        .unwrap()
        .contains("Неверный токен администратора"));
    assert_eq!(app.get("/emulator/journal").await.status(), 303);

    let right = app
        .client
        .post(app.url("/emulator/login"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("token", TOKEN),
            ("next", "/emulator/journal"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(right.status(), 303);
    assert_eq!(location(&right), "/emulator/journal");
    let set_cookie = right.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(
        !set_cookie.contains(TOKEN),
        "the cookie must not carry the token"
    );
    assert_eq!(app.get("/emulator/journal").await.status(), 200);
    assert_eq!(app.get("/emulator/api/outbox").await.status(), 200);
}

#[tokio::test]
async fn without_a_token_the_control_plane_is_open() {
    let app = spawn_app_with(|_| {}).await;
    assert_eq!(app.get("/emulator/api/outbox").await.status(), 200);
    let login = app.get("/emulator/login").await.text().await.unwrap();
    assert!(login.contains("admin-login-open"));
}

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_esia-emulator"));
    c.env_remove("ESIA_CONFIG");
    for (k, _) in std::env::vars() {
        if k.starts_with("ESIA__") {
            c.env_remove(k);
        }
    }
    c
}

#[test]
fn listening_beyond_loopback_without_a_token_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = bin()
        .args(["serve", "--bind", "0.0.0.0:0"])
        .env("ESIA__SERVER__DATA_DIR", dir.path())
        .env("ESIA__KEYS__DIR", dir.path().join("keys"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("admin.token"), "{err}");
    assert!(
        !dir.path().join("esia.db").exists(),
        "refused before touching the database"
    );

    let out = bin()
        .args(["config", "check"])
        .env("ESIA__SERVER__BIND", "0.0.0.0:8080")
        .env("ESIA__ADMIN__TOKEN", TOKEN)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = bin()
        .args(["config", "check"])
        .env("ESIA__ADMIN__TOKEN", "short")
        .output()
        .unwrap();
    assert!(!out.status.success());
}

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
