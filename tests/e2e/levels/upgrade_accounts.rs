//! Accounts made confirmed from the start and what confirmed accounts may do, over real HTTP:
//! registration of a new confirmed account through a simulated online bank (a temporary password
//! by SMS, refusals for existing accounts and for data the agencies know differently); creation
//! of an organisation (ЮЛ and ИП) by a confirmed person with their electronic signature, visible
//! in `/rs/prns/{oid}/roles`, `/orgs` and `/rs/orgs/{org}`, refused below confirmed.
//! SQLite, or PostgreSQL with TEST_DATABASE_URL.

use esia_core::domain::generate::TestDataGenerator;
use esia_testkit::persons;
use esia_testkit::spawn::location;
use esia_testkit::upgrade::*;
use esia_testkit::{spawn_app, TestApp};
use serde_json::{json, Value};

/// The temporary password in the registration SMS to `phone`.
async fn temp_password(app: &TestApp, phone: &str) -> String {
    let sms = app.outbox(phone, "sms").await;
    let text = sms
        .iter()
        .find_map(|m| {
            m["text"]
                .as_str()
                .filter(|t| t.contains("Временный пароль"))
        })
        .expect("a registration SMS")
        .to_string();
    let start = text.find("Временный пароль: ").unwrap() + "Временный пароль: ".len();
    let end = text.find(". Смените").expect("end of the password");
    text[start..end].to_string()
}

fn bank_fields(surname: &str, snils: &str, phone: &str) -> Vec<(&'static str, String)> {
    let mut f = fields(&person_form(surname, snils, "112233"));
    f.push(("phone", phone.into()));
    f
}

