//! In real headless Chromium: a system sends the user to v2/ac, the user logs in through
//! `#login`/`#password`/`button.plain-button_wide`, grants access with `#grantAuthorization`,
//! and lands on the system's redirect URI with a code that the system exchanges at v3/te.
//! Gated by ESIA_TEST_BROWSER=1.

use esia_testkit::browser::log_in;
use esia_testkit::browser::Browser;
use esia_testkit::protocol::*;
use esia_testkit::{require_browser, spawn_app};

#[tokio::test]
async fn login_and_consent_in_the_browser_lead_back_with_a_code() {
    require_browser!("login_and_consent_in_the_browser_lead_back_with_a_code");
    let app = spawn_app().await;
    let scope = "openid fullname";
    let state = new_state();
    let params = v2_ac_params(scope, &state, &timestamp(0), &[], own_sign);
    let url = url::Url::parse_with_params(&app.url("/aas/oauth2/v2/ac"), &params).unwrap();

    let b = Browser::start().await.expect("browser");
    b.goto(url.as_str()).await.unwrap();
    b.wait_for("#login").await.unwrap();
    log_in(&b, "EsiaTest001@yandex.ru", "11111111").await;
    b.wait_for("#grantAuthorization").await.unwrap();
    let page = b.source().await.unwrap();
    assert!(page.contains("Предоставление прав доступа"));
    b.click("#grantAuthorization").await.unwrap();
    // Nothing listens on the demo redirect URI: the browser's address bar is what counts.
    let landed = b.wait_for_url_contains("code=").await.unwrap();
    b.close().await.unwrap();
    assert!(landed.starts_with(REDIRECT), "{landed}");
    let pairs = query_of(&landed);
    assert_eq!(q(&pairs, "state"), Some(state.as_str()));
    let code = q(&pairs, "code").unwrap().to_string();

    let te_state = new_state();
    let (status, body) = te(
        &app,
        "/aas/oauth2/v3/te",
        &v3_code_params(&code, scope, &te_state, &timestamp(0), own_sign),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["state"], te_state.as_str());
    assert_eq!(
        jwt_part(body["id_token"].as_str().unwrap(), 1)["sub"],
        1000000001
    );
}
