//! The v2/v3 protocol flow end to end with secrets signed by our own GOST code (always runs):
//! ac → login → consent → code → v3/te tokens exactly as §5, refresh rotation, code replay
//! (ESIA-007011 and revocation), remembered consent, SSO across two clients, logout.

use esia_testkit::protocol::*;
use esia_testkit::spawn::location;
use esia_testkit::spawn_app;

async fn code_flow(
    app: &esia_testkit::TestApp,
    client: &reqwest::Client,
    scope: &str,
) -> (String, String) {
    let state = new_state();
    let params = v2_ac_params(scope, &state, &timestamp(0), &[], own_sign);
    let first = ac(app, client, "/aas/oauth2/v2/ac", &params).await;
    let callback = browse_to_callback(app, client, first, "EsiaTest001@yandex.ru").await;
    let qp = query_of(&callback);
    assert_eq!(q(&qp, "state"), Some(state.as_str()), "{callback}");
    (q(&qp, "code").expect("code").to_string(), state)
}

#[tokio::test]
async fn v2_ac_redirects_to_the_absolute_login_page() {
    let app = spawn_app().await;
    let params = v2_ac_params(
        "openid fullname",
        &new_state(),
        &timestamp(0),
        &[],
        own_sign,
    );
    let resp = ac(&app, &app.client, "/aas/oauth2/v2/ac", &params).await;
    assert_eq!(resp.status(), 302);
    let to = location(&resp);
    assert!(
        to.starts_with(&format!("{}/login?return_to=", app.address)),
        "{to}"
    );
}

