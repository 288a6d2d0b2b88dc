//! Reading and clearing the protocol journal (`GET`/`DELETE /emulator/api/journal`, the
//! `/emulator/journal` page): the filter parameters as received, validated here so the API and
//! the page refuse the same input with the same field errors.

use chrono::DateTime;
use esia_domain::ValidationError;
use esia_store::clients::JournalFilter;
use esia_store::write_transaction;
use serde::Deserialize;

use crate::Control;
use esia_core::error::{CoreError, CoreResult, FieldError};
use esia_core::person::userinfo::USERINFO_PATH;
use esia_core::protocol::journal::JournalEntry;
use esia_core::protocol::Endpoint;

/// The largest page of entries one request returns.
pub const MAX_LIMIT: i64 = 1000;
const DEFAULT_LIMIT: i64 = 100;

/// Journal filters as sent (query string or page form); empty values mean "any".
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields, default)]
#[into_params(parameter_in = Query)]
pub struct JournalQuery {
    /// Client system mnemonic (`client_id`).
    pub client: Option<String>,
    /// Persona oid.
    #[param(value_type = Option<i64>)]
    pub persona: Option<String>,
    /// `ac`, `v2/ac`, `te`, `v3/te`, `rs` (every `/rs` path), `userinfo`, a full path, or a
    /// path prefix ending in `*`.
    pub endpoint: Option<String>,
    /// Entries at or after this instant (RFC 3339).
    pub from: Option<String>,
    /// Entries before this instant (RFC 3339).
    pub to: Option<String>,
    /// At most this many entries, newest first (1–1000, default 100).
    #[param(value_type = Option<i64>)]
    pub limit: Option<String>,
}

fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn invalid(field: &'static str, code: &'static str, message: &str) -> FieldError {
    FieldError::new(field, ValidationError::new(code, message))
}

/// The stored endpoint value (or prefix pattern) a filter names.
fn endpoint_pattern(e: &str) -> String {
    if let Some(ep) = Endpoint::parse(e) {
        return ep.path().to_string();
    }
    match e.trim_start_matches('/') {
        "rs" => "/rs/*".into(),
        "userinfo" => USERINFO_PATH.into(),
        _ => e.to_string(),
    }
}

impl JournalQuery {
    /// Validates every field at once; returns the store filter and the limit.
    pub fn parse(&self) -> CoreResult<(JournalFilter, i64)> {
        let mut errors = Vec::new();
        let time = |field: &'static str, v: &Option<String>, errors: &mut Vec<FieldError>| {
            given(v).and_then(|s| match DateTime::parse_from_rfc3339(s) {
                Ok(t) => Some(t.naive_utc()),
                Err(_) => {
                    errors.push(invalid(
                        field,
                        "time_invalid",
                        "ожидается время в формате RFC 3339, например 2026-11-25T12:00:00Z",
                    ));
                    None
                }
            })
        };
        let from = time("from", &self.from, &mut errors);
        let to = time("to", &self.to, &mut errors);
        let persona_oid = given(&self.persona).and_then(|s| match s.parse::<i64>() {
            Ok(oid) if oid > 0 => Some(oid),
            _ => {
                errors.push(invalid(
                    "persona",
                    "oid_invalid",
                    "oid — положительное целое число",
                ));
                None
            }
        });
        let limit = match given(&self.limit).map(str::parse::<i64>) {
            None => DEFAULT_LIMIT,
            Some(Ok(n)) if (1..=MAX_LIMIT).contains(&n) => n,
            Some(_) => {
                errors.push(invalid(
                    "limit",
                    "limit_invalid",
                    "limit — целое число от 1 до 1000",
                ));
                DEFAULT_LIMIT
            }
        };
        if let (Some(f), Some(t)) = (from, to) {
            if f >= t {
                errors.push(invalid("to", "range_invalid", "to должно быть позже from"));
            }
        }
        if !errors.is_empty() {
            return Err(CoreError::Validation(errors));
        }
        Ok((
            JournalFilter {
                mnemonic: given(&self.client).map(str::to_string),
                persona_oid,
                endpoint: given(&self.endpoint).map(endpoint_pattern),
                from,
                to,
            },
            limit,
        ))
    }
}

/// Journal entries matching `query`, newest first.
pub fn list_journal(ctl: &Control, query: &JournalQuery) -> CoreResult<Vec<JournalEntry>> {
    let (filter, limit) = query.parse()?;
    // The `/rs` rows this process still buffers, so a request's row is seen right after it.
    esia_core::protocol::journal::flush(&ctl.idp);
    let mut conn = ctl.idp.conn()?;
    let rows = esia_store::clients::list_journal(&mut conn, &filter, limit)?;
    Ok(rows.into_iter().map(JournalEntry::from).collect())
}

/// Deletes every journal entry; returns how many were deleted.
pub fn clear_journal(ctl: &Control) -> CoreResult<usize> {
    // Buffered rows of earlier requests go too, instead of landing after the clear.
    esia_core::protocol::journal::flush(&ctl.idp);
    let mut conn = ctl.idp.conn()?;
    let n = write_transaction(&mut conn, |c| -> CoreResult<usize> {
        Ok(esia_store::clients::clear_journal(c)?)
    })?;
    tracing::info!(deleted = n, "journal cleared");
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(f: impl FnOnce(&mut JournalQuery)) -> JournalQuery {
        let mut q = JournalQuery::default();
        f(&mut q);
        q
    }

    #[test]
    fn empty_query_means_everything_with_the_default_limit() {
        let (f, limit) = q(|q| q.client = Some(" ".into())).parse().unwrap();
        assert_eq!(limit, 100);
        assert!(f.mnemonic.is_none() && f.endpoint.is_none() && f.from.is_none());
    }

    #[test]
    fn short_endpoint_names_become_paths_or_prefixes() {
        assert_eq!(endpoint_pattern("v3/te"), "/aas/oauth2/v3/te");
        assert_eq!(endpoint_pattern("ac"), "/aas/oauth2/ac");
        assert_eq!(endpoint_pattern("rs"), "/rs/*");
        assert_eq!(endpoint_pattern("userinfo"), USERINFO_PATH);
        assert_eq!(endpoint_pattern("/rs/prns/1/ctts"), "/rs/prns/1/ctts");
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let err = q(|q| {
            q.from = Some("yesterday".into());
            q.persona = Some("abc".into());
            q.limit = Some("5000".into());
        })
        .parse()
        .unwrap_err();
        let CoreError::Validation(fields) = err else {
            panic!("validation expected")
        };
        let names: Vec<_> = fields.iter().map(|f| f.field).collect();
        assert_eq!(names, vec!["from", "persona", "limit"]);
    }

    #[test]
    fn a_range_must_be_ordered() {
        let err = q(|q| {
            q.from = Some("2026-11-25T12:00:00Z".into());
            q.to = Some("2026-11-25T11:00:00+00:00".into());
        })
        .parse()
        .unwrap_err();
        assert!(matches!(err, CoreError::Validation(f) if f[0].field == "to"));
        let (f, _) = q(|q| q.to = Some("2026-11-25T15:00:00+03:00".into()))
            .parse()
            .unwrap();
        assert_eq!(f.to.unwrap().to_string(), "2026-11-25 12:00:00");
    }
}
