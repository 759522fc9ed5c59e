//! One-line descriptions of changes, which tables they touch, and which ones are destructive.

use autogen_schema::{
    FkAction, ForeignKey, Identity, IdentityGeneration, Index, QualifiedName, ident,
};

use crate::casts;
use crate::plan::Change;

impl Change {
    /// Can lose data or fail on existing rows: drop table, drop column, type narrowing, enum
    /// value removal, SET NOT NULL (NULLs make it fail).
    pub fn is_destructive(&self) -> bool {
        match self {
            Change::DropTable { .. }
            | Change::DropColumn { .. }
            | Change::RemoveEnumValue { .. }
            | Change::DropExtension { .. }
            | Change::SetNotNull { .. } => true,
            Change::AlterColumnType { from, to, .. } => casts::is_lossy(from, to),
            _ => false,
        }
    }

    /// The table the change is about (its old name for a rename); `None` for enum changes.
    pub fn table(&self) -> Option<QualifiedName> {
        use Change::*;
        match self {
            CreateSchema { .. }
            | DropSchema { .. }
            | CreateExtension { .. }
            | DropExtension { .. }
            | CreateEnum { .. }
            | DropEnum { .. }
            | AddEnumValue { .. }
            | RemoveEnumValue { .. } => None,
            CreateTable { table } | DropTable { table } => Some(table.qualified_name()),
            RenameTable { from, .. } => Some(from.clone()),
            AddColumn { table, .. }
            | DropColumn { table, .. }
            | RenameColumn { table, .. }
            | AlterColumnType { table, .. }
            | SetNotNull { table, .. }
            | DropNotNull { table, .. }
            | AlterDefault { table, .. }
            | AlterIdentity { table, .. }
            | AddIndex { table, .. }
            | DropIndex { table, .. }
            | RenameIndex { table, .. }
            | AddPrimaryKey { table, .. }
            | DropPrimaryKey { table, .. }
            | AddForeignKey { table, .. }
            | DropForeignKey { table, .. }
            | RenameForeignKey { table, .. }
            | AlterForeignKey { table, .. }
            | AddCheck { table, .. }
            | DropCheck { table, .. }
            | SetTableComment { table, .. }
            | SetColumnComment { table, .. } => Some(table.clone()),
        }
    }

