//! The client side of the benchmarks (`benches/` and `esia-bench`): a GOST signer whose key is
//! parsed once, `ac`/`te` parameters for any client holding the demo certificates, v1 CMS
//! secrets (RSA, our own `cms_sign`), a complete browser flow and a simplified registration.
//! Every step returns `Err` with a short reason on an unexpected answer instead of panicking,
//! because a load run counts errors rather than stopping at the first. It builds and sends
//! requests only; it never judges rates or latencies, and never prints the persona's data.

use std::sync::Arc;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

use crate::protocol::{q, query_of, v2_ac_params, v3_code_params, GOST_KEY, REDIRECT};
use crate::protocol::{RSA_CERT, RSA_KEY};
use crate::spawn::{extract_csrf, location};

/// A signer of raw v2/v3 secrets: message → base64url signature.
pub type Signer = Arc<dyn Fn(&str) -> String + Send + Sync>;

/// The demo GOST key parsed once (parsing per request would dominate a `te` benchmark).
pub fn gost_signer() -> Signer {
    let esia_crypto::keys::PrivateKey::Gost(key) =
        esia_crypto::keys::load_private_key_pem(GOST_KEY).expect("demo GOST key")
    else {
        panic!("demo key is GOST");
    };
    Arc::new(move |m: &str| URL_SAFE_NO_PAD.encode(key.sign_message(m.as_bytes())))
}

/// A v1 secret signer: a detached CMS with signed attributes by the demo RSA key and certificate
/// (what `openssl smime -sign -binary -outform DER` writes), base64url.
pub fn rsa_cms_signer() -> Signer {
    let key = esia_crypto::keys::load_private_key_pem(RSA_KEY).expect("demo RSA key");
    Arc::new(move |m: &str| {
        let der = esia_crypto::cms_sign::sign_detached(
            &key,
            RSA_CERT.as_bytes(),
            m.as_bytes(),
            true,
            false,
        )
        .expect("CMS with the demo RSA key");
        URL_SAFE_NO_PAD.encode(der)
    })
}

fn with_client(client: &str, base: Vec<(String, String)>) -> Vec<(String, String)> {
    base.into_iter()
        .map(|(k, v)| {
            if k == "client_id" {
                (k, client.to_string())
            } else {
                (k, v)
            }
        })
        .collect()
}

/// v2/ac parameters for `client` (the demo certificates are registered for it), signed over
/// `client_id+scope+timestamp+state+redirect_uri`, with `extra` added (e.g. `emulator_persona`).
pub fn ac_params_for(
    client: &str,
    scope: &str,
    state: &str,
    ts: &str,
    extra: &[(&str, &str)],
    sign: &Signer,
) -> Vec<(String, String)> {
    let sig = sign(&format!("{client}{scope}{ts}{state}{REDIRECT}"));
    with_client(
        client,
        v2_ac_params(scope, state, ts, extra, |_| sig.clone()),
    )
}

/// v3/te `authorization_code` parameters for `client`.
pub fn te_params_for(
    client: &str,
    code: &str,
    scope: &str,
    state: &str,
    ts: &str,
    sign: &Signer,
) -> Vec<(String, String)> {
    let sig = sign(&format!("{client}{scope}{ts}{state}{REDIRECT}{code}"));
    with_client(
        client,
        v3_code_params(code, scope, state, ts, |_| sig.clone()),
    )
}

/// v1 (`/aas/oauth2/ac` and `/aas/oauth2/te`) parameters: the CMS secret is over
/// `scope+timestamp+client_id+state`; `code` makes them a `te` request.
pub fn v1_params(
    client: &str,
    scope: &str,
    state: &str,
    ts: &str,
    code: Option<&str>,
    sign: &Signer,
) -> Vec<(String, String)> {
    let secret = sign(&format!("{scope}{ts}{client}{state}"));
    let mut p: Vec<(String, String)> = vec![
        ("client_id".into(), client.into()),
        ("client_secret".into(), secret),
        ("redirect_uri".into(), REDIRECT.into()),
        ("scope".into(), scope.into()),
        ("state".into(), state.into()),
        ("timestamp".into(), ts.into()),
    ];
    match code {
        Some(code) => {
            p.push(("code".into(), code.into()));
            p.push(("grant_type".into(), "authorization_code".into()));
            p.push(("token_type".into(), "Bearer".into()));
        }
        None => {
            p.push(("response_type".into(), "code".into()));
            p.push(("access_type".into(), "online".into()));
        }
    }
    p
}

/// A client that keeps cookies and never follows redirects (a browser whose hops we take).
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("browser client")
}

/// The reason of a failed request without its URL (the query carries the client secret).
fn fail(step: &str) -> impl FnOnce(reqwest::Error) -> String + '_ {
    move |e| format!("{step}: {}", e.without_url())
}

/// The code on a redirect to the client's callback, or why there is none.
pub fn code_of(resp: &reqwest::Response) -> Result<String, String> {
    let to = location(resp);
    if !to.starts_with(REDIRECT) {
        return Err(format!("ac answered {} without a callback", resp.status()));
    }
    q(&query_of(&to), "code")
        .map(str::to_string)
        .ok_or_else(|| "callback without a code".to_string())
}

/// GET an `ac` URL (zero-click on for the client) and return the code of its redirect.
pub async fn zero_click_code(
    http: &reqwest::Client,
    url: &str,
    params: &[(String, String)],
) -> Result<String, String> {
    let resp = http
        .get(url)
        .query(params)
        .send()
        .await
        .map_err(fail("ac"))?;
    code_of(&resp)
}

