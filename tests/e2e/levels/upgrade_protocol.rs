//! The upgrade paths as a client system sees them, over the real v2/ac → login → consent → v3/te
//! flow: `trusted` and `verifying` (/rs), `urn:esia:sbj:is_tru` (id_token) and the passport's
//! `vrfStu` follow simplified → standard → confirmed; login with an electronic signature gives
//! `amr`/`urn:esia:amd` `DS`; confirmation by a GOST signature made by real OpenSSL (gated by
//! ESIA_TEST_OPENSSL_GOST=1). SQLite, or PostgreSQL with TEST_DATABASE_URL.

use chrono::Duration;
use esia_testkit::persons;
use esia_testkit::protocol::*;
use esia_testkit::spawn::{extract_csrf, location};
use esia_testkit::upgrade::*;
use esia_testkit::{spawn_app, TestApp};
use serde_json::Value;

const PHONE1: &str = "+79000000001";
const OID1: i64 = 1_000_000_001;
const SCOPE: &str = "openid fullname id_doc";

/// (access token, id_token) for `login` through the real flow in a fresh browser.
async fn tokens(app: &TestApp, login: &str) -> (String, Value) {
    let client = app.new_client();
    let params = v2_ac_params(SCOPE, &new_state(), &timestamp(0), &[], own_sign);
    let first = ac(app, &client, "/aas/oauth2/v2/ac", &params).await;
    let callback = browse_to_callback(app, &client, first, login).await;
    exchange(app, &callback).await
}

async fn exchange(app: &TestApp, callback: &str) -> (String, Value) {
    let qp = query_of(callback);
    let code = q(&qp, "code").expect("code in the callback").to_string();
    let params = v3_code_params(&code, SCOPE, &new_state(), &timestamp(0), own_sign);
    let (status, body) = te(app, "/aas/oauth2/v3/te", &params).await;
    assert_eq!(status, 200, "{body}");
    let id = jwt_part(body["id_token"].as_str().expect("id_token"), 1);
    (body["access_token"].as_str().unwrap().to_string(), id)
}

fn is_tru(id_token: &Value) -> Option<&Value> {
    id_token["urn:esia:sbj"].get("urn:esia:sbj:is_tru")
}

/// `/rs/prns/{oid}` with the passport embedded: (person, passport element if any).
async fn person_and_passport(app: &TestApp, access: &str, oid: i64) -> (Value, Option<Value>) {
    let (s, p) = persons::rs(
        app,
        access,
        &format!("/rs/prns/{oid}?embed=(documents.elements)"),
    )
    .await;
    assert_eq!(s, 200, "{p}");
    let passport = p["documents"]["elements"]
        .as_array()
        .and_then(|v| v.iter().find(|d| d["type"] == "RF_PASSPORT").cloned());
    (p, passport)
}

