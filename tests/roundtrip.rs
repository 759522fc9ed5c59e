//! Round trips (issue 4, item 5): each `fixtures/roundtrip/<case>/` holds `before.sql` (the
//! database), `entities/` (the desired schema) with an optional `extras.sql` beside it (the
//! extras SQL file), an optional `options.json` (a `DiffOptions`, e.g.
//! strict names or renames) and checked-in `expected/{migration.rs,up.sql,down.sql}`.
//!
//! For every case: load `before.sql` into a fresh database → introspect → load the entities →
//! diff → render → compare with `expected/` (rewritten with `UPDATE_EXPECT=1`, never by hand).
//! Then, with every case's migration compiled once into `fixtures/harness/roundtrip` (its
//! `src/cases.rs` is written here; an optional `codegen.json` `{"online": {"lock_timeout": "5s",
//! "statement_timeout": null}}` renders the online-safe plan): in a fresh database with `before.sql`, run `up` → the differ
//! must find nothing left to do → run `down` → the introspected model and `pg_dump
//! --schema-only` must equal the before state. The statements the compiled migration sends in
//! `up()` and `down()` (captured by the harness from sea-orm's own statement log) must be, one by
//! one, the statements the SQL preview prints (whitespace aside). The SQL previews get the same
//! round trip through `psql -f` (the whole file, as a user runs it): `up.sql` must give the same
//! dump as the migration's `up`, and `down.sql` the before dump.
//!
//! Every case also has a twin (issue 11): the same plan in the other mode, the online-safe plan
//! (`Online::default()`, cut by `autogen_codegen::split` into several migrations where it mixes
//! CONCURRENTLY or VALIDATE steps with transactional ones) for a transactional case, the transactional plan
//! for an online case. Its migrations are written, not checked in, to
//! `fixtures/harness/roundtrip/src/twin/` and compiled into the same harness binary. On the
//! database the case's down() restored, the twin's up() (its parts in order) must send the
//! statements its SQL previews print and leave the same `pg_dump` as the case's own migration;
//! its down() (the parts in reverse) must restore the before model and dump.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use autogen_diff::{DiffOptions, Plan};
use autogen_pgtemp::TestDb;
use autogen_schema::Schema;

use crate::support;

/// One `#[test]` per case directory (`every_case_directory_has_a_test` keeps the list honest).
macro_rules! cases {
    ($($name:ident),* $(,)?) => {
        const CASE_NAMES: &[&str] = &[$(stringify!($name)),*];
        $(
            #[test]
            fn $name() {
                check_case(stringify!($name));
            }
        )*
    };
}

cases! {
    add_column_keeps_unmanaged_indexes,
    add_enum_value,
    add_primary_key,
    belongs_to_fk_missing,
    check_from_extra,
    collation_kept,
    comments,
    composite_keys_self_reference,
    composite_unique,
    constraints_left_alone,
    db_default_kept,
    default_change,
    drop_column,
    drop_managed_index,
    drop_not_null,
    drop_rich_table,
    drop_table,
    drop_table_repeated_keys,
    drop_table_without_columns,
    empty_enum,
    empty_to_blog,
    enum_label_in_the_way,
    enum_label_moved_in_the_way,
    enum_other_schema,
    enum_value_used_same_migration,
    extras_add,
    extras_change,
    extras_change_online,
    extras_remove,
    fk_action_change,
    fk_action_unstated_kept,
    fk_both_sides_retyped,
    fk_cycle,
    fk_name_strict,
    hostile_comments,
    identity_always_to_by_default,
    identity_change,
    index_name_only,
    index_name_only_strict,
    new_objects_with_comments,
    new_schema_billing,
    new_table_in_other_schema,
    online_add_fk,
    online_add_index,
    online_add_unique,
    online_set_not_null,
    quote_in_names,
    quoted_names,
    rename_column_renamed_from,
    rename_table_option,
    serial_to_identity_strict,
    set_not_null,
    strict_default_dropped,
    type_change_using,
    unique_column,
    varchar_widen,
}

#[test]
fn every_case_directory_has_a_test() {
    let dirs: Vec<String> = case_dirs().iter().map(|(name, _)| name.clone()).collect();
    let mut listed: Vec<String> = CASE_NAMES.iter().map(|s| s.to_string()).collect();
    listed.sort();
    assert_eq!(
        dirs, listed,
        "fixtures/roundtrip/ directories vs the cases! list"
    );
}

