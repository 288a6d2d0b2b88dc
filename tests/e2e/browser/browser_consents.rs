//! In real headless Chromium: the person gives a system consent, then withdraws it in the
//! cabinet's «Согласия»; the system's access token fails at `/rs` and its refresh token at
//! `te` from that moment, and its next login in the browser asks for consent again. Gated by
//! ESIA_TEST_BROWSER=1.

use esia_testkit::browser::{log_in, Browser};
use esia_testkit::protocol::*;
use esia_testkit::{require_browser, spawn_app};

#[tokio::test]
async fn a_consent_withdrawn_in_the_cabinet_cuts_the_system_off() {
    require_browser!("a_consent_withdrawn_in_the_cabinet_cuts_the_system_off");
    let app = spawn_app().await;
    let scope = "openid fullname";
    let ac_url = || {
        let params = v2_ac_params(scope, &new_state(), &timestamp(0), &[], own_sign);
        url::Url::parse_with_params(&app.url("/aas/oauth2/v2/ac"), &params).unwrap()
    };

    let b = Browser::start().await.expect("browser");
    b.goto(ac_url().as_str()).await.unwrap();
    b.wait_for("#login").await.unwrap();
    log_in(&b, "EsiaTest001@yandex.ru", "11111111").await;
    b.wait_for("#grantAuthorization").await.unwrap();
    b.click("#grantAuthorization").await.unwrap();
    let landed = b.wait_for_url_contains("code=").await.unwrap();
    let code = q(&query_of(&landed), "code").unwrap().to_string();
    let (status, tokens) = te(
        &app,
        "/aas/oauth2/v3/te",
        &v3_code_params(&code, scope, &new_state(), &timestamp(0), own_sign),
    )
    .await;
    assert_eq!(status, 200, "{tokens}");
    let access = tokens["access_token"].as_str().unwrap().to_string();
    let rs = |token: String| {
        let (client, url) = (app.client.clone(), app.url("/rs/prns/1000000001"));
        async move {
            let resp = client.get(url).bearer_auth(token).send().await.unwrap();
            resp.status().as_u16()
        }
    };
    assert_eq!(rs(access.clone()).await, 200);

    b.goto(&app.url("/profile")).await.unwrap();
    b.click_to_new_page("[data-testid=profile-consents]")
        .await
        .unwrap();
    b.wait_for("[data-testid=consent-row]").await.unwrap();
    let page = b.source().await.unwrap();
    assert!(page.contains("Согласия") && page.contains("ФИО"), "{page}");
    b.click_to_new_page("[data-testid=consent-revoke]")
        .await
        .unwrap();
    b.wait_for("[data-testid=consents-notice]").await.unwrap();
    let page = b.source().await.unwrap();
    assert!(page.contains("data-testid=\"consents-empty\""), "{page}");

    assert_eq!(rs(access).await, 401, "the access token is cut off at once");
    b.goto(ac_url().as_str()).await.unwrap();
    b.wait_for("#grantAuthorization").await.unwrap();
    b.close().await.unwrap();
}
