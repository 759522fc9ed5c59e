//! `autogen lint`: what the migration crate's newest migrations (hand-written ones too) do to
//! live tables, statement by statement, as they really execute.
//!
//! In an ephemeral cluster of our own (never the user's database): the crate is applied up to
//! the base (every migration before the linted ones) in one database; a copy of it is made
//! (`CREATE DATABASE … TEMPLATE`) for the replay; then the linted migrations run one at a time
//! (`up -n 1`) with every statement they execute captured from the server log ([`capture`]).
//! Each captured statement is then replayed on its own in the copy, the catalog introspected
//! before and after it, and the two models diffed: the changes it made are classified by
//! `autogen_diff::impact` against the model just before it ([`classify`]) — so a type change is
//! judged by the real column types — with what only its text says (`CONCURRENTLY`, `NOT VALID`,
//! `VALIDATE CONSTRAINT`, …) from [`statement`].

pub mod capture;
pub mod classify;
pub mod deny;
pub mod report;
pub mod statement;

use std::collections::BTreeSet;
use std::ops::Range;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use autogen_diff::impact::Impact;
use autogen_diff::{Change, DiffOptions, Plan};
use autogen_introspect::hazard_data::DataReport;
use autogen_schema::{QualifiedName, Schema};

use crate::config::{BOOKKEEPING_TABLE, Settings};
use deny::DenyKind;
use statement::Class;

const RUN_DB: &str = "autogen_lint_run";
const REPLAY_DB: &str = "autogen_lint_replay";

/// One linted migration.
#[derive(Debug, Clone)]
pub struct Migration {
    pub version: String,
    /// Its file (`src/{version}.rs`) when there is one.
    pub file: Option<PathBuf>,
    pub statements: Vec<Statement>,
}

/// One executed statement that can change something (DDL or DML).
#[derive(Debug, Clone)]
pub struct Statement {
    pub sql: String,
    /// `CREATE INDEX`, `ALTER TABLE`, `UPDATE`, …
    pub command: String,
    pub dml: bool,
    pub impact: Impact,
    /// The changes the catalog shows.
    pub changes: Vec<String>,
    pub unclassified: Option<String>,
    pub denied: Vec<DenyKind>,
    /// Its changes' indices in [`Report::plan`].
    pub plan_changes: Range<usize>,
}

/// The whole run.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// The last migration applied before the linted ones.
    pub base: Option<String>,
    pub migrations: Vec<Migration>,
    /// Every change the linted statements made, in order (for the data-aware counts).
    pub plan: Plan,
    pub data: Option<DataReport>,
    pub deny: Vec<DenyKind>,
}

impl Report {
    pub fn statements(&self) -> impl Iterator<Item = (&Migration, &Statement)> {
        self.migrations
            .iter()
            .flat_map(|m| m.statements.iter().map(move |s| (m, s)))
    }

    pub fn denied(&self) -> usize {
        self.statements()
            .filter(|(_, s)| !s.denied.is_empty())
            .count()
    }
}

