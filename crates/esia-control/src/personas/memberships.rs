//! A persona's organisation memberships, inside the caller's write transaction: each
//! organisation is found by oid or ОГРН, or created from the given and generated data when new,
//! and the person gets one role in it (a second membership of the same organisation is
//! skipped). The as-written path of seed files links organisations itself.

use chrono::NaiveDateTime;
use esia_domain::generate::TestDataGenerator;
use esia_store::person_data::{self as pd, OrgRoleRow, OrganizationRow};
use esia_store::personas as q;
use esia_store::DbConnection;

use super::build::OID_MAX;
use super::check::Checks;
use super::spec::OrgMembershipSpec;
use esia_core::app::{new_id, new_oid};
use esia_core::error::{CoreError, CoreResult};

/// Links the person to the organisations of `memberships`; returns the roles written, each with
/// its organisation.
pub(crate) fn link_organizations(
    conn: &mut DbConnection,
    memberships: &[OrgMembershipSpec],
    person_id: &str,
    g: &mut TestDataGenerator,
    now: NaiveDateTime,
) -> CoreResult<Vec<(OrgRoleRow, OrganizationRow)>> {
    let mut roles: Vec<(OrgRoleRow, OrganizationRow)> = Vec::new();
    for m in memberships {
        let org = organization(conn, m, g, now)?;
        let role = OrgRoleRow {
            id: new_id(),
            org_id: org.id.clone(),
            person_id: person_id.into(),
            chief: m.chief,
            admin: m.admin,
            active: !m.inactive,
            created_at: now,
        };
        if roles.iter().any(|(r, _)| r.org_id == role.org_id) {
            continue;
        }
        pd::insert_org_role(conn, &role)?;
        roles.push((role, org));
    }
    Ok(roles)
}

/// The organisation of a membership: found by oid or ОГРН, or created from the given and
/// generated data.
fn organization(
    conn: &mut DbConnection,
    m: &OrgMembershipSpec,
    g: &mut TestDataGenerator,
    now: NaiveDateTime,
) -> CoreResult<OrganizationRow> {
    let mut c = Checks::default();
    let ogrn = c.ogrn("organizations.ogrn", m.ogrn.as_deref());
    let inn = c.inn_org("organizations.inn", m.inn.as_deref());
    let kpp = c.digits("organizations.kpp", m.kpp.as_deref(), 9);
    let full = c.text("organizations.full_name", m.full_name.as_deref());
    let short = c.text("organizations.short_name", m.short_name.as_deref());
    if let Some(oid) = m.oid {
        if !(1..=OID_MAX).contains(&oid) {
            c.fail(
                "organizations.oid",
                "oid_invalid",
                "oid — от 1 до 9999999999",
            );
        }
    }
    if !c.errors.is_empty() {
        return Err(CoreError::Validation(c.errors));
    }
    if let Some(oid) = m.oid {
        if let Some(o) = pd::find_organization_by_oid(conn, oid)? {
            return Ok(o);
        }
    }
    if let Some(ogrn) = &ogrn {
        if let Some(o) = q::find_organization_by_ogrn(conn, ogrn)? {
            return Ok(o);
        }
    }
    let oid = match m.oid {
        Some(oid) => oid,
        None => {
            let mut oid = new_oid();
            while pd::find_organization_by_oid(conn, oid)?.is_some() {
                oid = new_oid();
            }
            oid
        }
    };
    let inn = inn.unwrap_or_else(|| g.inn_org().as_str().to_string());
    let short = short.unwrap_or_else(|| g.org_name());
    let row = OrganizationRow {
        id: new_id(),
        oid,
        full_name: full.unwrap_or_else(|| short.clone()),
        short_name: short,
        ogrn: ogrn.unwrap_or_else(|| g.ogrn().as_str().to_string()),
        kpp: kpp.or_else(|| Some(format!("{}01001", &inn[..4]))),
        inn,
        org_type: "LEGAL".into(),
        created_at: now,
        updated_at: now,
    };
    pd::insert_organization(conn, &row)?;
    Ok(row)
}
