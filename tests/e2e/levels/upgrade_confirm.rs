//! Confirmation paths over real HTTP beside the post code (in `upgrade.rs`): a service-centre
//! operator, a bank (data matching or not), a service centre registering a confirmed account,
//! an INN added later checked by the tax service, and an electronic signature whose SNILS
//! matches (OpenSSL-made, gated by ESIA_TEST_OPENSSL_GOST=1). SQLite, or PostgreSQL with
//! TEST_DATABASE_URL.

use super::upgrade::{
    assert_confirmed, ivanov, page, sms_containing, standard_ivanov, wait_for, PHONE1,
};
use esia_testkit::spawn_app;
use esia_testkit::upgrade::{digits, person_id, snils, testid_text};

#[tokio::test]
async fn operator_and_bank_confirm_standard_accounts() {
    let app = spawn_app().await;
    let s = standard_ivanov(&app).await;

    // A bank whose data differ is refused; then the operator confirms.
    let html = page(
        &app,
        &format!("/emulator/operator?q={}", s.replace(' ', "%20")),
    )
    .await;
    assert!(html.contains("operator-confirm-1000000001"), "{html}");
    let person = person_id(&app, 1000000001);
    let resp = app
        .post_form(
            "/emulator/operator/confirm",
            &[("person_id", &person), ("q", &s)],
        )
        .await;
    assert_eq!(resp.status(), 303);
    assert!(page(&app, "/profile")
        .await
        .contains("Подтверждённая учётная запись"));
    let resp = app
        .post_form(
            "/emulator/operator/confirm",
            &[("person_id", &person), ("q", "")],
        )
        .await;
    assert_eq!(resp.status(), 409, "already confirmed");
}

#[tokio::test]
async fn bank_confirms_when_the_data_match() {
    let app = spawn_app().await;
    standard_ivanov(&app).await;
    let html = page(&app, "/emulator/bank/sberbank").await;
    assert!(html.contains("Сбербанк"));
    let resp = app
        .post_form(
            "/emulator/bank/sberbank/login",
            &[("phone", PHONE1), ("password", "x")],
        )
        .await;
    let html = resp.text().await.unwrap();
    assert!(html.contains("bank-agree"), "{html}");
    let person = person_id(&app, 1000000001);
    let resp = app
        .post_form("/emulator/bank/sberbank/agree", &[("person_id", &person)])
        .await;
    assert_eq!(resp.status(), 200);
    assert!(resp.text().await.unwrap().contains("bank-done"));
    assert!(page(&app, "/profile")
        .await
        .contains("Подтверждённая учётная запись"));
    assert!(page(&app, "/emulator/bank/nobank")
        .await
        .contains("Банк не найден"));
}

#[tokio::test]
async fn an_inn_added_later_is_checked_by_the_tax_service() {
    let app = spawn_app().await;
    let s = standard_ivanov(&app).await;
    let mut fields = ivanov(&s, "573482");
    fields[8] = ("inn", "500100012388");
    let resp = app.post_form("/profile/personal-data", &fields).await;
    assert_eq!(resp.status(), 303);
    let html = page(&app, "/profile/personal-data").await;
    assert!(html.contains("Проверка ИНН в ФНС России"), "{html}");
    assert!(
        html.contains("Стандартная учётная запись"),
        "an INN never lowers the level"
    );
    wait_for(
        &app,
        "/profile/personal-data",
        "check-inn-status\" data-status=\"passed\"",
    )
    .await;
    assert_eq!(
        sms_containing(
            &app,
            PHONE1,
            "Проверка ИНН в ФНС России: проверка прошла успешно"
        )
        .await,
        1
    );
    // Saving unchanged data starts nothing.
    let resp = app.post_form("/profile/personal-data", &fields).await;
    assert_eq!(resp.status(), 303);
    assert!(!page(&app, "/profile/personal-data")
        .await
        .contains("Личные данные проверяются"));
}

