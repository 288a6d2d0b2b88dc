//! The cached `/rs` person read stays exact: concurrent reads share batched freshness rounds
//! yet each sees its own person, its own revocation and every change committed before it was
//! sent; and a persona deleted and created again under the same oid (or re-created by a reset)
//! never gets the body cached for its predecessor.

use esia_testkit::persons::{claims, oid, rs, sign};
use esia_testkit::spawn::TestApp;
use serde_json::{json, Value};

const PATH_EMBED: &str = "?embed=(contacts.elements,documents.elements)";

async fn create_persona(app: &TestApp, body: Value) -> Value {
    let resp = app
        .client
        .post(app.url("/emulator/api/personas"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201, "create persona");
    resp.json().await.unwrap()
}

#[tokio::test]
async fn a_persona_created_again_under_its_oid_is_not_served_its_predecessors_body() {
    let app = esia_testkit::spawn_app().await;
    let o = 1_999_000_123;
    let spec = |surname: &str| {
        json!({"oid": o, "level": "simplified", "surname": surname, "name": "Анна", "gender": "F",
               "phone": "+7 955 123-45-67", "email": "again@example.test"})
    };
    create_persona(&app, spec("Первая")).await;
    let t = sign(
        &app,
        &claims(&app, o, &["openid", "fullname", "contacts"], 3600),
    );
    let path = format!("/rs/prns/{o}{PATH_EMBED}");
    let (st, first) = rs(&app, &t, &path).await;
    assert_eq!(st, 200, "{first}");
    assert_eq!(first["lastName"], "Первая");
    // Cached now; the same persona again, other data, same shape (same number of row changes).
    let resp = app
        .client
        .delete(app.url(&format!("/emulator/api/personas/{o}")))
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success(), "delete persona");
    let (st, _) = rs(&app, &t, &path).await;
    assert_eq!(st, 404, "a deleted persona is gone");
    create_persona(&app, spec("Вторая")).await;
    let (st, second) = rs(&app, &t, &path).await;
    assert_eq!(st, 200, "{second}");
    assert_eq!(second["lastName"], "Вторая");
    assert_ne!(second["eTag"], first["eTag"]);

    // A reset re-creates the seed personas: their reads after it must not come from before it.
    let t4 = sign(&app, &claims(&app, oid(4), &["openid", "fullname"], 3600));
    let p4 = format!("/rs/prns/{}", oid(4));
    let (_, before) = rs(&app, &t4, &p4).await;
    let mut conn = app.core.conn().unwrap();
    let mut row = esia_store::persons::find_person_by_oid(&mut conn, oid(4))
        .unwrap()
        .unwrap();
    row.name = "Изменён".into();
    esia_store::person_data::update_personal_data(&mut conn, &row).unwrap();
    drop(conn);
    let (_, renamed) = rs(&app, &t4, &p4).await;
    assert_eq!(renamed["firstName"], "Изменён");
    let resp = app
        .client
        .post(app.url("/emulator/api/reset"))
        .header("content-type", "application/json")
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success(), "reset");
    let (_, after) = rs(&app, &t4, &p4).await;
    assert_eq!(after["firstName"], before["firstName"]);
}

#[tokio::test]
async fn concurrent_reads_each_see_their_own_person_revocation_and_latest_data() {
    let app = esia_testkit::spawn_app().await;
    let persons = [4_i64, 5, 6, 9];
    let mut tokens = Vec::new();
    for (i, n) in persons.iter().enumerate() {
        let mut c = claims(&app, oid(*n), &["openid", "fullname"], 3600);
        c["urn:esia:sid"] = json!(format!("00000000-0000-4000-8000-00000000000{i}"));
        tokens.push((oid(*n), sign(&app, &c)));
    }
    // Warm every cache, then revoke person 9's login and rename person 5 behind the server's back.
    let mut surnames = std::collections::HashMap::new();
    for (o, t) in &tokens {
        let (st, body) = rs(&app, t, &format!("/rs/prns/{o}")).await;
        assert_eq!(st, 200);
        surnames.insert(*o, body["lastName"].clone());
    }
    assert_eq!(
        surnames
            .values()
            .collect::<std::collections::HashSet<_>>()
            .len(),
        4
    );
    let mut conn = app.core.conn().unwrap();
    let issued = app.core.now_naive();
    esia_store::grants::revoke_access_by_sid(
        &mut conn,
        "test-revocation",
        "TESTSYS",
        "00000000-0000-4000-8000-000000000003",
        issued,
    )
    .unwrap();
    let mut row = esia_store::persons::find_person_by_oid(&mut conn, oid(5))
        .unwrap()
        .unwrap();
    row.name = "Переименована".into();
    esia_store::person_data::update_personal_data(&mut conn, &row).unwrap();
    drop(conn);

    let mut reads = Vec::new();
    for round in 0..50 {
        for (o, t) in tokens.iter().cycle().skip(round % 4).take(4) {
            let app_client = app.client.clone();
            let url = app.url(&format!("/rs/prns/{o}"));
            let t = t.clone();
            let o = *o;
            reads.push(tokio::spawn(async move {
                let resp = app_client.get(url).bearer_auth(t).send().await.unwrap();
                let status = resp.status().as_u16();
                (o, status, resp.json::<Value>().await.unwrap_or(Value::Null))
            }));
        }
    }
    let mut by_person = std::collections::HashMap::new();
    for r in reads {
        let (o, status, body) = r.await.unwrap();
        if o == oid(9) {
            assert_eq!(status, 401, "revoked login: {body}");
            assert_eq!(body["code"], "ESIA-005011");
            continue;
        }
        assert_eq!(status, 200, "{o}: {body}");
        assert_eq!(
            body["lastName"], surnames[&o],
            "each read gets its own person"
        );
        if o == oid(5) {
            assert_eq!(body["firstName"], "Переименована");
        }
        *by_person.entry(o).or_insert(0) += 1;
    }
    assert_eq!(by_person.len(), 3);
}
