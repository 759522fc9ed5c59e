//! Applies a [`Change`] to a model, the way Postgres would apply it to a database. Used to prove
//! plans (property tests: `apply(current, diff(desired, current))` is in sync with `desired`, and
//! the inverse plan brings it back). Checks what Postgres checks, so an ill-ordered plan fails
//! here instead of in the database. User types are not checked on use: a column may have a
//! composite or out-of-schema type the model does not list.

use autogen_schema::equality::defaults_equal;
use autogen_schema::{Column, KeyPart, QualifiedName, Schema, Table};

use crate::plan::Change;
use crate::references;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApplyError {
    #[error("{0} does not exist")]
    Missing(String),
    #[error("{0} already exists")]
    Exists(String),
    #[error("{object}: {message}")]
    Invalid { object: String, message: String },
}

/// Postgres refuses to create an object in a schema that does not exist.
fn schema_exists(schema: &Schema, name: &str) -> Result<(), ApplyError> {
    if schema.missing_schemas.iter().any(|s| s == name) {
        return Err(ApplyError::Missing(format!("schema {name}")));
    }
    Ok(())
}

fn invalid(object: impl std::fmt::Display, message: impl Into<String>) -> ApplyError {
    ApplyError::Invalid {
        object: object.to_string(),
        message: message.into(),
    }
}

