//! «Межведомственные запросы» in the cabinet's «Безопасность»: after a system read the person's
//! data through `/rs`, the person sees which system read what and whether it was given (a read
//! refused for a missing scope too), newest first; another person sees none of it; with the
//! journal off the page says that reads are not recorded.

use esia_testkit::protocol::*;
use esia_testkit::{spawn_app, spawn_app_with, TestApp};

const SCOPE: &str = "openid fullname contacts";

/// Logs `login` in through a DEMO_IS flow in `browser`; returns the access token.
async fn token_of(app: &TestApp, browser: &reqwest::Client, login: &str) -> String {
    let params = v2_ac_params(SCOPE, &new_state(), &timestamp(0), &[], own_sign);
    let first = ac(app, browser, "/aas/oauth2/v2/ac", &params).await;
    let callback = browse_to_callback(app, browser, first, login).await;
    let code = q(&query_of(&callback), "code").unwrap().to_string();
    let (status, tokens) = te(
        app,
        "/aas/oauth2/v3/te",
        &v3_code_params(&code, SCOPE, &new_state(), &timestamp(0), own_sign),
    )
    .await;
    assert_eq!(status, 200, "{tokens}");
    tokens["access_token"].as_str().unwrap().to_string()
}

async fn read(app: &TestApp, token: &str, path: &str) -> u16 {
    let resp = app
        .client
        .get(app.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    resp.status().as_u16()
}

async fn security_page(app: &TestApp, browser: &reqwest::Client) -> String {
    let resp = browser
        .get(app.url("/profile/security"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    resp.text().await.unwrap()
}

#[tokio::test]
async fn the_person_sees_which_system_read_what() {
    let app = spawn_app().await;
    let browser = app.new_client();
    let token = token_of(&app, &browser, "EsiaTest001@yandex.ru").await;
    assert_eq!(read(&app, &token, "/rs/prns/1000000001").await, 200);
    assert_eq!(read(&app, &token, "/rs/prns/1000000001/ctts").await, 200);
    assert_eq!(read(&app, &token, "/rs/prns/1000000001/docs").await, 403);

    let html = security_page(&app, &browser).await;
    assert_eq!(
        html.matches("data-testid=\"security-read-row\"").count(),
        3,
        "{html}"
    );
    let first_row = &html[html.find("security-read-row").unwrap()..];
    assert!(
        first_row.contains("Документы") && first_row.contains("Отказано"),
        "newest first: {html}"
    );
    assert!(
        html.contains("Контакты") && html.contains("Основные сведения"),
        "{html}"
    );
    assert!(html.contains("Выданы"), "{html}");
    assert!(!html.contains("security-journal-off"), "{html}");

    // Another person: none of the first one's reads.
    let other = app.new_client();
    token_of(&app, &other, "EsiaTest002@yandex.ru").await;
    let html = security_page(&app, &other).await;
    assert!(html.contains("security-reads-empty"), "{html}");

    // Not logged in: the login page, not the data.
    let anonymous = app
        .new_client()
        .get(app.url("/profile/security"))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 303);
}

#[tokio::test]
async fn with_the_journal_off_the_page_says_reads_are_not_recorded() {
    let app = spawn_app_with(|c| c.protocol.journal_rs = false).await;
    let browser = app.new_client();
    let token = token_of(&app, &browser, "EsiaTest001@yandex.ru").await;
    assert_eq!(read(&app, &token, "/rs/prns/1000000001").await, 200);
    let html = security_page(&app, &browser).await;
    assert!(html.contains("security-journal-off"), "{html}");
    assert!(html.contains("security-reads-empty"), "{html}");
}
