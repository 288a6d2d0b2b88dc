//! The protocol journal: every `ac`/`te`/`/rs`/userinfo request with its decoded parameters
//! (secrets truncated to 12 characters; codes, refresh tokens and verifiers never stored; every
//! value and row bounded, `/rs` `embed` normalised), the
//! signature check, the persona when known and what was answered (HTTP status, error code, token
//! kinds — never token values), for QA to see why a request failed; plus the `verify-secret`
//! debugging use case. `/rs` rows are written behind the request (`journal_behind`); whoever
//! reads, clears or wipes the journal calls `flush` first. Reading and clearing the journal lives
//! in `admin_views::journal`.

use chrono::Utc;
use esia_store::clients::JournalRow;
use esia_store::DbConnection;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::endpoints::Channel;
use super::journal_behind;
pub use super::journal_behind::flush;
use super::journal_bounds::{column, cut_strings, sanitize, MAX_DETAIL_CHARS};
use super::journal_trim::trim_if_due;
use super::{parse_timestamp, signing, Endpoint, Params, ProtocolError};
use crate::app::{new_id, Core};
use crate::error::{CoreError, CoreResult};

/// What was answered, for the journal: the HTTP status, the persona when known and a small JSON
/// summary (error code, token kinds issued — never token values).
#[derive(Debug, Clone, Default)]
pub(crate) struct Answered {
    pub status: u16,
    pub persona_oid: Option<i64>,
    pub summary: Value,
}

/// Writes one journal entry inside the caller's transaction (or on its own connection).
pub(crate) fn record(
    core: &Core,
    conn: &mut DbConnection,
    endpoint: &str,
    params: &Params,
    outcome: &Result<(), &ProtocolError>,
    verification: Option<Value>,
    answered: Answered,
) -> CoreResult<()> {
    let (result, code) = match outcome {
        Ok(()) => ("ok", None),
        Err(e) => ("error", Some(e.code.code().to_string())),
    };
    if let Err(e) = outcome {
        count_error(endpoint, answered.status, e.code.code());
    }
    esia_store::clients::insert_journal(
        conn,
        &JournalRow {
            id: new_id(),
            created_at: core.now_naive(),
            endpoint: endpoint.to_string(),
            mnemonic: params
                .non_empty("client_id")
                .map(|s| s.chars().take(64).collect()),
            params: column(&sanitize(params)),
            outcome: result.into(),
            error_code: code,
            verification: verification.map(|v| column(&cut_strings(v, MAX_DETAIL_CHARS))),
            persona_oid: answered.persona_oid,
            http_status: Some(i32::from(answered.status)),
            response: Some(column(&cut_strings(answered.summary, MAX_DETAIL_CHARS))),
        },
    )?;
    trim_if_due(core, conn, 1)
}

/// A journal entry as returned by the API.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct JournalEntry {
    pub id: String,
    /// RFC 3339, UTC.
    pub at: String,
    /// The request path (`/aas/oauth2/v2/ac`, `/aas/oauth2/v3/te`, `/rs/prns/…`, userinfo).
    pub endpoint: String,
    /// The client system's mnemonic, when the request named one.
    pub client_id: Option<String>,
    /// The persona's oid, when known (te from the code, /rs and userinfo from the token).
    pub persona_oid: Option<i64>,
    /// Decoded request parameters (client_secret cut to 12 characters; codes, tokens hidden).
    #[schema(value_type = Object)]
    pub params: Value,
    /// `ok` or `error`.
    pub outcome: String,
    /// The ESIA error code answered, if any.
    pub error_code: Option<String>,
    /// The HTTP status answered (absent on entries written before it was recorded).
    pub http_status: Option<i32>,
    /// What was answered: error code and channel, or the token kinds issued.
    #[schema(value_type = Option<Object>)]
    pub response: Option<Value>,
    /// The signature check: which signing string and certificate matched, or every attempt.
    #[schema(value_type = Option<Object>)]
    pub verification: Option<Value>,
}

impl From<JournalRow> for JournalEntry {
    fn from(r: JournalRow) -> Self {
        JournalEntry {
            id: r.id,
            at: r.created_at.and_utc().to_rfc3339(),
            endpoint: r.endpoint,
            client_id: r.mnemonic,
            persona_oid: r.persona_oid,
            params: serde_json::from_str(&r.params).unwrap_or(Value::Null),
            outcome: r.outcome,
            error_code: r.error_code,
            http_status: r.http_status,
            response: r.response.and_then(|v| serde_json::from_str(&v).ok()),
            verification: r.verification.and_then(|v| serde_json::from_str(&v).ok()),
        }
    }
}

