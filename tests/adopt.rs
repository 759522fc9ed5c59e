//! Adopting autogen on an existing project and database (`fixtures/adopt`): `check` and `diff`
//! report only the real differences, never hand-named indexes, database-only defaults, serial
//! keys, GIN/partial indexes, checks, triggers, views or unstated lengths.

use std::path::{Path, PathBuf};
use std::process::Command;

use autogen_pgtemp::TestDb;
use expect_test::{Expect, expect};

use crate::support;

fn fixture() -> PathBuf {
    support::fixture("adopt")
}

/// The database of the fixture, and a project directory whose autogen.toml says `extra`.
fn setup(extra: &str) -> (TestDb, tempfile::TempDir) {
    let db = support::fixture_db("adopt");
    let dir = tempfile::tempdir().unwrap();
    let entities = fixture().join("entity/src");
    std::fs::write(
        dir.path().join("autogen.toml"),
        format!("entities = [{:?}]\n{extra}", entities.display().to_string()),
    )
    .unwrap();
    (db, dir)
}

/// `autogen ARGS --database-url URL` in `dir` as a transcript, paths made stable.
fn autogen(dir: &Path, db: &TestDb, args: &[&str]) -> String {
    support::transcript(dir, db, args, &[(&fixture(), "fixtures/adopt")])
}

#[track_caller]
fn check(extra: &str, args: &[&str], expect: Expect) {
    let (db, dir) = setup(extra);
    expect.assert_eq(&autogen(dir.path(), &db, args));
}

