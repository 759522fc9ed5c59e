//! Tables, partitioned tables, views and materialized views (`relations.sql`).

use std::collections::HashMap;

use autogen_schema::{QualifiedName, Table, View};
use tokio_postgres::Row;

use crate::row::Reader;
use crate::{Error, Options};

/// The tables by `pg_class` oid, and the views.
pub(crate) struct Relations {
    pub tables: HashMap<u32, Table>,
    pub views: Vec<View>,
}

/// True when `opts` excludes the relation `schema.name`.
pub(crate) fn is_excluded(opts: &Options, schema: &str, name: &str) -> bool {
    opts.exclude_tables.iter().any(|e| {
        e == name
            || e.split_once('.')
                .is_some_and(|(s, n)| s == schema && n == name)
    })
}

pub(crate) fn lower(rows: &[Row], opts: &Options, r: Reader<'_>) -> Result<Relations, Error> {
    let mut out = Relations {
        tables: HashMap::new(),
        views: Vec::new(),
    };
    for row in rows {
        let schema: String = r.get(row, "schema")?;
        let name: String = r.get(row, "name")?;
        if is_excluded(opts, &schema, &name) {
            continue;
        }
        let kind: String = r.get(row, "kind")?;
        match kind.as_str() {
            "v" | "m" => {
                let reads: Option<String> = r.get(row, "reads")?;
                out.views.push(View {
                    schema,
                    name,
                    materialized: kind == "m",
                    reads: reads.as_deref().map(view_reads).unwrap_or_default(),
                })
            }
            _ => {
                let mut table = Table::new(schema, name);
                table.comment = r.get(row, "comment")?;
                table.partition_key = r.get(row, "partition_key")?;
                out.tables.insert(r.get(row, "oid")?, table);
            }
        }
    }
    Ok(out)
}

/// The `reads` column: a JSON array of `[schema, table, column]`, sorted.
fn view_reads(json: &str) -> Vec<(QualifiedName, String)> {
    let Ok(serde_json::Value::Array(items)) = serde_json::from_str(json) else {
        return Vec::new();
    };
    let mut out: Vec<(QualifiedName, String)> = items
        .iter()
        .filter_map(|item| {
            let part = |i: usize| item.get(i)?.as_str().map(str::to_string);
            Some((QualifiedName::new(part(0)?, part(1)?), part(2)?))
        })
        .collect();
    out.sort();
    out.dedup();
    out
}
