//! Both migration trees hold the same migrations, and up → down → up works on the backend under
//! test (SQLite, or PostgreSQL with TEST_DATABASE_URL).

use esia_store::DbConnection;
use esia_testkit::TestDb;

fn names(tree: &str) -> Vec<String> {
    let dir = format!("{}/migrations/{tree}", env!("CARGO_MANIFEST_DIR"));
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn both_trees_have_the_same_migration_names_and_files() {
    let sqlite = names("sqlite");
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, names("postgres"));
    for name in &sqlite {
        for tree in ["sqlite", "postgres"] {
            for file in ["up.sql", "down.sql"] {
                let path = format!(
                    "{}/migrations/{tree}/{name}/{file}",
                    env!("CARGO_MANIFEST_DIR")
                );
                assert!(std::path::Path::new(&path).exists(), "{path} missing");
            }
        }
    }
}

#[test]
fn up_down_up_works() {
    let db = TestDb::new();
    let mut conn = DbConnection::open(&db.url).unwrap();
    let applied = conn.run_migrations().unwrap();
    assert_eq!(applied, names("sqlite").len());
    conn.revert_all_migrations().unwrap();
    assert_eq!(conn.run_migrations().unwrap(), applied);
    assert_eq!(conn.run_migrations().unwrap(), 0, "nothing left to apply");
}
