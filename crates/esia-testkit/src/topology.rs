//! The steps of the topology test against real processes: the protocol flow with each request
//! sent to a chosen replica and one browser registration spread over replicas (here), the fault
//! steps (`faults`). Requests go to `Proc` URLs; signing and parameters come from
//! [`crate::protocol`]. The flow steps assert that each hop answers as the protocol says; the
//! counts and end states are returned to the topology test, which judges them.

mod faults;

pub use faults::*;

use crate::spawn::{extract_csrf, location};

use crate::cluster::{client, Proc};
use crate::protocol::*;

pub struct Tokens {
    pub access: String,
    pub refresh: String,
}

/// The path and query of an absolute URL (to send it to another replica).
fn path_of(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(u) => match u.query() {
            Some(q) => format!("{}?{q}", u.path()),
            None => u.path().to_string(),
        },
        Err(_) => url.to_string(),
    }
}

pub async fn rs_status(p: &Proc, access: &str) -> u16 {
    client()
        .get(p.url("/rs/prns/1000000001"))
        .bearer_auth(access)
        .send()
        .await
        .expect("/rs")
        .status()
        .as_u16()
}

async fn te_on(p: &Proc, params: &[(String, String)]) -> serde_json::Value {
    let resp = client()
        .post(p.url("/aas/oauth2/v3/te"))
        .form(params)
        .send()
        .await
        .expect("te");
    let status = resp.status().as_u16();
    let body: serde_json::Value = resp.json().await.expect("te json");
    assert_eq!(status, 200, "te on {}: {body}", p.name);
    body
}

