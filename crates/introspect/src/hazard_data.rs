//! Data-aware hazards: for each change that existing rows can make fail or lose data, count
//! those rows in the target database — NULLs before SET NOT NULL, rows of a table getting a NOT
//! NULL column without default, duplicate groups before a unique index or primary key, orphan
//! rows before a foreign key, values in a dropped column or table, values that would not fit a
//! narrower type, rows holding a removed enum label — plus the catalog's size estimate of every
//! existing table the plan locks.
//!
//! Read-only: one `START TRANSACTION READ ONLY`, each count under `SET LOCAL statement_timeout`
//! inside its own savepoint. A count that times out falls back to the catalog's estimate
//! (`pg_class.reltuples`, `pg_stats.null_frac`) where one exists, and says so.

use std::time::Duration;

use autogen_diff::{Change, Plan};
use autogen_schema::ident::{literal, quote};
use autogen_schema::{ForeignKey, Index, KeyPart, QualifiedName, Schema, Type};

use crate::Error;

/// What a count is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FactKind {
    /// Rows with NULL in a column about to be SET NOT NULL.
    NullsBeforeNotNull,
    /// Rows of a table about to get a NOT NULL column without default (the step fails on any).
    RowsForNotNullColumn,
    /// Groups of rows sharing a key about to be made unique (or a primary key).
    DuplicateGroups,
    /// Rows whose key is NULL in a new primary key.
    NullKeys,
    /// Rows without a matching row in the table a new foreign key references.
    OrphanRows,
    /// Non-NULL values in a column about to be dropped.
    ValuesInDroppedColumn,
    /// Rows in a table about to be dropped.
    RowsInDroppedTable,
    /// Values that do not fit (or cast to) a column's new type.
    ValuesNotFitting,
    /// Rows holding an enum label about to be removed.
    RowsWithRemovedLabel,
}

impl FactKind {
    pub fn name(self) -> &'static str {
        match self {
            FactKind::NullsBeforeNotNull => "nulls_before_not_null",
            FactKind::RowsForNotNullColumn => "rows_for_not_null_column",
            FactKind::DuplicateGroups => "duplicate_groups",
            FactKind::NullKeys => "null_keys",
            FactKind::OrphanRows => "orphan_rows",
            FactKind::ValuesInDroppedColumn => "values_in_dropped_column",
            FactKind::RowsInDroppedTable => "rows_in_dropped_table",
            FactKind::ValuesNotFitting => "values_not_fitting",
            FactKind::RowsWithRemovedLabel => "rows_with_removed_label",
        }
    }
}

/// How a number was obtained.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// `count(*)` finished within the timeout: exact.
    Counted,
    /// The count timed out; this is the catalog's estimate.
    Estimated,
    /// The count timed out and the catalog has no estimate.
    Unknown,
}

/// One measured hazard.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataFact {
    /// Index in the plan's `changes`.
    pub change: usize,
    pub kind: FactKind,
    /// The table (and column) counted, e.g. `public.users.email`.
    pub object: String,
    /// `None` when [`Source::Unknown`].
    pub count: Option<i64>,
    pub source: Source,
}

/// The catalog's size of a table: `pg_class.reltuples` (`None`: never analyzed) and
/// `pg_total_relation_size`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableSize {
    pub table: QualifiedName,
    pub estimated_rows: Option<i64>,
    pub bytes: i64,
}

/// Everything measured for one plan.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DataReport {
    pub facts: Vec<DataFact>,
    pub sizes: Vec<TableSize>,
    /// The per-query timeout used.
    pub timeout: Duration,
}

/// One count to run, and its fallback estimate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Probe {
    pub change: usize,
    pub kind: FactKind,
    pub object: String,
    /// A query returning one bigint.
    pub count: String,
    /// A catalog query returning one nullable bigint, used when the count times out.
    pub estimate: Option<String>,
}

