//! One [`Difference`] per planned change: what differs, as "desired (entities) vs current
//! (database)", with a unified diff (via `similar`) where text is compared. Shared by the text
//! report, `--format json` and `--format github`.

use std::fmt::Write;

use autogen_diff::{Change, Plan};
use autogen_schema::{Identity, Origin, Schema, Table};
use serde::Serialize;

/// One difference between entities and database, as the user reads it.
#[derive(Debug, Serialize)]
pub struct Difference {
    /// `public.users` (or `enum public.post_status`).
    pub object: String,
    /// What differs: `column email`, `index idx-posts-title`, `nullability of bio`.
    pub what: String,
    /// In the entities.
    pub desired: String,
    /// In the database.
    pub current: String,
    pub destructive: bool,
    /// A non-`Option` field over a nullable column, or the reverse.
    pub nullability: bool,
    /// A unified diff (current → desired) when text is compared.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text_diff: Option<String>,
    /// `Change::describe()`: the step `revision` would write.
    pub change: String,
    /// Where the entities declare the object (the field, else the entity, else the enum);
    /// filled by [`differences_at`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub declared_at: Option<Origin>,
}

/// The plan's differences. A foreign key added to a table the plan creates, or dropped from one
/// it drops, is part of that table's difference, not one of its own (the plan keeps such steps
/// apart only so that cycles between tables work).
pub fn differences(plan: &Plan) -> Vec<Difference> {
    reported(plan)
        .into_iter()
        .map(|c| {
            let mut d = difference(c);
            if let Change::AddEnumValue {
                value, moved: true, ..
            }
            | Change::RemoveEnumValue {
                value, moved: true, ..
            } = c
            {
                // Removed and added again (the differ says so): the type is recreated with
                // every label, no value is lost.
                d.what = format!("label '{value}' (moved)");
                d.destructive = false;
            }
            d
        })
        .collect()
}

/// [`differences`], each with where the entities declare it (for `--format json`).
pub fn differences_at(plan: &Plan, desired: &Schema) -> Vec<Difference> {
    reported(plan)
        .into_iter()
        .zip(differences(plan))
        .map(|(change, mut d)| {
            d.declared_at = origin(change, desired).cloned();
            d
        })
        .collect()
}

/// Where the entities declare what the change is about: the column's field, else the table's
/// entity, else the enum.
pub fn origin<'a>(change: &Change, desired: &'a Schema) -> Option<&'a Origin> {
    use Change::*;
    if let CreateEnum { enum_type }
    | AddEnumValue { enum_type, .. }
    | RemoveEnumValue { enum_type, .. } = change
    {
        return desired
            .enum_type(&enum_type.schema, &enum_type.name)?
            .origin
            .as_ref();
    }
    let name = change.table()?;
    let table = desired.table(&name.schema, &name.name)?;
    let column = match change {
        AddColumn { column, .. } => Some(column.name.as_str()),
        AlterColumnType { column, .. }
        | SetNotNull { column, .. }
        | DropNotNull { column, .. }
        | AlterDefault { column, .. }
        | AlterIdentity { column, .. }
        | SetColumnComment { column, .. } => Some(column.as_str()),
        RenameColumn { to, .. } => Some(to.as_str()),
        _ => None,
    };
    column
        .and_then(|c| table.column(c)?.origin.as_ref())
        .or(table.origin.as_ref())
}

/// The changes [`differences`] reports, in plan order.
pub fn reported(plan: &Plan) -> Vec<&Change> {
    let tables = |create: bool| -> Vec<autogen_schema::QualifiedName> {
        plan.changes
            .iter()
            .filter_map(|c| match c {
                Change::CreateTable { table } if create => Some(table.qualified_name()),
                Change::DropTable { table } if !create => Some(table.qualified_name()),
                _ => None,
            })
            .collect()
    };
    let (created, dropped) = (tables(true), tables(false));
    plan.changes
        .iter()
        .filter(|c| match c {
            Change::AddForeignKey { table, .. } => !created.contains(table),
            Change::DropForeignKey { table, .. } => !dropped.contains(table),
            _ => true,
        })
        .collect()
}

