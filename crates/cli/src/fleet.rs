//! A fleet check: `check` / `diff --format json` over several targets (`--database-url`
//! repeated, `targets` in autogen.toml) and tenant schemas (`--tenant-schemas 'tenant_%'`).
//!
//! The entities are loaded once. Each database is read in one introspection pass that covers
//! every matching schema (the catalog queries filter on the list in SQL; the query count does
//! not grow with the tenants), cut into one model per tenant schema, and each tenant is diffed
//! against the entities placed in that schema. Databases are checked concurrently, at most
//! `jobs` at once, each under a connect timeout and a session `statement_timeout`. A target that
//! fails is a result of its own (listed as an error), never the end of the run.

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Result, anyhow, bail};
use autogen_diff::Plan;
use autogen_schema::Schema;

use crate::config::{BOOKKEEPING_TABLE, Settings};
use crate::fleet_tenant::{self, TENANT};
use crate::opt::FleetOpt;
use crate::project;

/// Every target's result, in the order the targets were given.
pub struct Fleet {
    pub pattern: Option<String>,
    pub targets: Vec<TargetResult>,
}

/// A target's units, or why it could not be checked (one line).
pub type Checked = Result<Vec<Unit>, String>;

pub struct TargetResult {
    /// `host:port/database` (no password), or where an unset URL was configured.
    pub label: String,
    /// The schemas compared, or why the target could not be checked (one line).
    pub outcome: Checked,
}

/// One comparison: a tenant schema, the shared schemas of a tenant database, or a whole target.
pub struct Unit {
    /// The tenant schema; `None` for the target's own schemas (no pattern, or the schemas
    /// entities name with `schema_name`).
    pub schema: Option<String>,
    pub outcome: Result<Compared, String>,
}

pub struct Compared {
    /// The entities as placed in this unit (declaration places for annotations); empty when
    /// the unit is in sync.
    pub desired: Schema,
    pub plan: Plan,
}

impl Fleet {
    /// Every unit of every reachable target, with its target's label.
    pub fn units(&self) -> impl Iterator<Item = (&str, &Unit)> {
        self.targets.iter().flat_map(|t| {
            t.outcome
                .iter()
                .flatten()
                .map(move |u| (t.label.as_str(), u))
        })
    }

    /// How a unit is named in the report: the tenant schema with one target, the target with
    /// no pattern, else both.
    pub fn unit_label(&self, target: &str, unit: &Unit) -> String {
        match (&unit.schema, self.targets.len()) {
            (Some(s), 1) => s.clone(),
            (Some(s), _) => format!("{target}/{s}"),
            (None, _) if self.pattern.is_some() && self.targets.len() == 1 => {
                "shared schemas".into()
            }
            (None, _) if self.pattern.is_some() => format!("{target} (shared schemas)"),
            (None, _) => target.to_string(),
        }
    }
}

/// Bounds of one run.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub jobs: usize,
    pub connect_timeout: Duration,
    pub query_timeout: Duration,
}

impl Limits {
    /// Flags over the file over the defaults (jobs: twice the cores; 10 s; 60 s).
    pub fn new(flags: &FleetOpt, file: &FleetOpt) -> Result<Limits> {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let jobs = flags.jobs.or(file.jobs).unwrap_or(2 * cores);
        if jobs == 0 {
            bail!("--jobs / jobs must be at least 1");
        }
        let secs = |name: &str, v: Option<f64>, default: f64| -> Result<Duration> {
            let v = v.unwrap_or(default);
            if !(v.is_finite() && v > 0.0) {
                bail!("{name} must be a positive number of seconds, got {v}");
            }
            Ok(Duration::from_secs_f64(v))
        };
        Ok(Limits {
            jobs,
            connect_timeout: secs(
                "connect_timeout",
                flags.connect_timeout.or(file.connect_timeout),
                10.0,
            )?,
            query_timeout: secs(
                "query_timeout",
                flags.query_timeout.or(file.query_timeout),
                60.0,
            )?,
        })
    }
}