#[tokio::test]
async fn trusted_is_tru_and_vrf_stu_follow_the_levels() {
    let app = spawn_app().await;

    // Simplified: not trusted, no is_tru, no passport.
    let (access, id) = tokens(&app, PHONE1).await;
    let (p, passport) = person_and_passport(&app, &access, OID1).await;
    assert_eq!(p["trusted"], false, "{p}");
    assert_eq!(p["verifying"], false);
    assert!(
        passport.as_ref().is_none_or(|d| d["vrfStu"] != "VERIFIED"),
        "{p}"
    );
    assert_eq!(is_tru(&id), None, "{id}");

    // Personal data sent: the checks run, the passport is being verified.
    app.post_form("/login", &[("login", PHONE1), ("password", "11111111")])
        .await;
    let data = fields(&person_form("Иванов", &snils("112233445"), "573482"));
    let resp = app
        .post_form("/profile/personal-data", &as_refs(&data))
        .await;
    assert_eq!(resp.status(), 303);
    let (p, passport) = person_and_passport(&app, &access, OID1).await;
    assert_eq!(p["verifying"], true, "{p}");
    assert_eq!(p["trusted"], false);
    let passport = passport.expect("the submitted passport");
    assert_eq!(passport["vrfStu"], "NOT_VERIFIED", "{passport}");
    assert_eq!(passport["vrfValStu"], "VERIFYING");

    // Standard once the agencies answered: passport VERIFIED, still not trusted.
    app.clock.advance(Duration::seconds(10));
    let mut standard = None;
    for _ in 0..200 {
        let (p, passport) = person_and_passport(&app, &access, OID1).await;
        if p["verifying"] == false {
            standard = Some((p, passport));
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    let (p, passport) = standard.expect("the checks never finished");
    assert_eq!(p["trusted"], false, "{p}");
    assert_eq!(passport.expect("passport")["vrfStu"], "VERIFIED");
    let (_, id) = tokens(&app, PHONE1).await;
    assert_eq!(is_tru(&id), None, "standard is not confirmed: {id}");

    // Confirmed at a service centre: trusted, is_tru in new tokens.
    esia_core::upgrade::confirm::operator_confirm(&app.core, &person_id(&app, OID1))
        .expect("confirm");
    let (p, passport) = person_and_passport(&app, &access, OID1).await;
    assert_eq!(p["trusted"], true, "{p}");
    assert_eq!(passport.expect("passport")["vrfStu"], "VERIFIED");
    let (_, id) = tokens(&app, PHONE1).await;
    assert_eq!(is_tru(&id), Some(&Value::Bool(true)), "{id}");
    assert_eq!(id["amr"], "PWD");
}

/// Starts the flow in `client` and returns the `return_to` of the login page it lands on.
async fn flow_to_login(app: &TestApp, client: &reqwest::Client) -> String {
    let params = v2_ac_params(SCOPE, &new_state(), &timestamp(0), &[], own_sign);
    let first = ac(app, client, "/aas/oauth2/v2/ac", &params).await;
    let to = location(&first);
    assert!(to.contains("/login?"), "{to}");
    let abs = if to.starts_with('/') {
        app.url(&to)
    } else {
        to
    };
    q(&query_of(&abs), "return_to")
        .expect("return_to")
        .to_string()
}

/// Opens the signature login page: (csrf, challenge).
async fn signature_page(
    app: &TestApp,
    client: &reqwest::Client,
    return_to: &str,
) -> (String, String) {
    let resp = client
        .get(app.url("/login/signature"))
        .query(&[("return_to", return_to)])
        .send()
        .await
        .expect("page");
    assert_eq!(resp.status(), 200);
    let html = resp.text().await.unwrap();
    assert!(html.contains("Вход с помощью электронной подписи"));
    (
        extract_csrf(&html).expect("csrf"),
        testid_text(&html, "login-signature-challenge"),
    )
}

async fn post_signature(
    app: &TestApp,
    client: &reqwest::Client,
    csrf: &str,
    signature: &str,
    return_to: &str,
) -> reqwest::Response {
    client
        .post(app.url("/login/signature"))
        .form(&[
            ("csrf", csrf),
            ("signature", signature),
            ("return_to", return_to),
        ])
        .send()
        .await
        .expect("POST")
}

#[tokio::test]
async fn login_with_an_electronic_signature_gives_ds_tokens() {
    let app = spawn_app().await;
    let s = snils("223344556");
    let (oid, _) = confirmed_person(&app, "Подписнов", &s, "+79550003344");
    let client = app.new_client();
    // The password login page offers the signature.
    let login_page = client.get(app.url("/login")).send().await.unwrap();
    assert!(login_page
        .text()
        .await
        .unwrap()
        .contains("data-testid=\"login-signature-link\""));

    let return_to = flow_to_login(&app, &client).await;
    let (csrf, challenge) = signature_page(&app, &client, &return_to).await;
    assert!(
        challenge.contains(&csrf),
        "the challenge is bound to the browser"
    );

    // Refusals: another text signed, a SNILS nobody has, not base64.
    let signer = Signer::new(&digits(&s), "Подписнов");
    for (signature, why) in [
        (signer.sign("something else"), "не прошла проверку"),
        (
            Signer::new("11122240470", "Никтов").sign(&challenge),
            "не найдена",
        ),
        ("not base64!".to_string(), "base64"),
    ] {
        let resp = post_signature(&app, &client, &csrf, &signature, &return_to).await;
        assert_eq!(resp.status(), 403);
        let html = resp.text().await.unwrap();
        assert!(html.contains(why), "{why}: {html}");
    }

    // The right signature logs in and the flow continues to the client with DS tokens.
    let resp = post_signature(&app, &client, &csrf, &signer.sign(&challenge), &return_to).await;
    assert_eq!(resp.status(), 303);
    assert_eq!(location(&resp), return_to);
    let callback = browse_to_callback(&app, &client, resp, "unused").await;
    let (access, id) = exchange(&app, &callback).await;
    assert_eq!(id["amr"], "DS", "{id}");
    assert_eq!(id["urn:esia:amd"], "DS");
    assert_eq!(id["sub"], oid);
    assert_eq!(is_tru(&id), Some(&Value::Bool(true)));
    assert_eq!(jwt_part(&access, 1)["urn:esia:sbj_id"], oid);
}

#[tokio::test]
async fn signature_login_needs_a_confirmed_account() {
    let app = spawn_app().await;
    // A standard account (checks passed) with a SNILS: not enough for a signature login.
    app.post_form("/login", &[("login", PHONE1), ("password", "11111111")])
        .await;
    let s = snils("334455667");
    let data = fields(&person_form("Иванов", &s, "573482"));
    app.post_form("/profile/personal-data", &as_refs(&data))
        .await;
    app.clock.advance(Duration::seconds(10));
    for _ in 0..200 {
        let mut conn = app.core.conn().unwrap();
        let p = esia_store::persons::find_person_by_oid(&mut conn, OID1)
            .unwrap()
            .unwrap();
        if p.level.as_str() == "standard" {
            break;
        }
        drop(conn);
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    let client = app.new_client();
    let (csrf, challenge) = signature_page(&app, &client, "/profile").await;
    let signature = Signer::new(&digits(&s), "Иванов").sign(&challenge);
    let resp = post_signature(&app, &client, &csrf, &signature, "/profile").await;
    assert_eq!(resp.status(), 403);
    assert!(resp
        .text()
        .await
        .unwrap()
        .contains("только для подтверждённой учётной записи"));
}

#[tokio::test]
async fn a_gost_signature_made_by_openssl_confirms_the_account() {
    let Some(o) =
        esia_testkit::openssl::gate("a_gost_signature_made_by_openssl_confirms_the_account")
    else {
        return;
    };
    let app = spawn_app().await;
    app.post_form("/login", &[("login", PHONE1), ("password", "11111111")])
        .await;
    let s = snils("445566778");
    let data = fields(&person_form("Иванов", &s, "573482"));
    app.post_form("/profile/personal-data", &as_refs(&data))
        .await;
    app.clock.advance(Duration::seconds(10));
    let mut html = String::new();
    for _ in 0..200 {
        html = app.get("/profile/confirm").await.text().await.unwrap();
        if html.contains("confirm-challenge") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    let challenge = testid_text(&html, "confirm-challenge");

    // A qualified-certificate stand-in made by OpenSSL with the gost engine.
    o.run(
        &[
            "genpkey",
            "-algorithm",
            "gost2012_256",
            "-pkeyopt",
            "paramset:A",
            "-out",
            "p.key",
        ],
        None,
    );
    let subject = format!(
        "/CN=Иванов Иван/SN=Иванов/GN=Иван/1.2.643.100.3={}",
        digits(&s)
    );
    o.run(
        &[
            "req",
            "-x509",
            "-new",
            "-key",
            "p.key",
            "-out",
            "p.pem",
            "-days",
            "30",
            "-utf8",
            "-md_gost12_256",
            "-subj",
            &subject,
        ],
        None,
    );
    let text = String::from_utf8_lossy(&o.run(&["x509", "-in", "p.pem", "-noout", "-text"], None))
        .to_string();
    assert!(text.contains("GOST R 34.10-2012"), "{text}");
    let sign = |message: &str| {
        use base64::Engine as _;
        let der = o.run(
            &[
                "smime", "-sign", "-binary", "-outform", "DER", "-signer", "p.pem", "-inkey",
                "p.key",
            ],
            Some(message.as_bytes()),
        );
        base64::engine::general_purpose::STANDARD.encode(der)
    };
    // Signed over another text: refused; over the challenge: confirmed.
    let resp = app
        .post_form(
            "/profile/confirm/signature",
            &[("signature", &sign("другой текст"))],
        )
        .await;
    assert_eq!(resp.status(), 409);
    let resp = app
        .post_form(
            "/profile/confirm/signature",
            &[("signature", &sign(&challenge))],
        )
        .await;
    assert_eq!(location(&resp), "/profile/confirm?done=confirmed");
    let mut conn = app.core.conn().unwrap();
    let p = esia_store::persons::find_person_by_oid(&mut conn, OID1)
        .unwrap()
        .unwrap();
    assert_eq!(p.level.as_str(), "confirmed");
}