#[test]
fn check_reports_only_the_real_differences() {
    check(
        "",
        &["check"],
        expect![[r#"
            exit 1
            --- stdout
            Nullability mismatches:
              public.posts.title: the field is not an Option but the column is nullable: reading a NULL fails at run time

            enum public.legacy_kind
              enum type
                  desired (entities): not declared
                  current (database): ('a', 'b')
            public.legacy_audit
              WARNING destructive: table
                  desired (entities): not declared
                  current (database): 4 column(s): id, payload, kind, at
            public.posts
              column summary
                  desired (entities): character varying
                  current (database): missing
              WARNING destructive: nullability of title
                  desired (entities): NOT NULL
                  current (database): NULL
            public.users
              WARNING destructive: column nickname
                  desired (entities): not declared
                  current (database): character varying(100)

            drift: 5 difference(s) between the entities and the database; run `autogen revision -m "…"` to write a migration
            hint: 1 table(s) have no entity and revision would DROP them; to keep them, add `exclude_tables = ["legacy_audit"]` to autogen.toml (`autogen init` offers this)

            What that migration would do to live tables:
              lock: set not null on public.posts.title: ACCESS EXCLUSIVE lock on public.posts, scans the table (every row is checked for NULL) (blocks reads and writes while it runs) [public.posts rows unknown (never analyzed), 24.0 kB]
              lock: brief ACCESS EXCLUSIVE (catalog only, but it waits for running transactions and blocks everything queued behind it) on public.legacy_audit, public.posts, public.users
            --- stderr
            note: public.published_posts: the entity for public.published_posts maps to a view in the database; autogen compares tables only, so it is not compared
            note: 5 indexes that entities do not declare are left alone; --verbose lists them
            note: 1 check constraint that entities do not declare is left alone; --verbose lists it
        "#]],
    );
}

#[test]
fn excluded_table_keeps_its_enum_and_drops_nothing() {
    check(
        "exclude_tables = [\"legacy_audit\"]\n",
        &["diff", "--format", "sql"],
        expect![[r#"
            exit 0
            --- stdout
            -- up
            -- add column public.posts.summary (character varying)
            ALTER TABLE "posts" ADD COLUMN "summary" varchar;

            -- set not null on public.posts.title
            ALTER TABLE "posts" ALTER COLUMN "title" SET NOT NULL;

            -- drop column public.users.nickname
            ALTER TABLE "users" DROP COLUMN "nickname";

            -- down
            -- add column public.users.nickname (character varying(100))
            ALTER TABLE "users" ADD COLUMN "nickname" varchar(100);

            -- drop not null on public.posts.title
            ALTER TABLE "posts" ALTER COLUMN "title" DROP NOT NULL;

            -- drop column public.posts.summary
            ALTER TABLE "posts" DROP COLUMN "summary";

            --- stderr
            note: public.posts.title: the entity field is not optional but the column is nullable: reading a NULL fails at run time, and SET NOT NULL fails while NULLs exist
            note: public.published_posts: the entity for public.published_posts maps to a view in the database; autogen compares tables only, so it is not compared
            note: 5 indexes that entities do not declare are left alone; --verbose lists them
            note: 1 check constraint that entities do not declare is left alone; --verbose lists it
            note: 1 enum type that entities do not declare is left alone; --verbose lists it
        "#]],
    );
}

#[test]
fn a_table_without_entity_comes_back_with_its_serial_key_in_down() {
    check(
        "",
        &["diff", "--format", "sql"],
        expect![[r#"
            exit 0
            --- stdout
            -- up
            -- add column public.posts.summary (character varying)
            ALTER TABLE "posts" ADD COLUMN "summary" varchar;

            -- set not null on public.posts.title
            ALTER TABLE "posts" ALTER COLUMN "title" SET NOT NULL;

            -- drop column public.users.nickname
            ALTER TABLE "users" DROP COLUMN "nickname";

            -- drop table public.legacy_audit
            DROP TABLE "legacy_audit";

            -- drop enum public.legacy_kind
            DROP TYPE "legacy_kind";

            -- down
            -- create enum public.legacy_kind ('a', 'b')
            CREATE TYPE "legacy_kind" AS ENUM ('a', 'b');

            -- create table public.legacy_audit (4 columns)
            CREATE TABLE "legacy_audit" ( "id" serial NOT NULL PRIMARY KEY, "payload" text, "kind" legacy_kind, "at" timestamp without time zone DEFAULT (now()) );

            -- add column public.users.nickname (character varying(100))
            ALTER TABLE "users" ADD COLUMN "nickname" varchar(100);

            -- drop not null on public.posts.title
            ALTER TABLE "posts" ALTER COLUMN "title" DROP NOT NULL;

            -- drop column public.posts.summary
            ALTER TABLE "posts" DROP COLUMN "summary";

            --- stderr
            note: public.posts.title: the entity field is not optional but the column is nullable: reading a NULL fails at run time, and SET NOT NULL fails while NULLs exist
            note: public.published_posts: the entity for public.published_posts maps to a view in the database; autogen compares tables only, so it is not compared
            note: 5 indexes that entities do not declare are left alone; --verbose lists them
            note: 1 check constraint that entities do not declare is left alone; --verbose lists it
        "#]],
    );
}

/// The plan's up and then its down, run on the database, give the database back (the dropped
/// table's serial key comes back with its own sequence).
#[test]
fn up_then_down_restores_the_database() {
    let (db, dir) = setup("");
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_autogen"))
            .args(args)
            .args(["--database-url", db.url()])
            .current_dir(dir.path())
            .env_remove("DATABASE_URL")
            .output()
            .expect("autogen runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let before = run(&["inspect"]);
    let sql = run(&["diff", "--format", "sql"]);
    let (up, down) = sql.split_once("-- down\n").expect("up and down sections");
    db.batch_execute(up).expect("up applies");
    assert_ne!(run(&["inspect"]), before, "up changed nothing");
    db.batch_execute(down).expect("down applies");
    assert_eq!(run(&["inspect"]), before);
}

/// Adoption in one command (issue 13): `init --extras` writes every index, CHECK and extension
/// left unmanaged into an SQL file and sets `manage = "all"`; once the real differences are
/// applied, `check` is clean under "all"; editing one statement of the file makes the plan
/// touch exactly that object.
#[test]
fn init_extras_adopts_what_entities_cannot_declare() {
    let (db, dir) = setup("exclude_tables = [\"legacy_audit\"]\n");
    let run = |args: &[&str]| autogen(dir.path(), &db, args);
    expect![[r#"
        exit 0
        --- stdout
        wrote schema/extras.sql: 5 index(es), 1 check(s), 0 extension(s)
        autogen.toml: added extras = ["schema/extras.sql"], manage = "all"
        --- stderr
    "#]]
    .assert_eq(&run(&["init", "--extras", "schema/extras.sql"]));
    let extras = dir.path().join("schema/extras.sql");
    expect![[r#"
        -- schema/extras.sql: what the SeaORM entities cannot declare, in plain PostgreSQL DDL.
        -- Written by `autogen init --extras` from the database: every index, CHECK constraint
        -- and extension that autogen left unmanaged. autogen now manages them from this file
        -- (autogen.toml: extras = [...]): a statement added here is created, a changed one is
        -- dropped and created again, and with manage = "all" one removed is dropped.
        -- Supported: CREATE [UNIQUE] INDEX name ON table [USING method] (...) [INCLUDE (...)]
        -- [WHERE ...]; ALTER TABLE table ADD CONSTRAINT name CHECK (...); CREATE EXTENSION.

        -- crates_io
        CREATE UNIQUE INDEX "crates_name_version_unique" ON "crates_io" ("name", "version");
        CREATE INDEX "idx-crates-io-name" ON "crates_io" ("name", "version");

        -- posts
        CREATE INDEX "idx_posts_published" ON "posts" ("published_at") WHERE (published_at IS NOT NULL);
        ALTER TABLE posts ADD CONSTRAINT posts_views_check CHECK (views >= 0);

        -- users
        CREATE INDEX "idx_users_email" ON "users" ("email");
        CREATE INDEX "idx_users_settings_gin" ON "users" USING gin ("settings");
    "#]]
    .assert_eq(&std::fs::read_to_string(&extras).unwrap());

    // Under "all" the adopted objects are declared: the plan holds only the real differences
    // (none of them an index or a check). Applying it leaves nothing to do.
    let plan = run(&["diff", "--format", "sql"]);
    let up = plan
        .split("--- stdout\n")
        .nth(1)
        .and_then(|s| s.split("-- down").next())
        .unwrap_or_default()
        .to_string();
    assert!(
        !up.contains("INDEX") && !up.contains("CONSTRAINT"),
        "only real drift expected:\n{plan}"
    );
    support::run_sql_script(db.url(), &up).unwrap();
    expect![[r#"
        exit 0
        --- stdout
        in sync: the database matches the entities (4 table(s))
        --- stderr
        note: public.published_posts: the entity for public.published_posts maps to a view in the database; autogen compares tables only, so it is not compared
        note: 1 enum type that entities do not declare is left alone; --verbose lists it
    "#]]
    .assert_eq(&run(&["check"]));

    // One edited statement: one object dropped and created again, nothing else.
    let text = std::fs::read_to_string(&extras).unwrap().replace(
        "WHERE (published_at IS NOT NULL)",
        "WHERE published_at IS NOT NULL AND views > 0",
    );
    std::fs::write(&extras, text).unwrap();
    expect![[r#"
        exit 0
        --- stdout
        -- up
        -- drop index idx_posts_published on public.posts
        DROP INDEX "idx_posts_published";

        -- add index idx_posts_published on public.posts (published_at) where (published_at IS NOT NULL AND views > 0)
        CREATE INDEX "idx_posts_published" ON "posts" ("published_at") WHERE (published_at IS NOT NULL AND views > 0);

        -- down
        -- drop index idx_posts_published on public.posts
        DROP INDEX "idx_posts_published";

        -- add index idx_posts_published on public.posts (published_at) where (published_at IS NOT NULL)
        CREATE INDEX "idx_posts_published" ON "posts" ("published_at") WHERE (published_at IS NOT NULL);

        --- stderr
        note: public.published_posts: the entity for public.published_posts maps to a view in the database; autogen compares tables only, so it is not compared
        note: 1 enum type that entities do not declare is left alone; --verbose lists it
    "#]]
    .assert_eq(&run(&["diff", "--format", "sql"]));

    // Removed from the file under "all": dropped.
    let text = std::fs::read_to_string(&extras).unwrap().replace(
        "CREATE INDEX \"idx_users_email\" ON \"users\" (\"email\");\n",
        "",
    );
    std::fs::write(&extras, text).unwrap();
    let plan = run(&["diff", "--format", "sql"]);
    assert!(
        plan.contains("DROP INDEX \"idx_users_email\";"),
        "a removed statement is dropped under manage = \"all\":\n{plan}"
    );
}

/// Bad extras files stop every command with exit 2 and `file:line:col`.
#[test]
fn bad_extras_files_exit_2_with_their_position() {
    let (db, dir) = setup("extras = [\"extras.sql\"]\n");
    let extras = dir.path().join("extras.sql");
    let mut out = String::new();
    for text in [
        "CREATE INDEX posts_x ON posts (title;\n",
        "-- unknown table\nCREATE INDEX nope_x ON nope (a);\n",
        "CREATE INDEX users_x ON users (lower(emial));\n",
        "CREATE INDEX users_y ON users (email);\n\nDROP TABLE users;\n",
    ] {
        std::fs::write(&extras, text).unwrap();
        out.push_str(&autogen(dir.path(), &db, &["check"]));
    }
    expect![[r#"
        exit 2
        --- stdout
        --- stderr
        extras.sql:1:37: error: syntax error at or near ";"
        error: 1 error(s) in the extras SQL file(s)
        exit 2
        --- stdout
        --- stderr
        extras.sql:2:24: error: table public.nope is not declared by any entity; extras may only add indexes and checks to entity tables
        error: 1 error(s) in the extras SQL file(s)
        exit 2
        --- stdout
        --- stderr
        extras.sql:1:38: error: column emial of table public.users is not declared by its entity
        error: 1 error(s) in the extras SQL file(s)
        exit 2
        --- stdout
        --- stderr
        extras.sql:3:1: error: unsupported statement DROP TABLE: the extras file holds CREATE [UNIQUE] INDEX, ALTER TABLE … ADD CONSTRAINT … CHECK (…) and CREATE EXTENSION
        error: 1 error(s) in the extras SQL file(s)
    "#]]
    .assert_eq(&out);
}
