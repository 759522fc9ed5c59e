//! Hazard notes: steps that existing rows can make fail or lose data, said once per change.

use std::collections::BTreeSet;

use autogen_schema::QualifiedName;

use crate::casts;
use crate::plan::{Change, Note, NoteKind};

/// Notes for the changes of an ordered plan.
pub fn notes(changes: &[Change]) -> Vec<Note> {
    let created: BTreeSet<QualifiedName> = changes
        .iter()
        .filter_map(|c| match c {
            Change::CreateTable { table } => Some(table.qualified_name()),
            _ => None,
        })
        .collect();
    // A foreign key dropped and added again over the same columns and target (an action change
    // or a rebuild) was satisfied by the rows already.
    let readded = |table: &QualifiedName, fk: &autogen_schema::ForeignKey| {
        changes.iter().any(|c| {
            matches!(c, Change::DropForeignKey { table: t, foreign_key: old }
                if t == table && old.columns == fk.columns && old.referenced() == fk.referenced()
                    && old.ref_columns == fk.ref_columns)
        })
    };
    let mut out = Vec::new();
    for (i, change) in changes.iter().enumerate() {
        let mut note = |object: String, message: String| {
            out.push(Note {
                kind: NoteKind::Hazard,
                object,
                message,
                change: Some(i),
                object_kind: None,
            });
        };
        match change {
            Change::SetNotNull { table, column } => note(
                format!("{table}.{column}"),
                "the entity field is not optional but the column is nullable: reading a NULL \
                 fails at run time, and SET NOT NULL fails while NULLs exist"
                    .into(),
            ),
            Change::AddColumn { table, column }
                if !column.nullable && column.default.is_none() && column.identity.is_none() =>
            {
                note(
                    format!("{table}.{}", column.name),
                    "NOT NULL column without a default: adding it fails if the table has rows"
                        .into(),
                )
            }
            Change::AddForeignKey { table, foreign_key }
                if !created.contains(table) && !readded(table, foreign_key) =>
            {
                note(
                    format!("{table}.{}", foreign_key.name),
                    format!(
                        "rows of {table} without a matching row in {} make adding the foreign key fail",
                        foreign_key.referenced()
                    ),
                )
            }
            Change::AddIndex { table, index } if index.unique && !created.contains(table) => note(
                format!("{table}.{}", index.name),
                "duplicate values make adding the unique index fail".into(),
            ),
            Change::AddPrimaryKey { table, primary_key } if !created.contains(table) => note(
                format!("{table}.{}", primary_key.name),
                "duplicate or NULL values make adding the primary key fail".into(),
            ),
            Change::AddEnumValue {
                enum_type, value, ..
            } if label_used_before_commit(changes, i) => note(
                enum_type.qualified_name().to_string(),
                match restored_by_move(changes, i) {
                    false => format!(
                        "the new label {} is used by a default in the same migration; Postgres \
                         refuses a new enum label inside the transaction that added it: split \
                         the migration or run it without a transaction",
                        autogen_schema::ident::literal(value)
                    ),
                    true => format!(
                        "the moved label {} is named by an index or check the plan creates \
                         again once the label is back; Postgres refuses a new enum label inside \
                         the transaction that added it, so the migration runs without a \
                         transaction",
                        autogen_schema::ident::literal(value)
                    ),
                },
            ),
            Change::AlterColumnType {
                table,
                column,
                from,
                to,
                ..
            } if casts::is_lossy(from, to) => note(
                format!("{table}.{column}"),
                format!("changing {from} to {to} can lose data or fail on existing values"),
            ),
            _ => {}
        }
    }
    out
}

/// True when `changes[i]` adds an enum label that a later change of the same plan writes in an
/// expression (a default or a CHECK mentions it as a literal): Postgres refuses a label before
/// the transaction that added it commits, so such a plan runs without one. The one rule for the
/// hazard note and for codegen's `use_transaction()`; it reads the model's expressions, never
/// rendered SQL.
pub fn label_used_before_commit(changes: &[Change], i: usize) -> bool {
    let Some(Change::AddEnumValue { value, .. }) = changes.get(i) else {
        return false;
    };
    let literal = autogen_schema::ident::literal(value);
    let mentions = |d: Option<&str>| d.is_some_and(|d| d.contains(&literal));
    restored_by_move(changes, i)
        || changes[i + 1..].iter().any(|c| match c {
            Change::AddIndex { index, .. } => index_names(index, &literal),
            Change::AlterDefault { to, .. } => mentions(to.as_deref()),
            Change::AddColumn { column, .. } => mentions(column.default.as_deref()),
            Change::CreateTable { table } => {
                table.columns.iter().any(|c| mentions(c.default.as_deref()))
                    || table.checks.iter().any(|c| mentions(Some(&c.expression)))
            }
            Change::AddCheck { check, .. } => mentions(Some(&check.expression)),
            _ => false,
        })
}

/// True when `changes[i]` adds an enum label that the type's last moved label, this one or a
/// later one, creates again in what was in the way of the recreation (an index or check
/// naming it).
fn restored_by_move(changes: &[Change], i: usize) -> bool {
    let Some(Change::AddEnumValue { value, .. }) = changes.get(i) else {
        return false;
    };
    let literal = autogen_schema::ident::literal(value);
    changes[i..].iter().any(|c| match c {
        Change::AddEnumValue {
            moved: true,
            in_the_way,
            ..
        } => {
            in_the_way
                .checks
                .iter()
                .any(|(_, k)| k.expression.contains(&literal))
                || in_the_way
                    .indexes
                    .iter()
                    .any(|(_, x)| index_names(x, &literal))
        }
        _ => false,
    })
}

/// True when the index's predicate or key expressions contain the literal.
fn index_names(index: &autogen_schema::Index, literal: &str) -> bool {
    index
        .predicate
        .as_deref()
        .is_some_and(|p| p.contains(literal))
        || index.keys.iter().any(|k| match &k.part {
            autogen_schema::KeyPart::Expression(e) => e.contains(literal),
            autogen_schema::KeyPart::Column(_) => false,
        })
}
