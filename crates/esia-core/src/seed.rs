//! The demo data set applied once to an empty database: simplified personas mirroring the real
//! test stand's shared logins (`EsiaTest00N@yandex.ru`, password `11111111`), so scripts written
//! for the test stand run unchanged. Seeded passwords skip the password rules on purpose.

use esia_store::persons::{ContactRow, PersonRow};
use esia_store::write_transaction;

use crate::app::{new_esia_id, new_id, Core};
use crate::error::CoreResult;

/// One demo persona as printed in the banner and README.
#[derive(Debug, Clone)]
pub struct DemoPersona {
    pub oid: i64,
    pub surname: &'static str,
    pub name: &'static str,
    pub patronymic: &'static str,
    pub phone: &'static str,
    pub email: &'static str,
    pub password: &'static str,
}

/// The demo personas (stable oids, phones in the +7 900 000-00-xx range no operator assigns).
pub const DEMO_PERSONAS: &[DemoPersona] = &[
    DemoPersona {
        oid: 1000000001,
        surname: "Иванов",
        name: "Иван",
        patronymic: "Иванович",
        phone: "+79000000001",
        email: "esiatest001@yandex.ru",
        password: "11111111",
    },
    DemoPersona {
        oid: 1000000002,
        surname: "Петрова",
        name: "Мария",
        patronymic: "Сергеевна",
        phone: "+79000000002",
        email: "esiatest002@yandex.ru",
        password: "11111111",
    },
    DemoPersona {
        oid: 1000000003,
        surname: "Smirnov",
        name: "Alexey",
        patronymic: "",
        phone: "+79000000003",
        email: "esiatest003@yandex.ru",
        password: "11111111",
    },
];

impl Core {
    /// Seeds the demo personas when the database has no persons yet; returns how many were added.
    pub fn seed_demo_if_empty(&self) -> CoreResult<usize> {
        let mut conn = self.conn()?;
        if esia_store::persons::count_persons(&mut conn)? > 0 {
            return Ok(0);
        }
        self.seed_demo_client()?;
        // Demo hashes use the cheap profile: the passwords are public anyway.
        let now = self.now_naive();
        let mut rows = Vec::new();
        for p in DEMO_PERSONAS {
            let hash = esia_crypto::password::hash_password(
                p.password,
                &esia_crypto::password::Argon2Params::CHEAP,
            )
            .map_err(|e| crate::error::CoreError::Internal(e.to_string()))?;
            rows.push((p, hash));
        }
        write_transaction(&mut conn, |conn| -> CoreResult<usize> {
            for (p, hash) in &rows {
                let person_id = new_id();
                esia_store::persons::insert_person(
                    conn,
                    &PersonRow {
                        password_hash: Some(hash.clone()),
                        ..PersonRow::new_simplified(
                            person_id.clone(),
                            p.oid,
                            p.surname.into(),
                            p.name.into(),
                            (!p.patronymic.is_empty()).then(|| p.patronymic.to_string()),
                            now,
                        )
                    },
                )?;
                for (kind, value) in [("MBT", p.phone), ("EML", p.email)] {
                    esia_store::persons::insert_contact(
                        conn,
                        &ContactRow {
                            id: new_id(),
                            esia_id: new_esia_id(),
                            person_id: person_id.clone(),
                            kind: kind.into(),
                            value: value.into(),
                            verified: true,
                            verifying_value: None,
                            created_at: now,
                            updated_at: now,
                        },
                    )?;
                }
            }
            crate::seed_catalogue::seed_catalogue(conn, now)?;
            Ok(rows.len())
        })
    }
}
