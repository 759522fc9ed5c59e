//! Fleet checks (`fixtures/fleet`): tenant schemas matched by a pattern, grouped by identical
//! drift (text and JSON); several databases with one unreachable (exit 2, the other's result
//! still shown); `revision` refusing a fleet.

use std::process::Command;

use autogen_pgtemp::TestDb;
use expect_test::expect;

use crate::support::{self, autogen};

/// A database with `tenant_1` … `tenant_4` (the fixture's tables, in sync), `tenant_2` and
/// `tenant_3` without `users.locale`, `tenant_4` with a nullable `posts.title` and an extra
/// table, and an unrelated `other` schema the pattern does not match.
fn tenants() -> TestDb {
    let db = TestDb::new().expect("a test database");
    let tenant = std::fs::read_to_string(support::fixture("fleet").join("tenant.sql")).unwrap();
    for t in 1..=4 {
        db.batch_execute(&format!(
            "CREATE SCHEMA tenant_{t}; SET search_path = tenant_{t};\n{tenant}\nRESET search_path;"
        ))
        .expect("tenant.sql applies");
    }
    db.batch_execute(
        "ALTER TABLE tenant_2.users DROP COLUMN locale;
         ALTER TABLE tenant_3.users DROP COLUMN locale;
         ALTER TABLE tenant_4.posts ALTER COLUMN title DROP NOT NULL;
         CREATE TABLE tenant_4.audit (id int);
         CREATE SCHEMA other; CREATE TABLE other.unrelated (id int);",
    )
    .expect("drift applies");
    db
}

/// A project whose autogen.toml names the fixture's entities, plus `extra` lines.
fn project(extra: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let entities = support::fixture("fleet").join("entity");
    std::fs::write(
        dir.path().join("autogen.toml"),
        format!("entities = [{:?}]\n{extra}", entities.display().to_string()),
    )
    .unwrap();
    dir
}

