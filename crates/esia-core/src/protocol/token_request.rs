//! The `te` request's checks before anything is written: the parameters parsed into a typed
//! `TeRequest` (`request.rs`), then the client and the `client_secret` signature (with its
//! diagnostics for the journal). It writes nothing and issues nothing; `token_endpoint.rs` does.

use serde_json::{json, Value};

use super::clients::{self, LoadedClient};
use super::request::{received_state, TeRequest};
use super::{signing, Endpoint, EsiaErrorCode as E, Params, ProtocolError};
use crate::app::Core;

/// Parameter, timestamp and signature checks (no writes).
pub(super) fn precheck(
    core: &Core,
    endpoint: Endpoint,
    params: &Params,
    verification: &mut Option<Value>,
) -> Result<(LoadedClient, TeRequest), ProtocolError> {
    let st = received_state(params);
    let request = TeRequest::parse(
        endpoint,
        params,
        core.now(),
        core.config.protocol.timestamp_window_secs,
    )
    .map_err(|(code, detail)| ProtocolError::new(code, st, detail))?;
    let mut conn = core.conn().map_err(|e| ProtocolError::internal(&e, st))?;
    let client = clients::load_served(core, &mut conn, &request.client_id)
        .map_err(|e| ProtocolError::internal(&e, st))?
        .ok_or_else(|| ProtocolError::new(E::E007002, st, "unknown client_id"))?;
    drop(conn);
    match signing::check(&client, endpoint, &request.signed) {
        Ok(m) => {
            *verification = Some(json!({"ok": true, "match": m}));
            Ok((client, request))
        }
        Err(f) => {
            let code = signing::failure_code(&f);
            *verification = Some(json!({"ok": false, "failure": f}));
            Err(ProtocolError::new(
                code,
                st,
                "client_secret does not verify",
            ))
        }
    }
}