/// Refuses a fleet for a command that works on one database (`revision`, `inspect`, other
/// `diff` formats), naming the target or tenant to pick as the reference.
pub fn refuse(settings: &Settings, command: &str) -> Result<()> {
    if let Some(pattern) = &settings.tenant_schemas {
        bail!(
            "{command} works on one schema, not on the tenant pattern {pattern:?}: pick one tenant \
             as the reference, e.g. `--schema <tenant>` without --tenant-schemas (and without \
             tenant_schemas in autogen.toml); `autogen check --tenant-schemas {pattern:?}` lists \
             the tenants and which of them drift"
        );
    }
    if settings.targets.len() > 1 {
        let list: Vec<String> = settings
            .targets
            .iter()
            .map(|t| match &t.url {
                Some(u) => autogen_pgtemp::url::describe(u),
                None => format!("{} (not set)", t.source),
            })
            .collect();
        bail!(
            "{command} works on one database, not on {} targets ({}): pick the reference with a \
             single --database-url URL",
            list.len(),
            list.join(", ")
        );
    }
    if let Some(t) = settings.targets.first()
        && t.url.is_none()
    {
        bail!("the target {} is not set", t.source);
    }
    Ok(())
}

/// What every target's comparison shares.
struct Context {
    settings: Settings,
    /// The entities; with a pattern, those without `schema_name` are in [`TENANT`].
    desired: Schema,
    findings: Vec<autogen_entity::Finding>,
    pattern: Option<String>,
    /// With a pattern: the schemas entities name with `schema_name` (and `schemas`, when
    /// given), compared once per database. Without: the compared schemas.
    schemas: Vec<String>,
    /// The entities' own schemas, which may be missing in a database.
    optional: Vec<String>,
    registered: Option<Vec<String>>,
    limits: Limits,
    /// Read each database over two connections (`introspect_matching_shared`): with a pattern,
    /// when there are fewer databases than jobs, so the server has processes to spare.
    share_reads: bool,
}

/// Loads the entities once, then checks every target, at most `limits.jobs` at once. Entity
/// errors fail the run before any database work. Findings about partial models go to stderr.
pub async fn run(settings: &Settings, limits: Limits) -> Result<Fleet> {
    let pattern = settings.tenant_schemas.clone();
    let ctx = match &pattern {
        Some(p) => {
            let load = Settings {
                schemas: vec![TENANT.into()],
                ..settings.clone()
            };
            let (desired, findings) = project::entities(&load)?;
            let mut shared: Vec<String> = Vec::new();
            let named = desired.tables.iter().map(|t| &t.schema);
            for s in named.chain(desired.enums.iter().map(|e| &e.schema)) {
                if s != TENANT && !shared.contains(s) {
                    shared.push(s.clone());
                }
            }
            let optional = shared.clone();
            if settings.schemas_explicit {
                for s in &settings.schemas {
                    if !shared.contains(s) {
                        shared.push(s.clone());
                    }
                }
            }
            Context {
                settings: settings.clone(),
                desired,
                findings,
                pattern: Some(p.clone()),
                schemas: shared,
                optional,
                registered: None,
                limits,
                share_reads: false,
            }
        }
        None => {
            let (desired, findings) = project::entities(settings)?;
            let schemas = project::compared_schemas(settings, &desired)?;
            let mut optional: Vec<String> = Vec::new();
            let named = desired.tables.iter().map(|t| &t.schema);
            for s in named.chain(desired.enums.iter().map(|e| &e.schema)) {
                if !optional.contains(s) {
                    optional.push(s.clone());
                }
            }
            Context {
                settings: Settings {
                    schemas: schemas.clone(),
                    ..settings.clone()
                },
                desired,
                findings,
                pattern: None,
                schemas,
                optional,
                registered: None,
                limits,
                share_reads: false,
            }
        }
    };
    for f in &ctx.findings {
        eprintln!("{f}");
    }
    let registered = match &settings.migrations {
        Some(dir) => Some(crate::migrator::registered(dir)?),
        None => None,
    };
    let share_reads = pattern.is_some() && settings.targets.len() < ctx.limits.jobs;
    let ctx = Arc::new(Context {
        registered,
        share_reads,
        ..ctx
    });
    let targets: Vec<(String, Option<String>)> = settings
        .targets
        .iter()
        .map(|t| match &t.url {
            Some(u) => (autogen_pgtemp::url::describe(u), Some(u.clone())),
            None => (t.source.clone(), None),
        })
        .collect();
    if targets.is_empty() {
        bail!(
            "a tenant check needs a database: pass --database-url URL (repeatable), or set \
             database_url or targets in autogen.toml"
        );
    }
    let mut results: Vec<Option<Checked>> = targets.iter().map(|_| None).collect();
    let mut running = tokio::task::JoinSet::new();
    let mut collect = |done: Option<Result<(usize, Checked), _>>| {
        if let Some(Ok((i, r))) = done {
            results[i] = Some(r);
        }
    };
    for (i, (_, url)) in targets.iter().enumerate() {
        while running.len() >= ctx.limits.jobs {
            collect(running.join_next().await);
        }
        let ctx = ctx.clone();
        let url = url.clone();
        running.spawn(async move {
            let r = match url {
                Some(url) => check_target(ctx, url).await,
                None => Err("the environment variable is not set".to_string()),
            };
            (i, r)
        });
    }
    while let Some(done) = running.join_next().await {
        collect(Some(done));
    }
    Ok(Fleet {
        pattern,
        targets: targets
            .into_iter()
            .zip(results)
            .map(|((label, _), r)| TargetResult {
                label,
                outcome: r.unwrap_or_else(|| Err("internal error: the check stopped".into())),
            })
            .collect(),
    })
}

