//! `/emulator/clock`: the emulator's time (tokens, codes, the timestamp window, jobs) — shown
//! beside real time; shifted, advanced, frozen at an instant, frozen now, unfrozen or reset,
//! through the same ctl functions as `/emulator/api/clock`.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use esia_control::clock::{ClockRequest, ClockView};
use serde::Deserialize;

use crate::extractors::{csrf_field, CsrfForm};
use crate::respond::page_message;
use crate::respond::{core_error_page, html, with_csrf};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/clock", web::get().to(page))
        .route("/clock", web::post().to(change));
}

csrf_field!(ClockForm);

#[derive(Template)]
#[template(path = "admin_clock.html")]
struct ClockPage<'a> {
    csrf: &'a str,
    clock: &'a ClockView,
    error: Option<String>,
    notice: Option<String>,
}

fn render(
    req: &HttpRequest,
    state: &AppState,
    status: StatusCode,
    error: Option<String>,
    notice: Option<String>,
) -> HttpResponse {
    let clock = esia_control::clock::clock_view(&state.control);
    with_csrf(req, state, |csrf| {
        html(
            status,
            &ClockPage {
                csrf,
                clock: &clock,
                error,
                notice,
            },
        )
    })
}

async fn page(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    render(&req, &state, StatusCode::OK, None, None)
}

/// One of the page's forms: `action` names what to do, `value` carries its number or instant.
#[derive(Debug, Deserialize)]
struct ClockForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    value: String,
}

/// The request a form asks for; `None` = reset to real time. A number that does not parse is
/// refused here with the field's message.
fn request_of(form: &ClockForm) -> Result<Option<ClockRequest>, String> {
    let secs = || {
        form.value
            .trim()
            .parse::<i64>()
            .map_err(|_| "Укажите целое число секунд (можно со знаком минус)".to_string())
    };
    let mut r = ClockRequest::default();
    match form.action.as_str() {
        "offset" => r.offset_secs = Some(secs()?),
        "advance" => r.advance_secs = Some(secs()?),
        "freeze_at" => r.freeze_at = Some(form.value.trim().to_string()),
        "freeze" => r.freeze = Some(true),
        "unfreeze" => r.unfreeze = Some(true),
        "reset" => return Ok(None),
        _ => return Err("Неизвестное действие".into()),
    }
    Ok(Some(r))
}

async fn change(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: CsrfForm<ClockForm>,
) -> HttpResponse {
    let request = match request_of(&form) {
        Ok(r) => r,
        Err(m) => {
            return render(
                &req,
                &state,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(m),
                None,
            )
        }
    };
    let changed = state
        .run_control(move |ctl| match request {
            Some(r) => esia_control::clock::set_clock(ctl, &r),
            None => esia_control::clock::reset_clock(ctl),
        })
        .await;
    match changed {
        Ok(v) => {
            let notice = format!("Время эмулятора: {}", v.now);
            render(&req, &state, StatusCode::OK, None, Some(notice))
        }
        Err(e) => match page_message(&e) {
            Some(m) => render(
                &req,
                &state,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(m),
                None,
            ),
            None => core_error_page(&e),
        },
    }
}
