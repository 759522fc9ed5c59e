//! Differences that were once reported as "in sync" (issue 10), and input that once panicked:
//! each `fixtures/drift/<case>` runs `autogen check` on its database (`schema.sql`, then
//! `fails.sql` when present, a statement that must fail) and entities.

use std::path::PathBuf;

use autogen_pgtemp::TestDb;
use expect_test::expect_file;

use crate::support;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/drift")
}

/// `autogen ARGS` over the case's database and entities: exit code, stdout and stderr.
fn run(case: &str, args: &[&str]) -> String {
    let dir = fixtures().join(case);
    let db = TestDb::new().expect("a test database");
    let sql = std::fs::read_to_string(dir.join("schema.sql")).unwrap();
    db.batch_execute(&sql).expect("schema.sql applies");
    // A statement that must fail and leave its trace (a failed CREATE INDEX CONCURRENTLY leaves
    // an invalid index); run on its own, outside a transaction.
    if let Ok(fails) = std::fs::read_to_string(dir.join("fails.sql")) {
        assert!(db.batch_execute(&fails).is_err(), "fails.sql must fail");
    }
    let project = tempfile::tempdir().unwrap();
    let config = std::fs::read_to_string(dir.join("config.toml")).unwrap_or_default();
    std::fs::write(
        project.path().join("autogen.toml"),
        format!(
            "entities = [{:?}]\n{config}",
            dir.join("entity").display().to_string()
        ),
    )
    .unwrap();
    support::transcript(
        project.path(),
        &db,
        args,
        &[(&fixtures(), "fixtures/drift")],
    )
}

macro_rules! cases {
    ($($name:ident),* $(,)?) => {$(
        #[test]
        fn $name() {
            let got = run(stringify!($name), &["check"]);
            expect_file![concat!("../fixtures/drift/", stringify!($name), "/expected")]
                .assert_eq(&got);
        }
    )*};
}

cases!(
    malformed_check,
    billing_schema_without_table,
    billing_schema_missing,
    entity_outside_schemas,
    invalid_unique_index,
    text_default_numeric_looking,
    check_parentheses,
    check_cast,
    check_in_sync,
);