/// Applies one change to `schema`.
pub fn apply(schema: &mut Schema, change: &Change) -> Result<(), ApplyError> {
    use Change::*;
    match change {
        CreateSchema { schema: name } => {
            let before = schema.missing_schemas.len();
            schema.missing_schemas.retain(|s| s != name);
            if schema.missing_schemas.len() == before {
                return Err(ApplyError::Exists(format!("schema {name}")));
            }
        }
        DropSchema { schema: name } => {
            if schema.missing_schemas.contains(name) {
                return Err(ApplyError::Missing(format!("schema {name}")));
            }
            let tables = schema.tables.iter().map(|t| t.qualified_name());
            let enums = schema.enums.iter().map(|e| e.qualified_name());
            if let Some(q) = tables.chain(enums).find(|q| &q.schema == name) {
                return Err(invalid(
                    format!("schema {name}"),
                    format!("still holds {q}"),
                ));
            }
            schema.missing_schemas.push(name.clone());
            schema.missing_schemas.sort();
        }
        CreateExtension { extension } => {
            if schema.extension(&extension.name).is_some() {
                return Err(ApplyError::Exists(format!("extension {}", extension.name)));
            }
            if let Some(s) = &extension.schema {
                schema_exists(schema, s)?;
            }
            schema.extensions.push(extension.clone());
            schema.extensions.sort_by(|a, b| a.name.cmp(&b.name));
        }
        DropExtension { extension } => {
            let before = schema.extensions.len();
            schema.extensions.retain(|e| e.name != extension.name);
            if schema.extensions.len() == before {
                return Err(ApplyError::Missing(format!("extension {}", extension.name)));
            }
        }
        CreateEnum { enum_type } => {
            let q = enum_type.qualified_name();
            schema_exists(schema, &q.schema)?;
            if schema.enum_type(&q.schema, &q.name).is_some() {
                return Err(ApplyError::Exists(format!("enum {q}")));
            }
            schema.enums.push(enum_type.clone());
            schema
                .enums
                .sort_by(|a, b| (&a.schema, &a.name).cmp(&(&b.schema, &b.name)));
        }
        DropEnum { enum_type } => {
            let q = enum_type.qualified_name();
            let users = enum_users(schema, &q);
            if let Some(user) = users.first() {
                return Err(invalid(
                    format!("enum {q}"),
                    format!("still used by {user}"),
                ));
            }
            let before = schema.enums.len();
            schema.enums.retain(|e| e.qualified_name() != q);
            if schema.enums.len() == before {
                return Err(ApplyError::Missing(format!("enum {q}")));
            }
        }
        AddEnumValue {
            enum_type,
            value,
            moved,
            in_the_way,
            ..
        } => {
            let q = enum_type.qualified_name();
            let e = enum_mut(schema, &q)?;
            let expected: Vec<String> = enum_type
                .labels
                .iter()
                .filter(|l| *l != value)
                .cloned()
                .collect();
            if e.labels != expected || !enum_type.labels.contains(value) {
                return Err(invalid(
                    format!("enum {q}"),
                    format!(
                        "labels {:?} are not the ones before adding '{value}'",
                        e.labels
                    ),
                ));
            }
            e.labels = enum_type.labels.clone();
            if *moved {
                apply_all(schema, &in_the_way.restores())?;
            }
        }
        RemoveEnumValue {
            enum_type,
            value,
            usages,
            moved,
            in_the_way,
        } => {
            let q = enum_type.qualified_name();
            let e = enum_mut(schema, &q)?;
            if e.labels != enum_type.labels || !e.labels.contains(value) {
                return Err(invalid(
                    format!("enum {q}"),
                    format!(
                        "labels {:?} are not the ones before removing '{value}'",
                        e.labels
                    ),
                ));
            }
            recreate_enum(schema, &q, value, usages, *moved, in_the_way)?;
        }
        CreateTable { table } => {
            let q = table.qualified_name();
            schema_exists(schema, &q.schema)?;
            if schema.table(&q.schema, &q.name).is_some() {
                return Err(ApplyError::Exists(format!("table {q}")));
            }
            schema.tables.push(table.clone());
            schema
                .tables
                .sort_by(|a, b| (&a.schema, &a.name).cmp(&(&b.schema, &b.name)));
        }
        DropTable { table } => {
            let q = table.qualified_name();
            let t = table_ref(schema, &q)?;
            if let Some(fk) = t.foreign_keys.first() {
                return Err(invalid(
                    format!("table {q}"),
                    format!("foreign key {} must be dropped first", fk.name),
                ));
            }
            if let Some((from, fk)) = references::foreign_keys_to(schema, &q).into_iter().next() {
                return Err(invalid(
                    format!("table {q}"),
                    format!("referenced by {} on {from}", fk.name),
                ));
            }
            if let Some(v) = schema
                .views
                .iter()
                .find(|v| v.reads.iter().any(|(t, _)| *t == q))
            {
                return Err(invalid(
                    format!("table {q}"),
                    format!(
                        "view {}.{} reads it: drop the view before this migration",
                        v.schema, v.name
                    ),
                ));
            }
            schema.tables.retain(|t| t.qualified_name() != q);
        }
        RenameTable { from, to } => {
            let new = QualifiedName::new(&from.schema, to);
            if schema.table(&new.schema, &new.name).is_some() {
                return Err(ApplyError::Exists(format!("table {new}")));
            }
            table_mut(schema, from)?.name = to.clone();
            for t in &mut schema.tables {
                for fk in &mut t.foreign_keys {
                    if fk.referenced() == *from {
                        fk.ref_table = to.clone();
                    }
                }
            }
        }
        AddColumn { table, column } => {
            let t = table_mut(schema, table)?;
            if t.column(&column.name).is_some() {
                return Err(ApplyError::Exists(format!(
                    "column {table}.{}",
                    column.name
                )));
            }
            t.columns.push(column.clone());
        }
        DropColumn { table, column } => {
            let t = table_ref(schema, table)?;
            column_ref(t, table, &column.name)?;
            view_in_the_way(schema, table, &column.name, "drop")?;
            if let Some(user) = references::column_users(schema, table, &column.name).first() {
                return Err(invalid(
                    format!("column {table}.{}", column.name),
                    format!("still used by {user}"),
                ));
            }
            table_mut(schema, table)?
                .columns
                .retain(|c| c.name != column.name);
        }
        RenameColumn { table, from, to } => {
            let t = table_mut(schema, table)?;
            if t.column(to).is_some() {
                return Err(ApplyError::Exists(format!("column {table}.{to}")));
            }
            column_mut(t, table, from)?.name = to.clone();
            let rename = |c: &mut String| {
                if c == from {
                    *c = to.clone();
                }
            };
            let rewrite = |e: &mut String| *e = references::rename_in_expression(e, from, to);
            for i in &mut t.indexes {
                for k in &mut i.keys {
                    match &mut k.part {
                        KeyPart::Column(c) => rename(c),
                        KeyPart::Expression(e) => rewrite(e),
                    }
                }
                i.include.iter_mut().for_each(rename);
                i.predicate.iter_mut().for_each(rewrite);
            }
            for c in &mut t.checks {
                rewrite(&mut c.expression);
            }
            if let Some(pk) = &mut t.primary_key {
                pk.columns.iter_mut().for_each(rename);
            }
            for fk in &mut t.foreign_keys {
                fk.columns.iter_mut().for_each(rename);
            }
            for other in &mut schema.tables {
                for fk in &mut other.foreign_keys {
                    if fk.referenced() == *table {
                        fk.ref_columns.iter_mut().for_each(rename);
                    }
                }
            }
        }
        AlterColumnType {
            table,
            column,
            from,
            to,
            collation,
            ..
        } => {
            view_in_the_way(schema, table, column, "change the type of")?;
            let c = column_mut(table_mut(schema, table)?, table, column)?;
            if c.ty != *from {
                return Err(invalid(
                    format!("column {table}.{column}"),
                    format!("type is {}, not {from}", c.ty),
                ));
            }
            c.ty = to.clone();
            c.collation = collation.clone().filter(|_| crate::casts::collatable(to));
        }
        SetNotNull { table, column } => {
            column_mut(table_mut(schema, table)?, table, column)?.nullable = false;
        }
        DropNotNull { table, column } => {
            let t = table_mut(schema, table)?;
            let in_pk = t
                .primary_key
                .as_ref()
                .is_some_and(|pk| pk.columns.contains(column));
            let c = column_mut(t, table, column)?;
            if in_pk || c.identity.is_some() {
                return Err(invalid(
                    format!("column {table}.{column}"),
                    "is in the primary key or an identity column",
                ));
            }
            c.nullable = true;
        }
        AlterDefault {
            table,
            column,
            from,
            to,
        } => {
            let c = column_mut(table_mut(schema, table)?, table, column)?;
            if c.generated.is_some() && to.is_some() {
                return Err(invalid(
                    format!("column {table}.{column}"),
                    "is a generated column; Postgres refuses SET DEFAULT on it",
                ));
            }
            let same = match (&c.default, from) {
                (None, None) => true,
                (Some(a), Some(b)) => defaults_equal(a, b),
                _ => false,
            };
            if !same {
                return Err(invalid(
                    format!("column {table}.{column}"),
                    format!("default is {:?}, not {from:?}", c.default),
                ));
            }
            if to.is_some() && c.identity.is_some() {
                return Err(invalid(
                    format!("column {table}.{column}"),
                    "an identity column cannot have a default",
                ));
            }
            c.default = to.clone();
        }
        AlterIdentity {
            table,
            column,
            from,
            to,
        } => {
            let c = column_mut(table_mut(schema, table)?, table, column)?;
            if c.identity != *from {
                return Err(invalid(
                    format!("column {table}.{column}"),
                    format!("identity is {:?}, not {from:?}", c.identity),
                ));
            }
            if to.is_some() && from.is_none() && (c.nullable || c.default.is_some()) {
                return Err(invalid(
                    format!("column {table}.{column}"),
                    "an identity needs NOT NULL and no default",
                ));
            }
            c.identity = to.clone();
        }
        AddIndex { table, index } => {
            relation_name_free(schema, &table.schema, &index.name)?;
            let t = table_mut(schema, table)?;
            if index.constraint {
                constraint_name_free(t, table, &index.name)?;
            }
            for k in &index.keys {
                if let KeyPart::Column(c) = &k.part {
                    column_ref(t, table, c)?;
                }
            }
            t.indexes.push(index.clone());
            t.indexes.sort_by(|a, b| a.name.cmp(&b.name));
        }
        DropIndex { table, index } => {
            let t = table_mut(schema, table)?;
            let Some(pos) = t.indexes.iter().position(|i| i.name == index.name) else {
                return Err(ApplyError::Missing(format!(
                    "index {} on {table}",
                    index.name
                )));
            };
            let removed = t.indexes.remove(pos);
            if let Err(e) = unique_still_backs_foreign_keys(schema, table) {
                table_mut(schema, table)?.indexes.insert(pos, removed);
                return Err(e);
            }
        }
        RenameIndex { table, from, to } => {
            relation_name_free(schema, &table.schema, to)?;
            let t = table_mut(schema, table)?;
            let i = t.indexes.iter_mut().find(|i| i.name == *from);
            i.ok_or_else(|| ApplyError::Missing(format!("index {from} on {table}")))?
                .name = to.clone();
            t.indexes.sort_by(|a, b| a.name.cmp(&b.name));
        }
        AddPrimaryKey { table, primary_key } => {
            relation_name_free(schema, &table.schema, &primary_key.name)?;
            let t = table_mut(schema, table)?;
            if t.primary_key.is_some() {
                return Err(ApplyError::Exists(format!("primary key on {table}")));
            }
            constraint_name_free(t, table, &primary_key.name)?;
            for c in &primary_key.columns {
                column_mut(t, table, c)?.nullable = false;
            }
            t.primary_key = Some(primary_key.clone());
        }
        DropPrimaryKey { table, primary_key } => {
            let t = table_mut(schema, table)?;
            if t.primary_key.as_ref().map(|p| &p.name) != Some(&primary_key.name) {
                return Err(ApplyError::Missing(format!(
                    "primary key {} on {table}",
                    primary_key.name
                )));
            }
            let removed = t.primary_key.take();
            if let Err(e) = unique_still_backs_foreign_keys(schema, table) {
                table_mut(schema, table)?.primary_key = removed;
                return Err(e);
            }
        }
        AddForeignKey {
            table,
            foreign_key: fk,
        } => {
            let target_name = fk.referenced();
            // A target in a Postgres schema the model does not cover cannot be checked.
            let covered = schema.tables.iter().any(|t| t.schema == target_name.schema);
            if covered
                || schema
                    .table(&target_name.schema, &target_name.name)
                    .is_some()
            {
                let target = table_ref(schema, &target_name)?;
                for c in &fk.ref_columns {
                    column_ref(target, &target_name, c)?;
                }
                if !references::has_unique_on(target, &fk.ref_columns) {
                    return Err(invalid(
                        format!("foreign key {} on {table}", fk.name),
                        format!(
                            "no unique constraint on {target_name} ({})",
                            fk.ref_columns.join(", ")
                        ),
                    ));
                }
            }
            let t = table_mut(schema, table)?;
            constraint_name_free(t, table, &fk.name)?;
            for c in &fk.columns {
                column_ref(t, table, c)?;
            }
            t.foreign_keys.push(fk.clone());
            t.foreign_keys.sort_by(|a, b| a.name.cmp(&b.name));
        }
        DropForeignKey { table, foreign_key } => {
            let t = table_mut(schema, table)?;
            let before = t.foreign_keys.len();
            t.foreign_keys.retain(|f| f.name != foreign_key.name);
            if t.foreign_keys.len() == before {
                return Err(ApplyError::Missing(format!(
                    "foreign key {} on {table}",
                    foreign_key.name
                )));
            }
        }
        RenameForeignKey { table, from, to } => {
            let t = table_mut(schema, table)?;
            constraint_name_free(t, table, to)?;
            let f = t.foreign_keys.iter_mut().find(|f| f.name == *from);
            f.ok_or_else(|| ApplyError::Missing(format!("foreign key {from} on {table}")))?
                .name = to.clone();
            t.foreign_keys.sort_by(|a, b| a.name.cmp(&b.name));
        }
        AlterForeignKey { table, from, to } => {
            apply(
                schema,
                &DropForeignKey {
                    table: table.clone(),
                    foreign_key: from.clone(),
                },
            )?;
            apply(
                schema,
                &AddForeignKey {
                    table: table.clone(),
                    foreign_key: to.clone(),
                },
            )?;
        }
        AddCheck { table, check } => {
            let t = table_mut(schema, table)?;
            constraint_name_free(t, table, &check.name)?;
            t.checks.push(check.clone());
            t.checks.sort_by(|a, b| a.name.cmp(&b.name));
        }
        DropCheck { table, check } => {
            let t = table_mut(schema, table)?;
            let before = t.checks.len();
            t.checks.retain(|c| c.name != check.name);
            if t.checks.len() == before {
                return Err(ApplyError::Missing(format!(
                    "check {} on {table}",
                    check.name
                )));
            }
        }
        SetTableComment { table, to, .. } => table_mut(schema, table)?.comment = to.clone(),
        SetColumnComment {
            table, column, to, ..
        } => {
            column_mut(table_mut(schema, table)?, table, column)?.comment = to.clone();
        }
    }
    Ok(())
}