/// Connects with the run's timeouts: the connect timeout bounds the whole handshake, and the
/// session runs read-only under `statement_timeout`.
async fn connect(url: &str, limits: &Limits) -> Result<tokio_postgres::Client, String> {
    let mut config = tokio_postgres::Config::from_str(url)
        .map_err(|e| format!("invalid database URL: {}", crate::db::one_line(&e)))?;
    config.connect_timeout(limits.connect_timeout);
    let options = format!(
        "{} -c statement_timeout={} -c default_transaction_read_only=on",
        config.get_options().unwrap_or_default(),
        limits.query_timeout.as_millis().max(1)
    );
    config.options(options.trim_start());
    let (client, connection) = tokio::time::timeout(
        limits.connect_timeout,
        config.connect(tokio_postgres::NoTls),
    )
    .await
    .map_err(|_| {
        format!(
            "cannot connect: no answer within {} s",
            limits.connect_timeout.as_secs_f64()
        )
    })?
    .map_err(|e| format!("cannot connect: {}", crate::db::one_line(&e)))?;
    tokio::spawn(async move {
        let _ = connection.await;
    });
    Ok(client)
}

/// One database: connect, read every compared schema in one pass, cut the model per tenant,
/// ask Postgres once about the expressions any unit needs analyzed, diff each unit.
async fn check_target(ctx: Arc<Context>, url: String) -> Checked {
    // The helper connection is opened alongside; a helper that cannot connect is not an error
    // (the first connection then reads alone).
    let (client, helper) = if ctx.share_reads {
        let (c, h) = tokio::join!(connect(&url, &ctx.limits), connect(&url, &ctx.limits));
        (c?, h.ok())
    } else {
        (connect(&url, &ctx.limits).await?, None)
    };
    let patterns: Vec<String> = ctx.pattern.iter().cloned().collect();
    let opts = autogen_introspect::Options {
        schemas: ctx.schemas.clone(),
        exclude_tables: vec![BOOKKEEPING_TABLE.into()],
        optional_schemas: ctx.optional.clone(),
    };
    let read =
        autogen_introspect::introspect_matching_shared(&client, helper.as_ref(), &opts, &patterns)
            .await
            .map_err(|e| match e {
                // The report names the target already.
                autogen_introspect::Error::Query { what, message, .. } => {
                    format!("reading {what} failed: {message}")
                }
                other => other.to_string(),
            })?;
    let tenants: Vec<String> = read
        .matched
        .into_iter()
        .filter(|s| !ctx.schemas.contains(s))
        .collect();
    let heads = match &ctx.registered {
        Some(registered) => heads(&client, &ctx, registered, &tenants, &url).await?,
        None => HashMap::new(),
    };
    drop(client);
    let whole = read.schema;
    let work = ctx.clone();
    let prepared = tokio::task::spawn_blocking(move || prepare(&work, whole, tenants))
        .await
        .map_err(|e| format!("internal error: {e}"))?;
    let mut probes: Vec<_> = prepared
        .iter()
        .flat_map(|p| autogen_schema::analysis::probes(&p.desired, &p.current))
        .collect();
    probes.sort();
    probes.dedup();
    let answers = if probes.is_empty() {
        Default::default()
    } else {
        autogen_introspect::analyze(&url, &probes)
            .await
            .map_err(|e| e.to_string())?
    };
    let work = ctx.clone();
    tokio::task::spawn_blocking(move || {
        let unit = |p: Prepared| {
            let schema = p.schema.clone();
            let head = schema.as_ref().and_then(|s| heads.get(s)).cloned();
            Unit {
                outcome: match head {
                    Some(why) => Err(why),
                    None => Ok(diff(&work, p, &answers)),
                },
                schema,
            }
        };
        on_all_cores(prepared, &unit)
    })
    .await
    .map_err(|e| format!("internal error: {e}"))
}

