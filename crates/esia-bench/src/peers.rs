//! The peer identity providers of `shared/peers` (`start-peer.sh NAME PORT`, Node.js) started
//! beside the emulator in the same run and loaded by the same generator: oauth2-mock-server's
//! `authorization_code` (two RS256 signatures, like our `te`) and oidc-provider's
//! `client_credentials` (one). Without node the peers are skipped with a reason. It measures the
//! peers only; the comparison with our figures is `run`'s.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::load::{run, Load};
use crate::stats::Summary;

/// HTTP Basic `test-client:test-secret`, the client both peers are configured with.
const BASIC: &str = "Basic dGVzdC1jbGllbnQ6dGVzdC1zZWNyZXQ=";

/// One peer and the request its token endpoint is loaded with (the bodies of `post_*.lua`).
pub struct Peer {
    pub name: &'static str,
    pub grant: &'static str,
    pub body: &'static str,
}

pub const OAUTH2_MOCK: Peer = Peer {
    name: "oauth2-mock-server",
    grant: "authorization_code",
    body: "grant_type=authorization_code&code=abc&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcb",
};
pub const OIDC_PROVIDER: Peer = Peer {
    name: "oidc-provider",
    grant: "client_credentials",
    body: "grant_type=client_credentials&scope=person%3Aread",
};

struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Why the peers cannot run here, if they cannot.
pub fn unavailable(dir: &Path) -> Option<String> {
    if !dir.join("start-peer.sh").is_file() {
        return Some(format!("peers: no start-peer.sh in {}", dir.display()));
    }
    let node = Command::new("node").arg("--version").output();
    if !node.is_ok_and(|o| o.status.success()) {
        return Some("peers: node is not installed".into());
    }
    None
}

/// Starts `peer` from `dir`, waits for its port (the first start installs its npm packages),
/// loads `/token` under `load` and stops it. `log` receives its output.
pub async fn measure(dir: &Path, peer: &Peer, load: Load, log: &Path) -> Result<Summary, String> {
    let port = esia_testkit::cluster::free_port();
    let out = std::fs::File::create(log).map_err(|e| format!("peer log: {e}"))?;
    let err = out.try_clone().map_err(|e| format!("peer log: {e}"))?;
    let child = Command::new("bash")
        .arg(dir.join("start-peer.sh"))
        .args([peer.name, &port.to_string()])
        .stdout(Stdio::from(out))
        .stderr(Stdio::from(err))
        .spawn()
        .map_err(|e| format!("start {}: {e}", peer.name))?;
    let mut running = Running(child);
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Ok(Some(status)) = running.0.try_wait() {
            return Err(format!(
                "{} exited ({status}), see {}",
                peer.name,
                log.display()
            ));
        }
        if started.elapsed() > Duration::from_secs(300) {
            return Err(format!("{} did not listen in 300 s", peer.name));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(load.concurrency)
        .build()
        .map_err(|e| e.to_string())?;
    let url = Arc::new(format!("http://127.0.0.1:{port}/token"));
    let body = peer.body;
    let s = run(load, move |_| {
        let (http, url) = (http.clone(), url.clone());
        async move {
            let resp = http
                .post(url.as_str())
                .header("Authorization", BASIC)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body(body)
                .send()
                .await
                .map_err(|e| format!("peer: {e}"))?;
            let status = resp.status();
            resp.bytes().await.map_err(|e| format!("peer body: {e}"))?;
            if status.is_success() {
                Ok(())
            } else {
                Err(format!("peer answered {status}"))
            }
        }
    })
    .await;
    drop(running);
    Ok(s)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_missing_peers_folder_is_a_reason_to_skip() {
        let why = super::unavailable(std::path::Path::new("/nonexistent/peers")).unwrap();
        assert!(
            why.contains("no start-peer.sh in /nonexistent/peers"),
            "{why}"
        );
    }
}
