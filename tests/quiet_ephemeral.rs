//! `--quiet` with no database configured: the ephemeral cluster's start-up lines (including
//! pgtemp's "running as root" line when the tests run as root, as in a CI container) are
//! progress, not errors, so stderr stays empty.

use std::process::Command;

#[test]
fn quiet_ephemeral_check_prints_nothing_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("entity")).unwrap();
    std::fs::write(
        dir.path().join("entity/tally.rs"),
        r#"use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "tally")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
"#,
    )
    .unwrap();
    std::fs::write(dir.path().join("autogen.toml"), "entities = [\"entity\"]\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_autogen"))
        .args(["--quiet", "check"])
        .current_dir(dir.path())
        .env_remove("DATABASE_URL")
        .output()
        .expect("autogen runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    // The empty ephemeral database lacks the table: drift, said by the exit code alone.
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        out.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(stderr.is_empty(), "{stderr}");
}
