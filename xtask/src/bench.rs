//! `cargo xtask bench`: introspection of generated N-table schemas (ours against sea-schema
//! 0.18.1's `SchemaDiscovery`, same database, same run) and parsing of generated entity files.
//! Prints the figures and refreshes `docs/performance.md`.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Context as _;

use crate::{bench_db, generate, machine, report, seaschema};

/// What to measure.
#[derive(Clone, Debug)]
pub struct BenchOptions {
    /// Table counts for the introspection benchmark.
    pub sizes: Vec<usize>,
    /// Timed runs per measurement (the median is reported).
    pub runs: usize,
    /// Also run sea-schema at 2,000 tables and more.
    pub full: bool,
    /// Leave sea-schema out entirely.
    pub skip_seaschema: bool,
    /// Wall-clock limit for all sea-schema runs at one size.
    pub seaschema_timeout: Duration,
    /// Entity files for the parsing benchmark (0: leave it out).
    pub entity_files: usize,
    /// Where to write the report (`None`: print only).
    pub docs: Option<PathBuf>,
}

/// What introspection found, counted the same way for every size.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    pub tables: usize,
    pub columns: usize,
    pub indexes: usize,
    pub foreign_keys: usize,
    pub enums: usize,
}

fn found(schema: &autogen_schema::Schema) -> Found {
    Found {
        tables: schema.tables.len(),
        columns: schema.tables.iter().map(|t| t.columns.len()).sum(),
        indexes: schema.tables.iter().map(|t| t.indexes.len()).sum(),
        foreign_keys: schema.tables.iter().map(|t| t.foreign_keys.len()).sum(),
        enums: schema.enums.len(),
    }
}

/// One introspection size.
#[derive(Clone, Debug)]
pub struct SizeResult {
    pub tables: usize,
    pub found: Found,
    pub queries: usize,
    pub median: Duration,
    /// Fastest and slowest run.
    pub range: (Duration, Duration),
    /// What the strict diff between the generated entities and the introspected database
    /// found (entity loader errors first, then changes); empty when they agree.
    pub drift: Vec<String>,
    pub seaschema: seaschema::Outcome,
    /// The comparison `autogen check` makes, timed in-process; `None` when not measured.
    pub check: Option<CheckTimes>,
}

/// The comparison of `check` over one open connection: entity loading, introspection and the
/// diff, once one after the other and once with the entities loaded on a thread while the
/// catalog queries run (what `autogen check` does). Medians, with fastest and slowest run.
#[derive(Clone, Debug)]
pub struct CheckTimes {
    pub sequential: Duration,
    pub sequential_range: (Duration, Duration),
    pub concurrent: Duration,
    pub concurrent_range: (Duration, Duration),
}

/// The entity parsing measurement.
#[derive(Clone, Debug)]
pub struct EntityResult {
    pub files: usize,
    pub tables: usize,
    pub columns: usize,
    pub errors: usize,
    pub runs: usize,
    pub median: Duration,
    /// Fastest and slowest run.
    pub range: (Duration, Duration),
    /// The peak resident set of a process that only loads the files `runs` times (VmHWM), in
    /// KiB; `None` where /proc does not tell.
    pub peak_rss_kib: Option<u64>,
}

/// Everything one `cargo xtask bench` measured.
#[derive(Clone, Debug)]
pub struct Results {
    /// The command line that reproduces this run.
    pub command: String,
    pub machine: machine::Machine,
    pub runs: usize,
    pub sizes: Vec<SizeResult>,
    /// `None` with `--entity-files 0`.
    pub entities: Option<EntityResult>,
}

pub fn range(times: &[Duration]) -> (Duration, Duration) {
    let fastest = times.iter().min().copied().unwrap_or_default();
    let slowest = times.iter().max().copied().unwrap_or_default();
    (fastest, slowest)
}

pub fn median(times: &[Duration]) -> Duration {
    let mut sorted = times.to_vec();
    sorted.sort();
    match sorted.len() {
        0 => Duration::ZERO,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2,
    }
}

