//! The drift report of `autogen check`: the plan's differences grouped by table, nullability
//! mismatches first.

use std::collections::BTreeMap;
use std::fmt::Write;

use autogen_diff::Plan;
use autogen_entity::{Finding, FindingKind};

pub use crate::difference::{Difference, differences};
use crate::style::{self, Role};

/// The text report: a nullability section (the plan's mismatches and the partial models'
/// nullability hazards), the other disagreements between partial models, then one block per
/// table.
pub fn text(plan: &Plan, findings: &[Finding]) -> String {
    let diffs = differences(plan);
    let mut out = String::new();
    let null: Vec<_> = diffs.iter().filter(|d| d.nullability).collect();
    let hazards: Vec<_> = findings
        .iter()
        .filter(|f| f.kind == FindingKind::NullabilityHazard)
        .collect();
    if !null.is_empty() || !hazards.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            style::out(Role::Heading, "Nullability mismatches:")
        );
        for d in &null {
            let column = format!(
                "{}.{}",
                d.object,
                d.what.trim_start_matches("nullability of ")
            );
            if d.desired == "NOT NULL" {
                let _ = writeln!(
                    out,
                    "  {column}: the field is not an Option but the column is nullable: reading a NULL fails at run time"
                );
            } else {
                let _ = writeln!(
                    out,
                    "  {column}: the field is an Option but the column is NOT NULL: inserting None fails"
                );
            }
        }
        for f in &hazards {
            let _ = writeln!(
                out,
                "  {}: the field at {} is not an Option but the one at {} is, so the column is nullable: reading a NULL written through that entity fails at run time",
                f.object(),
                place(f.here.as_ref()),
                place(f.other.as_ref())
            );
        }
        out.push('\n');
    }
    let disagreements: Vec<_> = findings
        .iter()
        .filter(|f| f.kind != FindingKind::NullabilityHazard)
        .collect();
    if !disagreements.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            style::out(Role::Heading, "Partial models that disagree:")
        );
        for f in disagreements {
            let _ = writeln!(
                out,
                "  {}: {}: {}",
                f.object(),
                place(f.here.as_ref()),
                f.message
            );
        }
        out.push('\n');
    }
    let mut groups: BTreeMap<&str, Vec<&Difference>> = BTreeMap::new();
    for d in &diffs {
        groups.entry(d.object.as_str()).or_default().push(d);
    }
    for (object, ds) in groups {
        let _ = writeln!(out, "{}", style::out(Role::Heading, object));
        for d in ds {
            let mark = if d.destructive {
                format!(
                    "  {} ",
                    style::out(Role::Destructive, "WARNING destructive:")
                )
            } else {
                "  ".to_string()
            };
            let _ = writeln!(out, "{mark}{}", d.what);
            let desired = style::out(Role::Desired, "desired (entities):");
            let current = style::out(Role::Current, "current (database):");
            let _ = writeln!(out, "      {desired} {}", d.desired);
            let _ = writeln!(out, "      {current} {}", d.current);
            if let Some(diff) = &d.text_diff {
                for line in diff.lines() {
                    let line = match line.as_bytes().first() {
                        Some(b'+') => style::out(Role::Desired, line),
                        Some(b'-') => style::out(Role::Current, line),
                        _ => line.to_string(),
                    };
                    let _ = writeln!(out, "      {line}");
                }
            }
        }
    }
    out
}

fn place(o: Option<&autogen_schema::Origin>) -> String {
    o.map(|o| crate::config::shown(std::path::Path::new(&o.to_string())))
        .unwrap_or_else(|| "an entity".into())
}

/// The findings as JSON objects for `check --format json`.
pub fn findings_json(findings: &[Finding]) -> Vec<serde_json::Value> {
    findings
        .iter()
        .map(|f| {
            let kind = match f.kind {
                FindingKind::NullabilityHazard => "nullability_hazard".to_string(),
                FindingKind::Disagreement(a) => format!("{}_disagreement", a.as_str()),
            };
            serde_json::json!({
                "kind": kind,
                "object": f.object(),
                "here": f.here.as_ref().map(|o| o.to_string()),
                "other": f.other.as_ref().map(|o| o.to_string()),
                "message": f.message,
            })
        })
        .collect()
}

