//! In real headless Chromium, the admin pages not covered by browser_admin.rs: a client system is
//! registered on `/emulator/clients`, the admin login form opens the guarded pages when a token
//! is configured, and `/emulator/api/docs` renders the API description. Gated by
//! ESIA_TEST_BROWSER=1.

use esia_testkit::browser::{tid, Browser};
use esia_testkit::{require_browser, spawn_app, spawn_app_with};

const RSA_PEM: &str = include_str!("../../../keys/demo-client/demo-is-rsa.pem");

#[tokio::test]
async fn a_client_system_is_registered_on_the_clients_page() {
    require_browser!("a_client_system_is_registered_on_the_clients_page");
    let app = spawn_app().await;
    let b = Browser::start().await.expect("browser");
    b.goto(&app.url("/emulator")).await.unwrap();
    b.click_to_new_page(&tid("emulator-link-clients"))
        .await
        .unwrap();
    b.wait_for(&tid("clients-title")).await.unwrap();
    b.fill(&tid("clients-mnemonic"), "QA_BROWSER_IS")
        .await
        .unwrap();
    b.fill(&tid("clients-name"), "Система из браузера")
        .await
        .unwrap();
    b.fill(&tid("clients-redirect-uris"), "https://qa.example/callback")
        .await
        .unwrap();
    b.fill(&tid("clients-certificate"), RSA_PEM).await.unwrap();
    b.click_to_new_page(&tid("clients-submit")).await.unwrap();
    let row = b.text(&tid("clients-row-QA_BROWSER_IS")).await.unwrap();
    b.close().await.unwrap();
    assert!(row.contains("Система из браузера"), "{row}");
    let api = app.get("/emulator/api/clients/QA_BROWSER_IS").await;
    assert_eq!(api.status(), 200);
    let view: serde_json::Value = api.json().await.unwrap();
    assert_eq!(view["redirect_uris"][0], "https://qa.example/callback");
    assert_eq!(view["certificates"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn the_admin_login_form_opens_guarded_pages() {
    require_browser!("the_admin_login_form_opens_guarded_pages");
    let token = "browser-admin-token-0123456789";
    let app = spawn_app_with(|c| c.admin.token = token.into()).await;
    let b = Browser::start().await.expect("browser");
    b.goto(&app.url("/emulator/journal")).await.unwrap();
    b.wait_for(&tid("admin-login-title")).await.unwrap();
    b.fill(&tid("admin-login-token"), "wrong-token-0123456789")
        .await
        .unwrap();
    b.click_to_new_page(&tid("admin-login-submit"))
        .await
        .unwrap();
    let error = b.text(&tid("admin-login-error")).await.unwrap();
    assert!(error.contains("Неверный токен"), "{error}");
    b.fill(&tid("admin-login-token"), token).await.unwrap();
    b.click_to_new_page(&tid("admin-login-submit"))
        .await
        .unwrap();
    b.wait_for(&tid("journal-title")).await.unwrap();
    let url = b.current_url().await.unwrap();
    b.close().await.unwrap();
    assert!(url.ends_with("/emulator/journal"), "{url}");
}

#[tokio::test]
async fn the_api_docs_page_renders() {
    require_browser!("the_api_docs_page_renders");
    let app = spawn_app().await;
    let b = Browser::start().await.expect("browser");
    b.goto(&app.url("/emulator/api/docs")).await.unwrap();
    let title = b.text(&tid("api-docs-title")).await.unwrap();
    let personas = b.text(&tid("api-docs-tag-personas")).await.unwrap();
    b.close().await.unwrap();
    assert_eq!(title, "esia-emulator QA API");
    assert!(
        personas.contains("POST /emulator/api/personas"),
        "{personas}"
    );
}
