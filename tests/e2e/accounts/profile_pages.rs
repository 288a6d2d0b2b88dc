//! The cabinet's person-data pages over real HTTP: sections, add/edit/delete of items, the
//! contact change confirmed by a code, verification reset on edits, and account deletion.

use esia_testkit::persons::{oid, rs, token, ALL_SCOPES};
use esia_testkit::spawn::{location, TestApp};

pub(super) async fn login(app: &TestApp, n: i64) {
    let login = format!("EsiaTest{n:03}@yandex.ru");
    let resp = app
        .post_form(
            "/login",
            &[("login", login.as_str()), ("password", "11111111")],
        )
        .await;
    assert_eq!(resp.status(), 303, "login {login}");
}

pub(super) async fn page(app: &TestApp, path: &str) -> String {
    let resp = app.get(path).await;
    assert_eq!(resp.status(), 200, "{path}");
    resp.text().await.unwrap()
}

#[tokio::test]
async fn cabinet_shows_every_section_with_test_ids() {
    let app = esia_testkit::spawn_app().await;
    login(&app, 7).await;
    let html = page(&app, "/profile").await;
    for id in [
        "profile-title",
        "profile-full-name",
        "profile-level",
        "profile-oid",
        "profile-contacts",
        "profile-logout",
        "profile-personal",
        "profile-personal-link",
        "profile-snils",
        "profile-passport",
        "profile-documents",
        "profile-addresses",
        "profile-kids",
        "profile-vehicles",
        "profile-organizations",
        "profile-delete-account",
        "profile-kid-row",
    ] {
        assert!(html.contains(&format!("data-testid=\"{id}\"")), "{id}");
    }
    assert!(html.contains("href=\"/profile/personal-data\""));
    assert!(html.contains("Свидетельство о рождении"));
    assert_eq!(html.matches("data-testid=\"profile-kid-row\"").count(), 2);
}