/// The probes for `plan` over `current` (the database's model). Pure; `pg16` says whether
/// `pg_input_is_valid` exists (PostgreSQL ≥ 16), which measures arbitrary casts.
pub(crate) fn probes(plan: &Plan, current: &Schema, pg16: bool) -> Vec<Probe> {
    let exists = |q: &QualifiedName| current.table(&q.schema, &q.name).is_some();
    let mut out = Vec::new();
    for (i, change) in plan.changes.iter().enumerate() {
        let mut push = |kind, object: String, count: String, estimate: Option<String>| {
            out.push(Probe {
                change: i,
                kind,
                object,
                count,
                estimate,
            })
        };
        match change {
            Change::SetNotNull { table, column } if exists(table) => push(
                FactKind::NullsBeforeNotNull,
                format!("{table}.{column}"),
                format!(
                    "SELECT count(*) FROM {} WHERE {} IS NULL",
                    table.to_sql(),
                    quote(column)
                ),
                Some(null_estimate(table, column, true)),
            ),
            Change::AddColumn { table, column }
                if exists(table)
                    && !column.nullable
                    && column.default.is_none()
                    && column.identity.is_none()
                    && column.generated.is_none() =>
            {
                push(
                    FactKind::RowsForNotNullColumn,
                    format!("{table}.{}", column.name),
                    format!("SELECT count(*) FROM {}", table.to_sql()),
                    Some(rows_estimate(table)),
                )
            }
            Change::AddIndex { table, index } if index.unique && exists(table) => push(
                FactKind::DuplicateGroups,
                format!("{table}.{}", index.name),
                duplicates(table, index),
                None,
            ),
            Change::AddPrimaryKey { table, primary_key } if exists(table) => {
                let cols: Vec<&str> = primary_key.columns.iter().map(String::as_str).collect();
                let index = Index::on_columns(&primary_key.name, &cols, true);
                push(
                    FactKind::DuplicateGroups,
                    format!("{table}.{}", primary_key.name),
                    duplicates(
                        table,
                        &Index {
                            nulls_not_distinct: true,
                            ..index
                        },
                    ),
                    None,
                );
                push(
                    FactKind::NullKeys,
                    format!("{table}.{}", primary_key.name),
                    format!(
                        "SELECT count(*) FROM {} WHERE {}",
                        table.to_sql(),
                        cols.iter()
                            .map(|c| format!("{} IS NULL", quote(c)))
                            .collect::<Vec<_>>()
                            .join(" OR ")
                    ),
                    None,
                );
            }
            Change::AddForeignKey { table, foreign_key } if exists(table) => push(
                FactKind::OrphanRows,
                format!("{table}.{}", foreign_key.name),
                orphans(table, foreign_key, exists(&foreign_key.referenced())),
                None,
            ),
            Change::DropColumn { table, column } if exists(table) => push(
                FactKind::ValuesInDroppedColumn,
                format!("{table}.{}", column.name),
                format!(
                    "SELECT count(*) FROM {} WHERE {} IS NOT NULL",
                    table.to_sql(),
                    quote(&column.name)
                ),
                Some(null_estimate(table, &column.name, false)),
            ),
            Change::DropTable { table } if exists(&table.qualified_name()) => {
                let q = table.qualified_name();
                push(
                    FactKind::RowsInDroppedTable,
                    q.to_string(),
                    format!("SELECT count(*) FROM {}", q.to_sql()),
                    Some(rows_estimate(&q)),
                )
            }
            Change::AlterColumnType {
                table,
                column,
                from,
                to,
                ..
            } if exists(table) && autogen_diff::casts::is_lossy(from, to) => {
                if let Some(cond) = not_fitting(column, from, to, pg16) {
                    push(
                        FactKind::ValuesNotFitting,
                        format!("{table}.{column}"),
                        format!("SELECT count(*) FROM {} WHERE {cond}", table.to_sql()),
                        None,
                    )
                }
            }
            Change::RemoveEnumValue {
                value,
                usages,
                moved: false,
                ..
            } => {
                for (table, column) in usages.iter().filter(|(t, _)| exists(t)) {
                    let is_array = current
                        .table(&table.schema, &table.name)
                        .and_then(|t| t.column(column))
                        .is_some_and(|c| matches!(c.ty, Type::Array { .. }));
                    let c = quote(column);
                    let cond = if is_array {
                        format!("{} = ANY ({c}::text[])", literal(value))
                    } else {
                        format!("{c}::text = {}", literal(value))
                    };
                    push(
                        FactKind::RowsWithRemovedLabel,
                        format!("{table}.{column}"),
                        format!("SELECT count(*) FROM {} WHERE {cond}", table.to_sql()),
                        None,
                    )
                }
            }
            _ => {}
        }
    }
    out
}

