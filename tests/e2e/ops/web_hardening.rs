//! What keeps other web sites out, over real HTTP: the QA API refuses writes that do not declare
//! JSON (415, nothing changed), every route refuses a `Host` it does not serve (421, the
//! DNS-rebinding rule) while loopback, IP literals, the public host and `server.allowed_hosts`
//! work; security headers are on pages, the API, protocol redirects and error pages; cookies
//! are `Secure` behind an https public base URL; no redirect target can turn into a 500.

use esia_testkit::raw_http;
use esia_testkit::spawn::{extract_csrf, location};
use esia_testkit::{spawn_app, spawn_app_with, TestApp};
use serde_json::Value;

async fn persona_count(app: &TestApp) -> usize {
    let body: Value = app
        .get("/emulator/api/snapshot")
        .await
        .json()
        .await
        .unwrap();
    body["personas"]
        .as_array()
        .unwrap_or_else(|| panic!("no personas in {body}"))
        .len()
}

#[tokio::test]
async fn qa_api_writes_must_declare_json() {
    let app = spawn_app().await;
    let before = persona_count(&app).await;
    let spec = r#"{"level":"simplified"}"#;
    for content_type in [
        Some("text/plain"),
        Some("text/plain; charset=utf-8"),
        Some("application/x-www-form-urlencoded"),
        Some("multipart/form-data; boundary=x"),
        Some("application/jsonx"),
        Some("text/json"),
        None,
    ] {
        let mut req = app
            .client
            .post(app.url("/emulator/api/personas"))
            .body(spec);
        if let Some(ct) = content_type {
            req = req.header("content-type", ct);
        }
        let resp = req.send().await.unwrap();
        assert_eq!(resp.status(), 415, "{content_type:?}");
        let body: Value = resp.json().await.unwrap();
        assert_eq!(body["error"], "unsupported_media_type", "{content_type:?}");
    }
    assert_eq!(persona_count(&app).await, before, "nothing was created");

    // A body-less state change needs the header too: a cross-site page could send it bare.
    let bare = app
        .client
        .post(app.url("/emulator/api/reset"))
        .send()
        .await
        .unwrap();
    assert_eq!(bare.status(), 415);
    // Other methods with a body as well (DELETE with a form body).
    let delete = app
        .client
        .delete(app.url("/emulator/api/faults"))
        .header("content-type", "text/plain")
        .body("x")
        .send()
        .await
        .unwrap();
    assert_eq!(delete.status(), 415);

    for content_type in [
        "application/json",
        "application/json; charset=utf-8",
        "Application/JSON",
        "application/merge-patch+json",
    ] {
        let resp = app
            .client
            .post(app.url("/emulator/api/personas"))
            .header("content-type", content_type)
            .body(spec)
            .send()
            .await
            .unwrap();
        assert!(
            resp.status().is_success(),
            "{content_type}: {}",
            resp.status()
        );
    }
    assert_eq!(persona_count(&app).await, before + 4);
    let reset = app
        .client
        .post(app.url("/emulator/api/reset"))
        .header("content-type", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(reset.status(), 200);
    // Reads and body-less deletes need no content type.
    assert_eq!(app.get("/emulator/api/outbox").await.status(), 200);
    let delete = app
        .client
        .delete(app.url("/emulator/api/faults"))
        .send()
        .await
        .unwrap();
    assert!(delete.status().is_success());
}

async fn status_for_host(app: &TestApp, target: &str, host: &str) -> u16 {
    raw_http::send(&app.address, "GET", target, &[("Host", host)], b"")
        .await
        .status
}

#[tokio::test]
async fn hosts_the_emulator_does_not_serve_get_421_everywhere() {
    let app = spawn_app().await;
    let port = app.address.rsplit(':').next().unwrap().to_string();
    for target in [
        "/emulator/api/outbox",
        "/emulator/api/snapshot",
        "/login",
        "/profile",
        "/aas/oauth2/v2/ac",
        "/emulator/health",
        "/no-such-page",
    ] {
        for host in [
            "evil.example".to_string(),
            format!("evil.example:{port}"),
            format!("localhost.evil.example:{port}"),
            format!("127.0.0.1.nip.io:{port}"),
        ] {
            let resp = raw_http::send(&app.address, "GET", target, &[("Host", &host)], b"").await;
            assert_eq!(resp.status, 421, "{target} Host: {host}");
            assert!(resp.body.contains("misdirected_request"), "{}", resp.body);
            assert!(!resp.body.contains("esiatest"), "{}", resp.body);
        }
    }
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        "LocalHost".to_string(),
        format!("[::1]:{port}"),
        format!("10.1.2.3:{port}"),
    ] {
        assert_eq!(
            status_for_host(&app, "/emulator/api/outbox", &host).await,
            200,
            "Host: {host}"
        );
    }
}

