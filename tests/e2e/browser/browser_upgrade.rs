//! In real headless Chromium: simplified → standard (personal data, checks answered after the
//! clock moves) → confirmed by the Russian Post code; a failed SNILS check fixed through
//! «Исправить данные»; a new person registering a confirmed account through a bank and logging in
//! with the SMS password. Gated by ESIA_TEST_BROWSER=1.

use chrono::Duration;
use esia_testkit::browser::{fill_fields, log_in};
use esia_testkit::browser::{tid, Browser};
use esia_testkit::{require_browser, spawn_app, TestApp};

/// Logs in as the demo person with phone +79000000001 and opens «Персональные данные».
async fn open_personal_data(app: &TestApp, b: &Browser) {
    b.goto(&app.url("/login")).await.unwrap();
    log_in(b, "+79000000001", "11111111").await;
    b.wait_for(&tid("profile-level")).await.unwrap();
    b.goto(&app.url("/profile/personal-data")).await.unwrap();
}

async fn fill_personal_data(b: &Browser, snils: &str) {
    let fields = [
        ("surname", "Иванов"),
        ("name", "Иван"),
        ("patronymic", "Иванович"),
        ("birth-date", "01.01.1980"),
        ("birth-place", "г. Москва"),
        ("citizenship", "RUS"),
        ("snils", snils),
        ("doc-series", "4502"),
        ("doc-number", "573482"),
        ("doc-issue-date", "15.02.2010"),
        ("doc-issued-by", "ОВД Пресненского района"),
        ("doc-dept-code", "770-001"),
    ];
    fill_fields(b, "personal-data", &fields).await;
    b.click(&tid("personal-data-gender-m")).await.unwrap();
    b.click_to_new_page(&tid("personal-data-submit"))
        .await
        .unwrap();
    // Navigating away before the POST has answered can cancel it, and moving the clock before
    // the checks are queued would leave them due in the future: wait for the answer page.
    b.wait_for(&tid("personal-data-verifying")).await.unwrap();
}

/// Moves the clock past the check delay and reloads `path` until `needle` shows (bounded).
async fn reload_until(app: &TestApp, b: &Browser, path: &str, needle: &str) {
    app.clock.advance(Duration::seconds(10));
    for _ in 0..100 {
        b.goto(&app.url(path)).await.unwrap();
        if b.source().await.unwrap().contains(needle) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("`{needle}` never appeared on {path}");
}

#[tokio::test]
async fn simplified_to_standard_to_confirmed_by_post_code_in_a_browser() {
    require_browser!("simplified_to_standard_to_confirmed_by_post_code_in_a_browser");
    let app = spawn_app().await;
    let b = Browser::start().await.expect("browser");
    open_personal_data(&app, &b).await;
    fill_personal_data(&b, "112-233-445 95").await;
    let verifying = b.text(&tid("personal-data-verifying")).await.unwrap();
    assert!(verifying.contains("Личные данные проверяются"));
    reload_until(
        &app,
        &b,
        "/profile/personal-data",
        "Стандартная учётная запись",
    )
    .await;
    assert_eq!(
        b.text(&tid("check-snils-status")).await.unwrap(),
        "Проверка прошла успешно"
    );

    b.click_to_new_page(&tid("personal-data-confirm-link"))
        .await
        .unwrap();
    b.click_to_new_page(&tid("confirm-post-order"))
        .await
        .unwrap();
    b.wait_for(&tid("confirm-notice")).await.unwrap();
    app.clock.advance(Duration::seconds(10));
    let mut code = None;
    for _ in 0..100 {
        code = app
            .outbox("+79000000001", "letter")
            .await
            .first()
            .and_then(|m| m["code"].as_str().map(str::to_string));
        if code.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    b.fill(&tid("confirm-post-code"), &code.expect("letter"))
        .await
        .unwrap();
    b.click_to_new_page(&tid("confirm-post-submit"))
        .await
        .unwrap();
    // The page that ordered the letter already shows a notice: the level tells the answer apart.
    b.text_once_equal(&tid("confirm-level"), "Подтверждённая учётная запись")
        .await
        .unwrap();
    b.goto(&app.url("/profile")).await.unwrap();
    assert_eq!(
        b.text(&tid("profile-level")).await.unwrap(),
        "Подтверждённая учётная запись"
    );
    let _ = b.close().await;
}

#[tokio::test]
async fn a_failed_check_is_fixed_in_a_browser() {
    require_browser!("a_failed_check_is_fixed_in_a_browser");
    let app = spawn_app().await;
    let b = Browser::start().await.expect("browser");
    open_personal_data(&app, &b).await;
    fill_personal_data(&b, "111-222-404 70").await;
    reload_until(&app, &b, "/profile/personal-data", "personal-data-failed").await;
    let failed = b.text(&tid("personal-data-failed")).await.unwrap();
    assert!(
        failed.contains("Данные не прошли проверку: не найден"),
        "{failed}"
    );
    assert!(failed.contains("Проверка СНИЛС в Социальном фонде России"));
    b.click_to_new_page(&tid("personal-data-fix"))
        .await
        .unwrap();
    fill_personal_data(&b, "112-233-445 95").await;
    reload_until(
        &app,
        &b,
        "/profile/personal-data",
        "Стандартная учётная запись",
    )
    .await;
    let _ = b.close().await;
}

#[tokio::test]
async fn a_new_person_registers_a_confirmed_account_through_a_bank_in_a_browser() {
    require_browser!("a_new_person_registers_a_confirmed_account_through_a_bank_in_a_browser");
    let app = spawn_app().await;
    let b = Browser::start().await.expect("browser");
    b.goto(&app.url("/emulator/bank/pochta")).await.unwrap();
    b.click_to_new_page(&tid("bank-register-link"))
        .await
        .unwrap();
    b.wait_for(&tid("bank-reg-submit")).await.unwrap();
    let fields = [
        ("phone", "+7 955 000-77-88"),
        ("surname", "Почтова"),
        ("name", "Анна"),
        ("patronymic", "Сергеевна"),
        ("birth-date", "12.03.1985"),
        ("birth-place", "г. Тула"),
        ("citizenship", "RUS"),
        ("snils", "778-899-001 02"),
        ("doc-series", "7005"),
        ("doc-number", "123456"),
        ("doc-issue-date", "20.03.2005"),
        ("doc-issued-by", "ОВД Центрального района г. Тулы"),
        ("doc-dept-code", "710-001"),
    ];
    fill_fields(&b, "bank-reg", &fields).await;
    b.click(&tid("bank-reg-gender-f")).await.unwrap();
    b.click_to_new_page(&tid("bank-reg-submit")).await.unwrap();
    b.wait_for(&tid("bank-registered")).await.unwrap();
    let sms = app.outbox("+79550007788", "sms").await;
    let text = sms[0]["text"]
        .as_str()
        .expect("registration SMS")
        .to_string();
    let start = text.find("Временный пароль: ").expect("password") + "Временный пароль: ".len();
    let password = &text[start..text.find(". Смените").expect("end")];
    b.click_to_new_page(&tid("bank-registered-login"))
        .await
        .unwrap();
    log_in(&b, "+79550007788", password).await;
    b.wait_for(&tid("profile-level")).await.unwrap();
    assert_eq!(
        b.text(&tid("profile-level")).await.unwrap(),
        "Подтверждённая учётная запись"
    );
    let _ = b.close().await;
}
