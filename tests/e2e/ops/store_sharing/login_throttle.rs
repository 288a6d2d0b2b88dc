//! The login throttle counts failures per ACCOUNT (every spelling of its login shares one
//! count) and per normalised unknown login, and reserves each password check atomically, so
//! concurrent attempts over two replicas make at most `max_failures` checks.

use esia_testkit::{spawn_app, spawn_second_app};

use esia_testkit::login_form::{browser, login_status, login_with};

/// Demo persona 1000000004: phone, e-mail and SNILS, password `11111111`.
const PHONE: &str = "+79000000004";
const EMAIL_MIXED: &str = "EsiaTest004@Yandex.ru";
const SNILS_FORMATTED: &str = "242-850-874 78";
const SNILS_BARE: &str = "24285087478";

#[tokio::test]
async fn failures_by_phone_lock_the_account_for_every_spelling() {
    let app = spawn_app().await;
    let base = app.address.as_str();
    let (client, csrf) = browser(base).await;
    for i in 0..4 {
        let (status, _) = login_with(&client, &csrf, base, PHONE, "wrong").await;
        assert_eq!(status, 401, "wrong password {i}");
    }
    let (status, retry) = login_with(&client, &csrf, base, PHONE, "wrong").await;
    assert_eq!(status, 429, "the fifth failure locks");
    assert_eq!(retry.as_deref(), Some("300"));
    // The right password is refused under every other spelling of the same account.
    for login in [
        EMAIL_MIXED,
        "esiatest004@yandex.ru",
        SNILS_FORMATTED,
        SNILS_BARE,
    ] {
        assert_eq!(
            login_status(base, login, "11111111").await,
            429,
            "{login} while the account is locked"
        );
    }
    // Another account is not affected.
    assert_eq!(login_status(base, "+79000000002", "11111111").await, 303);
    // After the lockout every spelling works again.
    app.clock.advance(chrono::Duration::seconds(301));
    for login in [EMAIL_MIXED, SNILS_FORMATTED, PHONE] {
        assert_eq!(login_status(base, login, "11111111").await, 303, "{login}");
    }
}

#[tokio::test]
async fn unknown_logins_are_throttled_like_accounts() {
    let app = spawn_app().await;
    let base = app.address.as_str();
    let (client, csrf) = browser(base).await;
    // A locked account's answer, for comparison.
    for _ in 0..5 {
        login_with(&client, &csrf, base, "+79000000003", "wrong").await;
    }
    let account = login_with(&client, &csrf, base, "+79000000003", "11111111").await;
    assert_eq!(account.0, 429);
    // An e-mail no account has: the same 4×401 then a lockout, whatever its case.
    for i in 0..4 {
        let (status, _) = login_with(&client, &csrf, base, "Nobody@Example.com", "x").await;
        assert_eq!(status, 401, "unknown login, attempt {i}");
    }
    let (status, _) = login_with(&client, &csrf, base, "nobody@example.com", "x").await;
    assert_eq!(status, 429);
    let unknown = login_with(&client, &csrf, base, "NOBODY@EXAMPLE.COM", "x").await;
    assert_eq!(
        unknown.0, 429,
        "a locked unknown login answers as a locked account"
    );
    // Retry-After counts down the same lockout (whole seconds; a second may have passed).
    let secs = |r: &Option<String>| r.as_deref().unwrap().parse::<i64>().unwrap();
    assert!(
        (secs(&unknown.1) - secs(&account.1)).abs() <= 1,
        "{unknown:?} {account:?}"
    );
    assert!((299..=300).contains(&secs(&unknown.1)));
}

#[tokio::test]
async fn concurrent_wrong_passwords_over_two_replicas_make_at_most_five_checks() {
    let app = spawn_app().await;
    let second = spawn_second_app(&app).await;
    let bases = [app.address.clone(), second.address.clone()];
    let mut browsers = Vec::new();
    for base in &bases {
        browsers.push(browser(base).await);
    }
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..60 {
        let base = bases[i % 2].clone();
        let (client, csrf) = browsers[i % 2].clone();
        // Every spelling of the same account.
        let login = [PHONE, EMAIL_MIXED, SNILS_FORMATTED][i % 3];
        tasks.spawn(async move { login_with(&client, &csrf, &base, login, "wrong").await.0 });
    }
    let mut counts = std::collections::BTreeMap::<u16, usize>::new();
    while let Some(status) = tasks.join_next().await {
        *counts.entry(status.unwrap()).or_default() += 1;
    }
    // Only 401 (a password check failed) and 429 (locked): no 5xx. At most 4 checks answer
    // 401; the fifth check, if it fails, answers 429 and starts the lockout.
    let wrong = counts.get(&401).copied().unwrap_or(0);
    let locked = counts.get(&429).copied().unwrap_or(0);
    assert_eq!(wrong + locked, 60, "{counts:?}");
    assert!(
        wrong <= 4,
        "{wrong} password checks answered 401: {counts:?}"
    );
    // Locked on both replicas, for the right password too.
    for base in &bases {
        assert_eq!(login_status(base, EMAIL_MIXED, "11111111").await, 429);
    }
    app.clock.advance(chrono::Duration::seconds(301));
    assert_eq!(login_status(&bases[1], PHONE, "11111111").await, 303);
}
