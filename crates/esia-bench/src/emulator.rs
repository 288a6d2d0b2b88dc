//! The emulator under test as a separate process: `esia-emulator serve` on a free loopback port,
//! one data folder and keys folder per benchmark run (so later starts open an existing database),
//! the database given (a SQLite file there, or a fresh PostgreSQL database), the configuration
//! by `ESIA__…` variables only (inherited ones removed), its log in a file. It starts, times,
//! measures memory and stops the process; it must not judge the figures.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Where every process of one benchmark run keeps its state.
pub struct Setup {
    pub bin: PathBuf,
    pub database_url: String,
    pub root: PathBuf,
}

/// One running `serve` process (SIGKILLed when dropped).
pub struct Emulator {
    child: Child,
    pub base: String,
    log: PathBuf,
}

impl Setup {
    fn command(&self, args: &[&str], port: u16, env: &[(&str, &str)]) -> Command {
        let mut c = Command::new(&self.bin);
        c.env_remove("ESIA_CONFIG");
        for (k, _) in std::env::vars() {
            if k.starts_with("ESIA__") {
                c.env_remove(k);
            }
        }
        if port != 0 {
            c.env("ESIA__SERVER__BIND", format!("127.0.0.1:{port}"));
        }
        c.args(args)
            .env("ESIA__SERVER__DATA_DIR", self.data_dir())
            .env("ESIA__KEYS__DIR", self.keys_dir())
            .env("ESIA__DATABASE__URL", &self.database_url)
            .env("ESIA_LOG", "warn");
        for (k, v) in env {
            c.env(k, v);
        }
        c
    }

    /// Starts `serve` with `env` added and waits for the first 200 of `/emulator/health`;
    /// returns the process and the time from spawn to that answer.
    pub async fn start(
        &self,
        name: &str,
        env: &[(&str, &str)],
    ) -> Result<(Emulator, Duration), String> {
        let port = esia_testkit::cluster::free_port();
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(2))
            .build()
            .map_err(|e| e.to_string())?;
        let base = format!("http://127.0.0.1:{port}");
        let health = format!("{base}/emulator/health");
        let started = Instant::now();
        let mut emulator = self.spawn(name, &["serve"], port, env, base)?;
        loop {
            if let Ok(resp) = http.get(&health).send().await {
                if resp.status().as_u16() == 200 {
                    return Ok((emulator, started.elapsed()));
                }
            }
            if let Ok(Some(status)) = emulator.child.try_wait() {
                return Err(format!("{name} exited ({status}): {}", emulator.log_tail()));
            }
            if started.elapsed() > Duration::from_secs(120) {
                return Err(format!(
                    "{name} did not answer in 120 s: {}",
                    emulator.log_tail()
                ));
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    }

    /// `esia-emulator worker` (no HTTP): runs the job queue of the run's database.
    pub fn worker(&self, name: &str, env: &[(&str, &str)]) -> Result<Emulator, String> {
        self.spawn(name, &["worker"], 0, env, String::new())
    }

    fn spawn(
        &self,
        name: &str,
        args: &[&str],
        port: u16,
        env: &[(&str, &str)],
        base: String,
    ) -> Result<Emulator, String> {
        std::fs::create_dir_all(self.data_dir()).map_err(|e| format!("data dir: {e}"))?;
        let log = self.root.join(format!("{name}.log"));
        let out = std::fs::File::create(&log).map_err(|e| format!("log file: {e}"))?;
        let err = out.try_clone().map_err(|e| format!("log file: {e}"))?;
        let mut cmd = self.command(args, port, env);
        cmd.stdout(Stdio::from(out)).stderr(Stdio::from(err));
        let child = cmd
            .spawn()
            .map_err(|e| format!("start {}: {e}", self.bin.display()))?;
        Ok(Emulator { child, base, log })
    }

    pub fn data_dir(&self) -> PathBuf {
        self.root.join("data")
    }

    pub fn keys_dir(&self) -> PathBuf {
        self.root.join("keys")
    }
}

impl Emulator {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Resident memory of the process in KiB (`VmRSS` of /proc/PID/status).
    pub fn rss_kib(&self) -> Result<u64, String> {
        rss_kib(self.child.id())
    }

    /// The last lines of the process log (for a failure message).
    pub fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(10)..].join("\n")
    }

    /// Whether the process is still running.
    pub fn running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `VmRSS` of process `pid` in KiB.
pub fn rss_kib(pid: u32) -> Result<u64, String> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .map_err(|e| format!("/proc/{pid}/status: {e}"))?;
    parse_vm_rss(&status).ok_or_else(|| format!("no VmRSS for {pid}"))
}

fn parse_vm_rss(status: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The emulator binary: `--bin`, else `esia-emulator` next to this executable.
pub fn default_bin(given: Option<&Path>) -> PathBuf {
    if let Some(bin) = given {
        return bin.to_path_buf();
    }
    let me = std::env::current_exe().unwrap_or_default();
    me.parent()
        .map(|dir| dir.join("esia-emulator"))
        .unwrap_or_else(|| PathBuf::from("target/release/esia-emulator"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn vm_rss_is_read_in_kib() {
        let status = "Name:\tesia\nVmPeak:\t  9000 kB\nVmRSS:\t   12345 kB\nThreads:\t3\n";
        assert_eq!(super::parse_vm_rss(status), Some(12345));
        assert_eq!(super::parse_vm_rss("Name:\tx\n"), None);
        assert!(super::rss_kib(std::process::id()).unwrap() > 0);
    }
}
