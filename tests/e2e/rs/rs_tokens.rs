//! Bearer tokens on `/rs`: both signature algorithms, scheme spelling, tampering, wrong `iss` or
//! `sbt`, `nbf` in the future, the configurable status of ESIA-005029, `Accept` with a schema,
//! organisation-scoped tokens on `/rs/orgs/{org}`, and the OIDC userinfo facade.

use esia_crypto::jwt::JwtAlg;
use esia_testkit::persons::{claims, oid, rs, sign, token};
use serde_json::json;

const ORG: i64 = 1_000_000_901;

async fn get(app: &esia_testkit::TestApp, auth: &str, path: &str) -> (u16, serde_json::Value) {
    let resp = app
        .client
        .get(app.url(path))
        .header("Authorization", auth)
        .header(
            "Accept",
            "application/json; schema=\"https://esia-portal1.test.gosuslugi.ru/rs/model/prn/Person-3\"",
        )
        .send()
        .await
        .unwrap();
    (
        resp.status().as_u16(),
        resp.json().await.unwrap_or_default(),
    )
}

#[tokio::test]
async fn token_variants() {
    let app = esia_testkit::spawn_app().await;
    let o = oid(4);
    let path = format!("/rs/prns/{o}");
    let c = claims(&app, o, &["openid", "fullname"], 3600);
    let gost = app
        .core
        .keys
        .sign_jwt(JwtAlg::GOST3410_2012_256, 1, "access", &c)
        .unwrap();
    let (s, b) = get(&app, &format!("Bearer {gost}"), &path).await;
    assert_eq!((s, b["firstName"].is_string()), (200, true), "{b}");
    let rsa = sign(&app, &c);
    for scheme in ["bearer", "BEARER", "Bearer"] {
        let (s, _) = get(&app, &format!("{scheme} {rsa}"), &path).await;
        assert_eq!(s, 200, "{scheme}");
    }
    let (s, b) = get(&app, &format!("Basic {rsa}"), &path).await;
    assert_eq!((s, b["code"].as_str()), (401, Some("ESIA-005011")));
    let mut tampered = rsa.clone();
    tampered.push('A');
    let (s, _) = get(&app, &format!("Bearer {tampered}"), &path).await;
    assert_eq!(s, 401);
    let id_token = app.core.keys.sign_jwt(JwtAlg::RS256, 0, "id", &c).unwrap();
    let (s, _) = get(&app, &format!("Bearer {id_token}"), &path).await;
    assert_eq!(s, 401, "an id_token is not an access token");
    let mut wrong_iss = c.clone();
    wrong_iss["iss"] = json!("http://esia.gosuslugi.ru/");
    let (s, b) = rs(&app, &sign(&app, &wrong_iss), &path).await;
    assert_eq!((s, b["code"].as_str()), (401, Some("ESIA-005011")));
    let mut early = c.clone();
    early["nbf"] = json!(app.core.now().timestamp() + 600);
    let (s, _) = rs(&app, &sign(&app, &early), &path).await;
    assert_eq!(s, 401);
    // The clock decides expiry: one hour later the same token is expired.
    app.clock.advance(chrono::Duration::seconds(3601));
    let (s, b) = rs(&app, &rsa, &path).await;
    assert_eq!((s, b["code"].as_str()), (401, Some("ESIA-005013")));
}

#[tokio::test]
async fn scope_error_status_is_configurable_and_unknown_things_are_404() {
    let app = esia_testkit::spawn_app_with(|c| c.protocol.rest_scope_error_status = 401).await;
    let o = oid(4);
    let t = token(&app, o, &["openid", "fullname"]);
    let (s, b) = rs(&app, &t, &format!("/rs/prns/{o}/vhls")).await;
    assert_eq!(s, 401);
    assert_eq!(
        b,
        json!({"code":"ESIA-005029","message":"SecurityErrorEnum.scopeNotAllowed"})
    );
    let (s, b) = rs(&app, &t, &format!("/rs/prns/{o}/nothing")).await;
    assert_eq!((s, b["code"].as_str()), (404, Some("NOT_FOUND")));
    let t = token(&app, 1_099_999_999, &["openid", "fullname"]);
    let (s, _) = rs(&app, &t, "/rs/prns/1099999999").await;
    assert_eq!(s, 404);
}

