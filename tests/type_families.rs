//! Types the entity does not state (`fixtures/type_families`): a field with only a Rust type is
//! in sync with every column type that Rust type reads and writes, a stated `column_type` is
//! compared exactly, uuid/string keys without `auto_increment = false` are plain keys, and an
//! unresolved Rust type is a warning that leaves only that column's type uncompared (and an
//! error where a migration must spell it).

use std::path::{Path, PathBuf};

use autogen_pgtemp::TestDb;
use expect_test::{Expect, expect};

use crate::support;

fn fixture() -> PathBuf {
    support::fixture("type_families")
}

/// The fixture's database (plus `sql`), and a project directory with a copy of the entities
/// where `edit(file name, text)` may change a file, an empty migration crate and autogen.toml.
fn setup(sql: &str, edit: impl Fn(&str, String) -> String) -> (TestDb, tempfile::TempDir) {
    let db = support::fixture_db("type_families");
    db.batch_execute(sql).expect("the extra SQL applies");
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("entity/src");
    std::fs::create_dir_all(&src).unwrap();
    for entry in std::fs::read_dir(fixture().join("entity/src")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(src.join(&name), edit(&name, text)).unwrap();
    }
    let migration = dir.path().join("migration/src");
    std::fs::create_dir_all(&migration).unwrap();
    std::fs::write(
        migration.join("lib.rs"),
        "pub use sea_orm_migration::prelude::*;\n\npub struct Migrator;\n\n\
         #[async_trait::async_trait]\nimpl MigratorTrait for Migrator {\n    \
         fn migrations() -> Vec<Box<dyn MigrationTrait>> {\n        vec![]\n    }\n}\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("autogen.toml"),
        "entities = [\"entity/src\"]\nmigrations = \"migration\"\n",
    )
    .unwrap();
    (db, dir)
}

/// `autogen ARGS --database-url URL` in `dir` as a transcript, paths made stable.
fn autogen(dir: &Path, db: &TestDb, args: &[&str]) -> String {
    support::transcript(dir, db, args, &[(dir, "$PROJECT")])
}

#[track_caller]
fn check(sql: &str, edit: impl Fn(&str, String) -> String, args: &[&str], expect: Expect) {
    let (db, dir) = setup(sql, edit);
    expect.assert_eq(&autogen(dir.path(), &db, args));
}

fn unchanged(_: &str, text: String) -> String {
    text
}

