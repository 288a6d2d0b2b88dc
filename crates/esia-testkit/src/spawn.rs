//! `spawn_app`: the real HTTP server and worker on 127.0.0.1:0 over a `TestDb`, with the cheap
//! Argon2 profile and a controllable clock, plus a cookie-keeping client that does not follow
//! redirects (tests assert on them) and fills in CSRF tokens.

use std::sync::{Arc, Mutex};

use esia_control::Control;
use esia_core::domain::clock::ControlledClock;
use esia_core::{Config, Core};

use crate::TestDb;

pub struct TestApp {
    /// `http://127.0.0.1:PORT`
    pub address: String,
    pub core: Core,
    /// The control plane over `core` (faults, clock, personas, seed files, snapshots).
    pub control: Control,
    pub clock: Arc<ControlledClock>,
    pub client: reqwest::Client,
    pub db: TestDb,
    csrf: Mutex<Option<String>>,
    stop: tokio::sync::watch::Sender<bool>,
    worker: Mutex<Option<tokio::task::JoinHandle<u64>>>,
}

/// Spawns the app with the test defaults.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Spawns the app after `adjust` has changed the test configuration.
pub async fn spawn_app_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
    let db = TestDb::new();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind port 0");
    let address = format!("http://{}", listener.local_addr().expect("local addr"));
    let mut config = Config::default();
    config.server.bind = listener.local_addr().expect("local addr").to_string();
    config.server.public_base_url = address.clone();
    config.server.data_dir = db.dir.path().to_path_buf();
    config.database.url = db.url.clone();
    config.keys.dir = shared_keys_dir();
    config.database.pool_size = 4;
    config.security.password_profile = "cheap".into();
    config.demo.seed = true;
    adjust(&mut config);
    config.validate().expect("test config is valid");
    let clock = Arc::new(ControlledClock::system());
    let core = Core::open(config, clock.clone()).expect("open core");
    core.migrate().expect("migrate");
    let control = Control::start(core.clone(), clock.clone());
    // The demo seed (when `demo.seed`) and `demo.seed_file`, as `serve` does.
    esia_control::snapshot::apply_startup_seed(&control).expect("seed");
    let server = esia_web::server(control.clone(), listener).expect("server");
    tokio::spawn(server);
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let worker = tokio::spawn(esia_worker::run(
        core.clone(),
        "test-worker".into(),
        stop_rx,
    ));
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    TestApp {
        address,
        core,
        control,
        clock,
        client,
        db,
        csrf: Mutex::new(None),
        stop: stop_tx,
        worker: Mutex::new(Some(worker)),
    }
}

impl TestApp {
    /// Stops the in-process worker and waits until it has (for tests that run jobs by hand).
    pub async fn stop_worker(&self) {
        let _ = self.stop.send(true);
        let handle = self.worker.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(h) = handle {
            let _ = h.await;
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("GET")
    }

    /// The CSRF token of this client's cookie jar (fetched once from the login page).
    pub async fn csrf(&self) -> String {
        if let Some(t) = self.csrf.lock().expect("csrf lock").clone() {
            return t;
        }
        let html = self.get("/login").await.text().await.expect("login page");
        let token = extract_csrf(&html).expect("csrf field on the login page");
        *self.csrf.lock().expect("csrf lock") = Some(token.clone());
        token
    }

    /// POSTs a form with the CSRF token added.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let csrf = self.csrf().await;
        let mut all: Vec<(&str, &str)> = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        self.client
            .post(self.url(path))
            .form(&all)
            .send()
            .await
            .expect("POST")
    }

    /// Newest outbox messages for a recipient and kind, through the public API.
    pub async fn outbox(&self, to: &str, kind: &str) -> Vec<serde_json::Value> {
        let resp = self
            .client
            .get(self.url("/emulator/api/outbox"))
            .query(&[("to", to), ("kind", kind)])
            .send()
            .await
            .expect("outbox");
        let body: serde_json::Value = resp.json().await.expect("outbox json");
        body["messages"].as_array().cloned().unwrap_or_default()
    }

    /// The newest SMS code sent to a phone.
    pub async fn last_sms_code(&self, phone: &str) -> String {
        let messages = self.outbox(phone, "sms").await;
        messages
            .first()
            .and_then(|m| m["code"].as_str())
            .expect("an SMS with a code")
            .to_string()
    }

    /// A second client with its own cookie jar (another browser).
    pub fn new_client(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
    }
}

/// One key directory per test process: generating RSA and GOST keys for every test would
/// dominate test time.
fn shared_keys_dir() -> std::path::PathBuf {
    static DIR: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    // Generated inside the once-initialiser, so parallel tests never read half-written files.
    let dir = DIR.get_or_init(|| {
        let dir = tempfile::tempdir().expect("keys temp dir");
        esia_core::keys::generate(dir.path()).expect("test keys");
        dir
    });
    dir.path().to_path_buf()
}

/// Reads the hidden CSRF field out of a page.
pub fn extract_csrf(html: &str) -> Option<String> {
    let marker = "name=\"csrf\" value=\"";
    let start = html.find(marker)? + marker.len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].to_string())
}

/// The `Location` header of a redirect.
pub fn location(resp: &reqwest::Response) -> String {
    resp.headers()
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

/// The value a browser submits for the `<select data-testid="<testid>">` of a page: its option
/// marked `selected`, else its first option (HTML's rule). None when the page has no such
/// select or it has no options.
pub fn submitted_select_value(html: &str, testid: &str) -> Option<String> {
    let marker = format!("data-testid=\"{testid}\"");
    let at = html.find(&marker)?;
    let start = html[..at].rfind("<select")?;
    let end = html[start..].find("</select>")? + start;
    let options: Vec<(String, bool)> = html[start..end]
        .split("<option")
        .skip(1)
        .filter_map(|o| {
            let tag = &o[..o.find('>')?];
            let v = tag.find("value=\"")? + "value=\"".len();
            let value = tag[v..v + tag[v..].find('"')?].to_string();
            let selected = tag.split_whitespace().any(|a| a == "selected");
            Some((value, selected))
        })
        .collect();
    options
        .iter()
        .find(|(_, selected)| *selected)
        .or(options.first())
        .map(|(value, _)| value.clone())
}