fn difference(change: &Change) -> Difference {
    use Change::*;
    let object = change
        .table()
        .map(|t| t.to_string())
        .unwrap_or_else(|| match change {
            CreateEnum { enum_type }
            | DropEnum { enum_type }
            | AddEnumValue { enum_type, .. }
            | RemoveEnumValue { enum_type, .. } => {
                format!("enum {}", enum_type.qualified_name())
            }
            CreateSchema { schema } | DropSchema { schema } => format!("schema {schema}"),
            CreateExtension { extension } | DropExtension { extension } => {
                format!("extension {}", extension.name)
            }
            _ => "schema".into(),
        });
    let missing = || "missing".to_string();
    let absent = || "not declared".to_string();
    let (what, desired, current, text_diff, nullability) = match change {
        // A drop reads as the add that undoes it, sides swapped: what the database has is not
        // declared by the entities.
        DropEnum { .. }
        | DropTable { .. }
        | DropColumn { .. }
        | DropIndex { .. }
        | DropPrimaryKey { .. }
        | DropForeignKey { .. }
        | DropCheck { .. } => {
            let add = difference(&change.inverse());
            (add.what, absent(), add.desired, None, add.nullability)
        }
        CreateSchema { .. } => (
            "schema".into(),
            "used by entities".into(),
            missing(),
            None,
            false,
        ),
        DropSchema { .. } => ("schema".into(), absent(), "exists".into(), None, false),
        CreateExtension { .. } => (
            "extension".into(),
            "declared".into(),
            missing(),
            None,
            false,
        ),
        DropExtension { extension } => (
            "extension".into(),
            absent(),
            format!(
                "installed{}",
                extension
                    .version
                    .as_deref()
                    .map(|v| format!(" (version {v})"))
                    .unwrap_or_default()
            ),
            None,
            false,
        ),
        CreateEnum { enum_type } => (
            "enum type".into(),
            labels(&enum_type.labels),
            missing(),
            None,
            false,
        ),
        AddEnumValue {
            enum_type, value, ..
        } => {
            let before: Vec<_> = enum_type
                .labels
                .iter()
                .filter(|l| *l != value)
                .cloned()
                .collect();
            (
                format!("label '{value}'"),
                labels(&enum_type.labels),
                labels(&before),
                Some(unified(&before.join("\n"), &enum_type.labels.join("\n"))),
                false,
            )
        }
        RemoveEnumValue {
            enum_type, value, ..
        } => {
            let after: Vec<_> = enum_type
                .labels
                .iter()
                .filter(|l| *l != value)
                .cloned()
                .collect();
            (
                format!("label '{value}'"),
                labels(&after),
                labels(&enum_type.labels),
                Some(unified(&enum_type.labels.join("\n"), &after.join("\n"))),
                false,
            )
        }
        CreateTable { table } => ("table".into(), table_summary(table), missing(), None, false),
        RenameTable { from, to } => (
            "table name".into(),
            to.clone(),
            from.name.clone(),
            None,
            false,
        ),
        AddColumn { column, .. } => (
            format!("column {}", column.name),
            column_summary(column),
            missing(),
            None,
            false,
        ),
        RenameColumn { from, to, .. } => (
            format!("column {from}"),
            format!("named {to}"),
            format!("named {from}"),
            None,
            false,
        ),
        AlterColumnType {
            column, from, to, ..
        } => (
            format!("type of {column}"),
            to.to_sql(),
            from.to_sql(),
            None,
            false,
        ),
        SetNotNull { column, .. } => (
            format!("nullability of {column}"),
            "NOT NULL".into(),
            "NULL".into(),
            None,
            true,
        ),
        DropNotNull { column, .. } => (
            format!("nullability of {column}"),
            "NULL".into(),
            "NOT NULL".into(),
            None,
            true,
        ),
        AlterDefault {
            column, from, to, ..
        } => {
            let d = match (from, to) {
                (Some(a), Some(b)) => Some(unified(a, b)),
                _ => None,
            };
            (
                format!("default of {column}"),
                opt(to, "no default"),
                opt(from, "no default"),
                d,
                false,
            )
        }
        AlterIdentity {
            column, from, to, ..
        } => (
            format!("identity of {column}"),
            identity(to),
            identity(from),
            None,
            false,
        ),
        AddIndex { index, .. } => (
            format!("index {}", index.name),
            autogen_schema::render::index_definition(index),
            missing(),
            None,
            false,
        ),
        RenameIndex { from, to, .. } => (
            format!("index {from}"),
            format!("named {to}"),
            format!("named {from}"),
            None,
            false,
        ),
        AddPrimaryKey { primary_key, .. } => (
            "primary key".into(),
            format!("({})", primary_key.columns.join(", ")),
            missing(),
            None,
            false,
        ),
        AddForeignKey { foreign_key, .. } => (
            format!("foreign key {}", foreign_key.name),
            autogen_schema::render::foreign_key_definition(foreign_key),
            missing(),
            None,
            false,
        ),
        AlterForeignKey { from, to, .. } => (
            format!("foreign key {}", from.name),
            autogen_schema::render::foreign_key_definition(to),
            autogen_schema::render::foreign_key_definition(from),
            None,
            false,
        ),
        RenameForeignKey { from, to, .. } => (
            format!("foreign key {from}"),
            format!("named {to}"),
            format!("named {from}"),
            None,
            false,
        ),
        AddCheck { check, .. } => (
            format!("check {}", check.name),
            check.expression.clone(),
            missing(),
            None,
            false,
        ),
        SetTableComment { from, to, .. } => (
            "table comment".into(),
            opt(to, "none"),
            opt(from, "none"),
            comment_diff(from, to),
            false,
        ),
        SetColumnComment {
            column, from, to, ..
        } => (
            format!("comment of {column}"),
            opt(to, "none"),
            opt(from, "none"),
            comment_diff(from, to),
            false,
        ),
    };
    Difference {
        object,
        what,
        desired,
        current,
        destructive: change.is_destructive(),
        nullability,
        text_diff,
        change: change.describe(),
        declared_at: None,
    }
}

