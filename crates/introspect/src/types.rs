//! Column and domain types: user-defined types (enums, domains, composites, and arrays of
//! them) keep their schema as [`Type::Named`]; built-ins are parsed from `format_type` text.

use autogen_schema::Type;
use tokio_postgres::Row;

use crate::Error;
use crate::row::Reader;

/// `typtype` values of user-definable types that are referenced by schema and name.
fn is_user_kind(kind: Option<&str>) -> bool {
    matches!(kind, Some("e" | "d" | "c"))
}

/// The type from a row with the columns `type_text`, `type_kind`, `type_schema`, `type_name`,
/// `elem_kind`, `elem_schema`, `elem_name` (see `columns.sql`, `domains.sql`).
pub(crate) fn from_row(row: &Row, r: Reader<'_>) -> Result<Type, Error> {
    let kind: Option<String> = r.get(row, "type_kind")?;
    if is_user_kind(kind.as_deref()) {
        return Ok(Type::named(
            r.get::<String>(row, "type_schema")?,
            r.get::<String>(row, "type_name")?,
        ));
    }
    let elem_kind: Option<String> = r.get(row, "elem_kind")?;
    if is_user_kind(elem_kind.as_deref()) {
        let schema: Option<String> = r.get(row, "elem_schema")?;
        let name: Option<String> = r.get(row, "elem_name")?;
        if let (Some(schema), Some(name)) = (schema, name) {
            return Ok(Type::array(Type::named(schema, name)));
        }
    }
    let text: String = r.get(row, "type_text")?;
    Ok(Type::parse_pg(&text))
}
