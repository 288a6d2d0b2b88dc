//! Seed files through the binary and the core: `esia-emulator seed FILE` applies YAML and TOML
//! idempotently (re-applying updates, never duplicates), client certificates load from paths
//! relative to the file, errors name the file, line and field, `serve --seed` refuses a bad
//! file, and the shipped demo seed holds the banner's personas.

use std::path::Path;
use std::process::Command;

use esia_testkit::TestDb;

fn bin(db: &TestDb) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_esia-emulator"));
    c.env_remove("ESIA_CONFIG");
    for (k, _) in std::env::vars() {
        if k.starts_with("ESIA__") {
            c.env_remove(k);
        }
    }
    c.args(["--database-url", &db.url, "--data-dir"])
        .arg(db.dir.path());
    c
}

const GOST_PEM: &str = include_str!("../../../keys/demo-client/demo-is-gost.pem");

fn persona_yaml(oid: i64, n: u32, surname: &str) -> String {
    format!(
        "  - oid: {oid}\n    level: simplified\n    phone: \"+7900555{n:04}\"\n    email: seed{n}@example.com\n    password: \"pass-{n}-word\"\n    surname: {surname}\n    name: Анна\n"
    )
}

fn write_seed(dir: &Path, surname: &str) -> std::path::PathBuf {
    std::fs::create_dir_all(dir.join("certs")).unwrap();
    std::fs::write(dir.join("certs/gost.pem"), GOST_PEM).unwrap();
    let mut yaml = String::from("# a QA seed\npersonas:\n");
    yaml += &persona_yaml(1_000_500_001, 1, surname);
    yaml += &persona_yaml(1_000_500_002, 2, "Петрова");
    yaml += "clients:\n  - mnemonic: SEED_IS\n    name: Seeded system\n    redirect_uris: [\"http://localhost:7000/cb\"]\n    certificates: [certs/gost.pem]\n";
    yaml +=
        "verification_rules:\n  - field: snils\n    pattern: \"999*\"\n    outcome: not_found\n";
    let file = dir.join("qa.yaml");
    std::fs::write(&file, yaml).unwrap();
    file
}

fn run_ok(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success(), "stdout: {stdout}\nstderr: {stderr}");
    stdout
}

fn run_err(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    assert!(!out.status.success());
    String::from_utf8_lossy(&out.stderr).to_string()
}

#[test]
fn seed_command_applies_yaml_idempotently() {
    let db = TestDb::new();
    let file = write_seed(db.dir.path(), "Сидорова");
    let out = run_ok(bin(&db).arg("seed").arg(&file));
    assert!(
        out.contains("personas: 2 created, 0 updated; clients: 1 created, 0 updated; verification rules: 1 added, 0 unchanged"),
        "{out}"
    );
    // Re-applying changes nothing and duplicates nothing.
    let out = run_ok(bin(&db).arg("seed").arg(&file));
    assert!(
        out.contains("personas: 0 created, 2 updated; clients: 0 created, 1 updated; verification rules: 0 added, 1 unchanged"),
        "{out}"
    );
    let mut conn = esia_store::DbConnection::open(&db.url).unwrap();
    assert_eq!(esia_store::persons::count_persons(&mut conn).unwrap(), 2);
    assert_eq!(
        esia_store::verification::list_rules(&mut conn)
            .unwrap()
            .len(),
        1
    );
    let certs = esia_store::clients::client_certs(&mut conn, "SEED_IS").unwrap();
    assert_eq!(
        certs.len(),
        1,
        "the certificate path resolved next to the seed file"
    );
    let p = esia_store::persons::find_person_by_oid(&mut conn, 1_000_500_001)
        .unwrap()
        .unwrap();
    assert_eq!(p.surname, "Сидорова");
}

#[test]
fn seed_command_applies_toml() {
    let db = TestDb::new();
    let file = db.dir.path().join("qa.toml");
    std::fs::write(
        &file,
        "[[personas]]\noid = 1000600001\nlevel = \"simplified\"\nphone = \"+79005550101\"\nsurname = \"Орлов\"\nname = \"Олег\"\n\n[[verification_rules]]\nfield = \"surname\"\npattern = \"Орлов\"\noutcome = \"hang\"\n",
    )
    .unwrap();
    let out = run_ok(bin(&db).arg("seed").arg(&file));
    assert!(out.contains("personas: 1 created"), "{out}");
    assert!(out.contains("verification rules: 1 added"), "{out}");
}

