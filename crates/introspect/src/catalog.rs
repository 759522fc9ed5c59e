//! The read itself: one READ ONLY transaction, a preflight query (server version, database,
//! missing schemas), then one query per object kind, issued concurrently so tokio-postgres
//! pipelines them, then `ROLLBACK` — also when a query failed.

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
    client
        .batch_execute("START TRANSACTION READ ONLY")
        .await
        .map_err(|e| query_error("a READ ONLY transaction", &shown, &e))?;
    stats.queries += 1;
    let result = read_in_transaction(client, opts, patterns, target, &mut stats).await;
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

async fn read_in_transaction(
    client: &tokio_postgres::Client,
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

    let run = |sql: &'static str, what: &'static str| {
        let target = &target;
        let param = &param;
        async move {
            client
                .query_typed(sql, param)
                .await
                .map_err(|e| query_error(what, target, &e))
        }
    };
    let (relations, columns, constraints, indexes, enums, sequences, domains, extensions) = tokio::try_join!(
        run(RELATIONS, "tables"),
        run(COLUMNS, "columns"),
        run(CONSTRAINTS, "constraints"),
        async {
            client
                .query_typed(&indexes_sql, &param)
                .await
                .map_err(|e| query_error("indexes", &target, &e))
        },
        run(ENUMS, "enum types"),
        run(SEQUENCES, "sequences"),
        run(DOMAINS, "domains"),
        run(EXTENSIONS, "extensions"),
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