/// Lints the migrations from `since` (default: the last one) to the end.
pub async fn run(settings: &Settings, since: Option<&str>, deny: &[DenyKind]) -> Result<Report> {
    let dir = settings.migrations.clone().ok_or_else(|| {
        anyhow!("no migration crate configured; set `migrations` in autogen.toml (run `autogen init`) or pass --migrations DIR")
    })?;
    let versions = crate::migrator::registered(&dir)?;
    let Some(last) = versions.last() else {
        bail!(
            "{} registers no migration: nothing to lint",
            crate::config::shown(&dir.join("src").join("lib.rs"))
        );
    };
    let start = match since {
        None => versions.len() - 1,
        Some(v) => versions.iter().position(|x| x == v).ok_or_else(|| {
            anyhow!(
                "--since {v}: no such migration in {}; registered: {}",
                crate::config::shown(&dir.join("src").join("lib.rs")),
                versions.join(", ")
            )
        })?,
    };
    crate::warnln!(
        "autogen: linting {} migration(s) ({} … {last}) in an ephemeral PostgreSQL cluster",
        versions.len() - start,
        versions[start]
    );
    let cluster = tokio::task::spawn_blocking(|| {
        autogen_pgtemp::Cluster::start_with(|line| crate::warnln!("{line}"))
    })
        .await
        .context("the ephemeral cluster's start-up task failed")?
        .map_err(|e| anyhow!("cannot start an ephemeral PostgreSQL cluster: {e}; `autogen lint` needs the local PostgreSQL binaries (initdb, postgres): it reads the cluster's own server log"))?;
    let marker = capture::new_marker();
    capture::configure(&cluster.url(), &marker).await?;
    let admin = capture::connect(&cluster.url()).await?;
    admin
        .batch_execute(&format!("CREATE DATABASE {RUN_DB}"))
        .await
        .map_err(|e| {
            anyhow!(
                "cannot create the lint database: {}",
                crate::db::one_line(&e)
            )
        })?;
    let run_url = cluster.url_for(RUN_DB);
    let replay_url = cluster.url_for(REPLAY_DB);
    blocking({
        let dir = dir.clone();
        move || crate::db::build_migrations(&dir)
    })
    .await?;
    if start > 0 {
        crate::warnln!(
            "autogen: applying the {start} migration(s) before {}",
            versions[start]
        );
        let n = start.to_string();
        migrate(&dir, &run_url, vec!["up".into(), "-n".into(), n])
            .await
            .with_context(|| {
                format!(
                    "applying the migrations before {} in the ephemeral cluster failed (the migrator's output is above)",
                    versions[start]
                )
            })?;
    }
    copy_database(&admin).await?;
    admin
        .batch_execute(&format!(
            "ALTER DATABASE {RUN_DB} SET log_statement = 'all'"
        ))
        .await
        .map_err(|e| {
            anyhow!(
                "cannot turn on statement logging: {}",
                crate::db::one_line(&e)
            )
        })?;
    let log = cluster.dir().join("postgres.log");
    let mut captured = Vec::new();
    for v in &versions[start..] {
        let from = capture::log_len(&log)?;
        migrate(&dir, &run_url, vec!["up".into(), "-n".into(), "1".into()])
            .await
            .with_context(|| {
                format!("{v} failed in the ephemeral cluster (the migrator's output is above)")
            })?;
        captured.push((v.clone(), logged_run(&log, from, &marker, v)?));
    }
    let (migrations, plan, base_model) = replay(
        &replay_url,
        &dir,
        captured,
        &settings.default_schema(),
        deny,
    )
    .await?;
    let data = match &settings.database_url {
        Some(url) if !plan.is_empty() => {
            crate::safety::measure(url, &plan, &base_model, settings.hazard_timeout).await
        }
        _ => None,
    };
    drop(cluster);
    Ok(Report {
        base: start.checked_sub(1).map(|i| versions[i].clone()),
        migrations,
        plan,
        data,
        deny: deny.to_vec(),
    })
}

/// The statements one `up -n 1` executed, from the log text written since `from` (each backend
/// writes its `statement:` line before it runs the statement, so the migrator's exit means the
/// log holds them all). Every applied migration ends with its row inserted into the bookkeeping
/// table: a capture without an INSERT is incomplete, and an error, never a migration linted as
/// if it had done nothing.
fn logged_run(log: &Path, from: u64, marker: &str, version: &str) -> Result<Vec<String>> {
    let text = capture::read_from(log, from)?;
    let statements = capture::executed(&capture::entries(&text, marker));
    // Any INSERT: the bookkeeping table may have another name than the default.
    let recorded = statements.iter().any(|sql| {
        statement::recognise(sql, BOOKKEEPING_TABLE, "public")
            .command
            .starts_with("INSERT")
    });
    if !recorded {
        bail!(
            "the ephemeral cluster's server log does not show {version} recording itself in \
             {BOOKKEEPING_TABLE} ({} statement(s) captured); its statements cannot be linted",
            statements.len()
        );
    }
    Ok(statements)
}

async fn blocking(f: impl FnOnce() -> Result<()> + Send + 'static) -> Result<()> {
    tokio::task::spawn_blocking(f)
        .await
        .context("the migration task failed")?
}

async fn migrate(dir: &Path, url: &str, args: Vec<String>) -> Result<()> {
    let (dir, url) = (dir.to_path_buf(), url.to_string());
    blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        crate::db::run_migrator(&dir, &url, &args)
    })
    .await
}