/// What rendering one case produced, for the round trip.
struct Rendered {
    desired: Schema,
    options: DiffOptions,
    schemas: Vec<String>,
    up_sql: String,
    down_sql: String,
    /// What the preview prints, statement by statement, per direction.
    up_statements: Vec<String>,
    down_statements: Vec<String>,
    twin: Twin,
}

/// The case's plan in the other mode (see the module doc), as migrations for the harness.
struct Twin {
    /// Each part's migration file, in order.
    parts: Vec<String>,
    /// The statements the parts' SQL previews print: up() in part order, down() in reverse.
    up_statements: Vec<String>,
    down_statements: Vec<String>,
}

/// Rendering results for every case, and the harness binary built from them.
struct Prepared {
    cases: BTreeMap<String, Result<Rendered, String>>,
    harness: Result<PathBuf, String>,
}

fn check_case(name: &str) {
    let prepared = prepared();
    let rendered = match prepared.cases.get(name) {
        Some(Ok(r)) => r,
        Some(Err(report)) => panic!("case `{name}`:\n{report}"),
        None => panic!("case `{name}`: no directory fixtures/roundtrip/{name}"),
    };
    let harness = match &prepared.harness {
        Ok(path) => path,
        Err(e) => panic!("{e}"),
    };
    if let Err(report) = round_trip(name, rendered, harness) {
        panic!("case `{name}`:\n{report}");
    }
}

fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn cases_root() -> PathBuf {
    repo_root().join("fixtures/roundtrip")
}

/// `(name, dir)` of every case directory (one with a `before.sql`), sorted by name.
fn case_dirs() -> Vec<(String, PathBuf)> {
    let mut v: Vec<(String, PathBuf)> = std::fs::read_dir(cases_root())
        .expect("read fixtures/roundtrip")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.join("before.sql").is_file())
        .map(|p| {
            (
                p.file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned(),
                p,
            )
        })
        .collect();
    v.sort();
    v
}

fn update_expect() -> bool {
    std::env::var_os("UPDATE_EXPECT").is_some()
}

/// Renders every case (phase one), writes the harness's case list and builds it, once per test
/// process.
fn prepared() -> &'static Prepared {
    static PREPARED: OnceLock<Prepared> = OnceLock::new();
    PREPARED.get_or_init(|| {
        let mut cases = BTreeMap::new();
        for (name, dir) in case_dirs() {
            cases.insert(name.clone(), render_case(&name, &dir));
        }
        let harness = write_case_list()
            .and_then(|()| write_twins(&cases))
            .and_then(|()| build_harness());
        Prepared { cases, harness }
    })
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("reading {}: {e}", path.display()))
}

fn case_options(dir: &Path) -> Result<(DiffOptions, Vec<String>), String> {
    let path = dir.join("options.json");
    let options: DiffOptions = if path.exists() {
        serde_json::from_str(&read(&path)?).map_err(|e| format!("{}: {e}", path.display()))?
    } else {
        DiffOptions::default()
    };
    let schemas = if options.schemas.is_empty() {
        vec!["public".to_string()]
    } else {
        options.schemas.clone()
    };
    Ok((options, schemas))
}

/// The entities' schema with CHECKs and defaults reconciled by Postgres's analysis, as `check`
/// does.
fn analyzed(mut desired: Schema, current: &Schema, url: &str) -> Result<Schema, String> {
    let probes = autogen_schema::analysis::probes(&desired, current);
    let answers = runtime()
        .block_on(autogen_introspect::analyze(url, &probes))
        .map_err(|e| e.to_string())?;
    autogen_schema::analysis::reconcile(&mut desired, current, &answers);
    Ok(desired)
}

/// The case's `codegen.json`: `{"online": {"lock_timeout": …, "statement_timeout": …}}` asks
/// for the online-safe plan; no file: the ordinary plan.
fn case_online(dir: &Path) -> Result<Option<autogen_codegen::Online>, String> {
    let path = dir.join("codegen.json");
    if !path.exists() {
        return Ok(None);
    }
    let v: serde_json::Value =
        serde_json::from_str(&read(&path)?).map_err(|e| format!("{}: {e}", path.display()))?;
    let Some(online) = v.get("online") else {
        return Ok(None);
    };
    let setting = |key: &str| online.get(key).and_then(|t| t.as_str()).map(str::to_string);
    Ok(Some(autogen_codegen::Online {
        lock_timeout: setting("lock_timeout"),
        statement_timeout: setting("statement_timeout"),
    }))
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}

