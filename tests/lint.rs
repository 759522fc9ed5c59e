//! `autogen lint` and `--deny` on temp copies of `examples/blog` with the two hand-written
//! migrations of `fixtures/lint/` added: a `CREATE INDEX CONCURRENTLY` (online: SHARE UPDATE
//! EXCLUSIVE) and an `ALTER COLUMN … TYPE bigint` (rewrite under ACCESS EXCLUSIVE) followed by
//! a sea-query `ADD COLUMN … DEFAULT 0` (catalog only). The migration crate is compiled into the
//! shared `target/e2e-example`, as `cli` does.

use std::path::{Path, PathBuf};
use std::process::Command;

use autogen_pgtemp::TestDb;
use expect_test::expect;

static COPIES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn target_dir() -> PathBuf {
    repo().join("target").join("e2e-example")
}

use crate::support::copy_dir;

/// A copy of the example; with `hand_written`, the two fixture migrations registered after the
/// first. Each copy's package has a name of its own (see `cli`'s `COPIES`).
fn project(hand_written: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("examples/blog"), dir.path());
    let manifest = dir.path().join("migration/Cargo.toml");
    let n = COPIES.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let text = std::fs::read_to_string(&manifest).unwrap().replacen(
        "name = \"migration\"",
        &format!("name = \"migration_lint_{n}\""),
        1,
    );
    std::fs::write(&manifest, text).unwrap();
    if hand_written {
        let src = dir.path().join("migration/src");
        let mut lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
        for m in [
            "m20250102_000001_users_name_index",
            "m20250103_000001_users_id_bigint",
        ] {
            std::fs::copy(
                repo().join("fixtures/lint").join(format!("{m}.rs")),
                src.join(format!("{m}.rs")),
            )
            .unwrap();
            lib = lib
                .replacen(
                    "mod m20250101_000001_create_users;",
                    &format!("mod m20250101_000001_create_users;\nmod {m};"),
                    1,
                )
                .replacen(
                    "            // inject-above",
                    &format!("            Box::new({m}::Migration),\n            // inject-above"),
                    1,
                );
        }
        std::fs::write(src.join("lib.rs"), lib).unwrap();
    }
    dir
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl std::fmt::Debug for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {}\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