/// Applies every change of a plan in order; stops at the first error, naming the change.
pub fn apply_all<'a>(
    schema: &mut Schema,
    changes: impl IntoIterator<Item = &'a Change>,
) -> Result<(), ApplyError> {
    for change in changes {
        apply(schema, change).map_err(|e| invalid(change.describe(), e.to_string()))?;
    }
    Ok(())
}

fn table_ref<'a>(schema: &'a Schema, q: &QualifiedName) -> Result<&'a Table, ApplyError> {
    schema
        .table(&q.schema, &q.name)
        .ok_or_else(|| ApplyError::Missing(format!("table {q}")))
}

fn table_mut<'a>(schema: &'a mut Schema, q: &QualifiedName) -> Result<&'a mut Table, ApplyError> {
    schema
        .table_mut(&q.schema, &q.name)
        .ok_or_else(|| ApplyError::Missing(format!("table {q}")))
}

fn column_ref<'a>(t: &'a Table, q: &QualifiedName, name: &str) -> Result<&'a Column, ApplyError> {
    t.column(name)
        .ok_or_else(|| ApplyError::Missing(format!("column {q}.{name}")))
}

fn column_mut<'a>(
    t: &'a mut Table,
    q: &QualifiedName,
    name: &str,
) -> Result<&'a mut Column, ApplyError> {
    t.column_mut(name)
        .ok_or_else(|| ApplyError::Missing(format!("column {q}.{name}")))
}