#[test]
fn tenants_with_the_same_drift_are_one_group() {
    let db = tenants();
    let dir = project("");
    let args = [
        "check",
        "--tenant-schemas",
        "tenant_%",
        "--database-url",
        db.url(),
    ];
    let (code, stdout, stderr) = autogen(dir.path(), &args);
    assert_eq!(code, 1, "{stdout}{stderr}");
    expect![[r#"
        drift in tenant_2, tenant_3: 1 difference(s) (as in tenant_2)
          tenant_2.users
            column locale
                desired (entities): character varying NOT NULL
                current (database): missing

        drift in tenant_4: 2 difference(s)
          Nullability mismatches:
            tenant_4.posts.title: the field is not an Option but the column is nullable: reading a NULL fails at run time

          tenant_4.audit
            WARNING destructive: table
                desired (entities): not declared
                current (database): 1 column(s): id
          tenant_4.posts
            WARNING destructive: nullability of title
                desired (entities): NOT NULL
                current (database): NULL

        1 in sync; 3 drift: tenant_2, tenant_3 (missing column users.locale); tenant_4 (changed nullability of title on posts, extra table audit)
    "#]]
    .assert_eq(&stdout);

    // The same from autogen.toml, as JSON: per target, per schema, with the group of each.
    let dir = project("tenant_schemas = \"tenant_%\"\ntargets = [\"env:FLEET_TEST_URL\"]\n");
    let out = Command::new(env!("CARGO_BIN_EXE_autogen"))
        .args(["check", "--format", "json"])
        .current_dir(dir.path())
        .env_remove("DATABASE_URL")
        .env("FLEET_TEST_URL", db.url())
        .output()
        .expect("autogen runs");
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(json["in_sync"], false);
    assert_eq!(
        json["summary"],
        serde_json::json!({
            "in_sync": 1, "drift": 3, "errors": 0,
            "line": "1 in sync; 3 drift: tenant_2, tenant_3 (missing column users.locale); tenant_4 (changed nullability of title on posts, extra table audit)"
        })
    );
    assert_eq!(
        json["groups"],
        serde_json::json!([
            {"members": ["tenant_2", "tenant_3"], "differences": ["missing column users.locale"]},
            {"members": ["tenant_4"], "differences": ["changed nullability of title on posts", "extra table audit"]},
        ])
    );
    let schemas = json["targets"][0]["schemas"].as_array().expect("schemas");
    let names: Vec<&str> = schemas
        .iter()
        .map(|s| s["schema"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["tenant_1", "tenant_2", "tenant_3", "tenant_4"]);
    assert_eq!(schemas[0]["in_sync"], true);
    assert_eq!(schemas[1]["group"], 0);
    assert_eq!(schemas[2]["group"], 0);
    assert_eq!(schemas[3]["group"], 1);
    let added = &schemas[2]["differences"][0];
    assert_eq!(
        added["change"],
        "add column tenant_3.users.locale (character varying, not null)"
    );
    assert_eq!(added["declared_at"]["line"], 11);

    // diff --format json: the same units with each plan; exit 0 as for one database.
    let dir = project("");
    let (code, stdout, stderr) = autogen(
        dir.path(),
        &[
            "diff",
            "--format",
            "json",
            "--tenant-schemas",
            "tenant_%",
            "--database-url",
            db.url(),
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    let schemas = &json["targets"][0]["schemas"];
    assert_eq!(schemas[0]["plan"]["changes"], serde_json::json!([]));
    assert_eq!(schemas[1]["plan"]["changes"][0]["kind"], "add_column");
    assert_eq!(
        schemas[1]["plan"]["changes"][0]["table"]["schema"],
        "tenant_2"
    );
    // Text and SQL plans are one database's: refused.
    let (code, _, stderr) = autogen(
        dir.path(),
        &[
            "diff",
            "--format",
            "sql",
            "--tenant-schemas",
            "tenant_%",
            "--database-url",
            db.url(),
        ],
    );
    assert_eq!(code, 2);
    assert!(
        stderr.contains("`diff --format json` reports every target"),
        "{stderr}"
    );
}

#[test]
fn an_unreachable_database_is_an_error_next_to_the_others_result() {
    let db = TestDb::new().expect("a test database");
    let tenant = std::fs::read_to_string(support::fixture("fleet").join("tenant.sql")).unwrap();
    db.batch_execute(&tenant).expect("tenant.sql applies");
    let dir = project("");
    let unreachable = "postgres://someone:secret@127.0.0.1:1/gone";
    let (code, stdout, stderr) = autogen(
        dir.path(),
        &[
            "check",
            "--database-url",
            db.url(),
            "--database-url",
            unreachable,
            "--connect-timeout",
            "5",
        ],
    );
    assert_eq!(code, 2, "{stdout}{stderr}");
    let stdout = stdout.replace(db.name(), "DB");
    expect![[r#"
        could not be checked:
          127.0.0.1:1/gone: cannot connect: error connecting to server: Connection refused (os error 111)

        1 in sync; 1 error: 127.0.0.1:1/gone
    "#]]
    .assert_eq(&stdout);
    assert!(!stdout.contains("secret") && !stderr.contains("secret"));
    expect![[r#"
        error: 1 target(s) or schema(s) could not be checked (listed in the report)
    "#]]
    .assert_eq(&stderr);
    // JSON: one entry per target, the error on its own.
    let (code, stdout, _) = autogen(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "--database-url",
            db.url(),
            "--database-url",
            unreachable,
        ],
    );
    assert_eq!(code, 2);
    let json: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    assert_eq!(json["targets"][0]["schemas"][0]["in_sync"], true);
    assert_eq!(json["targets"][1]["target"], "127.0.0.1:1/gone");
    assert!(
        json["targets"][1]["error"]
            .as_str()
            .unwrap()
            .contains("Connection refused")
    );
}

#[test]
fn revision_refuses_a_fleet_and_names_the_reference_to_pick() {
    let dir = project("migrations = \"migration\"\n");
    let (code, _, stderr) = autogen(
        dir.path(),
        &[
            "revision",
            "-m",
            "x",
            "--tenant-schemas",
            "tenant_%",
            "--database-url",
            "postgres://h/db",
        ],
    );
    assert_eq!(code, 2);
    expect![[r#"
        error: revision works on one schema, not on the tenant pattern "tenant_%": pick one tenant as the reference, e.g. `--schema <tenant>` without --tenant-schemas (and without tenant_schemas in autogen.toml); `autogen check --tenant-schemas "tenant_%"` lists the tenants and which of them drift
    "#]]
    .assert_eq(&stderr);
    let (code, _, stderr) = autogen(
        dir.path(),
        &[
            "revision",
            "-m",
            "x",
            "--database-url",
            "postgres://u:pw@db1:5432/app",
            "--database-url",
            "postgres://db2/app",
        ],
    );
    assert_eq!(code, 2);
    expect![[r#"
        error: revision works on one database, not on 2 targets (db1:5432/app, db2:5432/app): pick the reference with a single --database-url URL
    "#]]
    .assert_eq(&stderr);
}

#[test]
fn a_tenant_behind_its_migrations_is_an_error_of_that_tenant_alone() {
    let db = TestDb::new().expect("a test database");
    let tenant = std::fs::read_to_string(support::fixture("fleet").join("tenant.sql")).unwrap();
    for t in 1..=2 {
        db.batch_execute(&format!(
            "CREATE SCHEMA tenant_{t}; SET search_path = tenant_{t};\n{tenant}\n\
             CREATE TABLE seaql_migrations (version varchar PRIMARY KEY, applied_at bigint NOT NULL);\n\
             RESET search_path;"
        ))
        .expect("tenant.sql applies");
    }
    db.batch_execute("INSERT INTO tenant_1.seaql_migrations VALUES ('m20240101_000001_init', 0)")
        .expect("one tenant migrated");
    let dir = project("migrations = \"migration\"\n");
    let src = dir.path().join("migration/src");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(
        src.join("lib.rs"),
        "pub use sea_orm_migration::prelude::*;\nmod m20240101_000001_init;\npub struct Migrator;\n\
         #[async_trait::async_trait]\nimpl MigratorTrait for Migrator {\n    \
         fn migrations() -> Vec<Box<dyn MigrationTrait>> {\n        \
         vec![Box::new(m20240101_000001_init::Migration)]\n    }\n}\n",
    )
    .unwrap();
    std::fs::write(
        src.join("m20240101_000001_init.rs"),
        "use sea_orm_migration::prelude::*;\n#[derive(DeriveMigrationName)]\npub struct Migration;\n",
    )
    .unwrap();
    let (code, stdout, stderr) = autogen(
        dir.path(),
        &[
            "check",
            "--tenant-schemas",
            "tenant_%",
            "--database-url",
            db.url(),
        ],
    );
    assert_eq!(code, 2, "{stdout}{stderr}");
    expect![[r#"
        could not be checked:
          tenant_2: not at head: 1 migration(s) pending (m20240101_000001_init)

        1 in sync; 1 error: tenant_2
    "#]]
    .assert_eq(&stdout);
}