fn autogen(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_autogen"))
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target_dir())
        .env_remove("BLOG_DATABASE_URL")
        .env_remove("DATABASE_URL")
        .output()
        .expect("autogen runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The concurrent index counts as online and the type changes as rewrites; `--deny` exits 1
/// only for the kinds present; JSON carries the lock facts and, with a database URL, the counts
/// (names too long for `varchar(20)`) and the sizes of the locked tables in that database;
/// GitHub annotations point at the migration file's lines.
#[test]
fn lint_classifies_what_hand_written_migrations_execute() {
    let p = project(true);
    let r = autogen(
        p.path(),
        &[
            "lint",
            "--since",
            "m20250102_000001_users_name_index",
            "--deny",
            "rewrite",
        ],
    );
    assert_eq!(r.code, 1, "{r:?}");
    expect![[r#"
        base: m20250101_000001_create_users (applied, not linted)
        m20250102_000001_users_name_index
          CREATE INDEX CONCURRENTLY users_name_idx ON users (name)
            SHARE UPDATE EXCLUSIVE lock on public.users, scans the table (CONCURRENTLY: writes go on while the index is built) (blocks only DDL and VACUUM while it runs)
        m20250103_000001_users_id_bigint
          ALTER TABLE users ALTER COLUMN id TYPE bigint
            ACCESS EXCLUSIVE lock on public.users, rewrites the table (integer → bigint: not binary coercible) (blocks reads and writes while it runs)
            DENIED: rewrite
          ALTER TABLE users ALTER COLUMN name TYPE varchar(20)
            ACCESS EXCLUSIVE lock on public.users, rewrites the table (character varying → character varying(20): every value is checked against the new length); can lose data (blocks reads and writes while it runs)
            DENIED: rewrite
          ALTER TABLE "users" ADD COLUMN "score" integer NOT NULL DEFAULT 0
            ACCESS EXCLUSIVE lock on public.users (a non-volatile default is stored once in the catalog) (catalog only: brief)
        4 statement(s) in 2 migration(s): 2 rewrite(s), 0 scan(s) that block writes, 2 online or catalog-only, 1 data loss, 0 unclassified; 2 denied (--deny rewrite)
    "#]]
    .assert_eq(&r.stdout);

    // Only the type changes block writes: the concurrent index does not.
    let since = [
        "lint",
        "--since",
        "m20250102_000001_users_name_index",
        "--deny",
    ];
    let r = autogen(p.path(), &[&since[..], &["blocks-writes"]].concat());
    assert_eq!(r.code, 1, "{r:?}");
    assert!(
        r.stdout.contains("; 2 denied (--deny blocks-writes)"),
        "{r:?}"
    );
    // Nothing of this kind: exit 0.
    let r = autogen(p.path(), &[&since[..], &["unclassified"]].concat());
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stdout.contains("; 0 denied"), "{r:?}");

    // The default is the last migration only; the database at its base holds 5 users, 3 of
    // them with a name longer than 20 characters.
    let db = TestDb::new().unwrap();
    db.batch_execute(
        "CREATE TABLE users (id integer PRIMARY KEY, name varchar NOT NULL); \
         INSERT INTO users SELECT g, repeat('n', 18 + g) FROM generate_series(1, 5) g; ANALYZE users",
    )
    .unwrap();
    let r = autogen(
        p.path(),
        &[
            "lint",
            "--format",
            "json",
            "--deny",
            "access-exclusive,data-loss",
            "--database-url",
            db.url(),
        ],
    );
    assert_eq!(r.code, 1, "{r:?}");
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["base"], "m20250102_000001_users_name_index");
    assert_eq!(v["migrations"].as_array().unwrap().len(), 1);
    let s = &v["migrations"][0]["statements"];
    assert_eq!(s[0]["lock"], "access_exclusive");
    assert_eq!(s[0]["effect"], "rewrite");
    assert_eq!(s[0]["denied"], serde_json::json!(["access-exclusive"]));
    assert_eq!(
        s[0]["changes"][0],
        "change type of public.users.id from integer to bigint"
    );
    assert_eq!(s[1]["effect"], "rewrite");
    assert_eq!(s[1]["data_loss"], true);
    assert_eq!(
        s[1]["denied"],
        serde_json::json!(["access-exclusive", "data-loss"])
    );
    assert_eq!(s[2]["effect"], "none");
    assert_eq!(s[2]["denied"], serde_json::json!([]));
    let fact = &v["data"]["facts"][0];
    assert_eq!(fact["kind"], "values_not_fitting", "{r:?}");
    assert_eq!(fact["object"], "public.users.name", "{r:?}");
    assert_eq!(fact["count"], 3, "{r:?}");
    assert_eq!(fact["source"], "counted", "{r:?}");
    assert_eq!(
        v["migrations"][0]["statements"][1]["plan_changes"],
        serde_json::json!([1, 2])
    );
    assert_eq!(
        fact["change"], 1,
        "the fact is the second statement's change: {r:?}"
    );
    let sizes = &v["data"]["table_sizes"];
    assert_eq!(sizes[0]["table"], "public.users", "{r:?}");
    assert_eq!(sizes[0]["estimated_rows"], 5, "{r:?}");
    let r = autogen(p.path(), &["lint", "--database-url", db.url()]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stdout.contains(
            "data: change type of public.users.name from character varying to character varying(20): 3 value(s) of public.users.name do not fit the new type: the change fails"
        ),
        "{r:?}"
    );

    let r = autogen(
        p.path(),
        &["lint", "--format", "github", "--deny", "rewrite"],
    );
    assert_eq!(r.code, 1, "{r:?}");
    assert!(
        r.stdout.starts_with(
            "::error file=migration/src/m20250103_000001_users_id_bigint.rs,line=14,title=autogen lint::m20250103_000001_users_id_bigint: ALTER TABLE users ALTER COLUMN id TYPE bigint: ACCESS EXCLUSIVE lock"
        ),
        "{r:?}"
    );
    assert!(
        r.stdout.lines().nth(1).is_some_and(|l| l.starts_with(
            "::error file=migration/src/m20250103_000001_users_id_bigint.rs,line=18,"
        )),
        "{r:?}"
    );
    assert_eq!(r.stdout.lines().count(), 2, "{r:?}");

    let r = autogen(p.path(), &["lint", "--since", "m_nope"]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.stderr.contains("--since m_nope: no such migration")
            && r.stderr.contains("m20250103_000001_users_id_bigint"),
        "{r:?}"
    );
    let r = autogen(p.path(), &["lint", "--deny", "rewrites"]);
    assert_eq!(r.code, 2, "{r:?}");
}

/// `revision --deny` refuses a plain index build (it blocks writes) and writes nothing;
/// `--online` builds it CONCURRENTLY, which --deny accepts.
#[test]
fn revision_deny_refuses_unless_online_removes_the_hazard() {
    let p = project(false);
    let db = TestDb::new().unwrap();
    let up = Command::new(env!("CARGO"))
        .args(["run", "--quiet", "--manifest-path"])
        .arg(p.path().join("migration/Cargo.toml"))
        .args(["--", "-u", db.url(), "up"])
        .env("CARGO_TARGET_DIR", target_dir())
        .output()
        .unwrap();
    assert!(up.status.success(), "{up:?}");
    let users = p.path().join("entity/src/users.rs");
    let text = std::fs::read_to_string(&users).unwrap();
    std::fs::write(
        &users,
        text.replacen(
            "    pub name: String,",
            "    #[sea_orm(indexed)]\n    pub name: String,",
            1,
        ),
    )
    .unwrap();
    let files = |p: &Path| std::fs::read_dir(p.join("migration/src")).unwrap().count();
    let before = files(p.path());
    let lib = std::fs::read_to_string(p.path().join("migration/src/lib.rs")).unwrap();

    let url = db.url();
    let r = autogen(
        p.path(),
        &[
            "revision",
            "-m",
            "names",
            "--deny",
            "blocks-writes",
            "--database-url",
            url,
        ],
    );
    assert_eq!(r.code, 1, "{r:?}");
    assert!(
        r.stderr.contains("denied: add index")
            && r.stderr
                .contains("SHARE lock on public.users, scans the table")
            && r.stderr.contains("[blocks-writes]"),
        "{r:?}"
    );
    assert!(
        r.stdout
            .contains("nothing written; --online removes every denied step"),
        "{r:?}"
    );
    assert_eq!(files(p.path()), before);
    assert_eq!(
        std::fs::read_to_string(p.path().join("migration/src/lib.rs")).unwrap(),
        lib
    );

    let r = autogen(
        p.path(),
        &[
            "revision",
            "-m",
            "names",
            "--deny",
            "blocks-writes",
            "--online",
            "--database-url",
            url,
        ],
    );
    assert_eq!(r.code, 0, "{r:?}");
    assert!(files(p.path()) > before, "{r:?}");
}
