//! Role choice after login (esia-protocol §6, §10) over real HTTP: a person of an organisation
//! asked for organisation data gets «Выберите роль» before consent; the choice decides the
//! organisation of the organisation scopes in the token (and `/rs/orgs/{org}` access); an
//! organisation scope for an organisation the person does not belong to is ESIA-007194 on the
//! `ac` channel; people without organisations never see the page.

use esia_testkit::protocol::*;
use esia_testkit::spawn::{extract_csrf, location};
use esia_testkit::TestApp;

const ORG: i64 = 1_000_000_901;

/// Where a browser ends up: the callback URL, and whether the role page was shown.
struct Outcome {
    callback: String,
    role_page: Option<String>,
}

/// Drives the browser from an `ac` response to the client callback: logs in as `login`, picks
/// `role` on the role page (`P` or an organisation oid), grants consent.
async fn drive(
    app: &TestApp,
    client: &reqwest::Client,
    first: reqwest::Response,
    login: &str,
    role: &str,
) -> Outcome {
    let mut resp = first;
    let mut role_page = None;
    for _ in 0..10 {
        if resp.status().as_u16() == 200 {
            let html = resp.text().await.expect("page");
            if !html.contains("data-testid=\"role-title\"") {
                resp = grant_consent(app, client, &html).await;
                continue;
            }
            let csrf = extract_csrf(&html).expect("csrf");
            let request = between(&html, "name=\"request\" value=\"", "\"");
            role_page = Some(html.clone());
            resp = client
                .post(app.url("/aas/oauth2/role"))
                .form(&[
                    ("csrf", csrf.as_str()),
                    ("request", &request),
                    ("role", role),
                ])
                .send()
                .await
                .expect("role");
            continue;
        }
        match follow_redirect(app, client, &resp, login).await {
            Hop::Next(next) => resp = next,
            Hop::Callback(callback) => {
                return Outcome {
                    callback,
                    role_page,
                }
            }
        }
    }
    panic!("no callback reached");
}

/// ac (with `extra` such as `scope_org`) → login → role → consent → code → v3/te; returns the
/// access token's claims and the access token, and whether the role page was shown.
async fn token_for(
    app: &TestApp,
    login: &str,
    scope: &str,
    extra: &[(&str, &str)],
    role: &str,
) -> (serde_json::Value, String, Option<String>) {
    let client = app.new_client();
    let state = new_state();
    let params = v2_ac_params(scope, &state, &timestamp(0), extra, own_sign);
    let first = ac(app, &client, "/aas/oauth2/v2/ac", &params).await;
    let out = drive(app, &client, first, login, role).await;
    let cb = query_of(&out.callback);
    assert_eq!(q(&cb, "state"), Some(state.as_str()), "{}", out.callback);
    let code = q(&cb, "code")
        .unwrap_or_else(|| panic!("no code: {}", out.callback))
        .to_string();
    let te_state = new_state();
    let p = v3_code_params(&code, scope, &te_state, &timestamp(0), own_sign);
    let (status, body) = te(app, "/aas/oauth2/v3/te", &p).await;
    assert_eq!(status, 200, "{body}");
    let access = body["access_token"].as_str().unwrap().to_string();
    (jwt_part(&access, 1), access, out.role_page)
}

async fn org_status(app: &TestApp, access: &str) -> (u16, serde_json::Value) {
    let resp = app
        .client
        .get(app.url(&format!("/rs/orgs/{ORG}")))
        .bearer_auth(access)
        .send()
        .await
        .unwrap();
    (
        resp.status().as_u16(),
        resp.json().await.unwrap_or_default(),
    )
}

#[tokio::test]
async fn an_employee_chooses_the_organisation_of_the_organisation_scopes() {
    let app = esia_testkit::spawn_app().await;
    let scope = "openid fullname usr_org";
    let extra = [("scope_org", "org_shortname org_ogrn")];
    let (claims, access, page) = token_for(
        &app,
        "EsiaTest009@yandex.ru",
        scope,
        &extra,
        &ORG.to_string(),
    )
    .await;
    let page = page.expect("the role page is shown to a member of an organisation");
    assert!(page.contains("Выберите роль"));
    assert!(page.contains("data-testid=\"role-private\""));
    assert!(page.contains(&format!("data-testid=\"role-org-{ORG}\"")));
    assert!(page.contains("Руководитель"), "persona 009 is the chief");
    let sc = claims["scope"].as_str().unwrap();
    assert!(sc.contains(&format!("org_shortname?org_oid={ORG}")), "{sc}");
    assert!(sc.contains(&format!("org_ogrn?org_oid={ORG}")), "{sc}");
    assert!(sc.contains("usr_org?oid=1000000009"), "{sc}");
    let (s, org) = org_status(&app, &access).await;
    assert_eq!(s, 200, "{org}");
    assert_eq!(org["oid"], ORG);
    assert!(org["shortName"].is_string() && org["ogrn"].is_string());
    assert!(org.get("inn").is_none(), "org_inn was not asked for");

    // The same system again, acting as a private person: no organisation in the token.
    let (claims, access, page) = token_for(&app, "EsiaTest009@yandex.ru", scope, &extra, "P").await;
    assert!(page.is_some(), "the choice is asked at every login");
    let sc = claims["scope"].as_str().unwrap();
    assert!(!sc.contains("org_oid"), "{sc}");
    let (s, b) = org_status(&app, &access).await;
    assert_eq!((s, b["code"].as_str()), (403, Some("ESIA-005029")));
}

