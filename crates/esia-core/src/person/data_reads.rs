//! «Межведомственные запросы» of the cabinet's «Безопасность»: which system read which of the
//! person's data through `/rs` or userinfo, when, and whether it was given, from the protocol
//! journal (so only while `protocol.journal_rs` is on, and as long as the journal keeps the
//! rows). The journal is flushed first, so a read made a moment ago is listed. It must not show
//! anything of the answer itself.

use chrono::{DateTime, Utc};

use crate::app::Core;
use crate::error::{CoreError, CoreResult};
use crate::protocol::endpoints::USERINFO_PATH;

/// Rows a page shows.
pub const PAGE_SIZE: i64 = 20;

/// One read of the person's data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataRead {
    pub at: DateTime<Utc>,
    /// The system's name (its mnemonic when no longer registered; «—» when unknown).
    pub system: String,
    /// The data asked for, in words.
    pub resource: &'static str,
    /// Whether the data were given (2xx/304), or refused.
    pub given: bool,
}

/// A page of the person's data reads, newest first.
#[derive(Debug, Clone)]
pub struct DataReadsView {
    pub reads: Vec<DataRead>,
    /// Whether `/rs` requests are journaled at all (`protocol.journal_rs`).
    pub journal_on: bool,
    /// Whether an older page exists.
    pub more: bool,
}

/// The words for what a `/rs` path (or userinfo) asked for.
pub fn resource_words(path: &str) -> &'static str {
    if path == USERINFO_PATH {
        return "Профиль (OIDC userinfo)";
    }
    if path.starts_with("/rs/orgs/") {
        return "Сведения об организации";
    }
    let Some(rest) = path.strip_prefix("/rs/prns/") else {
        return "Другие сведения";
    };
    let tail = rest.split_once('/').map(|(_, t)| t).unwrap_or("");
    match tail.split('/').next().unwrap_or("") {
        "" => "Основные сведения",
        "ctts" => "Контакты",
        "docs" => "Документы",
        "addrs" => "Адреса",
        "kids" => "Сведения о детях",
        "vhls" => "Транспортные средства",
        "roles" | "orgs" => "Организации",
        _ => "Другие сведения",
    }
}

/// Page `page` (from 0) of the reads of `person_id`'s data.
pub fn data_reads(core: &Core, person_id: &str, page: u32) -> CoreResult<DataReadsView> {
    crate::protocol::journal::flush(core);
    let mut conn = core.conn()?;
    let person = esia_store::persons::find_person(&mut conn, person_id)?
        .ok_or(CoreError::NotFound("person"))?;
    let offset = i64::from(page.min(10_000)) * PAGE_SIZE;
    let mut rows = esia_store::journal_reads::data_reads_of(
        &mut conn,
        person.oid,
        USERINFO_PATH,
        PAGE_SIZE + 1,
        offset,
    )?;
    let more = rows.len() as i64 > PAGE_SIZE;
    rows.truncate(PAGE_SIZE as usize);
    let mut names: std::collections::HashMap<String, String> = Default::default();
    let mut reads = Vec::with_capacity(rows.len());
    for (at, path, mnemonic, status) in rows {
        let system = match mnemonic {
            None => "—".to_string(),
            Some(m) => match names.get(&m) {
                Some(n) => n.clone(),
                None => {
                    let name = esia_store::clients::find_client(&mut conn, &m)?
                        .map(|c| c.name)
                        .unwrap_or_else(|| m.clone());
                    names.insert(m, name.clone());
                    name
                }
            },
        };
        reads.push(DataRead {
            at: at.and_utc(),
            system,
            resource: resource_words(&path),
            given: matches!(status, Some(200..=299) | Some(304)),
        });
    }
    Ok(DataReadsView {
        reads,
        journal_on: core.config.protocol.journal_rs,
        more,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_resource_has_its_words() {
        assert_eq!(resource_words("/rs/prns/1000000001"), "Основные сведения");
        assert_eq!(resource_words("/rs/prns/1000000001/ctts"), "Контакты");
        assert_eq!(resource_words("/rs/prns/1/docs/7"), "Документы");
        assert_eq!(resource_words("/rs/prns/1/kids/3/docs"), "Сведения о детях");
        assert_eq!(
            resource_words("/rs/orgs/1000000901"),
            "Сведения об организации"
        );
        assert_eq!(resource_words(USERINFO_PATH), "Профиль (OIDC userinfo)");
        assert_eq!(resource_words("/rs/prns/1/zzz"), "Другие сведения");
    }
}