/// A `verify-secret` request: the endpoint and the parameters exactly as the client sends them.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerifySecretRequest {
    /// `v2/ac`, `ac`, `v3/te`, `te` or a full path.
    pub endpoint: String,
    pub params: std::collections::BTreeMap<String, String>,
}

/// What the journal records of one `/rs` or userinfo request.
#[derive(Debug, Clone, Copy)]
pub struct RsJournalEntry<'a> {
    pub path: &'a str,
    pub query: &'a str,
    pub client_id: Option<&'a str>,
    pub persona_oid: Option<i64>,
    pub status: u16,
    pub error_code: Option<&'a str>,
}

/// Counts one ESIA error answered, for `/emulator/metrics`, by code and by the channel it went
/// on: a redirect to the client or an error page (`ac`, logout), JSON (`te`), REST (`/rs`,
/// userinfo). Labels are the catalogue code and a fixed word, never a path or a value.
fn count_error(path: &str, status: u16, code: &str) {
    // The family's channel, except that an `ac` error that cannot be trusted with a redirect
    // (unknown client, refused `redirect_uri`) is shown as a page.
    let channel = match super::endpoints::family_of(path).map(super::Family::channel) {
        Some(Channel::Rest) => "rest",
        Some(Channel::TokenJson) => "json",
        _ if status == 302 || status == 303 => "redirect",
        _ => "page",
    };
    // The code comes from the catalogue (`EsiaErrorCode::code`) or a verified answer, but keep
    // the label bounded whatever reaches here.
    let code: String = code.chars().take(16).collect();
    metrics::counter!("esia_protocol_errors_total", "code" => code, "channel" => channel)
        .increment(1);
}

/// Journals one `/rs` or userinfo request after the answer is known, from a blocking
/// thread: the row goes to the write-behind buffer (`journal_behind`) and the request goes
/// on at once; only when the buffer is full does this call write the row itself. `query`
/// is the raw query string (no secrets travel in it on `/rs`); `client_id` and
/// `persona_oid` come from the verified token (None when it was refused). A failure to
/// journal is logged and never fails the request.
pub fn journal_rs(core: &Core, entry: RsJournalEntry<'_>) {
    if let Some(row) = rs_journal_row(core, entry) {
        if let Some(row) = journal_behind::push(core, row) {
            journal_behind::write_now(core, row);
        }
    }
}

/// `journal_rs` for an async caller: never waits for the database unless the buffer is
/// full, and then on a blocking thread.
pub async fn journal_rs_async(core: &Core, entry: RsJournalEntry<'_>) {
    let Some(row) = rs_journal_row(core, entry) else {
        return;
    };
    let Some(row) = journal_behind::push(core, row) else {
        return;
    };
    let core = core.clone();
    if let Err(e) = tokio::task::spawn_blocking(move || journal_behind::write_now(&core, row)).await
    {
        tracing::warn!(error = %e, "rs request not journaled");
    }
}

/// The journal row of a `/rs` request; `None` when `/rs` journaling is off.
fn rs_journal_row(core: &Core, e: RsJournalEntry<'_>) -> Option<JournalRow> {
    if let Some(code) = e.error_code {
        count_error(e.path, e.status, code);
    }
    if !core.config.protocol.journal_rs {
        return None;
    }
    // `embed` as the emulator read it (known items, canonical order), never the raw text.
    let mut params = Params(
        url::form_urlencoded::parse(e.query.as_bytes())
            .into_owned()
            .filter(|(k, _)| k != "embed")
            .collect(),
    );
    if url::form_urlencoded::parse(e.query.as_bytes()).any(|(k, _)| k == "embed") {
        let embed = crate::person::Embed::from_query(e.query);
        params.0.insert(0, ("embed".into(), embed.query_value()));
    }
    if let Some(c) = e.client_id {
        params.0.push(("client_id".into(), c.to_string()));
    }
    Some(JournalRow {
        id: new_id(),
        created_at: core.now_naive(),
        endpoint: e.path.chars().take(200).collect(),
        mnemonic: e.client_id.map(|s| s.chars().take(64).collect()),
        params: column(&sanitize(&params)),
        outcome: if e.error_code.is_some() {
            "error"
        } else {
            "ok"
        }
        .into(),
        error_code: e.error_code.map(str::to_string),
        verification: None,
        persona_oid: e.persona_oid,
        http_status: Some(i32::from(e.status)),
        response: Some(json!({ "code": e.error_code }).to_string()),
    })
}

