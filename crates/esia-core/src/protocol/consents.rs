//! A citizen's consents to client systems (the cabinet's «Согласия», account-lifecycle §cabinet):
//! what each system was allowed to read and when it last logged the person in, and the
//! withdrawal of a system's consent. A withdrawal deletes the consents, revokes the system's
//! refresh tokens for the person and revokes its access tokens already issued (a row under the
//! person's revocation key, read by every `/rs` check), in one transaction; the next `ac` of
//! that system asks for consent again. It must not touch other systems' grants.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDateTime, Utc};
use esia_store::write_transaction;

use crate::app::{new_id, Core};
use crate::error::{CoreError, CoreResult};
use crate::person::bearer::person_revocation_key;

/// One system's consent as the cabinet shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SystemConsent {
    pub mnemonic: String,
    /// The system's name (its mnemonic when it is no longer registered).
    pub name: String,
    /// Human words for the data it may read (from the scope catalogue).
    pub lines: Vec<&'static str>,
    /// When the first of its consents was given.
    pub granted_at: DateTime<Utc>,
    /// When it last received an authorization code for the person.
    pub last_login: Option<DateTime<Utc>>,
}

/// The scopes and the first grant time of one system, while the rows are gathered.
#[derive(Default)]
struct Gathered {
    scopes: Vec<String>,
    first: Option<NaiveDateTime>,
}

/// The person's consents, one entry per system, ordered by system name.
pub fn consents_view(core: &Core, person_id: &str) -> CoreResult<Vec<SystemConsent>> {
    let mut conn = core.conn()?;
    let rows = esia_store::consents::consents_of(&mut conn, person_id)?;
    let logins: BTreeMap<String, NaiveDateTime> =
        esia_store::consents::last_logins(&mut conn, person_id)?
            .into_iter()
            .collect();
    let mut by_system: BTreeMap<String, Gathered> = BTreeMap::new();
    for (mnemonic, scope, at) in rows {
        let g = by_system.entry(mnemonic).or_default();
        g.scopes.push(scope);
        g.first = Some(g.first.map_or(at, |f| f.min(at)));
    }
    let mut out = Vec::with_capacity(by_system.len());
    for (mnemonic, g) in by_system {
        let name = esia_store::clients::find_client(&mut conn, &mnemonic)?
            .map(|c| c.name)
            .unwrap_or_else(|| mnemonic.clone());
        out.push(SystemConsent {
            lines: esia_domain::scopes::consent_lines_ru(g.scopes.iter().map(String::as_str)),
            granted_at: g.first.unwrap_or_default().and_utc(),
            last_login: logins.get(&mnemonic).map(|at| at.and_utc()),
            name,
            mnemonic,
        });
    }
    out.sort_by(|a, b| {
        a.name
            .cmp(&b.name)
            .then_with(|| a.mnemonic.cmp(&b.mnemonic))
    });
    Ok(out)
}

/// Withdraws the person's consent to `mnemonic` (see the module comment); NotFound when the
/// person had given that system none.
pub fn revoke_consent(core: &Core, person_id: &str, mnemonic: &str) -> CoreResult<()> {
    let now = core.now_naive();
    let mut conn = core.conn()?;
    let person = esia_store::persons::find_person(&mut conn, person_id)?
        .ok_or(CoreError::NotFound("согласие"))?;
    let key = person_revocation_key(person.oid);
    let refresh = write_transaction(&mut conn, |conn| -> CoreResult<Option<usize>> {
        if esia_store::consents::delete_consents(conn, person_id, mnemonic)? == 0 {
            return Ok(None);
        }
        let n = esia_store::consents::revoke_refresh_of_person(conn, person_id, mnemonic, now)?;
        // The table a replayed code revokes through, with the person's key in place of a sid.
        esia_store::grants::revoke_access_by_sid(conn, &new_id(), mnemonic, &key, now)?;
        Ok(Some(n))
    })?;
    match refresh {
        Some(n) => {
            tracing::info!(person.id = %person_id, client.id = %mnemonic, refresh_revoked = n, "consent withdrawn");
            Ok(())
        }
        None => Err(CoreError::NotFound("согласие")),
    }
}
