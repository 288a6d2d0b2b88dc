//! One function per measured operation against a running emulator: health reads, `/rs` reads,
//! zero-click codes and their `te` exchanges (v3 with a GOST secret, v1 with an RSA CMS secret),
//! complete browser flows and registrations. Each returns the load run's summary; which process
//! runs with which configuration, and what the figures are compared with, is `run`'s business.

use std::sync::{Arc, Mutex};

use esia_testkit::load_client::{self as lc, Signer};
use esia_testkit::protocol::{jwt_part, new_state, timestamp, CLIENT, GOST_CERT, REDIRECT};

use crate::emulator::Emulator;
use crate::load::{get_200, run, Load};
use crate::stats::Summary;

/// The catalogue persona every code is issued for (zero-click by oid).
pub const PERSONA_OID: &str = "1000000001";
/// The demo persona the browser flows log in as, and its password.
const FLOW_LOGIN: &str = "+79000000001";
const FLOW_PASSWORD: &str = "11111111";
pub const SCOPE: &str = "openid fullname";
/// The scopes a `/rs/prns/{oid}` read with contacts and documents embedded needs.
const RS_SCOPE: &str = "openid fullname birthdate gender snils id_doc contacts";
/// The GOST-token client the benchmark registers (the demo certificates, GOST tokens).
pub const GOST_CLIENT: &str = "BENCH_GOST";

/// Keep-alive connections for every task; redirects are not followed (an `ac` answers with the
/// code on a redirect to the client's callback, which nothing serves here).
fn http(concurrency: usize) -> reqwest::Client {
    reqwest::Client::builder()
        .pool_max_idle_per_host(concurrency)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("HTTP client")
}

/// `GET /emulator/health` (the harness ceiling: a route that does nothing).
pub async fn health(emu: &Emulator, load: Load) -> Summary {
    let (http, url) = (
        http(load.concurrency),
        Arc::new(emu.url("/emulator/health")),
    );
    run(load, move |_| {
        let (http, url) = (http.clone(), url.clone());
        async move { get_200(&http, &url, None).await }
    })
    .await
}

/// Registers the GOST-token client (zero-click is on for every client by configuration).
pub async fn register_gost_client(emu: &Emulator) -> Result<(), String> {
    let spec = serde_json::json!({"mnemonic": GOST_CLIENT, "name": "Benchmark GOST tokens",
        "redirect_uris": [REDIRECT], "token_alg": "GOST3410_2012_256", "certificates": [GOST_CERT]});
    let resp = reqwest::Client::new()
        .post(emu.url("/emulator/api/clients"))
        .json(&spec)
        .send()
        .await
        .map_err(|e| format!("create client: {e}"))?;
    if resp.status().is_success() {
        Ok(())
    } else {
        Err(format!("create client answered {}", resp.status()))
    }
}

/// `n` fresh codes for `client` from zero-click v2/ac (v1/ac with `v1`), issued concurrently
/// but not timed: the `te` figure times only the exchanges.
pub async fn codes(
    emu: &Emulator,
    client: &str,
    v1: Option<&Signer>,
    n: u64,
    load: Load,
) -> Result<Vec<String>, String> {
    let out = Arc::new(Mutex::new(Vec::with_capacity(n as usize)));
    let http = http(load.concurrency);
    let (client, gost, v1) = (client.to_string(), lc::gost_signer(), v1.cloned());
    let url = Arc::new(emu.url(if v1.is_some() {
        "/aas/oauth2/ac"
    } else {
        "/aas/oauth2/v2/ac"
    }));
    // One code alone first: the persona's first `ac` to a client stores its consent, which is
    // not what this figure measures.
    let (state, ts) = (new_state(), timestamp(0));
    let mut p = match &v1 {
        Some(sign) => lc::v1_params(&client, SCOPE, &state, &ts, None, sign),
        None => lc::ac_params_for(&client, SCOPE, &state, &ts, &[], &gost),
    };
    p.push(("emulator_persona".into(), PERSONA_OID.into()));
    let first = lc::zero_click_code(&http, &url, &p).await?;
    out.lock().unwrap().push(first);
    let sink = out.clone();
    let n = n.saturating_sub(1);
    let load = Load {
        max_ops: Some(n),
        duration: load.duration * 20,
        ..load
    };
    let s = run(load, move |_| {
        let (http, url, client, gost, v1, sink) = (
            http.clone(),
            url.clone(),
            client.clone(),
            gost.clone(),
            v1.clone(),
            sink.clone(),
        );
        async move {
            let (state, ts) = (new_state(), timestamp(0));
            let mut p = match &v1 {
                Some(sign) => lc::v1_params(&client, SCOPE, &state, &ts, None, sign),
                None => lc::ac_params_for(&client, SCOPE, &state, &ts, &[], &gost),
            };
            p.push(("emulator_persona".into(), PERSONA_OID.into()));
            let code = lc::zero_click_code(&http, &url, &p).await?;
            sink.lock().unwrap().push(code);
            Ok(())
        }
    })
    .await;
    if s.errors > 0 {
        return Err(format!(
            "{} of {n} codes failed: {}",
            s.errors,
            s.first_error.unwrap_or_default()
        ));
    }
    let codes = std::mem::take(&mut *out.lock().unwrap());
    Ok(codes)
}

