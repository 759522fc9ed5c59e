//! The real `autogen` binary on temp copies of `examples/blog`, each with its own database:
//! init, revision, check, diff, the head check, exit codes and error messages.
//!
//! The example's migration crate is compiled into one shared target dir
//! (`target/e2e-example`), so its dependencies are built once per machine and each copy only
//! recompiles the crate itself.

use std::path::PathBuf;
use std::process::{Command, Output};

use autogen_pgtemp::TestDb;

/// Cargo hashes a path package by its path relative to the workspace root, so every copy's
/// `migration` crate would share one fingerprint and one binary in the shared target dir (and a
/// copy could run another's stale binary). Each copy's package gets a name of its own.
static COPIES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// A temp copy of the example project and a fresh database for it.
struct Project {
    dir: tempfile::TempDir,
    db: TestDb,
}

/// What one run of the binary did.
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

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn example_target_dir() -> PathBuf {
    repo().join("target").join("e2e-example")
}

use crate::support::copy_dir;

fn run(cmd: &mut Command) -> Run {
    let Output {
        status,
        stdout,
        stderr,
    } = cmd.output().expect("the command runs");
    Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    }
}

impl Project {
    fn new() -> Project {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&repo().join("examples/blog"), dir.path());
        let n = COPIES.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let manifest = dir.path().join("migration/Cargo.toml");
        let text = std::fs::read_to_string(&manifest).unwrap();
        let renamed = text.replacen(
            "name = \"migration\"",
            &format!("name = \"migration_e2e_{n}\""),
            1,
        );
        std::fs::write(&manifest, renamed).unwrap();
        Project {
            dir,
            db: TestDb::new().expect("a test database"),
        }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap()
    }

    fn write(&self, rel: &str, text: &str) {
        std::fs::write(self.path(rel), text).unwrap()
    }

    /// Replaces `from` (which must occur) in a project file.
    fn edit(&self, rel: &str, from: &str, to: &str) {
        let text = self.read(rel);
        assert!(text.contains(from), "{rel} has no {from:?}");
        self.write(rel, &text.replacen(from, to, 1));
    }

    /// `autogen ARGS` in the project's root, no database configured unless ARGS say so.
    fn autogen_bare(&self, args: &[&str]) -> Run {
        run(Command::new(env!("CARGO_BIN_EXE_autogen"))
            .args(args)
            .current_dir(self.dir.path())
            .env("CARGO_TARGET_DIR", example_target_dir())
            .env_remove("BLOG_DATABASE_URL")
            .env_remove("DATABASE_URL")
            .env_remove("RUST_BACKTRACE"))
    }

    /// `autogen ARGS --database-url <this project's database>`.
    fn autogen(&self, args: &[&str]) -> Run {
        let mut all = args.to_vec();
        all.extend(["--database-url", self.db.url()]);
        self.autogen_bare(&all)
    }

    /// The migration crate's own `up`, as a user runs it.
    fn migrate_up(&self) {
        let r = run(Command::new(env!("CARGO"))
            .args(["run", "--quiet", "--manifest-path"])
            .arg(self.path("migration/Cargo.toml"))
            .args(["--", "-u", self.db.url(), "up"])
            .env("CARGO_TARGET_DIR", example_target_dir()));
        assert_eq!(r.code, 0, "migration up failed: {r:?}");
    }

    /// Files in the migration crate's src/.
    fn migration_files(&self) -> Vec<String> {
        let mut v: Vec<_> = std::fs::read_dir(self.path("migration/src"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }
}

#[track_caller]
fn assert_code(r: &Run, code: i32) {
    assert_eq!(r.code, code, "unexpected exit code: {r:?}");
}

#[track_caller]
fn assert_contains(haystack: &str, needle: &str, r: &Run) {
    assert!(
        haystack.contains(needle),
        "expected {needle:?} in the output: {r:?}"
    );
}

/// The whole user journey on the example: init, the head check, revision, up, check, an entity
/// change (column, index, enum value), revision, up, check; lib.rs keeps its comments.
#[test]
fn init_revision_up_check_round_trip() {
    let p = Project::new();
    std::fs::remove_file(p.path("autogen.toml")).unwrap();

    // A table no entity declares: init offers to exclude it.
    p.db.batch_execute("CREATE TABLE legacy_audit (id bigint, note text)")
        .unwrap();
    let r = p.autogen(&["init"]);
    assert_code(&r, 0);
    assert_contains(&r.stderr, "legacy_audit", &r);
    let offered = "exclude_tables = []\n# exclude_tables = [\"legacy_audit\"]";
    p.edit(
        "autogen.toml",
        offered,
        "exclude_tables = [\"legacy_audit\"]",
    );
    let config = p.read("autogen.toml");
    assert!(config.contains(r#"entities = ["entity/src"]"#), "{config}");
    assert!(config.contains(r#"migrations = "migration""#), "{config}");

    // The crate's first migration is not applied yet: refuse, naming it and what to run.
    let r = p.autogen(&["check"]);
    assert_code(&r, 2);
    assert_contains(&r.stderr, "m20250101_000001_create_users", &r);
    assert_contains(&r.stderr, "cargo run --manifest-path", &r);

    p.migrate_up();
    let lib_before = p.read("migration/src/lib.rs");
    let files_before = p.migration_files();

    // --sql prints the plan and writes nothing.
    let r = p.autogen(&["revision", "-m", "blog", "--sql"]);
    assert_code(&r, 0);
    assert_contains(&r.stdout, "posts", &r);
    assert_eq!(p.read("migration/src/lib.rs"), lib_before);
    assert_eq!(p.migration_files(), files_before);

    let r = p.autogen(&["check"]);
    assert_code(&r, 1);
    assert_contains(&r.stdout, "public.posts", &r);

    let r = p.autogen(&["revision", "-m", "create blog tables"]);
    assert_code(&r, 0);
    assert_contains(&r.stdout, "_create_blog_tables.rs", &r);
    assert_eq!(p.migration_files().len(), files_before.len() + 1);

    p.migrate_up();
    let r = p.autogen(&["check"]);
    assert_code(&r, 0);

    // Nothing to do: exit 1, nothing written.
    let files = p.migration_files();
    let r = p.autogen(&["revision", "-m", "nothing"]);
    assert_code(&r, 1);
    assert_contains(&r.stdout, "no changes", &r);
    assert_eq!(p.migration_files(), files);

    // Change the entities: a column, an index, an enum value.
    p.edit(
        "entity/src/posts.rs",
        "    pub published_at: Option<DateTimeWithTimeZone>,",
        "    pub published_at: Option<DateTimeWithTimeZone>,\n    pub summary: Option<String>,",
    );
    p.edit(
        "entity/src/posts.rs",
        "#[sea_orm(column_type = \"String(StringLen::N(200))\")]",
        "#[sea_orm(column_type = \"String(StringLen::N(200))\", indexed)]",
    );
    p.edit(
        "entity/src/sea_orm_active_enums.rs",
        "    Published,\n",
        "    Published,\n    #[sea_orm(string_value = \"archived\")]\n    Archived,\n",
    );
    let r = p.autogen(&["check"]);
    assert_code(&r, 1);
    for needle in ["summary", "idx-posts-title", "archived"] {
        assert_contains(&r.stdout, needle, &r);
    }
    let r = p.autogen(&["check", "--format", "json"]);
    assert_code(&r, 1);
    let json: serde_json::Value =
        serde_json::from_str(&r.stdout).expect("check --format json prints JSON");
    assert_eq!(json["in_sync"], false);
    let r = p.autogen(&["check", "--format", "github"]);
    assert_code(&r, 1);
    assert_contains(&r.stdout, "::warning file=entity/src/posts.rs,line=", &r);

    let r = p.autogen(&["revision", "-m", "post summary"]);
    assert_code(&r, 0);
    p.migrate_up();
    let r = p.autogen(&["check"]);
    assert_code(&r, 0);

    // A destructive change is flagged in check and in revision's summary.
    p.edit(
        "entity/src/posts.rs",
        "    pub published_at: Option<DateTimeWithTimeZone>,\n",
        "",
    );
    let r = p.autogen(&["check"]);
    assert_code(&r, 1);
    assert_contains(&r.stdout, "WARNING destructive: column published_at", &r);
    let r = p.autogen(&["revision", "-m", "drop published_at"]);
    assert_code(&r, 0);
    assert_contains(&r.stdout, "WARNING destructive: drop column", &r);
    p.migrate_up();
    let r = p.autogen(&["check"]);
    assert_code(&r, 0);

    // inspect shows the database in psql's \d form and as JSON.
    let r = p.autogen(&["inspect"]);
    assert_code(&r, 0);
    assert_contains(&r.stdout, "Table \"public.posts\"", &r);
    assert_contains(&r.stdout, " summary ", &r);
    let r = p.autogen(&["inspect", "--format", "json"]);
    assert_code(&r, 0);
    let json: serde_json::Value =
        serde_json::from_str(&r.stdout).expect("inspect --format json prints JSON");
    assert!(
        json["tables"].as_array().is_some_and(|t| t.len() == 5),
        "{r:?}"
    );

    let lib = p.read("migration/src/lib.rs");
    assert!(
        lib.contains("// inject-above (new migrations go above this line)"),
        "{lib}"
    );
    assert!(
        lib.contains("// The first migration was written by hand."),
        "{lib}"
    );
    let inject = lib.find("// inject-above").unwrap();
    let last = lib
        .find("_post_summary::Migration")
        .expect("the new migration is registered");
    assert!(last < inject, "new entries go above the marker:\n{lib}");
}

/// With no database configured, an ephemeral cluster gets the crate's migrations and is
/// compared with; the README's example command relies on this.
#[test]
fn zero_config_uses_an_ephemeral_cluster() {
    let p = Project::new();
    let r = p.autogen_bare(&["check"]);
    assert_code(&r, 1);
    assert_contains(&r.stderr, "ephemeral", &r);
    assert_contains(&r.stdout, "public.posts", &r);

    let r = p.autogen_bare(&["revision", "-m", "blog"]);
    assert_code(&r, 0);
    let r = p.autogen_bare(&["check"]);
    assert_code(&r, 0);
}

/// Versions applied in the database that the crate does not register: exit 2, listed.
#[test]
fn unknown_applied_version_is_not_at_head() {
    let p = Project::new();
    p.db.batch_execute(
        "CREATE TABLE seaql_migrations (version varchar PRIMARY KEY, applied_at bigint NOT NULL);
         INSERT INTO seaql_migrations VALUES ('m20250101_000001_create_users', 0),
                                             ('m20990101_000000_from_another_branch', 0);",
    )
    .unwrap();
    let r = p.autogen(&["check"]);
    assert_code(&r, 2);
    assert_contains(&r.stderr, "m20990101_000000_from_another_branch", &r);
    assert_contains(&r.stderr, "not at head", &r);
}

/// `--empty` writes a blank, registered migration without a database.
/// `--online`: a plan mixing a transactional step (a column) with a concurrent one (an index)
/// is written as two migrations, the index one without a transaction; both apply and the
/// database is then in sync.
#[test]
fn online_revision_splits_transactional_and_concurrent_steps() {
    let p = Project::new();
    p.migrate_up();
    let r = p.autogen(&["revision", "-m", "create blog tables"]);
    assert_code(&r, 0);
    p.migrate_up();
    p.edit(
        "entity/src/posts.rs",
        "    pub published_at: Option<DateTimeWithTimeZone>,",
        "    pub published_at: Option<DateTimeWithTimeZone>,\n    pub summary: Option<String>,",
    );
    p.edit(
        "entity/src/posts.rs",
        "#[sea_orm(column_type = \"String(StringLen::N(200))\")]",
        "#[sea_orm(column_type = \"String(StringLen::N(200))\", indexed)]",
    );
    let r = p.autogen(&["diff", "--format", "sql", "--online"]);
    assert_code(&r, 0);
    assert_contains(&r.stdout, "CREATE INDEX CONCURRENTLY", &r);
    assert_contains(&r.stdout, "SET lock_timeout = '5s'", &r);
    let r = p.autogen(&["diff", "--online"]);
    assert_contains(&r.stdout, "SHARE UPDATE EXCLUSIVE lock on public.posts", &r);

    let files = p.migration_files();
    let r = p.autogen(&["revision", "-m", "summary online", "--online"]);
    assert_code(&r, 0);
    assert_contains(&r.stdout, "_summary_online_part_1_of_2.rs", &r);
    assert_contains(&r.stdout, "_summary_online_part_2_of_2.rs", &r);
    let new: Vec<String> = p
        .migration_files()
        .into_iter()
        .filter(|f| !files.contains(f))
        .collect();
    assert_eq!(new.len(), 2, "{new:?}");
    let first = p.read(&format!("migration/src/{}", new[0]));
    let second = p.read(&format!("migration/src/{}", new[1]));
    assert!(
        first.contains("add column") && !first.contains("use_transaction"),
        "{first}"
    );
    assert!(
        second.contains(".concurrently()") && second.contains("Some(false)"),
        "{second}"
    );
    p.migrate_up();
    let r = p.autogen(&["check"]);
    assert_code(&r, 0);
}

#[test]
fn empty_revision_needs_no_database() {
    let p = Project::new();
    let r = p.autogen_bare(&["revision", "-m", "Backfill data!", "--empty"]);
    assert_code(&r, 0);
    let files = p.migration_files();
    let new = files
        .iter()
        .find(|f| f.ends_with("_backfill_data.rs"))
        .expect("a new migration file");
    let module = new.trim_end_matches(".rs");
    let lib = p.read("migration/src/lib.rs");
    assert!(
        lib.contains(&format!("mod {module};"))
            && lib.contains(&format!("Box::new({module}::Migration)")),
        "{lib}"
    );
    assert!(!r.stderr.contains("ephemeral"), "no database needed: {r:?}");
}

/// An unreachable database: exit 2, one line naming the host, password redacted.
#[test]
fn unreachable_database_names_host_and_hides_password() {
    let p = Project::new();
    let r = p.autogen_bare(&[
        "check",
        "--database-url",
        "postgres://bob:s3cret-pw@127.0.0.1:1/blog",
    ]);
    assert_code(&r, 2);
    assert_contains(&r.stderr, "127.0.0.1", &r);
    assert!(!r.stderr.contains("s3cret-pw"), "password leaked: {r:?}");
    assert!(
        !r.stderr.contains("panicked") && !r.stderr.contains("backtrace"),
        "{r:?}"
    );
}

/// A syntax error in an entity file: exit 2 with file:line, before any database work.
#[test]
fn malformed_entity_file_names_file_and_line() {
    let p = Project::new();
    p.edit(
        "entity/src/tags.rs",
        "pub name: String,",
        "pub name: String,,, ][",
    );
    let r = p.autogen(&["check"]);
    assert_code(&r, 2);
    assert_contains(&r.stderr, "tags.rs:", &r);
    let line = r.stderr.split("tags.rs:").nth(1).unwrap_or("");
    assert!(
        line.chars().next().is_some_and(|c| c.is_ascii_digit()),
        "no line number: {r:?}"
    );
}

/// A malformed autogen.toml: exit 2 naming the file, line and column.
#[test]
fn malformed_config_names_file_and_line() {
    let p = Project::new();
    p.write(
        "autogen.toml",
        "entities = [\"entity/src\"]\nmigrations = \n",
    );
    let r = p.autogen(&["check"]);
    assert_code(&r, 2);
    assert_contains(&r.stderr, "autogen.toml:2:", &r);
}

/// Usage errors exit 2 too (clap's own message).
#[test]
fn usage_error_exits_2() {
    let p = Project::new();
    let r = p.autogen_bare(&["revision"]);
    assert_code(&r, 2);
    assert_contains(&r.stderr, "--message", &r);
    let r = p.autogen_bare(&["check", "--format", "yaml"]);
    assert_code(&r, 2);
}

/// With no autogen.toml, `check` finds the entity and migration crates as `init` does, says so,
/// and compares (the example has drift: exit 1, not 2).
#[test]
fn no_config_finds_the_crates() {
    let p = Project::new();
    std::fs::remove_file(p.path("autogen.toml")).unwrap();
    p.migrate_up();
    let r = p.autogen(&["check"]);
    assert_code(&r, 1);
    assert_contains(
        &r.stderr,
        "no autogen.toml; comparing the entities found in entity/src",
        &r,
    );
    assert_contains(&r.stderr, "using the migration crate migration", &r);
    assert_contains(&r.stdout, "public.posts", &r);
}

/// A reader that goes away (`autogen inspect | head -1`) ends the output quietly: no panic
/// message, the command's own exit code.
#[test]
fn closed_stdout_ends_quietly() {
    let repo = repo();
    let mut child = Command::new(env!("CARGO_BIN_EXE_autogen"))
        .args(["inspect", "--entities"])
        .arg(repo.join("examples/blog/entity/src"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "stderr: {stderr}");
    assert!(!stderr.contains("error"), "stderr: {stderr}");
}

/// `fixtures/workspace_types`: every field type is defined outside the entity directory (another
/// module of the crate, a workspace member, a renamed path dependency standing in for a registry
/// crate). With no autogen.toml and no `[types]`, inspect and check resolve them all, say
/// nothing on stderr, and leave no `Cargo.lock` behind.
#[test]
fn types_from_other_crates_resolve_with_no_configuration() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("fixtures/workspace_types"), dir.path());
    let db = TestDb::new().expect("a test database");
    db.batch_execute(
        "CREATE TYPE doc_kind AS ENUM ('note', 'report');
         CREATE TYPE status AS ENUM ('draft', 'published');
         CREATE TABLE document (
             id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
             kind doc_kind NOT NULL,
             status status NOT NULL,
             owner uuid NOT NULL,
             category smallint NOT NULL,
             size bigint
         );",
    )
    .unwrap();
    let autogen = |args: &[&str]| {
        run(Command::new(env!("CARGO_BIN_EXE_autogen"))
            .args(args)
            .args(["--entities", "entity/src/entities"])
            .current_dir(dir.path())
            .env_remove("DATABASE_URL")
            .env_remove("RUST_BACKTRACE"))
    };
    let r = autogen(&["inspect"]);
    assert_code(&r, 0);
    assert_eq!(r.stderr, "", "{r:?}");
    for line in [
        " kind     | public.doc_kind ",
        " status   | public.status   ",
        " owner    | uuid            ",
        " category | smallint        ",
        " size     | bigint          ",
    ] {
        assert_contains(&r.stdout, line, &r);
    }
    let r = autogen(&["check", "--database-url", db.url()]);
    assert_code(&r, 0);
    assert_eq!(r.stderr, "", "{r:?}");
    assert!(!dir.path().join("Cargo.lock").exists());
}