#[tokio::test]
async fn v2_v3_flow_issues_esia_tokens_rotates_refresh_and_revokes_on_replay() {
    let app = spawn_app().await;
    let client = app.new_client();
    let scope = "openid fullname birthdate";
    let (code, _) = code_flow(&app, &client, scope).await;
    let te_state = new_state();
    let params = v3_code_params(&code, scope, &te_state, &timestamp(0), own_sign);
    let (status, body) = te(&app, "/aas/oauth2/v3/te", &params).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["state"], te_state.as_str());
    assert_eq!(body["token_type"], "Bearer");
    assert!(body["expires_in"].is_number());
    let refresh = body["refresh_token"].as_str().expect("refresh").to_string();
    assert!(uuid::Uuid::parse_str(&refresh).is_ok());
    let access = body["access_token"].as_str().unwrap();
    let id = body["id_token"].as_str().unwrap();
    assert_eq!(
        jwt_part(access, 0),
        serde_json::json!({"ver":1,"typ":"JWT","sbt":"access","alg":"RS256"})
    );
    assert_eq!(
        jwt_part(id, 0),
        serde_json::json!({"ver":0,"typ":"JWT","sbt":"id","alg":"RS256"})
    );
    let a = jwt_part(access, 1);
    let i = jwt_part(id, 1);
    assert_eq!(a["urn:esia:sbj_id"], 1000000001);
    assert_eq!(a["client_id"], CLIENT);
    assert_eq!(a["iss"], "http://esia-portal1.test.gosuslugi.ru/");
    assert_eq!(
        a["exp"].as_i64().unwrap() - a["iat"].as_i64().unwrap(),
        3600
    );
    assert_eq!(a["nbf"], a["iat"]);
    let sc = a["scope"].as_str().unwrap();
    assert!(
        sc.contains("fullname?oid=1000000001") && sc.contains("openid") && !sc.contains("openid?")
    );
    assert!(a.get("aud").is_none());
    assert_eq!(i["sub"], 1000000001);
    assert_eq!(i["aud"], CLIENT);
    assert_eq!(i["amr"], "PWD");
    assert_eq!(i["urn:esia:amd"], "PWD");
    assert_eq!(
        i["exp"].as_i64().unwrap() - i["iat"].as_i64().unwrap(),
        10800
    );
    assert_eq!(i["urn:esia:sid"], a["urn:esia:sid"]);
    assert!(i["auth_time"].is_number());
    let sbj = &i["urn:esia:sbj"];
    assert_eq!(sbj["urn:esia:sbj:typ"], "P");
    assert_eq!(sbj["urn:esia:sbj:oid"], 1000000001);
    assert_eq!(sbj["urn:esia:sbj:nam"], "OID.1000000001");
    assert!(
        sbj.get("urn:esia:sbj:is_tru").is_none(),
        "simplified account"
    );
    verify_rs256(&app, access).await;
    verify_rs256(&app, id).await;

    // Refresh (ILM4 string): a new refresh token each time, the old one revoked.
    let rstate = new_state();
    let ts = timestamp(0);
    let msg = format!("{CLIENT}{scope}{ts}{rstate}{REDIRECT}");
    let refresh_params = |token: &str, state: &str, secret: String| -> Vec<(String, String)> {
        vec![
            ("client_id".into(), CLIENT.into()),
            ("grant_type".into(), "refresh_token".into()),
            ("client_certificate_hash".into(), GOST_HASH.into()),
            ("client_secret".into(), secret),
            ("state".into(), state.into()),
            ("redirect_uri".into(), REDIRECT.into()),
            ("scope".into(), scope.into()),
            ("timestamp".into(), ts.clone()),
            ("token_type".into(), "Bearer".into()),
            ("refresh_token".into(), token.into()),
        ]
    };
    let (status, r1) = te(
        &app,
        "/aas/oauth2/v3/te",
        &refresh_params(&refresh, &rstate, own_sign(&msg)),
    )
    .await;
    assert_eq!(status, 200, "{r1}");
    let refresh2 = r1["refresh_token"].as_str().unwrap().to_string();
    assert_ne!(refresh2, refresh);
    assert_eq!(r1["state"], rstate.as_str());
    let (status, old) = te(
        &app,
        "/aas/oauth2/v3/te",
        &refresh_params(&refresh, &rstate, own_sign(&msg)),
    )
    .await;
    assert_eq!(status, 400);
    assert!(old["error_description"]
        .as_str()
        .unwrap()
        .starts_with("ESIA-007011"));

    // Before the replay the first access token reads the person.
    let first_access = body["access_token"].as_str().unwrap().to_string();
    let rs = |token: String| {
        let url = app.url("/rs/prns/1000000001");
        let client = app.client.clone();
        async move {
            client
                .get(url)
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    assert_eq!(rs(first_access.clone()).await, 200);

    // Replaying the code: 007011, and the tokens issued from that code are revoked.
    let (status, replay) = te(&app, "/aas/oauth2/v3/te", &params).await;
    assert_eq!(status, 400);
    assert_eq!(replay["error"], "invalid_grant");
    assert_eq!(replay["state"], te_state.as_str());
    let (status, after) = te(
        &app,
        "/aas/oauth2/v3/te",
        &refresh_params(&refresh2, &rstate, own_sign(&msg)),
    )
    .await;
    assert_eq!(status, 400, "{after}");
    assert_eq!(
        rs(first_access).await,
        401,
        "the access token from the replayed code is revoked"
    );
}

#[tokio::test]
async fn consent_is_remembered_and_refusal_sends_access_denied() {
    let app = spawn_app().await;
    let client = app.new_client();
    code_flow(&app, &client, "openid fullname").await;
    // Same scopes again: straight to the callback (SSO + remembered consent).
    let state = new_state();
    let params = v2_ac_params("openid fullname", &state, &timestamp(0), &[], own_sign);
    let resp = ac(&app, &client, "/aas/oauth2/v2/ac", &params).await;
    assert_eq!(resp.status(), 302);
    assert!(location(&resp).starts_with(REDIRECT));
    // New scope: consent page; refuse.
    let params = v2_ac_params("openid snils", &state, &timestamp(0), &[], own_sign);
    let resp = ac(&app, &client, "/aas/oauth2/v2/ac", &params).await;
    assert_eq!(resp.status(), 200);
    let html = resp.text().await.unwrap();
    assert!(
        html.contains("Система „Демо-система эмулятора“ запрашивает доступ к следующим данным:")
    );
    assert!(html.contains("СНИЛС"), "{html}");
    let csrf = esia_testkit::spawn::extract_csrf(&html).unwrap();
    let request = between(&html, "name=\"request\" value=\"", "\"");
    let resp = client
        .post(app.url("/aas/oauth2/consent"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("request", &request),
            ("decision", "deny"),
        ])
        .send()
        .await
        .unwrap();
    let qp = query_of(&location(&resp));
    assert_eq!(q(&qp, "error"), Some("access_denied"));
    assert!(q(&qp, "error_description")
        .unwrap()
        .starts_with("ESIA-007004"));
    assert_eq!(q(&qp, "state"), Some(state.as_str()));
}

#[tokio::test]
async fn sso_second_client_skips_password_and_shares_sid_then_logout_ends_it() {
    let app = spawn_app().await;
    let resp = app
        .client
        .post(app.url("/emulator/api/clients"))
        .json(&serde_json::json!({
            "mnemonic": "SECOND_IS", "name": "Вторая система",
            "redirect_uris": ["http://localhost"], "certificates": [GOST_CERT]
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201);
    let browser = app.new_client();
    let (code1, _) = code_flow(&app, &browser, "openid").await;
    let (s, t1) = te(
        &app,
        "/aas/oauth2/v3/te",
        &v3_code_params(&code1, "openid", &new_state(), &timestamp(0), own_sign),
    )
    .await;
    assert_eq!(s, 200);
    // Second client in the same browser: no login page, a consent page or the callback.
    let state = new_state();
    let ts = timestamp(0);
    let msg = format!("SECOND_ISopenid{ts}{state}{REDIRECT}");
    let mut params = v2_ac_params("openid", &state, &ts, &[], own_sign);
    params.retain(|(k, _)| k != "client_id" && k != "client_secret");
    params.push(("client_id".into(), "SECOND_IS".into()));
    params.push(("client_secret".into(), own_sign(&msg)));
    let first = ac(&app, &browser, "/aas/oauth2/v2/ac", &params).await;
    assert!(
        !location(&first).contains("/login"),
        "SSO must skip the password"
    );
    let callback = browse_to_callback(&app, &browser, first, "nobody").await;
    let code2 = q(&query_of(&callback), "code").unwrap().to_string();
    let st2 = new_state();
    let msg = format!("SECOND_ISopenid{ts}{st2}{REDIRECT}{code2}");
    let mut p2 = v3_code_params(&code2, "openid", &st2, &ts, own_sign);
    p2.retain(|(k, _)| k != "client_id" && k != "client_secret");
    p2.push(("client_id".into(), "SECOND_IS".into()));
    p2.push(("client_secret".into(), own_sign(&msg)));
    let (s, t2) = te(&app, "/aas/oauth2/v3/te", &p2).await;
    assert_eq!(s, 200, "{t2}");
    let (i1, i2) = (
        jwt_part(t1["id_token"].as_str().unwrap(), 1),
        jwt_part(t2["id_token"].as_str().unwrap(), 1),
    );
    assert_eq!(i1["urn:esia:sid"], i2["urn:esia:sid"]);
    assert_eq!(i1["auth_time"], i2["auth_time"]);
    assert_eq!(i2["aud"], "SECOND_IS");

    // Logout: redirect only to a registered URL; the session is gone afterwards.
    let resp = browser
        .get(app.url("/idp/ext/Logout"))
        .query(&[("client_id", CLIENT), ("redirect_url", "http://evil.test/")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200, "unregistered redirect_url gives a page");
    let resp = browser
        .get(app.url("/idp/ext/Logout"))
        .query(&[
            ("client_id", CLIENT),
            ("redirect_url", "http://localhost:8000/bye"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 302);
    assert_eq!(location(&resp), "http://localhost:8000/bye");
    let params = v2_ac_params("openid", &new_state(), &timestamp(0), &[], own_sign);
    let resp = ac(&app, &browser, "/aas/oauth2/v2/ac", &params).await;
    assert!(location(&resp).contains("/login?return_to="), "logged out");
}
