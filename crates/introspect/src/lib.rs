//! Reads a live PostgreSQL schema into the [`autogen_schema::Schema`] model.
//!
//! One query per object kind over `pg_catalog` (never `information_schema`), all filtered to the
//! requested schemas in SQL and issued together (pipelined) inside `START TRANSACTION READ
//! ONLY` … `ROLLBACK`. Texts are Postgres's own: `format_type`, `pg_get_expr`,
//! `pg_get_indexdef` per key, `pg_get_constraintdef`.
//!
//! **Architecture invariant:** the number of queries is a constant, independent of the number
//! of tables ([`Stats::queries`]); the database is never written.

mod analyze;
mod catalog;
mod columns;
mod connect;
mod constraints;
mod error;
mod extensions;
pub mod hazard_data;
mod indexes;
mod relations;
mod row;
mod sequences;
mod types;
mod user_types;

use autogen_schema::Schema;

pub use analyze::analyze;
pub use error::Error;

/// What to read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// Postgres schemas to read. Default: `["public"]`.
    pub schemas: Vec<String>,
    /// Tables (and views) to leave out, as `name` (in any schema) or `schema.name`. Default:
    /// `["seaql_migrations"]`, SeaORM's bookkeeping table.
    pub exclude_tables: Vec<String>,
    /// Schemas of `schemas` that may be missing (the entities name them): one that does not
    /// exist is listed in [`Schema::missing_schemas`] instead of being an error.
    pub optional_schemas: Vec<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            schemas: vec!["public".into()],
            exclude_tables: vec!["seaql_migrations".into()],
            optional_schemas: Vec::new(),
        }
    }
}

/// Figures about one introspection run (for the benchmark).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Round trips issued, including `START TRANSACTION` and `ROLLBACK`.
    pub queries: usize,
}

/// Connects to `url` and reads the schema.
pub async fn introspect(url: &str, opts: &Options) -> Result<Schema, Error> {
    let (client, target) = connect::connect(url).await?;
    let read = catalog::read(&client, opts, &[], Some(target)).await?;
    Ok(read.schema)
}

/// Reads the schema over an existing connection, which must not be inside a transaction (the
/// read runs in its own READ ONLY transaction and ends with `ROLLBACK`).
pub async fn introspect_client(
    client: &tokio_postgres::Client,
    opts: &Options,
) -> Result<(Schema, Stats), Error> {
    let read = catalog::read(client, opts, &[], None).await?;
    Ok((read.schema, read.stats))
}

/// What [`introspect_matching`] read.
#[derive(Clone, Debug)]
pub struct Matching {
    /// `opts.schemas` and every matching schema, in one model.
    pub schema: Schema,
    /// The schemas whose name matched a pattern, in name order (also the empty ones).
    pub matched: Vec<String>,
    pub stats: Stats,
}

/// Reads `opts.schemas` plus every schema whose name matches one of `patterns` (SQL `LIKE`,
/// e.g. `tenant_%`; system schemas never match) over an existing connection, in the same
/// constant number of queries as [`introspect_client`]: the names are matched by the preflight
/// query and every object query filters on the resulting list in SQL.
pub async fn introspect_matching(
    client: &tokio_postgres::Client,
    opts: &Options,
    patterns: &[String],
) -> Result<Matching, Error> {
    introspect_matching_shared(client, None, opts, patterns).await
}

/// [`introspect_matching`], sharing the object queries with `helper`, a second connection to the
/// same database (not inside a transaction): both server processes work at once, in one
/// exported snapshot, which about halves the read of a database of many schemas. The result is
/// the same as with one connection; if the helper cannot join the snapshot, the first
/// connection reads alone.
pub async fn introspect_matching_shared(
    client: &tokio_postgres::Client,
    helper: Option<&tokio_postgres::Client>,
    opts: &Options,
    patterns: &[String],
) -> Result<Matching, Error> {
    let read = catalog::read_shared(client, helper, opts, patterns, None).await?;
    Ok(Matching {
        schema: read.schema,
        matched: read.matched,
        stats: read.stats,
    })
}
