//! Simplified registration over real HTTP: by phone and by e-mail, every validation and code
//! failure, on SQLite or (with TEST_DATABASE_URL) PostgreSQL.

use esia_testkit::spawn::location;
use esia_testkit::spawn_app;

const PHONE: &str = "+79123456789";

async fn start_phone_registration(app: &esia_testkit::TestApp) {
    let resp = app
        .post_form(
            "/registration",
            &[
                ("surname", "Тестов"),
                ("name", "Тест"),
                ("patronymic", ""),
                ("phone", "8 (912) 345-67-89"),
                ("email", ""),
            ],
        )
        .await;
    assert_eq!(resp.status(), 303);
    assert_eq!(location(&resp), "/registration/code");
}

#[tokio::test]
async fn registration_by_phone_leads_to_a_simplified_profile() {
    let app = spawn_app().await;
    start_phone_registration(&app).await;
    let page = app.get("/registration/code").await.text().await.unwrap();
    assert!(
        page.contains("Код отправлен на +7 (912) 345-67-89"),
        "{page}"
    );

    let code = app.last_sms_code(PHONE).await;
    assert_eq!(code.len(), 6);
    let resp = app
        .post_form("/registration/code", &[("code", &code)])
        .await;
    assert_eq!(location(&resp), "/registration/password");

    let resp = app
        .post_form(
            "/registration/password",
            &[("password", "short"), ("repeat", "other")],
        )
        .await;
    assert_eq!(resp.status(), 422);
    let page = resp.text().await.unwrap();
    assert!(page.contains("не менее 8 символов"), "{page}");
    assert!(page.contains("Пароли не совпадают"));

    let resp = app
        .post_form(
            "/registration/password",
            &[("password", "Secret123"), ("repeat", "Secret123")],
        )
        .await;
    assert_eq!(resp.status(), 303);
    assert_eq!(location(&resp), "/profile?registered=1");
    let profile = app.get("/profile?registered=1").await.text().await.unwrap();
    assert!(profile.contains("Тестов Тест"), "{profile}");
    assert!(profile.contains("Упрощённая учётная запись"));
    assert!(profile.contains("+7 (912) 345-67-89"));
    assert!(profile.contains("подтверждён"));
    assert!(profile.contains("Регистрация завершена"));

    // The same phone cannot register twice.
    let again = app.new_client();
    let html = again
        .get(app.url("/registration"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = esia_testkit::spawn::extract_csrf(&html).unwrap();
    let resp = again
        .post(app.url("/registration"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("surname", "Другой"),
            ("name", "Человек"),
            ("phone", "+7 912 345 67 89"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);
    assert!(resp.text().await.unwrap().contains("уже используется"));
}

#[tokio::test]
async fn registration_by_email_uses_a_one_time_link_delivered_by_the_worker() {
    let app = spawn_app().await;
    let resp = app
        .post_form(
            "/registration",
            &[
                ("surname", "Smith"),
                ("name", "John"),
                ("phone", ""),
                ("email", "John.Smith@Example.com"),
            ],
        )
        .await;
    assert_eq!(location(&resp), "/registration/email-sent");
    let page = app
        .get("/registration/email-sent")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("john.smith@example.com"));

    let mails = app.outbox("john.smith@example.com", "email").await;
    let link = mails[0]["link"].as_str().unwrap().to_string();
    assert!(link.starts_with(&app.address), "{link}");
    // The worker delivers it (file transport by default) and marks the outbox row.
    let mut delivered = false;
    for _ in 0..50 {
        if app.outbox("john.smith@example.com", "email").await[0]["delivered_at"].is_string() {
            delivered = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(delivered, "the worker should deliver the e-mail");

    let other_browser = app.new_client();
    let resp = other_browser.get(&link).send().await.unwrap();
    assert_eq!(location(&resp), "/registration/password");
    let page = other_browser
        .get(app.url("/registration/password"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = esia_testkit::spawn::extract_csrf(&page).unwrap();
    let resp = other_browser
        .post(app.url("/registration/password"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("password", "Secret123"),
            ("repeat", "Secret123"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&resp), "/profile?registered=1");
    // The link is single-use once the account exists.
    assert_eq!(other_browser.get(&link).send().await.unwrap().status(), 410);
}

#[tokio::test]
async fn form_validation_names_each_problem_under_its_field() {
    let app = spawn_app().await;
    let resp = app
        .post_form(
            "/registration",
            &[
                ("surname", "Ivanovич"),
                ("name", ""),
                ("phone", "12345"),
                ("email", "not-an-email"),
            ],
        )
        .await;
    assert_eq!(resp.status(), 422);
    let page = resp.text().await.unwrap();
    for id in [
        "registration-surname-error",
        "registration-name-error",
        "registration-phone-error",
        "registration-email-error",
    ] {
        assert!(page.contains(id), "missing {id}");
    }
    assert!(page.contains("value=\"Ivanovич\""), "typed values are kept");

    let resp = app
        .post_form("/registration", &[("surname", "Петров"), ("name", "Пётр")])
        .await;
    assert_eq!(resp.status(), 422);
    assert!(resp
        .text()
        .await
        .unwrap()
        .contains("Укажите мобильный телефон или электронную почту"));

    // A demo persona owns this e-mail.
    let resp = app
        .post_form(
            "/registration",
            &[
                ("surname", "Петров"),
                ("name", "Пётр"),
                ("email", "EsiaTest001@yandex.ru"),
            ],
        )
        .await;
    assert_eq!(resp.status(), 422);
    assert!(resp.text().await.unwrap().contains("уже используется"));
}

#[tokio::test]
async fn wrong_codes_are_limited_then_confirmation_is_blocked() {
    let app = spawn_app().await;
    start_phone_registration(&app).await;
    let code = app.last_sms_code(PHONE).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let resp = app
        .post_form("/registration/code", &[("code", wrong)])
        .await;
    assert_eq!(resp.status(), 422);
    assert!(resp
        .text()
        .await
        .unwrap()
        .contains("Неверный код. Осталось попыток: 2"));
    let resp = app
        .post_form("/registration/code", &[("code", wrong)])
        .await;
    assert!(resp.text().await.unwrap().contains("Осталось попыток: 1"));
    let resp = app
        .post_form("/registration/code", &[("code", wrong)])
        .await;
    assert_eq!(resp.status(), 429);
    // Even the right code is refused while blocked.
    let resp = app
        .post_form("/registration/code", &[("code", &code)])
        .await;
    assert_eq!(resp.status(), 429);
    // After the block, a new code can be requested and works.
    app.clock.advance(chrono::Duration::seconds(601));
    let resp = app.post_form("/registration/code/resend", &[]).await;
    assert_eq!(resp.status(), 200);
    let fresh = app.last_sms_code(PHONE).await;
    let resp = app
        .post_form("/registration/code", &[("code", &fresh)])
        .await;
    assert_eq!(location(&resp), "/registration/password");
}

#[tokio::test]
async fn resend_waits_for_the_cooldown_and_codes_expire() {
    let app = spawn_app().await;
    start_phone_registration(&app).await;
    let first = app.last_sms_code(PHONE).await;
    let page = app.get("/registration/code").await.text().await.unwrap();
    assert!(page.contains("code-resend-wait"), "cooldown shown");
    let resp = app.post_form("/registration/code/resend", &[]).await;
    assert_eq!(resp.status(), 429);
    assert!(resp.text().await.unwrap().contains("через"));

    app.clock.advance(chrono::Duration::seconds(301));
    let resp = app
        .post_form("/registration/code", &[("code", &first)])
        .await;
    assert_eq!(resp.status(), 410);
    assert!(resp
        .text()
        .await
        .unwrap()
        .contains("Срок действия кода истёк"));

    let resp = app.post_form("/registration/code/resend", &[]).await;
    assert_eq!(resp.status(), 200);
    assert_eq!(app.outbox(PHONE, "sms").await.len(), 2);
}

#[tokio::test]
async fn forms_without_the_csrf_token_are_refused() {
    let app = spawn_app().await;
    let resp = app
        .client
        .post(app.url("/registration"))
        .form(&[
            ("surname", "Тестов"),
            ("name", "Тест"),
            ("phone", "+79123456789"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);
    assert!(app.outbox(PHONE, "sms").await.is_empty());
}
