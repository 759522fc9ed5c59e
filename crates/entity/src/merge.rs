//! Partial models: several entities over one table merge into one table (the union of their
//! columns, keys and indexes). Disagreements never block; each becomes a [`Finding`] naming
//! both places, by these rules:
//! - nullability: the column is nullable if any entity says `Option` (what the database must
//!   allow for every entity to write); each entity that says NOT NULL over it is a nullability
//!   hazard (reading a NULL written through the other entity fails at run time);
//! - what one entity states and another leaves unstated (a length, the exact type within the
//!   Rust type's family, a type the loader cannot resolve, a default, a comment, a foreign key
//!   action): the stated value, no finding;
//! - two different stated values (type, default, identity, comment; a primary key, index or
//!   foreign key of one name with two definitions): the attribute is not compared —
//!   [`settle_disagreements`] takes the database's value — and the first entity's value (in
//!   module order) is what a new object gets.

use std::collections::HashMap;

use autogen_schema::{
    Column, ForeignKey, Origin, QualifiedName, Schema, Table, TypeSource, equality,
};

use crate::diagnostics::Sink;
use crate::findings::{Attribute, Finding, FindingKind, Subject};

pub(crate) fn merge(tables: Vec<Table>, sink: &mut Sink) -> Vec<Table> {
    let mut groups: Vec<Vec<Table>> = Vec::new();
    let mut index: HashMap<(String, String), usize> = HashMap::new();
    for t in tables {
        let key = (t.schema.clone(), t.name.clone());
        match index.get(&key) {
            Some(i) => groups[*i].push(t),
            None => {
                index.insert(key, groups.len());
                groups.push(vec![t]);
            }
        }
    }
    groups
        .into_iter()
        .filter_map(|g| merge_group(g, &mut sink.findings))
        .collect()
}

fn merge_group(group: Vec<Table>, findings: &mut Vec<Finding>) -> Option<Table> {
    let mut rest = group.into_iter();
    let mut base = rest.next()?;
    let q = base.qualified_name();
    let mut declarations: Vec<(String, Vec<Column>)> = base
        .columns
        .iter()
        .map(|c| (c.name.clone(), vec![with_origin(c, base.origin.as_ref())]))
        .collect();
    for other in rest {
        for c in &other.columns {
            let decl = with_origin(c, other.origin.as_ref());
            match declarations.iter_mut().find(|(n, _)| *n == c.name) {
                Some((_, decls)) => decls.push(decl),
                None => {
                    base.columns.push(c.clone());
                    declarations.push((c.name.clone(), vec![decl]));
                }
            }
        }
        merge_keys(&mut base, other, findings);
    }
    for (name, decls) in &declarations {
        if decls.len() > 1
            && let Some(c) = base.columns.iter_mut().find(|c| c.name == *name)
        {
            *c = merge_column(&q, decls, findings);
        }
    }
    Some(base)
}

/// The column with the table's origin when the field has none, so findings name a place.
fn with_origin(c: &Column, table: Option<&Origin>) -> Column {
    let mut c = c.clone();
    if c.origin.is_none() {
        c.origin = table.cloned();
    }
    c
}

/// One column from its declarations (in module order), by the rules in the module docs.
fn merge_column(q: &QualifiedName, decls: &[Column], findings: &mut Vec<Finding>) -> Column {
    let mut merged = decls[0].clone();
    let mut finding = |kind, here: &Column, other: &Column, message: String| {
        findings.push(Finding {
            kind,
            table: q.clone(),
            subject: Subject::Column(merged_name(decls)),
            here: here.origin.clone(),
            other: other.origin.clone(),
            message,
        })
    };
    let place = |c: &Column| {
        c.origin
            .as_ref()
            .map(Origin::to_string)
            .unwrap_or_else(|| "another entity".into())
    };
    let not_compared = "the database's is kept (not compared); a new column gets the first one";

    // Type: what one entity leaves unstated ([`says_less`]) is the other's.
    let mut type_from = &decls[0];
    for d in &decls[1..] {
        if (equality::types_equal(&merged.ty, &d.ty) && merged.type_source == d.type_source)
            || says_less(d, &merged)
        {
            continue;
        }
        if says_less(&merged, d) {
            merged.ty = d.ty.clone();
            merged.type_source = d.type_source.clone();
            type_from = d;
            continue;
        }
        finding(
            FindingKind::Disagreement(Attribute::Type),
            d,
            type_from,
            format!(
                "type {} here but {} at {}; {not_compared}",
                d.ty,
                merged.ty,
                place(type_from)
            ),
        );
    }

    // Default and comment: a stated one wins over an unstated one.
    let mut default_from = &decls[0];
    let mut comment_from = &decls[0];
    for d in &decls[1..] {
        match (&merged.default, &d.default) {
            (None, Some(_)) => {
                merged.default = d.default.clone();
                default_from = d;
            }
            (Some(a), Some(b)) if !equality::defaults_equal(a, b) => finding(
                FindingKind::Disagreement(Attribute::Default),
                d,
                default_from,
                format!(
                    "default {b} here but {a} at {}; {not_compared}",
                    place(default_from)
                ),
            ),
            _ => {}
        }
        match (&merged.comment, &d.comment) {
            (None, Some(_)) => {
                merged.comment = d.comment.clone();
                comment_from = d;
            }
            (Some(a), Some(b)) if a != b => finding(
                FindingKind::Disagreement(Attribute::Comment),
                d,
                comment_from,
                format!(
                    "comment {b:?} here but {a:?} at {}; {not_compared}",
                    place(comment_from)
                ),
            ),
            _ => {}
        }
        if merged.identity.is_some() != d.identity.is_some() {
            let word = |c: &Column| {
                if c.identity.is_some() {
                    "auto-increment"
                } else {
                    "not auto-increment"
                }
            };
            finding(
                FindingKind::Disagreement(Attribute::Identity),
                d,
                &decls[0],
                format!(
                    "{} here but {} at {}; {not_compared}",
                    word(d),
                    word(&decls[0]),
                    place(&decls[0])
                ),
            );
        }
    }

    // Nullability: nullable if any entity says Option; every NOT NULL one is a hazard.
    if let Some(optional) = decls.iter().find(|d| d.nullable) {
        merged.nullable = true;
        for d in decls.iter().filter(|d| !d.nullable) {
            finding(
                FindingKind::NullabilityHazard,
                d,
                optional,
                format!(
                    "the field is not an Option here but is one at {}, so the column is (or \
                     will be) nullable: reading a NULL written through that entity fails at run \
                     time here",
                    place(optional)
                ),
            );
        }
    }
    merged
}

