//! The admin pages over real HTTP: `/emulator/jobs` lists jobs and «Повторить» requeues a dead
//! one (a done or unknown job is refused on the page); `/emulator/outbox` shows an SMS code;
//! `/emulator/journal` filters, refuses bad filters on the page, clears, and its decoder explains
//! a JWT and a client_secret; `/emulator` lists every demo persona with its level and state.
//! Forms without the CSRF token are refused.

use esia_store::jobs::{self, JobRow};
use esia_testkit::protocol::*;
use esia_testkit::{spawn_app, TestApp};

fn job(id: &str, status: &str, now: chrono::NaiveDateTime) -> JobRow {
    JobRow {
        id: id.into(),
        kind: "no_such_kind".into(),
        payload: "{}".into(),
        status: status.into(),
        attempts: 3,
        max_attempts: 3,
        run_at: now,
        locked_by: None,
        locked_until: None,
        last_error: (status == "dead").then(|| "unknown job kind no_such_kind".into()),
        created_at: now,
        finished_at: Some(now),
        request_id: None,
    }
}

async fn page(app: &TestApp, path: &str) -> (u16, String) {
    let resp = app.get(path).await;
    (resp.status().as_u16(), resp.text().await.unwrap())
}

async fn post(app: &TestApp, path: &str, fields: &[(&str, &str)]) -> (u16, String) {
    let resp = app.post_form(path, fields).await;
    (resp.status().as_u16(), resp.text().await.unwrap())
}

