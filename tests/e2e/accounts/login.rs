//! Login, lockout, sessions, logout and password recovery over real HTTP.

use esia_testkit::spawn::location;
use esia_testkit::spawn_app;

#[tokio::test]
async fn every_login_spelling_works_and_profile_shows_the_person() {
    let app = spawn_app().await;
    for login in ["+7 (900) 000-00-01", "89000000001", "EsiaTest001@Yandex.ru"] {
        let client = app.new_client();
        let page = client
            .get(app.url("/login"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("id=\"login\"")
                && page.contains("id=\"password\"")
                && page.contains("plain-button_wide")
        );
        let csrf = esia_testkit::spawn::extract_csrf(&page).unwrap();
        let resp = client
            .post(app.url("/login"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("login", login),
                ("password", "11111111"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 303, "login {login}");
        let cookie = resp
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_string())
            .find(|c| c.starts_with("esia_session="))
            .unwrap();
        assert!(
            cookie.contains("HttpOnly")
                && cookie.contains("SameSite=Lax")
                && cookie.contains("Max-Age"),
            "{cookie}"
        );
        let profile = client
            .get(app.url("/profile"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(profile.contains("Иванов Иван Иванович"));
    }
}

#[tokio::test]
async fn foreign_computer_gets_a_browser_session_cookie() {
    let app = spawn_app().await;
    let resp = app
        .post_form(
            "/login",
            &[
                ("login", "+79000000002"),
                ("password", "11111111"),
                ("foreign_computer", "on"),
            ],
        )
        .await;
    assert_eq!(resp.status(), 303);
    let cookie = resp
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("esia_session="))
        .unwrap();
    assert!(
        !cookie.contains("Max-Age") && !cookie.contains("Expires"),
        "{cookie}"
    );
}

#[tokio::test]
async fn five_failures_block_the_login_for_five_minutes() {
    let app = spawn_app().await;
    for _ in 0..4 {
        let resp = app
            .post_form(
                "/login",
                &[("login", "+79000000001"), ("password", "wrong")],
            )
            .await;
        assert_eq!(resp.status(), 401);
        assert!(resp
            .text()
            .await
            .unwrap()
            .contains("Неверный логин или пароль"));
    }
    let resp = app
        .post_form("/login", &[("login", "89000000001"), ("password", "wrong")])
        .await;
    assert_eq!(resp.status(), 429);
    assert!(resp.headers().contains_key("retry-after"));
    // The right password is refused while blocked, under any spelling of the login.
    let resp = app
        .post_form(
            "/login",
            &[("login", "+7 900 000-00-01"), ("password", "11111111")],
        )
        .await;
    assert_eq!(resp.status(), 429);
    assert!(resp
        .text()
        .await
        .unwrap()
        .contains("Слишком много попыток. Повторите через 5 минут"));
    // Another login is not affected.
    let resp = app
        .post_form(
            "/login",
            &[("login", "+79000000002"), ("password", "11111111")],
        )
        .await;
    assert_eq!(resp.status(), 303);
    // The block lives in the database: a second core on the same database (another replica) sees it.
    let replica = esia_core::Core::open((*app.core.config).clone(), app.clock.clone()).unwrap();
    assert!(matches!(
        esia_core::login::login(&replica, "+79000000001", "11111111", false),
        Err(esia_core::CoreError::TooManyAttempts { .. })
    ));
    app.clock.advance(chrono::Duration::seconds(301));
    let resp = app
        .post_form(
            "/login",
            &[("login", "+79000000001"), ("password", "11111111")],
        )
        .await;
    assert_eq!(resp.status(), 303);
}

#[tokio::test]
async fn logout_ends_the_session() {
    let app = spawn_app().await;
    app.post_form(
        "/login",
        &[("login", "esiatest003@yandex.ru"), ("password", "11111111")],
    )
    .await;
    assert_eq!(app.get("/profile").await.status(), 200);
    let resp = app.post_form("/logout", &[]).await;
    assert_eq!(location(&resp), "/login");
    let resp = app.get("/profile").await;
    assert_eq!(resp.status(), 303);
    assert!(location(&resp).starts_with("/login"));
}

#[tokio::test]
async fn recovery_by_phone_code_sets_a_new_password() {
    let app = spawn_app().await;
    let resp = app
        .post_form("/recovery", &[("login", "+79000000002")])
        .await;
    assert_eq!(location(&resp), "/recovery/code");
    let code = app.last_sms_code("+79000000002").await;
    let resp = app.post_form("/recovery/code", &[("code", &code)]).await;
    let to = location(&resp);
    assert!(to.starts_with("/recovery/password/"), "{to}");
    let resp = app
        .post_form(&to, &[("password", "weakpass"), ("repeat", "weakpass")])
        .await;
    assert_eq!(resp.status(), 422);
    let resp = app
        .post_form(&to, &[("password", "NewSecret1"), ("repeat", "NewSecret1")])
        .await;
    assert_eq!(resp.status(), 200);
    let resp = app
        .post_form(
            "/login",
            &[("login", "+79000000002"), ("password", "11111111")],
        )
        .await;
    assert_eq!(resp.status(), 401);
    let resp = app
        .post_form(
            "/login",
            &[("login", "+79000000002"), ("password", "NewSecret1")],
        )
        .await;
    assert_eq!(resp.status(), 303);
    // The token was single-use.
    assert_eq!(app.get(&to).await.status(), 410);
}

#[tokio::test]
async fn recovery_by_email_link_and_unknown_accounts() {
    let app = spawn_app().await;
    let resp = app
        .post_form("/recovery", &[("login", "esiatest003@yandex.ru")])
        .await;
    assert_eq!(resp.status(), 200);
    let mails = app.outbox("esiatest003@yandex.ru", "email").await;
    let link = mails[0]["link"].as_str().unwrap().to_string();
    let path = link.trim_start_matches(&app.address).to_string();
    let resp = app
        .post_form(&path, &[("password", "Another1x"), ("repeat", "Another1x")])
        .await;
    assert_eq!(resp.status(), 200);
    let resp = app
        .post_form(
            "/login",
            &[
                ("login", "esiatest003@yandex.ru"),
                ("password", "Another1x"),
            ],
        )
        .await;
    assert_eq!(resp.status(), 303);

    let resp = app
        .post_form("/recovery", &[("login", "nobody@example.com")])
        .await;
    assert_eq!(resp.status(), 404);
    assert!(resp
        .text()
        .await
        .unwrap()
        .contains("Учётная запись не найдена"));
}

#[tokio::test]
async fn snils_logs_in_once_the_profile_has_one() {
    let app = spawn_app().await;
    let resp = app
        .post_form(
            "/login",
            &[("login", "112-233-445 95"), ("password", "11111111")],
        )
        .await;
    assert_eq!(resp.status(), 401, "no profile has this SNILS yet");
    {
        let mut conn = app.core.conn().unwrap();
        let person = esia_store::persons::find_person_by_oid(&mut conn, 1000000001)
            .unwrap()
            .unwrap();
        esia_store::persons::set_snils(&mut conn, &person.id, "11223344595", app.core.now_naive())
            .unwrap();
    }
    let resp = app
        .post_form(
            "/login",
            &[("login", "112-233-445 95"), ("password", "11111111")],
        )
        .await;
    assert_eq!(resp.status(), 303);
    let profile = app.get("/profile").await.text().await.unwrap();
    assert!(profile.contains("Иванов Иван Иванович"));
}

/// `return_to` values a browser would follow to another host, or that break the header.
const HOSTILE_RETURNS: &[&str] = &[
    "/\t/evil.example/",
    "/\n/evil.example/",
    "/\r\n/evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "/\\/evil.example/",
    "https://evil.example/",
    "http:evil.example",
    "javascript:alert(1)",
    " /evil.example",
    "/profile\r\nSet-Cookie: esia_session=attacker",
    "/profile\rX: y",
    "/\u{0}x",
    "profile",
];

#[tokio::test]
async fn after_login_only_same_origin_paths_are_followed() {
    let app = spawn_app().await;
    for hostile in HOSTILE_RETURNS {
        let client = app.new_client();
        let page_url =
            reqwest::Url::parse_with_params(&app.url("/login"), [("return_to", hostile)]).unwrap();
        let page = client.get(page_url).send().await.unwrap();
        assert_eq!(page.status(), 200, "login page with {hostile:?}");
        let csrf = esia_testkit::spawn::extract_csrf(&page.text().await.unwrap()).unwrap();
        let resp = client
            .post(app.url("/login"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("login", "+79000000001"),
                ("password", "11111111"),
                ("return_to", hostile),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 303, "{hostile:?}");
        assert_eq!(location(&resp), "/profile", "{hostile:?}");
        let cookies: Vec<_> = resp.headers().get_all("set-cookie").iter().collect();
        assert_eq!(cookies.len(), 1, "{hostile:?}: {cookies:?}");
        assert!(!cookies[0].to_str().unwrap().contains("attacker"));
    }
    // A local path still comes back, in its resolved form.
    let client = app.new_client();
    let page = client.get(app.url("/login")).send().await.unwrap();
    let csrf = esia_testkit::spawn::extract_csrf(&page.text().await.unwrap()).unwrap();
    let resp = client
        .post(app.url("/login"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("login", "+79000000001"),
            ("password", "11111111"),
            ("return_to", "/profile/contacts/../personal-data?x=1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&resp), "/profile/personal-data?x=1");
}
