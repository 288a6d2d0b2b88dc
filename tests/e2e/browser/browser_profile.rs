//! In real headless Chromium: log in as a catalogue persona, add a vehicle and a document
//! through the cabinet's edit forms (seeing a field error first), change the mobile phone with
//! the SMS code, then delete the account. Gated by ESIA_TEST_BROWSER=1.

use esia_testkit::browser::log_in;
use esia_testkit::browser::{tid, Browser};
use esia_testkit::{require_browser, spawn_app};

#[tokio::test]
async fn cabinet_edit_pages_in_a_real_browser() {
    require_browser!("cabinet_edit_pages_in_a_real_browser");
    let app = spawn_app().await;
    let b = Browser::start().await.expect("browser");
    b.goto(&app.url("/login")).await.unwrap();
    log_in(&b, "EsiaTest004@yandex.ru", "11111111").await;
    b.wait_for(&tid("profile-vehicles")).await.unwrap();

    b.click_to_new_page(&tid("profile-vehicles-add"))
        .await
        .unwrap();
    b.wait_for(&tid("item-form")).await.unwrap();
    b.fill(&tid("item-name"), "Ласточка").await.unwrap();
    b.click_to_new_page(&tid("item-submit")).await.unwrap();
    assert_eq!(
        b.text(&tid("item-number_plate-error")).await.unwrap(),
        "Заполните поле"
    );
    b.fill(&tid("item-number_plate"), "а123вс77").await.unwrap();
    b.click_to_new_page(&tid("item-submit")).await.unwrap();
    b.wait_for(&tid("profile-notice")).await.unwrap();
    assert_eq!(
        b.text(&tid("profile-vehicle-detail")).await.unwrap(),
        "А123ВС77"
    );

    b.click_to_new_page(&tid("profile-documents-add"))
        .await
        .unwrap();
    b.wait_for(&tid("item-form")).await.unwrap();
    b.fill(&tid("item-number"), "1234567").await.unwrap();
    b.fill(&tid("item-issue_date"), "01.02.2020").await.unwrap();
    b.click_to_new_page(&tid("item-submit")).await.unwrap();
    b.wait_for(&tid("profile-notice")).await.unwrap();
    assert!(b.source().await.unwrap().contains("Заграничный паспорт"));

    b.click_to_new_page(&tid("profile-contacts-edit"))
        .await
        .unwrap();
    b.fill(&tid("contacts-mbt-new"), "+7 900 000-09-99")
        .await
        .unwrap();
    b.click_to_new_page(&tid("contacts-mbt-submit"))
        .await
        .unwrap();
    b.wait_for(&tid("contacts-mbt-code")).await.unwrap();
    let code = app.last_sms_code("+79000000999").await;
    b.fill(&tid("contacts-mbt-code"), &code).await.unwrap();
    b.click_to_new_page(&tid("contacts-mbt-confirm"))
        .await
        .unwrap();
    b.wait_for(&tid("profile-notice")).await.unwrap();
    assert!(b.source().await.unwrap().contains("+7 (900) 000-09-99"));
    let _ = b.screenshot(app.db.dir.path().join("cabinet.png")).await;

    b.click_to_new_page(&tid("profile-delete-account"))
        .await
        .unwrap();
    b.click(&tid("delete-confirm")).await.unwrap();
    b.click_to_new_page(&tid("delete-submit")).await.unwrap();
    assert_eq!(
        b.text(&tid("message-title")).await.unwrap(),
        "Учётная запись удалена"
    );
    b.close().await.unwrap();
}
