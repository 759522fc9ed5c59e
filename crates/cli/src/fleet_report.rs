//! The report of a fleet check: units (tenant schemas, databases) grouped by identical drift,
//! as text (`997 in sync; 3 drift: tenant_017, tenant_204 (missing column users.locale);
//! tenant_555 (…)`), JSON (per target) and GitHub annotations. Targets that could not be
//! checked are listed as errors next to the others' results.

use std::fmt::Write;

use crate::fleet::{Compared, Fleet, Unit};
use crate::report::Difference;

/// Names listed in the one-line summary per group before "and N more".
const NAMES_IN_SUMMARY: usize = 10;
/// Differences described in the one-line summary per group before "and N more".
const ITEMS_IN_SUMMARY: usize = 3;

/// Units with the same drift (their differences read alike once the tenant schema's name is
/// taken out).
pub struct Group<'a> {
    pub members: Vec<String>,
    /// The first member's comparison, shown for the whole group.
    pub first: &'a Compared,
    pub first_schema: Option<&'a str>,
    /// Short descriptions: `missing column users.locale`.
    pub items: Vec<String>,
}

/// The fleet sorted into in sync, drift groups and errors, in the order the targets and
/// schemas were given.
pub struct Grouped<'a> {
    pub in_sync: usize,
    pub groups: Vec<Group<'a>>,
    /// (label, one-line reason): unreachable targets and schemas that were not compared.
    pub errors: Vec<(String, String)>,
    /// Per unit (in [`Fleet::units`] order): its group's index, if it drifts.
    pub group_of: Vec<Option<usize>>,
}

impl Grouped<'_> {
    pub fn drifting(&self) -> usize {
        self.groups.iter().map(|g| g.members.len()).sum()
    }
}

pub fn group(fleet: &Fleet) -> Grouped<'_> {
    let mut out = Grouped {
        in_sync: 0,
        groups: Vec::new(),
        errors: Vec::new(),
        group_of: Vec::new(),
    };
    let mut keys: Vec<Vec<String>> = Vec::new();
    for t in &fleet.targets {
        if let Err(e) = &t.outcome {
            out.errors.push((t.label.clone(), e.clone()));
        }
    }
    for (target, unit) in fleet.units() {
        let label = fleet.unit_label(target, unit);
        let compared = match &unit.outcome {
            Err(e) => {
                out.errors.push((label, e.clone()));
                out.group_of.push(None);
                continue;
            }
            Ok(c) => c,
        };
        if compared.plan.is_empty() {
            out.in_sync += 1;
            out.group_of.push(None);
            continue;
        }
        let diffs = crate::report::differences(&compared.plan);
        let schema = unit.schema.as_deref();
        let key = key(&diffs, schema);
        match keys.iter().position(|k| *k == key) {
            Some(i) => {
                out.groups[i].members.push(label);
                out.group_of.push(Some(i));
            }
            None => {
                keys.push(key);
                out.group_of.push(Some(out.groups.len()));
                out.groups.push(Group {
                    members: vec![label],
                    first: compared,
                    first_schema: schema,
                    items: diffs.iter().map(|d| item(d, schema)).collect(),
                });
            }
        }
    }
    out
}

/// What makes two units' drift the same: every difference's text with the tenant schema's name
/// replaced by a placeholder.
fn key(diffs: &[Difference], schema: Option<&str>) -> Vec<String> {
    let norm = |s: &str| match schema {
        Some(t) => s.replace(&format!("{t}."), "{tenant}."),
        None => s.to_string(),
    };
    diffs
        .iter()
        .map(|d| {
            format!(
                "{}\t{}\t{}\t{}\t{}",
                norm(&d.object),
                norm(&d.what),
                norm(&d.desired),
                norm(&d.current),
                d.destructive
            )
        })
        .collect()
}

/// `missing column users.locale`, `extra table audit`, `changed nullability of title on users`.
fn item(d: &Difference, schema: Option<&str>) -> String {
    let object = match schema {
        Some(t) => d.object.replacen(&format!("{t}."), "", 1),
        None => d.object.clone(),
    };
    let (kind, rest) = d.what.split_once(' ').unwrap_or((d.what.as_str(), ""));
    let named = |adj: &str| {
        if rest.is_empty() {
            format!("{adj} {kind} {object}")
        } else {
            format!("{adj} {kind} {object}.{rest}")
        }
    };
    if d.current == "missing" {
        named("missing")
    } else if d.desired == "not declared" {
        named("extra")
    } else {
        format!("changed {} on {object}", d.what)
    }
}

