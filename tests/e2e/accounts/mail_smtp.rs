//! E-mail over a real SMTP conversation: the emulator configured with `mail.smtp` delivers the
//! registration link through lettre's SMTP transport to a sink server started by the test.

use std::time::Duration;

use esia_testkit::smtp_sink::SmtpSink;
use esia_testkit::spawn_app_with;

#[tokio::test]
async fn registration_link_arrives_through_smtp() {
    let sink = SmtpSink::start().await;
    let port = sink.port();
    let app = spawn_app_with(|c| c.mail.smtp = format!("smtp://127.0.0.1:{port}")).await;
    let resp = app
        .post_form(
            "/registration",
            &[
                ("surname", "Почтов"),
                ("name", "Пётр"),
                ("email", "petr@example.org"),
            ],
        )
        .await;
    assert_eq!(resp.status(), 303);
    let mails = sink.wait_for_messages(1, Duration::from_secs(15)).await;
    let mail = &mails[0];
    assert!(
        mail.to.iter().any(|t| t.contains("petr@example.org")),
        "{:?}",
        mail.to
    );
    assert_eq!(
        mail.subject_decoded(),
        "Подтверждение регистрации на Госуслугах"
    );
    let body = mail.body_text();
    let stored = app.outbox("petr@example.org", "email").await;
    let link = stored[0]["link"].as_str().unwrap();
    assert!(
        body.contains(link),
        "the delivered body carries the link: {body}"
    );
    // Delivery is recorded on the outbox row.
    for _ in 0..50 {
        if app.outbox("petr@example.org", "email").await[0]["delivered_at"].is_string() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("outbox row not marked delivered");
}

#[tokio::test]
async fn an_unreachable_smtp_server_is_retried_and_recorded_not_lost() {
    // A port with nothing listening.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let app = spawn_app_with(|c| c.mail.smtp = format!("smtp://127.0.0.1:{port}")).await;
    app.post_form(
        "/registration",
        &[
            ("surname", "Почтов"),
            ("name", "Пётр"),
            ("email", "lost@example.org"),
        ],
    )
    .await;
    let mut recorded = None;
    for _ in 0..50 {
        let m = &app.outbox("lost@example.org", "email").await[0];
        if m["delivery_error"].is_string() {
            recorded = Some(m.clone());
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let m = recorded.expect("the failure is recorded on the outbox row");
    assert!(m["delivered_at"].is_null());
    assert!(
        m["link"].is_string(),
        "the message and its link stay readable in the outbox"
    );
}