#[test]
fn errors_name_the_file_line_and_field() {
    let db = TestDb::new();
    let dir = db.dir.path();
    let cases: Vec<(&str, String, &[&str])> = vec![
        // Unknown key: the parser's line.
        (
            "typo.yaml",
            "personas:\n  - oid: 1000700001\n    snlis: \"123\"\n".into(),
            &["typo.yaml:3", "snlis"],
        ),
        // Wrong type.
        (
            "type.yaml",
            "personas:\n  - oid: many\n".into(),
            &["type.yaml:2"],
        ),
        // A refused persona: the personas use case's field, at its line in the file.
        (
            "snils.yaml",
            "personas:\n  - oid: 1000700002\n    level: simplified\n  - oid: 1000700003\n    surname: Орлов\n    snils: \"112-233-445 96\"\n".into(),
            &["snils.yaml:6: personas[1].snils"],
        ),
        // A refused client: entry and field, at the field's line.
        (
            "client.yaml",
            "clients:\n  - mnemonic: OK_IS\n    name: x\n    redirect_uris: [\"http://x\"]\n  - mnemonic: BAD IS\n    name: y\n    redirect_uris:\n      - ftp://nowhere\n".into(),
            &["client.yaml:5: clients[1].mnemonic", "client.yaml:7: clients[1].redirect_uris"],
        ),
        // A missing certificate file.
        (
            "cert.yaml",
            "clients:\n  - mnemonic: C_IS\n    name: x\n    redirect_uris: [\"http://x\"]\n    certificates: [missing.pem]\n".into(),
            &["cert.yaml:5: clients[0].certificates", "missing.pem"],
        ),
        // A refused rule.
        (
            "rule.toml",
            "[[verification_rules]]\nfield = \"snils\"\npattern = \"1\"\noutcome = \"boom\"\n".into(),
            &["rule.toml:1: verification_rules[0]", "outcome `boom`"],
        ),
        ("bad.txt", "x".into(), &["bad.txt", ".yaml"]),
    ];
    for (name, text, wants) in cases {
        let file = dir.join(name);
        std::fs::write(&file, text).unwrap();
        let err = run_err(bin(&db).arg("seed").arg(&file));
        for want in wants {
            assert!(err.contains(want), "{name}: want {want:?} in {err}");
        }
    }
    // Nothing of the refused client file was written.
    let mut conn = esia_store::DbConnection::open(&db.url).unwrap();
    assert!(esia_store::clients::find_client(&mut conn, "OK_IS")
        .unwrap()
        .is_none());
}

#[test]
fn serve_with_a_bad_seed_file_does_not_start() {
    let db = TestDb::new();
    let file = db.dir.path().join("bad.yaml");
    std::fs::write(&file, "personas:\n  - oid: 1\n    nope: 1\n").unwrap();
    let err = run_err(
        bin(&db)
            .args(["serve", "--no-worker", "--bind", "127.0.0.1:0", "--seed"])
            .arg(&file)
            .env("ESIA__KEYS__DIR", db.dir.path().join("keys")),
    );
    assert!(err.contains("bad.yaml:3"), "{err}");
}

#[test]
fn the_demo_seed_holds_the_banner_personas_and_the_demo_client() {
    let seed = esia_control::seed::demo_seed().expect("seeds/demo.yaml parses");
    assert_eq!(seed.doc.personas.len(), 16);
    for p in esia_control::seed::DEMO_PERSONAS {
        let s = seed
            .doc
            .personas
            .iter()
            .find(|s| s.oid == Some(p.oid))
            .unwrap();
        assert_eq!(s.email.as_deref(), Some(p.email));
        assert_eq!(s.phone.as_deref(), p.phone);
        assert_eq!(s.surname.as_deref(), Some(p.surname));
        assert_eq!(s.name.as_deref(), Some(p.name));
        assert_eq!(s.password.as_deref(), Some(p.password));
        assert_eq!(s.level, Some(p.level), "{}", p.oid);
    }
    assert_eq!(
        esia_control::seed::DEMO_PERSONAS.len(),
        seed.doc.personas.len(),
        "every demo persona is described"
    );
    assert_eq!(seed.doc.clients[0].mnemonic, "DEMO_IS");
    assert!(seed.doc.clients[0].certificates[0].contains("BEGIN CERTIFICATE"));
    // The file in the repository applies as any seed file (paths relative to it).
    let from_disk = esia_control::seed_file::read_seed_file(Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/seeds/demo.yaml"
    )))
    .unwrap();
    assert_eq!(
        serde_json::to_value(&from_disk.doc).unwrap(),
        serde_json::to_value(&seed.doc).unwrap()
    );
}