/// `v2/ac` on A; login, consent and `v3/te` on B; `/rs` and refresh on A; Logout on B (the SSO
/// session is gone for A too). Returns the refreshed tokens.
pub async fn protocol_flow_across(a: &Proc, b: &Proc) -> Tokens {
    let browser = client();
    let scope = "openid fullname";
    let state = new_state();
    let params = v2_ac_params(scope, &state, &timestamp(0), &[], own_sign);
    let resp = browser
        .get(a.url("/aas/oauth2/v2/ac"))
        .query(&params)
        .send()
        .await
        .expect("ac on A");
    assert_eq!(resp.status(), 302, "ac on A");
    let to = location(&resp);
    assert!(to.contains("/login?"), "{to}");
    let html = browser
        .get(b.url(&path_of(&to)))
        .send()
        .await
        .expect("login page on B")
        .text()
        .await
        .unwrap();
    let csrf = extract_csrf(&html).expect("csrf on the login page");
    let return_to = q(&query_of(&to), "return_to").unwrap_or("").to_string();
    let mut resp = browser
        .post(b.url("/login"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("login", "EsiaTest001@yandex.ru"),
            ("password", "11111111"),
            ("return_to", &return_to),
        ])
        .send()
        .await
        .expect("login on B");
    let mut callback = None;
    for _ in 0..6 {
        let status = resp.status().as_u16();
        if status == 200 {
            let html = resp.text().await.unwrap();
            assert!(html.contains("id=\"grantAuthorization\""), "on B: {html}");
            let csrf = extract_csrf(&html).expect("csrf on the consent page");
            let request = between(&html, "name=\"request\" value=\"", "\"");
            resp = browser
                .post(b.url("/aas/oauth2/consent"))
                .form(&[
                    ("csrf", csrf.as_str()),
                    ("request", &request),
                    ("decision", "grant"),
                ])
                .send()
                .await
                .expect("consent on B");
            continue;
        }
        assert!(matches!(status, 302 | 303), "B answered {status}");
        let to = location(&resp);
        if to.starts_with(REDIRECT) {
            callback = Some(to);
            break;
        }
        resp = browser
            .get(b.url(&path_of(&to)))
            .send()
            .await
            .expect("follow on B");
    }
    let callback = callback.expect("the flow reached the client's callback");
    let qp = query_of(&callback);
    assert_eq!(q(&qp, "state"), Some(state.as_str()));
    let code = q(&qp, "code").expect("code").to_string();
    let body = te_on(
        b,
        &v3_code_params(&code, scope, &new_state(), &timestamp(0), own_sign),
    )
    .await;
    let access = body["access_token"].as_str().unwrap().to_string();
    let refresh = body["refresh_token"].as_str().unwrap().to_string();
    assert_eq!(rs_status(a, &access).await, 200, "A reads with B's token");

    let (rstate, ts) = (new_state(), timestamp(0));
    let msg = format!("{CLIENT}{scope}{ts}{rstate}{REDIRECT}");
    let params: Vec<(String, String)> = [
        ("client_id", CLIENT),
        ("grant_type", "refresh_token"),
        ("client_certificate_hash", GOST_HASH),
        ("client_secret", &own_sign(&msg)),
        ("state", &rstate),
        ("redirect_uri", REDIRECT),
        ("scope", scope),
        ("timestamp", &ts),
        ("token_type", "Bearer"),
        ("refresh_token", &refresh),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let refreshed = te_on(a, &params).await;
    let tokens = Tokens {
        access: refreshed["access_token"].as_str().unwrap().to_string(),
        refresh: refreshed["refresh_token"].as_str().unwrap().to_string(),
    };
    assert_ne!(tokens.refresh, refresh);
    assert_eq!(rs_status(a, &tokens.access).await, 200);

    let resp = browser
        .get(b.url("/idp/ext/Logout"))
        .query(&[("client_id", CLIENT), ("redirect_url", REDIRECT)])
        .send()
        .await
        .expect("logout on B");
    assert_eq!(resp.status(), 302, "logout on B");
    assert!(location(&resp).starts_with(REDIRECT));
    // The session is gone on A too: a new `ac` there asks for the login again.
    let params = v2_ac_params(scope, &new_state(), &timestamp(0), &[], own_sign);
    let resp = browser
        .get(a.url("/aas/oauth2/v2/ac"))
        .query(&params)
        .send()
        .await
        .expect("ac on A after logout");
    assert!(location(&resp).contains("/login?"), "SSO after logout");
    tokens
}

/// Why a registration did not complete.
pub enum Step {
    /// The replica went away mid-registration (connection refused or reset).
    Transport,
    /// Any other answer than the flow's next step.
    Unexpected(String),
}

async fn send(req: reqwest::RequestBuilder, what: &str) -> Result<reqwest::Response, Step> {
    let resp = req.send().await.map_err(|_| Step::Transport)?;
    let status = resp.status().as_u16();
    if status >= 500 {
        return Err(Step::Unexpected(format!("{what}: {status}")));
    }
    Ok(resp)
}

fn expect_to(resp: &reqwest::Response, to: &str, what: &str) -> Result<(), Step> {
    if resp.status() == 303 && location(resp) == to {
        Ok(())
    } else {
        Err(Step::Unexpected(format!(
            "{what}: {} → {:?}",
            resp.status(),
            location(resp)
        )))
    }
}

/// One simplified registration by phone: the form on `hosts[0]`, the SMS code on `hosts[1]`,
/// the password on `hosts[2]`. `Ok` means the success answer (`/profile?registered=1`) came.
pub async fn register(hosts: &[String; 3], phone: &str) -> Result<(), Step> {
    let browser = client();
    let html = send(
        browser.get(format!("{}/registration", hosts[0])),
        "form page",
    )
    .await?
    .text()
    .await
    .map_err(|_| Step::Transport)?;
    let csrf = extract_csrf(&html).ok_or_else(|| Step::Unexpected("no csrf".into()))?;
    let resp = send(
        browser.post(format!("{}/registration", hosts[0])).form(&[
            ("csrf", csrf.as_str()),
            ("surname", "Тестов"),
            ("name", "Тест"),
            ("patronymic", ""),
            ("phone", phone),
            ("email", ""),
        ]),
        "form",
    )
    .await?;
    expect_to(&resp, "/registration/code", "form")?;
    let outbox: serde_json::Value = send(
        browser
            .get(format!("{}/emulator/api/outbox", hosts[1]))
            .query(&[("to", phone), ("kind", "sms")]),
        "outbox",
    )
    .await?
    .json()
    .await
    .map_err(|_| Step::Transport)?;
    let code = outbox["messages"][0]["code"]
        .as_str()
        .ok_or_else(|| Step::Unexpected(format!("no SMS code: {outbox}")))?
        .to_string();
    let resp = send(
        browser
            .post(format!("{}/registration/code", hosts[1]))
            .form(&[("csrf", csrf.as_str()), ("code", &code)]),
        "code",
    )
    .await?;
    expect_to(&resp, "/registration/password", "code")?;
    let resp = send(
        browser
            .post(format!("{}/registration/password", hosts[2]))
            .form(&[
                ("csrf", csrf.as_str()),
                ("password", "Secret123"),
                ("repeat", "Secret123"),
            ]),
        "password",
    )
    .await?;
    expect_to(&resp, "/profile?registered=1", "password")
}
