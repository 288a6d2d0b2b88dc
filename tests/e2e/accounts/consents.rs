//! «Согласия» in the cabinet: a system the person consented to is listed with what it may
//! read; withdrawing the consent cuts its access token (`/rs` 401) and its refresh token
//! (ESIA-007011) at once, another system's token keeps working, and the system's next `ac`
//! asks for consent again.

use esia_testkit::protocol::*;
use esia_testkit::spawn::{extract_csrf, location};
use esia_testkit::spawn_app;
use serde_json::Value;

const SCOPE: &str = "openid fullname";

fn refresh_params(token: &str) -> Vec<(String, String)> {
    let (state, ts) = (new_state(), timestamp(0));
    let msg = format!("{CLIENT}{SCOPE}{ts}{state}{REDIRECT}");
    [
        ("client_id", CLIENT),
        ("grant_type", "refresh_token"),
        ("client_certificate_hash", GOST_HASH),
        ("client_secret", &own_sign(&msg)),
        ("state", &state),
        ("redirect_uri", REDIRECT),
        ("scope", SCOPE),
        ("timestamp", &ts),
        ("token_type", "Bearer"),
        ("refresh_token", token),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

async fn rs_status(app: &esia_testkit::TestApp, token: &str) -> u16 {
    app.client
        .get(app.url("/rs/prns/1000000001"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn a_revoked_consent_cuts_the_system_off_and_is_asked_again() {
    let app = spawn_app().await;
    let browser = app.new_client();
    let params = v2_ac_params(SCOPE, &new_state(), &timestamp(0), &[], own_sign);
    let first = ac(&app, &browser, "/aas/oauth2/v2/ac", &params).await;
    let callback = browse_to_callback(&app, &browser, first, "EsiaTest001@yandex.ru").await;
    let code = q(&query_of(&callback), "code").unwrap().to_string();
    let (status, tokens) = te(
        &app,
        "/aas/oauth2/v3/te",
        &v3_code_params(&code, SCOPE, &new_state(), &timestamp(0), own_sign),
    )
    .await;
    assert_eq!(status, 200, "{tokens}");
    let access = tokens["access_token"].as_str().unwrap().to_string();
    let refresh = tokens["refresh_token"].as_str().unwrap().to_string();
    assert_eq!(rs_status(&app, &access).await, 200);

    let page = browser
        .get(app.url("/profile/consents"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("data-mnemonic=\"DEMO_IS\""), "{html}");
    assert!(html.contains("<li>ФИО</li>"), "{html}");
    let csrf = extract_csrf(&html).unwrap();

    // Without the page's CSRF token nothing is withdrawn.
    let forged = browser
        .post(app.url("/profile/consents/DEMO_IS/revoke"))
        .form(&[("csrf", "forged")])
        .send()
        .await
        .unwrap();
    assert_ne!(forged.status(), 303);
    assert_eq!(rs_status(&app, &access).await, 200);

    let resp = browser
        .post(app.url("/profile/consents/DEMO_IS/revoke"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    assert_eq!(location(&resp), "/profile/consents?revoked=1");
    let after = browser
        .get(app.url("/profile/consents?revoked=1"))
        .send()
        .await
        .unwrap();
    let html = after.text().await.unwrap();
    assert!(!html.contains("data-mnemonic=\"DEMO_IS\""), "{html}");
    assert!(html.contains("Согласие отозвано"), "{html}");

    assert_eq!(rs_status(&app, &access).await, 401);
    let (status, body): (u16, Value) =
        te(&app, "/aas/oauth2/v3/te", &refresh_params(&refresh)).await;
    assert_eq!(status, 400, "{body}");
    assert!(body["error_description"]
        .as_str()
        .unwrap()
        .starts_with("ESIA-007011"));

    // A second withdrawal finds nothing to withdraw.
    let again = browser
        .post(app.url("/profile/consents/DEMO_IS/revoke"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 404);

    // The next login of the system asks for consent again (the SSO session stands).
    let params = v2_ac_params(SCOPE, &new_state(), &timestamp(0), &[], own_sign);
    let resp = ac(&app, &browser, "/aas/oauth2/v2/ac", &params).await;
    let mut resp = resp;
    for _ in 0..4 {
        if resp.status() == 200 {
            break;
        }
        let to = location(&resp);
        let abs = if to.starts_with('/') {
            app.url(&to)
        } else {
            to
        };
        resp = browser.get(abs).send().await.unwrap();
    }
    let html = resp.text().await.unwrap();
    assert!(html.contains("id=\"grantAuthorization\""), "{html}");
}