fn enum_mut<'a>(
    schema: &'a mut Schema,
    q: &QualifiedName,
) -> Result<&'a mut autogen_schema::EnumType, ApplyError> {
    schema
        .enums
        .iter_mut()
        .find(|e| e.schema == q.schema && e.name == q.name)
        .ok_or_else(|| ApplyError::Missing(format!("enum {q}")))
}

/// Columns (as `schema.table.column`) whose type is the enum or an array of it, or whose
/// default casts to it (Postgres records that dependency too).
/// Recreating enum `q` without `value`: what is in the way is dropped first (and, unless the
/// label moved, created again after); Postgres refuses it while something else is in the way,
/// while a view reads a converted column, or when what it creates again names the removed label.
fn recreate_enum(
    schema: &mut Schema,
    q: &QualifiedName,
    value: &str,
    usages: &[(QualifiedName, String)],
    moved: bool,
    in_the_way: &crate::InTheWay,
) -> Result<(), ApplyError> {
    apply_all(schema, &in_the_way.drops())?;
    if let Some(name) = references::enum_in_the_way(schema, q).names().first() {
        return Err(invalid(
            format!("enum {q}"),
            format!("{name} is in the way of recreating the type and is not dropped first"),
        ));
    }
    for (table, column) in usages {
        view_in_the_way(schema, table, column, "change the type of")?;
    }
    if let Some(e) = schema.enums.iter_mut().find(|e| e.qualified_name() == *q) {
        e.labels.retain(|l| l != value);
    }
    if moved {
        return Ok(());
    }
    let literal = autogen_schema::ident::literal(value);
    let restores = in_the_way.restores();
    if let Some(c) = restores.iter().find(|c| names_label(c, &literal)) {
        return Err(invalid(
            format!("enum {q}"),
            format!(
                "`{}` names the removed label {literal}: Postgres cannot create it again; \
                 change or drop it first",
                c.describe()
            ),
        ));
    }
    apply_all(schema, &restores)
}