fn rows_estimate(table: &QualifiedName) -> String {
    format!(
        "SELECT CASE WHEN reltuples < 0 THEN NULL ELSE reltuples::bigint END FROM pg_class \
         WHERE oid = {}::regclass",
        literal(&table.to_sql())
    )
}

/// `null_frac × reltuples` from the planner's statistics (`nulls`), or its complement.
fn null_estimate(table: &QualifiedName, column: &str, nulls: bool) -> String {
    let frac = if nulls {
        "s.null_frac"
    } else {
        "(1 - s.null_frac)"
    };
    format!(
        "SELECT round({frac} * c.reltuples)::bigint FROM pg_class c JOIN pg_stats s \
         ON s.schemaname = {} AND s.tablename = {} AND s.attname = {} \
         WHERE c.oid = {}::regclass AND c.reltuples >= 0",
        literal(&table.schema),
        literal(&table.name),
        literal(column),
        literal(&table.to_sql())
    )
}

/// Groups of rows that share the index's key (rows with a NULL key part are distinct unless
/// NULLS NOT DISTINCT), within the index's predicate.
fn duplicates(table: &QualifiedName, index: &Index) -> String {
    let keys: Vec<String> = index
        .keys
        .iter()
        .map(|k| match &k.part {
            KeyPart::Column(c) => quote(c),
            KeyPart::Expression(e) => format!("({e})"),
        })
        .collect();
    let mut conds: Vec<String> = Vec::new();
    if !index.nulls_not_distinct {
        conds.extend(keys.iter().map(|k| format!("{k} IS NOT NULL")));
    }
    if let Some(p) = &index.predicate {
        conds.push(format!("({p})"));
    }
    let filter = if conds.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conds.join(" AND "))
    };
    format!(
        "SELECT count(*) FROM (SELECT 1 FROM {}{filter} GROUP BY {} HAVING count(*) > 1) d",
        table.to_sql(),
        keys.join(", ")
    )
}

/// Rows whose (all non-NULL) key has no match in the referenced table (MATCH SIMPLE: a key with
/// a NULL part is not checked). When the referenced table does not exist yet, every such row.
fn orphans(table: &QualifiedName, fk: &ForeignKey, referenced_exists: bool) -> String {
    let not_null: Vec<String> = fk
        .columns
        .iter()
        .map(|c| format!("c.{} IS NOT NULL", quote(c)))
        .collect();
    let mut sql = format!(
        "SELECT count(*) FROM {} c WHERE {}",
        table.to_sql(),
        not_null.join(" AND ")
    );
    if referenced_exists {
        let matches: Vec<String> = fk
            .columns
            .iter()
            .zip(&fk.ref_columns)
            .map(|(c, r)| format!("p.{} = c.{}", quote(r), quote(c)))
            .collect();
        sql.push_str(&format!(
            " AND NOT EXISTS (SELECT 1 FROM {} p WHERE {})",
            fk.referenced().to_sql(),
            matches.join(" AND ")
        ));
    }
    sql
}

/// A condition true for the values of `column` (type `from`) that do not fit `to`; `None` when
/// it cannot be said read-only on this server.
fn not_fitting(column: &str, from: &Type, to: &Type, pg16: bool) -> Option<String> {
    let c = quote(column);
    let int_range = |t: &Type| match t {
        Type::SmallInt => Some((i16::MIN as i64, i16::MAX as i64)),
        Type::Integer => Some((i32::MIN as i64, i32::MAX as i64)),
        _ => None,
    };
    let string = |t: &Type| matches!(t, Type::Text | Type::Varchar { .. } | Type::Char { .. });
    match (from, to) {
        (f, Type::Varchar { length: Some(n) } | Type::Char { length: Some(n) }) if string(f) => {
            Some(format!("char_length({c}) > {n}"))
        }
        (
            Type::SmallInt | Type::Integer | Type::BigInt | Type::Numeric { .. },
            Type::SmallInt | Type::Integer,
        ) => {
            let (lo, hi) = int_range(to)?;
            Some(format!("{c} NOT BETWEEN {lo} AND {hi}"))
        }
        (
            Type::SmallInt | Type::Integer | Type::BigInt | Type::Numeric { .. },
            Type::Numeric {
                precision: Some(p),
                scale,
            },
        ) => {
            let s = scale.unwrap_or(0);
            Some(format!(
                "abs(round({c}::numeric, {s})) >= 10::numeric ^ {}",
                p.saturating_sub(s)
            ))
        }
        _ if pg16 => Some(format!(
            "{c} IS NOT NULL AND NOT pg_input_is_valid({c}::text, {})",
            literal(&to.to_sql())
        )),
        _ => None,
    }
}