/// `f` over `items` on one thread per core, in contiguous runs; the results in item order. A
/// database of many tenants has a diff per tenant, and the server has answered by then: the
/// cores are the client's. A panic on a thread is resumed here.
fn on_all_cores<T: Send, R: Send>(items: Vec<T>, f: &(dyn Fn(T) -> R + Sync)) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads < 2 || items.len() < 2 {
        return items.into_iter().map(f).collect();
    }
    let per = items.len().div_ceil(threads);
    let mut runs: Vec<Vec<T>> = Vec::with_capacity(threads);
    let mut rest = items.into_iter();
    loop {
        let run: Vec<T> = rest.by_ref().take(per).collect();
        if run.is_empty() {
            break;
        }
        runs.push(run);
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = runs
            .into_iter()
            .map(|run| scope.spawn(move || run.into_iter().map(f).collect::<Vec<R>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

/// A unit before its diff.
struct Prepared {
    schema: Option<String>,
    desired: Schema,
    current: Schema,
    /// The schemas the differ manages.
    compared: Vec<String>,
}

/// The units of one database: each tenant (entities placed in it, its part of the catalog),
/// then the shared schemas; or, without a pattern, the whole target.
fn prepare(ctx: &Context, whole: Schema, tenants: Vec<String>) -> Vec<Prepared> {
    let Some(_) = &ctx.pattern else {
        let mut desired = ctx.desired.clone();
        autogen_entity::settle_disagreements(&mut desired, &whole, &ctx.findings);
        autogen_entity::place_unqualified_enums(&mut desired, &whole);
        return vec![Prepared {
            schema: None,
            desired,
            current: whole,
            compared: ctx.schemas.clone(),
        }];
    };
    let tenant_part = fleet_tenant::only(&ctx.desired, |s| s == TENANT);
    let shared_desired = fleet_tenant::only(&ctx.desired, |s| s != TENANT);
    let shared_current = fleet_tenant::only(&whole, |s| ctx.schemas.iter().any(|x| x == s));
    let mut parts = fleet_tenant::split(whole, &tenants);
    let mut out = Vec::with_capacity(tenants.len() + 1);
    for tenant in tenants {
        let current = parts.remove(&tenant).unwrap_or_default();
        let mut desired = fleet_tenant::place(&tenant_part, &tenant);
        let findings = fleet_tenant::place_findings(&ctx.findings, &tenant);
        autogen_entity::settle_disagreements(&mut desired, &current, &findings);
        autogen_entity::place_unqualified_enums(&mut desired, &current);
        out.push(Prepared {
            schema: Some(tenant.clone()),
            desired,
            current,
            compared: vec![tenant],
        });
    }
    if !ctx.schemas.is_empty() {
        let mut desired = shared_desired;
        autogen_entity::settle_disagreements(&mut desired, &shared_current, &ctx.findings);
        out.push(Prepared {
            schema: None,
            desired,
            current: shared_current,
            compared: ctx.schemas.clone(),
        });
    }
    out
}

fn diff(ctx: &Context, mut p: Prepared, answers: &autogen_schema::analysis::Analyzed) -> Compared {
    autogen_schema::analysis::reconcile(&mut p.desired, &p.current, answers);
    let options = autogen_diff::DiffOptions {
        schemas: p.compared,
        ..project::diff_options(&ctx.settings)
    };
    let plan = autogen_diff::diff(&p.desired, &p.current, &options);
    Compared {
        // Only a drifting unit's report needs the declaration places: a thousand in-sync
        // tenants do not keep a thousand copies of the entities.
        desired: if plan.is_empty() {
            Schema::default()
        } else {
            p.desired
        },
        plan,
    }
}

/// The at-head check of one database. Without a pattern: as a single check does. With one:
/// the tenants that keep their own `seaql_migrations` are checked each (two queries for all of
/// them); a tenant that is not at head is an error of that tenant alone. When no tenant has the
/// table, the database's default schema is checked once.
async fn heads(
    client: &tokio_postgres::Client,
    ctx: &Context,
    registered: &[String],
    tenants: &[String],
    url: &str,
) -> Result<HashMap<String, String>, String> {
    let Some(dir) = &ctx.settings.migrations else {
        return Ok(HashMap::new());
    };
    let whole_database = || async {
        crate::head::ensure_at_head(url, &ctx.settings.default_schema(), dir)
            .await
            .map(|()| HashMap::new())
            .map_err(|e| format!("{e:#}").replace('\n', " "))
    };
    if ctx.pattern.is_none() || tenants.is_empty() {
        return whole_database().await;
    }
    let err = |e: tokio_postgres::Error| {
        format!(
            "cannot read the tenants' seaql_migrations: {}",
            crate::db::one_line(&e)
        )
    };
    let with_table: Vec<String> = client
        .query(
            "SELECT n.nspname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE c.relname = $1 AND c.relkind IN ('r', 'p') AND n.nspname = ANY($2) ORDER BY 1",
            &[&BOOKKEEPING_TABLE, &tenants],
        )
        .await
        .map_err(err)?
        .iter()
        .map(|r| r.get(0))
        .collect();
    if with_table.is_empty() {
        return whole_database().await;
    }
    let union: Vec<String> = with_table
        .iter()
        .map(|s| {
            format!(
                "SELECT {}::text, version::text FROM {}.{}",
                autogen_schema::ident::literal(s),
                autogen_schema::ident::quote(s),
                autogen_schema::ident::quote(BOOKKEEPING_TABLE)
            )
        })
        .collect();
    let rows = client
        .query(&union.join(" UNION ALL "), &[])
        .await
        .map_err(err)?;
    let mut applied: HashMap<String, Vec<String>> = HashMap::new();
    for r in &rows {
        applied.entry(r.get(0)).or_default().push(r.get(1));
    }
    let mut out = HashMap::new();
    for t in tenants {
        let status = crate::head::compare(
            registered,
            applied.get(t).map(Vec::as_slice).unwrap_or_default(),
        );
        if status == crate::head::Status::default() {
            continue;
        }
        let mut why = Vec::new();
        if !status.pending.is_empty() {
            why.push(format!(
                "{} migration(s) pending ({})",
                status.pending.len(),
                status.pending.join(", ")
            ));
        }
        if !status.unknown.is_empty() {
            why.push(format!(
                "{} version(s) the migration crate does not know ({})",
                status.unknown.len(),
                status.unknown.join(", ")
            ));
        }
        out.insert(t.clone(), format!("not at head: {}", why.join(" and ")));
    }
    Ok(out)
}

/// The error that ends a run with some target or tenant that could not be checked (exit 2),
/// after the report listed them.
pub fn errors_error(n: usize) -> anyhow::Error {
    anyhow!("{n} target(s) or schema(s) could not be checked (listed in the report)")
}

#[cfg(test)]
mod tests {
    use super::on_all_cores;

    #[test]
    fn on_all_cores_keeps_the_order() {
        for n in [0, 1, 2, 3, 7, 1000] {
            let items: Vec<usize> = (0..n).collect();
            let got = on_all_cores(items, &|i| i * 2);
            assert_eq!(got, (0..n).map(|i| i * 2).collect::<Vec<_>>(), "{n} items");
        }
    }

    #[test]
    fn a_panic_on_a_thread_reaches_the_caller() {
        let r = std::panic::catch_unwind(|| on_all_cores(vec![1, 2, 3, 4], &|i| assert_ne!(i, 4)));
        assert!(r.is_err());
    }
}
