//! In real headless Chromium: the chief of the demo organisation logs in to a system that asks
//! for organisation data (`scope_org`), sees «Выберите роль», picks the organisation, grants
//! access, and the token from the code opens `/rs/orgs/{org}`. Gated by ESIA_TEST_BROWSER=1.

use esia_testkit::browser::log_in;
use esia_testkit::browser::{tid, Browser};
use esia_testkit::protocol::*;
use esia_testkit::{require_browser, spawn_app};

const ORG: i64 = 1_000_000_901;

#[tokio::test]
async fn the_chosen_organisation_is_the_one_in_the_token() {
    require_browser!("the_chosen_organisation_is_the_one_in_the_token");
    let app = spawn_app().await;
    let scope = "openid fullname";
    let state = new_state();
    let extra = [("scope_org", "org_shortname")];
    let params = v2_ac_params(scope, &state, &timestamp(0), &extra, own_sign);
    let url = url::Url::parse_with_params(&app.url("/aas/oauth2/v2/ac"), &params).unwrap();

    let b = Browser::start().await.expect("browser");
    b.goto(url.as_str()).await.unwrap();
    b.wait_for("#login").await.unwrap();
    log_in(&b, "EsiaTest009@yandex.ru", "11111111").await;
    b.wait_for(&tid("role-title")).await.unwrap();
    assert_eq!(b.text(&tid("role-title")).await.unwrap(), "Выберите роль");
    let private = b.text(&tid("role-private")).await.unwrap();
    assert!(private.contains("Частное лицо"), "{private}");
    let org_button = tid(&format!("role-org-{ORG}"));
    assert!(b.text(&org_button).await.unwrap().contains("Руководитель"));
    b.click_to_new_page(&org_button).await.unwrap();
    b.wait_for("#grantAuthorization").await.unwrap();
    b.click("#grantAuthorization").await.unwrap();
    let landed = b.wait_for_url_contains("code=").await.unwrap();
    b.close().await.unwrap();
    assert!(landed.starts_with(REDIRECT), "{landed}");
    let pairs = query_of(&landed);
    assert_eq!(q(&pairs, "state"), Some(state.as_str()));
    let code = q(&pairs, "code").unwrap().to_string();

    let (status, body) = te(
        &app,
        "/aas/oauth2/v3/te",
        &v3_code_params(&code, scope, &new_state(), &timestamp(0), own_sign),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let access = body["access_token"].as_str().unwrap();
    let sc = jwt_part(access, 1)["scope"].as_str().unwrap().to_string();
    assert!(sc.contains(&format!("org_shortname?org_oid={ORG}")), "{sc}");
    let resp = app
        .client
        .get(app.url(&format!("/rs/orgs/{ORG}")))
        .bearer_auth(access)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let org: serde_json::Value = resp.json().await.unwrap();
    assert!(org["shortName"].is_string(), "{org}");
}