fn names(members: &[String]) -> String {
    if members.len() <= NAMES_IN_SUMMARY {
        return members.join(", ");
    }
    format!(
        "{} and {} more",
        members[..NAMES_IN_SUMMARY].join(", "),
        members.len() - NAMES_IN_SUMMARY
    )
}

fn items(items: &[String]) -> String {
    if items.len() <= ITEMS_IN_SUMMARY {
        return items.join(", ");
    }
    format!(
        "{} and {} more",
        items[..ITEMS_IN_SUMMARY].join(", "),
        items.len() - ITEMS_IN_SUMMARY
    )
}

/// `997 in sync; 3 drift: tenant_017, tenant_204 (missing column users.locale); tenant_555
/// (extra table audit); 1 error: 10.0.0.9:5432/app`.
pub fn summary(g: &Grouped<'_>) -> String {
    let mut parts = vec![format!("{} in sync", g.in_sync)];
    if !g.groups.is_empty() {
        let groups: Vec<String> = g
            .groups
            .iter()
            .map(|gr| format!("{} ({})", names(&gr.members), items(&gr.items)))
            .collect();
        parts.push(format!("{} drift: {}", g.drifting(), groups.join("; ")));
    }
    if !g.errors.is_empty() {
        let labels: Vec<String> = g.errors.iter().map(|(l, _)| l.clone()).collect();
        parts.push(format!(
            "{} error{}: {}",
            g.errors.len(),
            if g.errors.len() == 1 { "" } else { "s" },
            names(&labels)
        ));
    }
    parts.join("; ")
}

/// The text report: each drift group's differences (as `check` prints them for one database,
/// shown for the group's first member), the errors, then the summary line.
pub fn text(g: &Grouped<'_>) -> String {
    let mut out = String::new();
    for gr in &g.groups {
        let shown = if gr.members.len() > 1 {
            format!(" (as in {})", gr.members[0])
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "drift in {}: {} difference(s){shown}",
            gr.members.join(", "),
            crate::report::differences(&gr.first.plan).len()
        );
        for line in crate::report::text(&gr.first.plan, &[]).lines() {
            if line.is_empty() {
                out.push('\n');
            } else {
                let _ = writeln!(out, "  {line}");
            }
        }
        out.push('\n');
    }
    if !g.errors.is_empty() {
        out.push_str("could not be checked:\n");
        for (label, why) in &g.errors {
            let _ = writeln!(out, "  {label}: {why}");
        }
        out.push('\n');
    }
    let _ = writeln!(out, "{}", summary(g));
    out
}

/// `check --format json`: the summary, the groups, and per target every unit with its
/// differences (`plans`: the plan itself instead, for `diff --format json`).
pub fn json(fleet: &Fleet, g: &Grouped<'_>, plans: bool) -> serde_json::Value {
    let mut group_of = g.group_of.iter();
    let targets: Vec<serde_json::Value> = fleet
        .targets
        .iter()
        .map(|t| {
            let schemas: Option<Vec<serde_json::Value>> = t.outcome.as_ref().ok().map(|units| {
                units
                    .iter()
                    .map(|u| unit_json(u, group_of.next().copied().flatten(), plans))
                    .collect()
            });
            serde_json::json!({
                "target": t.label,
                "error": t.outcome.as_ref().err(),
                "schemas": schemas,
            })
        })
        .collect();
    let groups: Vec<serde_json::Value> = g
        .groups
        .iter()
        .map(|gr| serde_json::json!({ "members": gr.members, "differences": gr.items }))
        .collect();
    serde_json::json!({
        "in_sync": g.groups.is_empty() && g.errors.is_empty(),
        "tenant_schemas": fleet.pattern,
        "summary": {
            "in_sync": g.in_sync,
            "drift": g.drifting(),
            "errors": g.errors.len(),
            "line": summary(g),
        },
        "groups": groups,
        "targets": targets,
    })
}

fn unit_json(u: &Unit, group: Option<usize>, plans: bool) -> serde_json::Value {
    match &u.outcome {
        Err(e) => serde_json::json!({ "schema": u.schema, "error": e }),
        Ok(c) if plans => serde_json::json!({
            "schema": u.schema,
            "in_sync": c.plan.is_empty(),
            "group": group,
            "plan": c.plan,
        }),
        Ok(c) => serde_json::json!({
            "schema": u.schema,
            "in_sync": c.plan.is_empty(),
            "group": group,
            "differences": crate::difference::differences_at(&c.plan, &c.desired),
        }),
    }
}

