//! Snapshot tests (insta) of every `/rs` resource's JSON for the catalogue personas, behind a
//! fixed public base URL. The catalogue is deterministic (ids, names, documents); only the
//! clock-dependent `eTag`s and `updatedOn` are redacted.

use esia_testkit::persons;
use esia_testkit::persons::{oid, rs, token, ALL_SCOPES};
use esia_testkit::spawn::TestApp;

async fn app() -> TestApp {
    esia_testkit::spawn_app_with(|c| c.server.public_base_url = "https://esia.example.test".into())
        .await
}

async fn snap(app: &TestApp, n: i64, path: &str, name: &str) {
    let t = token(app, oid(n), ALL_SCOPES);
    let (status, body) = rs(app, &t, &path.replace("{oid}", &oid(n).to_string())).await;
    assert_eq!(status, 200, "{path}: {body}");
    insta::assert_json_snapshot!(name, body, {
        ".**.eTag" => "[etag]",
        ".updatedOn" => "[updatedOn]",
    });
}

#[tokio::test]
async fn person_and_collections_of_a_confirmed_persona() {
    let app = app().await;
    let embed = "embed=(contacts.elements,documents.elements,addresses.elements,vehicles.elements,kids.elements,organizations.elements)";
    snap(
        &app,
        6,
        &format!("/rs/prns/{{oid}}?{embed}"),
        "person_006_full_embed",
    )
    .await;
    snap(&app, 6, "/rs/prns/{oid}", "person_006").await;
    snap(&app, 6, "/rs/prns/{oid}/ctts", "ctts_006_links").await;
    snap(&app, 6, "/rs/prns/{oid}/ctts?embed=(elements)", "ctts_006").await;
    snap(&app, 6, "/rs/prns/{oid}/docs?embed=(elements)", "docs_006").await;
    snap(
        &app,
        6,
        "/rs/prns/{oid}/addrs?embed=(elements)",
        "addrs_006",
    )
    .await;
    snap(&app, 6, "/rs/prns/{oid}/vhls", "vhls_006_empty").await;
}

#[tokio::test]
async fn elements_of_each_collection() {
    let app = app().await;
    snap(&app, 6, "/rs/prns/{oid}/ctts/100006001", "ctt_006_mobile").await;
    snap(&app, 6, "/rs/prns/{oid}/docs/100006003", "doc_006_passport").await;
    snap(&app, 8, "/rs/prns/{oid}/vhls?embed=(elements)", "vhls_008").await;
    snap(&app, 7, "/rs/prns/{oid}/kids?embed=(elements)", "kids_007").await;
    snap(
        &app,
        7,
        "/rs/prns/{oid}/kids?embed=(elements.documents.elements)",
        "kids_007_docs",
    )
    .await;
    snap(&app, 9, "/rs/prns/{oid}/roles", "roles_009").await;
    snap(&app, 9, "/rs/prns/{oid}/orgs", "orgs_009").await;
    // Organisation people also carry CEM (work e-mail) and CPH (work phone) contacts.
    snap(
        &app,
        9,
        "/rs/prns/{oid}/ctts?embed=(elements)",
        "ctts_009_org_contacts",
    )
    .await;
    snap(
        &app,
        15,
        "/rs/prns/{oid}/ctts?embed=(elements)",
        "ctts_015_pending_change",
    )
    .await;
    snap(
        &app,
        12,
        "/rs/prns/{oid}?embed=(documents.elements)",
        "person_012_check_failed",
    )
    .await;
    snap(&app, 13, "/rs/prns/{oid}", "person_013_deleted").await;
}

#[tokio::test]
async fn kid_documents_and_organisation() {
    let app = app().await;
    let t = token(&app, oid(7), ALL_SCOPES);
    let (_, kids) = rs(&app, &t, &format!("/rs/prns/{}/kids", oid(7))).await;
    let kid_url = kids["elements"][0].as_str().unwrap().to_string();
    let kid_path = kid_url.trim_start_matches("https://esia.example.test");
    let (s, kid_docs) = rs(&app, &t, &format!("{kid_path}/docs")).await;
    assert_eq!(s, 200, "{kid_docs}");
    insta::assert_json_snapshot!("kid_docs_007", kid_docs, { ".**.eTag" => "[etag]" });
    let doc_path = kid_docs["elements"][0]
        .as_str()
        .unwrap()
        .trim_start_matches("https://esia.example.test")
        .to_string();
    let (s, doc) = rs(&app, &t, &doc_path).await;
    assert_eq!(s, 200);
    insta::assert_json_snapshot!("kid_doc_007", doc, { ".**.eTag" => "[etag]" });

    let org = 1_000_000_901i64;
    let mut claims = persons::claims(&app, oid(9), &[], 3600);
    claims["scope"] = serde_json::json!(format!(
        "http://esia.gosuslugi.ru/org_shortname?org_oid={org} http://esia.gosuslugi.ru/org_fullname?org_oid={org} http://esia.gosuslugi.ru/org_ogrn?org_oid={org} http://esia.gosuslugi.ru/org_inn?org_oid={org} http://esia.gosuslugi.ru/org_kpp?org_oid={org} http://esia.gosuslugi.ru/org_type?org_oid={org}"
    ));
    let t = persons::sign(&app, &claims);
    let (s, body) = rs(&app, &t, &format!("/rs/orgs/{org}")).await;
    assert_eq!(s, 200, "{body}");
    insta::assert_json_snapshot!("org_901", body, { ".eTag" => "[etag]" });
}
