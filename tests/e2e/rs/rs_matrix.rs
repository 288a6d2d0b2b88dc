//! Scope × resource matrix: each scope alone (with `openid`) against every `/rs` resource of a
//! persona that has data everywhere, compared with the §6 table written out here independently
//! of the implementation; and the person fields each scope releases.

use esia_testkit::persons;
use esia_testkit::persons::{oid, rs, token, ALL_SCOPES};

/// §6: which collections each scope opens.
fn opens(scope: &str, coll: &str) -> bool {
    let docs = [
        "id_doc",
        "medical_doc",
        "military_doc",
        "foreign_passport_doc",
        "drivers_licence_doc",
        "birth_cert_doc",
        "residence_doc",
    ];
    match coll {
        "ctts" => matches!(scope, "email" | "mobile" | "contacts"),
        "addrs" => matches!(scope, "contacts" | "addresses"),
        "docs" => docs.contains(&scope),
        "kids" => scope.starts_with("kid_"),
        "vhls" => scope == "vehicles",
        "roles" | "orgs" => scope == "usr_org",
        _ => false,
    }
}

/// §6: the person fields each scope adds (`citizenship` comes with any personal-data scope).
fn fields(scope: &str) -> &'static [&'static str] {
    match scope {
        "fullname" => &["firstName", "lastName", "middleName", "citizenship"],
        "birthdate" => &["birthDate", "citizenship"],
        "gender" => &["gender", "citizenship"],
        "snils" => &["snils", "citizenship"],
        "inn" => &["inn", "citizenship"],
        "birthplace" => &["birthPlace", "citizenship"],
        "id_doc" => &["rIdDoc"],
        _ => &[],
    }
}

const OPTIONAL: &[&str] = &[
    "firstName",
    "lastName",
    "middleName",
    "birthDate",
    "gender",
    "snils",
    "inn",
    "birthPlace",
    "citizenship",
    "rIdDoc",
];

#[tokio::test]
async fn every_scope_opens_exactly_its_resources_and_fields() {
    let app = esia_testkit::spawn_app().await;
    // Persona 9 has contacts, addresses, a passport, INN and an organisation; 7 has kids; 8 has
    // vehicles. Each scope is checked against the persona holding data for it.
    for scope in ALL_SCOPES.iter().filter(|s| **s != "openid") {
        for (coll, n) in [
            ("ctts", 9),
            ("addrs", 9),
            ("docs", 9),
            ("kids", 7),
            ("vhls", 8),
            ("roles", 9),
            ("orgs", 9),
        ] {
            let t = token(&app, oid(n), &["openid", scope]);
            let (status, body) = rs(&app, &t, &format!("/rs/prns/{}/{coll}", oid(n))).await;
            let expected = if opens(scope, coll) { 200 } else { 403 };
            assert_eq!(status, expected, "{scope} × {coll}: {body}");
            if expected == 403 {
                assert_eq!(body["code"], "ESIA-005029");
            }
        }
        let t = token(&app, oid(9), &["openid", scope]);
        let (status, person) = rs(&app, &t, &format!("/rs/prns/{}", oid(9))).await;
        assert_eq!(status, 200, "{scope}");
        for f in OPTIONAL {
            let want = fields(scope).contains(f);
            assert_eq!(person.get(*f).is_some(), want, "{scope} → {f}: {person}");
        }
        for f in [
            "stateFacts",
            "trusted",
            "status",
            "verifying",
            "updatedOn",
            "eTag",
        ] {
            assert!(person.get(f).is_some(), "{f} always present");
        }
    }
}

#[tokio::test]
async fn document_types_follow_their_scopes() {
    let app = esia_testkit::spawn_app().await;
    let o = oid(6);
    let types = |body: &serde_json::Value| -> Vec<String> {
        body["elements"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|d| d["type"].as_str().unwrap().to_string())
                    .collect()
            })
            .unwrap_or_default()
    };
    for (scope, want) in [
        ("id_doc", vec!["RF_PASSPORT"]),
        ("drivers_licence_doc", vec!["RF_DRIVING_LICENSE"]),
        ("foreign_passport_doc", vec!["FRGN_PASS"]),
        ("medical_doc", vec!["MDCL_PLCY"]),
        ("military_doc", vec![]),
    ] {
        let t = token(&app, o, &["openid", scope]);
        let (s, body) = rs(&app, &t, &format!("/rs/prns/{o}/docs?embed=(elements)")).await;
        assert_eq!(s, 200);
        assert_eq!(types(&body), want, "{scope}");
        if want.is_empty() {
            assert_eq!(body["size"], 0);
            assert!(body.get("elements").is_none());
        }
    }
    // A granted collection with an element of a type outside the grant: scopeNotAllowed.
    let t = token(&app, o, &["openid", "id_doc"]);
    let (s, b) = rs(&app, &t, &format!("/rs/prns/{o}/docs/100006004")).await;
    assert_eq!((s, b["code"].as_str()), (403, Some("ESIA-005029")));
    // E-mail only: the mobile contact is refused, the e-mail readable.
    let t = token(&app, o, &["openid", "email"]);
    let (s, _) = rs(&app, &t, &format!("/rs/prns/{o}/ctts/100006001")).await;
    assert_eq!(s, 403);
    let (s, b) = rs(&app, &t, &format!("/rs/prns/{o}/ctts/100006002")).await;
    assert_eq!((s, b["type"].as_str()), (200, Some("EML")));
}

#[tokio::test]
async fn legacy_usr_inf_releases_personal_data_contacts_and_addresses() {
    let app = esia_testkit::spawn_app().await;
    let o = oid(5);
    let mut claims = persons::claims(&app, o, &[], 3600);
    claims["scope"] = serde_json::json!(format!("http://esia.gosuslugi.ru/usr_inf?oid={o} openid"));
    let t = persons::sign(&app, &claims);
    let (s, p) = rs(
        &app,
        &t,
        &format!("/rs/prns/{o}?embed=(contacts.elements,addresses.elements)"),
    )
    .await;
    assert_eq!(s, 200);
    assert!(p["snils"].is_string() && p["firstName"].is_string() && p["rIdDoc"].is_number());
    assert_eq!(p["addresses"]["size"], 2);
    assert_eq!(p["contacts"]["size"], 2);
}
