//! Client systems: registration (mnemonic, name, redirect URI prefixes, allowed scopes, token
//! algorithm, strict or lenient mode, certificates), listing, showing and removal; and loading a
//! client for the protocol endpoints. Validates everything it stores; owns no HTTP.

use chrono::NaiveDateTime;
use esia_crypto::cert::ParsedCert;
use esia_crypto::jwt::JwtAlg;
use esia_crypto::secret::RegisteredCert;
use esia_domain::ValidationError;
use esia_store::clients::{ClientCertRow, ClientRow};
use esia_store::{write_transaction, DbConnection};
use serde::{Deserialize, Serialize};

use crate::app::{new_id, Core};
use crate::error::{CoreError, CoreResult, FieldError};

/// The mnemonic of the demo client, whose private keys are in the repository.
pub const DEMO_CLIENT: &str = "DEMO_IS";

/// What a caller asks to register.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClientSpec {
    pub mnemonic: String,
    pub name: String,
    pub redirect_uris: Vec<String>,
    /// Allowed scopes; empty = every scope of the catalogue (person and organisation) plus `openid`.
    #[serde(default)]
    pub scopes: Vec<String>,
    /// `RS256` (default) or `GOST3410_2012_256`.
    #[serde(default)]
    pub token_alg: Option<String>,
    /// `strict` (default) or `lenient`.
    #[serde(default)]
    pub mode: Option<String>,
    /// Certificates as PEM (or bare base64 DER).
    #[serde(default)]
    pub certificates: Vec<String>,
}

/// A registered certificate as shown by the API and CLI.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CertView {
    pub id: String,
    /// `client_certificate_hash` (Streebog-256 of the DER, uppercase hex).
    pub hash_hex: String,
    pub subject: String,
    pub key_algorithm: String,
    pub not_after: String,
}

/// A registered client as shown by the API and CLI.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ClientView {
    pub mnemonic: String,
    pub name: String,
    pub redirect_uris: Vec<String>,
    pub scopes: Vec<String>,
    pub token_alg: String,
    pub mode: String,
    pub created_at: String,
    pub certificates: Vec<CertView>,
}

/// A client loaded for a protocol request.
#[derive(Debug, Clone)]
pub struct LoadedClient {
    pub mnemonic: String,
    pub name: String,
    pub redirect_uris: Vec<String>,
    pub scopes: Vec<String>,
    pub alg: JwtAlg,
    pub lenient: bool,
    pub certs: Vec<RegisteredCert>,
}

/// Every scope of the catalogue, person and organisation, plus `openid` (the default allowance).
pub fn all_scopes() -> Vec<String> {
    let mut v = vec!["openid".to_string()];
    v.extend(
        esia_domain::scopes::CATALOGUE
            .iter()
            .map(|s| s.name.to_string()),
    );
    v
}

fn bad(field: &'static str, code: &'static str, msg: impl Into<String>) -> FieldError {
    FieldError::new(field, ValidationError::new(code, msg))
}

fn parse_alg(s: &str) -> Option<JwtAlg> {
    match s {
        "RS256" => Some(JwtAlg::RS256),
        "GOST3410_2012_256" => Some(JwtAlg::GOST3410_2012_256),
        _ => None,
    }
}

