//! `/emulator/metrics` (issue 12): Prometheus text behind the admin token, with requests by
//! route template and status, latency histograms, jobs by kind and state, the queue depth and the
//! pool. The recorder is process-wide (every app of this test binary counts into it), so the
//! assertions read the value of one labelled series before and after this test's own requests.

use esia_testkit::spawn_app_with;

const TOKEN: &str = "metrics-admin-token-0123456789";
const OID: &str = "1000000001";

/// The value of the series whose line starts with `series` (`name{labels}`), 0 when absent.
fn value(text: &str, series: &str) -> f64 {
    text.lines()
        .find_map(|l| l.strip_prefix(series)?.trim().parse().ok())
        .unwrap_or(0.0)
}

#[tokio::test]
async fn metrics_count_requests_by_route_template_behind_the_admin_token() {
    let app = spawn_app_with(|c| c.admin.token = TOKEN.into()).await;
    let http = app.new_client();
    let scrape = || async {
        let res = http
            .get(app.url("/emulator/metrics"))
            .bearer_auth(TOKEN)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        assert!(res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain; version=0.0.4"));
        res.text().await.unwrap()
    };

    let without = http.get(app.url("/emulator/metrics")).send().await.unwrap();
    assert_eq!(without.status(), 401, "no token, no metrics");

    let series = r#"esia_http_requests_total{method="GET",route="/rs/prns/{oid}",status="401"}"#;
    let before = value(&scrape().await, series);
    for _ in 0..3 {
        let res = http
            .get(app.url(&format!("/rs/prns/{OID}")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 401);
    }
    let text = scrape().await;
    // Other tests of this binary may add to the same series meanwhile, never take from it.
    assert!(
        value(&text, series) >= before + 3.0,
        "three more /rs answers:\n{text}"
    );
    assert!(
        text.contains(
            r#"esia_http_request_duration_seconds_bucket{route="/rs/prns/{oid}",le="0.005"}"#
        ),
        "a latency histogram per route:\n{text}"
    );
    assert!(text.contains("esia_job_queue_depth "), "{text}");
    assert!(text.contains("esia_db_pool_max_size "), "{text}");
    assert!(text.contains("esia_db_pool_wait_seconds_count "), "{text}");
    let leaked: Vec<&str> = text
        .lines()
        .filter(|l| {
            l.split('}')
                .next()
                .is_some_and(|labels| labels.contains(OID))
        })
        .collect();
    assert!(leaked.is_empty(), "no identifier in a label: {leaked:?}");
}

#[tokio::test]
async fn metrics_count_esia_errors_by_code_and_channel_and_tokens_by_algorithm() {
    use esia_testkit::protocol::*;
    let app = spawn_app_with(|c| c.admin.token = TOKEN.into()).await;
    let scrape = || async {
        app.client
            .get(app.url("/emulator/metrics"))
            .bearer_auth(TOKEN)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    };
    let issued = r#"esia_tokens_issued_total{kind="access",alg="RS256"}"#;
    let replayed = r#"esia_protocol_errors_total{code="ESIA-007011",channel="json"}"#;
    let before = scrape().await;

    // A real login: one access token (RS256 by default) and one id_token.
    let client = app.new_client();
    let scope = "openid fullname";
    let params = v2_ac_params(scope, &new_state(), &timestamp(0), &[], own_sign);
    let first = ac(&app, &client, "/aas/oauth2/v2/ac", &params).await;
    let callback = browse_to_callback(&app, &client, first, "EsiaTest001@yandex.ru").await;
    let qp = query_of(&callback);
    let code = q(&qp, "code").expect("code").to_string();
    let params = v3_code_params(&code, scope, &new_state(), &timestamp(0), own_sign);
    let (status, body) = te(&app, "/aas/oauth2/v3/te", &params).await;
    assert_eq!(status, 200, "{body}");
    // The same code again: ESIA-007011 as te JSON.
    let params = v3_code_params(&code, scope, &new_state(), &timestamp(0), own_sign);
    let (status, body) = te(&app, "/aas/oauth2/v3/te", &params).await;
    assert_eq!(status, 400, "{body}");
    assert!(
        body["error_description"]
            .as_str()
            .is_some_and(|d| d.starts_with("ESIA-007011")),
        "{body}"
    );

    let after = scrape().await;
    assert!(
        value(&after, issued) >= value(&before, issued) + 1.0,
        "one more RS256 access token:\n{after}"
    );
    assert!(
        value(&after, replayed) >= value(&before, replayed) + 1.0,
        "one more ESIA-007011 on the te channel:\n{after}"
    );
    assert!(
        after.contains(r#"esia_tokens_issued_total{kind="id",alg="RS256"}"#),
        "{after}"
    );
}
