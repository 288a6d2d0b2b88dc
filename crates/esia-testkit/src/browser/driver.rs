//! The chromedriver process behind a [`Browser`](super::Browser): finding the driver and
//! Chromium binaries, the capabilities of a headless session with a private profile, a free
//! port, waiting for the driver to report ready, and killing its process group or deleting a
//! session without an async runtime (from `Drop`). It knows nothing of pages or elements.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::{BrowserError, Ctx, DEFAULT_CHROMIUM, WAIT};

pub(super) fn capabilities(
    chromium: &Path,
    user_data: &Path,
) -> serde_json::Map<String, serde_json::Value> {
    let args = [
        "--headless=new".to_string(),
        "--no-sandbox".into(),
        "--disable-gpu".into(),
        "--disable-dev-shm-usage".into(),
        "--disable-quic".into(),
        "--no-first-run".into(),
        "--disable-background-networking".into(),
        "--disable-component-update".into(),
        "--disable-sync".into(),
        "--window-size=1280,900".into(),
        format!("--user-data-dir={}", user_data.display()),
    ];
    let caps = serde_json::json!({
        "browserName": "chrome",
        "goog:chromeOptions": { "binary": chromium.to_string_lossy(), "args": args },
    });
    caps.as_object().cloned().unwrap_or_default()
}

pub(super) fn chromium_binary() -> Result<PathBuf, BrowserError> {
    let bin = std::env::var_os("CHROMIUM_BIN")
        .map_or_else(|| PathBuf::from(DEFAULT_CHROMIUM), PathBuf::from);
    if bin.is_file() {
        Ok(bin)
    } else {
        Err(BrowserError(format!(
            "ESIA_TEST_BROWSER=1 but Chromium was not found at {} (install Debian package `chromium` or set CHROMIUM_BIN)",
            bin.display()
        )))
    }
}

pub(super) fn find_chromedriver() -> Result<PathBuf, BrowserError> {
    let name = std::env::var_os("CHROMEDRIVER_BIN").unwrap_or_else(|| "chromedriver".into());
    let name = PathBuf::from(name);
    let found = if name.components().count() > 1 {
        name.is_file().then(|| name.clone())
    } else {
        std::env::var_os("PATH")
            .iter()
            .flat_map(std::env::split_paths)
            .map(|dir| dir.join(&name))
            .find(|p| p.is_file())
    };
    found.ok_or_else(|| {
        BrowserError(format!(
            "ESIA_TEST_BROWSER=1 but chromedriver ({}) was not found (install Debian package `chromium-driver` or set CHROMEDRIVER_BIN)",
            name.display()
        ))
    })
}

pub(super) fn free_port() -> Result<u16, BrowserError> {
    let l = TcpListener::bind("127.0.0.1:0").ctx("binding a free port")?;
    l.local_addr()
        .map(|a| a.port())
        .ctx("reading the free port")
}

/// Polls chromedriver's `/status` until it reports ready, bounded by [`WAIT`].
pub(super) async fn wait_ready(
    port: u16,
    driver: &mut Child,
    log: &Path,
) -> Result<(), BrowserError> {
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(1))
        .no_proxy()
        .build()
        .ctx("building status client")?;
    let url = format!("http://127.0.0.1:{port}/status");
    let deadline = Instant::now() + WAIT;
    loop {
        if let Ok(resp) = http.get(&url).send().await {
            let body = resp.json::<serde_json::Value>().await.unwrap_or_default();
            if body["value"]["ready"] == true {
                return Ok(());
            }
        }
        let exited = driver.try_wait().ok().flatten();
        if exited.is_some() || Instant::now() >= deadline {
            let why = exited.map_or(format!("did not answer {url} within {WAIT:?}"), |st| {
                format!("exited early ({st})")
            });
            let log = log_tail(log);
            return Err(BrowserError(format!("chromedriver {why}:\n{log}")));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

pub(super) fn log_tail(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(30)..].join("\n")
}

/// Kills chromedriver's whole process group (so Chromium goes too) and reaps it.
/// The group is signalled before `wait`, while the unreaped driver still holds its id.
pub(super) fn kill_driver(driver: &mut Child) {
    let _ = Command::new("kill")
        .args(["-KILL", "--", &format!("-{}", driver.id())])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    let _ = driver.kill();
    let _ = driver.wait();
}

/// `DELETE /session/<id>` with plain blocking I/O: usable from `Drop`.
pub(super) fn delete_session_blocking(port: u16, id: &str) {
    let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else {
        return;
    };
    let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
    let _ = s.set_write_timeout(Some(Duration::from_secs(2)));
    let req = format!(
        "DELETE /session/{id} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    );
    if s.write_all(req.as_bytes()).is_err() {
        return;
    }
    // chromedriver keeps the socket open despite `Connection: close`, so stop
    // as soon as the whole response (headers + JSON body) is in.
    let mut resp = Vec::new();
    let mut buf = [0u8; 4096];
    while let Ok(n @ 1..) = s.read(&mut buf) {
        resp.extend_from_slice(&buf[..n]);
        let body = resp
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .map(|i| &resp[i + 4..]);
        if body.is_some_and(|b| serde_json::from_slice::<serde_json::Value>(b).is_ok()) {
            break;
        }
    }
}
