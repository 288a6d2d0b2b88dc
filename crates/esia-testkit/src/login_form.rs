//! The login form driven against any replica's base URL (`http://127.0.0.1:PORT`), for tests of
//! what replicas and backends share: a fresh browser with its CSRF token, one form post, a login
//! in a fresh browser. It reports statuses and `Retry-After`; what they must be is the test's.

use crate::spawn::extract_csrf;

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
