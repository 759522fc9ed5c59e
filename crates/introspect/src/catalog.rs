//! The read itself: one READ ONLY transaction, a preflight query (server version, database,
//! missing schemas), then one query per object kind, issued concurrently so tokio-postgres
//! pipelines them, then `ROLLBACK` — also when a query failed.
//!
//! With a second connection to the same database (a fleet's database of many tenant schemas),
//! the object queries are shared between the two server processes, which then work at the same
//! time: the first exports its snapshot (`pg_export_snapshot`, both transactions REPEATABLE READ
//! READ ONLY) and the second reads in it (`SET TRANSACTION SNAPSHOT`), so both see one state of
//! the catalog, as pg_dump's parallel workers do. If the second cannot join (an old server, a
//! standby that refuses), the first reads everything alone.

use autogen_schema::Schema;
use tokio_postgres::Row;
use tokio_postgres::types::Type as PgType;

use crate::error::pg_message;
use crate::row::Reader;
use crate::{
    Error, Options, Stats, columns, constraints, extensions, indexes, relations, sequences,
    user_types,
};

const RELATIONS: &str = include_str!("sql/relations.sql");
const COLUMNS: &str = include_str!("sql/columns.sql");
const CONSTRAINTS: &str = include_str!("sql/constraints.sql");
const INDEXES: &str = include_str!("sql/indexes.sql");
const ENUMS: &str = include_str!("sql/enums.sql");
const SEQUENCES: &str = include_str!("sql/sequences.sql");
const DOMAINS: &str = include_str!("sql/domains.sql");
const EXTENSIONS: &str = include_str!("sql/extensions.sql");

const PREFLIGHT: &str = "SELECT current_setting('server_version_num')::int AS version, \
     current_database()::text AS database, \
     coalesce(host(inet_server_addr()), 'local socket') AS host, \
     coalesce(inet_server_port(), 0) AS port, \
     ARRAY(SELECT s FROM unnest($1::text[]) s \
           WHERE NOT EXISTS (SELECT 1 FROM pg_namespace n WHERE n.nspname = s)) AS missing, \
     ARRAY(SELECT n.nspname::text FROM pg_namespace n \
           WHERE n.nspname LIKE ANY($2::text[]) \
             AND n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema' \
           ORDER BY 1) AS matched";

/// The rows of every object kind.
struct Rows {
    relations: Vec<Row>,
    columns: Vec<Row>,
    constraints: Vec<Row>,
    indexes: Vec<Row>,
    enums: Vec<Row>,
    sequences: Vec<Row>,
    domains: Vec<Row>,
    extensions: Vec<Row>,
    /// Optional schemas that do not exist.
    missing_schemas: Vec<String>,
    /// Schemas whose name matches one of the patterns (`LIKE`), in name order.
    matched: Vec<String>,
}

/// What one read found: the model, the schemas the patterns matched, the round trips.
pub(crate) struct Read {
    pub schema: Schema,
    pub matched: Vec<String>,
    pub stats: Stats,
}

/// Reads `opts.schemas` plus every schema whose name matches one of `patterns` (`LIKE`; system
/// schemas never match), in the same constant number of queries.
pub(crate) async fn read(
    client: &tokio_postgres::Client,
    opts: &Options,
    patterns: &[String],
    target: Option<String>,
) -> Result<Read, Error> {
    read_shared(client, None, opts, patterns, target).await
}

