//! `autogen check --format github`: one GitHub Actions workflow command per difference
//! (`::error file=…,line=…::…`), placed on the entity that declares the object when the entity
//! side knows where that is, so drift shows up as an annotation on the pull request.

use autogen_diff::Plan;
use autogen_schema::Schema;

use crate::report::Difference;

/// The annotations, then a summary line.
pub fn annotations(plan: &Plan, desired: &Schema) -> String {
    let mut out = String::new();
    let changes = crate::difference::reported(plan);
    for (change, d) in changes.into_iter().zip(crate::report::differences(plan)) {
        let level = if d.destructive { "error" } else { "warning" };
        let place = crate::difference::origin(change, desired)
            .map(|o| {
                format!(
                    " file={},line={},col={},",
                    escape_property(&crate::config::shown(std::path::Path::new(&o.file))),
                    o.line,
                    o.column
                )
            })
            .unwrap_or_else(|| " ".into());
        out.push_str(&format!(
            "::{level}{place}title=autogen drift::{}\n",
            escape_data(&message(&d))
        ));
    }
    out
}

/// One warning per finding about partial models, on the declaration it is about.
pub fn finding_annotations(findings: &[autogen_entity::Finding]) -> String {
    let mut out = String::new();
    for f in findings {
        let place = f
            .here
            .as_ref()
            .map(|o| {
                format!(
                    " file={},line={},col={},",
                    escape_property(&crate::config::shown(std::path::Path::new(&o.file))),
                    o.line,
                    o.column
                )
            })
            .unwrap_or_else(|| " ".into());
        let title = match f.kind {
            autogen_entity::FindingKind::NullabilityHazard => "autogen nullability hazard",
            autogen_entity::FindingKind::Disagreement(_) => "autogen partial models disagree",
        };
        out.push_str(&format!(
            "::warning{place}title={title}::{}\n",
            escape_data(&format!("{}: {}", f.object(), f.message))
        ));
    }
    out
}

/// One `::warning` per change that would scan or rewrite a table (`title=autogen lock`), on the
/// entity that declares what the change is about.
pub fn lock_annotations(
    plan: &Plan,
    classified: &[crate::safety::Classified],
    desired: &Schema,
) -> String {
    let mut out = String::new();
    for c in classified.iter().filter(|c| c.impact.is_long()) {
        let place = plan
            .changes
            .get(c.change)
            .and_then(|change| crate::difference::origin(change, desired))
            .map(|o| {
                format!(
                    " file={},line={},col={},",
                    escape_property(&crate::config::shown(std::path::Path::new(&o.file))),
                    o.line,
                    o.column
                )
            })
            .unwrap_or_else(|| " ".into());
        out.push_str(&format!(
            "::warning{place}title=autogen lock::{}\n",
            escape_data(&format!(
                "{}: {} ({} while it runs)",
                c.description,
                c.summary,
                c.lock.blocks()
            ))
        ));
    }
    out
}

fn message(d: &Difference) -> String {
    let (o, w, c) = (&d.object, &d.what, &d.change);
    if d.current == "missing" {
        format!(
            "{o}: {w} is missing in the database (entities: {}); revision would {c}",
            d.desired
        )
    } else if d.desired == "not declared" {
        format!("{o}: {w} is in the database but no entity declares it; revision would {c}")
    } else {
        format!(
            "{o}: {w}: entities say {}, database has {}; revision would {c}",
            d.desired, d.current
        )
    }
}

/// Workflow-command data: `%`, CR and LF escaped.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Workflow-command properties: also `:` and `,`.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use autogen_diff::{Change, Plan};
    use autogen_schema::{Column, Origin, QualifiedName, Schema, Table, Type};
    use expect_test::expect;

    #[test]
    fn annotation_on_the_declaring_field() {
        let mut col = Column::new("summary", Type::parse_pg("text"));
        col.origin = Some(Origin {
            file: "entity/src/posts.rs".into(),
            line: 14,
            column: 5,
        });
        let mut table = Table::new("public", "posts");
        table.columns.push(col.clone());
        let desired = Schema {
            tables: vec![table],
            ..Default::default()
        };
        let plan = Plan {
            changes: vec![Change::AddColumn {
                table: QualifiedName::new("public", "posts"),
                column: col,
            }],
            notes: vec![],
        };
        expect![[r#"
            ::warning file=entity/src/posts.rs,line=14,col=5,title=autogen drift::public.posts: column summary is missing in the database (entities: text); revision would add column public.posts.summary (text)
        "#]]
        .assert_eq(&super::annotations(&plan, &desired));
    }
}
