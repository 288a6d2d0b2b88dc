//! The demo persona catalogue `EsiaTest004@yandex.ru` … `EsiaTest016@yandex.ru` (password
//! `11111111`), mirroring the real test stand's shared logins «с разными статусами»
//! (esia-protocol §13): standard, confirmed, with kids, with vehicles, an organisation's chief
//! and employee, checks in progress or failed, a deleted account, a pending phone change.
//! Generated deterministically (fixed seeds and a fixed "today") with
//! `esia_domain::generate::TestDataGenerator`, so identifiers are checksum-valid and stable
//! across runs; oids are `10000000NN`. Runs inside `seed_demo_if_empty`'s transaction.

use chrono::NaiveDateTime;
use esia_store::DbConnection;

use crate::error::{CoreError, CoreResult};

#[path = "seed_catalogue_rows.rs"]
mod rows;

/// One catalogue persona: what its account looks like.
#[derive(Debug, Clone, Copy)]
pub struct CataloguePersona {
    pub n: i64,
    pub level: &'static str,
    pub status: &'static str,
    /// `none`, `verifying` or `failed` (the upgrade checks).
    pub verification: &'static str,
    /// Personal data, SNILS and passport filled in.
    pub filled: bool,
    pub inn: bool,
    pub addresses: u8,
    pub kids: u8,
    pub vehicles: u8,
    /// 0 none, 1 chief of the demo organisation, 2 its administrator.
    pub org_role: u8,
    pub docs: &'static [&'static str],
    pub phone: bool,
    pub pending_phone: bool,
    pub home_phone: bool,
    /// Shown in README's demo table.
    pub note: &'static str,
}

const fn p(n: i64, level: &'static str, note: &'static str) -> CataloguePersona {
    CataloguePersona {
        n,
        level,
        status: "REGISTERED",
        verification: "none",
        filled: true,
        inn: false,
        addresses: 1,
        kids: 0,
        vehicles: 0,
        org_role: 0,
        docs: &[],
        phone: true,
        pending_phone: false,
        home_phone: false,
        note,
    }
}

/// The catalogue, in login order.
pub const CATALOGUE: &[CataloguePersona] = &[
    p(4, "standard", "стандартная: СНИЛС и паспорт проверены"),
    CataloguePersona {
        inn: true,
        addresses: 2,
        docs: &["MDCL_PLCY"],
        ..p(5, "standard", "стандартная, ИНН, два адреса, полис ОМС")
    },
    CataloguePersona {
        inn: true,
        addresses: 2,
        docs: &["RF_DRIVING_LICENSE", "FRGN_PASS", "MDCL_PLCY"],
        ..p(6, "confirmed", "подтверждённая, все документы")
    },
    CataloguePersona {
        inn: true,
        kids: 2,
        ..p(
            7,
            "confirmed",
            "подтверждённая, двое детей со свидетельствами о рождении",
        )
    },
    CataloguePersona {
        vehicles: 2,
        docs: &["RF_DRIVING_LICENSE"],
        ..p(8, "confirmed", "подтверждённая, два автомобиля, права")
    },
    CataloguePersona {
        inn: true,
        org_role: 1,
        ..p(
            9,
            "confirmed",
            "подтверждённая, руководитель организации (ОГРН, ИНН)",
        )
    },
    CataloguePersona {
        org_role: 2,
        ..p(
            10,
            "standard",
            "стандартная, администратор той же организации",
        )
    },
    CataloguePersona {
        verification: "verifying",
        ..p(11, "simplified", "упрощённая, данные на проверке")
    },
    CataloguePersona {
        verification: "failed",
        ..p(12, "simplified", "упрощённая, паспорт не прошёл проверку")
    },
    CataloguePersona {
        status: "DELETED",
        ..p(
            13,
            "standard",
            "удалена (вход невозможен, /rs отвечает status DELETED)",
        )
    },
    CataloguePersona {
        home_phone: true,
        docs: &["MLTR_ID"],
        ..p(
            14,
            "confirmed",
            "подтверждённая, военный билет, домашний телефон",
        )
    },
    CataloguePersona {
        filled: false,
        addresses: 0,
        pending_phone: true,
        ..p(15, "simplified", "упрощённая, смена телефона ждёт кода")
    },
    CataloguePersona {
        filled: false,
        addresses: 0,
        phone: false,
        ..p(16, "simplified", "упрощённая, только почта")
    },
];

pub const ORG_OID: i64 = 1000000901;

pub fn oid(n: i64) -> i64 {
    1_000_000_000 + n
}

pub fn login_email(n: i64) -> String {
    format!("esiatest{n:03}@yandex.ru")
}

pub fn phone(n: i64) -> String {
    format!("+79000000{n:03}")
}

/// Inserts the catalogue; returns how many personas were added.
pub(crate) fn seed_catalogue(conn: &mut DbConnection, now: NaiveDateTime) -> CoreResult<usize> {
    let hash = esia_crypto::password::hash_password(
        "11111111",
        &esia_crypto::password::Argon2Params::CHEAP,
    )
    .map_err(|e| CoreError::Internal(e.to_string()))?;
    let mut org_id = None;
    for persona in CATALOGUE {
        rows::seed_one(conn, persona, &hash, now, &mut org_id)?;
    }
    Ok(CATALOGUE.len())
}