/// Exchanges `codes` at v3/te (GOST secret) or, with `v1`, at v1 te (CMS secret), one each.
pub async fn exchanges(
    emu: &Emulator,
    client: &str,
    codes: Vec<String>,
    v1: Option<&Signer>,
    load: Load,
) -> Summary {
    let load = Load {
        max_ops: Some(codes.len() as u64),
        ..load
    };
    let codes = Arc::new(codes);
    let http = http(load.concurrency);
    let (client, gost, v1) = (client.to_string(), lc::gost_signer(), v1.cloned());
    let url = Arc::new(emu.url(if v1.is_some() {
        "/aas/oauth2/te"
    } else {
        "/aas/oauth2/v3/te"
    }));
    run(load, move |i| {
        let (http, url, client, gost, v1, codes) = (
            http.clone(),
            url.clone(),
            client.clone(),
            gost.clone(),
            v1.clone(),
            codes.clone(),
        );
        async move {
            let code = &codes[i as usize];
            let (state, ts) = (new_state(), timestamp(0));
            let p = match &v1 {
                Some(sign) => lc::v1_params(&client, SCOPE, &state, &ts, Some(code), sign),
                None => lc::te_params_for(&client, code, SCOPE, &state, &ts, &gost),
            };
            lc::exchange(&http, &url, &p).await.map(|_| ())
        }
    })
    .await
}

/// An access token for `/rs` reads of the persona (zero-click ac + te) and the persona's oid.
pub async fn rs_token(emu: &Emulator) -> Result<(String, i64), String> {
    let (http, sign) = (http(1), lc::gost_signer());
    let (state, ts) = (new_state(), timestamp(0));
    let mut p = lc::ac_params_for(CLIENT, RS_SCOPE, &state, &ts, &[], &sign);
    p.push(("emulator_persona".into(), PERSONA_OID.into()));
    let code = lc::zero_click_code(&http, &emu.url("/aas/oauth2/v2/ac"), &p).await?;
    let (state, ts) = (new_state(), timestamp(0));
    let p = lc::te_params_for(CLIENT, &code, RS_SCOPE, &state, &ts, &sign);
    let body = lc::exchange(&http, &emu.url("/aas/oauth2/v3/te"), &p).await?;
    let token = body["access_token"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let oid = jwt_part(&token, 1)["urn:esia:sbj_id"]
        .as_i64()
        .ok_or("token without sbj_id")?;
    Ok((token, oid))
}

/// `GET /rs/prns/{oid}?embed=(contacts.elements,documents.elements)` with a bearer token.
pub async fn rs_reads(emu: &Emulator, token: &str, oid: i64, load: Load) -> Summary {
    let url = emu.url(&format!(
        "/rs/prns/{oid}?embed=(contacts.elements,documents.elements)"
    ));
    let (http, url, token) = (
        http(load.concurrency),
        Arc::new(url),
        Arc::new(token.to_string()),
    );
    run(load, move |_| {
        let (http, url, token) = (http.clone(), url.clone(), token.clone());
        async move { get_200(&http, &url, Some(&token)).await }
    })
    .await
}

/// Complete ac → login → consent → te flows, each in a fresh browser.
pub async fn flows(emu: &Emulator, load: Load) -> Summary {
    let (base, sign) = (Arc::new(emu.base.clone()), lc::gost_signer());
    run(load, move |_| {
        let (base, sign) = (base.clone(), sign.clone());
        async move { lc::complete_flow(&base, CLIENT, FLOW_LOGIN, FLOW_PASSWORD, &sign).await }
    })
    .await
}

/// Complete simplified registrations; phones start at `first` so runs never collide.
pub async fn registrations(emu: &Emulator, first: u64, load: Load) -> Summary {
    let base = Arc::new(emu.base.clone());
    run(load, move |i| {
        let base = base.clone();
        async move { lc::register_simplified(&base, &format!("+7955{:07}", first + i)).await }
    })
    .await
}