fn merged_name(decls: &[Column]) -> String {
    decls[0].name.clone()
}

/// Primary key, indexes, foreign keys, checks and the table comment of `other` into `base`.
fn merge_keys(base: &mut Table, other: Table, findings: &mut Vec<Finding>) {
    let q = base.qualified_name();
    let mut disagree = |subject: Subject, message: String| {
        findings.push(Finding {
            kind: FindingKind::Disagreement(Attribute::Definition),
            table: q.clone(),
            subject,
            here: other.origin.clone(),
            other: base.origin.clone(),
            message,
        })
    };
    let there = base
        .origin
        .as_ref()
        .map(Origin::to_string)
        .unwrap_or_else(|| "another entity".into());
    match (&base.primary_key, other.primary_key) {
        (None, pk) => base.primary_key = pk,
        (Some(a), Some(b)) if a.columns != b.columns => disagree(
            Subject::PrimaryKey,
            format!(
                "({}) here but ({}) at {there}; the database's is kept (not compared)",
                b.columns.join(", "),
                a.columns.join(", "),
            ),
        ),
        _ => {}
    }
    if base.comment.is_none() {
        base.comment = other.comment;
    }
    for i in other.indexes {
        match base.indexes.iter().find(|b| b.name == i.name) {
            Some(b) if !equality::indexes_equal(b, &i) => disagree(
                Subject::Index(i.name.clone()),
                format!(
                    "declared differently here and at {there}; the database's is kept (not \
                     compared)"
                ),
            ),
            Some(_) => {}
            None => base.indexes.push(i),
        }
    }
    for f in other.foreign_keys {
        match base.foreign_keys.iter_mut().find(|b| b.name == f.name) {
            Some(b) => {
                if let Err(what) = merge_foreign_key(b, &f) {
                    disagree(
                        Subject::ForeignKey(f.name.clone()),
                        format!(
                            "{what} here and at {there}; the database's is kept (not compared)"
                        ),
                    );
                }
            }
            None => base.foreign_keys.push(f),
        }
    }
    for c in other.checks {
        if !base.checks.iter().any(|b| b.name == c.name) {
            base.checks.push(c);
        }
    }
}

/// `a`'s type says less than `b`'s and `b`'s is one `a` accepts: a length or precision left
/// unstated (`String` next to `column_type = "String(StringLen::N(255))"`), the exact type
/// within the Rust type's family (`String` next to `column_type = "Text"`), or a type `a`
/// cannot resolve.
fn says_less(a: &Column, b: &Column) -> bool {
    match (&a.type_source, &b.type_source) {
        (TypeSource::Unresolved { .. }, other) => !other.is_unresolved(),
        (TypeSource::Rust { .. }, TypeSource::Stated) => {
            equality::column_type_in_sync(a, &b.ty, false)
        }
        (TypeSource::Stated, TypeSource::Stated)
        | (TypeSource::Rust { .. }, TypeSource::Rust { .. }) => {
            equality::modifier_unstated(&a.ty, &b.ty)
        }
        _ => false,
    }
}

