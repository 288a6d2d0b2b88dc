//! Self-tests of the dev-only helpers: the headless-browser driver (opt-in
//! via `ESIA_TEST_BROWSER=1`) against a tiny local HTML server, and the SMTP
//! sink against lettre's real SMTP transport and a raw SMTP conversation.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::Duration;

use esia_testkit::browser::{tid, Browser};
use esia_testkit::smtp_sink::{decode_rfc2047, SmtpSink};
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

const FORM_PAGE: &str = r#"<!doctype html><html><head><meta charset="utf-8"><title>Вход</title></head>
<body style="font-family:sans-serif;margin:40px">
<h1 data-testid="title">Тестовая форма</h1>
<form action="/hello" method="get">
  <label>Имя <input data-testid="name" name="name" value="черновик"></label>
  <button data-testid="go" type="submit">Отправить</button>
</form></body></html>"#;

const HELLO_PAGE: &str = r#"<!doctype html><html><head><meta charset="utf-8"><title>Привет</title></head>
<body style="font-family:sans-serif;margin:40px">
<p data-testid="greeting" style="font-size:32px;color:#0d4cd3"></p>
<script>document.querySelector('[data-testid="greeting"]').textContent =
  'Привет, ' + new URLSearchParams(location.search).get('name') + '!';</script>
</body></html>"#;

/// Serves `/` (a form) and `/hello` (reads `?name=` in JS) on 127.0.0.1:0.
fn serve_pages() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || handle_http(stream));
        }
    });
    port
}

fn handle_http(mut stream: TcpStream) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    let mut line = String::new();
    while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
        line.clear();
    }
    let path = request_line.split_whitespace().nth(1).unwrap_or("/");
    let (status, body) = match path.split('?').next() {
        Some("/") => ("200 OK", FORM_PAGE),
        Some("/hello") => ("200 OK", HELLO_PAGE),
        _ => ("404 Not Found", "not found"),
    };
    let resp = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(resp.as_bytes());
}

fn processes_mentioning(needle: &str) -> usize {
    let out = std::process::Command::new("ps")
        .args(["-eo", "args"])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.contains(needle))
        .count()
}

#[tokio::test]
async fn browser_fills_form_clicks_and_reads_text() {
    esia_testkit::require_browser!("browser_fills_form_clicks_and_reads_text");
    let port = serve_pages();
    let b = Browser::start().await.expect("start headless Chromium");
    let base = format!("http://127.0.0.1:{port}/");
    b.goto(&base).await.unwrap();
    assert_eq!(b.text(&tid("title")).await.unwrap(), "Тестовая форма");
    assert_eq!(b.value(&tid("name")).await.unwrap(), "черновик");
    b.fill(&tid("name"), "Иван Петров").await.unwrap();
    assert_eq!(b.value(&tid("name")).await.unwrap(), "Иван Петров");
    let form_shot = std::env::temp_dir().join(format!("esia-selftest-{port}-form.png"));
    b.screenshot(&form_shot).await.unwrap();
    b.click(&tid("go")).await.unwrap();
    b.wait_for(&tid("greeting")).await.unwrap();
    assert_eq!(
        b.text(&tid("greeting")).await.unwrap(),
        "Привет, Иван Петров!"
    );
    let url = b.wait_for_url_contains("/hello?").await.unwrap();
    assert!(
        url.starts_with(&format!("http://127.0.0.1:{port}/hello?name=")),
        "{url}"
    );

    let shot = std::env::temp_dir().join(format!("esia-selftest-{port}.png"));
    b.screenshot(&shot).await.unwrap();
    let png = std::fs::read(&shot).unwrap();
    assert!(
        png.starts_with(b"\x89PNG\r\n\x1a\n") && png.len() > 1000,
        "not a PNG"
    );
    eprintln!("screenshot saved to {}", shot.display());

    let profile = b.profile_dir().to_string_lossy().into_owned();
    assert!(processes_mentioning(&profile) > 0);
    b.close().await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        processes_mentioning(&profile),
        0,
        "Chromium outlived close()"
    );
}

