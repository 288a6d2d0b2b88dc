//! The admin token: with `[admin] token` set the QA API answers 401 JSON without it and the
//! admin pages send the browser to /emulator/login, while ESIA's own endpoints, the probes and
//! the API description stay open; the CLI refuses to listen beyond loopback without a token.
//! Every spelling of a guarded path is in `admin_auth_spellings.rs`, which shares the helpers
//! here.

use std::process::Command;

use esia_testkit::spawn::location;
use esia_testkit::{spawn_app_with, TestApp};

pub(super) const TOKEN: &str = "qa-admin-token-0123456789";

/// The whole state, read with the token: what a refused request must leave unchanged.
pub(super) async fn snapshot(app: &TestApp) -> serde_json::Value {
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

pub(super) async fn guarded_app() -> TestApp {
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