#[tokio::test]
async fn a_bank_registers_a_new_confirmed_account() {
    let app = spawn_app().await;
    let html = app
        .get("/emulator/bank/tinkoff")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("/emulator/bank/tinkoff/register"), "{html}");
    let html = app
        .get("/emulator/bank/tinkoff/register")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("data-testid=\"bank-reg-submit\"") && html.contains("Тинькофф"));

    // Invalid data: every field is named.
    let resp = app
        .post_form("/emulator/bank/tinkoff/register", &[("surname", "Ivanов")])
        .await;
    assert_eq!(resp.status(), 422);
    let html = resp.text().await.unwrap();
    for testid in ["phone", "surname", "snils", "doc-number"] {
        assert!(
            html.contains(&format!("bank-reg-{testid}-error")),
            "{testid}"
        );
    }

    let s = snils("556677889");
    let phone = "+79550004455";
    let resp = app
        .post_form(
            "/emulator/bank/tinkoff/register",
            &as_refs(&bank_fields("Банкиров", &s, "+7 955 000-44-55")),
        )
        .await;
    assert_eq!(resp.status(), 200);
    let html = resp.text().await.unwrap();
    assert!(html.contains("data-testid=\"bank-registered\""), "{html}");

    // The new account logs in with the password from the SMS and is confirmed.
    let password = temp_password(&app, phone).await;
    let client = app.new_client();
    let page = client.get(app.url("/login")).send().await.unwrap();
    let csrf = esia_testkit::spawn::extract_csrf(&page.text().await.unwrap()).unwrap();
    let resp = client
        .post(app.url("/login"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("login", phone),
            ("password", &password),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303, "login with the temporary password");
    let profile = client
        .get(app.url("/profile"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        profile.contains("Подтверждённая учётная запись"),
        "{profile}"
    );
    let mut conn = app.core.conn().unwrap();
    let p = esia_store::persons::find_person_by_snils(&mut conn, &digits(&s))
        .unwrap()
        .expect("person");
    assert_eq!(p.level.as_str(), "confirmed");
    let docs = esia_store::person_data::documents_of(&mut conn, &p.id).unwrap();
    assert_eq!(docs[0].vrf_stu.as_str(), "VERIFIED");
    drop(conn);

    // The same person again: the SNILS and phone belong to an account now.
    let resp = app
        .post_form(
            "/emulator/bank/tinkoff/register",
            &as_refs(&bank_fields("Банкиров", &s, phone)),
        )
        .await;
    assert_eq!(resp.status(), 422);
    assert!(resp.text().await.unwrap().contains("bank-reg-snils-error"));
    // A SNILS the agencies know under another name: the bank's data do not match.
    let resp = app
        .post_form(
            "/emulator/bank/tinkoff/register",
            &as_refs(&bank_fields("Другов", &s, "+79550004466")),
        )
        .await;
    assert_eq!(resp.status(), 409);
    assert!(resp.text().await.unwrap().contains("не совпадают"));
    assert!(app.get("/emulator/bank/nobank/register").await.status() == 404);
}

/// Logs the app's client in.
async fn login(app: &TestApp, login: &str, password: &str) {
    let resp = app
        .post_form("/login", &[("login", login), ("password", password)])
        .await;
    assert_eq!(resp.status(), 303, "login");
}

fn org_fields(
    kind: &str,
    ogrn: &str,
    inn: &str,
    signature: Option<&str>,
) -> Vec<(&'static str, String)> {
    let mut v = vec![
        ("kind", kind.to_string()),
        (
            "full_name",
            "Общество с ограниченной ответственностью «Подпись»".to_string(),
        ),
        ("short_name", "ООО «Подпись»".to_string()),
        ("ogrn", ogrn.to_string()),
        ("inn", inn.to_string()),
        ("kpp", "770101001".to_string()),
    ];
    if let Some(s) = signature {
        v.push(("signature", s.to_string()));
    }
    v
}

/// Posts the organisation form (step one without a signature, step two with it).
async fn create_org(
    app: &TestApp,
    kind: &str,
    ogrn: &str,
    inn: &str,
    signature: Option<&str>,
) -> reqwest::Response {
    let fields = org_fields(kind, ogrn, inn, signature);
    app.post_form("/profile/orgs/create", &as_refs(&fields))
        .await
}

/// A fresh ОГРН and ИНН of a legal entity.
fn legal_ids(g: &mut TestDataGenerator) -> (String, String) {
    (
        g.ogrn().as_str().to_string(),
        g.inn_org().as_str().to_string(),
    )
}

#[tokio::test]
async fn a_confirmed_person_creates_an_organisation_and_becomes_its_chief() {
    let app = spawn_app().await;
    let s = snils("667788990");
    let phone = "+79550005566";
    let (oid, password) = confirmed_person(&app, "Директоров", &s, phone);
    login(&app, phone, &password).await;
    let confirm = app.get("/profile/confirm").await.text().await.unwrap();
    assert!(confirm.contains("confirm-org-new-link"));
    let html = app.get("/profile/orgs/create").await.text().await.unwrap();
    assert!(html.contains("data-testid=\"org-new-submit\""));

    let mut g = TestDataGenerator::new(42);
    let (ogrn, inn) = legal_ids(&mut g);
    // ФНС checks: a bad ОГРН and ИНН are named.
    let resp = create_org(&app, "LEGAL", "1234567890123", "77", None).await;
    assert_eq!(resp.status(), 422);
    let html = resp.text().await.unwrap();
    assert!(html.contains("org-new-ogrn-error") && html.contains("org-new-inn-error"));

    // Step one: the data pass, the statement to sign is shown.
    let resp = create_org(&app, "LEGAL", &ogrn, &inn, None).await;
    assert_eq!(resp.status(), 200);
    let challenge = testid_text(&resp.text().await.unwrap(), "org-new-challenge");
    assert!(
        challenge.contains(&ogrn) && challenge.contains(&inn),
        "{challenge}"
    );

    // Someone else's certificate is refused; the chief's creates the organisation.
    let stranger = Signer::new("11122240470", "Директоров").sign(&challenge);
    let resp = create_org(&app, "LEGAL", &ogrn, &inn, Some(&stranger)).await;
    assert_eq!(resp.status(), 409);
    let signature = Signer::new(&digits(&s), "Директоров").sign(&challenge);
    let resp = create_org(&app, "LEGAL", &ogrn, &inn, Some(&signature)).await;
    assert_eq!(resp.status(), 303);
    let to = location(&resp);
    let org: i64 = to
        .strip_prefix("/profile/orgs/create?created=")
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("{to}"));
    assert!(app
        .get(&to)
        .await
        .text()
        .await
        .unwrap()
        .contains(&org.to_string()));

    // /rs: the person's roles and organisations, and the organisation itself.
    let t = persons::token(&app, oid, &["openid", "usr_org"]);
    let (st, roles) = persons::rs(&app, &t, &format!("/rs/prns/{oid}/roles")).await;
    assert_eq!(st, 200, "{roles}");
    let role = roles["elements"]
        .as_array()
        .and_then(|v| v.iter().find(|r| r["oid"] == org))
        .unwrap_or_else(|| panic!("no role in {roles}"));
    assert_eq!(role["chief"], true);
    assert_eq!(role["admin"], true);
    assert_eq!(role["ogrn"], ogrn.as_str());
    let (st, orgs) = persons::rs(&app, &t, &format!("/rs/prns/{oid}/orgs?embed=(elements)")).await;
    assert_eq!(st, 200, "{orgs}");
    assert!(orgs.to_string().contains(&org.to_string()), "{orgs}");
    let mut c = persons::claims(&app, oid, &[], 3600);
    c["scope"] = json!(format!(
        "http://esia.gosuslugi.ru/org_shortname?org_oid={org} http://esia.gosuslugi.ru/org_type?org_oid={org} http://esia.gosuslugi.ru/org_inn?org_oid={org}"
    ));
    let (st, o) = persons::rs(&app, &persons::sign(&app, &c), &format!("/rs/orgs/{org}")).await;
    assert_eq!(st, 200, "{o}");
    assert_eq!(o["shortName"], "ООО «Подпись»");
    assert_eq!(o["type"], "LEGAL");
    assert_eq!(o["inn"], Value::String(inn.clone()));

    // The same ОГРН again is refused; a sole trader (ИП) is created from the person's data.
    let again = create_org(&app, "LEGAL", &ogrn, &inn, Some(&signature)).await;
    assert_eq!(again.status(), 422);
    let (ogrnip, inn_ip) = (
        g.ogrnip().as_str().to_string(),
        g.inn_person().as_str().to_string(),
    );
    let step = create_org(&app, "BUSINESS", &ogrnip, &inn_ip, None).await;
    let challenge = testid_text(&step.text().await.unwrap(), "org-new-challenge");
    let signature = Signer::new(&digits(&s), "Директоров").sign(&challenge);
    let resp = create_org(&app, "BUSINESS", &ogrnip, &inn_ip, Some(&signature)).await;
    assert_eq!(resp.status(), 303);
    let (_, roles) = persons::rs(&app, &t, &format!("/rs/prns/{oid}/roles")).await;
    let names: Vec<&str> = roles["elements"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["shortName"].as_str())
        .collect();
    assert!(names.contains(&"ИП Директоров Иван Иванович"), "{roles}");
}

#[tokio::test]
async fn organisation_creation_is_refused_below_confirmed() {
    let app = spawn_app().await;
    login(&app, "+79000000001", "11111111").await;
    let mut g = TestDataGenerator::new(43);
    let (ogrn, inn) = legal_ids(&mut g);
    let resp = create_org(&app, "LEGAL", &ogrn, &inn, None).await;
    assert_eq!(resp.status(), 409);
    assert!(resp
        .text()
        .await
        .unwrap()
        .contains("только пользователь с подтверждённой учётной записью"));
    let resp = create_org(&app, "LEGAL", &ogrn, &inn, Some("AAAA")).await;
    assert_eq!(resp.status(), 409);
    // Not logged in: the login page.
    let anon = app.new_client();
    let resp = anon
        .get(app.url("/profile/orgs/create"))
        .send()
        .await
        .unwrap();
    assert_eq!(location(&resp), "/login?return_to=/profile/orgs/create");
}
