//! `/emulator/faults`: fault rules — an ESIA error, an HTTP status, latency, a timeout, a
//! malformed body or a broken token — scoped by endpoint, client, persona and "next N requests";
//! listed, added, deleted one by one or all at once, through the same ctl functions as
//! `/emulator/api/faults`.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use esia_control::fault_rule::{FaultRule, FaultSpec};
use serde::Deserialize;
use serde_json::{json, Map, Value};

use crate::extractors::{csrf_field, CsrfForm};
use crate::respond::page_message;
use crate::respond::{core_error_page, html, with_csrf};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/faults", web::get().to(page))
        .route("/faults", web::post().to(add))
        .route("/faults/{id}/delete", web::post().to(delete))
        .route("/faults/clear", web::post().to(clear));
}

csrf_field!(FaultForm, CsrfOnly);

/// The effect kinds the form offers, with their Russian names.
const KINDS: [(&str, &str); 11] = [
    ("esia_error", "ошибка ЕСИА (код)"),
    ("http_status", "HTTP-статус"),
    ("latency", "задержка"),
    ("timeout", "нет ответа (таймаут)"),
    ("malformed_body", "испорченное тело ответа"),
    ("token_expired", "маркер уже истёк"),
    ("token_not_yet_valid", "маркер ещё не действует"),
    ("token_bad_signature", "неверная подпись маркера"),
    ("token_wrong_iss", "чужой iss"),
    ("token_wrong_aud", "чужой aud / client_id"),
    ("token_wrong_alg", "неверный alg"),
];

/// The add form as typed (echoed back when refused).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct FaultForm {
    csrf: String,
    endpoint: String,
    client_id: String,
    persona_oid: String,
    times: String,
    kind: String,
    code: String,
    status: String,
    latency_ms: String,
    timeout_secs: String,
}

#[derive(Template)]
#[template(path = "admin_faults.html")]
struct FaultsPage<'a> {
    csrf: &'a str,
    rules: &'a [FaultRule],
    form: &'a FaultForm,
    kinds: &'a [(&'static str, &'static str)],
    error: Option<String>,
    notice: Option<String>,
}

impl FaultsPage<'_> {
    fn effect(rule: &FaultRule) -> String {
        serde_json::to_string(&rule.effect).unwrap_or_default()
    }
}

/// Numbers must be numbers; everything else is the ctl's to judge.
fn number(field: &str, v: &str) -> Result<Option<Value>, String> {
    match v.trim() {
        "" => Ok(None),
        s => s
            .parse::<i64>()
            .map(|n| Some(json!(n)))
            .map_err(|_| format!("{field}: ожидается целое число")),
    }
}

/// The form as the API's JSON spec (same validation from here on).
fn spec_of(f: &FaultForm) -> Result<FaultSpec, String> {
    let mut effect = Map::new();
    effect.insert("kind".into(), json!(f.kind));
    match f.kind.as_str() {
        "esia_error" => {
            effect.insert("code".into(), json!(f.code.trim()));
        }
        "http_status" => {
            let status = number("status", &f.status)?.unwrap_or(json!(503));
            effect.insert("status".into(), status);
        }
        "latency" => {
            let ms = number("latency_ms", &f.latency_ms)?.unwrap_or(json!(1000));
            effect.insert("latency_ms".into(), ms);
        }
        "timeout" => {
            if let Some(s) = number("timeout_secs", &f.timeout_secs)? {
                effect.insert("timeout_secs".into(), s);
            }
        }
        _ => {}
    }
    let text = |v: &str| Some(v.trim()).filter(|s| !s.is_empty()).map(|s| json!(s));
    let mut spec = Map::new();
    spec.insert("effect".into(), Value::Object(effect));
    for (k, v) in [
        ("endpoint", text(&f.endpoint)),
        ("client_id", text(&f.client_id)),
        ("persona_oid", number("persona_oid", &f.persona_oid)?),
        ("times", number("times", &f.times)?),
    ] {
        if let Some(v) = v {
            spec.insert(k.into(), v);
        }
    }
    serde_json::from_value(Value::Object(spec)).map_err(|e| format!("Некорректное правило: {e}"))
}

async fn render(
    req: &HttpRequest,
    state: &AppState,
    status: StatusCode,
    form: &FaultForm,
    error: Option<String>,
    notice: Option<String>,
) -> HttpResponse {
    let rules = match state.run_control(esia_control::faults::list_faults).await {
        Ok(r) => r,
        Err(e) => return core_error_page(&e),
    };
    with_csrf(req, state, |csrf| {
        html(
            status,
            &FaultsPage {
                csrf,
                rules: &rules,
                form,
                kinds: &KINDS,
                error,
                notice,
            },
        )
    })
}

async fn page(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let form = FaultForm {
        kind: "esia_error".into(),
        code: "ESIA-007008".into(),
        ..FaultForm::default()
    };
    render(&req, &state, StatusCode::OK, &form, None, None).await
}

async fn add(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: CsrfForm<FaultForm>,
) -> HttpResponse {
    let form = form.into_inner();
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    let spec = match spec_of(&form) {
        Ok(s) => s,
        Err(m) => return render(&req, &state, unprocessable, &form, Some(m), None).await,
    };
    match state
        .run_control(move |ctl| esia_control::faults::add_fault(ctl, &spec))
        .await
    {
        Ok(rule) => {
            let notice = format!("Правило {} добавлено", rule.id);
            let blank = FaultForm::default();
            render(&req, &state, StatusCode::OK, &blank, None, Some(notice)).await
        }
        Err(e) => match page_message(&e) {
            Some(m) => render(&req, &state, unprocessable, &form, Some(m), None).await,
            None => core_error_page(&e),
        },
    }
}

#[derive(Debug, Deserialize)]
struct CsrfOnly {
    #[serde(default)]
    csrf: String,
}

async fn delete(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    _: CsrfForm<CsrfOnly>,
) -> HttpResponse {
    let id = path.into_inner();
    let blank = FaultForm::default();
    match state
        .run_control(move |ctl| esia_control::faults::delete_fault(ctl, &id))
        .await
    {
        Ok(()) => {
            let notice = Some("Правило удалено".to_string());
            render(&req, &state, StatusCode::OK, &blank, None, notice).await
        }
        Err(e) => match page_message(&e) {
            Some(m) => {
                let code = crate::error::classify(&e).0;
                render(&req, &state, code, &blank, Some(m), None).await
            }
            None => core_error_page(&e),
        },
    }
}

async fn clear(
    req: HttpRequest,
    state: web::Data<AppState>,
    _: CsrfForm<CsrfOnly>,
) -> HttpResponse {
    match state.run_control(esia_control::faults::clear_faults).await {
        Ok(n) => {
            let notice = Some(format!("Удалено правил: {n}"));
            let blank = FaultForm::default();
            render(&req, &state, StatusCode::OK, &blank, None, notice).await
        }
        Err(e) => core_error_page(&e),
    }
}
