//! Database-level random round trips (issue 9, item 6). A seeded generator ([`generate`]) makes
//! pairs of schemas (`before`, `after`), each rendered as plain DDL ([`spec`]). Per pair, in one
//! database reset between pairs: `after` is created and introspected (the desired schema, given
//! to the differ directly, every property stated) → `before` is created and introspected →
//! diff → the up SQL preview runs through `psql -f` as a user runs it → the differ must find
//! nothing left to do → the down SQL preview runs → the introspected model and `pg_dump
//! --schema-only` must equal the before state.
//!
//! 200 pairs by default; `AUTOGEN_RANDOM_PAIRS=N` runs N; `AUTOGEN_RANDOM_SEED=S` runs only
//! the pair of seed S (what a failure prints). A failing pair is shrunk (tables, columns,
//! indexes, foreign keys, checks and enums removed from both schemas while it still fails) and
//! printed as both schemas' SQL, the plan and both previews.
//!
//! The introspected models are compared for every pair, `pg_dump` text for every fifth (all
//! with `AUTOGEN_RANDOM_DUMP=1`).
//!
//! Known limitations the generator steers around (each marked where it does so in
//! `generate.rs`), found by this test and not fixed:
//! - a CHECK the desired schema lacks is unmanaged and kept, so a type change its expression
//!   cannot survive fails in Postgres;
//! - the differ manages no sequences, so it cannot make an existing column `serial` (it says so
//!   in a note).
//!
//! With the default (non-strict) options an undeclared object not named the SeaORM way is kept;
//! a kept foreign key over a primary key the desired schema drops, or over a column changing to
//! an incompatible type, then makes the up SQL fail (the first case with a hazard note). That is
//! why the desired schema is compared with strict options here.
//!
//! Postgres cannot add a column at a position: a column the up SQL drops comes back at the end
//! in down, so when the plan drops a column, column order is left out of the comparison.

mod generate;
mod spec;

use autogen_diff::{Change, DiffOptions, Plan};
use autogen_pgtemp::TestDb;
use autogen_schema::Schema;

use generate::Gen;
use spec::Spec;

use crate::support;

/// Seeds are `BASE + i`.
const BASE: u64 = 0x5eed_0000;
const DEFAULT_PAIRS: u64 = 200;
/// `pg_dump` costs as much as the rest of a pair: by default every fifth pair compares dumps
/// (every pair compares introspected models); `AUTOGEN_RANDOM_DUMP=1` compares them for all.
const DUMP_EVERY: u64 = 5;

/// One database, one connection, reset between pairs.
struct Db {
    rt: tokio::runtime::Runtime,
    client: tokio_postgres::Client,
    db: TestDb,
}

impl Db {
    fn new() -> Db {
        let db = TestDb::new().expect("temp database");
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("tokio runtime");
        let client = rt.block_on(db.connect()).expect("connect");
        Db { rt, client, db }
    }

    fn url(&self) -> &str {
        self.db.url()
    }