/// Connects to `url` and measures every probe of `plan` and the size of every existing table
/// the plan locks (`locked`), read-only, each count bounded by `timeout`.
pub async fn measure(
    url: &str,
    plan: &Plan,
    current: &Schema,
    locked: &[QualifiedName],
    timeout: Duration,
) -> Result<DataReport, Error> {
    let (client, target) = crate::connect::connect(url).await?;
    let fail = |what: &str, e: tokio_postgres::Error| Error::Measure {
        what: what.to_string(),
        target: target.clone(),
        message: crate::error::pg_message(&e),
    };
    client
        .batch_execute("START TRANSACTION READ ONLY")
        .await
        .map_err(|e| fail("a READ ONLY transaction", e))?;
    let version: i32 = client
        .query_one("SELECT current_setting('server_version_num')::int", &[])
        .await
        .map_err(|e| fail("the server version", e))?
        .get(0);
    let ms = timeout.as_millis().max(1);
    let mut report = DataReport {
        timeout,
        ..DataReport::default()
    };
    for p in probes(plan, current, version >= 160_000) {
        let (count, source) = match bounded(&client, &p.count, ms).await {
            Ok(n) => (n, Source::Counted),
            Err(e) if is_timeout(&e) => {
                let est = match &p.estimate {
                    // A catalog lookup: never slow, but not bound by the tight timeout.
                    Some(q) => bounded(&client, q, ms.max(5_000)).await.ok().flatten(),
                    None => None,
                };
                match est {
                    Some(n) => (Some(n), Source::Estimated),
                    None => (None, Source::Unknown),
                }
            }
            Err(e) => return Err(fail(&format!("counting {}", p.object), e)),
        };
        report.facts.push(DataFact {
            change: p.change,
            kind: p.kind,
            object: p.object,
            count,
            source,
        });
    }
    for table in locked {
        let row = client
            .query_opt(
                "SELECT CASE WHEN reltuples < 0 THEN NULL ELSE reltuples::bigint END, \
                 pg_total_relation_size(oid) FROM pg_class WHERE oid = to_regclass($1)",
                &[&table.to_sql()],
            )
            .await
            .map_err(|e| fail("table sizes", e))?;
        if let Some(row) = row {
            report.sizes.push(TableSize {
                table: table.clone(),
                estimated_rows: row.get(0),
                bytes: row.get(1),
            });
        }
    }
    let _ = client.batch_execute("ROLLBACK").await;
    Ok(report)
}

/// Runs `query` (one nullable bigint) in a savepoint under `statement_timeout`; the savepoint
/// is rolled back on error so the transaction goes on.
async fn bounded(
    client: &tokio_postgres::Client,
    query: &str,
    ms: u128,
) -> Result<Option<i64>, tokio_postgres::Error> {
    client
        .batch_execute(&format!(
            "SAVEPOINT probe; SET LOCAL statement_timeout = {ms}"
        ))
        .await?;
    let result = client.query_opt(query, &[]).await;
    match result {
        Ok(row) => {
            client.batch_execute("RELEASE SAVEPOINT probe").await?;
            Ok(row.and_then(|r| r.get::<_, Option<i64>>(0)))
        }
        Err(e) => {
            client
                .batch_execute("ROLLBACK TO SAVEPOINT probe; RELEASE SAVEPOINT probe")
                .await?;
            Err(e)
        }
    }
}

fn is_timeout(e: &tokio_postgres::Error) -> bool {
    e.code() == Some(&tokio_postgres::error::SqlState::QUERY_CANCELED)
}

#[cfg(test)]
mod tests;