/// [`read`], sharing the object queries with `helper` (another connection to the same database,
/// not inside a transaction) when it can join the first connection's snapshot.
pub(crate) async fn read_shared(
    client: &tokio_postgres::Client,
    helper: Option<&tokio_postgres::Client>,
    opts: &Options,
    patterns: &[String],
    target: Option<String>,
) -> Result<Read, Error> {
    let shown = target
        .clone()
        .unwrap_or_else(|| "the connected server".into());
    if let Some(system) = opts.schemas.iter().find(|s| is_system_schema(s)) {
        return Err(Error::SystemSchema {
            schema: system.clone(),
            target: shown,
        });
    }
    let mut stats = Stats::default();
    // JIT compilation never pays for a catalog query, and Postgres's estimates for them over
    // hundreds of schemas cross `jit_above_cost`: on 1,000 tenant schemas it cost 2.2 s of the
    // read's 6 s (docs/performance.md). `jit` exists from PostgreSQL 11; these queries need 12
    // (`attgenerated`).
    let begin = match helper {
        Some(_) => {
            "START TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY; SET LOCAL jit = off"
        }
        None => "START TRANSACTION READ ONLY; SET LOCAL jit = off",
    };
    client
        .batch_execute(begin)
        .await
        .map_err(|e| query_error("a READ ONLY transaction", &shown, &e))?;
    stats.queries += 1;
    let helper = match helper {
        Some(h) => join_snapshot(client, h, &mut stats).await,
        None => None,
    };
    let result = read_in_transaction(client, helper, opts, patterns, target, &mut stats).await;
    if let Some(h) = helper {
        // Only read; a failed ROLLBACK there changes nothing the result depends on.
        let _ = h.batch_execute("ROLLBACK").await;
        stats.queries += 1;
    }
    let rolled_back = client.batch_execute("ROLLBACK").await;
    stats.queries += 1;
    let (rows, target) = result?;
    rolled_back.map_err(|e| query_error("ROLLBACK", &target, &e))?;
    Ok(Read {
        schema: assemble(&rows, opts, &target)?,
        matched: rows.matched,
        stats,
    })
}

/// Which connection an object query runs on.
#[derive(Clone, Copy)]
enum On {
    First,
    Helper,
}

/// Exports the snapshot of `client`'s (REPEATABLE READ) transaction and starts `helper`'s in it;
/// `None` (and the helper left outside a transaction) when that does not work.
async fn join_snapshot<'h>(
    client: &tokio_postgres::Client,
    helper: &'h tokio_postgres::Client,
    stats: &mut Stats,
) -> Option<&'h tokio_postgres::Client> {
    let exported = client
        .query_typed("SELECT pg_export_snapshot()", &[])
        .await
        .ok()?;
    stats.queries += 1;
    let id: String = exported.first()?.try_get(0).ok()?;
    // A snapshot id is hexadecimal digits and dashes (`00000003-0000001B-1`); anything else is
    // not spliced into SQL.
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
        return None;
    }
    let joined = helper
        .batch_execute(&format!(
            "START TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY; \
             SET TRANSACTION SNAPSHOT '{id}'; SET LOCAL jit = off"
        ))
        .await;
    stats.queries += 1;
    match joined {
        Ok(()) => Some(helper),
        Err(_) => {
            let _ = helper.batch_execute("ROLLBACK").await;
            None
        }
    }
}

