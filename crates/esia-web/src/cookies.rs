//! Cookie names and builders: the session cookie (HttpOnly, SameSite=Lax, Secure when
//! `secure` — callers pass `pages::secure`, true behind an https public base URL;
//! persistent unless «Чужой компьютер»), the short-lived flow cookies, and the double-submit CSRF
//! token that every form carries.

use actix_web::cookie::{time::Duration as CookieDuration, Cookie, SameSite};
use actix_web::HttpRequest;
use rand::Rng;

pub const SESSION: &str = "esia_session";
pub const REGISTRATION: &str = "esia_reg";
pub const RECOVERY: &str = "esia_rec";
pub const CSRF: &str = "esia_csrf";

/// Builds an HttpOnly, SameSite=Lax cookie; `max_age` None = dies with the browser.
pub fn build(
    name: &'static str,
    value: String,
    secure: bool,
    max_age_secs: Option<i64>,
) -> Cookie<'static> {
    let mut c = Cookie::build(name, value)
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .finish();
    if let Some(secs) = max_age_secs {
        c.set_max_age(CookieDuration::seconds(secs));
    }
    c
}

/// A cookie that removes `name` from the browser (with the same `Secure` as it was set with).
pub fn removal(name: &'static str, secure: bool) -> Cookie<'static> {
    let mut c = Cookie::build(name, "").path("/").secure(secure).finish();
    c.make_removal();
    c
}

pub fn value(req: &HttpRequest, name: &str) -> Option<String> {
    req.cookie(name)
        .map(|c| c.value().to_string())
        .filter(|v| !v.is_empty())
}

/// The CSRF token of this browser, and the cookie to set when it had none yet.
pub fn csrf_token(req: &HttpRequest, secure: bool) -> (String, Option<Cookie<'static>>) {
    match value(req, CSRF).filter(|v| v.len() == 32) {
        Some(t) => (t, None),
        None => {
            let bytes: [u8; 16] = rand::thread_rng().gen();
            let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            (token.clone(), Some(build(CSRF, token, secure, None)))
        }
    }
}

/// Double-submit check: the form's token must equal the cookie's (a cross-site form cannot read
/// the cookie, and SameSite=Lax keeps it off cross-site POSTs anyway).
pub fn csrf_ok(req: &HttpRequest, submitted: &str) -> bool {
    value(req, CSRF).is_some_and(|c| !submitted.is_empty() && c == submitted)
}