    /// An empty `public` schema.
    fn reset(&self) -> Result<(), String> {
        self.exec("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    }

    fn exec(&self, sql: &str) -> Result<(), String> {
        self.rt
            .block_on(self.client.batch_execute(sql))
            .map_err(|e| match e.as_db_error() {
                Some(d) => d.message().to_string(),
                None => e.to_string(),
            })
    }

    fn introspect(&self) -> Result<Schema, String> {
        let options = autogen_introspect::Options::default();
        let (mut schema, _) = self
            .rt
            .block_on(autogen_introspect::introspect_client(
                &self.client,
                &options,
            ))
            .map_err(|e| format!("introspecting: {e}"))?;
        schema.normalize();
        Ok(schema)
    }

    /// Reset, then create `spec`.
    fn load(&self, spec: &Spec, what: &str) -> Result<Schema, String> {
        self.reset()?;
        self.exec(&spec.sql())
            .map_err(|e| format!("creating the {what} schema (a generator bug): {e}"))?;
        self.introspect()
    }
}

/// How one pair went.
enum Outcome {
    Ok,
    /// The generated DDL itself was refused: a generator bug, never shrunk.
    Setup(String),
    /// A round-trip failure (what and the rendered plan).
    Failed {
        stage: &'static str,
        report: String,
    },
}

struct Rendered {
    plan: Plan,
    up: String,
    down: String,
}

/// The generated `after` is the whole truth (every object stated, named as it is meant to be):
/// strict names, defaults, identity and types, so whatever `after` lacks is dropped. (With the
/// default options an undeclared object not named the SeaORM way is unmanaged and kept.)
fn options() -> DiffOptions {
    DiffOptions {
        strict_names: true,
        strict_defaults: true,
        strict_identity: true,
        strict_types: true,
        ..DiffOptions::default()
    }
}

fn render(desired: &Schema, current: &Schema) -> Rendered {
    let plan = autogen_diff::diff(desired, current, &options());
    let up = autogen_codegen::sql(&plan);
    let down = autogen_codegen::sql(&plan.inverse());
    Rendered { plan, up, down }
}

fn run_pair(db: &Db, before: &Spec, after: &Spec, dump: bool) -> Outcome {
    match round_trip(db, before, after, dump) {
        Ok(()) => Outcome::Ok,
        Err(Stage::Setup(e)) => Outcome::Setup(e),
        Err(Stage::Failed(stage, report)) => Outcome::Failed { stage, report },
    }
}

enum Stage {
    Setup(String),
    Failed(&'static str, String),
}

fn setup<T>(r: Result<T, String>) -> Result<T, Stage> {
    r.map_err(Stage::Setup)
}

fn round_trip(db: &Db, before: &Spec, after: &Spec, dump: bool) -> Result<(), Stage> {
    let desired = setup(db.load(after, "after"))?;
    let current = setup(db.load(before, "before"))?;
    let before_dump = if dump {
        setup(support::pg_dump(db.url()))?
    } else {
        String::new()
    };
    let r = render(&desired, &current);
    let fail = |stage: &'static str, e: String| Stage::Failed(stage, e);

    support::run_sql_script(db.url(), &r.up)
        .map_err(|e| fail("up", format!("the up SQL failed: {e}")))?;
    let got = setup(db.introspect())?;
    let remaining = autogen_diff::diff(&desired, &got, &options());
    if !remaining.is_empty() {
        return Err(fail(
            "check",
            format!(
                "after the up SQL the differ still finds changes:\n{}",
                summary(&remaining)
            ),
        ));
    }

    support::run_sql_script(db.url(), &r.down)
        .map_err(|e| fail("down", format!("the down SQL failed: {e}")))?;
    let restored = setup(db.introspect())?;
    let dropped_column = r
        .plan
        .changes
        .iter()
        .any(|c| matches!(c, Change::DropColumn { .. }));
    let (want, have) = if dropped_column {
        (columns_by_name(&current), columns_by_name(&restored))
    } else {
        (current.clone(), restored)
    };
    if want != have {
        return Err(fail(
            "model",
            format!(
                "after the down SQL the introspected model differs from before:\n{}",
                text_diff("model", &json(&want), &json(&have))
            ),
        ));
    }
    if !dump {
        return Ok(());
    }
    let restored_dump = setup(support::pg_dump(db.url()))?;
    let (want, have) = if dropped_column {
        (
            sort_table_lines(&before_dump),
            sort_table_lines(&restored_dump),
        )
    } else {
        (before_dump, restored_dump)
    };
    if want != have {
        return Err(fail(
            "dump",
            format!(
                "after the down SQL pg_dump differs from before:\n{}",
                text_diff("pg_dump", &want, &have)
            ),
        ));
    }
    Ok(())
}

fn summary(plan: &Plan) -> String {
    let mut s = String::new();
    for c in &plan.changes {
        s.push_str(&format!("  - {}\n", c.describe()));
    }
    for n in &plan.notes {
        s.push_str(&format!("  note: {} {}\n", n.object, n.message));
    }
    s
}

fn json(schema: &Schema) -> String {
    serde_json::to_string_pretty(schema).unwrap_or_else(|e| format!("<unserializable: {e}>"))
}

fn columns_by_name(schema: &Schema) -> Schema {
    let mut s = schema.clone();
    for t in &mut s.tables {
        t.columns.sort_by(|a, b| a.name.cmp(&b.name));
    }
    s
}

/// The dump with the column lines of every `CREATE TABLE` sorted (trailing commas removed).
fn sort_table_lines(dump: &str) -> String {
    let mut out = Vec::new();
    let mut block: Option<Vec<String>> = None;
    for line in dump.lines() {
        match &mut block {
            Some(cols) if line.starts_with(')') => {
                cols.sort();
                out.append(cols);
                out.push(line.to_string());
                block = None;
            }
            Some(cols) => cols.push(line.trim_end_matches(',').to_string()),
            None => {
                out.push(line.to_string());
                if line.starts_with("CREATE TABLE ") && line.ends_with('(') {
                    block = Some(Vec::new());
                }
            }
        }
    }
    out.join("\n")
}

fn text_diff(what: &str, expected: &str, actual: &str) -> String {
    let diff = similar::TextDiff::from_lines(expected, actual);
    format!(
        "--- {what} (before)\n+++ {what} (after up and down)\n{}",
        diff.unified_diff().context_radius(3).to_string().trim_end()
    )
}

fn pair(seed: u64) -> (Spec, Spec) {
    let mut g = Gen::new(seed);
    let before = g.spec();
    let after = g.edit(&before);
    (before, after)
}

/// Smaller pairs that still fail at the same stage, greedily: each candidate removes one object
/// from both schemas.
fn shrink(db: &Db, mut before: Spec, mut after: Spec, stage: &'static str) -> (Spec, Spec) {
    // Each attempt is a full round trip; bounded so a failure costs under a minute or so.
    let mut budget = 40;
    'outer: loop {
        for (b, a) in generate::smaller(&before, &after) {
            if budget == 0 {
                break 'outer;
            }
            budget -= 1;
            if let Outcome::Failed { stage: s, .. } = run_pair(db, &b, &a, stage == "dump")
                && s == stage
            {
                (before, after) = (b, a);
                continue 'outer;
            }
        }
        break;
    }
    (before, after)
}

fn report(db: &Db, seed: u64, before: &Spec, after: &Spec, what: &str) -> String {
    let rendered = db
        .load(after, "after")
        .and_then(|d| db.load(before, "before").map(|c| render(&d, &c)));
    let (plan, up, down) = match rendered {
        Ok(r) => (summary(&r.plan), r.up, r.down),
        Err(e) => (e, String::new(), String::new()),
    };
    format!(
        "seed {seed} (rerun: AUTOGEN_RANDOM_SEED={seed}): {what}\n\
         --- before.sql\n{}--- after.sql\n{}--- plan\n{plan}--- up SQL\n{up}--- down SQL\n{down}",
        before.sql(),
        after.sql()
    )
}

#[test]
fn random_schema_pairs_round_trip() {
    let seeds: Vec<u64> = match std::env::var("AUTOGEN_RANDOM_SEED") {
        Ok(s) => vec![s.trim().parse().expect("AUTOGEN_RANDOM_SEED is a number")],
        Err(_) => {
            let n = std::env::var("AUTOGEN_RANDOM_PAIRS")
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(DEFAULT_PAIRS);
            (0..n).map(|i| BASE + i).collect()
        }
    };
    let all_dumps = std::env::var_os("AUTOGEN_RANDOM_DUMP").is_some();
    let db = Db::new();
    let mut failures = Vec::new();
    for &seed in &seeds {
        let (before, after) = pair(seed);
        let dump = all_dumps || seed % DUMP_EVERY == 0;
        match run_pair(&db, &before, &after, dump) {
            Outcome::Ok => {}
            Outcome::Setup(e) => {
                failures.push(report(&db, seed, &before, &after, &e));
            }
            Outcome::Failed { stage, report: r } => {
                let (b, a) = shrink(&db, before, after, stage);
                // The shrunk pair's own failure text (it may differ in detail).
                let what = match run_pair(&db, &b, &a, true) {
                    Outcome::Failed { report, .. } => report,
                    _ => r,
                };
                failures.push(report(&db, seed, &b, &a, &what));
            }
        }
    }
    eprintln!(
        "random round trips: {} pairs, {} failures",
        seeds.len(),
        failures.len()
    );
    if !failures.is_empty() {
        let list: Vec<String> = failures
            .iter()
            .map(|f| f.lines().next().unwrap_or_default().to_string())
            .collect();
        let shown: Vec<&str> = failures.iter().take(3).map(|s| s.as_str()).collect();
        panic!(
            "{} of {} random pairs failed:\n{}\n\nthe first (shrunk):\n\n{}",
            failures.len(),
            seeds.len(),
            list.join("\n"),
            shown.join("\n=========\n")
        );
    }
}
