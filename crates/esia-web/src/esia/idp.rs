//! `GET /idp/ext/Logout?client_id=…&redirect_url=…` (§10): ends the browser session and
//! redirects only to a URL registered for the client; otherwise shows a page.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::redirect_302;
use crate::cookies;
use crate::error::page::render_error_page;
use crate::respond::core_error_page;
use crate::state::blocking;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(
        esia_core::protocol::endpoints::LOGOUT_PATH,
        web::get().to(logout),
    );
}

#[derive(Debug, Deserialize)]
struct LogoutQuery {
    client_id: Option<String>,
    redirect_url: Option<String>,
}

async fn logout(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let q: LogoutQuery = web::Query::<LogoutQuery>::from_query(req.query_string())
        .map(|q| q.into_inner())
        .unwrap_or(LogoutQuery {
            client_id: None,
            redirect_url: None,
        });
    let session = cookies::value(&req, cookies::SESSION);
    let core = state.core.clone();
    let result = blocking(move || {
        esia_core::protocol::authorize::esia_logout(
            &core,
            q.client_id.as_deref(),
            q.redirect_url.as_deref(),
            session.as_deref(),
        )
    })
    .await;
    let mut resp = match result {
        Ok(Some(url)) => redirect_302(&url),
        Ok(None) => render_error_page(
            actix_web::http::StatusCode::OK,
            "Вы вышли из учётной записи",
            "Сеанс ЕСИА завершён. Адрес возврата не указан или не зарегистрирован для системы.",
        ),
        Err(e) => return core_error_page(&e),
    };
    let _ = resp.add_cookie(&cookies::removal(
        cookies::SESSION,
        crate::respond::secure(&state),
    ));
    resp
}