fn introspect(url: &str, schemas: &[String]) -> Result<Schema, String> {
    let options = autogen_introspect::Options {
        schemas: schemas.to_vec(),
        // A schema the entities name may be missing before `up()` and after `down()`.
        optional_schemas: schemas.to_vec(),
        ..autogen_introspect::Options::default()
    };
    let mut schema = runtime()
        .block_on(autogen_introspect::introspect(url, &options))
        .map_err(|e| format!("introspecting: {e}"))?;
    schema.normalize();
    Ok(schema)
}

fn load_entities(dir: &Path) -> Result<Schema, String> {
    let root = dir.join("entities");
    let loaded = autogen_entity::load(
        std::slice::from_ref(&root),
        &autogen_entity::LoadOptions::default(),
    );
    let errors: Vec<String> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity == autogen_entity::Severity::Error)
        .map(|d| d.to_string())
        .collect();
    if !errors.is_empty() {
        return Err(format!(
            "loading {} reported errors:\n  {}",
            root.display(),
            errors.join("\n  ")
        ));
    }
    let mut schema = loaded.schema;
    // The extras SQL file beside the entities, as `extras = ["extras.sql"]` would declare it.
    let extras = dir.join("extras.sql");
    if extras.exists() {
        let text = read(&extras)?;
        let declared = autogen_extras::parse("extras.sql", &text, "public")
            .and_then(|d| autogen_extras::apply(&mut schema, &d))
            .map_err(|errors| {
                let lines: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
                format!("{}:\n  {}", extras.display(), lines.join("\n  "))
            });
        declared?;
    }
    schema.normalize();
    Ok(schema)
}

/// A fresh database holding `before.sql`.
fn database_with(dir: &Path) -> Result<TestDb, String> {
    let db = TestDb::new().map_err(|e| format!("temp database: {e}"))?;
    db.batch_execute(&read(&dir.join("before.sql"))?)
        .map_err(|e| format!("loading before.sql: {e}"))?;
    Ok(db)
}

/// Phase one: before.sql → introspect, entities → diff → render → compare with `expected/`.
fn render_case(name: &str, dir: &Path) -> Result<Rendered, String> {
    let (options, schemas) = case_options(dir)?;
    let db = database_with(dir)?;
    let current = introspect(db.url(), &schemas)?;
    let desired = analyzed(load_entities(dir)?, &current, db.url())?;
    let plan = autogen_diff::diff(&desired, &current, &options);
    let online = case_online(dir)?;
    let online = online.as_ref();
    let migration = autogen_codegen::migration_rs(
        &plan,
        &autogen_codegen::MigrationOptions {
            message: format!("round-trip case {name}"),
            generated_at: String::new(),
            current: current.clone(),
            online: online.cloned(),
        },
    );
    let up_sql = autogen_codegen::sql_with(&plan, online);
    let down_sql = autogen_codegen::sql_with(&plan.inverse(), online);
    let expected = dir.join("expected");
    let mut mismatches = Vec::new();
    for (file, text) in [
        ("migration.rs", &migration.source),
        ("up.sql", &up_sql),
        ("down.sql", &down_sql),
    ] {
        if let Some(m) = compare_or_update(&expected.join(file), text)? {
            mismatches.push(m);
        }
    }
    if !mismatches.is_empty() {
        return Err(format!(
            "generated output differs from fixtures/roundtrip/{name}/expected/ \
             (rerun with UPDATE_EXPECT=1 if the change is intended):\n{}\n{}",
            mismatches.join("\n"),
            plan_summary(&plan)
        ));
    }
    Ok(Rendered {
        desired,
        options,
        schemas,
        up_sql,
        down_sql,
        up_statements: autogen_codegen::statements_with(&plan, online),
        down_statements: autogen_codegen::statements_with(&plan.inverse(), online),
        twin: twin(name, &plan, &current, online),
    })
}

