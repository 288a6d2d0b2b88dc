//! `/emulator/clients`: a developer registers a client system by pasting a certificate.

use esia_testkit::spawn_app;

const GOST_CERT: &str = include_str!("../../../keys/demo-client/demo-is-gost.pem");

#[tokio::test]
async fn a_pasted_certificate_registers_a_system() {
    let app = spawn_app().await;
    let page = app.get("/emulator/clients").await.text().await.unwrap();
    assert!(
        page.contains("clients-row-DEMO_IS"),
        "the demo client is listed"
    );

    let resp = app
        .post_form(
            "/emulator/clients",
            &[
                ("mnemonic", "MY_SYSTEM"),
                ("name", "Моя система"),
                (
                    "redirect_uris",
                    "https://my.test/callback\nhttp://localhost:3000",
                ),
                ("scopes", "openid fullname snils"),
                ("token_alg", "GOST3410_2012_256"),
                ("mode", "strict"),
                ("certificate", GOST_CERT),
            ],
        )
        .await;
    assert_eq!(resp.status(), 200);
    let page = resp.text().await.unwrap();
    assert!(
        page.contains("Система MY_SYSTEM зарегистрирована"),
        "{page}"
    );
    assert!(page.contains("0819BD49D5E6E382FA83A8F760406B122354A5EDD143FE3CCFD79714AC8C695D"));
    let api: serde_json::Value = app
        .get("/emulator/api/clients/MY_SYSTEM")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(api["token_alg"], "GOST3410_2012_256");
    assert_eq!(api["redirect_uris"].as_array().unwrap().len(), 2);

    // Bad input is shown on the page, with the typed values kept.
    let resp = app
        .post_form(
            "/emulator/clients",
            &[
                ("mnemonic", "bad mnemonic!"),
                ("name", ""),
                ("redirect_uris", "ftp://x"),
                ("certificate", "garbage"),
            ],
        )
        .await;
    assert_eq!(resp.status(), 422);
    let page = resp.text().await.unwrap();
    assert!(page.contains("clients-error") && page.contains("bad mnemonic!"));

    // The same mnemonic twice is a conflict.
    let resp = app
        .post_form(
            "/emulator/clients",
            &[
                ("mnemonic", "MY_SYSTEM"),
                ("name", "x"),
                ("redirect_uris", "https://my.test/cb"),
                ("certificate", GOST_CERT),
            ],
        )
        .await;
    assert_eq!(resp.status(), 409);
}
