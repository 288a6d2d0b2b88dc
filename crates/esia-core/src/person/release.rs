//! What a set of granted scopes releases on `/rs` (esia-protocol §6), computed once per request
//! from `esia_domain::scopes`' catalogue: person fields, contact types, document types, kid
//! fields and kid document types, and the addresses/vehicles/roles/orgs collections.

use std::collections::HashSet;

use esia_domain::scopes::{scope_info, ContactFilter, Resource};

/// The released parts for one person.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Release {
    pub person_fields: HashSet<&'static str>,
    pub contacts: Vec<ContactFilter>,
    pub addresses: bool,
    pub doc_types: HashSet<&'static str>,
    pub kid_fields: HashSet<&'static str>,
    pub kid_doc_types: HashSet<&'static str>,
    pub vehicles: bool,
    pub roles: bool,
    pub orgs: bool,
}

/// Kid document types per kid scope; the catalogue marks both only as `documents`.
fn kid_doc_types(scope: &str) -> &'static [&'static str] {
    match scope {
        "kid_birth_cert_doc" => &["RF_BRTH_CERT", "FID_BRTH_CERT", "OLD_BRTH_CERT"],
        "kid_medical_doc" => &["MDCL_PLCY"],
        _ => &[],
    }
}

impl Release {
    /// The union of what each known scope releases; unknown names release nothing.
    pub fn from_scopes<'a>(names: impl IntoIterator<Item = &'a str>) -> Release {
        let mut r = Release::default();
        for name in names {
            let Some(info) = scope_info(name) else {
                continue;
            };
            if info.org_scope {
                continue;
            }
            for res in info.releases {
                match res {
                    Resource::IdToken | Resource::OrgData(_) => {}
                    Resource::PersonCore(f) => r.person_fields.extend(f.iter().copied()),
                    Resource::Contacts(c) => r.contacts.push(*c),
                    Resource::Addresses => r.addresses = true,
                    Resource::Documents(t) => r.doc_types.extend(t.iter().copied()),
                    Resource::Kids(f) => {
                        r.kid_fields.extend(f.iter().copied());
                        r.kid_doc_types.extend(kid_doc_types(name).iter().copied());
                    }
                    Resource::Vehicles => r.vehicles = true,
                    Resource::Roles => r.roles = true,
                    Resource::Orgs => r.orgs = true,
                }
            }
        }
        r
    }

    pub fn field(&self, f: &str) -> bool {
        self.person_fields.contains(f)
    }

    /// `citizenship` has no scope of its own (ESIA refuses it as a scope) but is returned
    /// anyway (§6): the emulator returns it whenever any personal-data field is released.
    pub fn citizenship(&self) -> bool {
        self.person_fields.iter().any(|f| !matches!(*f, "rIdDoc"))
    }

    pub fn contacts_any(&self) -> bool {
        !self.contacts.is_empty()
    }

    pub fn contact_type(&self, t: esia_domain::ContactKind) -> bool {
        self.contacts.iter().any(|c| c.allows(t))
    }

    pub fn documents_any(&self) -> bool {
        !self.doc_types.is_empty()
    }

    pub fn kids_any(&self) -> bool {
        !self.kid_fields.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fullname_releases_names_only() {
        let r = Release::from_scopes(["openid", "fullname"]);
        assert!(r.field("firstName") && r.field("lastName") && !r.field("snils"));
        assert!(!r.contacts_any() && !r.documents_any() && !r.addresses);
    }

    #[test]
    fn legacy_usr_inf_and_contacts_release_addresses() {
        assert!(Release::from_scopes(["usr_inf"]).addresses);
        let r = Release::from_scopes(["contacts"]);
        assert!(r.addresses && r.contact_type(esia_domain::ContactKind::Phone));
        let r = Release::from_scopes(["email"]);
        assert!(
            r.contact_type(esia_domain::ContactKind::Email)
                && !r.contact_type(esia_domain::ContactKind::Mobile)
        );
    }

    #[test]
    fn kid_scopes_release_their_document_types() {
        let r = Release::from_scopes(["kid_fullname", "kid_birth_cert_doc"]);
        assert!(r.kids_any() && r.kid_doc_types.contains("RF_BRTH_CERT"));
        assert!(!r.kid_doc_types.contains("MDCL_PLCY"));
    }
}
