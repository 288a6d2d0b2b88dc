//! Personas in bulk through the core (the path seed files and snapshots take): many specs in one
//! transaction, all or nothing; every persona exported as a spec and re-applied after deletion
//! gives the same data and the same password; concurrent API clients never get a 5xx.

use esia_control::personas::PersonaSpec;
use serde_json::{json, Value};

async fn get(app: &esia_testkit::TestApp, oid: i64) -> Value {
    app.client
        .get(app.url(&format!("/emulator/api/personas/{oid}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

fn spec(v: Value) -> PersonaSpec {
    serde_json::from_value(v).unwrap()
}

#[tokio::test]
async fn export_delete_reapply_restores_the_same_personas() {
    let app = esia_testkit::spawn_app().await;
    let core = app.control.clone();
    let specs = vec![
        spec(
            json!({"oid": 1200000001, "level": "confirmed", "kids": [{}], "vehicles": [{}],
                    "documents": [{"type": "FRGN_PASS"}], "addresses": [{}],
                    "organizations": [{"oid": 1200000901, "chief": true}], "with_inn": true}),
        ),
        spec(
            json!({"oid": 1200000002, "level": "simplified", "verification": "failed",
                    "password": "Pass-word-1", "home_phone": "+7 495 000-11-22"}),
        ),
        spec(json!({"oid": 1200000003, "blocked": true, "no_email": true,
                    "organizations": [{"oid": 1200000901}]})),
    ];
    let c = core.clone();
    let applied =
        tokio::task::spawn_blocking(move || esia_control::personas::apply_personas(&c, &specs))
            .await
            .unwrap()
            .unwrap();
    assert!(applied.iter().all(|a| a.created));
    let before: Vec<Value> = get_all(&app, &[1200000001, 1200000002, 1200000003]).await;
    assert_eq!(before[1]["data"]["verification"], "failed");
    assert_eq!(before[0]["data"]["organizations"][0]["oid"], 1200000901);
    assert_eq!(
        before[2]["data"]["organizations"][0]["oid"], 1200000901,
        "one organisation"
    );

    let c = core.clone();
    let exported = tokio::task::spawn_blocking(move || esia_control::personas::export_personas(&c))
        .await
        .unwrap()
        .unwrap();
    let ours: Vec<PersonaSpec> = exported
        .into_iter()
        .filter(|s| {
            s.oid
                .is_some_and(|o| (1200000001..=1200000003).contains(&o))
        })
        .collect();
    assert_eq!(ours.len(), 3);
    assert!(ours.iter().all(|s| s.password_hash.is_some()));
    // A snapshot is JSON: through text and back.
    let text = serde_json::to_string(&ours).unwrap();
    let ours: Vec<PersonaSpec> = serde_json::from_str(&text).unwrap();
    for oid in [1200000001, 1200000002, 1200000003] {
        let resp = app
            .client
            .delete(app.url(&format!("/emulator/api/personas/{oid}")))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 204);
    }
    let c = core.clone();
    tokio::task::spawn_blocking(move || esia_control::personas::apply_personas(&c, &ours))
        .await
        .unwrap()
        .unwrap();
    let after = get_all(&app, &[1200000001, 1200000002, 1200000003]).await;
    assert_eq!(before, after);
    let phone = after[1]["logins"]["phone"].as_str().unwrap();
    let resp = app
        .post_form("/login", &[("login", phone), ("password", "Pass-word-1")])
        .await;
    assert_eq!(
        resp.status(),
        303,
        "the password survives export and import"
    );
}

async fn get_all(app: &esia_testkit::TestApp, oids: &[i64]) -> Vec<Value> {
    let mut out = Vec::new();
    for &oid in oids {
        out.push(get(app, oid).await);
    }
    out
}

#[tokio::test]
async fn a_bad_spec_in_a_batch_applies_nothing() {
    let app = esia_testkit::spawn_app().await;
    let specs = vec![
        spec(json!({"oid": 1300000001})),
        spec(json!({"oid": 1300000002, "snils": "000"})),
    ];
    let c = app.control.clone();
    let err =
        tokio::task::spawn_blocking(move || esia_control::personas::apply_personas(&c, &specs))
            .await
            .unwrap()
            .unwrap_err();
    match err {
        esia_core::CoreError::Validation(f) => {
            assert_eq!(f[0].field, "snils");
            assert!(
                f[0].error.message.starts_with("persona 1:"),
                "{}",
                f[0].error.message
            );
        }
        other => panic!("{other:?}"),
    }
    let resp = app
        .client
        .get(app.url("/emulator/api/personas/1300000001"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 404, "the whole batch rolled back");
}

#[tokio::test]
async fn concurrent_clients_get_201_or_409_never_5xx() {
    let app = esia_testkit::spawn_app().await;
    let mut tasks = Vec::new();
    for i in 0..16 {
        let client = app.new_client();
        let url = app.url("/emulator/api/personas");
        // Half of them race for the same phone.
        let body = if i % 2 == 0 {
            json!({"phone": "+79008880000", "oid": 1400000000 + i})
        } else {
            json!({"level": "standard"})
        };
        tasks.push(tokio::spawn(async move {
            client
                .post(url)
                .json(&body)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }));
    }
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    assert!(
        statuses.iter().all(|s| *s == 201 || *s == 409),
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        9,
        "{statuses:?}"
    );
}