/// Postgres refuses to drop or retype a column a view reads (the model does not hold view
/// definitions, so the plan cannot drop and restore the view).
fn view_in_the_way(
    schema: &Schema,
    table: &QualifiedName,
    column: &str,
    what: &str,
) -> Result<(), ApplyError> {
    match references::views_reading(schema, table, column).first() {
        Some(view) => Err(invalid(
            format!("column {table}.{column}"),
            format!(
                "view {view} reads it, and Postgres cannot {what} a column a view uses: drop \
                 the view before this migration and create it again after"
            ),
        )),
        None => Ok(()),
    }
}

/// True when a restored index or check writes the label literal in an expression.
fn names_label(change: &Change, literal: &str) -> bool {
    match change {
        Change::AddIndex { index, .. } => {
            index
                .predicate
                .as_deref()
                .is_some_and(|p| p.contains(literal))
                || index.keys.iter().any(|k| match &k.part {
                    KeyPart::Expression(e) => e.contains(literal),
                    KeyPart::Column(_) => false,
                })
        }
        Change::AddCheck { check, .. } => check.expression.contains(literal),
        _ => false,
    }
}

fn enum_users(schema: &Schema, q: &QualifiedName) -> Vec<String> {
    let mut users: Vec<String> = references::enum_columns(schema, q)
        .into_iter()
        .map(|(t, c)| format!("{t}.{c}"))
        .collect();
    for t in &schema.tables {
        for c in &t.columns {
            if c.default
                .as_deref()
                .is_some_and(|d| references::casts_to(d, q))
            {
                users.push(format!("the default of {}.{}", t.qualified_name(), c.name));
            }
        }
    }
    users
}

