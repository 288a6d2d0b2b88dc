//! Issue 10 item 8 over real HTTP: repeated `ac`/`te` parameters are ESIA-007003 on the right
//! channel (an ambiguous `client_id` or `redirect_uri` gets the page, anything else the
//! redirect; `te` 400 JSON); `/rs` `embed` is normalised before the body cache and the
//! journal (a 60 KB `embed` is the same cache entry and a small journal row; junk embeds do
//! not grow the cache); every journal row stays small whatever the request carried.

use esia_testkit::persons;
use esia_testkit::protocol::*;
use esia_testkit::spawn::location;
use esia_testkit::{spawn_app, TestApp};
use serde_json::Value;

fn err_description(resp: &reqwest::Response) -> String {
    q(&query_of(&location(resp)), "error_description")
        .unwrap_or_default()
        .to_string()
}

fn base() -> Vec<(String, String)> {
    v2_ac_params("openid", &new_state(), &timestamp(0), &[], own_sign)
}

fn plus(mut p: Vec<(String, String)>, k: &str, v: &str) -> Vec<(String, String)> {
    p.push((k.into(), v.into()));
    p
}

fn value_of(p: &[(String, String)], k: &str) -> String {
    q(p, k).unwrap().to_string()
}

async fn ac_post(
    app: &TestApp,
    query: &[(String, String)],
    body: &[(String, String)],
) -> reqwest::Response {
    app.client
        .post(app.url("/aas/oauth2/v2/ac"))
        .query(query)
        .form(body)
        .send()
        .await
        .expect("ac post")
}

async fn assert_page_007003(resp: reqwest::Response, what: &str) {
    assert_eq!(resp.status(), 400, "{what}");
    assert!(resp.headers().get("location").is_none(), "{what}");
    assert!(resp.text().await.unwrap().contains("ESIA-007003"), "{what}");
}

#[tokio::test]
async fn repeated_ac_parameters_are_007003_on_the_right_channel() {
    let app = spawn_app().await;
    // Sanity: the base request is accepted.
    let resp = ac(&app, &app.client, "/aas/oauth2/v2/ac", &base()).await;
    assert!(location(&resp).starts_with(&app.url("/login")));

    // Repeated with a different value, or with the same one, in the query: a redirect.
    for (k, v) in [
        ("scope", "openid fullname"),
        ("state", ""),
        ("timestamp", ""),
    ] {
        let p = base();
        let v = if v.is_empty() {
            value_of(&p, k)
        } else {
            v.to_string()
        };
        let resp = ac(&app, &app.client, "/aas/oauth2/v2/ac", &plus(p, k, &v)).await;
        assert_eq!(resp.status(), 302, "{k}");
        assert!(location(&resp).starts_with(REDIRECT), "{k}");
        assert!(err_description(&resp).starts_with("ESIA-007003"), "{k}");
    }
    // Which client or which URI is meant is ambiguous: the page, no redirect.
    let p = base();
    let same_ru = plus(p.clone(), "redirect_uri", REDIRECT);
    let other_ru = plus(p.clone(), "redirect_uri", "http://127.0.0.1/cb");
    let same_client = plus(p.clone(), "client_id", CLIENT);
    for (what, params) in [
        ("ru", &same_ru),
        ("other ru", &other_ru),
        ("client", &same_client),
    ] {
        let resp = ac(&app, &app.client, "/aas/oauth2/v2/ac", params).await;
        assert_page_007003(resp, what).await;
    }
    // Form POST: repeated inside the body, or given differently in query and body.
    let resp = ac_post(&app, &[], &plus(base(), "access_type", "online")).await;
    assert_eq!(resp.status(), 302);
    assert!(err_description(&resp).starts_with("ESIA-007003"));
    let p = base();
    let resp = ac_post(&app, &[("state".into(), new_state())], &p).await;
    assert!(err_description(&resp).starts_with("ESIA-007003"));
    let resp = ac_post(&app, &[("client_id".into(), "OTHER".into())], &p).await;
    assert_page_007003(resp, "client in query and body").await;
    // A form posted back to the URL it came from repeats nothing: accepted.
    let p = base();
    let resp = ac_post(&app, &p, &p).await;
    assert_eq!(resp.status(), 302);
    assert!(location(&resp).starts_with(&app.url("/login")));
}

#[tokio::test]
async fn repeated_te_parameters_are_400_json_007003() {
    let app = spawn_app().await;
    let p = v3_code_params("some-code", "openid", &new_state(), &timestamp(0), own_sign);
    for (k, v) in [
        ("client_id", CLIENT.to_string()),
        ("redirect_uri", REDIRECT.to_string()),
        ("redirect_uri", "http://127.0.0.1/cb".to_string()),
        ("scope", "openid fullname".to_string()),
        ("client_certificate_hash", GOST_HASH.to_string()),
        ("timestamp", value_of(&p, "timestamp")),
    ] {
        let (status, body) = te(&app, "/aas/oauth2/v3/te", &plus(p.clone(), k, &v)).await;
        assert_eq!(status, 400, "{k}: {body}");
        let d = body["error_description"].as_str().unwrap();
        assert!(d.starts_with("ESIA-007003"), "{k}: {d}");
        assert_eq!(body["state"], value_of(&p, "state"));
    }
    // Body and query naming the same parameter differently.
    let resp = app
        .client
        .post(app.url("/aas/oauth2/v3/te"))
        .query(&[("client_id", "OTHER")])
        .form(&p)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    let body: Value = resp.json().await.unwrap();
    assert!(body["error_description"]
        .as_str()
        .unwrap()
        .starts_with("ESIA-007003"));
}