/// The plan in the other mode: online (default settings, split into parts) when the case is
/// transactional, transactional when it is online.
fn twin(
    name: &str,
    plan: &Plan,
    current: &Schema,
    online: Option<&autogen_codegen::Online>,
) -> Twin {
    let online = match online {
        Some(_) => None,
        None => Some(autogen_codegen::Online::default()),
    };
    let parts = autogen_codegen::split(plan, online.as_ref());
    let mut model = current.clone();
    let mut twin = Twin {
        parts: Vec::new(),
        up_statements: Vec::new(),
        down_statements: Vec::new(),
    };
    let n = parts.len();
    for (i, part) in parts.iter().enumerate() {
        let migration = autogen_codegen::migration_rs(
            part,
            &autogen_codegen::MigrationOptions {
                message: format!("round-trip case {name}, twin part {} of {n}", i + 1),
                generated_at: String::new(),
                current: model.clone(),
                online: online.clone(),
            },
        );
        twin.parts.push(migration.source);
        twin.up_statements
            .extend(autogen_codegen::statements_with(part, online.as_ref()));
        for c in &part.changes {
            let _ = autogen_diff::apply(&mut model, c);
        }
    }
    for part in parts.iter().rev() {
        twin.down_statements
            .extend(autogen_codegen::statements_with(
                &part.inverse(),
                online.as_ref(),
            ));
    }
    twin
}

fn plan_summary(plan: &Plan) -> String {
    let mut s = format!("plan ({} changes):\n", plan.changes.len());
    for c in &plan.changes {
        s.push_str(&format!("  - {}\n", c.describe()));
    }
    for n in &plan.notes {
        s.push_str(&format!("  note: {} {}\n", n.object, n.message));
    }
    s
}

/// `None` when `path` holds `text` (or was rewritten to it under `UPDATE_EXPECT`); else a
/// readable diff.
fn compare_or_update(path: &Path, text: &str) -> Result<Option<String>, String> {
    let old = std::fs::read_to_string(path).ok();
    if old.as_deref() == Some(text) {
        return Ok(None);
    }
    if update_expect() {
        write_if_changed(path, text)?;
        return Ok(None);
    }
    Ok(Some(text_diff(
        &path.display().to_string(),
        old.as_deref().unwrap_or(""),
        text,
    )))
}