#[tokio::test]
async fn two_browsers_run_side_by_side_and_die_on_drop() {
    esia_testkit::require_browser!("two_browsers_run_side_by_side_and_die_on_drop");
    let port = serve_pages();
    let (a, b) = tokio::join!(Browser::start(), Browser::start());
    let (a, b) = (a.expect("browser a"), b.expect("browser b"));
    assert_ne!(a.driver_port(), b.driver_port());
    assert_ne!(a.profile_dir(), b.profile_dir());
    let url = format!("http://127.0.0.1:{port}/hello?name=A");
    a.goto(&url).await.unwrap();
    b.goto(&url.replace("=A", "=B")).await.unwrap();
    assert_eq!(a.text(&tid("greeting")).await.unwrap(), "Привет, A!");
    assert_eq!(b.text(&tid("greeting")).await.unwrap(), "Привет, B!");
    let profiles = [
        a.profile_dir().to_string_lossy().into_owned(),
        b.profile_dir().to_string_lossy().into_owned(),
    ];
    drop(a);
    drop(b);
    for p in &profiles {
        assert_eq!(processes_mentioning(p), 0, "Chromium outlived drop");
        assert!(!std::path::Path::new(p).exists(), "profile dir left behind");
    }
}

fn transport(port: u16) -> AsyncSmtpTransport<Tokio1Executor> {
    AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous("127.0.0.1")
        .port(port)
        .build()
}

#[tokio::test]
async fn smtp_sink_receives_lettre_mail_with_cyrillic_subject_and_body() {
    let sink = SmtpSink::start().await;
    let body = "Здравствуйте!\nВаш код подтверждения: 493817\nСсылка: http://127.0.0.1:8080/confirm?token=abc-DEF_123\n";
    let msg = Message::builder()
        .from("ЕСИА <noreply@esia.test>".parse().unwrap())
        .to("ivan@example.test".parse().unwrap())
        .to("petr@example.test".parse().unwrap())
        .subject("Код подтверждения для входа на Госуслуги")
        .body(body.to_string())
        .unwrap();
    transport(sink.port()).send(msg).await.expect("lettre send");
    let mails = sink.wait_for_messages(1, Duration::from_secs(5)).await;
    assert_eq!(mails.len(), 1);
    let m = &mails[0];
    assert_eq!(m.from, "noreply@esia.test");
    assert_eq!(m.to, vec!["ivan@example.test", "petr@example.test"]);
    assert_eq!(
        m.subject_decoded(),
        "Код подтверждения для входа на Госуслуги"
    );
    let text = m.body_text().replace("\r\n", "\n");
    assert_eq!(text.trim_end(), body.trim_end(), "raw:\n{}", m.data);
    assert!(text.contains("493817") && text.contains("token=abc-DEF_123"));
}

