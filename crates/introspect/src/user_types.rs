//! Enum types (`enums.sql`) and domains (`domains.sql`).

use autogen_schema::{Check, Domain, EnumType};
use tokio_postgres::Row;

use crate::constraints::check_expression;
use crate::row::Reader;
use crate::{Error, types};

pub(crate) fn lower_enum(row: &Row, r: Reader<'_>) -> Result<EnumType, Error> {
    Ok(EnumType {
        schema: r.get(row, "schema")?,
        name: r.get(row, "name")?,
        labels: r.get(row, "labels")?,
        origin: None,
    })
}

pub(crate) fn lower_domain(row: &Row, r: Reader<'_>) -> Result<Domain, Error> {
    let names: Vec<String> = r.get(row, "check_names")?;
    let defs: Vec<String> = r.get(row, "check_defs")?;
    let checks = names
        .into_iter()
        .zip(defs)
        .map(|(name, def)| Check {
            name,
            no_inherit: false,
            not_valid: false,
            expression: check_expression(&def),
        })
        .collect();
    Ok(Domain {
        schema: r.get(row, "schema")?,
        name: r.get(row, "name")?,
        base: types::from_row(row, r)?,
        not_null: r.get(row, "not_null")?,
        default: r.get(row, "default_expr")?,
        checks,
    })
}
