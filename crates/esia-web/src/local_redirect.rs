//! What a `Location` may carry. `same_origin_path` decides whether a path that came from the
//! request (`return_to`, the admin login's `next`) may be followed: it is parsed as a browser
//! would against the public base URL and must stay on that origin. `location` builds a redirect
//! that cannot fail on a bad header value. No knowledge of which pages exist; callers choose
//! the fallback.

use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use url::{Position, Url};

/// The path (with its query, without a fragment) to redirect to when `candidate` is a
/// same-origin relative path; `None` otherwise. Refused: anything not starting with exactly one
/// `/` (`//host`, `/\host`), any control character, whitespace or backslash anywhere (browsers
/// drop tabs and newlines and read `\` as `/`, so `/<TAB>/evil.example` is another host), and
/// anything that, resolved against `base`, leaves its scheme, host or port. The answer is the
/// resolved form (dot segments removed, unsafe bytes percent-encoded), so it is a valid header.
pub fn same_origin_path(candidate: &str, base: &Url) -> Option<String> {
    let rest = candidate.strip_prefix('/')?;
    if rest.starts_with('/')
        || candidate
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
    {
        return None;
    }
    let resolved = base.join(candidate).ok()?;
    if resolved.origin() != base.origin() || !resolved.username().is_empty() {
        return None;
    }
    Some(resolved[Position::BeforePath..Position::AfterQuery].to_string())
}

/// A redirect with `status` to `to`. A value that is not a valid header (CR/LF, other control
/// bytes) never becomes a 500: the browser gets a 400 page instead.
pub fn location(status: StatusCode, to: &str) -> HttpResponse {
    match HeaderValue::from_str(to) {
        Ok(value) => HttpResponse::build(status)
            .insert_header((header::LOCATION, value))
            .finish(),
        Err(_) => {
            tracing::warn!("redirect target is not a valid header value; refused");
            crate::error::page::render_error_page(
                StatusCode::BAD_REQUEST,
                "Неверный адрес перехода",
                "Адрес, на который нужно вернуться, содержит недопустимые символы.",
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::same_origin_path;

    fn check(candidate: &str) -> Option<String> {
        let base = url::Url::parse("http://127.0.0.1:8080").unwrap();
        same_origin_path(candidate, &base)
    }

    #[test]
    fn local_paths_pass_in_their_resolved_form() {
        assert_eq!(check("/profile").as_deref(), Some("/profile"));
        assert_eq!(
            check("/aas/oauth2/continue?request=ab%20c&x=1").as_deref(),
            Some("/aas/oauth2/continue?request=ab%20c&x=1")
        );
        assert_eq!(check("/emulator/../profile").as_deref(), Some("/profile"));
        assert_eq!(check("/a/%2e%2e/b").as_deref(), Some("/b"));
        assert_eq!(check("/x#frag").as_deref(), Some("/x"));
        assert_eq!(check("/ы").as_deref(), Some("/%D1%8B"));
        // Encoded CR/LF stays encoded and on our host: a path, not a header break.
        assert_eq!(check("/%0d%0a").as_deref(), Some("/%0d%0a"));
    }

    #[test]
    fn anything_a_browser_could_send_elsewhere_is_refused() {
        for hostile in [
            "",
            "profile",
            "//evil.example/",
            "/\\evil.example/",
            "\\/evil.example/",
            "/\t/evil.example/",
            "/\n/evil.example/",
            "/x\r\nSet-Cookie: a=b",
            "/ /evil.example",
            "/x\u{7f}",
            "/x\u{a0}y",
            "https://evil.example/",
            "http://127.0.0.1:8080/profile",
            "javascript:alert(1)",
            " /profile",
        ] {
            assert_eq!(check(hostile), None, "{hostile:?}");
        }
    }
}
