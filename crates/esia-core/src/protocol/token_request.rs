//! The `te` request's checks before anything is written: required and repeated parameters, the
//! grant type, `state` and `timestamp`, the client, and the `client_secret` signature (with its
//! diagnostics for the journal). It writes nothing and issues nothing; `token_endpoint.rs` does.

use chrono::Utc;
use serde_json::{json, Value};

use super::clients::{self, LoadedClient};
use super::{
    is_uuid, parse_timestamp, signing, Endpoint, EsiaErrorCode as E, Params, ProtocolError,
};
use crate::app::Core;

/// Parameter, timestamp and signature checks (no writes).
pub(super) fn precheck(
    core: &Core,
    endpoint: Endpoint,
    params: &Params,
    verification: &mut Option<Value>,
) -> Result<LoadedClient, ProtocolError> {
    let st = params.get("state");
    let err = |code, detail: &str| ProtocolError::new(code, st, detail);
    if let Some(n) = params.repeated(super::params::TE_SINGLE) {
        return Err(err(E::E007003, &format!("{n} repeated")));
    }
    let cid = params
        .non_empty("client_id")
        .ok_or_else(|| err(E::E007014, "client_id is missing"))?;
    let grant = params
        .non_empty("grant_type")
        .ok_or_else(|| err(E::E007014, "grant_type is missing"))?;
    if !matches!(
        grant,
        "authorization_code" | "refresh_token" | "client_credentials"
    ) {
        return Err(err(E::E007009, "unsupported grant_type"));
    }
    for n in ["client_secret", "state", "timestamp"] {
        if params.non_empty(n).is_none() {
            return Err(err(E::E007014, &format!("{n} is missing")));
        }
    }
    if endpoint == Endpoint::TeV3
        && grant != "refresh_token"
        && params.non_empty("client_certificate_hash").is_none()
    {
        return Err(err(E::E007014, "client_certificate_hash is missing"));
    }
    match grant {
        "authorization_code" if params.non_empty("code").is_none() => {
            return Err(err(E::E007014, "code is missing"))
        }
        "refresh_token" if params.non_empty("refresh_token").is_none() => {
            return Err(err(E::E007014, "refresh_token is missing"))
        }
        "client_credentials" if params.non_empty("scope").is_none() => {
            return Err(err(E::E007013, "scope is missing"))
        }
        _ => {}
    }
    if !is_uuid(params.get("state").unwrap_or("")) {
        return Err(err(E::E007003, "state is not a UUID"));
    }
    let ts = parse_timestamp(params.get("timestamp").unwrap_or(""))
        .ok_or_else(|| err(E::E007015, "timestamp does not parse"))?;
    if (ts.with_timezone(&Utc) - core.now()).num_seconds().abs()
        > core.config.protocol.timestamp_window_secs as i64
    {
        return Err(err(E::E007015, "timestamp outside the window"));
    }
    let mut conn = core.conn().map_err(|e| ProtocolError::internal(&e, st))?;
    let client = clients::load_served(core, &mut conn, cid)
        .map_err(|e| ProtocolError::internal(&e, st))?
        .ok_or_else(|| err(E::E007002, "unknown client_id"))?;
    drop(conn);
    match signing::check(&client, endpoint, params) {
        Ok(m) => {
            *verification = Some(json!({"ok": true, "match": m}));
            Ok(client)
        }
        Err(f) => {
            let code = signing::failure_code(&f);
            *verification = Some(json!({"ok": false, "failure": f}));
            Err(err(code, "client_secret does not verify"))
        }
    }
}
