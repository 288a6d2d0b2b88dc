//! The demo client `DEMO_IS` (test-only keys, published in the repository): served and seeded on
//! loopback, or beyond it only when explicitly allowed; on a network bind it is neither seeded
//! nor answered (ESIA-007002 on `ac` and `te`) and the clients list does not show it.

use esia_testkit::protocol::*;

const ADMIN_TOKEN: &str = "qa-admin-token-0123456789";

/// `ac` and `te` with the demo client; their statuses and bodies.
async fn demo_client_answers(
    app: &esia_testkit::TestApp,
) -> ((u16, String), (u16, serde_json::Value)) {
    let params = v2_ac_params("openid", &new_state(), &timestamp(0), &[], own_sign);
    let resp = ac(app, &app.client, "/aas/oauth2/v2/ac", &params).await;
    let ac_answer = (resp.status().as_u16(), resp.text().await.unwrap());
    let st = new_state();
    let te_answer = te(
        app,
        "/aas/oauth2/v3/te",
        &v3_code_params("no-such-code", "openid", &st, &timestamp(0), own_sign),
    )
    .await;
    (ac_answer, te_answer)
}

async fn listed_clients(app: &esia_testkit::TestApp) -> String {
    app.client
        .get(app.url("/emulator/api/clients"))
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_demo_client_is_neither_seeded_nor_served_on_a_network_bind() {
    let app = esia_testkit::spawn_app_with(|c| {
        c.server.bind = "0.0.0.0:8080".into();
        c.admin.token = ADMIN_TOKEN.into();
    })
    .await;
    assert!(!listed_clients(&app).await.contains(CLIENT), "not seeded");
    assert!(app.get("/emulator/api/personas").await.status() != 500);

    // A DEMO_IS row from elsewhere (a shared database seeded on a laptop) is not served either.
    let spec = esia_control::seed::demo_seed().unwrap().doc.clients[0].clone();
    assert_eq!(spec.mnemonic, CLIENT);
    esia_core::protocol::clients::add_client(&app.core, &spec).unwrap();
    assert!(listed_clients(&app).await.contains(CLIENT));
    let ((ac_status, ac_page), (te_status, te_body)) = demo_client_answers(&app).await;
    assert_eq!(ac_status, 400);
    assert!(ac_page.contains("ESIA-007002"), "{ac_page}");
    assert_eq!(te_status, 400);
    assert_eq!(te_body["error"], "invalid_client", "{te_body}");
    assert!(te_body["error_description"]
        .as_str()
        .unwrap()
        .starts_with("ESIA-007002"));
}

#[tokio::test]
async fn the_demo_client_is_served_on_loopback_and_when_explicitly_allowed() {
    for network in [false, true] {
        let app = esia_testkit::spawn_app_with(|c| {
            c.admin.token = ADMIN_TOKEN.into();
            if network {
                c.server.bind = "0.0.0.0:8080".into();
                c.demo.allow_demo_client_on_network = true;
            }
        })
        .await;
        assert!(
            listed_clients(&app).await.contains(CLIENT),
            "seeded ({network})"
        );
        let ((ac_status, _), (te_status, te_body)) = demo_client_answers(&app).await;
        assert!(
            ac_status == 302 || ac_status == 303,
            "ac goes on to the login ({network}): {ac_status}"
        );
        // The unknown code is refused after the client was accepted.
        assert_eq!(te_status, 400);
        assert_ne!(te_body["error"], "invalid_client", "{te_body}");
    }
}
