//! The differ: `(desired, current, options) → Plan`.
//!
//! `desired` is what the entities declare, `current` what the database has. The plan takes the
//! database to the entities for everything the entities manage ([`managed`] says what that is)
//! and leaves the rest alone, listing it as notes.
//!
//! Decisions (the rules themselves live in [`managed`], [`casts`] and the model's `equality`):
//! - Indexes, unique constraints, foreign keys and checks are matched by definition. A
//!   name-only difference is in sync; with `strict_names` an index or foreign key gets a RENAME.
//!   Primary keys and checks are compared without their names even then (Postgres and SeaORM
//!   name them differently, and there is no rename step for them).
//! - Comments are compared only where the entity declares one (SeaORM never emits comments on
//!   Postgres, so an undeclared comment is not managed). Defaults likewise unless
//!   `strict_defaults`. Collations and generated-column expressions are never compared: the
//!   entity language cannot declare them.
//! - A length or precision the entity leaves unstated is not compared: a `String` field (SeaORM:
//!   plain `varchar`) over an old `varchar(255)` column, `Decimal` over `numeric(10, 2)`,
//!   `DateTime…` over `timestamp(3)` are in sync ([`autogen_schema::equality::modifier_unstated`]).
//!   The limit is a database-side restriction the entity says nothing about, like a default it
//!   does not declare; a revision must not widen a column nobody asked to widen.
//!   `sea-orm-cli generate entity` writes `column_type = "String(StringLen::N(255))"`, and a
//!   length the entity states is compared both ways. With `strict_types` an unstated length is a
//!   type difference. A different type (`text` vs `varchar`, `json` vs `jsonb`, `timestamp` vs
//!   `timestamptz`) is always drift: the fix is a `column_type` on the field.
//! - An entity whose table is a view (or materialized view) in the database is a read-only
//!   entity: not compared, never created, and foreign keys into it are not added.
//! - An enum label that moved is removed (type recreated) and added again at its new place; a
//!   type change with no known cast gets a best-guess `USING` and a `Review` note.
//! - Objects that are in the way of a change are dropped first and restored by the inverse,
//!   even when unmanaged: indexes, checks and foreign keys over a dropped column, foreign keys
//!   into a dropped table, foreign keys into a primary key or unique index being replaced.
//! - The plan is replayed on the current model with [`apply`]; a step the model says Postgres
//!   would refuse becomes a `Review` note, never a panic.
//!
//! **Architecture invariant:** pure; no IO; never panics on any pair of valid models. Every
//! [`Change`] carries what its inverse needs, so `plan.inverse()` is the exact down plan:
//! applying a plan and then its inverse to a model ([`apply`]) gives the model back.

pub mod apply;
pub mod casts;
mod checks;
mod columns;
mod describe;
mod enums;
mod foreign_keys;
mod hazards;
mod indexes;
pub mod managed;
pub mod options;
mod order;
pub mod plan;
pub mod references;
mod tables;

use std::collections::BTreeSet;

use autogen_schema::{QualifiedName, Schema};

pub use apply::{ApplyError, apply, apply_all};
pub use options::{ColumnRename, DiffOptions, TableRename};
pub use plan::{Change, Note, NoteKind, Plan};

/// The changes that take `current` (the database) to `desired` (the entities).
pub fn diff(desired: &Schema, current: &Schema, opts: &DiffOptions) -> Plan {
    let mut out = Out::default();

    // Entities over views are not compared (autogen manages tables only).
    let views = managed::view_entities(desired, current);
    let filtered;
    let desired = if views.is_empty() {
        desired
    } else {
        for view in views.iter().filter(|v| !opts.is_ignored(v)) {
            out.note(
                NoteKind::Unmanaged,
                view.to_string(),
                format!(
                    "the entity for {view} maps to a view in the database; autogen compares \
                     tables only, so it is not compared"
                ),
            );
        }
        filtered = managed::without_view_entities(desired, &views);
        &filtered
    };

    // Renames first: everything after compares against the renamed current model.
    let mut renamed = current.clone();
    for change in tables::renames(desired, current, opts) {
        if apply::apply(&mut renamed, &change).is_ok() {
            out.changes.push(change);
        }
    }
    for change in columns::renames(desired, &renamed, opts) {
        if apply::apply(&mut renamed, &change).is_ok() {
            out.changes.push(change);
        }
    }

    let ctx = Ctx::new(desired, &renamed, opts);
    enums::diff(&ctx, &mut out);
    tables::diff(&ctx, &mut out);

    let mut changes = order::sort(out.changes, &ctx);
    order::fill_enum_usages(current, &mut changes, &mut out.notes);
    out.notes.extend(hazards::notes(&changes));
    out.notes
        .sort_by(|a, b| (&a.object, &a.message).cmp(&(&b.object, &b.message)));
    out.notes.dedup();
    Plan {
        changes,
        notes: out.notes,
    }
}

