//! The fault-injection middleware (QA control plane). For a protocol request (`ac`, `te`,
//! `/rs`, userinfo, logout, published keys) it asks the core whether a fault rule targets it —
//! an in-memory snapshot, so with no rules a request costs no query and its body is not
//! touched — then, when a rule fires, answers as the effect says: an ESIA error on the
//! endpoint's own channel (through the protocol renderers), a proxy-style status, latency, a
//! held request, a truncated body, or tokens rewritten by the core. Pages and the QA API are
//! never affected, so QA can always delete a rule.

use std::time::Duration;

use actix_web::body::{to_bytes, BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{web, Error, HttpResponse};
use esia_control::fault_rule::{FaultEffect, Surface, DEFAULT_TIMEOUT_SECS};
use esia_control::fire::FaultProbe;
use esia_core::protocol::{EsiaErrorCode, Params, ProtocolError};

use crate::cookies;
use crate::error::{protocol, rest};
use crate::esia::{params_of, render_ac};
use crate::state::AppState;

/// `from_fn` middleware: see the module comment.
pub async fn middleware(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    // The decoded path the router matches (`/aas/oauth2/%74e` is `te`), never the raw one, so
    // no spelling of a path slips past a rule that targets it.
    let path = req.match_info().as_str().to_string();
    let candidates = esia_control::fire::fault_candidates(&state.control, &path);
    let Some(surface) = Surface::of_path(&path).filter(|_| !candidates.is_empty()) else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let mut params = Params::default();
    if matches!(surface, Surface::Ac | Surface::Te) {
        // The handler reads the body again: it is put back as it came.
        let body = if req.method() == Method::POST {
            let bytes = req.extract::<web::Bytes>().await?;
            req.set_payload(bytes.clone().into());
            Some(bytes)
        } else {
            None
        };
        params = params_of(req.request(), body.as_deref());
        let basic = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(esia_core::protocol::parse_basic_auth);
        if let Some((id, _)) = basic {
            params.merge_missing(vec![("client_id".into(), id)]);
        }
    }
    let probe = FaultProbe {
        path: path.clone(),
        params: params.clone(),
        authorization: req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
        session: cookies::value(req.request(), cookies::SESSION),
    };
    let ctl = state.control.clone();
    let fired = match web::block(crate::request_log::carry(move || {
        esia_control::fire::fire_fault(&ctl, &probe, &candidates)
    }))
    .await
    {
        Ok(Ok(Some(f))) => f,
        Ok(Ok(None)) => return Ok(next.call(req).await?.map_into_boxed_body()),
        Ok(Err(e)) => {
            // A broken control plane must not break the protocol: answer normally.
            tracing::error!(error = %e, "fault rules could not be applied");
            return Ok(next.call(req).await?.map_into_boxed_body());
        }
        Err(e) => {
            tracing::error!(error = %e, "fault rules could not be applied");
            return Ok(next.call(req).await?.map_into_boxed_body());
        }
    };
    let effect = fired.effect;
    match &effect {
        FaultEffect::EsiaError { .. } => {
            let code = effect.esia_code().unwrap_or(EsiaErrorCode::E007007);
            let resp = esia_error(&state, surface, params, code).await;
            Ok(req.into_response(resp))
        }
        FaultEffect::HttpStatus { status, body } => {
            let status = StatusCode::from_u16(*status).unwrap_or(StatusCode::BAD_GATEWAY);
            Ok(req.into_response(proxy_answer(status, body.as_deref() != Some("empty"))))
        }
        FaultEffect::Latency { latency_ms } => {
            actix_web::rt::time::sleep(Duration::from_millis(*latency_ms)).await;
            Ok(next.call(req).await?.map_into_boxed_body())
        }
        FaultEffect::Timeout { timeout_secs } => {
            let secs = timeout_secs.unwrap_or(DEFAULT_TIMEOUT_SECS);
            actix_web::rt::time::sleep(Duration::from_secs(secs)).await;
            Ok(req.into_response(proxy_answer(StatusCode::GATEWAY_TIMEOUT, false)))
        }
        FaultEffect::MalformedBody => {
            let res = next.call(req).await?;
            let (req, res) = res.into_parts();
            let bytes = to_bytes(res.into_body()).await.unwrap_or_default();
            // Cut in the middle: whatever it was, it is not valid JSON any more.
            let cut = if bytes.len() > 2 {
                bytes.slice(..bytes.len() / 2)
            } else {
                web::Bytes::from_static(b"{\"")
            };
            let resp = HttpResponse::Ok()
                .content_type("application/json; charset=utf-8")
                .insert_header((header::CACHE_CONTROL, "no-store"))
                .body(cut);
            Ok(ServiceResponse::new(req, resp))
        }
        _ => {
            let res = next.call(req).await?;
            if res.status() != StatusCode::OK {
                return Ok(res.map_into_boxed_body());
            }
            let (req, res) = res.into_parts();
            let bytes = to_bytes(res.into_body()).await.unwrap_or_default();
            let resp = match serde_json::from_slice::<serde_json::Value>(&bytes) {
                Ok(mut body) => {
                    esia_control::tamper::tamper_tokens(&state.control, &mut body, &effect);
                    HttpResponse::Ok()
                        .insert_header((header::CACHE_CONTROL, "no-store"))
                        .json(body)
                }
                Err(_) => HttpResponse::Ok()
                    .content_type("application/json")
                    .body(bytes),
            };
            Ok(ServiceResponse::new(req, resp))
        }
    }
}

/// An ESIA error on the channel ESIA uses for the endpoint (rendered by that channel's module
/// in `crate::error`).
async fn esia_error(
    state: &web::Data<AppState>,
    surface: Surface,
    params: Params,
    code: EsiaErrorCode,
) -> HttpResponse {
    match surface {
        Surface::Ac => {
            let ctl = state.control.clone();
            let resp = web::block(crate::request_log::carry(move || {
                esia_control::fire::fault_ac_response(&ctl, &params, code)
            }))
            .await;
            match resp.ok().as_ref().and_then(render_ac) {
                Some(r) => r,
                None => proxy_answer(StatusCode::INTERNAL_SERVER_ERROR, true),
            }
        }
        Surface::Te => {
            protocol::te_error(&ProtocolError::new(code, params.get("state"), "fault rule"))
        }
        Surface::Logout => protocol::logout_error(code),
        _ => rest::esia_error(code),
    }
}

/// What a reverse proxy answers on its own: an nginx-style page or nothing.
fn proxy_answer(status: StatusCode, html: bool) -> HttpResponse {
    if !html {
        return HttpResponse::build(status).finish();
    }
    let line = format!(
        "{} {}",
        status.as_u16(),
        status.canonical_reason().unwrap_or("Error")
    );
    HttpResponse::build(status)
        .content_type("text/html")
        .body(format!(
            "<html>\r\n<head><title>{line}</title></head>\r\n<body>\r\n<center><h1>{line}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
        ))
}