/// `check --format github`: each group's annotations (on the entity files, as for one
/// database) prefixed with the group's members, one `::error` per target or schema that could
/// not be checked, then the summary line.
pub fn github(g: &Grouped<'_>) -> String {
    let mut out = String::new();
    for gr in &g.groups {
        let prefix = format!("[{}] ", names(&gr.members)).replace('%', "%25");
        for line in crate::github::annotations(&gr.first.plan, &gr.first.desired).lines() {
            // `::level props::message`: the members go in front of the message.
            match line.get(2..).and_then(|rest| rest.find("::")) {
                Some(i) => {
                    let at = i + 4;
                    let _ = writeln!(out, "{}{prefix}{}", &line[..at], &line[at..]);
                }
                None => {
                    let _ = writeln!(out, "{line}");
                }
            }
        }
    }
    for (label, why) in &g.errors {
        let _ = writeln!(
            out,
            "::error title=autogen target::{}",
            format!("{label}: {why}")
                .replace('%', "%25")
                .replace('\r', "%0D")
                .replace('\n', "%0A")
        );
    }
    let _ = writeln!(out, "{}", summary(g));
    out
}

#[cfg(test)]
mod tests {
    use autogen_diff::{Change, Plan};
    use autogen_schema::{Column, QualifiedName, Schema, Type};
    use expect_test::expect;

    use crate::fleet::{Compared, Fleet, TargetResult, Unit};

    fn unit(schema: &str, missing: &[&str]) -> Unit {
        let changes = missing
            .iter()
            .map(|c| Change::AddColumn {
                table: QualifiedName::new(schema, "users"),
                column: Column::new(*c, Type::parse_pg("text")),
            })
            .collect();
        Unit {
            schema: Some(schema.into()),
            outcome: Ok(Compared {
                desired: Schema::default(),
                plan: Plan {
                    changes,
                    notes: vec![],
                },
            }),
        }
    }

    #[test]
    fn identical_drift_is_one_group() {
        let fleet = Fleet {
            pattern: Some("tenant_%".into()),
            targets: vec![TargetResult {
                label: "127.0.0.1:5432/app".into(),
                outcome: Ok(vec![
                    unit("tenant_1", &[]),
                    unit("tenant_2", &["locale"]),
                    unit("tenant_3", &["locale"]),
                    unit("tenant_4", &["locale", "bio"]),
                    Unit {
                        schema: Some("tenant_5".into()),
                        outcome: Err("not at head: 1 migration(s) pending (m1)".into()),
                    },
                ]),
            }],
        };
        let g = super::group(&fleet);
        expect![[r#"1 in sync; 3 drift: tenant_2, tenant_3 (missing column users.locale); tenant_4 (missing column users.locale, missing column users.bio); 1 error: tenant_5"#]]
            .assert_eq(&super::summary(&g));
        expect![[r#"
            drift in tenant_2, tenant_3: 1 difference(s) (as in tenant_2)
              tenant_2.users
                column locale
                    desired (entities): text
                    current (database): missing

            drift in tenant_4: 2 difference(s)
              tenant_4.users
                column locale
                    desired (entities): text
                    current (database): missing
                column bio
                    desired (entities): text
                    current (database): missing

            could not be checked:
              tenant_5: not at head: 1 migration(s) pending (m1)

            1 in sync; 3 drift: tenant_2, tenant_3 (missing column users.locale); tenant_4 (missing column users.locale, missing column users.bio); 1 error: tenant_5
        "#]]
        .assert_eq(&super::text(&g));
        expect![[r#"
            ::warning title=autogen drift::[tenant_2, tenant_3] tenant_2.users: column locale is missing in the database (entities: text); revision would add column tenant_2.users.locale (text)
            ::warning title=autogen drift::[tenant_4] tenant_4.users: column locale is missing in the database (entities: text); revision would add column tenant_4.users.locale (text)
            ::warning title=autogen drift::[tenant_4] tenant_4.users: column bio is missing in the database (entities: text); revision would add column tenant_4.users.bio (text)
            ::error title=autogen target::tenant_5: not at head: 1 migration(s) pending (m1)
            1 in sync; 3 drift: tenant_2, tenant_3 (missing column users.locale); tenant_4 (missing column users.locale, missing column users.bio); 1 error: tenant_5
        "#]]
        .assert_eq(&super::github(&g));
        let json = super::json(&fleet, &g, false);
        assert_eq!(json["summary"]["drift"], 3);
        assert_eq!(json["targets"][0]["schemas"][2]["group"], 0);
        assert_eq!(json["targets"][0]["schemas"][3]["group"], 1);
        assert_eq!(json["targets"][0]["schemas"][0]["in_sync"], true);
    }
}