/// Index and table names share one namespace per Postgres schema.
fn relation_name_free(schema: &Schema, pg_schema: &str, name: &str) -> Result<(), ApplyError> {
    let taken = schema
        .tables
        .iter()
        .filter(|t| t.schema == pg_schema)
        .any(|t| {
            t.name == name
                || t.indexes.iter().any(|i| i.name == name)
                || t.primary_key.as_ref().is_some_and(|p| p.name == name)
        });
    if taken {
        Err(ApplyError::Exists(format!("relation {pg_schema}.{name}")))
    } else {
        Ok(())
    }
}

/// Constraint names are unique per table.
fn constraint_name_free(t: &Table, q: &QualifiedName, name: &str) -> Result<(), ApplyError> {
    let taken = t.primary_key.as_ref().is_some_and(|p| p.name == name)
        || t.indexes.iter().any(|i| i.constraint && i.name == name)
        || t.foreign_keys.iter().any(|f| f.name == name)
        || t.checks.iter().any(|c| c.name == name);
    if taken {
        Err(ApplyError::Exists(format!("constraint {name} on {q}")))
    } else {
        Ok(())
    }
}

/// Every foreign key into `table` still finds a primary key or unique index over its columns.
fn unique_still_backs_foreign_keys(
    schema: &Schema,
    table: &QualifiedName,
) -> Result<(), ApplyError> {
    let t = table_ref(schema, table)?;
    for (from, fk) in references::foreign_keys_to(schema, table) {
        if !references::has_unique_on(t, &fk.ref_columns) {
            return Err(invalid(
                format!("foreign key {} on {from}", fk.name),
                format!("depends on a unique constraint of {table}"),
            ));
        }
    }
    Ok(())
}
