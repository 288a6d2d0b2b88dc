//! Interoperability with stock OpenSSL + the gost engine (gated on `ESIA_TEST_OPENSSL_GOST=1`;
//! a loud SKIPPED line otherwise): v2/v3 raw secrets from `openssl dgst -md_gost12_256 -sign`,
//! v1 CMS secrets from `openssl smime -sign` (GOST and RSA, with and without signed
//! attributes), the AIS refresh variant, and GOST tokens verified by `openssl dgst -verify`.

use esia_testkit::openssl::gate;
use esia_testkit::protocol::*;
use esia_testkit::spawn::location;
use esia_testkit::spawn_app;

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[tokio::test]
async fn v2_v3_with_openssl_secrets_and_gost_tokens_verified_by_openssl() {
    let Some(o) = gate("v2/v3 with OpenSSL raw GOST secrets") else {
        return;
    };
    let app = spawn_app().await;
    let resp = app
        .client
        .post(app.url("/emulator/api/clients"))
        .json(&serde_json::json!({
            "mnemonic": "GOST_IS", "name": "ГОСТ-система", "redirect_uris": ["http://localhost"],
            "token_alg": "GOST3410_2012_256", "certificates": [GOST_CERT]
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201);
    for (cid, alg) in [(CLIENT, "RS256"), ("GOST_IS", "GOST3410_2012_256")] {
        let browser = app.new_client();
        let (scope, state, ts) = ("openid fullname", new_state(), timestamp(0));
        let secret = o.sign_raw(&format!("{cid}{scope}{ts}{state}{REDIRECT}"));
        let mut p = v2_ac_params(scope, &state, &ts, &[], |_| secret.clone());
        p.retain(|(k, _)| k != "client_id");
        p.push(("client_id".into(), cid.into()));
        let first = ac(&app, &browser, "/aas/oauth2/v2/ac", &p).await;
        assert!(location(&first).contains("/login?"), "{}", location(&first));
        let cb = browse_to_callback(&app, &browser, first, "EsiaTest001@yandex.ru").await;
        let code = q(&query_of(&cb), "code").unwrap().to_string();
        let (st, ts) = (new_state(), timestamp(0));
        let secret = o.sign_raw(&format!("{cid}{scope}{ts}{st}{REDIRECT}{code}"));
        let mut tp = v3_code_params(&code, scope, &st, &ts, |_| secret.clone());
        tp.retain(|(k, _)| k != "client_id");
        tp.push(("client_id".into(), cid.into()));
        let (s, b) = te(&app, "/aas/oauth2/v3/te", &tp).await;
        assert_eq!(s, 200, "{b}");
        let (access, id) = (
            b["access_token"].as_str().unwrap(),
            b["id_token"].as_str().unwrap(),
        );
        assert_eq!(jwt_part(access, 0)["alg"], alg);
        if alg == "RS256" {
            verify_rs256(&app, access).await;
            verify_rs256(&app, id).await;
        } else {
            let pem = app.get("/public/esia-gost.pem").await.text().await.unwrap();
            o.verify_gost_jwt(access, &pem);
            o.verify_gost_jwt(id, &pem);
        }
        // Refresh, AIS variant: client_id+scope+timestamp+state+refresh_token, no hash/redirect.
        let refresh = b["refresh_token"].as_str().unwrap();
        let (st, ts) = (new_state(), timestamp(0));
        let secret = o.sign_raw(&format!("{cid}{scope}{ts}{st}{refresh}"));
        let rp = pairs(&[
            ("client_id", cid),
            ("client_secret", &secret),
            ("scope", scope),
            ("timestamp", &ts),
            ("state", &st),
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh),
        ]);
        let (s, r) = te(&app, "/aas/oauth2/v3/te", &rp).await;
        assert_eq!(s, 200, "{r}");
        assert_ne!(r["refresh_token"], b["refresh_token"]);
    }
}

#[tokio::test]
async fn v1_ac_and_te_accept_openssl_cms_from_gost_and_rsa_with_and_without_attributes() {
    let Some(o) = gate("v1 with OpenSSL CMS secrets") else {
        return;
    };
    let app = spawn_app().await;
    for (rsa, noattr) in [(false, true), (false, false), (true, true), (true, false)] {
        let browser = app.new_client();
        let (scope, state, ts) = ("openid fullname", new_state(), timestamp(0));
        let secret = o.sign_cms(&format!("{scope}{ts}{CLIENT}{state}"), rsa, noattr);
        let p = pairs(&[
            ("client_id", CLIENT),
            ("client_secret", &secret),
            ("redirect_uri", REDIRECT),
            ("scope", scope),
            ("response_type", "code"),
            ("state", &state),
            ("timestamp", &ts),
            ("access_type", "online"),
        ]);
        let first = ac(&app, &browser, "/aas/oauth2/ac", &p).await;
        assert!(
            location(&first).contains("/login?"),
            "rsa={rsa} noattr={noattr}: {}",
            location(&first)
        );
        let cb = browse_to_callback(&app, &browser, first, "EsiaTest001@yandex.ru").await;
        let code = q(&query_of(&cb), "code").unwrap().to_string();
        let (st, ts) = (new_state(), timestamp(0));
        let secret = o.sign_cms(&format!("{scope}{ts}{CLIENT}{st}"), rsa, noattr);
        let tp = pairs(&[
            ("client_id", CLIENT),
            ("code", &code),
            ("grant_type", "authorization_code"),
            ("client_secret", &secret),
            ("state", &st),
            ("redirect_uri", REDIRECT),
            ("scope", scope),
            ("timestamp", &ts),
            ("token_type", "Bearer"),
        ]);
        let (s, b) = te(&app, "/aas/oauth2/te", &tp).await;
        assert_eq!(s, 200, "rsa={rsa} noattr={noattr}: {b}");
        assert_eq!(b["state"], st.as_str());
        assert!(b.get("refresh_token").is_none(), "online access");
        verify_rs256(&app, b["access_token"].as_str().unwrap()).await;
    }
    // A CMS over the wrong string is ESIA-007053 on the redirect channel.
    let (state, ts) = (new_state(), timestamp(0));
    let secret = o.sign_cms("not the signing string", false, true);
    let p = pairs(&[
        ("client_id", CLIENT),
        ("client_secret", &secret),
        ("redirect_uri", REDIRECT),
        ("scope", "openid"),
        ("response_type", "code"),
        ("state", &state),
        ("timestamp", &ts),
    ]);
    let resp = ac(&app, &app.client, "/aas/oauth2/ac", &p).await;
    let qp = query_of(&location(&resp));
    assert_eq!(
        q(&qp, "error_description"),
        Some("ESIA-007053: OAuthErrorEnum.clientSecretWrong")
    );
}
