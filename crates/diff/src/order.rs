//! Plan order: enums → renames → drops of constraints that go away → tables (FK-topological) →
//! columns → alters → primary keys, indexes, checks → foreign keys (last, so cycles work) →
//! column drops → table drops (reverse dependency order) → enum value removals and enum drops.
//! Every step is valid in this order and its inverse is valid in the reverse order.

use std::collections::{BTreeMap, BTreeSet};

use autogen_schema::{QualifiedName, Schema};

use crate::plan::{Change, InTheWay, Note, NoteKind};
use crate::{Ctx, apply, references};

/// Sorts changes into phases; inside a phase, by table (created tables topologically, dropped
/// ones in reverse), keeping the differ's order for one table's alters.
pub fn sort(changes: Vec<Change>, ctx: &Ctx<'_>) -> Vec<Change> {
    let created: Vec<(QualifiedName, Vec<QualifiedName>)> = changes
        .iter()
        .filter_map(|c| match c {
            Change::CreateTable { table } => Some(table.qualified_name()),
            _ => None,
        })
        .map(|q| {
            let deps = changes
                .iter()
                .filter_map(|c| match c {
                    Change::AddForeignKey { table, foreign_key } if *table == q => {
                        Some(foreign_key.referenced())
                    }
                    _ => None,
                })
                .collect();
            (q, deps)
        })
        .collect();
    let dropped: Vec<(QualifiedName, Vec<QualifiedName>)> = changes
        .iter()
        .filter_map(|c| match c {
            Change::DropTable { table } => Some(table.qualified_name()),
            _ => None,
        })
        .map(|q| {
            let deps = ctx
                .current
                .table(&q.schema, &q.name)
                .map(|t| t.foreign_keys.iter().map(|f| f.referenced()).collect())
                .unwrap_or_default();
            (q, deps)
        })
        .collect();
    let create_rank = rank(&topological(&created));
    let mut drop_order = topological(&dropped);
    drop_order.reverse();
    let drop_rank = rank(&drop_order);

    let moved: BTreeSet<(QualifiedName, String)> = changes
        .iter()
        .filter_map(|c| match c {
            Change::AddEnumValue {
                enum_type, value, ..
            } => Some((enum_type.qualified_name(), value.clone())),
            _ => None,
        })
        .collect();
    let mut keyed: Vec<((u8, usize, String, String), Change)> = changes
        .into_iter()
        .map(|c| {
            let p = phase(&c, &moved);
            let (r, name) = match &c {
                Change::CreateTable { table } => (
                    create_rank
                        .get(&table.qualified_name())
                        .copied()
                        .unwrap_or(0),
                    String::new(),
                ),
                Change::DropTable { table } => (
                    drop_rank.get(&table.qualified_name()).copied().unwrap_or(0),
                    String::new(),
                ),
                other => (
                    0,
                    other
                        .table()
                        .map(|t| t.to_string())
                        .unwrap_or_else(|| enum_name(other)),
                ),
            };
            let object = object_name(&c);
            ((p, r, name, object), c)
        })
        .collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    keyed.into_iter().map(|(_, c)| c).collect()
}

fn phase(c: &Change, moved: &BTreeSet<(QualifiedName, String)>) -> u8 {
    use Change::*;
    match c {
        // A created extension comes after the schemas (stable order: they are pushed first).
        CreateSchema { .. } | CreateExtension { .. } => 0,
        CreateEnum { .. } => 0,
        RemoveEnumValue {
            enum_type, value, ..
        } if moved.contains(&(enum_type.qualified_name(), value.clone())) => 1,
        AddEnumValue { .. } => 1,
        RenameTable { .. } => 2,
        RenameColumn { .. } => 3,
        DropForeignKey { .. } => 4,
        DropCheck { .. } => 5,
        DropIndex { .. } => 6,
        DropPrimaryKey { .. } => 7,
        RenameIndex { .. } | RenameForeignKey { .. } => 8,
        CreateTable { .. } => 9,
        AddColumn { .. } => 10,
        AlterIdentity { .. }
        | AlterDefault { .. }
        | AlterColumnType { .. }
        | SetNotNull { .. }
        | DropNotNull { .. } => 11,
        SetTableComment { .. } | SetColumnComment { .. } => 12,
        AddPrimaryKey { .. } => 13,
        AddIndex { .. } => 14,
        AddCheck { .. } => 15,
        AddForeignKey { .. } | AlterForeignKey { .. } => 16,
        DropColumn { .. } => 17,
        DropTable { .. } => 18,
        RemoveEnumValue { .. } => 19,
        DropEnum { .. } => 20,
        DropSchema { .. } => 21,
        DropExtension { .. } => 22,
    }
}

