//! Shared helpers for the OpenSSL oracle tests: gating on `ESIA_TEST_OPENSSL_GOST=1`, a private
//! OPENSSL_CONF that loads the gost engine, and running `openssl` in a temporary directory.
#![allow(dead_code)]

pub mod cms;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub struct Oracle {
    pub dir: tempfile::TempDir,
    conf: PathBuf,
}

const CONF: &str = "openssl_conf = openssl_def
[openssl_def]
engines = engine_section
[engine_section]
gost = gost_section
[gost_section]
engine_id = gost
default_algorithms = ALL
";

/// `None` (with a loud line on stderr) unless `ESIA_TEST_OPENSSL_GOST=1`; when set, a missing
/// openssl or gost engine fails the test instead of skipping it.
pub fn oracle(test: &str) -> Option<Oracle> {
    if std::env::var("ESIA_TEST_OPENSSL_GOST").as_deref() != Ok("1") {
        // Written to the real stderr (not eprintln!, which the test harness captures).
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED (set ESIA_TEST_OPENSSL_GOST=1): OpenSSL GOST oracle tests ({test})"
        );
        return None;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let conf = dir.path().join("gost.cnf");
    std::fs::write(&conf, CONF).expect("write openssl conf");
    let o = Oracle { dir, conf };
    let out = o.run(&["list", "-digest-algorithms"], None);
    let listing = String::from_utf8_lossy(&out);
    assert!(
        listing.to_lowercase().contains("md_gost12_256"),
        "ESIA_TEST_OPENSSL_GOST=1 but openssl has no gost engine (install libengine-gost-openssl): {listing}"
    );
    Some(o)
}

impl Oracle {
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn p(&self, name: &str) -> String {
        self.path(name).to_string_lossy().into_owned()
    }

    pub fn write(&self, name: &str, data: impl AsRef<[u8]>) -> String {
        std::fs::write(self.path(name), data).expect("write");
        self.p(name)
    }

    pub fn read(&self, name: &str) -> Vec<u8> {
        std::fs::read(self.path(name)).expect("read")
    }

    /// Runs openssl, panicking with its stderr on failure; returns stdout.
    pub fn run(&self, args: &[&str], stdin: Option<&[u8]>) -> Vec<u8> {
        let (ok, out, err) = self.try_run(args, stdin);
        assert!(
            ok,
            "openssl {args:?} failed: {}",
            String::from_utf8_lossy(&err)
        );
        out
    }

    /// Runs openssl; returns (success, stdout, stderr).
    pub fn try_run(&self, args: &[&str], stdin: Option<&[u8]>) -> (bool, Vec<u8>, Vec<u8>) {
        use std::io::Write;
        let mut child = Command::new("openssl")
            .args(args)
            .env("OPENSSL_CONF", &self.conf)
            .current_dir(self.dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("ESIA_TEST_OPENSSL_GOST=1 but `openssl` cannot be started");
        let mut input = child.stdin.take().expect("stdin");
        let data = stdin.map(<[u8]>::to_vec).unwrap_or_default();
        let writer = std::thread::spawn(move || {
            let _ = input.write_all(&data);
        });
        let out = child.wait_with_output().expect("wait openssl");
        let _ = writer.join();
        (out.status.success(), out.stdout, out.stderr)
    }

    pub fn exists(&self, name: &str) -> bool {
        Path::new(&self.path(name)).exists()
    }
}

/// OpenSSL paramset names for gost2012_256 with the curve each selects.
pub const PARAMSETS_256: [(&str, esia_crypto::gost::Curve); 9] = {
    use esia_crypto::gost::Curve::*;
    [
        ("A", CryptoProA),
        ("B", CryptoProB),
        ("C", CryptoProC),
        ("XA", CryptoProXchA),
        ("XB", CryptoProXchB),
        ("TCA", Tc26_256A),
        ("TCB", Tc26_256B),
        ("TCC", Tc26_256C),
        ("TCD", Tc26_256D),
    ]
};

/// OpenSSL paramset names for gost2012_512.
pub const PARAMSETS_512: [(&str, esia_crypto::gost::Curve); 3] = {
    use esia_crypto::gost::Curve::*;
    [("A", Tc26_512A), ("B", Tc26_512B), ("C", Tc26_512C)]
};