    /// One line for humans: `add column public.posts.title (character varying)`.
    pub fn describe(&self) -> String {
        use Change::*;
        match self {
            CreateSchema { schema } => format!("create schema {schema}"),
            DropSchema { schema } => format!("drop schema {schema}"),
            CreateExtension { extension } => format!("create extension {}", extension.name),
            DropExtension { extension } => format!("drop extension {}", extension.name),
            CreateEnum { enum_type } => format!(
                "create enum {} ({})",
                enum_type.qualified_name(),
                enum_type
                    .labels
                    .iter()
                    .map(|l| ident::literal(l))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            DropEnum { enum_type } => format!("drop enum {}", enum_type.qualified_name()),
            AddEnumValue {
                enum_type,
                value,
                moved,
                in_the_way,
                ..
            } => {
                let pos = enum_type.labels.iter().position(|l| l == value);
                let place = match pos {
                    Some(0) if enum_type.labels.len() > 1 => {
                        format!(" before {}", ident::literal(&enum_type.labels[1]))
                    }
                    Some(i) if i > 0 => {
                        format!(" after {}", ident::literal(&enum_type.labels[i - 1]))
                    }
                    _ => String::new(),
                };
                let also = match *moved && !in_the_way.is_empty() {
                    true => format!("; restores {}", in_the_way.names().join(", ")),
                    false => String::new(),
                };
                format!(
                    "add value {} to enum {}{place}{also}",
                    ident::literal(value),
                    enum_type.qualified_name()
                )
            }
            RemoveEnumValue {
                enum_type,
                value,
                usages,
                moved,
                in_the_way,
            } => {
                let mut also = String::new();
                if !in_the_way.is_empty() {
                    let names = in_the_way.names().join(", ");
                    also = match moved {
                        true => format!("; drops {names} until the label is back"),
                        false => format!("; drops and restores {names}"),
                    };
                }
                format!(
                    "remove value {} from enum {} (recreates the type, converts {} column{}{also})",
                    ident::literal(value),
                    enum_type.qualified_name(),
                    usages.len(),
                    if usages.len() == 1 { "" } else { "s" }
                )
            }
            CreateTable { table } => format!(
                "create table {} ({} column{})",
                table.qualified_name(),
                table.columns.len(),
                if table.columns.len() == 1 { "" } else { "s" }
            ),
            DropTable { table } => format!("drop table {}", table.qualified_name()),
            RenameTable { from, to } => format!("rename table {from} to {to}"),
            AddColumn { table, column } => {
                let mut extra = vec![column.ty.to_sql()];
                if !column.nullable {
                    extra.push("not null".into());
                }
                if let Some(d) = &column.default {
                    extra.push(format!("default {d}"));
                }
                if let Some(i) = &column.identity {
                    extra.push(identity_text(i));
                }
                format!("add column {table}.{} ({})", column.name, extra.join(", "))
            }
            DropColumn { table, column } => format!("drop column {table}.{}", column.name),
            RenameColumn { table, from, to } => format!("rename column {table}.{from} to {to}"),
            AlterColumnType {
                table,
                column,
                from,
                to,
                using,
                ..
            } => format!(
                "change type of {table}.{column} from {from} to {to}{}",
                using
                    .as_ref()
                    .map(|u| format!(" using {u}"))
                    .unwrap_or_default()
            ),
            SetNotNull { table, column } => format!("set not null on {table}.{column}"),
            DropNotNull { table, column } => format!("drop not null on {table}.{column}"),
            AlterDefault {
                table,
                column,
                from,
                to,
            } => {
                let was = from
                    .as_ref()
                    .map(|f| format!(" (was {f})"))
                    .unwrap_or_default();
                match to {
                    Some(t) => format!("set default of {table}.{column} to {t}{was}"),
                    None => format!("drop default of {table}.{column}{was}"),
                }
            }
            AlterIdentity {
                table,
                column,
                from,
                to,
            } => match (from, to) {
                (None, Some(t)) => {
                    format!("add identity to {table}.{column} ({})", identity_text(t))
                }
                (Some(_), None) => format!("drop identity from {table}.{column}"),
                (_, Some(t)) => format!(
                    "change identity of {table}.{column} to {}",
                    identity_text(t)
                ),
                (None, None) => format!("leave identity of {table}.{column} unchanged"),
            },
            AddIndex { table, index } => {
                format!("add {} on {table} {}", index_kind(index), index_def(index))
            }
            DropIndex { table, index } => format!("drop {} on {table}", index_kind(index)),
            RenameIndex { table, from, to } => format!("rename index {from} on {table} to {to}"),
            AddPrimaryKey { table, primary_key } => format!(
                "add primary key {} on {table} ({})",
                primary_key.name,
                primary_key.columns.join(", ")
            ),
            DropPrimaryKey { table, primary_key } => {
                format!("drop primary key {} on {table}", primary_key.name)
            }
            AddForeignKey {
                table,
                foreign_key: fk,
            } => {
                let mut s = format!(
                    "add foreign key {} on {table} ({}) references {} ({})",
                    fk.name,
                    fk.columns.join(", "),
                    fk.referenced(),
                    fk.ref_columns.join(", ")
                );
                for (what, action) in [("delete", fk.on_delete), ("update", fk.on_update)] {
                    if action != FkAction::NoAction {
                        s.push_str(&format!(" on {what} {}", action.sql().to_lowercase()));
                    }
                }
                s
            }
            DropForeignKey { table, foreign_key } => {
                format!("drop foreign key {} on {table}", foreign_key.name)
            }
            RenameForeignKey { table, from, to } => {
                format!("rename foreign key {from} on {table} to {to}")
            }
            AlterForeignKey { table, from, to } => {
                let mut s = format!(
                    "change foreign key {} on {table}: {}",
                    from.name,
                    foreign_key_changes(from, to).join(", ")
                );
                if to.name != from.name {
                    s.push_str(&format!(" (named {})", to.name));
                }
                s
            }
            AddCheck { table, check } => {
                format!("add check {} on {table} ({})", check.name, check.expression)
            }
            DropCheck { table, check } => format!("drop check {} on {table}", check.name),
            SetTableComment { table, to, .. } => match to {
                Some(c) => format!("set comment on table {table} to {}", ident::literal(c)),
                None => format!("drop comment on table {table}"),
            },
            SetColumnComment {
                table, column, to, ..
            } => match to {
                Some(c) => format!(
                    "set comment on column {table}.{column} to {}",
                    ident::literal(c)
                ),
                None => format!("drop comment on column {table}.{column}"),
            },
        }
    }
}

/// What differs between two definitions of one foreign key: `ON DELETE CASCADE → NO ACTION`.
pub(crate) fn foreign_key_changes(from: &ForeignKey, to: &ForeignKey) -> Vec<String> {
    let mut parts = Vec::new();
    for (what, a, b) in [
        ("ON DELETE", from.on_delete, to.on_delete),
        ("ON UPDATE", from.on_update, to.on_update),
    ] {
        if a != b {
            parts.push(format!("{what} {} → {}", a.sql(), b.sql()));
        }
    }
    if from.match_type != to.match_type {
        parts.push(format!("MATCH {:?} → {:?}", from.match_type, to.match_type).to_uppercase());
    }
    let deferral = |f: &ForeignKey| match (f.deferrable, f.initially_deferred) {
        (false, _) => "NOT DEFERRABLE",
        (true, false) => "DEFERRABLE",
        (true, true) => "DEFERRABLE INITIALLY DEFERRED",
    };
    if deferral(from) != deferral(to) {
        parts.push(format!("{} → {}", deferral(from), deferral(to)));
    }
    if parts.is_empty() {
        parts.push("same definition".into());
    }
    parts
}

fn identity_text(i: &Identity) -> String {
    let g = match i.generation {
        IdentityGeneration::Always => "generated always as identity",
        IdentityGeneration::ByDefault => "generated by default as identity",
    };
    if i.options.is_default() {
        g.to_string()
    } else {
        format!("{g} with options")
    }
}

fn index_kind(index: &Index) -> String {
    let kind = match (index.unique, index.constraint) {
        (true, true) => "unique constraint",
        (true, false) => "unique index",
        (false, _) => "index",
    };
    format!("{kind} {}", index.name)
}

fn index_def(index: &Index) -> String {
    let keys: Vec<String> = index
        .keys
        .iter()
        .map(|k| {
            let mut s = match &k.part {
                autogen_schema::KeyPart::Column(c) => c.clone(),
                autogen_schema::KeyPart::Expression(e) => format!("({e})"),
            };
            if k.descending {
                s.push_str(" desc");
            }
            s
        })
        .collect();
    let mut s = String::new();
    if index.method != "btree" {
        s.push_str(&format!("using {} ", index.method));
    }
    s.push_str(&format!("({})", keys.join(", ")));
    if !index.include.is_empty() {
        s.push_str(&format!(" include ({})", index.include.join(", ")));
    }
    if let Some(p) = &index.predicate {
        s.push_str(&format!(" where {p}"));
    }
    s
}