#[test]
fn fields_without_column_type_are_in_sync_with_their_family_and_keys_are_plain() {
    check(
        "",
        unchanged,
        &["check"],
        expect![[r#"
        exit 0
        --- stdout
        in sync: the database matches the entities (3 table(s))
        --- stderr
    "#]],
    );
}

#[test]
fn a_stated_column_type_that_differs_is_drift() {
    let stated = |name: &str, text: String| {
        if name == "documents.rs" {
            text.replace(
                "    pub data: Json,",
                "    #[sea_orm(column_type = \"Json\")]\n    pub data: Json,",
            )
            .replace(
                "    pub title: String,",
                "    #[sea_orm(column_type = \"Text\")]\n    pub title: String,",
            )
        } else {
            text
        }
    };
    check(
        "",
        stated,
        &["check"],
        expect![[r#"
            exit 1
            --- stdout
            public.documents
              type of title
                  desired (entities): text
                  current (database): character varying(40)
              type of data
                  desired (entities): json
                  current (database): jsonb

            drift: 2 difference(s) between the entities and the database; run `autogen revision -m "…"` to write a migration

            What that migration would do to live tables:
              lock: change type of public.documents.data from jsonb to json: ACCESS EXCLUSIVE lock on public.documents, rewrites the table (jsonb → json: not binary coercible) (blocks reads and writes while it runs) [public.documents rows unknown (never analyzed), 16.0 kB]
              lock: brief ACCESS EXCLUSIVE (catalog only, but it waits for running transactions and blocks everything queued behind it) on public.documents
            --- stderr
            note: public.documents.data: SeaORM maps Json to json; to keep the jsonb column, declare #[sea_orm(column_type = "JsonBinary")] on the field
        "#]],
    );
}

/// `other_crate::OwnerId` cannot be resolved: the column's type is not compared, its
/// nullability still is (the field is an Option, the column NOT NULL).
fn with_owner(name: &str, text: String) -> String {
    if name == "documents.rs" {
        text.replace(
            "    pub tags: Vec<String>,",
            "    pub tags: Vec<String>,\n    pub owner: Option<other_crate::OwnerId>,",
        )
    } else {
        text
    }
}

const OWNER_COLUMN: &str = "ALTER TABLE documents ADD owner uuid NOT NULL;";

#[test]
fn an_unresolved_type_is_a_warning_and_the_rest_of_the_column_is_compared() {
    check(
        OWNER_COLUMN,
        with_owner,
        &["check"],
        expect![[r#"
            exit 1
            --- stdout
            Nullability mismatches:
              public.documents.owner: the field is an Option but the column is NOT NULL: inserting None fails

            public.documents
              nullability of owner
                  desired (entities): NULL
                  current (database): NOT NULL

            drift: 1 difference(s) between the entities and the database; run `autogen revision -m "…"` to write a migration
            1 column compared without its type (unresolved Rust types; see warnings)

            What that migration would do to live tables:
              lock: brief ACCESS EXCLUSIVE (catalog only, but it waits for running transactions and blocks everything queued behind it) on public.documents
            --- stderr
            $PROJECT/entity/src/documents.rs:16:9: warning: cannot resolve the column type of `documents.owner` (`other_crate::OwnerId`): it is not a type SeaORM knows; the column's type is not compared, and a migration cannot add the column
              help: declare it in autogen.toml, e.g. [types] "other_crate::OwnerId" = "text"
        "#]],
    );
    check(
        OWNER_COLUMN,
        with_owner,
        &["check", "--format", "json"],
        expect![[r#"
            exit 1
            --- stdout
            {
              "columns_without_type": 1,
              "data": {
                "facts": [],
                "table_sizes": [
                  {
                    "bytes": 16384,
                    "estimated_rows": null,
                    "table": "public.documents"
                  }
                ],
                "timeout_ms": 2000
              },
              "differences": [
                {
                  "change": "drop not null on public.documents.owner",
                  "current": "NOT NULL",
                  "declared_at": {
                    "column": 9,
                    "file": "$PROJECT/entity/src/documents.rs",
                    "line": 16
                  },
                  "desired": "NULL",
                  "destructive": false,
                  "nullability": true,
                  "object": "public.documents",
                  "what": "nullability of owner"
                }
              ],
              "findings": [],
              "impacts": [
                {
                  "change": 0,
                  "data_loss": false,
                  "description": "drop not null on public.documents.owner",
                  "effect": "none",
                  "lock": "access_exclusive",
                  "locks": [
                    {
                      "effect": "none",
                      "lock": "access_exclusive",
                      "table": {
                        "name": "documents",
                        "schema": "public"
                      }
                    }
                  ],
                  "summary": "ACCESS EXCLUSIVE lock on public.documents"
                }
              ],
              "in_sync": false,
              "notes": []
            }
            --- stderr
            $PROJECT/entity/src/documents.rs:16:9: warning: cannot resolve the column type of `documents.owner` (`other_crate::OwnerId`): it is not a type SeaORM knows; the column's type is not compared, and a migration cannot add the column
              help: declare it in autogen.toml, e.g. [types] "other_crate::OwnerId" = "text"
        "#]],
    );
}

#[test]
fn strict_makes_an_unresolved_type_an_error() {
    check(
        OWNER_COLUMN,
        with_owner,
        &["check", "--strict"],
        expect![[r#"
        exit 2
        --- stdout
        --- stderr
        $PROJECT/entity/src/documents.rs:16:9: error: cannot resolve the column type of `documents.owner` (`other_crate::OwnerId`): it is not a type SeaORM knows
          help: declare it in autogen.toml, e.g. [types] "other_crate::OwnerId" = "text"
        error: 1 error(s) in the entity files; fix them (or declare unknown types under [types] in autogen.toml)
    "#]],
    );
}

#[test]
fn a_migration_that_must_spell_an_unresolved_type_is_an_error() {
    // No `owner` column in the database: revision would have to add it.
    check(
        "",
        with_owner,
        &["revision", "-m", "owner"],
        expect![[r#"
            exit 2
            --- stdout
            --- stderr
            $PROJECT/entity/src/documents.rs:16:9: warning: cannot resolve the column type of `documents.owner` (`other_crate::OwnerId`): it is not a type SeaORM knows; the column's type is not compared, and a migration cannot add the column
              help: declare it in autogen.toml, e.g. [types] "other_crate::OwnerId" = "text"
            lock: brief ACCESS EXCLUSIVE (catalog only, but it waits for running transactions and blocks everything queued behind it) on public.documents
            error: 1 step(s) of the migration must spell a column type the entities do not resolve:
            $PROJECT/entity/src/documents.rs:16:9: adding the column needs the type of `public.documents.owner`, but its Rust type `other_crate::OwnerId` is unresolved; declare it in autogen.toml, e.g. [types] "other_crate::OwnerId" = "text"
        "#]],
    );
    check(
        "",
        with_owner,
        &["diff", "--format", "sql"],
        expect![[r#"
        exit 2
        --- stdout
        --- stderr
        $PROJECT/entity/src/documents.rs:16:9: warning: cannot resolve the column type of `documents.owner` (`other_crate::OwnerId`): it is not a type SeaORM knows; the column's type is not compared, and a migration cannot add the column
          help: declare it in autogen.toml, e.g. [types] "other_crate::OwnerId" = "text"
        error: 1 step(s) of the migration must spell a column type the entities do not resolve:
        $PROJECT/entity/src/documents.rs:16:9: adding the column needs the type of `public.documents.owner`, but its Rust type `other_crate::OwnerId` is unresolved; declare it in autogen.toml, e.g. [types] "other_crate::OwnerId" = "text"
    "#]],
    );
}
