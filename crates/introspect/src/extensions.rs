//! Installed extensions (`extensions.sql`), with the objects outside each that depend on it.

use autogen_schema::{Extension, QualifiedName};
use tokio_postgres::Row;

use crate::Error;
use crate::row::Reader;

pub(crate) fn lower(row: &Row, r: Reader<'_>) -> Result<Extension, Error> {
    let indexes: Vec<String> = r.get(row, "dependent_indexes")?;
    Ok(Extension {
        name: r.get(row, "name")?,
        schema: Some(r.get(row, "schema")?),
        version: r.get(row, "version")?,
        dependents: r.get(row, "dependents")?,
        dependent_indexes: indexes
            .iter()
            .filter_map(|q| q.split_once('.'))
            .map(|(s, n)| QualifiedName::new(s, n))
            .collect(),
        origin: None,
    })
}
