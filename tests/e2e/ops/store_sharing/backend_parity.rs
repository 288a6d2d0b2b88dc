//! Look-ups by login, e-mail, phone or SNILS answer the same on SQLite and PostgreSQL: the
//! input is normalised to the stored spelling (lower-case e-mail, `+7…` phone, SNILS digits),
//! whatever the backend's own idea of case or the caller's spelling. Runs on both backends.

use esia_testkit::spawn::TestApp;
use esia_testkit::spawn_app;
use serde_json::{json, Value};

use esia_testkit::login_form::login_status;

/// The oids the personas API lists for `?login=`.
async fn oids_for(app: &TestApp, login: &str) -> Vec<i64> {
    let resp = app
        .client
        .get(app.url("/emulator/api/personas"))
        .query(&[("login", login)])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200, "{login}");
    let body: Value = resp.json().await.unwrap();
    body["personas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["oid"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn the_personas_filter_finds_every_spelling_of_a_login() {
    let app = spawn_app().await;
    let rows: [(&str, i64); 9] = [
        ("EsiaTest001@yandex.ru", 1000000001),
        ("ESIATEST001@YANDEX.RU", 1000000001),
        ("esiatest001@yandex.ru", 1000000001),
        ("+7 (900) 000-00-01", 1000000001),
        ("89000000001", 1000000001),
        ("+79000000001", 1000000001),
        ("242-850-874 78", 1000000004),
        ("24285087478", 1000000004),
        ("EsiaTest004@", 1000000004),
    ];
    for (login, oid) in rows {
        assert_eq!(oids_for(&app, login).await, vec![oid], "{login}");
    }
    // A part of a login, in any case, finds all its owners.
    assert!(oids_for(&app, "ESIATEST00").await.len() >= 8);
    assert!(oids_for(&app, "YANDEX.RU").await.len() >= 8);
    // LIKE's wildcards are literal characters: `_` and `%` match only themselves.
    assert!(oids_for(&app, "esiatest00_").await.is_empty());
    assert!(oids_for(&app, "%").await.is_empty());
}

#[tokio::test]
async fn login_outbox_and_registration_ignore_the_case_of_an_e_mail() {
    let app = spawn_app().await;
    let base = app.address.as_str();
    for login in [
        "EsiaTest002@Yandex.RU",
        "ESIATEST002@YANDEX.RU",
        "8 (900) 000-00-02",
    ] {
        assert_eq!(login_status(base, login, "11111111").await, 303, "{login}");
    }
    let resp = app
        .post_form("/recovery", &[("login", "EsiaTest003@YANDEX.ru")])
        .await;
    assert_eq!(resp.status(), 200);
    for to in ["esiatest003@yandex.ru", "EsiaTest003@Yandex.RU"] {
        assert_eq!(app.outbox(to, "email").await.len(), 1, "outbox ?to={to}");
    }
    // Registration refuses an e-mail a persona owns in another case.
    let resp = app
        .post_form(
            "/registration",
            &[
                ("surname", "Петров"),
                ("name", "Пётр"),
                ("email", "ESIATEST005@Yandex.Ru"),
            ],
        )
        .await;
    assert_eq!(resp.status(), 422);
    assert!(resp.text().await.unwrap().contains("уже используется"));
}

#[tokio::test]
async fn an_imported_snapshot_stores_logins_in_the_spelling_look_ups_use() {
    let app = spawn_app().await;
    let doc = json!({
        "personas": [{
            "oid": 1000900001,
            "level": "standard",
            "surname": "Орлов",
            "name": "Олег",
            "phone": "8 (912) 000-11-22",
            "email": "Oleg.Orlov@Example.COM",
            "snils": "112-233-445 95",
            "password": "Secret12x"
        }]
    });
    let resp = app
        .client
        .post(app.url("/emulator/api/snapshot"))
        .json(&doc)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let base = app.address.as_str();
    for login in [
        "oleg.orlov@example.com",
        "OLEG.ORLOV@EXAMPLE.COM",
        "+79120001122",
        "11223344595",
        "112-233-445 95",
    ] {
        assert_eq!(login_status(base, login, "Secret12x").await, 303, "{login}");
        assert_eq!(oids_for(&app, login).await, vec![1000900001], "{login}");
    }
    // The export shows the stored spelling.
    let snap: Value = app
        .get("/emulator/api/snapshot")
        .await
        .json()
        .await
        .unwrap();
    let p = &snap["personas"][0];
    assert_eq!(p["email"], "oleg.orlov@example.com");
    assert_eq!(p["phone"], "+79120001122");
    assert_eq!(p["snils"], "11223344595");
    // A value that is no login is refused, naming the field.
    let bad = json!({"personas": [{"oid": 1000900002, "surname": "Х", "name": "Х", "email": "not-an-email"}]});
    let resp = app
        .client
        .post(app.url("/emulator/api/snapshot"))
        .json(&bad)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);
    assert!(resp.text().await.unwrap().contains("email"));
}
