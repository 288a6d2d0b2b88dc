//! `TestDb`: an isolated database per test. SQLite: a file in a temp directory (never
//! `:memory:` behind a pool). PostgreSQL (when `TEST_DATABASE_URL` is set): a freshly created
//! database, dropped when the test ends.

use esia_store::{Backend, DbConnection};

pub struct TestDb {
    pub url: String,
    /// Kept alive so the SQLite file's directory outlives the test.
    pub dir: tempfile::TempDir,
    admin_url: Option<String>,
    db_name: Option<String>,
}

impl TestDb {
    /// Creates the database for one test.
    pub fn new() -> TestDb {
        TestDb::on(std::env::var("TEST_DATABASE_URL").ok())
    }

    /// A fresh database on the PostgreSQL server `admin_url` (dropped on drop), or a SQLite file
    /// when it is `None` or empty.
    pub fn on(admin_url: Option<String>) -> TestDb {
        let dir = tempfile::tempdir().expect("temp dir");
        match admin_url.filter(|u| !u.is_empty()) {
            Some(admin_url) => {
                let name = format!("esia_test_{}", uuid::Uuid::new_v4().simple());
                let mut admin =
                    DbConnection::open(&admin_url).expect("connect to TEST_DATABASE_URL");
                esia_store::db::execute_sql(&mut admin, &format!("CREATE DATABASE {name}"))
                    .expect("create test database");
                let mut url = url::Url::parse(&admin_url).expect("TEST_DATABASE_URL is a URL");
                url.set_path(&format!("/{name}"));
                TestDb {
                    url: url.to_string(),
                    dir,
                    admin_url: Some(admin_url),
                    db_name: Some(name),
                }
            }
            None => {
                let path = dir.path().join("esia.db");
                TestDb {
                    url: path.to_string_lossy().into_owned(),
                    dir,
                    admin_url: None,
                    db_name: None,
                }
            }
        }
    }

    pub fn backend(&self) -> Backend {
        Backend::from_url(&self.url).expect("test URL is valid")
    }
}

impl Default for TestDb {
    fn default() -> Self {
        TestDb::new()
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let (Some(admin_url), Some(name)) = (&self.admin_url, &self.db_name) {
            if let Ok(mut admin) = DbConnection::open(admin_url) {
                let _ = esia_store::db::execute_sql(
                    &mut admin,
                    &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
                );
            }
        }
    }
}
