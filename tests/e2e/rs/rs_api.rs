//! `/rs` over real HTTP: person and collections for the catalogue personas, absolute element
//! URLs, embeds, scope filtering and ESIA's error bodies.

use esia_testkit::persons;
use esia_testkit::persons::{oid, rs, token, ALL_SCOPES};
use serde_json::json;

#[tokio::test]
async fn person_with_embedded_contacts_and_documents() {
    let app = esia_testkit::spawn_app().await;
    let o = oid(6);
    let t = token(&app, o, ALL_SCOPES);
    let (status, body) = rs(
        &app,
        &t,
        &format!("/rs/prns/{o}?embed=(contacts.elements-1,documents.elements-1)"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["stateFacts"], json!(["EntityRoot"]));
    assert_eq!(body["trusted"], true);
    assert_eq!(body["status"], "REGISTERED");
    assert_eq!(body["contacts"]["stateFacts"], json!(["hasSize"]));
    let docs = body["documents"]["elements"].as_array().unwrap();
    let passport = docs.iter().find(|d| d["type"] == "RF_PASSPORT").unwrap();
    assert_eq!(passport["id"], body["rIdDoc"]);
    assert_eq!(passport["vrfStu"], "VERIFIED");
    let snils = body["snils"].as_str().unwrap();
    assert!(esia_domain::Snils::parse(snils).is_ok(), "{snils}");
    let phone = body["contacts"]["elements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["type"] == "MBT")
        .unwrap();
    assert_eq!(phone["value"], "+7(900)0000006");
    assert_eq!(body["eTag"].as_str().unwrap().len(), 40);
}

#[tokio::test]
async fn collections_link_absolute_urls_on_the_public_base() {
    let app = esia_testkit::spawn_app_with(|c| {
        c.server.public_base_url = "https://esia.example.test".into()
    })
    .await;
    let o = oid(7);
    let t = token(&app, o, ALL_SCOPES);
    for coll in ["ctts", "addrs", "docs", "kids"] {
        let (status, body) = rs(&app, &t, &format!("/rs/prns/{o}/{coll}")).await;
        assert_eq!(status, 200, "{coll}: {body}");
        let elements = body["elements"].as_array().unwrap();
        assert_eq!(body["size"], elements.len());
        for e in elements {
            let url = e.as_str().unwrap();
            let prefix = format!("https://esia.example.test/rs/prns/{o}/{coll}/");
            assert!(url.starts_with(&prefix), "{url}");
            let path = url.trim_start_matches("https://esia.example.test");
            let (s, el) = rs(&app, &t, path).await;
            assert_eq!(s, 200, "{path}");
            assert!(el["stateFacts"].is_array());
        }
    }
}

#[tokio::test]
async fn error_bodies_and_statuses() {
    let app = esia_testkit::spawn_app().await;
    let o = oid(4);
    let path = format!("/rs/prns/{o}");
    let resp = app.client.get(app.url(&path)).send().await.unwrap();
    assert_eq!(resp.status(), 401);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(
        body,
        json!({"code":"ESIA-005011","message":"SecurityErrorEnum.invalidToken"})
    );

    let (s, b) = rs(&app, "not.a.jwt", &path).await;
    assert_eq!((s, b["code"].as_str()), (401, Some("ESIA-005011")));

    let expired = persons::sign(
        &app,
        &persons::claims(&app, o, &["openid", "fullname"], -10),
    );
    let (s, b) = rs(&app, &expired, &path).await;
    assert_eq!(s, 401);
    assert_eq!(
        b,
        json!({"code":"ESIA-005013","message":"SecurityErrorEnum.expiredToken"})
    );

    let t = token(&app, o, &["openid", "fullname"]);
    let (s, b) = rs(&app, &t, &format!("{path}/ctts")).await;
    assert_eq!(s, 403);
    assert_eq!(
        b,
        json!({"code":"ESIA-005029","message":"SecurityErrorEnum.scopeNotAllowed"})
    );

    let (s, b) = rs(&app, &t, &format!("/rs/prns/{}", oid(5))).await;
    assert_eq!((s, b["code"].as_str()), (403, Some("ESIA-005029")));

    let t = token(&app, o, ALL_SCOPES);
    let (s, _) = rs(&app, &t, &format!("{path}/docs/999")).await;
    assert_eq!(s, 404);
}
