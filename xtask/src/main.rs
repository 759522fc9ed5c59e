//! `cargo xtask <task>`: repository chores that are not part of autogen itself.
//!
//! - `gen --tables N --out DIR`: a synthetic N-table project (`schema.sql` + `entity/`).
//! - `bench [--sizes 100,500,2000] [--runs 5] [--full] ...`: introspection against sea-schema,
//!   entity parsing; prints the figures and refreshes `docs/performance.md`.
//! - `tidy`: source hygiene checks (also a `#[test]`).
//! - `render-diagrams [--out DIR]`: renders the Mermaid and DOT output with mermaid-cli and
//!   Graphviz (SVG + PNG), failing on any renderer error.
//!
//! The alias in `.cargo/config.toml` runs this in release mode, so benchmarks measure
//! optimized code. The package is not among the workspace's default members: CI never builds it.

mod bench;
mod bench_db;
mod bench_fleet;
mod diagrams;
mod generate;
mod machine;
mod report;
mod seaschema;
mod tidy;

/// The allocator of the `autogen` binary, so that the entity loading process of `bench` measures
/// what `autogen` does (the introspection figures and sea-schema's share it too).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context as _;

const USAGE: &str = "usage:
  cargo xtask gen --tables N --out DIR
  cargo xtask bench [--sizes 100,500,2000|none] [--runs 5] [--entity-files 5000|0] [--full]
                    [--seaschema-timeout SECS] [--no-seaschema] [--no-docs]
  cargo xtask bench --fleet [--tenants 1000] [--tenant-tables 20] [--databases 20] [--runs 3]
                    [--no-docs]
  cargo xtask tidy
  cargo xtask render-diagrams [--out DIR]   (default target/diagrams; needs npm once,
                    Chromium (`$CHROMIUM`, default /usr/bin/chromium) and Graphviz's dot)

bench uses DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) to create and
drop its own databases; --full also runs sea-schema at 2,000+ tables (slow). `--sizes none`
or `--entity-files 0` leaves that part out (docs/performance.md is then not written).";

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// Command-line flags after the task name: `--name value` pairs and bare `--switch`es.
struct Flags {
    args: Vec<String>,
}

impl Flags {
    /// The value after `--name`, removed from the list.
    fn value(&mut self, name: &str) -> anyhow::Result<Option<String>> {
        let Some(at) = self.args.iter().position(|a| a == name) else {
            return Ok(None);
        };
        anyhow::ensure!(at + 1 < self.args.len(), "{name} needs a value");
        let value = self.args.remove(at + 1);
        self.args.remove(at);
        Ok(Some(value))
    }

    fn number(&mut self, name: &str, default: usize) -> anyhow::Result<usize> {
        match self.value(name)? {
            Some(text) => text
                .parse()
                .with_context(|| format!("{name} expects a number, got `{text}`")),
            None => Ok(default),
        }
    }

    /// Whether `--name` was given, removed from the list.
    fn switch(&mut self, name: &str) -> bool {
        let before = self.args.len();
        self.args.retain(|a| a != name);
        self.args.len() != before
    }

    /// Fails on anything not consumed.
    fn done(self) -> anyhow::Result<()> {
        match self.args.first() {
            Some(extra) => anyhow::bail!("unexpected argument `{extra}`\n\n{USAGE}"),
            None => Ok(()),
        }
    }
}

fn gen_task(mut flags: Flags) -> anyhow::Result<ExitCode> {
    let tables = flags.value("--tables")?.context("gen needs --tables N")?;
    let tables: usize = tables
        .parse()
        .with_context(|| format!("--tables expects a number, got `{tables}`"))?;
    anyhow::ensure!(tables > 0, "--tables must be at least 1");
    let out = PathBuf::from(flags.value("--out")?.context("gen needs --out DIR")?);
    flags.done()?;
    generate::write_project(&out, &generate::GenOptions { tables })?;
    eprintln!(
        "wrote {} and {} ({tables} entities)",
        out.join("schema.sql").display(),
        out.join("entity").display()
    );
    Ok(ExitCode::SUCCESS)
}