/// `cargo xtask bench ...` with every option that changes the figures.
pub fn command_line(options: &BenchOptions) -> String {
    let sizes: Vec<String> = options.sizes.iter().map(ToString::to_string).collect();
    let sizes = if sizes.is_empty() {
        "none".to_owned()
    } else {
        sizes.join(",")
    };
    let mut command = format!(
        "cargo xtask bench --sizes {sizes} --runs {} --entity-files {}",
        options.runs, options.entity_files
    );
    if options.full {
        command.push_str(" --full");
    }
    if options.skip_seaschema {
        command.push_str(" --no-seaschema");
    } else {
        command.push_str(&format!(
            " --seaschema-timeout {}",
            options.seaschema_timeout.as_secs()
        ));
    }
    command
}

/// Runs the whole benchmark.
pub async fn run(repo: &Path, options: &BenchOptions) -> anyhow::Result<Results> {
    anyhow::ensure!(options.runs > 0, "--runs must be at least 1");
    let admin_url = bench_db::admin_url();
    let admin = bench_db::connect(&admin_url).await?;
    let machine = machine::describe(&admin).await?;
    drop(admin);
    let baseline = if options.skip_seaschema || options.sizes.is_empty() {
        None
    } else {
        Some(seaschema::build(repo)?)
    };

    let mut sizes = Vec::new();
    for &tables in &options.sizes {
        eprintln!("introspection: {tables} tables...");
        let name = format!("autogen_bench_{}_{tables}", std::process::id());
        let size_options = SizeOptions {
            tables,
            runs: options.runs,
            baseline: baseline.clone(),
            caps: seaschema::CapOptions {
                runs: options.runs,
                full: options.full,
            },
            timeout: options.seaschema_timeout,
        };
        let result =
            bench_db::with_database(&admin_url, &name, move |url| bench_size(url, size_options))
                .await
                .with_context(|| format!("benchmark at {tables} tables"))?;
        sizes.push(result);
    }

    let entities = if options.entity_files == 0 {
        None
    } else {
        eprintln!("entity parsing: {} files...", options.entity_files);
        Some(bench_entities(options.entity_files, options.runs)?)
    };
    Ok(Results {
        command: command_line(options),
        machine,
        runs: options.runs,
        sizes,
        entities,
    })
}

/// Inputs of one introspection size (moved into the task that owns the database).
struct SizeOptions {
    tables: usize,
    runs: usize,
    baseline: Option<PathBuf>,
    caps: seaschema::CapOptions,
    timeout: Duration,
}

async fn bench_size(url: String, options: SizeOptions) -> anyhow::Result<SizeResult> {
    let client = bench_db::connect(&url).await?;
    let gen_options = generate::GenOptions {
        tables: options.tables,
    };
    // 50 tables per transaction keeps well inside the default lock table.
    for chunk in generate::schema_sql_chunks(&gen_options, 50) {
        client
            .batch_execute(&chunk)
            .await
            .context("loading the generated schema")?;
    }
    client
        .batch_execute("ANALYZE")
        .await
        .context("ANALYZE after loading")?;

    let introspect_options = autogen_introspect::Options::default();
    let mut times = Vec::with_capacity(options.runs);
    let mut last = None;
    for _ in 0..options.runs {
        let start = Instant::now();
        let (schema, stats) = autogen_introspect::introspect_client(&client, &introspect_options)
            .await
            .context("autogen introspection failed")?;
        times.push(start.elapsed());
        last = Some((schema, stats.queries));
    }
    let (schema, queries) = last.context("no introspection run was made")?;
    let found = found(&schema);
    anyhow::ensure!(
        found.tables == options.tables,
        "introspection found {} tables, {} were created",
        found.tables,
        options.tables
    );

    let entity_dir = tempfile::tempdir().context("cannot create a temporary directory")?;
    generate::write_entities(
        entity_dir.path(),
        &generate::GenOptions {
            tables: options.tables,
        },
    )?;
    let drift = entity_drift(entity_dir.path(), &schema)?;
    let check = if drift.is_empty() {
        eprintln!("  check: {} runs each way...", options.runs);
        Some(bench_check(&client, entity_dir.path(), options.runs).await?)
    } else {
        None
    };

    let seaschema = match (
        &options.baseline,
        seaschema::plan(options.tables, &options.caps),
    ) {
        (None, _) => seaschema::Outcome::NotRequested,
        (_, seaschema::Plan::Skip) => seaschema::Outcome::Skipped,
        (Some(binary), seaschema::Plan::Run { runs, capped }) => {
            eprintln!(
                "  sea-schema: {runs} run(s), timeout {} s...",
                options.timeout.as_secs()
            );
            match seaschema::run(binary, &url, runs, options.timeout).await? {
                Some(measured) => seaschema::Outcome::Measured { measured, capped },
                None => seaschema::Outcome::TimedOut(options.timeout),
            }
        }
    };
    Ok(SizeResult {
        tables: options.tables,
        found,
        queries,
        median: median(&times),
        range: range(&times),
        drift,
        seaschema,
        check,
    })
}

