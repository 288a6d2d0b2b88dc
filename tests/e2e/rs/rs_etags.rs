//! eTags follow the data (esia-protocol §7.1): a contact changed in the cabinet gives the person,
//! the contacts collection and the contact new eTags (even within one instant of the test
//! clock); `isCfmCodeExpired` accompanies a pending change and turns true when its code
//! expires; and the cached person read sees changes made by another process at once.

use esia_testkit::persons::{claims, oid, sign};
use esia_testkit::spawn::TestApp;
use serde_json::Value;

async fn login(app: &TestApp, n: i64) {
    let login = format!("EsiaTest{n:03}@yandex.ru");
    let resp = app
        .post_form(
            "/login",
            &[("login", login.as_str()), ("password", "11111111")],
        )
        .await;
    assert_eq!(resp.status(), 303, "login {login}");
}

async fn get(app: &TestApp, token: &str, path: &str) -> Value {
    let resp = app
        .client
        .get(app.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200, "{path}");
    resp.json().await.unwrap()
}

/// (person eTag, contacts collection eTag, MBT contact object, `/ctts` eTag).
async fn tags(app: &TestApp, token: &str) -> (String, String, Value, String) {
    let o = oid(4);
    let p = get(
        app,
        token,
        &format!("/rs/prns/{o}?embed=(contacts.elements)"),
    )
    .await;
    let c = get(app, token, &format!("/rs/prns/{o}/ctts")).await;
    let mbt = p["contacts"]["elements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["type"] == "MBT")
        .cloned()
        .unwrap();
    let s = |v: &Value| v.as_str().unwrap().to_string();
    (s(&p["eTag"]), s(&p["contacts"]["eTag"]), mbt, s(&c["eTag"]))
}

#[tokio::test]
async fn a_contact_edited_in_the_cabinet_changes_every_etag() {
    let app = esia_testkit::spawn_app().await;
    login(&app, 4).await;
    let t = sign(
        &app,
        &claims(&app, oid(4), &["openid", "fullname", "contacts"], 86_400),
    );
    let before = tags(&app, &t).await;
    assert_eq!(
        before,
        tags(&app, &t).await,
        "eTags are stable while nothing changes"
    );
    assert!(before.2.get("isCfmCodeExpired").is_none());

    let resp = app
        .post_form(
            "/profile/contacts/mbt/change",
            &[("value", "+7 900 000-04-44")],
        )
        .await;
    assert_eq!(resp.status(), 200);
    let pending = tags(&app, &t).await;
    assert_ne!(pending.0, before.0, "person eTag");
    assert_ne!(pending.1, before.1, "embedded contacts eTag");
    assert_ne!(pending.2["eTag"], before.2["eTag"], "contact eTag");
    assert_ne!(pending.3, before.3, "/ctts eTag");
    assert_eq!(pending.2["vrfValStu"], "VERIFYING");
    assert_eq!(pending.2["isCfmCodeExpired"], false, "the code is fresh");

    let code = app.last_sms_code("+79000000444").await;
    let resp = app
        .post_form("/profile/contacts/mbt/confirm", &[("code", code.as_str())])
        .await;
    assert_eq!(resp.status(), 303);
    let confirmed = tags(&app, &t).await;
    assert_ne!(confirmed.0, pending.0);
    assert_ne!(confirmed.1, pending.1);
    assert_ne!(confirmed.2["eTag"], pending.2["eTag"]);
    assert_eq!(confirmed.2["value"], "+7(900)0000444");
    assert!(confirmed.2.get("isCfmCodeExpired").is_none());

    // Another change whose code runs out: isCfmCodeExpired turns true with the clock.
    app.clock.advance(chrono::Duration::minutes(3)); // past the resend cooldown
    let resp = app
        .post_form(
            "/profile/contacts/mbt/change",
            &[("value", "+7 900 000-04-55")],
        )
        .await;
    assert_eq!(resp.status(), 200);
    assert_eq!(tags(&app, &t).await.2["isCfmCodeExpired"], false);
    app.clock.advance(chrono::Duration::hours(2));
    assert_eq!(tags(&app, &t).await.2["isCfmCodeExpired"], true);
}

#[tokio::test]
async fn the_cached_person_read_sees_changes_made_elsewhere() {
    let app = esia_testkit::spawn_app().await;
    let o = oid(4);
    let t = sign(&app, &claims(&app, o, &["openid", "fullname"], 3600));
    let path = format!("/rs/prns/{o}?embed=(contacts.elements)");
    let first = get(&app, &t, &path).await;
    assert_eq!(first, get(&app, &t, &path).await);
    // Another replica (here: the store directly, bypassing this process) renames the person.
    let mut conn = app.core.conn().unwrap();
    let mut row = esia_store::persons::find_person_by_oid(&mut conn, o)
        .unwrap()
        .unwrap();
    row.name = "Переименован".into();
    esia_store::person_data::update_personal_data(&mut conn, &row).unwrap();
    drop(conn);
    let after = get(&app, &t, &path).await;
    assert_eq!(after["firstName"], "Переименован");
    assert_ne!(after["eTag"], first["eTag"]);
}
