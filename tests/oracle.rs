//! The SeaORM parity oracle (issue 3, item 7): for each fixture entity set under
//! `fixtures/entities/<set>/`, SeaORM 2.0.4 itself (`fixtures/harness/oracle`, which runs
//! `Schema::builder().register(..).apply(&db)`) creates the schema in a fresh database; the
//! database is introspected; the entity loader reads the same files; and the two models must
//! show **zero difference**.
//!
//! The SQL SeaORM executed is kept as a snapshot (`tests/oracle/sql/<set>.sql`, updated with
//! `UPDATE_EXPECT=1`), so a change in what SeaORM emits shows up in review as a diff.
//!
//! The comparison is strict ([`compare`]): names, identity and constraint-vs-index included.
//! The only things taken out of the desired model are the named [`exceptions`] (SeaORM declares
//! them but emits nothing on Postgres). What SeaORM actually creates for the tricky cases is
//! written down in `fixtures/entities/README.md`.
//!
//! The harness is a separate cargo workspace (it compiles sqlx); it is built once per test run,
//! into `fixtures/harness/target`. `ORACLE_DUMP=1` prints both models of every set checked.

mod compare;
mod exceptions;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use autogen_pgtemp::TestDb;
use autogen_schema::Schema;

/// A fixture set, the Postgres schemas its entities live in, and the tables SeaORM must create
/// (`schema.table`, sorted) — so that two empty models can never pass as equal.
struct OracleSet {
    name: &'static str,
    schemas: &'static [&'static str],
    tables: &'static [&'static str],
}

const SETS: &[OracleSet] = &[
    OracleSet {
        name: "blog",
        schemas: &["public"],
        tables: &[
            "public.comments",
            "public.post_tags",
            "public.posts",
            "public.profiles",
            "public.tags",
            "public.users",
        ],
    },
    OracleSet {
        name: "all_types",
        schemas: &["public"],
        tables: &[
            "public.a_table_with_a_deliberately_long_name_for_truncation",
            "public.camel_rows",
            "public.nullables",
            "public.products",
            "public.scalars",
            "public.small_keys",
            "public.value_types",
        ],
    },
    OracleSet {
        name: "enums_keys",
        schemas: &["public", "other"],
        tables: &[
            "other.audit_entries",
            "other.audit_notes",
            "public.categories",
            "public.order_lines",
            "public.orders",
        ],
    },
];

#[test]
fn blog_matches_seaorm() {
    check_set(set("blog"));
}

#[test]
fn all_types_matches_seaorm() {
    check_set(set("all_types"));
}

#[test]
fn enums_keys_matches_seaorm() {
    check_set(set("enums_keys"));
}

/// The harness binary and this file list the same sets, so no set goes untested.
#[test]
fn every_harness_set_is_tested() {
    let out = Command::new(oracle_binary())
        .arg("--list")
        .output()
        .expect("run oracle --list");
    assert!(
        out.status.success(),
        "oracle --list failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listed: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect();
    let tested: Vec<String> = SETS.iter().map(|s| s.name.to_string()).collect();
    assert_eq!(listed, tested);
}

/// Every named exception strips something from at least one fixture set. An exception nothing
/// exercises proves nothing: no test would show that SeaORM still emits nothing for it (when it
/// does strip something and SeaORM starts emitting it, the set's test reports the difference).
#[test]
fn every_exception_is_exercised() {
    let mut used = vec![false; exceptions::EXCEPTIONS.len()];
    for set in SETS {
        let mut desired = load_set(set);
        for (i, (_, stripped)) in exceptions::apply_all(&mut desired).iter().enumerate() {
            used[i] |= !stripped.is_empty();
        }
    }
    let unused: Vec<&str> = exceptions::EXCEPTIONS
        .iter()
        .zip(&used)
        .filter(|(_, u)| !**u)
        .map(|(e, _)| e.name)
        .collect();
    assert!(
        unused.is_empty(),
        "exceptions no fixture set exercises: {unused:?}"
    );
}

fn set(name: &str) -> &'static OracleSet {
    SETS.iter()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no oracle set `{name}`"))
}

