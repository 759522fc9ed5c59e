//! `autogen inspect` of the database without `--schema`: the default is the one `check` uses,
//! `public` plus every schema an entity names. A project whose entities all say
//! `schema_name = "…"` used to get `(no tables)` and an empty diagram.

use std::path::Path;

use autogen_pgtemp::TestDb;

use crate::support;

const ENTITY: &str = r#"use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "ledger_line", schema_name = "accounts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub amount: FIELD_TYPE,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
"#;

fn project(field_type: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("entity")).unwrap();
    std::fs::write(
        dir.path().join("entity/ledger_line.rs"),
        ENTITY.replace("FIELD_TYPE", field_type),
    )
    .unwrap();
    std::fs::write(dir.path().join("autogen.toml"), "entities = [\"entity\"]\n").unwrap();
    dir
}

fn database() -> TestDb {
    let db = TestDb::new().expect("a test database");
    db.batch_execute(
        "CREATE SCHEMA accounts;
         CREATE TABLE accounts.ledger_line (id serial PRIMARY KEY, amount integer NOT NULL);
         CREATE TABLE public.memo (id serial PRIMARY KEY);
         CREATE SCHEMA unrelated;
         CREATE TABLE unrelated.other (id integer);",
    )
    .unwrap();
    db
}

fn inspect(dir: &Path, db: &TestDb, args: &[&str]) -> (i32, String, String) {
    let args: Vec<&str> = args
        .iter()
        .copied()
        .chain(["--database-url", db.url()])
        .collect();
    support::autogen(dir, &args)
}

#[test]
fn inspect_shows_the_schemas_the_entities_name() {
    let db = database();
    let dir = project("i32");
    let (code, text, err) = inspect(dir.path(), &db, &["inspect"]);
    assert_eq!(code, 0, "{err}");
    assert!(text.contains("Table \"accounts.ledger_line\""), "{text}");
    assert!(text.contains("Table \"public.memo\""), "{text}");
    assert!(!text.contains("unrelated"), "{text}");
    assert!(
        err.is_empty(),
        "inspect stays quiet about the entities: {err}"
    );

    let (code, mermaid, err) = inspect(dir.path(), &db, &["inspect", "--format", "mermaid"]);
    assert_eq!(code, 0, "{err}");
    assert!(mermaid.contains("accounts.ledger_line"), "{mermaid}");

    // An explicit list is exactly that list.
    let (code, text, err) = inspect(dir.path(), &db, &["--schema", "public", "inspect"]);
    assert_eq!(code, 0, "{err}");
    assert!(text.contains("Table \"public.memo\""), "{text}");
    assert!(!text.contains("accounts"), "{text}");
}

#[test]
fn inspect_shows_the_database_when_the_entities_do_not_load() {
    let db = database();
    let dir = project("NoSuchType");
    let (code, text, err) = inspect(dir.path(), &db, &["inspect"]);
    assert_eq!(code, 0, "{err}");
    assert!(text.contains("Table \"accounts.ledger_line\""), "{text}");
    assert!(err.is_empty(), "{err}");
}
