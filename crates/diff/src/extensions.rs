//! Extensions: declared ones (the extras SQL file) are created when missing; undeclared ones
//! are kept, or under `manage = "all"` dropped — last, and never while something outside the
//! extension that the plan keeps depends on it (an index using its operator class, a column of
//! its type).

use autogen_schema::{Extension, QualifiedName};

use crate::plan::{Change, NoteKind, ObjectKind};
use crate::{Ctx, Out, managed};

pub fn diff(ctx: &Ctx<'_>, out: &mut Out) {
    for want in &ctx.desired.extensions {
        match ctx.current.extension(&want.name) {
            None => out.changes.push(Change::CreateExtension {
                extension: want.clone(),
            }),
            Some(have) => {
                if let (Some(w), Some(h)) = (&want.schema, &have.schema)
                    && w != h
                {
                    out.note(
                        NoteKind::Review,
                        format!("extension {}", want.name),
                        format!(
                            "extension {} is declared WITH SCHEMA {w} but installed in {h}; \
                             autogen does not move it (ALTER EXTENSION {} SET SCHEMA {w} does)",
                            want.name, want.name
                        ),
                    );
                }
            }
        }
    }
    for have in &ctx.current.extensions {
        // Only extensions in the compared schemas are managed; the others are read so that a
        // declared one installed elsewhere (an `extensions` schema) is not created again.
        let outside = have
            .schema
            .as_ref()
            .is_some_and(|s| !ctx.opts.schemas.is_empty() && !ctx.opts.schemas.contains(s));
        if ctx.desired.extension(&have.name).is_some() || outside {
            continue;
        }
        let object = format!("extension {}", have.name);
        if !managed::extension_is_managed(ctx.opts) {
            out.unmanaged(
                ObjectKind::Extension,
                object,
                format!(
                    "extension {} is not declared in the extras file; kept",
                    have.name
                ),
            );
            continue;
        }
        let kept = still_needed(have, &out.changes);
        if kept.is_empty() {
            out.changes.push(Change::DropExtension {
                extension: have.clone(),
            });
        } else {
            out.note(
                NoteKind::Review,
                object,
                format!(
                    "extension {} is not declared, but it is not dropped: {} depend{} on it ({}); \
                     declare it in the extras file, or drop what uses it first",
                    have.name,
                    kept.len(),
                    if kept.len() == 1 { "s" } else { "" },
                    kept.join(", ")
                ),
            );
        }
    }
}

/// The dependents of `ext` the plan keeps: every dependent that is not an index, and the
/// indexes the plan neither drops nor drops the table of.
fn still_needed(ext: &Extension, changes: &[Change]) -> Vec<String> {
    let dropped = |q: &QualifiedName| {
        changes.iter().any(|c| match c {
            Change::DropIndex { table, index } => table.schema == q.schema && index.name == q.name,
            Change::DropTable { table } => {
                table.schema == q.schema && table.indexes.iter().any(|i| i.name == q.name)
            }
            _ => false,
        })
    };
    let index_descriptions: Vec<String> = ext
        .dependent_indexes
        .iter()
        .flat_map(|q| [format!("index {}", q.name), format!("index {q}")])
        .collect();
    let mut kept: Vec<String> = ext
        .dependents
        .iter()
        .filter(|d| !index_descriptions.contains(d))
        .cloned()
        .collect();
    kept.extend(
        ext.dependent_indexes
            .iter()
            .filter(|q| !dropped(q))
            .map(|q| format!("index {q}")),
    );
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{DiffOptions, Manage};
    use autogen_schema::{Index, Schema, Table};

    fn trgm(dependents: &[&str], indexes: &[(&str, &str)]) -> Extension {
        Extension {
            schema: Some("public".into()),
            version: Some("1.6".into()),
            dependents: dependents.iter().map(|s| s.to_string()).collect(),
            dependent_indexes: indexes
                .iter()
                .map(|(s, n)| QualifiedName::new(*s, *n))
                .collect(),
            ..Extension::named("pg_trgm")
        }
    }

    fn plan(desired: &Schema, current: &Schema, manage: Manage) -> Vec<String> {
        let opts = DiffOptions {
            manage,
            ..DiffOptions::default()
        };
        let p = crate::diff(desired, current, &opts);
        p.changes
            .iter()
            .map(|c| c.describe())
            .chain(p.notes.iter().map(|n| format!("note: {}", n.message)))
            .collect()
    }

    #[test]
    fn declared_extensions_are_created_and_undeclared_ones_dropped_only_under_all() {
        let mut desired = Schema::default();
        desired.extensions.push(Extension::named("pg_trgm"));
        assert_eq!(
            plan(&desired, &Schema::default(), Manage::Declared),
            ["create extension pg_trgm"]
        );
        let current = Schema {
            extensions: vec![trgm(&[], &[])],
            ..Schema::default()
        };
        assert!(plan(&desired, &current, Manage::All).is_empty());
        assert_eq!(
            plan(&Schema::default(), &current, Manage::Declared),
            ["note: extension pg_trgm is not declared in the extras file; kept"]
        );
        assert_eq!(
            plan(&Schema::default(), &current, Manage::All),
            ["drop extension pg_trgm"]
        );
        // Installed outside the compared schemas: neither dropped nor created again.
        let elsewhere = Schema {
            extensions: vec![Extension {
                schema: Some("extensions".into()),
                ..trgm(&[], &[])
            }],
            ..Schema::default()
        };
        let opts = DiffOptions {
            manage: Manage::All,
            schemas: vec!["public".into()],
            ..DiffOptions::default()
        };
        assert!(crate::diff(&Schema::default(), &elsewhere, &opts).is_empty());
        assert!(crate::diff(&desired, &elsewhere, &opts).is_empty());
    }

    #[test]
    fn an_extension_something_still_uses_is_never_dropped() {
        let mut table = Table::new("public", "posts");
        let mut gin = Index::on_columns("posts_title_trgm", &["title"], false);
        gin.method = "gin".into();
        table.indexes.push(gin);
        let mut current = Schema {
            tables: vec![table.clone()],
            extensions: vec![trgm(
                &["column email of table users", "index posts_title_trgm"],
                &[("public", "posts_title_trgm")],
            )],
            ..Schema::default()
        };
        let got = plan(&Schema::default(), &current, Manage::All);
        assert!(
            got.iter()
                .any(|l| l.contains("not dropped: 1 depends on it (column email of table users)")),
            "{got:?}"
        );
        current.extensions = vec![trgm(
            &["index posts_title_trgm"],
            &[("public", "posts_title_trgm")],
        )];
        // The table (and its index) is dropped too: the extension goes after it.
        let got = plan(&Schema::default(), &current, Manage::All);
        assert_eq!(
            got.last().map(String::as_str),
            Some("drop extension pg_trgm"),
            "{got:?}"
        );
        // The index stays (declared): the extension stays.
        let desired = Schema {
            tables: vec![table],
            ..Schema::default()
        };
        let got = plan(&desired, &current, Manage::All);
        assert!(
            got.iter().all(|l| !l.starts_with("drop extension")),
            "{got:?}"
        );
    }
}