async fn journal(app: &TestApp) -> Vec<Value> {
    let resp = app.get("/emulator/api/journal?limit=1000").await;
    assert_eq!(resp.status(), 200);
    let body: Value = resp.json().await.unwrap();
    body["entries"].as_array().cloned().unwrap_or_default()
}

/// Sizes of journal entries, as the API returns them, must stay under this.
const ROW_BOUND: usize = 24 * 1024;

#[tokio::test]
async fn a_huge_embed_is_the_normalised_one_in_cache_and_journal() {
    let app = spawn_app().await;
    let oid = persons::oid(1);
    let token = persons::token(&app, oid, persons::ALL_SCOPES);
    let path = format!("/rs/prns/{oid}");
    let clean = "(contacts.elements,documents.elements)";
    let junk = "x".repeat(60_000);

    let (_, bodies_before) = esia_core::person::rest::rest_cache_sizes(&app.core);
    let (s, normal) = persons::rs(&app, &token, &format!("{path}?embed={clean}")).await;
    assert_eq!(s, 200, "{normal}");
    assert!(normal["contacts"]["elements"][0].is_object(), "{normal}");
    let (_, bodies) = esia_core::person::rest::rest_cache_sizes(&app.core);
    assert_eq!(bodies, bodies_before + 1, "the clean request is cached");

    let huge = format!("{path}?embed=(documents.elements-1,{junk},contacts.elements,junk2)");
    let (s, same) = persons::rs(&app, &token, &huge).await;
    assert_eq!(s, 200);
    assert_eq!(same, normal, "the same body as the normalised embed");
    for i in 0..40 {
        let q = format!("{path}?embed=(contacts.elements,documents.elements,junk{i}-{i},{i}.x)");
        let (s, b) = persons::rs(&app, &token, &q).await;
        assert_eq!(s, 200);
        assert_eq!(b, normal);
    }
    assert_eq!(
        esia_core::person::rest::rest_cache_sizes(&app.core).1,
        bodies,
        "junk embeds add no cache entry"
    );

    let entries = journal(&app).await;
    let rs: Vec<&Value> = entries.iter().filter(|e| e["endpoint"] == path).collect();
    assert_eq!(rs.len(), 42);
    for e in rs {
        assert_eq!(e["params"]["embed"], clean, "{e}");
        assert!(e.to_string().len() < 2048, "{} bytes", e.to_string().len());
    }
}

#[tokio::test]
async fn journal_rows_stay_small_whatever_ac_and_te_carry() {
    let app = spawn_app().await;
    let big = "y".repeat(60_000);
    // Unsigned v1 ac with a huge unknown parameter and a huge scope.
    let p = vec![
        ("client_id".to_string(), CLIENT.to_string()),
        ("redirect_uri".into(), REDIRECT.into()),
        ("scope".into(), format!("openid {big}")),
        ("junk".into(), big.clone()),
    ];
    let resp = app
        .client
        .post(app.url("/aas/oauth2/ac"))
        .form(&p)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 302);
    // A v2 ac with a long redirect URI whose signature is checked (and fails): the signature
    // check quotes the signed strings.
    let long_ru = format!("{REDIRECT}?x={}", "z".repeat(3_500));
    let mut p = base();
    p.retain(|(k, _)| k != "redirect_uri");
    p.push(("redirect_uri".into(), long_ru));
    p.push(("permissions".into(), big.clone()));
    for _ in 0..60 {
        p.push((
            format!("extra{}", p.len()),
            big.chars().take(1000).collect(),
        ));
    }
    let resp = app
        .client
        .post(app.url("/aas/oauth2/v2/ac"))
        .form(&p)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 302);
    assert!(err_description(&resp).starts_with("ESIA-007053"));
    // te with huge values.
    let mut t = v3_code_params("c", "openid", &new_state(), &timestamp(0), own_sign);
    t.push(("junk".into(), big.clone()));
    let (status, _) = te(&app, "/aas/oauth2/v3/te", &t).await;
    assert_eq!(status, 400);

    let entries = journal(&app).await;
    assert_eq!(entries.len(), 3);
    for e in &entries {
        let n = e.to_string().len();
        assert!(n < ROW_BOUND, "{} entry of {n} bytes", e["endpoint"]);
        let junk = e["params"]["junk"]
            .as_str()
            .or(e["params"]["permissions"].as_str());
        assert!(
            junk.unwrap_or("").ends_with("…<60000 chars, truncated>"),
            "{e}"
        );
    }
    let v2 = entries
        .iter()
        .find(|e| e["endpoint"] == "/aas/oauth2/v2/ac")
        .unwrap();
    assert_eq!(
        v2["params"]["…"]
            .as_str()
            .map(|s| s.ends_with("more not stored>")),
        Some(true)
    );
    assert_eq!(v2["verification"]["ok"], false, "{v2}");
}