/// A nullability mismatch: SET / DROP NOT NULL.
pub fn is_nullability_change(c: &autogen_diff::Change) -> bool {
    matches!(
        c,
        autogen_diff::Change::SetNotNull { .. } | autogen_diff::Change::DropNotNull { .. }
    )
}

/// After the report: the tables the plan drops because no entity declares them, and how to keep
/// them (`exclude_tables`); `None` when the plan drops no table.
pub fn undeclared_tables_hint(plan: &Plan) -> Option<String> {
    let dropped: Vec<String> = plan
        .changes
        .iter()
        .filter_map(|c| match c {
            autogen_diff::Change::DropTable { table } if table.schema == "public" => {
                Some(format!("\"{}\"", table.name))
            }
            autogen_diff::Change::DropTable { table } => {
                Some(format!("\"{}.{}\"", table.schema, table.name))
            }
            _ => None,
        })
        .collect();
    if dropped.is_empty() {
        return None;
    }
    Some(format!(
        "hint: {} table(s) have no entity and revision would DROP them; to keep them, add \
         `exclude_tables = [{}]` to autogen.toml (`autogen init` offers this)",
        dropped.len(),
        dropped.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use autogen_diff::{Change, Plan};
    use autogen_schema::{Column, EnumType, QualifiedName, Type};
    use expect_test::expect;

    #[test]
    fn grouped_by_table_nullability_first() {
        let posts = QualifiedName::new("public", "posts");
        let mut summary = Column::new("summary", Type::parse_pg("text"));
        summary.nullable = true;
        let plan = Plan {
            changes: vec![
                Change::AddEnumValue {
                    enum_type: EnumType {
                        schema: "public".into(),
                        name: "post_status".into(),
                        labels: vec!["draft".into(), "published".into(), "archived".into()],
                        origin: None,
                    },
                    value: "archived".into(),
                    usages: vec![],
                    moved: false,
                    in_the_way: Default::default(),
                },
                Change::AddColumn {
                    table: posts.clone(),
                    column: summary,
                },
                Change::SetNotNull {
                    table: posts.clone(),
                    column: "title".into(),
                },
            ],
            notes: vec![],
        };
        expect![[r#"
            Nullability mismatches:
              public.posts.title: the field is not an Option but the column is nullable: reading a NULL fails at run time

            enum public.post_status
              label 'archived'
                  desired (entities): ('draft', 'published', 'archived')
                  current (database): ('draft', 'published')
                  --- database
                  +++ entities
                  @@ -1,2 +1,3 @@
                   draft
                   published
                  +archived
            public.posts
              column summary
                  desired (entities): text
                  current (database): missing
              WARNING destructive: nullability of title
                  desired (entities): NOT NULL
                  current (database): NULL
        "#]]
        .assert_eq(&super::text(&plan, &[]));
        assert_eq!(super::undeclared_tables_hint(&plan), None);
    }

    #[test]
    fn a_moved_enum_label_is_not_reported_as_destructive() {
        let status = |labels: &[&str]| EnumType {
            schema: "public".into(),
            name: "post_status".into(),
            labels: labels.iter().map(|l| l.to_string()).collect(),
            origin: None,
        };
        let plan = Plan {
            changes: vec![
                Change::RemoveEnumValue {
                    enum_type: status(&["draft", "archived"]),
                    value: "published".into(),
                    usages: vec![],
                    moved: true,
                    in_the_way: Default::default(),
                },
                Change::AddEnumValue {
                    enum_type: status(&["draft", "archived", "published"]),
                    value: "published".into(),
                    usages: vec![],
                    moved: true,
                    in_the_way: Default::default(),
                },
                Change::RemoveEnumValue {
                    enum_type: status(&["draft", "archived", "published"]),
                    value: "gone".into(),
                    usages: vec![],
                    moved: false,
                    in_the_way: Default::default(),
                },
            ],
            notes: vec![],
        };
        let got: Vec<(String, bool)> = super::differences(&plan)
            .into_iter()
            .map(|d| (d.what, d.destructive))
            .collect();
        expect![[r#"
            [
                (
                    "label 'published' (moved)",
                    false,
                ),
                (
                    "label 'published' (moved)",
                    false,
                ),
                (
                    "label 'gone'",
                    true,
                ),
            ]
        "#]]
        .assert_debug_eq(&got);
    }

    #[test]
    fn a_table_without_entity_is_reported_with_the_exclude_tables_hint() {
        let mut legacy = autogen_schema::Table::new("public", "legacy_audit");
        legacy.columns = vec![Column::new("id", Type::parse_pg("integer"))];
        let fk = autogen_schema::ForeignKey::new(
            "legacy_audit_id_fkey",
            &["id"],
            "public",
            "users",
            &["id"],
        );
        // The table's own foreign key is dropped first (a separate step) but is part of the
        // table's difference.
        let plan = Plan {
            changes: vec![
                Change::DropForeignKey {
                    table: legacy.qualified_name(),
                    foreign_key: fk,
                },
                Change::DropTable { table: legacy },
            ],
            notes: vec![],
        };
        assert_eq!(super::differences(&plan).len(), 1);
        assert_eq!(super::differences(&plan.inverse()).len(), 1);
        expect![[r#"
            public.legacy_audit
              WARNING destructive: table
                  desired (entities): not declared
                  current (database): 1 column(s): id
        "#]]
        .assert_eq(&super::text(&plan, &[]));
        expect![[r#"hint: 1 table(s) have no entity and revision would DROP them; to keep them, add `exclude_tables = ["legacy_audit"]` to autogen.toml (`autogen init` offers this)"#]].assert_eq(&super::undeclared_tables_hint(&plan).unwrap_or_default());
    }

    #[test]
    fn partial_model_findings_are_reported_but_are_not_differences() {
        use autogen_entity::{Attribute, Finding, FindingKind, Subject};
        use autogen_schema::Origin;
        let at = |file: &str, line| {
            Some(Origin {
                file: file.into(),
                line,
                column: 5,
            })
        };
        let users = QualifiedName::new("public", "users");
        let findings = vec![
            Finding {
                kind: FindingKind::NullabilityHazard,
                table: users.clone(),
                subject: Subject::Column("first_name".into()),
                here: at("src/users.rs", 9),
                other: at("src/user_profile.rs", 8),
                message: "…".into(),
            },
            Finding {
                kind: FindingKind::Disagreement(Attribute::Type),
                table: users,
                subject: Subject::Column("bio".into()),
                here: at("src/user_card.rs", 10),
                other: at("src/users.rs", 11),
                message: "type character varying here but text at src/users.rs:11:5; the \
                          database's is kept (not compared); a new column gets the first one"
                    .into(),
            },
        ];
        let plan = Plan::default();
        assert!(super::differences(&plan).is_empty());
        expect![[r#"
            Nullability mismatches:
              public.users.first_name: the field at src/users.rs:9:5 is not an Option but the one at src/user_profile.rs:8:5 is, so the column is nullable: reading a NULL written through that entity fails at run time

            Partial models that disagree:
              public.users.bio: src/user_card.rs:10:5: type character varying here but text at src/users.rs:11:5; the database's is kept (not compared); a new column gets the first one

        "#]]
        .assert_eq(&super::text(&plan, &findings));
        expect![[r#"
            ::warning file=src/users.rs,line=9,col=5,title=autogen nullability hazard::public.users.first_name: …
            ::warning file=src/user_card.rs,line=10,col=5,title=autogen partial models disagree::public.users.bio: type character varying here but text at src/users.rs:11:5; the database's is kept (not compared); a new column gets the first one
        "#]]
        .assert_eq(&crate::github::finding_annotations(&findings));
    }
}