fn write_if_changed(path: &Path, text: &str) -> Result<(), String> {
    if std::fs::read_to_string(path).ok().as_deref() == Some(text) {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("creating {}: {e}", parent.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("writing {}: {e}", path.display()))
}

/// A unified diff, `expected` (`-`) against `actual` (`+`).
fn text_diff(what: &str, expected: &str, actual: &str) -> String {
    let diff = similar::TextDiff::from_lines(expected, actual);
    format!(
        "--- {what} (expected)\n+++ {what} (actual)\n{}",
        diff.unified_diff().context_radius(3).to_string().trim_end()
    )
}

/// `fixtures/harness/roundtrip/src/cases.rs`: one `#[path]` module per case with an expected
/// migration, so the harness compiles the checked-in files themselves.
fn write_case_list() -> Result<(), String> {
    let cases: Vec<String> = case_dirs()
        .into_iter()
        .filter(|(_, dir)| dir.join("expected/migration.rs").is_file())
        .map(|(name, _)| name)
        .collect();
    let mut s = String::from(
        "//! Generated by tests/roundtrip.rs: one module per fixture case, compiled from the case's\n\
         //! checked-in `expected/migration.rs`. Do not edit.\n\nuse sea_orm_migration::MigrationTrait;\n",
    );
    for c in &cases {
        s.push_str(&format!(
            "\n#[path = \"../../../roundtrip/{c}/expected/migration.rs\"]\nmod {c};\n"
        ));
    }
    s.push_str("\npub const CASES: &[&str] = &[\n");
    for c in &cases {
        s.push_str(&format!("    \"{c}\",\n"));
    }
    s.push_str("];\n\npub fn migration(case: &str) -> Option<Box<dyn MigrationTrait>> {\n    match case {\n");
    for c in &cases {
        s.push_str(&format!(
            "        \"{c}\" => Some(Box::new({c}::Migration)),\n"
        ));
    }
    s.push_str("        _ => None,\n    }\n}\n");
    write_if_changed(
        &repo_root().join("fixtures/harness/roundtrip/src/cases.rs"),
        &s,
    )
}

/// `fixtures/harness/roundtrip/src/twin/`: each case's twin parts as `{case}_{n}.rs` and a
/// `mod.rs` whose `parts(case)` lists them in order. A case that failed to render gets no twin.
fn write_twins(cases: &BTreeMap<String, Result<Rendered, String>>) -> Result<(), String> {
    let dir = repo_root().join("fixtures/harness/roundtrip/src/twin");
    let mut m = String::from(
        "//! Generated by tests/roundtrip.rs: each case's twin (the plan in the other mode), one\n\
         //! module per migration part. Not checked in; do not edit.\n\n\
         use sea_orm_migration::MigrationTrait;\n",
    );
    let mut arms = String::new();
    let mut files = Vec::new();
    for (name, rendered) in cases {
        let Ok(r) = rendered else { continue };
        let mut parts = Vec::new();
        for (i, source) in r.twin.parts.iter().enumerate() {
            let module = format!("{name}_{}", i + 1);
            write_if_changed(&dir.join(format!("{module}.rs")), source)?;
            files.push(format!("{module}.rs"));
            m.push_str(&format!("\nmod {module};"));
            parts.push(format!("Box::new({module}::Migration)"));
        }
        arms.push_str(&format!(
            "        \"{name}\" => vec![{}],\n",
            parts.join(", ")
        ));
    }
    m.push_str(&format!(
        "\n\npub fn parts(case: &str) -> Option<Vec<Box<dyn MigrationTrait>>> {{\n    Some(match case {{\n{arms}        _ => return None,\n    }})\n}}\n"
    ));
    write_if_changed(&dir.join("mod.rs"), &m)?;
    // Parts of cases that no longer exist would not compile against nothing; remove them.
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for e in entries.flatten() {
            let file = e.file_name().to_string_lossy().into_owned();
            if file != "mod.rs" && !files.contains(&file) {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
    Ok(())
}

fn build_harness() -> Result<PathBuf, String> {
    let harness = repo_root().join("fixtures/harness");
    let target = harness.join("target");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let out = Command::new(cargo)
        .arg("build")
        .arg("--manifest-path")
        .arg(harness.join("Cargo.toml"))
        .args(["-p", "roundtrip", "--target-dir"])
        .arg(&target)
        .output()
        .map_err(|e| format!("running cargo: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "compiling the generated migrations (fixtures/harness/roundtrip) failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(target
        .join("debug")
        .join(format!("roundtrip{}", std::env::consts::EXE_SUFFIX)))
}

/// Runs `roundtrip <case> up|down <url>` and returns the statements it sent.
fn run_migration(
    harness: &Path,
    name: &str,
    direction: &str,
    url: &str,
) -> Result<Vec<String>, String> {
    let capture = tempfile::NamedTempFile::new().map_err(|e| format!("temp file: {e}"))?;
    let out = Command::new(harness)
        .args([name, direction, url])
        .env("ROUNDTRIP_CAPTURE", capture.path())
        .output()
        .map_err(|e| format!("running {}: {e}", harness.display()))?;
    if !out.status.success() {
        return Err(format!(
            "the migration's {direction}() failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    let sent = std::fs::read_to_string(capture.path())
        .map_err(|e| format!("reading the captured statements: {e}"))?;
    Ok(sent.split_terminator('\0').map(str::to_string).collect())
}

/// Statement text with every run of whitespace made one space, trimmed.
fn normalize_space(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The migration sent exactly the statements the preview prints, in order.
fn same_statements(direction: &str, sent: &[String], previewed: &[String]) -> Result<(), String> {
    let sent: Vec<String> = sent.iter().map(|s| normalize_space(s)).collect();
    let previewed: Vec<String> = previewed.iter().map(|s| normalize_space(s)).collect();
    if sent == previewed {
        return Ok(());
    }
    Err(format!(
        "the migration's {direction}() sent other statements than the SQL preview prints:\n{}",
        text_diff(
            "statements",
            &(previewed.join("\n") + "\n"),
            &(sent.join("\n") + "\n")
        )
    ))
}

fn model_text(schema: &Schema) -> String {
    serde_json::to_string_pretty(schema).unwrap_or_else(|e| format!("<unserializable: {e}>"))
}

/// Phase two: up → nothing left to do → down → the before state, for the migration and for the
/// SQL previews.
fn round_trip(name: &str, r: &Rendered, harness: &Path) -> Result<(), String> {
    let dir = cases_root().join(name);
    let db = database_with(&dir)?;
    let url = db.url();
    let before_model = introspect(url, &r.schemas)?;
    let before_dump = support::pg_dump(url)?;

    let sent = run_migration(harness, name, "up", url)?;
    same_statements("up", &sent, &r.up_statements)?;
    let after_up_dump = support::pg_dump(url)?;
    let after = introspect(url, &r.schemas)?;
    let desired = analyzed(r.desired.clone(), &after, url)?;
    let remaining = autogen_diff::diff(&desired, &after, &r.options);
    if !remaining.is_empty() {
        return Err(format!(
            "after up() the differ still finds changes:\n{}",
            plan_summary(&remaining)
        ));
    }

    let sent = run_migration(harness, name, "down", url)?;
    same_statements("down", &sent, &r.down_statements)?;
    let restored = introspect(url, &r.schemas)?;
    if restored != before_model {
        return Err(format!(
            "after down() the introspected model differs from the before state:\n{}",
            text_diff("model", &model_text(&before_model), &model_text(&restored))
        ));
    }
    let restored_dump = support::pg_dump(url)?;
    if restored_dump != before_dump {
        return Err(format!(
            "after down() pg_dump differs from the before state:\n{}",
            text_diff("pg_dump", &before_dump, &restored_dump)
        ));
    }

    // The database is back in its before state (checked above): the twin runs on it.
    twin_round_trip(
        name,
        r,
        harness,
        url,
        &before_model,
        &before_dump,
        &after_up_dump,
    )?;

    // The SQL previews say the same thing as the migration. psql runs each statement on its own
    // (autocommit), so a new enum value is committed before a later change uses it.
    let db = database_with(&dir)?;
    support::run_sql_script(db.url(), &r.up_sql)
        .map_err(|e| format!("running expected/up.sql: {e}"))?;
    let sql_up_dump = support::pg_dump(db.url())?;
    if sql_up_dump != after_up_dump {
        return Err(format!(
            "up.sql and the migration's up() leave different schemas:\n{}",
            text_diff("pg_dump", &after_up_dump, &sql_up_dump)
        ));
    }
    support::run_sql_script(db.url(), &r.down_sql)
        .map_err(|e| format!("running expected/down.sql: {e}"))?;
    let sql_down_dump = support::pg_dump(db.url())?;
    if sql_down_dump != before_dump {
        return Err(format!(
            "down.sql does not restore the before state:\n{}",
            text_diff("pg_dump", &before_dump, &sql_down_dump)
        ));
    }
    Ok(())
}

/// The twin (the plan in the other mode), run on `url` in its before state, leaves the same
/// schema after up() as the case's migration and restores the before state after down().
fn twin_round_trip(
    name: &str,
    r: &Rendered,
    harness: &Path,
    url: &str,
    before_model: &Schema,
    before_dump: &str,
    after_up_dump: &str,
) -> Result<(), String> {
    let twin = format!("twin/{name}");
    let sent = run_migration(harness, &twin, "up", url).map_err(|e| format!("twin: {e}"))?;
    same_statements("up", &sent, &r.twin.up_statements).map_err(|e| format!("twin: {e}"))?;
    let twin_up_dump = support::pg_dump(url)?;
    if twin_up_dump != after_up_dump {
        return Err(format!(
            "the twin's up() (the plan in the other mode, {} part(s)) leaves another schema than the migration's up():\n{}",
            r.twin.parts.len(),
            text_diff("pg_dump", after_up_dump, &twin_up_dump)
        ));
    }
    let sent = run_migration(harness, &twin, "down", url).map_err(|e| format!("twin: {e}"))?;
    same_statements("down", &sent, &r.twin.down_statements).map_err(|e| format!("twin: {e}"))?;
    let restored = introspect(url, &r.schemas)?;
    if &restored != before_model {
        return Err(format!(
            "after the twin's down() the introspected model differs from the before state:\n{}",
            text_diff("model", &model_text(before_model), &model_text(&restored))
        ));
    }
    let restored_dump = support::pg_dump(url)?;
    if restored_dump != before_dump {
        return Err(format!(
            "after the twin's down() pg_dump differs from the before state:\n{}",
            text_diff("pg_dump", before_dump, &restored_dump)
        ));
    }
    Ok(())
}
