//! The personas API over real HTTP: create at every level with partial data (the rest generated
//! and valid), log in with the returned login and password, the protocol flow and `/rs` with the
//! given data. Changes to personas and bad input are in `api_personas_changes.rs`, which shares
//! the helpers here.

use esia_domain::{Inn, PassportRf, Snils};
use esia_testkit::persons;
use esia_testkit::protocol::*;
use esia_testkit::spawn::extract_csrf;
use esia_testkit::TestApp;
use serde_json::{json, Value};

pub(super) async fn send(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    body: Option<&str>,
) -> (u16, Value) {
    let mut req = app.client.request(method, app.url(path));
    if let Some(b) = body {
        req = req
            .header("content-type", "application/json")
            .body(b.to_string());
    }
    let resp = req.send().await.expect("request");
    let status = resp.status().as_u16();
    let text = resp.text().await.expect("body");
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

pub(super) async fn create(app: &TestApp, spec: Value) -> Value {
    let (s, body) = send(
        app,
        reqwest::Method::POST,
        "/emulator/api/personas",
        Some(&spec.to_string()),
    )
    .await;
    assert_eq!(s, 201, "{body}");
    body
}

/// Logs in on the login page with a fresh browser; returns the HTTP status (303 = signed in).
pub(super) async fn login(app: &TestApp, login: &str, password: &str) -> u16 {
    let client = app.new_client();
    let page = client
        .get(app.url("/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = extract_csrf(&page).unwrap();
    let resp = client
        .post(app.url("/login"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("login", login),
            ("password", password),
        ])
        .send()
        .await
        .unwrap();
    resp.status().as_u16()
}

#[tokio::test]
async fn create_at_each_level_with_partial_data_generates_valid_rest() {
    let app = esia_testkit::spawn_app().await;
    let simple = create(
        &app,
        json!({"level": "simplified", "surname": "Простова", "gender": "F"}),
    )
    .await;
    assert_eq!(simple["level"], "simplified");
    assert_eq!(simple["status"], "REGISTERED");
    assert_eq!(simple["data"]["surname"], "Простова");
    assert!(simple["data"].get("snils").is_none() && simple["data"].get("passport").is_none());
    assert!(simple["logins"]["phone"]
        .as_str()
        .unwrap()
        .starts_with("+79"));
    assert!(simple["logins"]["email"].as_str().unwrap().contains('@'));
    let pw = simple["password"]
        .as_str()
        .expect("generated password shown");
    assert!(pw.len() >= 12);
    assert!(simple["data"].get("password_hash").is_none());

    let std = create(&app, json!({"level": "standard", "name": "Пётр"})).await;
    assert_eq!(std["data"]["name"], "Пётр");
    let d = &std["data"];
    Snils::parse(d["snils"].as_str().unwrap()).expect("valid SNILS");
    assert_eq!(std["logins"]["snils"], d["snils"]);
    let p = &d["passport"];
    PassportRf::parse(
        p["series"].as_str().unwrap(),
        p["number"].as_str().unwrap(),
        p["issue_date"].as_str().unwrap(),
        p["issued_by"].as_str().unwrap(),
        p["issue_id"].as_str().unwrap(),
        None,
        chrono::Utc::now().date_naive(),
    )
    .expect("valid passport");
    assert!(d["birth_date"].is_string() && d["birth_place"].is_string());
    assert_eq!(d["citizenship"], "RUS");

    let conf = create(
        &app,
        json!({"level": "confirmed", "snils": "112-233-445 95", "with_inn": true,
               "kids": [{}, {"name": "Маша", "gender": "F"}], "vehicles": [{}],
               "documents": [{"type": "RF_DRIVING_LICENSE"}], "addresses": [{}, {"city": "Казань"}],
               "organizations": [{"chief": true}]}),
    )
    .await;
    let d = &conf["data"];
    assert_eq!(conf["level"], "confirmed");
    assert_eq!(d["snils"], "11223344595");
    Inn::parse_person(d["inn"].as_str().unwrap()).expect("valid INN");
    assert_eq!(d["kids"].as_array().unwrap().len(), 2);
    assert_eq!(d["kids"][1]["name"], "Маша");
    assert_eq!(d["kids"][0]["documents"][0]["type"], "RF_BRTH_CERT");
    Snils::parse(d["kids"][0]["snils"].as_str().unwrap()).expect("kid SNILS");
    assert_eq!(d["vehicles"].as_array().unwrap().len(), 1);
    assert_eq!(d["documents"][0]["type"], "RF_DRIVING_LICENSE");
    assert_eq!(d["addresses"][0]["type"], "PRG");
    assert_eq!(d["addresses"][1]["city"], "Казань");
    assert_eq!(d["organizations"][0]["chief"], true);
    esia_domain::Ogrn::parse(d["organizations"][0]["ogrn"].as_str().unwrap()).expect("OGRN");

    // GET shows the same data and never the password.
    let oid = conf["oid"].as_i64().unwrap();
    let (s, got) = send(
        &app,
        reqwest::Method::GET,
        &format!("/emulator/api/personas/{oid}"),
        None,
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(got["data"], conf["data"]);
    assert!(got.get("password").is_none());
}

#[tokio::test]
async fn created_personas_log_in_with_the_returned_logins_and_password() {
    let app = esia_testkit::spawn_app().await;
    let p = create(&app, json!({"level": "standard"})).await;
    let pw = p["password"].as_str().unwrap();
    for l in ["phone", "email", "snils"] {
        let login_value = p["logins"][l].as_str().unwrap();
        assert_eq!(login(&app, login_value, pw).await, 303, "login by {l}");
    }
    assert_ne!(
        login(&app, p["logins"]["phone"].as_str().unwrap(), "wrong-Pass1").await,
        303
    );
    let given = create(
        &app,
        json!({"level": "simplified", "password": "Given-pass-1", "no_email": true}),
    )
    .await;
    assert_eq!(given["password"], "Given-pass-1");
    assert!(given["logins"]["email"].is_null());
    // A SNILS whose digits also read as a phone (8…) still logs in by those digits.
    let phone_like = create(
        &app,
        json!({"level": "standard", "password": "Given-pass-1", "snils": "80000000173"}),
    )
    .await;
    assert_eq!(phone_like["logins"]["snils"], "80000000173");
    assert_eq!(login(&app, "80000000173", "Given-pass-1").await, 303);
    assert_eq!(
        login(
            &app,
            given["logins"]["phone"].as_str().unwrap(),
            "Given-pass-1"
        )
        .await,
        303
    );
}

#[tokio::test]
async fn protocol_flow_and_rs_show_the_given_data() {
    let app = esia_testkit::spawn_app().await;
    let p = create(
        &app,
        json!({"level": "confirmed", "surname": "Персонов", "name": "Тест", "gender": "M",
               "birth_date": "1990-05-17", "snils": "112-233-445 95", "password": "11111111",
               "phone": "+7 900 555-12-34"}),
    )
    .await;
    let oid = p["oid"].as_i64().unwrap();
    let client = app.new_client();
    let scope = "openid fullname birthdate snils mobile";
    let params = v2_ac_params(scope, &new_state(), &timestamp(0), &[], own_sign);
    let first = ac(&app, &client, "/aas/oauth2/v2/ac", &params).await;
    let callback = browse_to_callback(&app, &client, first, "+79005551234").await;
    let code = q(&query_of(&callback), "code").expect("code").to_string();
    let params = v3_code_params(&code, scope, &new_state(), &timestamp(0), own_sign);
    let (status, body) = te(&app, "/aas/oauth2/v3/te", &params).await;
    assert_eq!(status, 200, "{body}");
    let access = body["access_token"].as_str().unwrap();
    assert_eq!(jwt_part(access, 1)["urn:esia:sbj_id"].as_i64(), Some(oid));
    let (s, r) = persons::rs(&app, access, &format!("/rs/prns/{oid}")).await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["lastName"], "Персонов");
    assert_eq!(r["firstName"], "Тест");
    assert_eq!(r["birthDate"], "17.05.1990");
    assert_eq!(r["snils"], "112-233-445 95");
    assert_eq!(r["trusted"], true);
}