fn org_claims(app: &esia_testkit::TestApp, sbj: Option<i64>, org: i64) -> serde_json::Value {
    let mut c = claims(app, sbj.unwrap_or(0), &[], 3600);
    c["scope"] = json!(format!(
        "http://esia.gosuslugi.ru/org_shortname?org_oid={org} http://esia.gosuslugi.ru/org_ogrn?org_oid={org}"
    ));
    if sbj.is_none() {
        c.as_object_mut().unwrap().remove("urn:esia:sbj_id");
    }
    c
}

#[tokio::test]
async fn organisation_scoped_tokens_read_their_organisation() {
    let app = esia_testkit::spawn_app().await;
    let path = format!("/rs/orgs/{ORG}");
    let (s, b) = rs(
        &app,
        &sign(&app, &org_claims(&app, Some(oid(9)), ORG)),
        &path,
    )
    .await;
    assert_eq!(s, 200, "{b}");
    assert!(b["shortName"].is_string() && b["ogrn"].is_string() && b.get("inn").is_none());
    // client_credentials style: no subject.
    let (s, _) = rs(&app, &sign(&app, &org_claims(&app, None, ORG)), &path).await;
    assert_eq!(s, 200);
    // A person outside the organisation.
    let (s, b) = rs(
        &app,
        &sign(&app, &org_claims(&app, Some(oid(4)), ORG)),
        &path,
    )
    .await;
    assert_eq!((s, b["code"].as_str()), (403, Some("ESIA-005029")));
    // A token for another organisation, and a person token without org scopes.
    let (s, _) = rs(&app, &sign(&app, &org_claims(&app, None, 1)), &path).await;
    assert_eq!(s, 403);
    let (s, _) = rs(&app, &token(&app, oid(9), &["openid", "usr_org"]), &path).await;
    assert_eq!(s, 403);
    let (s, _) = rs(
        &app,
        &sign(&app, &org_claims(&app, None, 42)),
        "/rs/orgs/42",
    )
    .await;
    assert_eq!(s, 404);
}

#[tokio::test]
async fn oidc_userinfo_maps_the_same_data_by_the_same_scopes() {
    let app = esia_testkit::spawn_app().await;
    let o = oid(6);
    let t = token(
        &app,
        o,
        &[
            "openid",
            "fullname",
            "birthdate",
            "gender",
            "email",
            "mobile",
        ],
    );
    let (s, u) = rs(&app, &t, "/emulator/oidc/userinfo").await;
    assert_eq!(s, 200, "{u}");
    let (_, p) = rs(
        &app,
        &token(&app, o, &["openid", "fullname", "birthdate", "gender"]),
        &format!("/rs/prns/{o}"),
    )
    .await;
    assert_eq!(u["sub"], o.to_string());
    assert_eq!(u["given_name"], p["firstName"]);
    assert_eq!(u["family_name"], p["lastName"]);
    assert_eq!(u["middle_name"], p["middleName"]);
    let ru = p["birthDate"].as_str().unwrap();
    assert_eq!(
        u["birthdate"].as_str().unwrap(),
        format!("{}-{}-{}", &ru[6..], &ru[3..5], &ru[..2])
    );
    assert_eq!(
        u["gender"],
        if p["gender"] == "M" { "male" } else { "female" }
    );
    assert_eq!(u["email"], "esiatest006@yandex.ru");
    assert_eq!(u["email_verified"], true);
    assert_eq!(u["phone_number"], "+79000000006");
    assert_eq!(u["phone_number_verified"], true);
    let (_, u) = rs(
        &app,
        &token(&app, o, &["openid"]),
        "/emulator/oidc/userinfo",
    )
    .await;
    assert_eq!(u, json!({"sub": o.to_string()}));
    let (s, _) = rs(&app, "garbage", "/emulator/oidc/userinfo").await;
    assert_eq!(s, 401);
    let conf: serde_json::Value = app
        .get("/.well-known/openid-configuration")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        conf["userinfo_endpoint"],
        app.url("/emulator/oidc/userinfo")
    );
}
