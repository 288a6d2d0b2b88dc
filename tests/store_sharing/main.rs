//! What replicas and backends must agree on when teams share one database (issue 10): the login
//! throttle counts per account and atomically across replicas (`login_throttle`), reset and
//! snapshot import are one transaction (`state_atomic`), and every look-up by login, e-mail,
//! phone or SNILS answers the same on SQLite and PostgreSQL (`backend_parity`). One binary,
//! run on PostgreSQL too when `TEST_DATABASE_URL` is set.

mod backend_parity;
mod login_throttle;
mod state_atomic;

use esia_testkit::spawn::extract_csrf;

/// A fresh browser (own cookie jar, no redirects followed) and its CSRF token from `base`'s
/// login page.
pub async fn browser(base: &str) -> (reqwest::Client, String) {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let page = client
        .get(format!("{base}/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = extract_csrf(&page).expect("csrf on the login page");
    (client, csrf)
}

/// One login form post; the status and the `Retry-After` header.
pub async fn login_with(
    client: &reqwest::Client,
    csrf: &str,
    base: &str,
    login: &str,
    password: &str,
) -> (u16, Option<String>) {
    let resp = client
        .post(format!("{base}/login"))
        .form(&[("csrf", csrf), ("login", login), ("password", password)])
        .send()
        .await
        .unwrap();
    let retry = resp
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    (resp.status().as_u16(), retry)
}

/// A login in a fresh browser: the status.
pub async fn login_status(base: &str, login: &str, password: &str) -> u16 {
    let (client, csrf) = browser(base).await;
    login_with(&client, &csrf, base, login, password).await.0
}