/// One relation may state an action another leaves unstated: the stated one wins. Two stated
/// actions that differ, or another target, are a disagreement (`Err` says what).
fn merge_foreign_key(base: &mut ForeignKey, other: &ForeignKey) -> Result<(), String> {
    if !equality::same_foreign_key_target(base, other) {
        return Err("references another table or columns".into());
    }
    let (a, b) = (base.actions_stated, other.actions_stated);
    if a.on_delete && b.on_delete && base.on_delete != other.on_delete {
        return Err(format!(
            "ON DELETE {} vs {}",
            other.on_delete.sql(),
            base.on_delete.sql()
        ));
    }
    if a.on_update && b.on_update && base.on_update != other.on_update {
        return Err(format!(
            "ON UPDATE {} vs {}",
            other.on_update.sql(),
            base.on_update.sql()
        ));
    }
    if b.on_delete && !a.on_delete {
        base.on_delete = other.on_delete;
        base.actions_stated.on_delete = true;
    }
    if b.on_update && !a.on_update {
        base.on_update = other.on_update;
        base.actions_stated.on_update = true;
    }
    Ok(())
}

/// Settles the disagreements of `findings` against the database: each attribute two entities
/// state differently takes the value `current` has, so it is not compared; where the database
/// lacks the table or object, the first entity's value stays (what a new object gets).
/// Nullability hazards change nothing here: the merged column is already nullable.
pub fn settle_disagreements(desired: &mut Schema, current: &Schema, findings: &[Finding]) {
    for f in findings {
        let FindingKind::Disagreement(attribute) = f.kind else {
            continue;
        };
        let (Some(want), Some(have)) = (
            desired.table_mut(&f.table.schema, &f.table.name),
            current.table(&f.table.schema, &f.table.name),
        ) else {
            continue;
        };
        match &f.subject {
            Subject::Column(name) => {
                let (Some(w), Some(h)) = (want.column_mut(name), have.column(name)) else {
                    continue;
                };
                match attribute {
                    Attribute::Type => {
                        w.ty = h.ty.clone();
                        w.type_source = TypeSource::Stated;
                    }
                    Attribute::Default => w.default = h.default.clone(),
                    Attribute::Identity => {
                        w.identity = h.identity.clone();
                        w.default = h.default.clone();
                    }
                    Attribute::Comment => w.comment = h.comment.clone(),
                    Attribute::Definition => {}
                }
            }
            Subject::PrimaryKey => {
                if have.primary_key.is_some() {
                    want.primary_key = have.primary_key.clone();
                }
            }
            Subject::Index(name) => {
                if let (Some(w), Some(h)) = (
                    want.indexes.iter_mut().find(|i| i.name == *name),
                    have.index(name),
                ) {
                    *w = h.clone();
                }
            }
            Subject::ForeignKey(name) => {
                if let (Some(w), Some(h)) = (
                    want.foreign_keys.iter_mut().find(|k| k.name == *name),
                    have.foreign_key(name),
                ) {
                    *w = h.clone();
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use autogen_schema::{Column, Schema, Table, Type};

    use crate::findings::{Attribute, FindingKind};

    fn load(files: &[(&str, &str)]) -> crate::Loaded {
        let files: Vec<(PathBuf, String)> = files
            .iter()
            .map(|(p, t)| (PathBuf::from(p), t.to_string()))
            .collect();
        crate::load_sources(&files, &crate::LoadOptions::default())
    }

    const USERS: &str = r#"
use sea_orm::entity::prelude::*;
#[derive(Clone, Debug, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(column_type = "Text")]
    pub bio: String,
}
"#;
    const CARD: &str = r#"
use sea_orm::entity::prelude::*;
#[derive(Clone, Debug, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(column_type = "String(StringLen::N(40))")]
    pub bio: String,
}
"#;

    #[test]
    fn a_type_two_entities_state_differently_takes_the_database_type() {
        let loaded = load(&[
            ("src/lib.rs", "mod users;\nmod card;\n"),
            ("src/users.rs", USERS),
            ("src/card.rs", CARD),
        ]);
        assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
        let kinds: Vec<_> = loaded.findings.iter().map(|f| f.kind).collect();
        assert_eq!(kinds, [FindingKind::Disagreement(Attribute::Type)]);
        let f = &loaded.findings[0];
        assert_eq!(
            f.here.as_ref().map(|o| o.file.as_str()),
            Some("src/card.rs")
        );
        assert_eq!(
            f.other.as_ref().map(|o| o.file.as_str()),
            Some("src/users.rs")
        );

        // The database has the column as varchar(40): that is what the desired side keeps.
        let mut current_users = Table::new("public", "users");
        current_users.columns = vec![
            Column::new("id", Type::Integer),
            Column::new("bio", Type::varchar(Some(40))),
        ];
        let current = Schema {
            tables: vec![current_users],
            ..Schema::default()
        };
        let mut desired = loaded.schema.clone();
        super::settle_disagreements(&mut desired, &current, &loaded.findings);
        let bio = |s: &Schema| s.tables[0].column("bio").map(|c| c.ty.clone());
        assert_eq!(bio(&desired), Some(Type::varchar(Some(40))));

        // A database without the table: the first entity's type is what a new column gets.
        let mut desired = loaded.schema.clone();
        super::settle_disagreements(&mut desired, &Schema::default(), &loaded.findings);
        assert_eq!(bio(&desired), Some(Type::Text));
    }
}
