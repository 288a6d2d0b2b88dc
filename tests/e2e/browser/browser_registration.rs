//! In real headless Chromium: register by phone (code read from the outbox API), set the
//! password, land in the cabinet, log out, and log in again through `#login`, `#password` and
//! `button.plain-button_wide` as existing ESIA login bots do. Gated by ESIA_TEST_BROWSER=1.

use esia_testkit::browser::log_in;
use esia_testkit::browser::{tid, Browser};
use esia_testkit::{require_browser, spawn_app};

#[tokio::test]
async fn register_by_phone_then_log_in_through_the_esia_dom() {
    require_browser!("register_by_phone_then_log_in_through_the_esia_dom");
    let app = spawn_app().await;
    let b = Browser::start().await.expect("browser");
    b.goto(&app.url("/registration")).await.unwrap();
    assert_eq!(
        b.text(&tid("registration-title")).await.unwrap(),
        "Регистрация"
    );
    b.fill(&tid("registration-surname"), "Браузеров")
        .await
        .unwrap();
    b.fill(&tid("registration-name"), "Хром").await.unwrap();
    b.fill(&tid("registration-phone"), "+7 (955) 123-45-67")
        .await
        .unwrap();
    b.click_to_new_page(&tid("registration-submit"))
        .await
        .unwrap();
    b.wait_for(&tid("code-input")).await.unwrap();
    assert!(b
        .text(&tid("code-sent-to"))
        .await
        .unwrap()
        .contains("+7 (955) 123-45-67"));

    let code = app.last_sms_code("+79551234567").await;
    b.fill(&tid("code-input"), &code).await.unwrap();
    b.click_to_new_page(&tid("code-submit")).await.unwrap();
    b.wait_for(&tid("password-input")).await.unwrap();
    // The generator fills both fields (JavaScript enhancement) with a password that passes.
    b.click(&tid("password-generate")).await.unwrap();
    let generated = b.value(&tid("password-input")).await.unwrap();
    assert_eq!(generated, b.value(&tid("password-repeat")).await.unwrap());
    b.click_to_new_page(&tid("password-submit")).await.unwrap();
    b.wait_for(&tid("profile-level")).await.unwrap();
    assert_eq!(
        b.text(&tid("profile-level")).await.unwrap(),
        "Упрощённая учётная запись"
    );
    assert_eq!(
        b.text(&tid("profile-full-name")).await.unwrap(),
        "Браузеров Хром"
    );
    let _ = b.screenshot(app.db.dir.path().join("profile.png")).await;

    b.click_to_new_page(&tid("profile-logout")).await.unwrap();
    b.wait_for("#login").await.unwrap();
    log_in(&b, "89551234567", "wrong-password").await;
    assert_eq!(
        b.text(&tid("login-error")).await.unwrap(),
        "Неверный логин или пароль"
    );
    log_in(&b, "89551234567", &generated).await;
    b.wait_for(&tid("profile-full-name")).await.unwrap();
    assert!(b.current_url().await.unwrap().ends_with("/profile"));
    b.close().await.unwrap();
}
