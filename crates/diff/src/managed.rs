//! Managed vs unmanaged, in one place: which objects the entities are the truth for.
//!
//! The entities are the truth for what the entity language can declare. A database object the
//! entities do not declare is *managed* (dropped) only when SeaORM could have declared it and it
//! carries exactly the name SeaORM gives such objects (or strict names are on); everything else
//! is *unmanaged*: kept, never drift, listed as a note. Comments, defaults (unless strict) and
//! standalone CHECKs are managed only where the entity declares them.

use autogen_schema::{
    Column, ForeignKey, Index, KeyPart, MatchType, QualifiedName, Schema, Table, naming,
};

use crate::options::{DiffOptions, Manage};

/// sea-orm-migration's bookkeeping table: never compared, never dropped.
pub fn is_bookkeeping_table(object: &QualifiedName) -> bool {
    object.name == "seaql_migrations"
}

/// An entity over a database view or materialized view (a read-only entity, as real apps write
/// for reporting views): autogen manages tables only, so the entity is not compared, never
/// created as a table. The view-backed tables are returned; [`without_view_entities`] removes
/// them.
pub fn view_entities(desired: &Schema, current: &Schema) -> Vec<QualifiedName> {
    desired
        .tables
        .iter()
        .filter(|t| {
            current.table(&t.schema, &t.name).is_none()
                && current
                    .views
                    .iter()
                    .any(|v| v.schema == t.schema && v.name == t.name)
        })
        .map(Table::qualified_name)
        .collect()
}

/// `desired` without the tables `views` names and without foreign keys into them (Postgres
/// cannot reference a view).
pub fn without_view_entities(desired: &Schema, views: &[QualifiedName]) -> Schema {
    let mut out = desired.clone();
    out.tables.retain(|t| !views.contains(&t.qualified_name()));
    for t in &mut out.tables {
        t.foreign_keys
            .retain(|fk| !views.contains(&fk.referenced()));
    }
    out
}

/// An index, unique index or unique constraint that exists only in the database is dropped.
pub fn index_is_managed(table: &Table, index: &Index, opts: &DiffOptions) -> bool {
    opts.manage == Manage::All
        || (index_is_declarable(index)
            && (opts.strict_names || has_seaorm_index_name(table, index)))
}

/// What `indexed`, `unique` and `unique_key` can produce: a plain ascending btree over columns,
/// unique (any number of columns) or non-unique (one column).
pub fn index_is_declarable(index: &Index) -> bool {
    index.method == "btree"
        && index.predicate.is_none()
        && index.include.is_empty()
        && !index.nulls_not_distinct
        && !index.keys.is_empty()
        && index.keys.iter().all(|k| {
            matches!(k.part, KeyPart::Column(_))
                && !k.descending
                && !k.nulls_first
                && k.opclass.is_none()
                && k.collation.is_none()
        })
        && (index.unique || index.keys.len() == 1)
}

/// `idx-{table}-{col}` for a plain index; `idx-{table}-{key}` (any key) or `{table}_{col}_key`
/// for a unique one.
fn has_seaorm_index_name(table: &Table, index: &Index) -> bool {
    let Some(cols) = index.column_names() else {
        return false;
    };
    if index.unique {
        let prefix = naming::truncate_identifier(&format!("idx-{}-", table.name));
        let inline = cols.len() == 1 && index.name == naming::inline_unique(&table.name, cols[0]);
        inline || (index.name.starts_with(&prefix) && index.name.len() > prefix.len())
    } else {
        cols.len() == 1 && index.name == naming::index(&table.name, cols[0])
    }
}

/// A foreign key that exists only in the database is dropped.
pub fn foreign_key_is_managed(table: &Table, fk: &ForeignKey, opts: &DiffOptions) -> bool {
    let declarable = fk.match_type == MatchType::Simple && !fk.deferrable && !fk.columns.is_empty();
    let cols: Vec<&str> = fk.columns.iter().map(String::as_str).collect();
    declarable && (opts.strict_names || fk.name == naming::foreign_key(&table.name, &cols))
}

/// Standalone CHECK constraints cannot be declared by entities (only column `extra` can add
/// one, or the extras SQL file), so a database-only check is dropped for being undeclared only
/// under `manage = "all"`.
pub fn check_is_managed(opts: &DiffOptions) -> bool {
    opts.manage == Manage::All
}

/// Entities cannot declare extensions (the extras SQL file can): an undeclared one is dropped
/// only under `manage = "all"`, and then only when nothing outside it still needs it.
pub fn extension_is_managed(opts: &DiffOptions) -> bool {
    opts.manage == Manage::All
}

/// The default the column should end up with, or `None` when the default is not managed (keep
/// whatever the database has). An identity column never has a default.
pub fn desired_default<'a>(desired: &'a Column, opts: &DiffOptions) -> Option<Option<&'a str>> {
    match (&desired.default, &desired.identity) {
        (Some(d), _) => Some(Some(d.as_str())),
        (None, Some(_)) => Some(None),
        (None, None) if opts.strict_defaults => Some(None),
        (None, None) => None,
    }
}

/// SeaORM cannot emit comments on Postgres, so a comment is compared only where the entity
/// declares one; `None` means "not managed", never "drop the comment".
pub fn desired_comment(desired: &Option<String>) -> Option<&str> {
    desired.as_deref()
}

#[cfg(test)]
mod tests {
    use super::*;
    use autogen_schema::IndexKey;

    fn check(index: Index, opts: &DiffOptions) -> bool {
        index_is_managed(&Table::new("public", "posts"), &index, opts)
    }

    #[test]
    fn only_seaorm_names_of_declarable_indexes_are_managed() {
        let lenient = DiffOptions::default();
        let strict = DiffOptions {
            strict_names: true,
            ..DiffOptions::default()
        };
        assert!(check(
            Index::on_columns("idx-posts-title", &["title"], false),
            &lenient
        ));
        assert!(check(
            Index::on_columns("idx-posts-pair", &["a", "b"], true),
            &lenient
        ));
        assert!(check(
            Index::on_columns("posts_slug_key", &["slug"], true),
            &lenient
        ));
        assert!(!check(
            Index::on_columns("idx_posts_title", &["title"], false),
            &lenient
        ));
        assert!(check(
            Index::on_columns("idx_posts_title", &["title"], false),
            &strict
        ));
        assert!(!check(
            Index::on_columns("idx-posts-a", &["a", "b"], false),
            &strict
        ));
        let mut partial = Index::on_columns("idx-posts-title", &["title"], false);
        partial.predicate = Some("(title IS NOT NULL)".into());
        assert!(!check(partial, &strict));
        let mut gin = Index::on_columns("idx-posts-title", &["title"], false);
        gin.method = "gin".into();
        assert!(!check(gin, &strict));
        let mut desc = Index::on_columns("idx-posts-title", &["title"], false);
        desc.keys = vec![IndexKey {
            descending: true,
            nulls_first: true,
            ..IndexKey::column("title")
        }];
        assert!(!check(desc, &strict));
    }
}
