//! Typed access to catalog rows, with errors instead of panics.

use tokio_postgres::Row;
use tokio_postgres::types::FromSql;

use crate::Error;

/// Column `col` of `row`; a type mismatch is an [`Error::Query`] naming the query.
pub(crate) fn get<'a, T: FromSql<'a>>(
    row: &'a Row,
    col: &str,
    what: &'static str,
    target: &str,
) -> Result<T, Error> {
    row.try_get(col).map_err(|e| Error::Query {
        what,
        target: target.to_string(),
        message: format!("column {col}: {e}"),
    })
}

/// A reader bound to one query's name and the server description, so call sites stay short.
#[derive(Clone, Copy)]
pub(crate) struct Reader<'t> {
    pub what: &'static str,
    pub target: &'t str,
}

impl<'t> Reader<'t> {
    pub(crate) fn get<'a, T: FromSql<'a>>(&self, row: &'a Row, col: &str) -> Result<T, Error> {
        get(row, col, self.what, self.target)
    }
}