#[tokio::test]
async fn jobs_page_lists_jobs_and_retries_a_dead_one() {
    let app = spawn_app().await;
    // A frozen clock keeps the retried job from running again while we look at it.
    app.clock.freeze_at(chrono::Utc::now());
    let now = app.core.now_naive();
    {
        let mut conn = app.core.conn().unwrap();
        jobs::enqueue(&mut conn, &job("job-dead", "dead", now)).unwrap();
        jobs::enqueue(&mut conn, &job("job-done", "done", now)).unwrap();
    }
    let (s, html) = page(&app, "/emulator/jobs").await;
    assert_eq!(s, 200);
    assert!(html.contains("data-testid=\"jobs-row-job-dead\""));
    assert!(html.contains("Ошибка, попытки исчерпаны"));
    assert!(html.contains("unknown job kind no_such_kind"));
    assert!(html.contains("data-testid=\"jobs-retry-job-dead\""));
    assert!(
        !html.contains("data-testid=\"jobs-retry-job-done\""),
        "a finished job has no retry button"
    );

    let (s, html) = page(&app, "/emulator/jobs?status=dead").await;
    assert_eq!(s, 200);
    assert!(html.contains("jobs-row-job-dead") && !html.contains("jobs-row-job-done"));
    let (s, html) = page(&app, "/emulator/jobs?status=lost").await;
    assert_eq!(s, 422);
    assert!(html.contains("data-testid=\"jobs-error\""));
    let (s, _) = page(&app, "/emulator/jobs?stat=dead").await;
    assert_eq!(s, 400);

    let (s, html) = post(&app, "/emulator/jobs/job-dead/retry", &[]).await;
    assert_eq!(s, 200, "{html}");
    assert!(html.contains("data-testid=\"jobs-notice\""));
    let row = jobs::find(&mut app.core.conn().unwrap(), "job-dead")
        .unwrap()
        .unwrap();
    assert_eq!(row.status, "queued");
    assert!(row.attempts <= 1, "attempts start again: {}", row.attempts);
    assert!(row.finished_at.is_none());

    let (s, html) = post(&app, "/emulator/jobs/job-done/retry", &[]).await;
    assert_eq!(s, 409);
    assert!(html.contains("data-testid=\"jobs-error\""));
    let (s, _) = post(&app, "/emulator/jobs/no-such-job/retry", &[]).await;
    assert_eq!(s, 404);

    let resp = app
        .client
        .post(app.url("/emulator/jobs/job-dead/retry"))
        .form(&[("csrf", "forged")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);
}

#[tokio::test]
async fn outbox_page_shows_the_sms_code() {
    let app = spawn_app().await;
    let resp = app
        .post_form(
            "/registration",
            &[
                ("surname", "Тестов"),
                ("name", "Тест"),
                ("patronymic", ""),
                ("phone", "8 (912) 345-67-89"),
                ("email", ""),
            ],
        )
        .await;
    assert_eq!(resp.status(), 303);
    let code = app.last_sms_code("+79123456789").await;
    let (s, html) = page(&app, "/emulator/outbox?to=%2B79123456789&kind=sms").await;
    assert_eq!(s, 200);
    assert!(html.contains(&format!("<code data-testid=\"outbox-code\">{code}</code>")));
    let (s, html) = page(&app, "/emulator/outbox?kind=letter").await;
    assert_eq!(s, 200);
    assert!(html.contains("data-testid=\"outbox-empty\""));
    let (s, html) = page(&app, "/emulator/outbox?kind=pigeon").await;
    assert_eq!(s, 422);
    assert!(html.contains("data-testid=\"outbox-error\""));
}

/// A token from the real v3/te flow, as the decoder's input.
async fn token_from_flow(app: &TestApp) -> String {
    let client = app.new_client();
    let scope = "openid fullname";
    let params = v2_ac_params(scope, &new_state(), &timestamp(0), &[], own_sign);
    let first = ac(app, &client, "/aas/oauth2/v2/ac", &params).await;
    let callback = browse_to_callback(app, &client, first, "EsiaTest001@yandex.ru").await;
    let code = q(&query_of(&callback), "code").expect("code").to_string();
    let params = v3_code_params(&code, scope, &new_state(), &timestamp(0), own_sign);
    let (status, body) = te(app, "/aas/oauth2/v3/te", &params).await;
    assert_eq!(status, 200, "{body}");
    body["access_token"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn journal_page_filters_clears_and_decodes() {
    let app = spawn_app().await;
    let access = token_from_flow(&app).await;

    let (s, html) = page(&app, "/emulator/journal?endpoint=v3/te&persona=1000000001").await;
    assert_eq!(s, 200);
    assert!(html.contains("data-endpoint=\"/aas/oauth2/v3/te\""));
    assert!(!html.contains("data-endpoint=\"/aas/oauth2/v2/ac\""));
    assert!(!html.contains(&access), "token values never shown");
    let (s, html) = page(&app, "/emulator/journal?from=yesterday").await;
    assert_eq!(s, 422);
    assert!(html.contains("data-testid=\"journal-error\""));

    // The decoder: our own token verifies, its exp is a date; garbage is refused on the page.
    let (s, html) = post(
        &app,
        "/emulator/journal/decode",
        &[("kind", "jwt"), ("token", &access)],
    )
    .await;
    assert_eq!(s, 200, "{html}");
    assert!(html.contains("Подпись верна"));
    assert!(html.contains("data-testid=\"decoder-time-exp\""));
    assert!(html.contains("Срок действия не истёк"));
    assert!(html.contains("urn:esia:sbj_id") && html.contains("1000000001"));
    let mut forged = access.clone();
    forged.truncate(forged.len() - 4);
    forged.push_str("AAAA");
    let (s, html) = post(
        &app,
        "/emulator/journal/decode",
        &[("kind", "jwt"), ("token", &forged)],
    )
    .await;
    assert_eq!(s, 200);
    assert!(html.contains("Подпись не проверена"));
    let (s, html) = post(
        &app,
        "/emulator/journal/decode",
        &[("kind", "jwt"), ("token", "abc")],
    )
    .await;
    assert_eq!(s, 422);
    assert!(html.contains("data-testid=\"decoder-error\""));

    // A pasted ac URL with a wrong client_secret: the diagnostics name the error code.
    let state = new_state();
    let ts = timestamp(0);
    let mut p = v2_ac_params("openid", &state, &ts, &[], own_sign);
    p.retain(|(k, _)| k != "client_secret");
    p.push(("client_secret".into(), own_sign("wrong message")));
    let url = url::Url::parse_with_params(&app.url("/aas/oauth2/v2/ac"), &p).unwrap();
    let (s, html) = post(
        &app,
        "/emulator/journal/decode",
        &[
            ("kind", "secret"),
            ("request", url.as_str()),
            ("endpoint", ""),
        ],
    )
    .await;
    assert_eq!(s, 200, "{html}");
    assert!(html.contains("data-testid=\"decoder-secret\""));
    assert!(html.contains("ESIA-007053"));

    let (s, html) = post(&app, "/emulator/journal/clear", &[]).await;
    assert_eq!(s, 200);
    assert!(html.contains("data-testid=\"journal-notice\""));
    assert!(html.contains("data-testid=\"journal-empty\""));
}

#[tokio::test]
async fn emulator_home_links_every_admin_page() {
    let app = spawn_app().await;
    let (_, html) = page(&app, "/emulator").await;
    for path in [
        "/emulator/jobs",
        "/emulator/outbox",
        "/emulator/journal",
        "/emulator/faults",
        "/emulator/clock",
    ] {
        assert!(html.contains(&format!("href=\"{path}\"")), "{path}");
        let (s, _) = page(&app, path).await;
        assert_eq!(s, 200, "{path}");
    }
}

#[tokio::test]
async fn emulator_home_lists_every_demo_persona_with_its_level_and_state() {
    let app = spawn_app().await;
    let (s, html) = page(&app, "/emulator").await;
    assert_eq!(s, 200);
    let lower = html.to_lowercase();
    for n in 1..=16 {
        let login = format!("esiatest{n:03}@yandex.ru");
        assert!(lower.contains(&login), "{login} missing: {html}");
    }
    assert_eq!(
        html.matches("data-testid=\"emulator-persona-login\"")
            .count(),
        16
    );
    let row = |oid: i64| {
        let start = html
            .find(&format!("data-testid=\"emulator-persona-{oid}\""))
            .unwrap_or_else(|| panic!("row {oid} missing"));
        let end = html[start..].find("</tr>").expect("row end") + start;
        html[start..end].to_string()
    };
    let deleted = row(1000000013);
    assert!(
        deleted.contains("Павлова Анастасия Алексеевна"),
        "{deleted}"
    );
    assert!(
        deleted.contains("Стандартная") && deleted.contains("удалена"),
        "{deleted}"
    );
    let failed = row(1000000012);
    assert!(failed.contains("Упрощённая") && failed.contains("паспорт не прошёл проверку"));
    let no_phone = row(1000000016);
    assert!(no_phone.contains("только почта"), "{no_phone}");
    assert!(row(1000000006).contains("Подтверждённая"));
}

#[tokio::test]
async fn faults_page_adds_lists_and_deletes_rules() {
    let app = spawn_app().await;
    let (s, html) = page(&app, "/emulator/faults").await;
    assert_eq!(s, 200);
    assert!(html.contains("data-testid=\"faults-empty\""));

    let (s, html) = post(
        &app,
        "/emulator/faults",
        &[
            ("kind", "esia_error"),
            ("code", "ESIA-007008"),
            ("endpoint", "te"),
            ("client_id", "DEMO_IS"),
            ("times", "2"),
        ],
    )
    .await;
    assert_eq!(s, 200, "{html}");
    assert!(html.contains("data-testid=\"faults-notice\""));
    let rules: serde_json::Value = app.get("/emulator/api/faults").await.json().await.unwrap();
    let rule = &rules["faults"][0];
    assert_eq!(rule["effect"]["code"], "ESIA-007008");
    assert_eq!(rule["remaining"], 2);
    let id = rule["id"].as_str().unwrap().to_string();
    assert!(html.contains(&format!("data-testid=\"faults-row-{id}\"")));

    // Refused on the page, with the typed values kept.
    let (s, html) = post(
        &app,
        "/emulator/faults",
        &[("kind", "esia_error"), ("code", "ESIA-999999")],
    )
    .await;
    assert_eq!(s, 422);
    assert!(html.contains("data-testid=\"faults-error\"") && html.contains("ESIA-999999"));
    let (s, _) = post(
        &app,
        "/emulator/faults",
        &[("kind", "latency"), ("persona_oid", "abc")],
    )
    .await;
    assert_eq!(s, 422);
    let (s, _) = post(&app, "/emulator/faults", &[("kind", "no_such_kind")]).await;
    assert_eq!(s, 422);

    let (s, html) = post(&app, &format!("/emulator/faults/{id}/delete"), &[]).await;
    assert_eq!(s, 200);
    assert!(html.contains("data-testid=\"faults-empty\""));
    let (s, _) = post(&app, &format!("/emulator/faults/{id}/delete"), &[]).await;
    assert_eq!(s, 404);
}

#[tokio::test]
async fn clock_page_moves_freezes_and_resets_time() {
    let app = spawn_app().await;
    let (s, html) = page(&app, "/emulator/clock").await;
    assert_eq!(s, 200);
    assert!(html.contains("data-testid=\"clock-now\""));

    let before = app.core.now();
    let (s, html) = post(
        &app,
        "/emulator/clock",
        &[("action", "advance"), ("value", "7200")],
    )
    .await;
    assert_eq!(s, 200, "{html}");
    assert!(html.contains("data-testid=\"clock-notice\""));
    let moved = (app.core.now() - before).num_seconds();
    assert!((7190..7300).contains(&moved), "{moved}");

    let (s, _) = post(&app, "/emulator/clock", &[("action", "freeze")]).await;
    assert_eq!(s, 200);
    assert!(esia_control::clock::clock_view(&app.control).frozen);
    let (s, html) = post(
        &app,
        "/emulator/clock",
        &[("action", "freeze_at"), ("value", "tomorrow")],
    )
    .await;
    assert_eq!(s, 422);
    assert!(html.contains("data-testid=\"clock-error\""));
    let (s, _) = post(
        &app,
        "/emulator/clock",
        &[("action", "offset"), ("value", "x")],
    )
    .await;
    assert_eq!(s, 422);

    let (s, _) = post(&app, "/emulator/clock", &[("action", "reset")]).await;
    assert_eq!(s, 200);
    let view = esia_control::clock::clock_view(&app.control);
    assert!(!view.frozen && view.offset_secs == 0);
}