/// Validates a spec; returns the parsed certificates (DER) and the normalised scope list.
fn validate(spec: &ClientSpec) -> CoreResult<(Vec<ParsedCert>, Vec<String>)> {
    let mut errors = Vec::new();
    let m = &spec.mnemonic;
    if m.is_empty()
        || m.len() > 64
        || !m
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        errors.push(bad(
            "mnemonic",
            "mnemonic_invalid",
            "1–64 characters: latin letters, digits, '_' or '-'",
        ));
    }
    if spec.name.trim().is_empty() {
        errors.push(bad("name", "name_required", "the system name is required"));
    }
    if spec.redirect_uris.is_empty() {
        errors.push(bad(
            "redirect_uris",
            "redirect_uris_required",
            "at least one redirect URI prefix is required",
        ));
    }
    for u in &spec.redirect_uris {
        let ok = url::Url::parse(u).is_ok_and(|p| matches!(p.scheme(), "http" | "https"));
        if !ok {
            errors.push(bad(
                "redirect_uris",
                "redirect_uri_invalid",
                format!("not an http(s) URL: {u}"),
            ));
        } else if let Err(why) = super::redirect::parse_plain(u) {
            // It would never match (`redirect.rs`): say so now rather than at the first `ac`.
            errors.push(bad(
                "redirect_uris",
                "redirect_uri_invalid",
                format!(
                    "not a plain http(s) URL ({}): no user info, fragment, backslash, \
                     whitespace, or host or port in an unusual spelling: {u}",
                    why.as_str()
                ),
            ));
        }
    }
    let scopes = if spec.scopes.is_empty() {
        all_scopes()
    } else {
        spec.scopes.clone()
    };
    for s in &scopes {
        if s != "openid" && esia_domain::scopes::scope_info(s).is_none() {
            errors.push(bad(
                "scopes",
                "scope_unknown",
                format!("unknown scope: {s}"),
            ));
        }
    }
    if let Some(a) = &spec.token_alg {
        if parse_alg(a).is_none() {
            errors.push(bad(
                "token_alg",
                "token_alg_invalid",
                "RS256 or GOST3410_2012_256",
            ));
        }
    }
    if let Some(mode) = &spec.mode {
        if mode != "strict" && mode != "lenient" {
            errors.push(bad("mode", "mode_invalid", "strict or lenient"));
        }
    }
    let mut certs = Vec::new();
    for (i, pem) in spec.certificates.iter().enumerate() {
        match ParsedCert::from_pem_or_der(pem.as_bytes()) {
            Ok(c) => certs.push(c),
            Err(e) => errors.push(bad(
                "certificates",
                "certificate_invalid",
                format!("certificate #{}: {e}", i + 1),
            )),
        }
    }
    if errors.is_empty() {
        Ok((certs, scopes))
    } else {
        Err(CoreError::Validation(errors))
    }
}

fn view(row: ClientRow, certs: Vec<ClientCertRow>) -> ClientView {
    ClientView {
        redirect_uris: serde_json::from_str(&row.redirect_uris).unwrap_or_default(),
        scopes: serde_json::from_str(&row.scopes).unwrap_or_default(),
        mnemonic: row.mnemonic,
        name: row.name,
        token_alg: row.token_alg,
        mode: row.mode,
        created_at: row.created_at.and_utc().to_rfc3339(),
        certificates: certs
            .into_iter()
            .map(|c| {
                let parsed = ParsedCert::from_pem_or_der(c.pem.as_bytes()).ok();
                CertView {
                    id: c.id,
                    hash_hex: c.hash_hex,
                    subject: parsed
                        .as_ref()
                        .map(|p| p.subject.clone())
                        .unwrap_or_default(),
                    key_algorithm: parsed
                        .as_ref()
                        .map(|p| format!("{:?}", p.key_algorithm))
                        .unwrap_or_default(),
                    not_after: parsed.map(|p| p.not_after.to_rfc3339()).unwrap_or_default(),
                }
            })
            .collect(),
    }
}

/// Inserts a validated client inside the caller's transaction.
pub(crate) fn insert(core: &Core, conn: &mut DbConnection, spec: &ClientSpec) -> CoreResult<()> {
    let (certs, scopes) = validate(spec)?;
    let now = core.now_naive();
    esia_store::clients::insert_client(conn, &client_row(spec, &scopes, now))?;
    insert_certs(conn, &spec.mnemonic, &certs, now)
}

/// Creates the client or rewrites an existing one in place (seed files: matched by mnemonic;
/// its codes, tokens and consents survive). Returns true when it was created.
pub fn upsert(core: &Core, conn: &mut DbConnection, spec: &ClientSpec) -> CoreResult<bool> {
    if esia_store::clients::find_client(conn, &spec.mnemonic)?.is_none() {
        insert(core, conn, spec)?;
        return Ok(true);
    }
    let (certs, scopes) = validate(spec)?;
    let now = core.now_naive();
    esia_store::clients::update_client(conn, &client_row(spec, &scopes, now))?;
    esia_store::clients::delete_client_certs(conn, &spec.mnemonic)?;
    insert_certs(conn, &spec.mnemonic, &certs, now)?;
    Ok(false)
}