#[tokio::test]
async fn usr_org_alone_asks_the_role_but_people_without_organisations_go_straight_on() {
    let app = esia_testkit::spawn_app().await;
    let (claims, _, page) = token_for(
        &app,
        "EsiaTest010@yandex.ru",
        "openid usr_org",
        &[],
        &ORG.to_string(),
    )
    .await;
    let page = page.expect("usr_org from a member shows the page");
    assert!(
        page.contains("Администратор"),
        "persona 010 is an administrator"
    );
    assert!(!claims["scope"].as_str().unwrap().contains("org_oid"));
    let (_, _, page) = token_for(&app, "EsiaTest004@yandex.ru", "openid usr_org", &[], "P").await;
    assert!(page.is_none(), "no organisations, no role page");
    let (_, _, page) = token_for(&app, "EsiaTest009@yandex.ru", "openid fullname", &[], "P").await;
    assert!(page.is_none(), "no organisation data asked, no role page");
}

#[tokio::test]
async fn an_explicit_organisation_is_offered_alone_and_a_foreign_one_is_007194() {
    let app = esia_testkit::spawn_app().await;
    let mine = format!("openid http://esia.gosuslugi.ru/org_inn?org_oid={ORG}");
    let (claims, access, page) =
        token_for(&app, "EsiaTest009@yandex.ru", &mine, &[], &ORG.to_string()).await;
    assert!(page.unwrap().contains(&format!("role-org-{ORG}")));
    assert!(claims["scope"]
        .as_str()
        .unwrap()
        .contains(&format!("org_inn?org_oid={ORG}")));
    let (s, org) = org_status(&app, &access).await;
    assert_eq!((s, org["inn"].is_string()), (200, true), "{org}");

    // An organisation the person does not belong to: ESIA-007194 to the redirect_uri.
    for (login, scope, extra) in [
        (
            "EsiaTest009@yandex.ru",
            "openid http://esia.gosuslugi.ru/org_inn?org_oid=1000000999",
            None,
        ),
        ("EsiaTest004@yandex.ru", mine.as_str(), None),
        (
            "EsiaTest004@yandex.ru",
            "openid fullname",
            Some(("scope_org", "org_inn")),
        ),
    ] {
        let client = app.new_client();
        let state = new_state();
        let extra: Vec<(&str, &str)> = extra.into_iter().collect();
        let params = v2_ac_params(scope, &state, &timestamp(0), &extra, own_sign);
        let first = ac(&app, &client, "/aas/oauth2/v2/ac", &params).await;
        let out = drive(&app, &client, first, login, "P").await;
        assert!(out.role_page.is_none());
        let cb = query_of(&out.callback);
        assert_eq!(q(&cb, "error"), Some("invalid_scope"), "{}", out.callback);
        assert!(q(&cb, "error_description")
            .unwrap()
            .starts_with("ESIA-007194"));
        assert_eq!(q(&cb, "state"), Some(state.as_str()));
        assert!(q(&cb, "code").is_none());
    }
}

#[tokio::test]
async fn role_answers_are_checked() {
    let app = esia_testkit::spawn_app().await;
    let client = app.new_client();
    let state = new_state();
    let params = v2_ac_params(
        "openid usr_org",
        &state,
        &timestamp(0),
        &[("scope_org", "fullname")],
        own_sign,
    );
    // A person scope in scope_org is a malformed request (007006), before any login.
    let resp = ac(&app, &client, "/aas/oauth2/v2/ac", &params).await;
    let cb = query_of(&location(&resp));
    assert!(q(&cb, "error_description")
        .unwrap()
        .starts_with("ESIA-007006"));
    // A forged role value is refused with a page; a missing CSRF token too.
    let resp = app
        .post_form(
            "/aas/oauth2/role",
            &[("request", "x"), ("role", "org; drop")],
        )
        .await;
    assert_eq!(resp.status(), 400);
    let resp = app
        .client
        .post(app.url("/aas/oauth2/role"))
        .form(&[("request", "x"), ("role", "P")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);
}