fn check_set(set: &OracleSet) {
    let db = TestDb::new().unwrap_or_else(|e| panic!("temp database for `{}`: {e}", set.name));
    let sql = run_oracle(set, db.url());
    let snapshot = repo_root()
        .join("tests/oracle/sql")
        .join(format!("{}.sql", set.name));
    expect_test::expect_file![snapshot].assert_eq(&sql);
    let mut current = introspect(set, db.url());
    let mut created: Vec<String> = current
        .tables
        .iter()
        .map(|t| t.qualified_name().to_string())
        .collect();
    created.sort();
    assert_eq!(
        created, set.tables,
        "tables SeaORM created for `{}`",
        set.name
    );
    let mut desired = load_set(set);
    let stripped = exceptions::apply_all(&mut desired);
    desired.normalize();
    current.normalize();
    if std::env::var_os("ORACLE_DUMP").is_some() {
        eprintln!(
            "== {} desired\n{desired:#?}\n== {} current\n{current:#?}",
            set.name, set.name
        );
    }
    let diffs = compare::differences(&desired, &current);
    let plan_changes = strict_plan(set, &desired, &current);
    if diffs.is_empty() && plan_changes.is_empty() {
        return;
    }
    let mut report = format!(
        "fixture set `{}`: the entity loader and SeaORM 2.0.4 disagree\n\n\
         {} structural difference(s) (desired = loader, current = what SeaORM created):\n",
        set.name,
        diffs.len()
    );
    for d in &diffs {
        report.push_str(&format!("  - {d}\n"));
    }
    if !plan_changes.is_empty() {
        report.push_str(&format!(
            "\nthe strict differ plans {} change(s):\n",
            plan_changes.len()
        ));
        for c in &plan_changes {
            report.push_str(&format!("  - {c}\n"));
        }
    }
    report.push_str("\nnamed exceptions stripped from the desired model:\n");
    for (exception, what) in exceptions::EXCEPTIONS.iter().zip(&stripped) {
        report.push_str(&format!(
            "  {} ({}): {:?}\n",
            exception.name, exception.why, what.1
        ));
    }
    report.push_str(&format!("\nSQL SeaORM executed:\n{sql}"));
    panic!("{report}");
}

/// The differ in its strictest mode over the set's schemas; the `Debug` of every planned change.
fn strict_plan(set: &OracleSet, desired: &Schema, current: &Schema) -> Vec<String> {
    let options = autogen_diff::DiffOptions {
        strict_names: true,
        strict_defaults: true,
        strict_identity: true,
        strict_fk_actions: true,
        schemas: set.schemas.iter().map(|s| s.to_string()).collect(),
        ..autogen_diff::DiffOptions::default()
    };
    autogen_diff::diff(desired, current, &options)
        .changes
        .iter()
        .map(|c| format!("{c:?}"))
        .collect()
}

fn entities_dir(set: &OracleSet) -> PathBuf {
    repo_root().join("fixtures/entities").join(set.name)
}

fn load_set(set: &OracleSet) -> Schema {
    let dir = entities_dir(set);
    let loaded = autogen_entity::load(
        std::slice::from_ref(&dir),
        &autogen_entity::LoadOptions::default(),
    );
    let errors: Vec<String> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity == autogen_entity::Severity::Error)
        .map(|d| d.to_string())
        .collect();
    assert!(
        errors.is_empty(),
        "loading {} reported errors:\n  {}",
        dir.display(),
        errors.join("\n  ")
    );
    for d in loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity != autogen_entity::Severity::Error)
    {
        eprintln!("{d}");
    }
    loaded.schema
}

fn introspect(set: &OracleSet, url: &str) -> Schema {
    let options = autogen_introspect::Options {
        schemas: set.schemas.iter().map(|s| s.to_string()).collect(),
        ..autogen_introspect::Options::default()
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime
        .block_on(autogen_introspect::introspect(url, &options))
        .unwrap_or_else(|e| panic!("introspecting `{}`: {e}", set.name))
}

/// Runs `oracle <set> <url>`; returns the SQL it printed.
fn run_oracle(set: &OracleSet, url: &str) -> String {
    let out = Command::new(oracle_binary())
        .args([set.name, url])
        .output()
        .unwrap_or_else(|e| panic!("running the oracle binary: {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "SeaORM could not apply fixture set `{}` ({}):\n{}\nstatements:\n{stdout}",
        set.name,
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Builds `fixtures/harness`'s `oracle` binary once per test process; its path.
fn oracle_binary() -> &'static Path {
    static BINARY: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    let built = BINARY.get_or_init(|| {
        let harness = repo_root().join("fixtures/harness");
        let target = harness.join("target");
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
        let out = Command::new(cargo)
            .arg("build")
            .arg("--manifest-path")
            .arg(harness.join("Cargo.toml"))
            .args(["-p", "oracle", "--target-dir"])
            .arg(&target)
            .output()
            .map_err(|e| format!("running cargo: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "building the SeaORM oracle harness failed:\n{}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        Ok(target
            .join("debug")
            .join(format!("oracle{}", std::env::consts::EXE_SUFFIX)))
    });
    match built {
        Ok(path) => path,
        Err(e) => panic!("{e}"),
    }
}