/// The stored row of a validated client spec (defaults: RS256, strict).
fn client_row(spec: &ClientSpec, scopes: &[String], now: NaiveDateTime) -> ClientRow {
    ClientRow {
        mnemonic: spec.mnemonic.clone(),
        name: spec.name.trim().to_string(),
        redirect_uris: serde_json::to_string(&spec.redirect_uris).unwrap_or_default(),
        scopes: serde_json::to_string(scopes).unwrap_or_default(),
        token_alg: spec.token_alg.clone().unwrap_or_else(|| "RS256".into()),
        mode: spec.mode.clone().unwrap_or_else(|| "strict".into()),
        created_at: now,
    }
}

fn insert_certs(
    conn: &mut DbConnection,
    mnemonic: &str,
    certs: &[ParsedCert],
    now: NaiveDateTime,
) -> CoreResult<()> {
    for c in certs {
        esia_store::clients::insert_client_cert(
            conn,
            &ClientCertRow {
                id: new_id(),
                mnemonic: mnemonic.to_string(),
                pem: super::public::cert_pem(&c.der),
                hash_hex: c.hash_hex(),
                created_at: now,
            },
        )?;
    }
    Ok(())
}

/// As `load`, for the protocol endpoints: the demo client counts as unknown where
/// `Config::demo_client_served` says no (its private keys are public).
pub(crate) fn load_served(
    core: &Core,
    conn: &mut DbConnection,
    mnemonic: &str,
) -> CoreResult<Option<LoadedClient>> {
    if mnemonic == DEMO_CLIENT && !core.config.demo_client_served() {
        return Ok(None);
    }
    load(conn, mnemonic)
}

/// Loads a client with its certificates (None when unknown).
pub fn load(conn: &mut DbConnection, mnemonic: &str) -> CoreResult<Option<LoadedClient>> {
    let Some(row) = esia_store::clients::find_client(conn, mnemonic)? else {
        return Ok(None);
    };
    let certs = esia_store::clients::client_certs(conn, mnemonic)?
        .into_iter()
        .map(|c| RegisteredCert {
            id: c.id,
            der: c.pem.into_bytes(),
        })
        .collect();
    Ok(Some(LoadedClient {
        redirect_uris: serde_json::from_str(&row.redirect_uris).unwrap_or_default(),
        scopes: serde_json::from_str(&row.scopes).unwrap_or_default(),
        alg: parse_alg(&row.token_alg).unwrap_or(JwtAlg::RS256),
        lenient: row.mode == "lenient",
        mnemonic: row.mnemonic,
        name: row.name,
        certs,
    }))
}

/// Registers a client system; 409 when the mnemonic is taken.
pub fn add_client(core: &Core, spec: &ClientSpec) -> CoreResult<ClientView> {
    let mut conn = core.conn()?;
    write_transaction(&mut conn, |conn| -> CoreResult<()> {
        if esia_store::clients::find_client(conn, &spec.mnemonic)?.is_some() {
            return Err(CoreError::Conflict(format!(
                "client {} already exists",
                spec.mnemonic
            )));
        }
        insert(core, conn, spec)
    })?;
    tracing::info!(client.id = %spec.mnemonic, "client system registered");
    show_client(core, &spec.mnemonic)
}

pub fn list_clients(core: &Core) -> CoreResult<Vec<ClientView>> {
    let mut conn = core.conn()?;
    let rows = esia_store::clients::list_clients(&mut conn)?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let certs = esia_store::clients::client_certs(&mut conn, &row.mnemonic)?;
        out.push(view(row, certs));
    }
    Ok(out)
}

pub fn show_client(core: &Core, mnemonic: &str) -> CoreResult<ClientView> {
    let mut conn = core.conn()?;
    let row = esia_store::clients::find_client(&mut conn, mnemonic)?
        .ok_or(CoreError::NotFound("client"))?;
    let certs = esia_store::clients::client_certs(&mut conn, mnemonic)?;
    Ok(view(row, certs))
}

/// Removes a client with its certificates, codes, tokens and consents.
pub fn remove_client(core: &Core, mnemonic: &str) -> CoreResult<()> {
    let mut conn = core.conn()?;
    let n = write_transaction(&mut conn, |conn| -> CoreResult<usize> {
        Ok(esia_store::clients::delete_client(conn, mnemonic)?)
    })?;
    if n == 0 {
        return Err(CoreError::NotFound("client"));
    }
    tracing::info!(client.id = %mnemonic, "client system removed");
    Ok(())
}
