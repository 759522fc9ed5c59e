//! One line of plain English per change (the migration header, `--sql` previews), and which
//! changes are destructive: drop table, drop column, type narrowing, enum value removal and
//! `SET NOT NULL`.

use autogen_diff::Change;
use autogen_schema::{Identity, IdentityGeneration, Index, QualifiedName};

use crate::casts;
use crate::names::{ident_list, lit, table_display, type_sql};

/// A one-line description of `change`, e.g. `add column post.views (integer NOT NULL)`.
pub fn describe(change: &Change) -> String {
    use Change::*;
    let col = |t: &QualifiedName, c: &str| format!("{}.{}", table_display(t), c);
    match change {
        CreateEnum { enum_type } => format!(
            "create enum {} ({})",
            enum_name(&enum_type.qualified_name()),
            enum_type.labels.iter().map(|l| lit(l)).collect::<Vec<_>>().join(", ")
        ),
        DropEnum { enum_type } => format!("drop enum {}", enum_name(&enum_type.qualified_name())),
        AddEnumValue { enum_type, value, .. } => {
            format!("add value {} to enum {}", lit(value), enum_name(&enum_type.qualified_name()))
        }
        RemoveEnumValue { enum_type, value, .. } => format!(
            "remove value {} from enum {} (recreates the type)",
            lit(value),
            enum_name(&enum_type.qualified_name())
        ),
        CreateTable { table } => format!("create table {}", table_display(&table.qualified_name())),
        DropTable { table } => format!("drop table {}", table_display(&table.qualified_name())),
        RenameTable { from, to } => format!("rename table {} to {}", table_display(from), to),
        AddColumn { table, column } => format!(
            "add column {} ({}{})",
            col(table, &column.name),
            type_sql(&column.ty),
            if column.nullable { "" } else { " NOT NULL" }
        ),
        DropColumn { table, column } => format!("drop column {}", col(table, &column.name)),
        RenameColumn { table, from, to } => {
            format!("rename column {} to {}", col(table, from), to)
        }
        AlterColumnType { table, column, from, to, using, .. } => format!(
            "change type of {} from {} to {}{}",
            col(table, column),
            type_sql(from),
            type_sql(to),
            using.as_ref().map(|u| format!(" using {u}")).unwrap_or_default()
        ),
        SetNotNull { table, column } => format!("set NOT NULL on {}", col(table, column)),
        DropNotNull { table, column } => format!("drop NOT NULL on {}", col(table, column)),
        AlterDefault { table, column, from, to } => match (from, to) {
            (_, Some(to)) if from.is_none() => format!("set default of {} to {to}", col(table, column)),
            (Some(from), Some(to)) => {
                format!("change default of {} from {from} to {to}", col(table, column))
            }
            (Some(from), None) => format!("drop default of {} (was {from})", col(table, column)),
            _ => format!("leave default of {} unset", col(table, column)),
        },
        AlterIdentity { table, column, from, to } => match (from, to) {
            (None, Some(to)) => format!("add identity ({}) to {}", identity(to), col(table, column)),
            (Some(_), None) => format!("drop identity of {}", col(table, column)),
            (Some(from), Some(to)) => format!(
                "change identity of {} from ({}) to ({})",
                col(table, column),
                identity(from),
                identity(to)
            ),
            (None, None) => format!("leave {} without identity", col(table, column)),
        },
        AddIndex { table, index } => {
            format!("add {} {} on {} ({})", index_kind(index), index.name, table_display(table), keys(index))
        }
        DropIndex { table, index } => {
            format!("drop {} {} on {}", index_kind(index), index.name, table_display(table))
        }
        RenameIndex { table, from, to } => {
            format!("rename index {from} on {} to {to}", table_display(table))
        }
        AddPrimaryKey { table, primary_key } => format!(
            "add primary key {} on {} ({})",
            primary_key.name,
            table_display(table),
            primary_key.columns.join(", ")
        ),
        DropPrimaryKey { table, primary_key } => {
            format!("drop primary key {} on {}", primary_key.name, table_display(table))
        }
        AddForeignKey { table, foreign_key: fk } => format!(
            "add foreign key {} {} ({}) -> {} ({})",
            fk.name,
            table_display(table),
            fk.columns.join(", "),
            table_display(&fk.referenced()),
            fk.ref_columns.join(", ")
        ),
        DropForeignKey { table, foreign_key } => {
            format!("drop foreign key {} on {}", foreign_key.name, table_display(table))
        }
        RenameForeignKey { table, from, to } => {
            format!("rename foreign key {from} on {} to {to}", table_display(table))
        }
        AddCheck { table, check } => {
            format!("add check {} on {} {}", check.name, table_display(table), check.expression)
        }
        DropCheck { table, check } => format!("drop check {} on {}", check.name, table_display(table)),
        SetTableComment { table, to, .. } => match to {
            Some(c) => format!("set comment on table {} to {}", table_display(table), lit(c)),
            None => format!("remove comment on table {}", table_display(table)),
        },
        SetColumnComment { table, column, to, .. } => match to {
            Some(c) => format!("set comment on column {} to {}", col(table, column), lit(c)),
            None => format!("remove comment on column {}", col(table, column)),
        },
    }
}

/// Why `change` can lose data or fail on existing rows, or `None` when it cannot.
pub fn destructive(change: &Change) -> Option<String> {
    use Change::*;
    let why = match change {
        DropTable { .. } => "the table and its rows are deleted",
        DropColumn { .. } => "the column's values are deleted",
        RemoveEnumValue { .. } => "fails while rows hold the value",
        SetNotNull { .. } => "fails while the column holds NULLs",
        AlterColumnType { from, to, .. } if !casts::is_widening(from, to) => {
            "the new type may not hold every existing value"
        }
        _ => return None,
    };
    Some(format!("{}: {why}", describe(change)))
}

fn enum_name(q: &QualifiedName) -> String {
    table_display(q)
}

fn index_kind(index: &Index) -> &'static str {
    match (index.unique, index.constraint) {
        (true, true) => "unique constraint",
        (true, false) => "unique index",
        (false, _) => "index",
    }
}

fn keys(index: &Index) -> String {
    match index.column_names() {
        Some(cols) => ident_list(&cols.iter().map(|c| c.to_string()).collect::<Vec<_>>()),
        None => crate::sql::index_keys_sql(index),
    }
}

fn identity(i: &Identity) -> String {
    let generation = match i.generation {
        IdentityGeneration::Always => "ALWAYS",
        IdentityGeneration::ByDefault => "BY DEFAULT",
    };
    let opts = crate::sql::sequence_options_sql(&i.options);
    if opts.is_empty() { generation.to_string() } else { format!("{generation} {opts}") }
}
