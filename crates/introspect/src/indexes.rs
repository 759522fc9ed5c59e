//! Indexes and unique constraints (`indexes.sql`); the primary key's index is not listed.

use std::collections::HashMap;

use autogen_schema::{Index, IndexKey, KeyPart, Table};
use tokio_postgres::Row;

use crate::Error;
use crate::row::Reader;

/// `indoption` bits.
const INDOPTION_DESC: i16 = 1;
const INDOPTION_NULLS_FIRST: i16 = 2;

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
        let key_count = usize::try_from(r.get::<i32>(row, "key_count")?).unwrap_or(0);
        let parts: Vec<Option<String>> = r.get(row, "parts")?;
        let is_column: Vec<bool> = r.get(row, "is_column")?;
        let options: Vec<i16> = r.get(row, "options")?;
        let opclasses: Vec<Option<String>> = r.get(row, "opclasses")?;
        let collations: Vec<Option<String>> = r.get(row, "collations")?;
        let mut keys = Vec::new();
        let mut include = Vec::new();
        for (i, part) in parts.into_iter().enumerate() {
            let part = part.unwrap_or_default();
            if i >= key_count {
                include.push(part);
                continue;
            }
            let option = options.get(i).copied().unwrap_or(0);
            keys.push(IndexKey {
                part: if is_column.get(i).copied().unwrap_or(true) {
                    KeyPart::Column(part)
                } else {
                    KeyPart::Expression(part)
                },
                descending: option & INDOPTION_DESC != 0,
                nulls_first: option & INDOPTION_NULLS_FIRST != 0,
                opclass: opclasses.get(i).cloned().flatten(),
                collation: collations.get(i).cloned().flatten(),
            });
        }
        let constraint_kind: Option<String> = r.get(row, "constraint_kind")?;
        table.indexes.push(Index {
            name: r.get(row, "name")?,
            unique: r.get(row, "is_unique")?,
            constraint: constraint_kind.as_deref() == Some("u"),
            method: r.get(row, "method")?,
            keys,
            include,
            predicate: r.get(row, "predicate")?,
            nulls_not_distinct: r.get(row, "nulls_not_distinct")?,
            invalid: r.get(row, "invalid")?,
            deferrable: r.get(row, "deferrable")?,
            initially_deferred: r.get(row, "initially_deferred")?,
        });
    }
    Ok(())
}