/// Times [`check_once`] both ways, alternating so that a busy neighbour hits both alike.
async fn bench_check(
    client: &tokio_postgres::Client,
    dir: &Path,
    runs: usize,
) -> anyhow::Result<CheckTimes> {
    let mut sequential = Vec::with_capacity(runs);
    let mut concurrent = Vec::with_capacity(runs);
    for _ in 0..runs {
        sequential.push(check_once(client, dir, false).await?);
        concurrent.push(check_once(client, dir, true).await?);
    }
    Ok(CheckTimes {
        sequential: median(&sequential),
        sequential_range: range(&sequential),
        concurrent: median(&concurrent),
        concurrent_range: range(&concurrent),
    })
}

/// Loads the entities under `dir`, introspects, diffs (the plan must be empty); with
/// `concurrent`, the loading runs on its own thread while the catalog queries run.
async fn check_once(
    client: &tokio_postgres::Client,
    dir: &Path,
    concurrent: bool,
) -> anyhow::Result<Duration> {
    let options = autogen_introspect::Options::default();
    let load = {
        let dir = dir.to_path_buf();
        move || autogen_entity::load(&[dir], &autogen_entity::LoadOptions::default())
    };
    let start = Instant::now();
    let (loaded, current) = if concurrent {
        let loader = std::thread::spawn(load);
        let (current, _) = autogen_introspect::introspect_client(client, &options)
            .await
            .context("autogen introspection failed")?;
        let loaded = loader
            .join()
            .map_err(|_| anyhow::anyhow!("the entity loader panicked"))?;
        (loaded, current)
    } else {
        let loaded = load();
        let (current, _) = autogen_introspect::introspect_client(client, &options)
            .await
            .context("autogen introspection failed")?;
        (loaded, current)
    };
    let plan = autogen_diff::diff(
        &loaded.schema,
        &current,
        &autogen_diff::DiffOptions::default(),
    );
    let elapsed = start.elapsed();
    anyhow::ensure!(
        plan.is_empty() && !loaded.has_errors(),
        "check found {} change(s) on the generated project",
        plan.changes.len()
    );
    Ok(elapsed)
}

/// Loads the generated entities for `tables` tables and diffs them strictly (names, defaults,
/// identity, types) against the introspected `database`: a generator, loader or introspector bug shows
/// up here as drift.
fn entity_drift(dir: &Path, database: &autogen_schema::Schema) -> anyhow::Result<Vec<String>> {
    let loaded = autogen_entity::load(
        &[dir.to_path_buf()],
        &autogen_entity::LoadOptions::default(),
    );
    let mut drift: Vec<String> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity == autogen_entity::Severity::Error)
        .map(|d| format!("entity loader: {d}"))
        .collect();
    let strict = autogen_diff::DiffOptions {
        strict_names: true,
        strict_defaults: true,
        strict_identity: true,
        strict_types: true,
        ..autogen_diff::DiffOptions::default()
    };
    let plan = autogen_diff::diff(&loaded.schema, database, &strict);
    drift.extend(plan.changes.iter().map(autogen_diff::Change::describe));
    Ok(drift)
}

