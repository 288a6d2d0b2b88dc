//! The answer for a request no route served, on the channel of the path it named: the core's
//! endpoint table tells a protocol path from a page, so a token client that sends `GET` to
//! `te` reads a JSON ESIA error, a `/rs` client a `{code, message}` body, and a browser the
//! «Страница не найдена» page. It decides on the decoded path the router matched, never the
//! raw one. It must not serve anything: every answer here is a refusal.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpRequest, HttpResponse};
use esia_core::protocol::endpoints::{lookup, Channel};
use esia_core::protocol::{EsiaErrorCode, ProtocolError};

use super::page::render_error_page;

/// The app's default service, and the default of the `te` resources (wrong method).
pub async fn unrouted(req: HttpRequest) -> HttpResponse {
    let path = req.match_info().as_str();
    let Some(line) = lookup(path) else {
        return not_found_page();
    };
    let method_served = line.methods.contains(&req.method().as_str());
    let allow = line.methods.join(", ");
    let mut resp = match line.family.channel() {
        Channel::TokenJson => {
            let e = ProtocolError::new(EsiaErrorCode::E007038, None, "method not allowed");
            let mut resp = super::protocol::te_error(&e);
            *resp.status_mut() = StatusCode::METHOD_NOT_ALLOWED;
            resp
        }
        Channel::Rest if method_served => super::rest::body(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            "The requested resource does not exist",
        ),
        Channel::Rest => super::rest::body(
            StatusCode::METHOD_NOT_ALLOWED,
            "METHOD_NOT_ALLOWED",
            "The method is not allowed for this resource",
        ),
        _ if method_served => return not_found_page(),
        _ => render_error_page(
            StatusCode::METHOD_NOT_ALLOWED,
            "Метод не поддерживается",
            "Откройте страницу по ссылке, а не отправкой формы.",
        ),
    };
    if resp.status() == StatusCode::METHOD_NOT_ALLOWED {
        if let Ok(v) = header::HeaderValue::from_str(&allow) {
            resp.headers_mut().insert(header::ALLOW, v);
        }
    }
    resp
}

fn not_found_page() -> HttpResponse {
    render_error_page(
        StatusCode::NOT_FOUND,
        "Страница не найдена",
        "Проверьте адрес страницы.",
    )
}

#[cfg(test)]
mod tests {
    use esia_core::protocol::endpoints::{family_of, PathMatch, TABLE};

    use crate::routes::ALL;

    /// The core's table and the router agree both ways: every method a protocol line names
    /// is routed, and every routed protocol path is in the table with its method.
    #[test]
    fn the_protocol_table_matches_the_router() {
        for line in TABLE {
            for method in line.methods {
                let routed = ALL.iter().any(|(m, p)| {
                    m.as_str() == *method
                        && match line.path {
                            PathMatch::Exact(path) => *p == path,
                            PathMatch::Under(_) => line.path.matches(p),
                        }
                });
                assert!(
                    routed,
                    "{method} {:?} is in the table, not routed",
                    line.path
                );
            }
        }
        for (method, pattern) in ALL {
            if let Some(family) = family_of(pattern) {
                let line = TABLE.iter().find(|l| l.path.matches(pattern)).unwrap();
                assert!(
                    line.methods.contains(&method.as_str()),
                    "{method} {pattern} is routed as {family:?} without its method in the table"
                );
            }
        }
    }
}
