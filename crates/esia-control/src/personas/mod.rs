//! Test personas for QA: the persona spec (what a persona can be given; also the unit of seed
//! files and snapshots) and the use cases applying, listing, changing and deleting personas.
//! Each use case is one write transaction; password hashing (the slow part) happens before it.

mod apply;
mod build;
mod check;
mod collections;
mod export;
mod kinds;
mod memberships;
pub(crate) mod rows;
pub mod spec;
mod spec_collections;
mod view;

use esia_store::write_transaction;

pub use export::spec_of;
pub use spec::PersonaSpec;
pub use view::{
    PersonaApplied, PersonaLogins, PersonaPage, PersonaPatch, PersonaQuery, PersonaSummary,
    PersonaView,
};

use self::apply::NewPassword;
use crate::Control;
use esia_core::error::{CoreError, CoreResult};

/// The message when the database's unique index, not a check, found a login or oid taken.
const TAKEN: &str = "a login or oid is already taken";

/// The personas list's login filter in the spelling the store keeps, so every backend finds
/// the same personas: a whole login as its validated value (lower-case e-mail, `+7…` phone,
/// SNILS digits); a part of a phone or SNILS as its digits; anything else lower-cased.
fn login_needle(raw: &str) -> String {
    use esia_domain::LoginId;
    match LoginId::parse(raw) {
        Ok(LoginId::Phone(p)) => p.e164().to_string(),
        Ok(LoginId::Email(e)) => e.as_str().to_string(),
        Ok(LoginId::Snils(s)) => s.digits().to_string(),
        Err(_) => {
            let digits_only = raw.chars().any(|c| c.is_ascii_digit())
                && raw
                    .chars()
                    .all(|c| c.is_ascii_digit() || matches!(c, '+' | '(' | ')' | '-' | ' '));
            if digits_only {
                raw.chars().filter(char::is_ascii_digit).collect()
            } else {
                raw.to_lowercase()
            }
        }
    }
}

/// A spec whose password is hashed already: what `apply_prepared_in` writes.
pub(crate) struct PreparedPersona {
    spec: PersonaSpec,
    password: NewPassword,
}

/// Applies a prepared spec inside the caller's write transaction (a persona, or one entry of a
/// seed applied with others in one transaction).
pub(crate) fn apply_prepared_in(
    conn: &mut esia_store::DbConnection,
    prepared: PreparedPersona,
    clock: (chrono::NaiveDate, chrono::NaiveDateTime),
) -> CoreResult<PersonaApplied> {
    let (created, view) = apply::apply_in(conn, &prepared.spec, prepared.password, clock)?;
    tracing::info!(oid = view.oid, created, "persona applied");
    Ok(PersonaApplied { created, view })
}

pub(crate) fn clock_pair(ctl: &Control) -> (chrono::NaiveDate, chrono::NaiveDateTime) {
    let now = ctl.idp.now_naive();
    (now.date(), now)
}

/// The password to store: the given one, or a generated one when the spec has no hash.
fn new_password(ctl: &Control, given: Option<&str>, has_hash: bool) -> CoreResult<NewPassword> {
    let plain = match given {
        Some(p) => p.to_string(),
        None if has_hash => return Ok(None),
        None => esia_domain::generate_password(&mut rand::thread_rng()),
    };
    if plain.is_empty() || plain.chars().count() > 128 {
        // Checked again (with the field name) by the builder; no hashing of junk.
        return Ok(None);
    }
    let hash = esia_crypto::password::hash_password(&plain, &ctl.idp.config.security.argon2())
        .map_err(|e| CoreError::Internal(e.to_string()))?;
    Ok(Some((plain, hash)))
}

/// Creates the persona, or updates the one with the spec's oid (else phone, else e-mail):
/// applying the same spec twice leaves one persona.
pub fn apply_persona(ctl: &Control, spec: &PersonaSpec) -> CoreResult<PersonaApplied> {
    let prepared = crate::personas::prepare_persona(ctl, spec)?;
    let clock = crate::personas::clock_pair(ctl);
    let mut conn = ctl.idp.conn()?;
    write_transaction(&mut conn, |conn| apply_prepared_in(conn, prepared, clock))
        .map_err(|e| e.or_taken(TAKEN))
}

/// The slow part of applying a spec (hashing its password, or a generated one), to run
/// before the write transaction.
pub(crate) fn prepare_persona(ctl: &Control, spec: &PersonaSpec) -> CoreResult<PreparedPersona> {
    let mut spec = spec.clone();
    if spec.password.is_some() {
        spec.password_hash = None;
    }
    let password =
        crate::personas::new_password(ctl, spec.password.as_deref(), spec.password_hash.is_some())?;
    Ok(PreparedPersona { spec, password })
}

