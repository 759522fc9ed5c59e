//! Differences that were once reported as "in sync" (issue 10), and input that once panicked:
//! each `fixtures/drift/<case>` runs `autogen check` on its database (`schema.sql`, then
//! `fails.sql` when present, a statement that must fail) and entities.

use std::path::PathBuf;
use std::process::Command;

use autogen_pgtemp::TestDb;
use expect_test::expect_file;

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
    let out = Command::new(env!("CARGO_BIN_EXE_autogen"))
        .args(args)
        .args(["--database-url", db.url()])
        .current_dir(project.path())
        .env_remove("DATABASE_URL")
        .output()
        .expect("autogen runs");
    let text = format!(
        "exit {}\n--- stdout\n{}--- stderr\n{}",
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    text.replace(&fixtures().display().to_string(), "fixtures/drift")
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
