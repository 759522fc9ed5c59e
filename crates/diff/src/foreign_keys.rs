//! Foreign keys, matched by what they connect (columns, referenced table and columns); actions
//! the relation states are then compared, and a difference is one changed foreign key.

use autogen_schema::equality::{foreign_key_actions_equal, same_foreign_key_target};
use autogen_schema::{ForeignKey, QualifiedName, Table};

use crate::indexes::match_by_definition;
use crate::plan::{Change, ObjectKind};
use crate::{Ctx, Out, managed};

/// Adds, drops, renames and changes for one table on both sides.
pub fn diff(ctx: &Ctx<'_>, d: &Table, c: &Table, out: &mut Out) {
    let q = c.qualified_name();
    let pairs = match_by_definition(&d.foreign_keys, &c.foreign_keys, same_foreign_key_target);
    let matched: Vec<usize> = pairs.iter().flatten().copied().collect();
    let unmatched_desired: Vec<&ForeignKey> = d
        .foreign_keys
        .iter()
        .zip(&pairs)
        .filter(|(_, p)| p.is_none())
        .map(|(f, _)| f)
        .collect();
    for (want, pair) in d.foreign_keys.iter().zip(&pairs) {
        let Some(ci) = pair else { continue };
        let have = &c.foreign_keys[*ci];
        let renamed = have.name != want.name && ctx.opts.strict_names;
        if !foreign_key_actions_equal(want, have, ctx.opts.strict_fk_actions) {
            out.changes.push(Change::AlterForeignKey {
                table: q.clone(),
                from: have.clone(),
                to: changed(want, have, ctx),
            });
        } else if renamed {
            out.changes.push(Change::RenameForeignKey {
                table: q.clone(),
                from: have.name.clone(),
                to: want.name.clone(),
            });
        }
    }
    for (ci, have) in c.foreign_keys.iter().enumerate() {
        if matched.contains(&ci) {
            continue;
        }
        let replaced = unmatched_desired.iter().any(|want| want.name == have.name);
        if replaced
            || in_the_way(ctx, &q, have)
            || managed::foreign_key_is_managed(c, have, ctx.opts)
        {
            out.changes.push(Change::DropForeignKey {
                table: q.clone(),
                foreign_key: have.clone(),
            });
        } else {
            out.unmanaged(
                ObjectKind::ForeignKey,
                format!("{q}.{}", have.name),
                format!(
                    "foreign key {} is not declared by the entities and not named the way SeaORM \
                     names what they declare; kept",
                    have.name
                ),
            );
        }
    }
    for want in unmatched_desired {
        out.changes.push(Change::AddForeignKey {
            table: q.clone(),
            foreign_key: want.clone(),
        });
    }
}

/// The foreign key `have` becomes: the actions the relation states (every one with
/// `strict_fk_actions`), the database's for the others; the database's name unless names are
/// compared; the database's MATCH and DEFERRABLE unless `strict_fk_actions`.
fn changed(want: &ForeignKey, have: &ForeignKey, ctx: &Ctx<'_>) -> ForeignKey {
    let strict = ctx.opts.strict_fk_actions;
    let stated = want.actions_stated;
    let mut to = want.clone();
    if !(strict || stated.on_delete) {
        to.on_delete = have.on_delete;
    }
    if !(strict || stated.on_update) {
        to.on_update = have.on_update;
    }
    if !strict {
        // What a relation cannot state stays as the database has it.
        to.match_type = have.match_type;
        to.deferrable = have.deferrable;
        to.initially_deferred = have.initially_deferred;
    }
    to.actions_stated = autogen_schema::ActionsStated::BOTH;
    if !ctx.opts.strict_names {
        to.name = have.name.clone();
    }
    to
}

/// The foreign key uses a dropped column or references a dropped table or column.
fn in_the_way(ctx: &Ctx<'_>, q: &QualifiedName, fk: &ForeignKey) -> bool {
    fk.columns.iter().any(|c| ctx.column_dropped(q, c))
        || ctx.dropped_tables.contains(&fk.referenced())
        || fk
            .ref_columns
            .iter()
            .any(|c| ctx.column_dropped(&fk.referenced(), c))
}

/// A primary key or unique index that a kept foreign key depends on cannot be dropped while the
/// foreign key exists: drop the foreign key first and add it again afterwards. The same when
/// both columns of one of its pairs change type (`enum` → `text` on both sides): after the
/// first change the two no longer match and Postgres refuses it.
pub fn rebuild_over_dropped_uniques(ctx: &Ctx<'_>, out: &mut Out) {
    let mut dropped: Vec<(QualifiedName, Vec<String>)> = Vec::new();
    let mut retyped: Vec<(QualifiedName, String)> = Vec::new();
    for change in &out.changes {
        if let Change::AlterColumnType { table, column, .. } = change {
            retyped.push((table.clone(), column.clone()));
        }
        match change {
            Change::DropPrimaryKey { table, primary_key } => {
                dropped.push((table.clone(), sorted(&primary_key.columns)));
            }
            Change::DropIndex { table, index } if index.unique => {
                if let Some(cols) = index.column_names() {
                    let cols: Vec<String> = cols.into_iter().map(str::to_string).collect();
                    dropped.push((table.clone(), sorted(&cols)));
                }
            }
            _ => {}
        }
    }
    if dropped.is_empty() && retyped.is_empty() {
        return;
    }
    for t in ctx.current_tables() {
        let q = t.qualified_name();
        for fk in &t.foreign_keys {
            let both_retyped = fk.columns.iter().zip(&fk.ref_columns).any(|(a, b)| {
                retyped.contains(&(q.clone(), a.clone()))
                    && retyped.contains(&(fk.referenced(), b.clone()))
            });
            let depends = both_retyped
                || dropped
                    .iter()
                    .any(|(rt, cols)| *rt == fk.referenced() && *cols == sorted(&fk.ref_columns));
            let already = out.changes.iter().any(|c| {
                matches!(c, Change::DropForeignKey { table, foreign_key } if *table == q && foreign_key.name == fk.name)
            });
            if !depends || already {
                continue;
            }
            let mut again = fk.clone();
            if let Some(pos) = out.changes.iter().position(|c| {
                matches!(c, Change::RenameForeignKey { table, from, .. } if *table == q && *from == fk.name)
            })
                && let Change::RenameForeignKey { to, .. } = out.changes.remove(pos) {
                    again.name = to;
                }
            // A change of its actions is part of adding it again.
            if let Some(pos) = out.changes.iter().position(|c| {
                matches!(c, Change::AlterForeignKey { table, from, .. } if *table == q && from.name == fk.name)
            })
                && let Change::AlterForeignKey { to, .. } = out.changes.remove(pos) {
                    again = to;
                }
            out.changes.push(Change::DropForeignKey {
                table: q.clone(),
                foreign_key: fk.clone(),
            });
            out.changes.push(Change::AddForeignKey {
                table: q.clone(),
                foreign_key: again,
            });
        }
    }
}

fn sorted(cols: &[String]) -> Vec<String> {
    let mut v = cols.to_vec();
    v.sort();
    v
}