#[tokio::test]
async fn the_public_host_and_allowed_hosts_are_served() {
    let app = spawn_app_with(|c| {
        c.server.public_base_url = "http://esia.example:9000".into();
        c.server.allowed_hosts = vec!["emulator-a".into(), "Proxy.Internal".into()];
    })
    .await;
    for host in [
        "esia.example",
        "esia.example:9000",
        "ESIA.example:80",
        "emulator-a:8080",
        "proxy.internal",
        "localhost:1",
    ] {
        assert_eq!(status_for_host(&app, "/login", host).await, 200, "{host}");
    }
    for host in [
        "evil.example",
        "emulator-b:8080",
        "esia.example.evil.example",
    ] {
        assert_eq!(status_for_host(&app, "/login", host).await, 421, "{host}");
    }
}

fn assert_security_headers(what: &str, resp: &raw_http::RawResponse) {
    let csp = resp
        .header("content-security-policy")
        .unwrap_or_else(|| panic!("{what}: no CSP"));
    for directive in [
        "default-src 'none'",
        "script-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    ] {
        assert!(csp.contains(directive), "{what}: {csp}");
    }
    assert!(
        !csp.contains("script-src 'self' 'unsafe-inline'"),
        "{what}: {csp}"
    );
    assert_eq!(resp.header("x-frame-options"), Some("DENY"), "{what}");
    assert_eq!(
        resp.header("x-content-type-options"),
        Some("nosniff"),
        "{what}"
    );
    assert_eq!(
        resp.header("referrer-policy"),
        Some("no-referrer"),
        "{what}"
    );
}

#[tokio::test]
async fn every_kind_of_response_carries_the_security_headers() {
    let app = spawn_app_with(|c| c.admin.token = "qa-admin-token-0123456789".into()).await;
    let get = |target: &'static str| raw_http::send(&app.address, "GET", target, &[], b"");
    let page = get("/login").await;
    assert_eq!(page.status, 200);
    assert_security_headers("page", &page);
    assert!(!page.body.contains("<script>"), "no inline script is left");
    let api = raw_http::send(
        &app.address,
        "GET",
        "/emulator/api/outbox",
        &[("Authorization", "Bearer qa-admin-token-0123456789")],
        b"",
    )
    .await;
    assert_eq!(api.status, 200);
    assert_security_headers("api", &api);
    assert_security_headers("api 401", &get("/emulator/api/outbox").await);
    let logout =
        get("/idp/ext/Logout?client_id=DEMO_IS&redirect_url=http://localhost:8000/bye").await;
    assert_eq!(logout.status, 302);
    assert_security_headers("protocol redirect", &logout);
    let ac_error = get("/aas/oauth2/v2/ac").await;
    assert_eq!(ac_error.status, 400);
    assert_security_headers("protocol error page", &ac_error);
    let not_found = get("/no-such-page").await;
    assert_eq!(not_found.status, 404);
    assert_security_headers("error page", &not_found);
    let te = raw_http::send(
        &app.address,
        "POST",
        "/aas/oauth2/v3/te",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        b"grant_type=nope",
    )
    .await;
    assert_eq!(te.status, 400);
    assert_security_headers("te error", &te);
    let misdirected = raw_http::send(
        &app.address,
        "GET",
        "/login",
        &[("Host", "evil.example")],
        b"",
    )
    .await;
    assert_security_headers("421", &misdirected);
    let script = get("/assets/password.js").await;
    assert_eq!(script.status, 200);
    assert!(script.body.contains("use-generated"));
    assert_security_headers("script", &script);
}

