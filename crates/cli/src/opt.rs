//! Every clap definition of the `autogen` command line, in one place (as sqlx-cli does).
//!
//! Options shared by several commands live in flattened groups ([`ProjectOpt`],
//! [`ConnectOpt`]); they are `global`, so they may stand before or after the subcommand.
//! Values given here override `autogen.toml`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Alembic-style autogenerate for SeaORM on PostgreSQL: compare entity files with a database,
/// write sea-orm-migration files, and check for drift in CI.
#[derive(Debug, Parser)]
#[command(name = "autogen", version)]
pub struct Opt {
    #[command(flatten)]
    pub project: ProjectOpt,
    #[command(flatten)]
    pub connect: ConnectOpt,
    /// List every database object the entities leave alone instead of one summary line per kind
    #[arg(short, long, global = true)]
    pub verbose: bool,
    /// Only errors on stderr and the exit code: no report, notes, warnings or progress
    /// (output asked for by --format json/github, `diff`, `inspect` and `--sql` still prints)
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Colour the report and the warnings: auto (on a terminal, unless NO_COLOR is set), always,
    /// never
    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the schema of a database (or, with --entities, of the entity files)
    Inspect(InspectOpt),
    /// Look at the project and write a commented autogen.toml
    Init(InitOpt),
    /// Write a migration that takes the database to the entities' schema
    Revision(RevisionOpt),
    /// Exit 0 when entities and database agree, 1 on drift (for CI)
    Check(CheckOpt),
    /// Print the plan (text, SQL or JSON) without writing anything
    Diff(DiffOpt),
    /// Replay the newest migrations in an ephemeral cluster and classify every statement they
    /// execute (locks, rewrites, scans, data loss); exit 1 when --deny finds a step
    Lint(LintOpt),
}

/// Where the project's files are.
#[derive(Debug, Args, Default)]
pub struct ProjectOpt {
    /// Path of autogen.toml (default: found by walking up from the working directory)
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Entity source directory or file (repeatable); overrides `entities` in autogen.toml
    #[arg(long, global = true, value_name = "DIR")]
    pub entities: Vec<PathBuf>,
    /// The migration crate's directory; overrides `migrations` in autogen.toml
    #[arg(long, global = true, value_name = "DIR")]
    pub migrations: Option<PathBuf>,
    /// Compare strictly, as strict_names, strict_defaults, strict_identity and strict_types in
    /// autogen.toml all do; an unresolved Rust type is then an error
    #[arg(long, global = true)]
    pub strict: bool,
}

/// Which database and which part of it.
#[derive(Debug, Args, Default)]
pub struct ConnectOpt {
    /// Database URL; overrides autogen.toml and the environment. Repeatable for `check` and
    /// `diff --format json`: every URL is a target of one fleet report
    #[arg(long, global = true, value_name = "URL")]
    pub database_url: Vec<String>,
    /// Name of the environment variable holding the URL (default: DATABASE_URL)
    #[arg(long, global = true, value_name = "NAME")]
    pub database_url_env: Option<String>,
    /// Postgres schema to compare (repeatable; default: public)
    #[arg(long = "schema", global = true, value_name = "SCHEMA")]
    pub schemas: Vec<String>,
    /// Tenant schemas (a SQL LIKE pattern, e.g. 'tenant_%'): entities without `schema_name`
    /// are compared with every matching schema (`check`, `diff --format json`)
    #[arg(long, global = true, value_name = "PATTERN")]
    pub tenant_schemas: Option<String>,
}

/// `--color`: when the human-readable output is coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InspectFormat {
    Text,
    Json,
    /// A Mermaid `erDiagram` (GitHub and GitLab render it in Markdown)
    Mermaid,
    /// A Graphviz digraph (`dot -Tsvg`)
    Dot,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Text,
    Json,
    /// GitHub Actions annotations on the entity files
    Github,
    /// A pull-request comment: summary, hazards, ER diagram, SQL
    Markdown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    Text,
    Sql,
    Json,
    /// A pull-request comment: summary, hazards, ER diagram, SQL
    Markdown,
}

#[derive(Debug, Args)]
pub struct InspectOpt {
    #[arg(long, value_enum, default_value_t = InspectFormat::Text)]
    pub format: InspectFormat,
    /// Only this table (`name` or `schema.name`; repeatable); diagrams add its direct
    /// foreign-key neighbours, key columns only
    #[arg(long = "table", value_name = "TABLE")]
    pub tables: Vec<String>,
}

#[derive(Debug, Args)]
pub struct InitOpt {
    /// Overwrite an existing autogen.toml
    #[arg(long)]
    pub force: bool,
    /// Print the file instead of writing it
    #[arg(long)]
    pub stdout: bool,
    /// Adopt what the entities cannot declare: write every index, CHECK and extension the
    /// database has that is unmanaged today into this SQL file (grouped by table), and add
    /// `extras` and `manage = "all"` to autogen.toml
    #[arg(long, value_name = "FILE")]
    pub extras: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct RevisionOpt {
    /// What the migration does; becomes the file name's slug
    #[arg(short, long, value_name = "MESSAGE")]
    pub message: String,
    /// Print the up and down SQL and write nothing
    #[arg(long)]
    pub sql: bool,
    /// Write a blank migration without looking at the database
    #[arg(long, conflicts_with = "sql")]
    pub empty: bool,
    /// Write a (blank) migration even when there is nothing to do
    #[arg(long)]
    pub allow_empty: bool,
    /// The online-safe plan: CONCURRENTLY, NOT VALID + VALIDATE, lock/statement timeouts
    #[arg(long)]
    pub online: bool,
    /// Refuse (exit 1, nothing written) when a step is of one of these kinds (comma-separated;
    /// see docs/cli.md), after --online
    #[arg(long, value_enum, value_delimiter = ',', value_name = "KINDS")]
    pub deny: Vec<crate::lint::deny::DenyKind>,
}

#[derive(Debug, Args)]
pub struct LintOpt {
    /// The first migration to lint; every one after it is linted too (default: the last one)
    #[arg(long, value_name = "VERSION")]
    pub since: Option<String>,
    /// Exit 1 when a statement is of one of these kinds (comma-separated; see docs/cli.md)
    #[arg(long, value_enum, value_delimiter = ',', value_name = "KINDS")]
    pub deny: Vec<crate::lint::deny::DenyKind>,
    #[arg(long, value_enum, default_value_t = LintFormat::Text)]
    pub format: LintFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LintFormat {
    Text,
    Json,
    /// GitHub Actions annotations on the migration files
    Github,
}

#[derive(Debug, Args)]
pub struct CheckOpt {
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
    #[command(flatten)]
    pub fleet: FleetOpt,
}

/// How a check of several targets (databases, tenant schemas) runs; overrides autogen.toml.
#[derive(Debug, Args, Default, Clone)]
pub struct FleetOpt {
    /// Databases checked at once (default: twice the number of cores)
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Seconds to wait for each target's connection (default 10)
    #[arg(long, value_name = "SECS")]
    pub connect_timeout: Option<f64>,
    /// Seconds each query on a target may run: its session's statement_timeout (default 60)
    #[arg(long, value_name = "SECS")]
    pub query_timeout: Option<f64>,
}

#[derive(Debug, Args)]
pub struct DiffOpt {
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
    /// The online-safe plan: CONCURRENTLY, NOT VALID + VALIDATE, lock/statement timeouts
    #[arg(long)]
    pub online: bool,
    #[command(flatten)]
    pub fleet: FleetOpt,
}