/// Changes and notes as the differ finds them, before ordering.
#[derive(Default)]
pub(crate) struct Out {
    pub changes: Vec<Change>,
    pub notes: Vec<Note>,
}

impl Out {
    pub fn note(&mut self, kind: NoteKind, object: impl Into<String>, message: impl Into<String>) {
        self.notes.push(Note {
            kind,
            object: object.into(),
            message: message.into(),
        });
    }
}

/// What every part of the differ needs to know about the whole comparison.
pub(crate) struct Ctx<'a> {
    pub desired: &'a Schema,
    /// The database model with the plan's renames already applied.
    pub current: &'a Schema,
    pub opts: &'a DiffOptions,
    /// Current tables (not ignored) that the entities do not declare and nothing ignored needs.
    pub dropped_tables: BTreeSet<QualifiedName>,
    /// Columns of compared tables that the entities do not declare (and no ignored table's
    /// foreign key references).
    pub dropped_columns: BTreeSet<(QualifiedName, String)>,
    /// Undeclared tables kept because an ignored table references them (directly or through
    /// other kept tables).
    pub kept_tables: BTreeSet<QualifiedName>,
}

impl<'a> Ctx<'a> {
    fn new(desired: &'a Schema, current: &'a Schema, opts: &'a DiffOptions) -> Self {
        let compared = |t: &&autogen_schema::Table| !opts.is_ignored(&t.qualified_name());
        // What ignored tables reference stays, and so does what a kept table references.
        let mut kept: BTreeSet<QualifiedName> = BTreeSet::new();
        let mut kept_columns: BTreeSet<(QualifiedName, String)> = BTreeSet::new();
        let mut frontier: Vec<&autogen_schema::Table> =
            current.tables.iter().filter(|t| !compared(t)).collect();
        while let Some(t) = frontier.pop() {
            for fk in &t.foreign_keys {
                for c in &fk.ref_columns {
                    kept_columns.insert((fk.referenced(), c.clone()));
                }
                let target = fk.referenced();
                let undeclared = desired.table(&target.schema, &target.name).is_none();
                if let Some(kept_table) = current.table(&target.schema, &target.name)
                    && undeclared
                    && kept.insert(target.clone())
                {
                    frontier.push(kept_table);
                }
            }
        }
        let mut dropped_tables = BTreeSet::new();
        let mut dropped_columns = BTreeSet::new();
        for c in current.tables.iter().filter(compared) {
            match desired.table(&c.schema, &c.name) {
                None if kept.contains(&c.qualified_name()) => {}
                None => {
                    dropped_tables.insert(c.qualified_name());
                }
                Some(d) => {
                    for col in c.columns.iter().filter(|col| d.column(&col.name).is_none()) {
                        let key = (c.qualified_name(), col.name.clone());
                        if !kept_columns.contains(&key) {
                            dropped_columns.insert(key);
                        }
                    }
                }
            }
        }
        Ctx {
            desired,
            current,
            opts,
            dropped_tables,
            dropped_columns,
            kept_tables: kept,
        }
    }

    /// Compared tables of the desired model, in (schema, name) order.
    pub fn desired_tables(&self) -> Vec<&'a autogen_schema::Table> {
        sorted_tables(self.desired, self.opts)
    }

    /// Compared tables of the current model, in (schema, name) order.
    pub fn current_tables(&self) -> Vec<&'a autogen_schema::Table> {
        sorted_tables(self.current, self.opts)
    }

    pub fn column_dropped(&self, table: &QualifiedName, column: &str) -> bool {
        self.dropped_columns
            .contains(&(table.clone(), column.to_string()))
    }
}

fn sorted_tables<'a>(schema: &'a Schema, opts: &DiffOptions) -> Vec<&'a autogen_schema::Table> {
    let mut v: Vec<_> = schema
        .tables
        .iter()
        .filter(|t| !opts.is_ignored(&t.qualified_name()))
        .collect();
    v.sort_by(|a, b| (&a.schema, &a.name).cmp(&(&b.schema, &b.name)));
    v.dedup_by(|a, b| a.schema == b.schema && a.name == b.name);
    v
}