fn set_cookies(resp: &reqwest::Response) -> Vec<String> {
    resp.headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect()
}

fn cookie_value(set_cookie: &str) -> &str {
    set_cookie.split(';').next().unwrap()
}

/// Logs in by phone without a cookie jar (a jar would not send `Secure` cookies over the test's
/// plain http) and returns every `Set-Cookie` seen on the way: CSRF, session, admin, removal.
async fn cookies_of_a_visit(app: &TestApp) -> Vec<String> {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut all = Vec::new();
    let page = client.get(app.url("/login")).send().await.unwrap();
    all.extend(set_cookies(&page));
    let csrf_cookie = cookie_value(&all[0]).to_string();
    let csrf = extract_csrf(&page.text().await.unwrap()).unwrap();
    let login = client
        .post(app.url("/login"))
        .header("cookie", &csrf_cookie)
        .form(&[
            ("csrf", csrf.as_str()),
            ("login", "+79000000001"),
            ("password", "11111111"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 303);
    let session = set_cookies(&login);
    let jar = format!("{csrf_cookie}; {}", cookie_value(&session[0]));
    all.extend(session);
    let logout = client
        .post(app.url("/logout"))
        .header("cookie", &jar)
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(logout.status(), 303);
    all.extend(set_cookies(&logout));
    let admin = client
        .post(app.url("/emulator/login"))
        .header("cookie", &csrf_cookie)
        .form(&[
            ("csrf", csrf.as_str()),
            ("token", "qa-admin-token-0123456789"),
            ("next", "/emulator"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(admin.status(), 303);
    all.extend(set_cookies(&admin));
    let registration = client
        .post(app.url("/registration"))
        .header("cookie", &csrf_cookie)
        .form(&[
            ("csrf", csrf.as_str()),
            ("surname", "Тестов"),
            ("name", "Тест"),
            ("phone", "+79001112233"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(registration.status(), 303);
    all.extend(set_cookies(&registration));
    all
}

#[tokio::test]
async fn cookies_are_secure_behind_an_https_public_base_url() {
    let https = spawn_app_with(|c| {
        c.server.public_base_url = "https://esia.example".into();
        c.admin.token = "qa-admin-token-0123456789".into();
    })
    .await;
    let cookies = cookies_of_a_visit(&https).await;
    for name in ["esia_csrf=", "esia_session=", "esia_admin=", "esia_reg="] {
        assert!(
            cookies.iter().any(|c| c.starts_with(name)),
            "{name} not seen: {cookies:?}"
        );
    }
    assert!(cookies.len() >= 5, "{cookies:?}");
    for c in &cookies {
        assert!(c.contains("; Secure"), "not Secure behind https: {c}");
    }

    let http = spawn_app_with(|c| c.admin.token = "qa-admin-token-0123456789".into()).await;
    for c in cookies_of_a_visit(&http).await {
        assert!(!c.contains("Secure"), "Secure on plain http: {c}");
    }
}

#[tokio::test]
async fn a_redirect_target_with_cr_lf_is_never_a_500() {
    let app = spawn_app().await;
    for target in [
        "/idp/ext/Logout?client_id=DEMO_IS&redirect_url=http://localhost:8000/cb%0d%0aSet-Cookie:%20x=y",
        "/idp/ext/Logout?client_id=DEMO_IS&redirect_url=http://localhost%0a/cb",
        "/idp/ext/Logout?client_id=DEMO_IS&redirect_url=http://localhost/%00",
    ] {
        let resp = raw_http::send(&app.address, "GET", target, &[], b"").await;
        assert!(resp.status < 500, "{target}: {}", resp.status);
        assert!(
            resp.headers.iter().all(|(n, v)| n != "set-cookie" || !v.starts_with("x=")),
            "{target}: {:?}",
            resp.headers
        );
        if let Some(to) = resp.header("location") {
            assert!(!to.contains('\r') && !to.contains('\n'), "{to:?}");
        }
    }
    // The plain case still redirects.
    let ok = app
        .get("/idp/ext/Logout?client_id=DEMO_IS&redirect_url=http://localhost:8000/bye")
        .await;
    assert_eq!(ok.status(), 302);
    assert_eq!(location(&ok), "http://localhost:8000/bye");
}
