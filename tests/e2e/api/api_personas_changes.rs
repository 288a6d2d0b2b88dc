//! The personas API changing what exists, over real HTTP: patch (level, block, delete flag),
//! hard delete, idempotent apply, list filters, and bad input answered with clear 4xx JSON.

use super::api_personas::{create, login, send};
use esia_domain::Snils;
use serde_json::json;

#[tokio::test]
async fn patch_changes_level_block_and_delete_flag() {
    let app = esia_testkit::spawn_app().await;
    let p = create(
        &app,
        json!({"level": "simplified", "password": "Pass-word-1"}),
    )
    .await;
    let oid = p["oid"].as_i64().unwrap();
    let phone = p["logins"]["phone"].as_str().unwrap().to_string();
    let path = format!("/emulator/api/personas/{oid}");
    let (s, v) = send(
        &app,
        reqwest::Method::PATCH,
        &path,
        Some(r#"{"level":"standard"}"#),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["level"], "standard");
    Snils::parse(v["data"]["snils"].as_str().unwrap()).expect("SNILS generated on upgrade");
    assert_eq!(v["logins"]["phone"], phone.as_str(), "logins kept");
    assert_eq!(
        login(&app, &phone, "Pass-word-1").await,
        303,
        "password kept"
    );

    let (s, v) = send(
        &app,
        reqwest::Method::PATCH,
        &path,
        Some(r#"{"blocked":true}"#),
    )
    .await;
    assert_eq!((s, v["blocked"].clone()), (200, json!(true)));
    assert_ne!(
        login(&app, &phone, "Pass-word-1").await,
        303,
        "blocked cannot log in"
    );
    send(
        &app,
        reqwest::Method::PATCH,
        &path,
        Some(r#"{"blocked":false}"#),
    )
    .await;
    assert_eq!(login(&app, &phone, "Pass-word-1").await, 303);

    let (s, v) = send(
        &app,
        reqwest::Method::PATCH,
        &path,
        Some(r#"{"deleted":true}"#),
    )
    .await;
    assert_eq!((s, v["status"].clone()), (200, json!("DELETED")));
    assert_ne!(
        login(&app, &phone, "Pass-word-1").await,
        303,
        "deleted cannot log in"
    );

    let (s, v) = send(
        &app,
        reqwest::Method::PATCH,
        &path,
        Some(r#"{"deleted":false,"password":"New-pass-2","surname":"Новикова"}"#),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["data"]["surname"], "Новикова");
    assert_eq!(v["password"], "New-pass-2");
    assert_eq!(login(&app, &phone, "New-pass-2").await, 303);
}

#[tokio::test]
async fn delete_removes_the_persona_and_its_data() {
    let app = esia_testkit::spawn_app().await;
    let p = create(
        &app,
        json!({"kids": [{}], "vehicles": [{}], "password": "Pass-word-1"}),
    )
    .await;
    let oid = p["oid"].as_i64().unwrap();
    let phone = p["logins"]["phone"].as_str().unwrap().to_string();
    assert_eq!(
        login(&app, &phone, "Pass-word-1").await,
        303,
        "a session to cascade"
    );
    let path = format!("/emulator/api/personas/{oid}");
    let (s, _) = send(&app, reqwest::Method::DELETE, &path, None).await;
    assert_eq!(s, 204);
    let (s, body) = send(&app, reqwest::Method::GET, &path, None).await;
    assert_eq!(
        (s, body["error"].clone()),
        (404, json!("persona_not_found"))
    );
    let (s, _) = send(&app, reqwest::Method::DELETE, &path, None).await;
    assert_eq!(s, 404);
    assert_ne!(login(&app, &phone, "Pass-word-1").await, 303);
    // The phone is free again.
    create(&app, json!({"phone": phone})).await;
}

#[tokio::test]
async fn applying_twice_gives_one_persona_and_lists_filter() {
    let app = esia_testkit::spawn_app().await;
    let spec = json!({"oid": 1234567890, "level": "standard", "email": "twice@example.com"});
    let first = create(&app, spec.clone()).await;
    let (s, second) = send(
        &app,
        reqwest::Method::POST,
        "/emulator/api/personas",
        Some(&spec.to_string()),
    )
    .await;
    assert_eq!(s, 200, "{second}");
    assert_eq!(second["oid"], 1234567890);
    assert_eq!(
        second["data"], first["data"],
        "re-applying keeps generated data"
    );
    assert!(second.get("password").is_none() || second["password"].is_string());
    let (s, page) = send(
        &app,
        reqwest::Method::GET,
        "/emulator/api/personas?login=twice@example",
        None,
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(page["personas"].as_array().unwrap().len(), 1);
    assert_eq!(page["personas"][0]["oid"], 1234567890);

    create(&app, json!({"level": "confirmed"})).await;
    let (_, page) = send(
        &app,
        reqwest::Method::GET,
        "/emulator/api/personas?level=confirmed&limit=1000",
        None,
    )
    .await;
    let all = page["personas"].as_array().unwrap();
    assert!(!all.is_empty() && all.iter().all(|p| p["level"] == "confirmed"));
    let (_, page) = send(
        &app,
        reqwest::Method::GET,
        "/emulator/api/personas?limit=2&offset=1",
        None,
    )
    .await;
    assert_eq!(page["personas"].as_array().unwrap().len(), 2);
    let (s, body) = send(
        &app,
        reqwest::Method::GET,
        "/emulator/api/personas?limit=0",
        None,
    )
    .await;
    assert_eq!((s, body["error"].clone()), (422, json!("invalid_field")));
    let (s, _) = send(
        &app,
        reqwest::Method::GET,
        "/emulator/api/personas?level=gold",
        None,
    )
    .await;
    assert_eq!(s, 400);
}

#[tokio::test]
async fn bad_input_is_a_clear_4xx() {
    let app = esia_testkit::spawn_app().await;
    let post = |b: &'static str| {
        let app = &app;
        async move {
            send(
                app,
                reqwest::Method::POST,
                "/emulator/api/personas",
                Some(b),
            )
            .await
        }
    };
    let (s, b) = post(r#"{"surname":"Иванов","nickname":"x"}"#).await;
    assert_eq!(
        (s, b["error"].clone()),
        (400, json!("bad_json")),
        "unknown field"
    );
    assert!(b["message"].as_str().unwrap().contains("nickname"));
    let (s, b) = post(r#"{"level":5}"#).await;
    assert_eq!(
        (s, b["error"].clone()),
        (400, json!("bad_json")),
        "wrong type"
    );
    let (s, b) = post("not json").await;
    assert_eq!(s, 400, "{b}");
    let (s, b) = post(r#"{"snils":"112-233-445 96"}"#).await;
    assert_eq!((s, b["error"].clone()), (422, json!("invalid_field")));
    assert_eq!(b["fields"][0]["field"], "snils");
    let (s, b) = post(r#"{"passport":{"series":"12"},"kids":[{"birth_date":"2001-01-01"}]}"#).await;
    assert_eq!(s, 422, "{b}");
    let fields: Vec<&str> = b["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert!(
        fields.contains(&"passport.series") && fields.contains(&"kids.birth_date"),
        "{fields:?}"
    );
    let (s, b) = post(r#"{"no_phone":true,"no_email":true}"#).await;
    assert_eq!((s, b["error"].clone()), (422, json!("invalid_field")));

    // Unknown oids.
    for m in [reqwest::Method::GET, reqwest::Method::DELETE] {
        let (s, b) = send(&app, m, "/emulator/api/personas/1999999999", None).await;
        assert_eq!((s, b["error"].clone()), (404, json!("persona_not_found")));
    }
    let (s, _) = send(
        &app,
        reqwest::Method::PATCH,
        "/emulator/api/personas/1999999999",
        Some("{}"),
    )
    .await;
    assert_eq!(s, 404);
    let (s, _) = send(
        &app,
        reqwest::Method::GET,
        "/emulator/api/personas/abc",
        None,
    )
    .await;
    assert_eq!(s, 404);

    // Duplicate logins: another persona's phone, SNILS or e-mail.
    let a = create(
        &app,
        json!({"phone": "+79007770001", "snils": "112-233-445 95"}),
    )
    .await;
    let (s, b) = post(r#"{"oid":1500000001,"phone":"+79007770001"}"#).await;
    assert_eq!((s, b["error"].clone()), (409, json!("login_taken")), "{b}");
    let (s, b) = post(r#"{"oid":1500000002,"snils":"11223344595"}"#).await;
    assert_eq!((s, b["error"].clone()), (409, json!("login_taken")), "{b}");
    let other = create(&app, json!({})).await;
    let body = json!({"email": a["logins"]["email"]}).to_string();
    let (s, b) = send(
        &app,
        reqwest::Method::PATCH,
        &format!("/emulator/api/personas/{}", other["oid"]),
        Some(&body),
    )
    .await;
    assert_eq!((s, b["error"].clone()), (409, json!("login_taken")), "{b}");
    let (s, b) = send(
        &app,
        reqwest::Method::PATCH,
        &format!("/emulator/api/personas/{}", other["oid"]),
        Some(r#"{"colour":"red"}"#),
    )
    .await;
    assert_eq!((s, b["error"].clone()), (400, json!("bad_json")));
}