fn bench_task(mut flags: Flags) -> anyhow::Result<ExitCode> {
    if flags.switch("--fleet") {
        return fleet_task(flags);
    }
    let sizes = match flags.value("--sizes")? {
        Some(text) if text == "none" => Vec::new(),
        Some(text) => text
            .split(',')
            .map(|s| {
                s.trim()
                    .parse::<usize>()
                    .with_context(|| format!("--sizes expects numbers, got `{s}`"))
            })
            .collect::<anyhow::Result<Vec<_>>>()?,
        None => vec![100, 500, 2000],
    };
    anyhow::ensure!(sizes.iter().all(|n| *n > 0), "--sizes must be positive");
    let options = bench::BenchOptions {
        sizes,
        runs: flags.number("--runs", 5)?,
        entity_files: flags.number("--entity-files", 5000)?,
        seaschema_timeout: Duration::from_secs(flags.number("--seaschema-timeout", 300)? as u64),
        full: flags.switch("--full"),
        skip_seaschema: flags.switch("--no-seaschema"),
        docs: (!flags.switch("--no-docs")).then(|| repo_root().join("docs/performance.md")),
    };
    flags.done()?;
    anyhow::ensure!(options.runs > 0, "--runs must be at least 1");
    let runtime = tokio::runtime::Runtime::new().context("cannot start the tokio runtime")?;
    let results = runtime.block_on(bench::run(&repo_root(), &options))?;
    bench::publish(&results, &options)?;
    Ok(ExitCode::SUCCESS)
}

/// The entity loading measurement of `bench`, in a process of its own.
fn load_task(flags: Flags) -> anyhow::Result<ExitCode> {
    let dir = flags
        .args
        .first()
        .context("bench-load-entities needs DIR")?;
    bench::load_task(Path::new(dir))?;
    Ok(ExitCode::SUCCESS)
}

/// `bench --fleet`: tenant schemas and several databases through the release binary.
fn fleet_task(mut flags: Flags) -> anyhow::Result<ExitCode> {
    let options = bench_fleet::FleetOptions {
        tenants: flags.number("--tenants", 1000)?,
        tables: flags.number("--tenant-tables", 20)?,
        databases: flags.number("--databases", 20)?,
        runs: flags.number("--runs", 3)?,
        docs: (!flags.switch("--no-docs")).then(|| repo_root().join("docs/performance.md")),
    };
    flags.done()?;
    anyhow::ensure!(options.runs > 0, "--runs must be at least 1");
    anyhow::ensure!(
        options.tenants >= 5 && options.databases >= 2 && options.tables >= 1,
        "--tenants must be at least 5 (drift is planted in three), --databases at least 2"
    );
    let runtime = tokio::runtime::Runtime::new().context("cannot start the tokio runtime")?;
    let results = runtime.block_on(bench_fleet::run(&repo_root(), &options))?;
    bench_fleet::publish(&results, options.docs.as_deref())?;
    Ok(ExitCode::SUCCESS)
}

fn tidy_task(flags: Flags) -> anyhow::Result<ExitCode> {
    flags.done()?;
    let report = tidy::check_repo(&repo_root())?;
    let violations = &report.violations;
    for violation in violations {
        println!("{violation}");
    }
    if violations.is_empty() {
        eprintln!("tidy: {} files ok", report.files);
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!("tidy: {} violation(s)", violations.len());
        Ok(ExitCode::from(1))
    }
}

fn render_diagrams_task(mut flags: Flags) -> anyhow::Result<ExitCode> {
    let out = flags
        .value("--out")?
        .map_or_else(|| repo_root().join("target/diagrams"), PathBuf::from);
    flags.done()?;
    diagrams::run(&repo_root(), &diagrams::Options { out })?;
    Ok(ExitCode::SUCCESS)
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let task = args.next();
    let flags = Flags {
        args: args.collect(),
    };
    let result = match task.as_deref() {
        Some("gen") => gen_task(flags),
        Some("bench") => bench_task(flags),
        Some("tidy") => tidy_task(flags),
        Some(bench::LOAD_TASK) => load_task(flags),
        Some("render-diagrams") => render_diagrams_task(flags),
        Some("help" | "--help" | "-h") => {
            println!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        Some(other) => Err(anyhow::anyhow!("unknown task `{other}`\n\n{USAGE}")),
        None => Err(anyhow::anyhow!("no task given\n\n{USAGE}")),
    };
    result.unwrap_or_else(|error| {
        eprintln!("error: {error:#}");
        ExitCode::from(2)
    })
}