fn bench_entities(files: usize, runs: usize) -> anyhow::Result<EntityResult> {
    let dir = tempfile::tempdir().context("cannot create a temporary directory")?;
    let entity_dir = dir.path().join("entity");
    generate::write_entities(&entity_dir, &generate::GenOptions { tables: files })?;
    // One process per run, as each `autogen` command is: its peak resident set is the
    // loader's alone, not what this process kept from the introspection and check runs.
    let exe = std::env::current_exe().context("cannot find the xtask binary")?;
    let mut times = Vec::with_capacity(runs);
    let mut peak: Option<u64> = None;
    let mut last = None;
    for _ in 0..runs {
        let output = std::process::Command::new(&exe)
            .arg(LOAD_TASK)
            .arg(&entity_dir)
            .output()
            .context("cannot run the entity loading process")?;
        anyhow::ensure!(
            output.status.success(),
            "the entity loading process failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
        let run: LoadRun = serde_json::from_slice(&output.stdout)
            .context("the entity loading process printed no result")?;
        times.push(Duration::from_nanos(run.time_ns));
        peak = peak.max(run.peak_rss_kib);
        last = Some(run);
    }
    let run = last.context("no entity parsing run was made")?;
    if let Some(first) = &run.first_error {
        eprintln!(
            "entity loader reported {} error(s) on generated files, first: {first}",
            run.errors
        );
    }
    Ok(EntityResult {
        files,
        tables: run.tables,
        columns: run.columns,
        errors: run.errors,
        runs,
        median: median(&times),
        range: range(&times),
        peak_rss_kib: peak,
    })
}

/// The hidden task [`load_task`] runs under.
pub const LOAD_TASK: &str = "bench-load-entities";

/// What [`load_task`] prints (one JSON object).
#[derive(serde::Serialize, serde::Deserialize)]
struct LoadRun {
    time_ns: u64,
    tables: usize,
    columns: usize,
    errors: usize,
    first_error: Option<String>,
    /// `VmHWM` at the end: the peak of a process that only loaded the entities.
    peak_rss_kib: Option<u64>,
}

/// `xtask bench-load-entities DIR`: loads DIR once and prints a [`LoadRun`].
pub fn load_task(dir: &Path) -> anyhow::Result<()> {
    let start = Instant::now();
    let loaded = autogen_entity::load(
        &[dir.to_path_buf()],
        &autogen_entity::LoadOptions::default(),
    );
    let time_ns = start.elapsed().as_nanos() as u64;
    let errors: Vec<String> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity == autogen_entity::Severity::Error)
        .map(ToString::to_string)
        .collect();
    let run = LoadRun {
        time_ns,
        tables: loaded.schema.tables.len(),
        columns: loaded.schema.tables.iter().map(|t| t.columns.len()).sum(),
        errors: errors.len(),
        first_error: errors.first().cloned(),
        peak_rss_kib: peak_rss_kib(),
    };
    println!("{}", serde_json::to_string(&run)?);
    Ok(())
}

/// `VmHWM` of /proc/self/status in KiB (`None` where /proc does not tell).
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Prints the report and writes it into the docs file when asked.
pub fn publish(results: &Results, options: &BenchOptions) -> anyhow::Result<()> {
    println!("{}", report::figures(results));
    let complete = !results.sizes.is_empty() && results.entities.is_some();
    if let Some(docs) = options.docs.as_ref().filter(|_| complete) {
        let existing = std::fs::read_to_string(docs).ok();
        let text = report::performance_md(existing.as_deref(), results);
        std::fs::write(docs, text).with_context(|| format!("cannot write {}", docs.display()))?;
        eprintln!("wrote {}", docs.display());
    } else if options.docs.is_some() {
        eprintln!("partial run: docs/performance.md left as it was");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_counts() {
        let ms = Duration::from_millis;
        assert_eq!(median(&[ms(5), ms(1), ms(3)]), ms(3));
        assert_eq!(
            median(&[ms(4), ms(1), ms(3), ms(2)]),
            Duration::from_micros(2500)
        );
        assert_eq!(median(&[]), Duration::ZERO);
    }
}
