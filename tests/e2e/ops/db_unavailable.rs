//! A database out of reach (issue 10, item 9): when no connection can be had within
//! `database.pool_timeout_secs`, every channel answers 503 with `Retry-After` in its own format
//! (API JSON, page, `ac` page, `te` JSON, `/rs` JSON), without hanging, and the same requests
//! succeed once a connection is free. Runs on both backends.

use std::time::{Duration, Instant};

use esia_testkit::protocol::*;

/// No connection to be had (here: every pooled connection is held; in production a database
/// that is down): after `database.pool_timeout_secs` every channel answers 503 with `Retry-After` in
/// its own format, and the same requests succeed once a connection is free. Both backends.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_connection_within_the_timeout_is_a_503_with_retry_after_on_every_channel() {
    const POOL: u32 = 3;
    let app = esia_testkit::spawn_app_with(|c| {
        c.database.pool_size = POOL;
        c.database.pool_timeout_secs = 1;
    })
    .await;
    let browser = app.new_client();
    let scope = "openid fullname";
    let params = v2_ac_params(scope, &new_state(), &timestamp(0), &[], own_sign);
    let first = ac(&app, &browser, "/aas/oauth2/v2/ac", &params).await;
    let callback = browse_to_callback(&app, &browser, first, "EsiaTest001@yandex.ru").await;
    let code = q(&query_of(&callback), "code").expect("code").to_string();
    let te_params = v3_code_params(&code, scope, &new_state(), &timestamp(0), own_sign);
    let (status, body) = te(&app, "/aas/oauth2/v3/te", &te_params).await;
    assert_eq!(status, 200, "{body}");
    let access = body["access_token"].as_str().unwrap().to_string();
    let new_code_params = v2_ac_params(scope, &new_state(), &timestamp(0), &[], own_sign);

    let held = {
        let core = app.core.clone();
        tokio::task::spawn_blocking(move || {
            (0..POOL)
                .map(|_| core.conn().expect("a pooled connection"))
                .collect::<Vec<_>>()
        })
        .await
        .unwrap()
    };
    let started = Instant::now();
    let api = app.get("/emulator/api/personas").await;
    assert_eq!(api.status(), 503);
    assert!(started.elapsed() < Duration::from_secs(5), "no hang");
    assert!(api.headers().contains_key("retry-after"));
    let body: serde_json::Value = api.json().await.unwrap();
    assert_eq!(body["error"], "database_unavailable", "{body}");

    let page = app.get("/emulator/personas").await;
    assert_eq!(page.status(), 503);
    assert!(page.headers().contains_key("retry-after"));
    assert!(page
        .text()
        .await
        .unwrap()
        .contains("Сервис временно недоступен"));

    let ac_page = ac(&app, &browser, "/aas/oauth2/v2/ac", &new_code_params).await;
    assert_eq!(ac_page.status(), 503, "ac while the database is away");
    assert!(ac_page.headers().contains_key("retry-after"));

    let other = v3_code_params("no-such-code", scope, &new_state(), &timestamp(0), own_sign);
    let te_resp = app
        .client
        .post(app.url("/aas/oauth2/v3/te"))
        .form(&other)
        .send()
        .await
        .unwrap();
    assert_eq!(te_resp.status(), 503);
    assert!(te_resp.headers().contains_key("retry-after"));
    let body: serde_json::Value = te_resp.json().await.unwrap();
    assert_eq!(body["error"], "temporarily_unavailable", "{body}");
    assert!(body["error_description"]
        .as_str()
        .unwrap_or("")
        .starts_with("ESIA-007008"));

    let rs = app
        .client
        .get(app.url("/rs/prns/1000000001"))
        .bearer_auth(&access)
        .send()
        .await
        .unwrap();
    assert_eq!(rs.status(), 503);
    assert!(rs.headers().contains_key("retry-after"));
    let body: serde_json::Value = rs.json().await.unwrap();
    assert_eq!(body["code"], "ESIA-007008", "{body}");

    drop(held);
    assert_eq!(app.get("/emulator/api/personas").await.status(), 200);
    let rs = app
        .client
        .get(app.url("/rs/prns/1000000001"))
        .bearer_auth(&access)
        .send()
        .await
        .unwrap();
    assert_eq!(rs.status(), 200);
}