/// The constraint or index a change is about, so that input order does not matter; empty for
/// changes whose order inside a table the differ decides (columns, alters, enum labels).
fn object_name(c: &Change) -> String {
    use Change::*;
    match c {
        AddIndex { index, .. } | DropIndex { index, .. } => index.name.clone(),
        AddForeignKey { foreign_key, .. } | DropForeignKey { foreign_key, .. } => {
            foreign_key.name.clone()
        }
        AddCheck { check, .. } | DropCheck { check, .. } => check.name.clone(),
        AddPrimaryKey { primary_key, .. } | DropPrimaryKey { primary_key, .. } => {
            primary_key.name.clone()
        }
        RenameIndex { from, .. } | RenameForeignKey { from, .. } => from.clone(),
        AlterForeignKey { from, .. } => from.name.clone(),
        _ => String::new(),
    }
}

fn enum_name(c: &Change) -> String {
    match c {
        Change::CreateEnum { enum_type }
        | Change::DropEnum { enum_type }
        | Change::AddEnumValue { enum_type, .. }
        | Change::RemoveEnumValue { enum_type, .. } => enum_type.qualified_name().to_string(),
        _ => String::new(),
    }
}

/// Kahn's algorithm: a table after the tables it references; ties and cycles broken by name.
fn topological(nodes: &[(QualifiedName, Vec<QualifiedName>)]) -> Vec<QualifiedName> {
    let names: BTreeSet<&QualifiedName> = nodes.iter().map(|(q, _)| q).collect();
    let mut deps: BTreeMap<&QualifiedName, BTreeSet<&QualifiedName>> = nodes
        .iter()
        .map(|(q, d)| {
            (
                q,
                d.iter().filter(|x| *x != q && names.contains(x)).collect(),
            )
        })
        .collect();
    let mut out = Vec::new();
    while !deps.is_empty() {
        let next = deps
            .iter()
            .find(|(_, d)| d.is_empty())
            .or_else(|| deps.iter().next())
            .map(|(q, _)| *q);
        let Some(next) = next else { break };
        deps.remove(next);
        for d in deps.values_mut() {
            d.remove(next);
        }
        out.push(next.clone());
    }
    out
}

fn rank(order: &[QualifiedName]) -> BTreeMap<QualifiedName, usize> {
    order
        .iter()
        .enumerate()
        .map(|(i, q)| (q.clone(), i))
        .collect()
}

/// Replays the plan on the current model: fills each enum value change's `usages` with the
/// columns of that type at that point (the columns its recreation, or its inverse's, must
/// convert) and its `in_the_way` with what its recreation (or its inverse's) must drop and
/// create again, and notes a step that the model says Postgres would refuse.
pub fn fill_enum_usages(current: &Schema, changes: &mut [Change], notes: &mut Vec<Note>) {
    let mut state = current.clone();
    // Moved labels: the first removal drops what is in the way, the type's last moved label
    // added back creates it again.
    let last_moved_add: BTreeMap<QualifiedName, usize> = changes
        .iter()
        .enumerate()
        .filter_map(|(i, c)| match c {
            Change::AddEnumValue {
                enum_type,
                moved: true,
                ..
            } => Some((enum_type.qualified_name(), i)),
            _ => None,
        })
        .collect();
    let mut pending: BTreeMap<QualifiedName, InTheWay> = BTreeMap::new();
    for (i, change) in changes.iter_mut().enumerate() {
        match change {
            Change::AddEnumValue {
                enum_type,
                usages,
                moved,
                in_the_way,
                ..
            } => {
                let q = enum_type.qualified_name();
                *usages = references::enum_columns(&state, &q);
                *in_the_way = if !*moved {
                    references::enum_in_the_way(&state, &q)
                } else if last_moved_add.get(&q) == Some(&i) {
                    pending.remove(&q).unwrap_or_default()
                } else {
                    InTheWay::default()
                };
            }
            Change::RemoveEnumValue {
                enum_type,
                usages,
                moved,
                in_the_way,
                ..
            } => {
                let q = enum_type.qualified_name();
                *usages = references::enum_columns(&state, &q);
                *in_the_way = references::enum_in_the_way(&state, &q);
                if *moved {
                    let p = pending.entry(q).or_default();
                    p.foreign_keys
                        .extend(in_the_way.foreign_keys.iter().cloned());
                    p.checks.extend(in_the_way.checks.iter().cloned());
                    p.indexes.extend(in_the_way.indexes.iter().cloned());
                }
            }
            _ => {}
        }
        if let Err(e) = apply::apply(&mut state, change) {
            notes.push(Note {
                kind: NoteKind::Review,
                object: change
                    .table()
                    .map(|t| t.to_string())
                    .unwrap_or_else(|| enum_name(change)),
                message: format!("`{}` may fail: {e}", change.describe()),
                change: Some(i),
                object_kind: None,
            });
            return;
        }
    }
}