/// POSTs a `te` request and returns its JSON body when the answer is 200.
pub async fn exchange(
    http: &reqwest::Client,
    url: &str,
    params: &[(String, String)],
) -> Result<serde_json::Value, String> {
    let resp = http
        .post(url)
        .form(params)
        .send()
        .await
        .map_err(fail("te"))?;
    let status = resp.status().as_u16();
    let body: serde_json::Value = resp.json().await.map_err(fail("te body"))?;
    if status != 200 || body["access_token"].as_str().is_none() {
        return Err(format!("te answered {status}"));
    }
    Ok(body)
}

/// A fresh browser through v2/ac → login page → password → consent (granted when asked) → code,
/// then the code exchanged at v3/te. `base` is the emulator's address.
pub async fn complete_flow(
    base: &str,
    client: &str,
    login: &str,
    password: &str,
    sign: &Signer,
) -> Result<(), String> {
    let browser = browser();
    let scope = "openid fullname";
    let (state, ts) = (crate::protocol::new_state(), crate::protocol::timestamp(0));
    let p = ac_params_for(client, scope, &state, &ts, &[], sign);
    let url = format!("{base}/aas/oauth2/v2/ac");
    let mut resp = browser
        .get(&url)
        .query(&p)
        .send()
        .await
        .map_err(fail("ac"))?;
    for _ in 0..8 {
        let to = location(&resp);
        if to.starts_with(REDIRECT) {
            let code = code_of(&resp)?;
            let (state, ts) = (crate::protocol::new_state(), crate::protocol::timestamp(0));
            let p = te_params_for(client, &code, scope, &state, &ts, sign);
            return exchange(&browser, &format!("{base}/aas/oauth2/v3/te"), &p)
                .await
                .map(|_| ());
        }
        if resp.status().as_u16() == 200 {
            let html = resp.text().await.map_err(fail("page"))?;
            if !html.contains("id=\"grantAuthorization\"") {
                return Err("a page that is not the consent page".into());
            }
            let csrf = extract_csrf(&html).ok_or("consent page without csrf")?;
            let request = crate::protocol::between(&html, "name=\"request\" value=\"", "\"");
            resp = browser
                .post(format!("{base}/aas/oauth2/consent"))
                .form(&[
                    ("csrf", csrf.as_str()),
                    ("request", &request),
                    ("decision", "grant"),
                ])
                .send()
                .await
                .map_err(fail("consent"))?;
            continue;
        }
        if to.is_empty() {
            return Err(format!("flow stopped at {}", resp.status()));
        }
        let abs = if to.starts_with('/') {
            format!("{base}{to}")
        } else {
            to.clone()
        };
        if !abs.contains("/login?") {
            resp = browser.get(&abs).send().await.map_err(fail("follow"))?;
            continue;
        }
        let html = browser.get(&abs).send().await.map_err(fail("login page"))?;
        let html = html.text().await.map_err(fail("login page"))?;
        let csrf = extract_csrf(&html).ok_or("login page without csrf")?;
        let return_to = q(&query_of(&abs), "return_to").unwrap_or("").to_string();
        resp = browser
            .post(format!("{base}/login"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("login", login),
                ("password", password),
                ("return_to", &return_to),
            ])
            .send()
            .await
            .map_err(fail("login"))?;
    }
    Err("no callback after 8 hops".into())
}

fn expect_location(resp: &reqwest::Response, want: &str, step: &str) -> Result<(), String> {
    let got = location(resp);
    if got == want {
        Ok(())
    } else {
        Err(format!(
            "{step}: answered {} (not a redirect to {want})",
            resp.status()
        ))
    }
}

/// One complete simplified registration (form → SMS code read from the outbox API → code →
/// password → logged-in profile) for `phone`, which must be new.
pub async fn register_simplified(base: &str, phone: &str) -> Result<(), String> {
    let client = browser();
    let html = client
        .get(format!("{base}/registration"))
        .send()
        .await
        .map_err(fail("form"))?;
    let html = html.text().await.map_err(fail("form"))?;
    let csrf = extract_csrf(&html).ok_or("registration form without csrf")?;
    let resp = client
        .post(format!("{base}/registration"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("surname", "Нагрузкин"),
            ("name", "Тест"),
            ("phone", phone),
        ])
        .send()
        .await
        .map_err(fail("register"))?;
    expect_location(&resp, "/registration/code", "register")?;
    let outbox: serde_json::Value = client
        .get(format!("{base}/emulator/api/outbox"))
        .query(&[("to", phone), ("kind", "sms")])
        .send()
        .await
        .map_err(fail("outbox"))?
        .json()
        .await
        .map_err(fail("outbox"))?;
    let code = outbox["messages"][0]["code"]
        .as_str()
        .ok_or("no SMS code")?
        .to_string();
    let resp = client
        .post(format!("{base}/registration/code"))
        .form(&[("csrf", csrf.as_str()), ("code", code.as_str())])
        .send()
        .await
        .map_err(fail("code"))?;
    expect_location(&resp, "/registration/password", "code")?;
    let resp = client
        .post(format!("{base}/registration/password"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("password", "Secret123"),
            ("repeat", "Secret123"),
        ])
        .send()
        .await
        .map_err(fail("password"))?;
    expect_location(&resp, "/profile?registered=1", "password")
}