#[tokio::test]
async fn smtp_sink_decodes_qp_base64_and_multipart() {
    let sink = SmtpSink::start().await;
    let long = format!("Код: 123456. {}", "очень длинная строка ".repeat(10));
    let base = || {
        Message::builder()
            .from("a@esia.test".parse().unwrap())
            .to("b@example.test".parse().unwrap())
    };
    let qp = base().subject("QP письмо").singlepart(
        SinglePart::builder()
            .header(ContentType::TEXT_PLAIN)
            .header(ContentTransferEncoding::QuotedPrintable)
            .body(long.clone()),
    );
    let b64 = base().subject("Base64 письмо").singlepart(
        SinglePart::builder()
            .header(ContentType::TEXT_HTML)
            .header(ContentTransferEncoding::Base64)
            .body(
                "<p>Перейдите по <a href=\"http://127.0.0.1/x?y=1&amp;z=2\">ссылке</a></p>"
                    .to_string(),
            ),
    );
    let multi = base()
        .subject("Многочастное")
        .multipart(MultiPart::alternative_plain_html(
            "Простой текст: 777".to_string(),
            "<b>HTML: 777</b>".to_string(),
        ));
    let t = transport(sink.port());
    for m in [qp.unwrap(), b64.unwrap(), multi.unwrap()] {
        t.send(m).await.unwrap();
    }
    let mails = sink.wait_for_messages(3, Duration::from_secs(5)).await;
    assert!(mails[0]
        .data
        .contains("Content-Transfer-Encoding: quoted-printable"));
    assert_eq!(mails[0].subject_decoded(), "QP письмо");
    assert_eq!(mails[0].body_text().trim_end(), long.trim_end());
    assert!(mails[1].data.contains("Content-Transfer-Encoding: base64"));
    assert!(mails[1]
        .body_text()
        .contains("href=\"http://127.0.0.1/x?y=1&amp;z=2\""));
    assert_eq!(mails[2].subject_decoded(), "Многочастное");
    assert_eq!(mails[2].body_text().trim_end(), "Простой текст: 777");
    sink.clear();
    assert!(sink.messages().is_empty());
}

fn expect(r: &mut impl BufRead, code: &str) -> String {
    let mut all = String::new();
    loop {
        let mut line = String::new();
        r.read_line(&mut line).unwrap();
        assert!(line.starts_with(code), "wanted {code}, got {line:?}");
        all.push_str(&line);
        if line.as_bytes().get(3) == Some(&b' ') {
            return all;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn smtp_sink_raw_conversation_dot_unstuffing_and_rset() {
    let sink = SmtpSink::start().await;
    let port = sink.port();
    tokio::task::spawn_blocking(move || {
        let mut w = TcpStream::connect(("127.0.0.1", port)).unwrap();
        let mut r = BufReader::new(w.try_clone().unwrap());
        expect(&mut r, "220");
        let mut say = |s: &str, code: &str| {
            w.write_all(s.as_bytes()).unwrap();
            expect(&mut r, code)
        };
        let ehlo = say("EHLO client.test\r\n", "250");
        assert!(!ehlo.contains("STARTTLS") && !ehlo.contains("AUTH"), "{ehlo}");
        say("HELO client.test\r\n", "250");
        say("NOOP\r\n", "250");
        say("RCPT TO:<x@y>\r\n", "503");
        say("MAIL FROM:<dropped@test>\r\n", "250");
        say("RSET\r\n", "250");
        say("DATA\r\n", "503");
        say("mail from:<s@test> SIZE=100\r\n", "250");
        say("RCPT TO:<r@test>\r\n", "250");
        say("DATA\r\n", "354");
        say("Subject: =?utf-8?Q?=D0=9F=D1=80=D0=B8?= =?UTF-8?B?0LLQtdGC?= x\r\n\r\n..leading dot\r\nline2\r\n.\r\n", "250");
        say("HELP\r\n", "502");
        say("QUIT\r\n", "221");
        let mut rest = Vec::new();
        r.read_to_end(&mut rest).unwrap();
    })
    .await
    .unwrap();
    let m = &sink.wait_for_messages(1, Duration::from_secs(2)).await[0];
    assert_eq!(
        (m.from.as_str(), m.to.as_slice()),
        ("s@test", &["r@test".to_string()][..])
    );
    assert_eq!(m.body_text(), ".leading dot\r\nline2\r\n");
    assert_eq!(m.subject_decoded(), "Привет x");
    assert_eq!(decode_rfc2047("a =?utf-8?q?b_c?= d"), "a b c d");
}

#[tokio::test]
#[should_panic(expected = "expected 1 message(s)")]
async fn smtp_sink_wait_is_bounded() {
    let sink = SmtpSink::start().await;
    sink.wait_for_messages(1, Duration::from_millis(200)).await;
}
