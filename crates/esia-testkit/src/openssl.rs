//! OpenSSL + gost engine helpers: gating on `ESIA_TEST_OPENSSL_GOST=1` (a loud SKIPPED line when
//! unset, a failure when set but openssl or the engine is missing), raw GOST signatures
//! (`dgst -md_gost12_256 -sign`), CMS secrets (`smime -sign -binary -outform DER [-noattr]`)
//! and GOST JWT verification (`dgst -verify`). It only drives the `openssl` program in a
//! private temp directory; it never decides whether a test runs beyond that gate.

use std::path::PathBuf;
use std::process::{Command, Stdio};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

const CONF: &str = "openssl_conf = openssl_def
[openssl_def]
engines = engine_section
[engine_section]
gost = gost_section
[gost_section]
engine_id = gost
default_algorithms = ALL
";

pub struct Ossl {
    pub dir: tempfile::TempDir,
    conf: PathBuf,
}

/// `None` with a loud stderr line unless `ESIA_TEST_OPENSSL_GOST=1`.
pub fn gate(test: &str) -> Option<Ossl> {
    if std::env::var("ESIA_TEST_OPENSSL_GOST").as_deref() != Ok("1") {
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED (set ESIA_TEST_OPENSSL_GOST=1): {test}"
        );
        return None;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let conf = dir.path().join("gost.cnf");
    std::fs::write(&conf, CONF).expect("conf");
    let o = Ossl { dir, conf };
    let listing =
        String::from_utf8_lossy(&o.run(&["list", "-digest-algorithms"], None)).to_lowercase();
    assert!(
        listing.contains("md_gost12_256"),
        "ESIA_TEST_OPENSSL_GOST=1 but openssl has no gost engine (install libengine-gost-openssl)"
    );
    for (name, data) in [
        ("gost.key", crate::protocol::GOST_KEY),
        ("gost.pem", crate::protocol::GOST_CERT),
        ("rsa.key", crate::protocol::RSA_KEY),
        ("rsa.pem", crate::protocol::RSA_CERT),
    ] {
        o.write(name, data);
    }
    Some(o)
}

impl Ossl {
    pub fn p(&self, name: &str) -> String {
        self.dir.path().join(name).to_string_lossy().into_owned()
    }

    pub fn write(&self, name: &str, data: impl AsRef<[u8]>) -> String {
        std::fs::write(self.dir.path().join(name), data).expect("write");
        self.p(name)
    }

    pub fn run(&self, args: &[&str], stdin: Option<&[u8]>) -> Vec<u8> {
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
        if let Some(input) = stdin {
            child
                .stdin
                .take()
                .expect("stdin")
                .write_all(input)
                .expect("stdin write");
        }
        drop(child.stdin.take());
        let out = child.wait_with_output().expect("openssl output");
        assert!(
            out.status.success(),
            "openssl {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    }

    /// Raw v2/v3 secret: `openssl dgst -md_gost12_256 -sign gost.key`, base64url without `=`.
    pub fn sign_raw(&self, message: &str) -> String {
        let sig = self.run(
            &["dgst", "-md_gost12_256", "-sign", &self.p("gost.key")],
            Some(message.as_bytes()),
        );
        assert_eq!(sig.len(), 64, "raw GOST signature length");
        URL_SAFE_NO_PAD.encode(sig)
    }

    /// v1 secret: detached CMS by `openssl smime -sign -binary -outform DER [-noattr]`.
    pub fn sign_cms(&self, message: &str, rsa: bool, noattr: bool) -> String {
        let (cert, key) = if rsa {
            (self.p("rsa.pem"), self.p("rsa.key"))
        } else {
            (self.p("gost.pem"), self.p("gost.key"))
        };
        let mut args = vec![
            "smime", "-sign", "-binary", "-outform", "DER", "-signer", &cert, "-inkey", &key,
        ];
        if noattr {
            args.push("-noattr");
        }
        URL_SAFE_NO_PAD.encode(self.run(&args, Some(message.as_bytes())))
    }

    /// Verifies a GOST3410_2012_256 JWT with `openssl dgst -verify` and the published PEM.
    pub fn verify_gost_jwt(&self, token: &str, esia_gost_pem: &str) {
        let cert = self.write("esia-gost.pem", esia_gost_pem);
        let pubkey = self.run(&["x509", "-in", &cert, "-pubkey", "-noout"], None);
        let pubkey = self.write("esia-gost.pub", pubkey);
        let (signed, sig) = token.rsplit_once('.').expect("jws");
        let msg = self.write("jwt.msg", signed);
        let sig = self.write("jwt.sig", URL_SAFE_NO_PAD.decode(sig).expect("sig"));
        let out = self.run(
            &[
                "dgst",
                "-md_gost12_256",
                "-verify",
                &pubkey,
                "-signature",
                &sig,
                &msg,
            ],
            None,
        );
        assert!(String::from_utf8_lossy(&out).contains("Verified OK"));
    }
}