fn labels(l: &[String]) -> String {
    format!(
        "({})",
        l.iter()
            .map(|s| format!("'{s}'"))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

fn opt(v: &Option<String>, none: &str) -> String {
    v.clone().unwrap_or_else(|| none.to_string())
}

fn comment_diff(from: &Option<String>, to: &Option<String>) -> Option<String> {
    match (from, to) {
        (Some(a), Some(b)) if a.contains('\n') || b.contains('\n') => Some(unified(a, b)),
        _ => None,
    }
}

/// current → desired, as a unified diff.
fn unified(current: &str, desired: &str) -> String {
    let mut current = current.to_string();
    let mut desired = desired.to_string();
    current.push('\n');
    desired.push('\n');
    similar::TextDiff::from_lines(&current, &desired)
        .unified_diff()
        .header("database", "entities")
        .to_string()
}

fn table_summary(t: &Table) -> String {
    let cols: Vec<_> = t.columns.iter().map(|c| c.name.as_str()).collect();
    format!("{} column(s): {}", cols.len(), cols.join(", "))
}

fn column_summary(c: &autogen_schema::Column) -> String {
    let mut s = c.ty.to_sql();
    if !c.nullable {
        s.push_str(" NOT NULL");
    }
    if let Some(d) = &c.default {
        let _ = write!(s, " DEFAULT {d}");
    }
    if c.identity.is_some() {
        s.push_str(" IDENTITY");
    }
    s
}

fn identity(i: &Option<Identity>) -> String {
    match i {
        None => "not an identity".into(),
        Some(i) => format!("GENERATED {:?} AS IDENTITY", i.generation)
            .replace("ByDefault", "BY DEFAULT")
            .replace("Always", "ALWAYS"),
    }
}