/// Explains whether and why a `client_secret` verifies: the expected signing strings, every
/// attempt of the crypto check, the certificate hashes, the timestamp skew and whether the
/// client and its certificates are registered. Stores nothing.
pub fn debug_verify_secret(core: &Core, req: &VerifySecretRequest) -> CoreResult<Value> {
    let endpoint = Endpoint::parse(&req.endpoint).ok_or_else(|| {
        CoreError::field(
            "endpoint",
            esia_domain::ValidationError::new("endpoint_invalid", "ac, v2/ac, te or v3/te"),
        )
    })?;
    let params = Params(
        req.params
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
    );
    let signed = super::request::SignedFields::of(&params);
    let expected: Vec<Value> = signing::candidates(endpoint, &signed)
        .into_iter()
        .map(|c| json!({"name": c.name, "message": c.message}))
        .collect();
    let skew = params.get("timestamp").map(|ts| match parse_timestamp(ts) {
        Some(t) => json!({
            "parsed": t.to_rfc3339(),
            "skew_secs": (t.with_timezone(&Utc) - core.now()).num_seconds(),
            "window_secs": core.config.protocol.timestamp_window_secs,
        }),
        None => json!({"error": "does not parse as yyyy.MM.dd HH:mm:ss Z"}),
    });
    let mut conn = core.conn()?;
    let client = params
        .non_empty("client_id")
        .map(|m| super::clients::load(&mut conn, m))
        .transpose()?
        .flatten();
    let Some(client) = client else {
        return Ok(json!({
            "ok": false,
            "client_registered": false,
            "explanation": "no client system is registered with this client_id (mnemonic)",
            "expected_signing_strings": expected,
            "timestamp": skew,
        }));
    };
    let registered: Vec<Value> = client
        .certs
        .iter()
        .map(|c| {
            let hash = esia_crypto::cert::ParsedCert::from_pem_or_der(&c.der)
                .map(|p| p.hash_hex())
                .unwrap_or_default();
            json!({"id": c.id, "hash_hex": hash})
        })
        .collect();
    let verdict = match signing::check(&client, endpoint, &signed) {
        Ok(m) => json!({"ok": true, "match": m}),
        Err(f) => json!({
            "ok": false,
            "error_code": signing::failure_code(&f).code(),
            "failure": f,
            "certificate_not_registered_for_client":
                f.reason == esia_crypto::secret::FailureReason::CertNotRegistered,
        }),
    };
    let mut out = verdict;
    out["client_registered"] = json!(true);
    out["mode"] = json!(if client.lenient { "lenient" } else { "strict" });
    out["expected_signing_strings"] = json!(expected);
    out["cert_hash"] = json!({
        "received": params.get("client_certificate_hash"),
        "registered": registered,
    });
    out["timestamp"] = json!(skew);
    if let (Endpoint::TeV1 | Endpoint::TeV3, Some(code), Some(sent)) = (
        endpoint,
        params.non_empty("code"),
        params.non_empty("redirect_uri"),
    ) {
        out["redirect_uri_variant"] = redirect_variant(&mut conn, &client, code, sent)?;
    }
    Ok(out)
}

/// How a `te` request's `redirect_uri` compares with its code's `ac` request, for the
/// diagnostics: `same`, the OmniAuth variant (with whether this client's mode accepts it),
/// `differs`, or null when the code is unknown to this client.
fn redirect_variant(
    conn: &mut DbConnection,
    client: &super::clients::LoadedClient,
    code: &str,
    sent: &str,
) -> CoreResult<Value> {
    use super::te_redirect::{compare, RedirectMatch, OMNIAUTH_VARIANT};
    let Some(row) =
        esia_store::grants::find_code(conn, code)?.filter(|r| r.mnemonic == client.mnemonic)
    else {
        return Ok(Value::Null);
    };
    Ok(
        match compare(sent, &row.redirect_uri, code, row.ac_state.as_deref()) {
            RedirectMatch::Same => json!({"name": "same", "accepted": true}),
            RedirectMatch::CallbackQuery => {
                json!({"name": OMNIAUTH_VARIANT, "accepted": client.lenient})
            }
            RedirectMatch::Differs => json!({"name": "differs", "accepted": false}),
        },
    )
}