#[tokio::test]
async fn addresses_are_added_edited_and_deleted() {
    let app = esia_testkit::spawn_app().await;
    login(&app, 4).await;
    let form = page(&app, "/profile/addresses/new").await;
    assert!(form.contains("data-testid=\"item-form\"") && form.contains("name=\"csrf\""));
    let resp = app
        .post_form(
            "/profile/addresses/new",
            &[("addr_type", "PLV"), ("city", "Казань")],
        )
        .await;
    assert_eq!(resp.status(), 422);
    let html = resp.text().await.unwrap();
    assert!(html.contains("data-testid=\"item-street-error\""), "{html}");
    let fields = [
        ("addr_type", "PLV"),
        ("region", "Республика Татарстан"),
        ("city", "Казань"),
        ("street", "ул Баумана"),
        ("house", "7"),
        ("flat", "12"),
        ("zip_code", "420111"),
    ];
    let resp = app.post_form("/profile/addresses/new", &fields).await;
    assert_eq!(location(&resp), "/profile?saved=1");
    let t = token(&app, oid(4), ALL_SCOPES);
    let (_, addrs) = rs(
        &app,
        &t,
        &format!("/rs/prns/{}/addrs?embed=(elements)", oid(4)),
    )
    .await;
    let plv = addrs["elements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["type"] == "PLV")
        .cloned()
        .unwrap();
    assert_eq!(plv["city"], "Казань");
    assert_eq!(plv["zipCode"], "420111");
    let html = page(&app, "/profile").await;
    let marker = "/profile/addresses/";
    let edit = html
        .match_indices(marker)
        .map(|(i, _)| &html[i..])
        .find(|s| s.contains("/edit") && !s.starts_with("/profile/addresses/new"))
        .map(|s| s[..s.find('"').unwrap()].to_string())
        .unwrap();
    let mut changed = fields.to_vec();
    changed[5] = ("flat", "13");
    let resp = app.post_form(&edit, &changed).await;
    assert_eq!(location(&resp), "/profile?saved=1");
    assert!(page(&app, "/profile").await.contains("кв. 13"));
    let delete = edit.replace("/edit", "/delete");
    let count = |h: &str| h.matches("data-testid=\"profile-address-row\"").count();
    let before = count(&page(&app, "/profile").await);
    assert_eq!(
        location(&app.post_form(&delete, &[]).await),
        "/profile?saved=1"
    );
    assert_eq!(count(&page(&app, "/profile").await), before - 1);
}

#[tokio::test]
async fn editing_a_verified_document_resets_its_verification() {
    let app = esia_testkit::spawn_app().await;
    login(&app, 7).await;
    let t = token(&app, oid(7), ALL_SCOPES);
    let (_, kids) = rs(
        &app,
        &t,
        &format!(
            "/rs/prns/{}/kids?embed=(elements.documents.elements)",
            oid(7)
        ),
    )
    .await;
    let cert = &kids["elements"][0]["documents"]["elements"][0];
    assert_eq!(cert["vrfStu"], "VERIFIED");
    let html = page(&app, "/profile").await;
    let edit = html
        .match_indices("/profile/kids/")
        .map(|(i, _)| html[i..i + html[i..].find('"').unwrap()].to_string())
        .find(|s| s.ends_with("/edit"))
        .unwrap();
    let form = page(&app, &edit).await;
    assert!(form.contains("IV-МЮ"));
    let resp = app
        .post_form(
            &edit,
            &[
                ("surname", kids["elements"][0]["lastName"].as_str().unwrap()),
                ("name", "Пётр"),
                (
                    "birth_date",
                    kids["elements"][0]["birthDate"].as_str().unwrap(),
                ),
                ("gender", "M"),
                ("cert_series", "IV-МЮ"),
                ("cert_number", "123456"),
            ],
        )
        .await;
    assert_eq!(location(&resp), "/profile?saved=1");
    let (_, kids) = rs(
        &app,
        &t,
        &format!(
            "/rs/prns/{}/kids?embed=(elements.documents.elements)",
            oid(7)
        ),
    )
    .await;
    let kid = kids["elements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["firstName"] == "Пётр")
        .unwrap();
    assert_eq!(kid["documents"]["elements"][0]["vrfStu"], "NOT_VERIFIED");
    assert_eq!(kid["documents"]["elements"][0]["number"], "123456");
}

#[tokio::test]
async fn a_new_phone_replaces_the_old_one_only_after_its_code() {
    let app = esia_testkit::spawn_app().await;
    login(&app, 4).await;
    assert!(page(&app, "/profile/contacts")
        .await
        .contains("data-testid=\"contacts-mbt-new\""));
    let resp = app
        .post_form(
            "/profile/contacts/mbt/change",
            &[("value", "+7 900 000-04-44")],
        )
        .await;
    assert_eq!(resp.status(), 200);
    assert!(resp
        .text()
        .await
        .unwrap()
        .contains("data-testid=\"contacts-mbt-pending\""));
    let t = token(&app, oid(4), &["openid", "mobile"]);
    let (_, ctts) = rs(
        &app,
        &t,
        &format!("/rs/prns/{}/ctts?embed=(elements)", oid(4)),
    )
    .await;
    let mbt = &ctts["elements"][0];
    assert_eq!(mbt["value"], "+7(900)0000004");
    assert_eq!(mbt["verifyingValue"], "+7(900)0000444");
    assert_eq!(mbt["vrfValStu"], "VERIFYING");
    let resp = app
        .post_form("/profile/contacts/mbt/confirm", &[("code", "000000x")])
        .await;
    assert_eq!(resp.status(), 422);
    assert!(resp.text().await.unwrap().contains("Неверный код"));
    let code = app.last_sms_code("+79000000444").await;
    let resp = app
        .post_form("/profile/contacts/mbt/confirm", &[("code", code.as_str())])
        .await;
    assert_eq!(location(&resp), "/profile?saved=1");
    let (_, ctts) = rs(
        &app,
        &t,
        &format!("/rs/prns/{}/ctts?embed=(elements)", oid(4)),
    )
    .await;
    assert_eq!(ctts["elements"][0]["value"], "+7(900)0000444");
    assert!(ctts["elements"][0].get("vrfValStu").is_none());
    // A phone of another account is refused.
    let resp = app
        .post_form("/profile/contacts/mbt/change", &[("value", "+79000000005")])
        .await;
    assert_eq!(resp.status(), 422);
}

#[tokio::test]
async fn a_deleted_account_cannot_log_in_and_rs_says_deleted() {
    let app = esia_testkit::spawn_app().await;
    login(&app, 16).await;
    let resp = app.post_form("/profile/delete", &[]).await;
    assert_eq!(resp.status(), 422);
    let resp = app.post_form("/profile/delete", &[("confirm", "1")]).await;
    assert_eq!(resp.status(), 200);
    assert!(resp
        .text()
        .await
        .unwrap()
        .contains("Учётная запись удалена"));
    assert_eq!(
        location(&app.get("/profile").await),
        "/login?return_to=/profile"
    );
    let resp = app
        .post_form(
            "/login",
            &[("login", "EsiaTest016@yandex.ru"), ("password", "11111111")],
        )
        .await;
    assert_ne!(resp.status(), 303);
    let t = token(&app, oid(16), &["openid", "fullname"]);
    let (s, body) = rs(&app, &t, &format!("/rs/prns/{}", oid(16))).await;
    assert_eq!((s, body["status"].as_str()), (200, Some("DELETED")));
}
