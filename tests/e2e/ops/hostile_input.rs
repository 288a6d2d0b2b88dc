//! Hostile input over every route (issue 10, "Proof that stays in CI"): each `(method, pattern)`
//! of `esia_web::routes::ALL` (kept equal to the router by that module's tests; the QA API's
//! names come from the OpenAPI document) is sent malformed, oversized and hostile requests —
//! bad UTF-8 in path, query, body and headers, 10 MB bodies, repeated parameters, CR/LF,
//! encoded paths, injection strings, wrong content types, garbage cookies and CSRF tokens,
//! absurdly long headers — on a server with the admin token and on one without. Any 5xx, any
//! request without an answer and any panic fails; the server must still be healthy at the end.
//! State-wiping routes are walked last, one at a time (see `esia_testkit::hostile::LAST`).
//! The walk counts every panic in the process, so it runs in a process of its own
//! (`esia_testkit::alone`): the other tests of this binary panic on purpose now and then.

use esia_testkit::persons;
use std::net::SocketAddr;
use std::time::Instant;

use esia_testkit::hostile::cases::{Ctx, CSRF};
use esia_testkit::hostile::{count_panics, panics, walk};
use esia_testkit::{spawn_app_with, TestApp};

const TOKEN: &str = "hostile-admin-token-0123456789";
/// Routes in flight at once (each sends its cases in order): enough to load both cores.
const PARALLEL: usize = 8;

fn addr(app: &TestApp) -> SocketAddr {
    app.address
        .trim_start_matches("http://")
        .parse()
        .expect("socket address")
}

/// Logs a catalogue persona in with a forged double-submit CSRF pair; returns its session.
async fn session_of(app: &TestApp, login: &str) -> Option<String> {
    let resp = app
        .new_client()
        .post(app.url("/login"))
        .header("Cookie", format!("esia_csrf={CSRF}"))
        .form(&[("csrf", CSRF), ("login", login), ("password", "11111111")])
        .send()
        .await
        .expect("login");
    resp.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.strip_prefix("esia_session="))
        .and_then(|c| c.split(';').next())
        .map(str::to_string)
}

/// Walks one server; returns its failures (5xx, no answer, panics), each naming its input.
async fn walk_server(token: Option<&str>) -> Vec<String> {
    count_panics();
    // The server's own error lines (captured by the harness, shown when the test fails).
    let _ = tracing_subscriber::fmt()
        .with_env_filter("warn")
        .with_test_writer()
        .try_init();
    let owned = token.map(str::to_string);
    let app = spawn_app_with(move |c| {
        if let Some(t) = owned {
            c.admin.token = t;
        }
    })
    .await;
    let oid = persons::oid(1);
    let ctx = Ctx {
        admin_token: token.map(str::to_string),
        session: session_of(&app, "EsiaTest001@yandex.ru").await,
        bearer: Some(persons::token(&app, oid, persons::ALL_SCOPES)),
        oid: oid.to_string(),
    };
    assert!(ctx.session.is_some(), "the walker could not log in");
    let doc: serde_json::Value = app
        .get("/emulator/api/openapi.json")
        .await
        .json()
        .await
        .expect("openapi");
    let panics_before = panics();
    let started = Instant::now();
    let report = walk(addr(&app), ctx, &doc, PARALLEL).await;
    let mode = if token.is_some() {
        "admin token"
    } else {
        "open"
    };
    println!(
        "hostile input ({mode}): {} requests over {} routes in {:.1}s",
        report.sent,
        report.per_route.len(),
        started.elapsed().as_secs_f64()
    );
    for (route, n) in &report.per_route {
        println!("  {n:>4}  {route}");
    }
    assert_eq!(report.per_route.len(), esia_web::routes::ALL.len());
    let mut failures: Vec<String> = report
        .failures
        .into_iter()
        .map(|f| format!("({mode}) {f}"))
        .collect();
    let health = app.get("/emulator/health").await.status();
    if health != 200 {
        failures.push(format!(
            "({mode}) /emulator/health answered {health} after the walk"
        ));
    }
    let panicked = panics() - panics_before;
    if panicked > 0 {
        failures.push(format!("({mode}) the server panicked {panicked} times"));
    }
    failures
}

/// Both servers in one test, one after the other: the panic count is process-wide, so a
/// second walk in parallel (or its failing assertion) would blur whose panic it was.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_survives_hostile_input_with_and_without_the_admin_token() {
    if !esia_testkit::alone::in_own_process(
        module_path!(),
        "every_route_survives_hostile_input_with_and_without_the_admin_token",
    ) {
        return;
    }
    let mut failures = walk_server(None).await;
    failures.extend(walk_server(Some(TOKEN)).await);
    assert!(
        failures.is_empty(),
        "{} hostile requests got a 5xx or no answer:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

// ---- Inputs the walk found (each once answered 5xx), kept as named regression cases. ----

/// Found on PostgreSQL: a NUL (`%00` in a path, `\0` in a form field) reached a query, PostgreSQL
/// refused the statement ("invalid byte sequence for encoding UTF8: 0x00") and the server
/// answered 500. No record can hold one: now "not found", on both backends.
#[tokio::test]
async fn nul_characters_in_keys_are_not_found_rather_than_500() {
    let app = spawn_app_with(|_| {}).await;
    let client = app.new_client();
    for (method, path) in [
        ("GET", "/emulator/api/clients/%00"),
        ("GET", "/emulator/api/clients/%00/zero-click"),
        ("GET", "/emulator/api/faults/%00"),
        ("DELETE", "/emulator/api/faults/%00"),
        ("DELETE", "/emulator/api/verification-rules/%00"),
        ("DELETE", "/emulator/api/clients/%00"),
    ] {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let resp = client
            .request(method.clone(), app.url(path))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 404, "{method} {path}");
    }
    for path in ["/registration/email/%00", "/recovery/password/%00"] {
        let status = client.get(app.url(path)).send().await.unwrap().status();
        assert!(status.is_client_error(), "GET {path} answered {status}");
    }
    let cookie = format!("esia_csrf={CSRF}");
    for (path, field) in [
        ("/aas/oauth2/consent", "request"),
        ("/emulator/bank/sberbank/agree", "person_id"),
        ("/emulator/jobs/%00/retry", "x"),
        ("/emulator/faults/%00/delete", "x"),
    ] {
        let resp = client
            .post(app.url(path))
            .header("Cookie", &cookie)
            .form(&[("csrf", CSRF), (field, "a\0b"), ("decision", "grant")])
            .send()
            .await
            .unwrap();
        let status = resp.status();
        assert!(
            status.is_client_error() || status.is_redirection(),
            "POST {path} answered {status}"
        );
    }
}
