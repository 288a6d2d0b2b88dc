//! Helpers of the upgrade path tests: valid SNILS values, personal data, confirmed accounts made
//! through the service-centre use case, and qualified-certificate stand-ins (GOST R 34.10-2012
//! keys and self-signed certificates with a SNILS, signing with our CMS code), and reading a
//! `data-testid` text out of a page. Builders and readers only: no assertions on the flow.

use crate::TestApp;
use base64::Engine as _;
use esia_core::upgrade::centre::CentreRegistration;
use esia_core::upgrade::personal_data_form::PersonalDataForm;
use esia_crypto::gost::Curve;
use esia_crypto::keys::{generate_gost_key_pem, load_private_key_pem};

/// A valid SNILS (formatted) whose 9-digit body is `body`.
pub fn snils(body: &str) -> String {
    let c = esia_core::domain::values::snils_checksum(body);
    let c = if c == 100 || c == 101 {
        0
    } else {
        c % 101 % 100
    };
    format!("{}-{}-{} {:02}", &body[0..3], &body[3..6], &body[6..9], c)
}

pub fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// Personal data of a man born in 1980 with the given surname, SNILS and passport number.
pub fn person_form(surname: &str, snils: &str, passport_number: &str) -> PersonalDataForm {
    PersonalDataForm {
        surname: surname.into(),
        name: "Иван".into(),
        patronymic: "Иванович".into(),
        gender: "M".into(),
        birth_date: "01.01.1980".into(),
        birth_place: "г. Москва".into(),
        citizenship: "RUS".into(),
        snils: snils.into(),
        inn: String::new(),
        doc_series: "45 02".into(),
        doc_number: passport_number.into(),
        doc_issue_date: "15.02.2010".into(),
        doc_issued_by: "ОВД Пресненского района г. Москвы".into(),
        doc_dept_code: "770-001".into(),
    }
}

/// The form as HTML form fields.
pub fn fields(f: &PersonalDataForm) -> Vec<(&'static str, String)> {
    vec![
        ("surname", f.surname.clone()),
        ("name", f.name.clone()),
        ("patronymic", f.patronymic.clone()),
        ("gender", f.gender.clone()),
        ("birth_date", f.birth_date.clone()),
        ("birth_place", f.birth_place.clone()),
        ("citizenship", f.citizenship.clone()),
        ("snils", f.snils.clone()),
        ("inn", f.inn.clone()),
        ("doc_series", f.doc_series.clone()),
        ("doc_number", f.doc_number.clone()),
        ("doc_issue_date", f.doc_issue_date.clone()),
        ("doc_issued_by", f.doc_issued_by.clone()),
        ("doc_dept_code", f.doc_dept_code.clone()),
    ]
}

pub fn as_refs<'a>(v: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    v.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// A confirmed account registered at a service centre: (oid, temporary password).
pub fn confirmed_person(app: &TestApp, surname: &str, snils: &str, phone: &str) -> (i64, String) {
    let done = esia_core::upgrade::centre::operator_register(
        &app.core,
        &CentreRegistration {
            data: person_form(surname, snils, "654321"),
            phone: phone.into(),
        },
    )
    .expect("service-centre registration");
    (done.oid, done.temp_password)
}

/// The internal id of the person with this oid.
pub fn person_id(app: &TestApp, oid: i64) -> String {
    let mut conn = app.core.conn().expect("conn");
    esia_store::persons::find_person_by_oid(&mut conn, oid)
        .expect("query")
        .expect("person")
        .id
}

/// A qualified-certificate stand-in: a fresh GOST key and a self-signed certificate with the
/// SNILS (OID 1.2.643.100.3) and surname in the subject.
pub struct Signer {
    key_pem: String,
    cert_der: Vec<u8>,
}

impl Signer {
    pub fn new(snils_digits: &str, surname: &str) -> Signer {
        let key_pem = generate_gost_key_pem(Curve::CryptoProA).expect("GOST key");
        let subject =
            format!("CN={surname} Иван,SN={surname},givenName=Иван,1.2.643.100.3={snils_digits}");
        let pem = esia_crypto::keys::self_signed_cert_pem(&key_pem, &subject, 30).expect("cert");
        let cert = esia_crypto::cert::ParsedCert::from_pem_or_der(pem.as_bytes()).expect("parse");
        assert_eq!(cert.snils.as_deref(), Some(snils_digits));
        Signer {
            key_pem,
            cert_der: cert.der,
        }
    }

    /// A detached CMS (GOST R 34.10-2012/256, signed attributes) over `message`, base64.
    pub fn sign(&self, message: &str) -> String {
        let key = load_private_key_pem(&self.key_pem).expect("key");
        let der = esia_crypto::cms_sign::sign_detached(
            &key,
            &self.cert_der,
            message.as_bytes(),
            true,
            false,
        )
        .expect("CMS");
        base64::engine::general_purpose::STANDARD.encode(der)
    }
}

/// The text of the element with `data-testid="<testid>"` (up to the next tag), unescaped.
pub fn testid_text(html: &str, testid: &str) -> String {
    let marker = format!("data-testid=\"{testid}\">");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("{testid} missing in {html}"))
        + marker.len();
    let end = html[start..].find('<').expect("closing tag") + start;
    html_unescape(&html[start..end])
}

/// Undoes askama's HTML escaping of a text node.
pub fn html_unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&#60;", "<")
        .replace("&gt;", ">")
        .replace("&#62;", ">")
        .replace("&#34;", "\"")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&#x2f;", "/")
        .replace("&#x2F;", "/")
        .replace("&amp;", "&")
        .replace("&#38;", "&")
}
