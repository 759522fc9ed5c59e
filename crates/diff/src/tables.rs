//! Tables: renames, creates, drops, and the per-table comparison of tables on both sides.

use autogen_schema::{QualifiedName, Schema, Table, equality};

use crate::options::{DiffOptions, names};
use crate::plan::{Change, NoteKind};
use crate::{Ctx, Out, checks, columns, foreign_keys, indexes, managed};

/// `RenameTable`s from `renamed_from` on desired tables and from `opts.table_renames`: the old
/// table exists, the new name does not, and the entities do not declare the old one.
pub fn renames(desired: &Schema, current: &Schema, opts: &DiffOptions) -> Vec<Change> {
    let mut out = Vec::new();
    let mut tables: Vec<&Table> = desired.tables.iter().collect();
    tables.sort_by(|a, b| (&a.schema, &a.name).cmp(&(&b.schema, &b.name)));
    for d in tables {
        let q = d.qualified_name();
        if opts.is_ignored(&q) || current.table(&q.schema, &q.name).is_some() {
            continue;
        }
        let from_option = opts
            .table_renames
            .iter()
            .find(|r| names(&r.to, &q))
            .map(|r| &r.from);
        let Some(old) = from_option.or(d.renamed_from.as_ref()) else {
            continue;
        };
        let old = match old.split_once('.') {
            Some((s, n)) => QualifiedName::new(s, n),
            None => QualifiedName::new(&q.schema, old),
        };
        let usable = old.schema == q.schema
            && current.table(&old.schema, &old.name).is_some()
            && desired.table(&old.schema, &old.name).is_none()
            && !opts.is_ignored(&old);
        if usable {
            out.push(Change::RenameTable {
                from: old,
                to: q.name.clone(),
            });
        }
    }
    out
}

/// Creates, drops and per-table changes.
pub fn diff(ctx: &Ctx<'_>, out: &mut Out) {
    let desired = ctx.desired_tables();
    let current = ctx.current_tables();
    let mut created = Vec::new();
    for d in &desired {
        match ctx.current.table(&d.schema, &d.name) {
            Some(c) => compare(ctx, d, c, out),
            None => {
                created.push(*d);
                let mut table = (*d).clone();
                let fks = std::mem::take(&mut table.foreign_keys);
                out.changes.push(Change::CreateTable { table });
                for foreign_key in fks {
                    out.changes.push(Change::AddForeignKey {
                        table: d.qualified_name(),
                        foreign_key,
                    });
                }
            }
        }
    }
    let mut dropped = Vec::new();
    for c in current
        .iter()
        .filter(|c| ctx.dropped_tables.contains(&c.qualified_name()))
    {
        dropped.push(*c);
        let mut table = (*c).clone();
        for foreign_key in std::mem::take(&mut table.foreign_keys) {
            out.changes.push(Change::DropForeignKey {
                table: c.qualified_name(),
                foreign_key,
            });
        }
        out.changes.push(Change::DropTable { table });
    }
    foreign_keys::rebuild_over_dropped_uniques(ctx, out);
    blocked_drops(ctx, out);
    rename_hints(&created, &dropped, out);
}

/// Everything about one table that both sides have.
fn compare(ctx: &Ctx<'_>, d: &Table, c: &Table, out: &mut Out) {
    let q = c.qualified_name();
    columns::diff(ctx, d, c, out);
    primary_key(d, c, out);
    indexes::diff(ctx, d, c, out);
    foreign_keys::diff(ctx, d, c, out);
    checks::diff(ctx, d, c, out);
    if let Some(want) = managed::desired_comment(&d.comment)
        && c.comment.as_deref() != Some(want)
    {
        out.changes.push(Change::SetTableComment {
            table: q,
            from: c.comment.clone(),
            to: Some(want.to_string()),
        });
    }
}

/// The primary key is compared by its set of columns; its name is Postgres's or SeaORM's choice.
/// The column order is not compared: a compact entity states it only through its field order,
/// which also stands for the table's column order (sea-orm-codegen writes fields in column
/// order, so an entity generated from a table whose key lists columns in another order would
/// otherwise drift from the very table it was generated from). The key's meaning (which rows are
/// unique, what foreign keys may reference) does not depend on the order.
fn primary_key(d: &Table, c: &Table, out: &mut Out) {
    let q = c.qualified_name();
    let same = match (&d.primary_key, &c.primary_key) {
        (Some(a), Some(b)) => {
            let mut x = a.columns.clone();
            let mut y = b.columns.clone();
            x.sort();
            y.sort();
            x == y
        }
        (None, None) => true,
        _ => false,
    };
    if same {
        return;
    }
    if let Some(primary_key) = c.primary_key.clone() {
        out.changes.push(Change::DropPrimaryKey {
            table: q.clone(),
            primary_key,
        });
    }
    if let Some(primary_key) = d.primary_key.clone() {
        out.changes.push(Change::AddPrimaryKey {
            table: q,
            primary_key,
        });
    }
}

/// An undeclared table that an ignored (excluded) table still references is kept.
fn blocked_drops(ctx: &Ctx<'_>, out: &mut Out) {
    for q in &ctx.kept_tables {
        if ctx.opts.is_ignored(q) {
            continue;
        }
        out.note(
            NoteKind::Review,
            q.to_string(),
            format!(
                "table {q} is not declared by the entities but an excluded table depends on it \
                 through foreign keys; kept (exclude it too, or declare it)"
            ),
        );
    }
}

/// A dropped and a created table with the same columns look like a rename.
fn rename_hints(created: &[&Table], dropped: &[&Table], out: &mut Out) {
    for d in created {
        for c in dropped.iter().filter(|c| c.schema == d.schema) {
            let same = d.columns.len() == c.columns.len()
                && d.columns
                    .iter()
                    .zip(&c.columns)
                    .all(|(a, b)| a.name == b.name && equality::types_equal(&a.ty, &b.ty));
            if same {
                out.note(
                    NoteKind::RenameHint,
                    c.qualified_name().to_string(),
                    format!(
                        "table {} is dropped and {} created with the same columns; if it is a \
                         rename, add `\"{}\" = \"{}\"` under [renames.tables] in autogen.toml",
                        c.qualified_name(),
                        d.qualified_name(),
                        c.name,
                        d.name
                    ),
                );
            }
        }
    }
}