/// The replay database, a copy of the run database at the base. The migrator's sessions may
/// still be closing: retried for a few seconds.
async fn copy_database(admin: &tokio_postgres::Client) -> Result<()> {
    let started = std::time::Instant::now();
    loop {
        match admin
            .batch_execute(&format!("CREATE DATABASE {REPLAY_DB} TEMPLATE {RUN_DB}"))
            .await
        {
            Ok(()) => return Ok(()),
            Err(e) if started.elapsed() < std::time::Duration::from_secs(10) => {
                let _ = e;
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            Err(e) => bail!("cannot copy the lint database: {}", crate::db::one_line(&e)),
        }
    }
}

/// Every user schema of the database (the replay's catalog is read whole).
async fn user_schemas(client: &tokio_postgres::Client) -> Result<Vec<String>> {
    let rows = client
        .query(
            "SELECT nspname::text FROM pg_namespace WHERE nspname !~ '^pg_' \
             AND nspname <> 'information_schema' ORDER BY 1",
            &[],
        )
        .await
        .map_err(|e| {
            anyhow!(
                "cannot list the replay database's schemas: {}",
                crate::db::one_line(&e)
            )
        })?;
    Ok(rows.iter().map(|r| r.get(0)).collect())
}

async fn snapshot(url: &str, client: &tokio_postgres::Client) -> Result<(Schema, Vec<String>)> {
    let schemas = user_schemas(client).await?;
    let opts = autogen_introspect::Options {
        schemas: schemas.clone(),
        exclude_tables: vec![BOOKKEEPING_TABLE.into()],
        optional_schemas: schemas.clone(),
    };
    let model = autogen_introspect::introspect(url, &opts)
        .await
        .map_err(|e| anyhow!("cannot read the replay database's catalog: {e}"))?;
    Ok((model, schemas))
}

/// Replays each captured statement on its own in the copy and classifies it.
async fn replay(
    url: &str,
    dir: &Path,
    captured: Vec<(String, Vec<String>)>,
    default_schema: &str,
    deny: &[DenyKind],
) -> Result<(Vec<Migration>, Plan, Schema)> {
    let client = capture::connect(url).await?;
    let (mut before, _) = snapshot(url, &client).await?;
    let base_model = before.clone();
    let mut plan = Plan::default();
    let mut out = Vec::new();
    for (version, statements) in captured {
        let mut created: BTreeSet<QualifiedName> = BTreeSet::new();
        let mut linted = Vec::new();
        for sql in statements {
            let rec = statement::recognise(&sql, BOOKKEEPING_TABLE, default_schema);
            if matches!(rec.class, Class::Transaction | Class::Bookkeeping) {
                continue;
            }
            let result = client.batch_execute(&sql).await;
            if matches!(rec.class, Class::Read | Class::Session) {
                continue;
            }
            let mut s = Statement {
                sql: sql.clone(),
                command: rec.command.clone(),
                dml: rec.class == Class::Dml,
                impact: Impact::default(),
                changes: Vec::new(),
                unclassified: None,
                denied: Vec::new(),
                plan_changes: plan.changes.len()..plan.changes.len(),
            };
            match result {
                Err(e) => {
                    s.unclassified = Some(format!(
                        "its replay on its own failed: {}",
                        crate::db::one_line(&e)
                    ));
                }
                Ok(()) if s.dml => {}
                Ok(()) => {
                    let (after, schemas) = snapshot(url, &client).await?;
                    let step = autogen_diff::diff(&after, &before, &options(&rec, schemas));
                    let c = classify::classify(&rec, &step, &before, &created);
                    for change in &step.changes {
                        if let Change::CreateTable { table } = change {
                            created.insert(table.qualified_name());
                        }
                    }
                    s.impact = c.impact;
                    s.changes = c.changes;
                    s.unclassified = c.unclassified;
                    plan.changes.extend(step.changes);
                    s.plan_changes.end = plan.changes.len();
                    before = after;
                }
            }
            s.denied = deny::hits(deny, &s.impact, s.unclassified.is_some());
            linted.push(s);
        }
        let file = dir.join("src").join(format!("{version}.rs"));
        out.push(Migration {
            file: file.is_file().then_some(file),
            version,
            statements: linted,
        });
    }
    Ok((out, plan, base_model))
}

/// Both sides are the catalog: every object stated, so strict; a rename the statement spells
/// out is a rename, not a drop and an add.
fn options(rec: &statement::Recognised, schemas: Vec<String>) -> DiffOptions {
    let table = rec
        .tables
        .first()
        .map(|t| format!("{}.{}", t.schema, t.name));
    DiffOptions {
        strict_names: true,
        strict_defaults: true,
        strict_identity: true,
        strict_types: true,
        strict_fk_actions: true,
        // Both sides are catalogs: every index, CHECK and extension is compared.
        manage: autogen_diff::Manage::All,
        column_renames: rec
            .column_renames
            .iter()
            .filter_map(|(from, to)| {
                Some(autogen_diff::ColumnRename {
                    table: table.clone()?,
                    from: from.clone(),
                    to: to.clone(),
                })
            })
            .collect(),
        table_renames: rec
            .table_rename
            .iter()
            .filter_map(|to| {
                let t = rec.tables.first()?;
                Some(autogen_diff::TableRename {
                    from: format!("{}.{}", t.schema, t.name),
                    to: format!("{}.{to}", t.schema),
                })
            })
            .collect(),
        exclude_tables: vec![BOOKKEEPING_TABLE.into()],
        schemas,
    }
}
