//! Primary keys, foreign keys and CHECK constraints (`constraints.sql`).

use std::collections::HashMap;

use autogen_schema::{Check, FkAction, ForeignKey, MatchType, PrimaryKey, Table};
use tokio_postgres::Row;

use crate::Error;
use crate::row::Reader;

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
        let name: String = r.get(row, "name")?;
        let columns: Vec<String> = r.get(row, "columns")?;
        let kind: String = r.get(row, "kind")?;
        match kind.as_str() {
            "p" => table.primary_key = Some(PrimaryKey { name, columns }),
            "f" => table.foreign_keys.push(ForeignKey {
                name,
                columns,
                ref_schema: r
                    .get::<Option<String>>(row, "ref_schema")?
                    .unwrap_or_default(),
                ref_table: r
                    .get::<Option<String>>(row, "ref_table")?
                    .unwrap_or_default(),
                ref_columns: r.get(row, "ref_columns")?,
                on_delete: action(&r.get::<String>(row, "on_delete")?),
                on_update: action(&r.get::<String>(row, "on_update")?),
                match_type: match r.get::<String>(row, "match_type")?.as_str() {
                    "f" => MatchType::Full,
                    "p" => MatchType::Partial,
                    _ => MatchType::Simple,
                },
                deferrable: r.get(row, "deferrable")?,
                initially_deferred: r.get(row, "deferred")?,
                actions_stated: Default::default(),
            }),
            "c" => {
                let definition: String = r.get(row, "definition")?;
                table.checks.push(Check {
                    name,
                    expression: check_expression(&definition),
                    no_inherit: r.get(row, "no_inherit")?,
                });
            }
            _ => {}
        }
    }
    Ok(())
}

/// `confupdtype` / `confdeltype` code → action.
fn action(code: &str) -> FkAction {
    match code {
        "r" => FkAction::Restrict,
        "c" => FkAction::Cascade,
        "n" => FkAction::SetNull,
        "d" => FkAction::SetDefault,
        _ => FkAction::NoAction,
    }
}

/// The text inside `CHECK (…)` of a `pg_get_constraintdef` result, keeping Postgres's own
/// parentheses: `CHECK ((price > 0)) NO INHERIT` → `(price > 0)`. Text that does not have that
/// shape is returned whole.
pub(crate) fn check_expression(definition: &str) -> String {
    let Some(rest) = definition.trim().strip_prefix("CHECK ") else {
        return definition.trim().to_string();
    };
    let rest = rest.trim_start();
    if !rest.starts_with('(') {
        return rest.to_string();
    }
    let mut depth = 0usize;
    let mut in_string = false;
    let mut in_ident = false;
    for (i, c) in rest.char_indices() {
        match c {
            '\'' if !in_ident => in_string = !in_string,
            '"' if !in_string => in_ident = !in_ident,
            '(' if !in_string && !in_ident => depth += 1,
            ')' if !in_string && !in_ident => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return rest[1..i].to_string();
                }
            }
            _ => {}
        }
    }
    rest.to_string()
}

#[cfg(test)]
mod tests {
    use super::check_expression;

    #[test]
    fn check_bodies_keep_postgres_parentheses() {
        assert_eq!(
            check_expression("CHECK ((price > (0)::numeric))"),
            "(price > (0)::numeric)"
        );
        assert_eq!(
            check_expression("CHECK ((length(name) < 100)) NO INHERIT"),
            "(length(name) < 100)"
        );
        assert_eq!(
            check_expression("CHECK ((s <> ')'::text)) NOT VALID"),
            "(s <> ')'::text)"
        );
        assert_eq!(check_expression("CHECK ((\"a)\" > 0))"), "(\"a)\" > 0)");
        assert_eq!(check_expression("CHECK (flag)"), "flag");
    }
}
