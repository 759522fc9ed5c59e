//! The named exceptions: things an entity declares that SeaORM 2.0.4 never creates on Postgres.
//! The loader rightly keeps them in the desired model (autogen's own migrations emit them), so
//! the oracle strips exactly these from the desired side before comparing — listed here, by
//! name and reason, never skipped silently. Each reports what it stripped, and a test requires
//! every exception to have stripped something in at least one fixture set, so none is stale.

use autogen_schema::Schema;

/// One thing SeaORM declares but does not emit on Postgres.
pub struct Exception {
    pub name: &'static str,
    pub why: &'static str,
    /// Removes the thing from the desired model; returns one line per object stripped.
    pub strip: fn(&mut Schema) -> Vec<String>,
}

pub const EXCEPTIONS: &[Exception] = &[
    Exception {
        name: "table comments",
        why: "sea-query 1.0.2 writes a table comment only in MySQL's table options; the Postgres \
              backend emits no COMMENT ON TABLE (SchemaBuilder::apply runs only CREATE TYPE / \
              CREATE TABLE / CREATE INDEX)",
        strip: strip_table_comments,
    },
    Exception {
        name: "column comments",
        why: "sea-query 1.0.2's PostgresQueryBuilder drops ColumnSpec::comment (`let _ = x;` in \
              backend/postgres/table.rs) and the base TableBuilder::column_comment is a no-op; \
              this also swallows `renamed_from`, which SeaORM smuggles into the column comment",
        strip: strip_column_comments,
    },
];

fn strip_table_comments(schema: &mut Schema) -> Vec<String> {
    let mut stripped = Vec::new();
    for t in &mut schema.tables {
        if let Some(c) = t.comment.take() {
            stripped.push(format!("{}.{}: {c:?}", t.schema, t.name));
        }
    }
    stripped
}

fn strip_column_comments(schema: &mut Schema) -> Vec<String> {
    let mut stripped = Vec::new();
    for t in &mut schema.tables {
        for col in &mut t.columns {
            if let Some(c) = col.comment.take() {
                stripped.push(format!("{}.{}.{}: {c:?}", t.schema, t.name, col.name));
            }
        }
    }
    stripped
}

/// Applies every exception to `desired`; returns `(exception name, what it stripped)` pairs.
pub fn apply_all(desired: &mut Schema) -> Vec<(&'static str, Vec<String>)> {
    EXCEPTIONS
        .iter()
        .map(|e| (e.name, (e.strip)(desired)))
        .collect()
}
