//! The pull-request report of the blog example (`examples/blog`), end to end: the real binary's
//! `diff --format markdown` on the example as shipped (its first migration applied, three users
//! in the table), then, with the blog's tables created, `check --format markdown` after an
//! entity edit that adds, drops and alters columns of a table holding rows.
//! `inspect --format mermaid|dot` of the same database. Snapshots in `fixtures/report/`.

use std::path::{Path, PathBuf};
use std::process::Command;

use autogen_pgtemp::TestDb;
use expect_test::expect_file;

use crate::support::copy_dir;

/// `autogen ARGS --database-url URL` in `dir`: exit code and stdout (stderr must be empty of
/// errors: it is shown on failure).
fn autogen(dir: &Path, db: &TestDb, args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_autogen"))
        .args(args)
        .args(["--database-url", db.url()])
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .env_remove("BLOG_DATABASE_URL")
        .output()
        .expect("autogen runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("error"), "{stderr}");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} has no {from:?}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn blog_example_report() {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo.join("examples/blog"), dir.path());
    let db = TestDb::new().expect("a test database");
    // What the example's first migration creates, and its row in seaql_migrations.
    db.batch_execute(
        "CREATE TABLE users (id serial PRIMARY KEY, email varchar NOT NULL UNIQUE,
                             name varchar NOT NULL,
                             created_at timestamptz NOT NULL DEFAULT CURRENT_TIMESTAMP);
         CREATE TABLE seaql_migrations (version varchar PRIMARY KEY, applied_at bigint NOT NULL);
         INSERT INTO seaql_migrations VALUES ('m20250101_000001_create_users', 0);
         INSERT INTO users (email, name) VALUES ('a@example.com', 'Ada'),
             ('b@example.com', 'Bob'), ('c@example.com', 'Cy');
         ANALYZE users;",
    )
    .unwrap();
    let (code, md) = autogen(dir.path(), &db, &["diff", "--format", "markdown"]);
    assert_eq!(code, 0);
    expect_file!["../fixtures/report/blog_diff.md"].assert_eq(&md);

    // Create the blog's tables as the plan says, then change the users entity.
    let (_, sql) = autogen(dir.path(), &db, &["diff", "--format", "sql"]);
    let up = &sql[..sql.find("-- down").expect("a down part")];
    crate::support::run_sql_script(db.url(), up).expect("the up SQL applies");
    let (code, _) = autogen(dir.path(), &db, &["check"]);
    assert_eq!(code, 0, "in sync after the up SQL");
    let users = dir.path().join("entity/src/users.rs");
    edit(
        &users,
        "    pub name: String,\n",
        "    pub name: Option<String>,\n    pub bio: Option<String>,\n",
    );
    edit(
        &users,
        "    #[sea_orm(default_expr = \"Expr::current_timestamp()\")]\n    pub created_at: DateTimeWithTimeZone,\n",
        "",
    );
    let (code, md) = autogen(dir.path(), &db, &["check", "--format", "markdown"]);
    assert_eq!(code, 1, "drift");
    expect_file!["../fixtures/report/blog_check.md"].assert_eq(&md);

    let (code, mermaid) = autogen(dir.path(), &db, &["inspect", "--format", "mermaid"]);
    assert_eq!(code, 0);
    expect_file!["../fixtures/report/blog_inspect.mmd"].assert_eq(&mermaid);
    let (code, dot) = autogen(
        dir.path(),
        &db,
        &["inspect", "--format", "dot", "--table", "comments"],
    );
    assert_eq!(code, 0);
    expect_file!["../fixtures/report/blog_inspect_comments.dot"].assert_eq(&dot);

    // --table narrows the text form too; a table that does not exist is an error naming it.
    let (code, text) = autogen(dir.path(), &db, &["inspect", "--table", "tags"]);
    assert_eq!(code, 0);
    assert!(
        text.contains("\"public.tags\"") && !text.contains("public.posts"),
        "{text}"
    );
    let out = Command::new(env!("CARGO_BIN_EXE_autogen"))
        .args(["inspect", "--format", "mermaid", "--table", "nope"])
        .args(["--database-url", db.url()])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--table nope: no such table (tables: public.comments,"),
        "{stderr}"
    );
}