#[tokio::test]
async fn a_service_centre_registers_a_confirmed_account() {
    let app = spawn_app().await;
    let s = snils("334455667");
    let mut fields = ivanov(&s, "111222");
    fields.push(("phone", "+7 (955) 000-11-22"));
    let resp = app
        .post_form("/emulator/operator/register", &fields[..3])
        .await;
    assert_eq!(resp.status(), 422);
    assert!(resp
        .text()
        .await
        .unwrap()
        .contains("operator-reg-phone-error"));
    let resp = app.post_form("/emulator/operator/register", &fields).await;
    assert_eq!(resp.status(), 200);
    let html = resp.text().await.unwrap();
    // The page escapes HTML: a generated password may contain `&`, `'` or `"`.
    let password = testid_text(&html, "operator-registered-password");
    let password = password.as_str();
    let sms = app.outbox("+79550001122", "sms").await;
    assert!(
        sms[0]["text"].as_str().unwrap().contains(password),
        "{password} not in {}",
        sms[0]["text"]
    );
    let resp = app
        .post_form(
            "/login",
            &[("login", "+79550001122"), ("password", password)],
        )
        .await;
    assert_eq!(resp.status(), 303);
    assert!(page(&app, "/profile")
        .await
        .contains("Подтверждённая учётная запись"));
    let resp = app.post_form("/emulator/operator/register", &fields).await;
    assert_eq!(resp.status(), 422, "SNILS and phone are taken now");
}

/// A detached CMS (RSA, SHA-256) over `message` by a fresh certificate with the given SNILS and
/// surname, base64; None (and a loud SKIPPED line) when `openssl` is not installed.
fn sign_with_openssl(message: &str, snils_digits: &str, surname: &str) -> Option<String> {
    use base64::Engine as _;
    use std::io::Write as _;
    use std::process::Command;
    let dir = tempfile::tempdir().ok()?;
    let p = |n: &str| dir.path().join(n).to_string_lossy().into_owned();
    let subject = format!("/CN={surname} Иван/SN={surname}/GN=Иван/1.2.643.100.3={snils_digits}");
    let made = Command::new("openssl")
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30", "-utf8",
        ])
        .args([
            "-keyout",
            &p("k.pem"),
            "-out",
            &p("c.pem"),
            "-subj",
            &subject,
        ])
        .output();
    if !made.as_ref().is_ok_and(|o| o.status.success()) {
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED e-signature test: no usable openssl"
        );
        return None;
    }
    std::fs::write(p("m.txt"), message).ok()?;
    let signed = Command::new("openssl")
        .args([
            "smime", "-sign", "-binary", "-outform", "DER", "-md", "sha256",
        ])
        .args([
            "-signer",
            &p("c.pem"),
            "-inkey",
            &p("k.pem"),
            "-in",
            &p("m.txt"),
        ])
        .args(["-out", &p("s.der")])
        .output()
        .ok()?;
    assert!(signed.status.success(), "openssl smime -sign failed");
    Some(base64::engine::general_purpose::STANDARD.encode(std::fs::read(p("s.der")).ok()?))
}

#[tokio::test]
async fn an_electronic_signature_with_matching_snils_confirms() {
    let app = spawn_app().await;
    let s = standard_ivanov(&app).await;
    let html = page(&app, "/profile/confirm").await;
    let challenge = testid_text(&html, "confirm-challenge");
    let digits = digits(&s);
    let Some(wrong) = sign_with_openssl(&challenge, "11122240470", "Иванов") else {
        return;
    };
    let resp = app
        .post_form("/profile/confirm/signature", &[("signature", &wrong)])
        .await;
    assert_eq!(resp.status(), 409);
    assert!(resp.text().await.unwrap().contains("не совпадают"));
    let resp = app
        .post_form(
            "/profile/confirm/signature",
            &[("signature", "not base64!")],
        )
        .await;
    assert_eq!(resp.status(), 409);
    let good = sign_with_openssl(&challenge, &digits, "Иванов").expect("openssl");
    let resp = app
        .post_form("/profile/confirm/signature", &[("signature", &good)])
        .await;
    assert_confirmed(&app, &resp).await;
}