/// Applies many specs in one write transaction (seed files): all or nothing. Validation
/// messages name the spec's position (`persona 3: …`).
pub fn apply_personas(ctl: &Control, specs: &[PersonaSpec]) -> CoreResult<Vec<PersonaApplied>> {
    let mut prepared = Vec::with_capacity(specs.len());
    for spec in specs {
        let mut spec = spec.clone();
        if spec.password.is_some() {
            spec.password_hash = None;
        }
        let pw = crate::personas::new_password(
            ctl,
            spec.password.as_deref(),
            spec.password_hash.is_some(),
        )?;
        prepared.push((spec, pw));
    }
    let clock = crate::personas::clock_pair(ctl);
    let mut conn = ctl.idp.conn()?;
    let applied = write_transaction(&mut conn, |conn| -> CoreResult<Vec<PersonaApplied>> {
        let mut out = Vec::with_capacity(prepared.len());
        for (i, (spec, pw)) in prepared.into_iter().enumerate() {
            let (created, view) = apply::apply_in(conn, &spec, pw, clock).map_err(|e| match e {
                CoreError::Validation(mut fields) => {
                    for f in &mut fields {
                        f.error.message = format!("persona {i}: {}", f.error.message);
                    }
                    CoreError::Validation(fields)
                }
                CoreError::Conflict(m) => CoreError::Conflict(format!("persona {i}: {m}")),
                CoreError::LoginTaken(m) => CoreError::LoginTaken(format!("persona {i}: {m}")),
                other => other,
            })?;
            out.push(PersonaApplied { created, view });
        }
        Ok(out)
    })?;
    tracing::info!(count = applied.len(), "personas applied");
    Ok(applied)
}

/// Every persona as a full spec, password hash included (snapshot export), oldest first.
pub fn export_personas(ctl: &Control) -> CoreResult<Vec<PersonaSpec>> {
    let mut conn = ctl.idp.conn()?;
    let mut out = Vec::new();
    let mut offset = 0;
    loop {
        let page = esia_store::personas::page_persons(&mut conn, None, None, offset, 500)?;
        if page.is_empty() {
            break;
        }
        offset += page.len() as i64;
        for p in &page {
            out.push(spec_of(&mut conn, p)?);
        }
    }
    Ok(out)
}

/// One persona with all its data (no password).
pub fn get_persona(ctl: &Control, oid: i64) -> CoreResult<PersonaView> {
    let mut conn = ctl.idp.conn()?;
    let p = esia_store::persons::find_person_by_oid(&mut conn, oid)?
        .ok_or(CoreError::NotFound("persona"))?;
    let contacts = esia_store::persons::contacts_of(&mut conn, &p.id)?;
    let mut data = spec_of(&mut conn, &p)?;
    data.password_hash = None;
    Ok(apply::view_of(&p, &contacts, data))
}

/// A page of personas, oldest first, optionally by level and login substring.
pub fn list_personas(ctl: &Control, q: &PersonaQuery) -> CoreResult<PersonaPage> {
    let offset = q.offset.unwrap_or(0);
    let limit = q.limit.unwrap_or(100);
    if offset < 0 {
        return Err(CoreError::field(
            "offset",
            esia_domain::ValidationError::new("offset_invalid", "offset ≥ 0"),
        ));
    }
    if !(1..=1000).contains(&limit) {
        return Err(CoreError::field(
            "limit",
            esia_domain::ValidationError::new("limit_invalid", "limit от 1 до 1000"),
        ));
    }
    let needle = q
        .login
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(login_needle);
    let mut conn = ctl.idp.conn()?;
    let rows =
        esia_store::personas::page_persons(&mut conn, q.level, needle.as_deref(), offset, limit)?;
    let ids: Vec<String> = rows.iter().map(|p| p.id.clone()).collect();
    let contacts = esia_store::personas::contacts_of_persons(&mut conn, &ids)?;
    let personas = rows
        .iter()
        .map(|p| PersonaSummary {
            oid: p.oid,
            level: p.level,
            status: p.status.to_string(),
            blocked: p.blocked,
            logins: apply::logins_of(p, &contacts),
            surname: p.surname.clone(),
            name: p.name.clone(),
            patronymic: p.patronymic.clone(),
        })
        .collect();
    Ok(PersonaPage {
        personas,
        offset,
        limit,
    })
}

/// Changes a persona: level, block, delete flag, password, any data.
pub fn patch_persona(ctl: &Control, oid: i64, patch: &PersonaPatch) -> CoreResult<PersonaView> {
    let password = match &patch.password {
        Some(p) => crate::personas::new_password(ctl, Some(p), false)?,
        None => None,
    };
    let clock = crate::personas::clock_pair(ctl);
    let mut conn = ctl.idp.conn()?;
    let view = write_transaction(&mut conn, |conn| -> CoreResult<PersonaView> {
        let p = esia_store::persons::find_person_by_oid(conn, oid)?
            .ok_or(CoreError::NotFound("persona"))?;
        let merged = view::merge_patch(spec_of(conn, &p)?, patch);
        apply::save(conn, Some(p), &merged, password, clock)
    })
    .map_err(|e| e.or_taken(TAKEN))?;
    tracing::info!(oid, "persona patched");
    Ok(view)
}

/// Deletes a persona and everything it owns (sessions, tokens, data).
pub fn delete_persona(ctl: &Control, oid: i64) -> CoreResult<()> {
    let mut conn = ctl.idp.conn()?;
    write_transaction(&mut conn, |conn| -> CoreResult<()> {
        let p = esia_store::persons::find_person_by_oid(conn, oid)?
            .ok_or(CoreError::NotFound("persona"))?;
        esia_store::personas::delete_person(conn, &p.id)?;
        Ok(())
    })?;
    tracing::info!(oid, "persona deleted");
    Ok(())
}
