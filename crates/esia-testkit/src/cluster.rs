//! Real `esia-emulator` processes for the multi-process tests (replicas started together, the
//! topology test): one `TestDb`, one shared keys folder (empty at first), per-process data
//! folders and log files, `serve --no-worker` replicas on 127.0.0.1 ports and `worker`
//! processes, started in a tight loop so that they race as docker-compose starts them. Every
//! process is SIGKILLed when its handle drops (`terminate` stops one cleanly first). The binary's path comes from the test
//! (`env!("CARGO_BIN_EXE_esia-emulator")` exists only in the root package's tests). It starts and
//! watches processes; it does not judge what they serve.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::TestDb;

pub struct Cluster {
    pub db: TestDb,
    bin: PathBuf,
    pub keys_dir: PathBuf,
    root: tempfile::TempDir,
}

/// One running process of the binary.
pub struct Proc {
    pub name: String,
    /// The HTTP port of a `serve` process.
    pub port: Option<u16>,
    child: Option<Child>,
    log: PathBuf,
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port()
}

impl Cluster {
    /// An empty database and an empty keys folder; processes run the binary `bin`.
    pub fn new(bin: impl Into<PathBuf>) -> Cluster {
        let root = tempfile::tempdir().expect("cluster dir");
        let keys_dir = root.path().join("keys");
        Cluster {
            db: TestDb::new(),
            bin: bin.into(),
            keys_dir,
            root,
        }
    }

    fn command(&self, name: &str, args: &[&str]) -> (Command, PathBuf) {
        let mut c = Command::new(&self.bin);
        c.env_remove("ESIA_CONFIG");
        for (k, _) in std::env::vars() {
            if k.starts_with("ESIA__") {
                c.env_remove(k);
            }
        }
        let data = self.root.path().join(format!("data-{name}"));
        std::fs::create_dir_all(&data).expect("data dir");
        let log = self.root.path().join(format!("{name}.log"));
        let out = std::fs::File::create(&log).expect("log file");
        let err = out.try_clone().expect("log file");
        c.args(args)
            .env("ESIA__DATABASE__URL", &self.db.url)
            .env("ESIA__KEYS__DIR", &self.keys_dir)
            .env("ESIA__SERVER__DATA_DIR", &data)
            .env("ESIA__SECURITY__PASSWORD_PROFILE", "cheap")
            .env("ESIA__DEMO__SEED", "true")
            .env("ESIA__VERIFICATION__TEST_JOBS", "true")
            .env("ESIA_LOG", "info,actix_web=warn,actix_server=warn")
            .stdout(Stdio::from(out))
            .stderr(Stdio::from(err));
        (c, log)
    }

    /// `serve --no-worker` on `port`.
    pub fn serve_on(&self, name: &str, port: u16) -> Proc {
        self.serve_with(name, port, &[])
    }

    /// `serve --no-worker` on `port` with extra environment (`ESIA__…` settings).
    pub fn serve_with(&self, name: &str, port: u16, env: &[(&str, &str)]) -> Proc {
        let bind = format!("127.0.0.1:{port}");
        let (mut c, log) = self.command(name, &["serve", "--no-worker", "--bind", &bind]);
        c.envs(env.iter().copied());
        c.env(
            "ESIA__SERVER__PUBLIC_BASE_URL",
            format!("http://127.0.0.1:{port}"),
        );
        Proc {
            name: name.into(),
            port: Some(port),
            child: Some(c.spawn().expect("start serve")),
            log,
        }
    }

    pub fn serve(&self, name: &str) -> Proc {
        self.serve_on(name, free_port())
    }

    /// A standalone `worker` process.
    pub fn worker(&self, name: &str) -> Proc {
        let (mut c, log) = self.command(name, &["worker"]);
        Proc {
            name: name.into(),
            port: None,
            child: Some(c.spawn().expect("start worker")),
            log,
        }
    }

    /// The certificate file `name` in the shared keys folder, as DER.
    pub fn cert_on_disk(&self, name: &str) -> Vec<u8> {
        cert_der(&std::fs::read(self.keys_dir.join(name)).expect("cert on disk"))
    }

    pub fn conn(&self) -> esia_store::DbConnection {
        esia_store::DbConnection::open(&self.db.url).expect("test connection")
    }
}

pub fn cert_der(pem: &[u8]) -> Vec<u8> {
    esia_crypto::cert::ParsedCert::from_pem_or_der(pem)
        .expect("a certificate")
        .der
}

impl Proc {
    pub fn url(&self, path: &str) -> String {
        format!(
            "http://127.0.0.1:{}{}",
            self.port.expect("a serve process"),
            path
        )
    }

    pub fn pid(&self) -> u32 {
        self.child.as_ref().map(|c| c.id()).unwrap_or(0)
    }

    /// The worker id this process claims jobs under (see `src/cli/serve.rs`).
    pub fn worker_id(&self) -> String {
        format!("worker-{}", self.pid())
    }

    /// SIGKILL, as `kill -9` or an OOM killer would.
    pub fn kill9(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// SIGTERM, as `docker stop` or systemd would, then waits up to `within` for the process
    /// to end; its exit status, or None if it is still running (it is then SIGKILLed).
    pub fn terminate(&mut self, within: Duration) -> Option<String> {
        let mut c = self.child.take()?;
        let _ = Command::new("kill")
            .args(["-TERM", &c.id().to_string()])
            .status();
        let until = Instant::now() + within;
        while Instant::now() < until {
            if let Ok(Some(s)) = c.try_wait() {
                return Some(s.to_string());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = c.kill();
        let _ = c.wait();
        None
    }

    /// `Some(status)` once the process has ended by itself.
    pub fn exited(&mut self) -> Option<String> {
        let c = self.child.as_mut()?;
        c.try_wait().ok().flatten().map(|s| s.to_string())
    }

    /// Everything this process has logged so far.
    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// The end of this process's log, for failure messages.
    pub fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        let from = lines.len().saturating_sub(25);
        format!("--- {} log ---\n{}", self.name, lines[from..].join("\n"))
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        self.kill9();
    }
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(15))
        .build()
        .expect("client")
}

/// Waits until every `serve` process answers `/emulator/ready` 200 and every process is still
/// running; the error names the process and shows its log.
pub async fn wait_ready(procs: &mut [&mut Proc], within: Duration) -> Result<Duration, String> {
    let started = Instant::now();
    let http = client();
    for p in procs.iter_mut() {
        loop {
            if let Some(status) = p.exited() {
                return Err(format!("{} exited ({status})\n{}", p.name, p.log_tail()));
            }
            if p.port.is_none() {
                break;
            }
            let ok = http
                .get(p.url("/emulator/ready"))
                .timeout(Duration::from_secs(2))
                .send()
                .await
                .is_ok_and(|r| r.status() == 200);
            if ok {
                break;
            }
            if started.elapsed() > within {
                return Err(format!(
                    "{} not ready in {within:?}\n{}",
                    p.name,
                    p.log_tail()
                ));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    Ok(started.elapsed())
}

/// The certificate a replica publishes at `path` (`/public/esia-rsa.pem`, `/public/esia-gost.pem`).
pub async fn served_cert(p: &Proc, path: &str) -> Vec<u8> {
    let body = client()
        .get(p.url(path))
        .send()
        .await
        .expect("GET certificate")
        .bytes()
        .await
        .expect("certificate body");
    cert_der(&body)
}