async fn read_in_transaction(
    client: &tokio_postgres::Client,
    helper: Option<&tokio_postgres::Client>,
    opts: &Options,
    patterns: &[String],
    target: Option<String>,
    stats: &mut Stats,
) -> Result<(Rows, String), Error> {
    let shown = target
        .clone()
        .unwrap_or_else(|| "the connected server".into());
    let mut schemas: Vec<String> = opts.schemas.clone();
    let patterns: Vec<String> = patterns.to_vec();
    let pre = client
        .query_typed(
            PREFLIGHT,
            &[
                (&schemas, PgType::TEXT_ARRAY),
                (&patterns, PgType::TEXT_ARRAY),
            ],
        )
        .await
        .map_err(|e| query_error("the server version", &shown, &e))?;
    stats.queries += 1;
    let r = Reader {
        what: "the server version",
        target: &shown,
    };
    let Some(pre) = pre.first() else {
        return Err(Error::Query {
            what: "the server version",
            target: shown,
            message: "no row".into(),
        });
    };
    let target = match target {
        Some(t) => t,
        None => {
            let (host, port, db): (String, i32, String) = (
                r.get(pre, "host")?,
                r.get(pre, "port")?,
                r.get(pre, "database")?,
            );
            format!("{host}:{port}/{db}")
        }
    };
    let (optional, missing): (Vec<String>, Vec<String>) = r
        .get::<Vec<String>>(pre, "missing")?
        .into_iter()
        .partition(|s| opts.optional_schemas.contains(s));
    if !missing.is_empty() {
        return Err(Error::SchemaNotFound {
            schemas: missing,
            target,
        });
    }
    let matched: Vec<String> = r.get(pre, "matched")?;
    for m in &matched {
        if !schemas.contains(m) {
            schemas.push(m.clone());
        }
    }
    let param = [(
        &schemas as &(dyn tokio_postgres::types::ToSql + Sync),
        PgType::TEXT_ARRAY,
    )];
    let version: i32 = r.get(pre, "version")?;
    let nulls_not_distinct = if version >= 150000 {
        "i.indnullsnotdistinct"
    } else {
        "false"
    };
    let indexes_sql = INDEXES.replace("{NULLS_NOT_DISTINCT}", nulls_not_distinct);

    // With a helper it takes the index and constraint queries (about half the
    // server's work on a database of many schemas), the first connection the rest.
    let other = helper.unwrap_or(client);
    let run = |on: On, sql: &str, what: &'static str| {
        let target = &target;
        let param = &param;
        let c = match on {
            On::First => client,
            On::Helper => other,
        };
        let sql = sql.to_string();
        async move {
            c.query_typed(&sql, param)
                .await
                .map_err(|e| query_error(what, target, &e))
        }
    };
    let (relations, columns, constraints, indexes, enums, sequences, domains, extensions) = tokio::try_join!(
        run(On::First, RELATIONS, "tables"),
        run(On::First, COLUMNS, "columns"),
        run(On::Helper, CONSTRAINTS, "constraints"),
        run(On::Helper, &indexes_sql, "indexes"),
        run(On::First, ENUMS, "enum types"),
        run(On::First, SEQUENCES, "sequences"),
        run(On::First, DOMAINS, "domains"),
        run(On::First, EXTENSIONS, "extensions"),
    )?;
    stats.queries += 8;
    Ok((
        Rows {
            relations,
            columns,
            constraints,
            indexes,
            enums,
            sequences,
            domains,
            extensions,
            missing_schemas: optional,
            matched,
        },
        target,
    ))
}

fn assemble(rows: &Rows, opts: &Options, target: &str) -> Result<Schema, Error> {
    let reader = |what| Reader { what, target };
    let mut rel = relations::lower(&rows.relations, opts, reader("tables"))?;
    columns::lower(&rows.columns, &mut rel.tables, reader("columns"))?;
    constraints::lower(&rows.constraints, &mut rel.tables, reader("constraints"))?;
    indexes::lower(&rows.indexes, &mut rel.tables, reader("indexes"))?;
    let mut schema = Schema {
        tables: rel.tables.into_values().collect(),
        views: rel.views,
        missing_schemas: rows.missing_schemas.clone(),
        ..Schema::default()
    };
    for row in &rows.enums {
        schema
            .enums
            .push(user_types::lower_enum(row, reader("enum types"))?);
    }
    for row in &rows.sequences {
        let seq = sequences::lower(row, reader("sequences"))?;
        let owner_excluded = seq
            .owned_by
            .as_ref()
            .is_some_and(|(table, _)| relations::is_excluded(opts, &seq.schema, table));
        if !owner_excluded {
            schema.sequences.push(seq);
        }
    }
    for row in &rows.domains {
        schema
            .domains
            .push(user_types::lower_domain(row, reader("domains"))?);
    }
    for row in &rows.extensions {
        schema
            .extensions
            .push(extensions::lower(row, reader("extensions"))?);
    }
    schema.normalize();
    Ok(schema)
}

fn is_system_schema(name: &str) -> bool {
    name == "pg_catalog"
        || name == "information_schema"
        || name.starts_with("pg_toast")
        || name.starts_with("pg_temp_")
}

fn query_error(what: &'static str, target: &str, e: &tokio_postgres::Error) -> Error {
    Error::Query {
        what,
        target: target.to_string(),
        message: pg_message(e),
    }
}
