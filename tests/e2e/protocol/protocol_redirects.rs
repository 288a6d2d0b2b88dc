//! Issue 10 item 2 over real HTTP: hostile `redirect_uri` values on `ac` (v1 unsigned, v2
//! unsigned and v2 correctly signed over the hostile value) and hostile Logout `redirect_url`
//! values never produce a `Location` off the registered URIs and never a 5xx: `ac` answers the
//! ESIA-007023 page, Logout its own page. The legitimate variants still redirect.

use esia_testkit::protocol::*;
use esia_testkit::spawn::location;
use esia_testkit::{spawn_app, TestApp};

/// A client registered with a port and a path, for the port and path-prefix variants.
const PATH_IS: &str = "PATH_IS";
const PATH_REDIRECT: &str = "http://localhost:9999/cb";

async fn register_path_client(app: &TestApp) {
    let resp = app
        .client
        .post(app.url("/emulator/api/clients"))
        .json(&serde_json::json!({
            "mnemonic": PATH_IS, "name": "С путём", "redirect_uris": [PATH_REDIRECT],
            "scopes": ["openid"], "certificates": [GOST_CERT]
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201);
}

/// v2/ac parameters for `client` and `ru`, correctly signed over `ru` when `signed`.
fn v2(client: &str, ru: &str, signed: bool) -> Vec<(String, String)> {
    let (state, ts) = (new_state(), timestamp(0));
    let mut p: Vec<(String, String)> = vec![
        ("client_id".into(), client.into()),
        ("client_certificate_hash".into(), GOST_HASH.into()),
        ("redirect_uri".into(), ru.into()),
        ("scope".into(), "openid".into()),
        ("response_type".into(), "code".into()),
        ("state".into(), state.clone()),
        ("timestamp".into(), ts.clone()),
    ];
    if signed {
        let secret = own_sign(&format!("{client}openid{ts}{state}{ru}"));
        p.push(("client_secret".into(), secret));
    }
    p
}

/// v1/ac parameters without any signature.
fn v1_unsigned(client: &str, ru: &str) -> Vec<(String, String)> {
    vec![
        ("client_id".into(), client.into()),
        ("redirect_uri".into(), ru.into()),
        ("scope".into(), "openid".into()),
        ("response_type".into(), "code".into()),
        ("state".into(), new_state()),
        ("timestamp".into(), timestamp(0)),
    ]
}

/// Every way of asking `ac` for `ru` on behalf of `client`.
fn variants(client: &str, ru: &str) -> Vec<(&'static str, Vec<(String, String)>)> {
    vec![
        ("/aas/oauth2/ac", v1_unsigned(client, ru)),
        ("/aas/oauth2/v2/ac", v2(client, ru, false)),
        ("/aas/oauth2/v2/ac", v2(client, ru, true)),
    ]
}

/// The refusal: the ESIA-007023 page, no `Location`, GET and form POST alike.
async fn assert_refused(app: &TestApp, client: &str, ru: &str) {
    for (path, params) in variants(client, ru) {
        for post in [false, true] {
            let req = if post {
                app.client.post(app.url(path)).form(&params)
            } else {
                app.client.get(app.url(path)).query(&params)
            };
            let resp = req.send().await.expect("ac");
            let status = resp.status().as_u16();
            let loc = resp.headers().get("location").map(|v| v.to_owned());
            let body = resp.text().await.unwrap_or_default();
            let what = format!("{path} post={post} {ru:?}: {status} {loc:?}");
            assert!(loc.is_none(), "redirected: {what}");
            assert_eq!(status, 400, "{what}");
            assert!(body.contains("ESIA-007023"), "{what}: {body}");
        }
    }
}

#[tokio::test]
async fn hostile_redirect_uris_get_the_007023_page_and_never_a_location() {
    let app = spawn_app().await;
    register_path_client(&app).await;
    let demo_hostile = [
        "http://localhost:@evil.example/cb",
        "http://localhost:8000@evil.example/cb",
        "http://127.0.0.1:x@evil.example/cb",
        "http://localhost:garbage@evil.example/cb",
        "http://localhost\\@evil.example/cb",
        "http:/\\evil.example/cb",
        "http://local\thost/cb",
        "http://localhost/cb\r\nSet-Cookie: x=1",
        "http://localhost\n.evil.example/cb",
        "http://127.1/cb",
        "http://localhost./cb",
        "http://%6cocalhost/cb",
        "https://localhost:8000/callback",
        "http://localhost:8000/callback#x",
    ];
    for ru in demo_hostile {
        assert_refused(&app, CLIENT, ru).await;
    }
    let path_hostile = [
        "http://localhost:9999/cbevil",
        "http://localhost:9999/cb/../evil",
        "http://localhost:9999/cb/%2e%2e/evil",
        "http://localhost:9998/cb",
        "http://localhost/cb",
        "https://localhost:9999/cb",
    ];
    for ru in path_hostile {
        assert_refused(&app, PATH_IS, ru).await;
    }
}

#[tokio::test]
async fn legitimate_redirect_uris_still_work_signed_and_unsigned() {
    let app = spawn_app().await;
    register_path_client(&app).await;
    let ok = [
        (CLIENT, "http://localhost:8000/callback"),
        (CLIENT, "http://127.0.0.1:3000/back?x=1"),
        (PATH_IS, "http://localhost:9999/cb"),
        (PATH_IS, "http://localhost:9999/cb/x?y=1"),
        // Host names are case-insensitive: the browser lands on the registered host.
        (PATH_IS, "http://LOCALHOST:9999/cb"),
    ];
    for (client, ru) in ok {
        let want = url::Url::parse(ru).unwrap();
        // Signed: on to the login page.
        let resp = ac(
            &app,
            &app.client,
            "/aas/oauth2/v2/ac",
            &v2(client, ru, true),
        )
        .await;
        assert_eq!(resp.status(), 302, "{ru}");
        let to = location(&resp);
        assert!(to.starts_with(&app.url("/login")), "{ru}: {to}");
        // Unsigned: the error goes back to the (registered) URI, on the parsed origin.
        for params in [v1_unsigned(client, ru), v2(client, ru, false)] {
            let resp = ac(&app, &app.client, "/aas/oauth2/ac", &params).await;
            assert_eq!(resp.status(), 302, "{ru}");
            let back = url::Url::parse(&location(&resp)).unwrap();
            assert_eq!(back.host_str(), want.host_str(), "{ru}");
            assert_eq!(back.port_or_known_default(), want.port_or_known_default());
            assert!(back.path().starts_with(want.path()), "{ru}: {back}");
            let qp = query_of(back.as_str());
            assert!(q(&qp, "error_description")
                .unwrap()
                .starts_with("ESIA-0070"));
        }
    }
}

async fn logout(app: &TestApp, redirect_url: &str) -> reqwest::Response {
    app.client
        .get(app.url("/idp/ext/Logout"))
        .query(&[("client_id", CLIENT), ("redirect_url", redirect_url)])
        .send()
        .await
        .expect("logout")
}

#[tokio::test]
async fn logout_redirects_only_to_registered_urls_and_never_fails() {
    let app = spawn_app().await;
    let hostile = [
        "http://localhost:@evil.example/",
        "http://localhost:8000@evil.example/",
        "http://127.0.0.1:x@evil.example/",
        "http://localhost\\@evil.example/",
        "http:/\\evil.example/",
        "http://localhost:8000/\r\nSet-Cookie: x=1",
        "http://localhost:8000/\n",
        "http://local\thost/",
        "http://127.1/",
        "https://localhost/",
        "http://localhost/#x",
        "//evil.example/",
    ];
    for url in hostile {
        let resp = logout(&app, url).await;
        let status = resp.status().as_u16();
        assert!(
            resp.headers().get("location").is_none(),
            "{url:?}: redirected with {status}"
        );
        assert_eq!(status, 200, "{url:?}");
        assert!(resp.text().await.unwrap().contains("Вы вышли"), "{url:?}");
    }
    for (url, to) in [
        ("http://localhost:8000/", "http://localhost:8000/"),
        (
            "http://LOCALHOST:8000/bye?x=1",
            "http://localhost:8000/bye?x=1",
        ),
    ] {
        let resp = logout(&app, url).await;
        assert_eq!(resp.status(), 302, "{url}");
        assert_eq!(location(&resp), to);
    }
}

#[tokio::test]
async fn a_registered_uri_that_could_never_match_is_refused_at_registration() {
    let app = spawn_app().await;
    for uri in [
        "http://x@localhost/cb",
        "http://localhost/cb#frag",
        "http://127.1/",
    ] {
        let resp = app
            .client
            .post(app.url("/emulator/api/clients"))
            .json(&serde_json::json!({
                "mnemonic": "ODD_IS", "name": "Странная", "redirect_uris": [uri],
                "certificates": [GOST_CERT]
            }))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 422, "{uri}");
        let body = resp.text().await.unwrap();
        assert!(body.contains("redirect_uri_invalid"), "{uri}: {body}");
    }
}
