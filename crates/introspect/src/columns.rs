//! Columns in ordinal order (`columns.sql`): type, nullability, default, identity with its
//! non-default sequence options, generated expression, collation, comment.

use std::collections::HashMap;

use autogen_schema::{Column, Identity, IdentityGeneration, Table};
use tokio_postgres::Row;

use crate::row::Reader;
use crate::sequences::RawOptions;
use crate::{Error, types};

pub(crate) fn lower(
    rows: &[Row],
    tables: &mut HashMap<u32, Table>,
    r: Reader<'_>,
) -> Result<(), Error> {
    for row in rows {
        let oid: u32 = r.get(row, "table_oid")?;
        let Some(table) = tables.get_mut(&oid) else {
            continue;
        };
        let ty = types::from_row(row, r)?;
        let mut column = Column::new(r.get::<String>(row, "name")?, ty);
        column.nullable = !r.get::<bool>(row, "not_null")?;
        let expr: Option<String> = r.get(row, "default_expr")?;
        let generated: String = r.get(row, "generated")?;
        // `s` = STORED; PostgreSQL 18 adds `v` = VIRTUAL, which the model does not tell apart.
        if !generated.is_empty() {
            column.generated = expr;
        } else {
            column.default = expr;
        }
        let identity: String = r.get(row, "identity")?;
        let generation = match identity.as_str() {
            "a" => Some(IdentityGeneration::Always),
            "d" => Some(IdentityGeneration::ByDefault),
            _ => None,
        };
        if let Some(generation) = generation {
            let options = RawOptions::from_row(row, r)?
                .map(|o| o.non_default(&column.ty))
                .unwrap_or_default();
            column.identity = Some(Identity {
                generation,
                options,
            });
        }
        column.collation = r.get(row, "collation")?;
        column.comment = r.get(row, "comment")?;
        table.columns.push(column);
    }
    Ok(())
}
