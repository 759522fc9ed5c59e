//! What a plan does to live tables, as `check`, `diff` and `revision` show it: per change the
//! lock, scan or rewrite and data loss ([`autogen_diff::impact`], classified against the
//! introspected model), in text lines and in JSON.

use std::collections::BTreeSet;

use autogen_diff::Plan;
use autogen_diff::impact::{Impact, classify_plan};
use autogen_schema::Schema;
use serde::Serialize;

/// One change's classification, as JSON carries it.
#[derive(Debug, Clone, Serialize)]
pub struct Classified {
    /// Index in the plan's `changes`.
    pub change: usize,
    pub description: String,
    /// The strongest lock (`access_exclusive`, `share_row_exclusive`, `share`,
    /// `share_update_exclusive`, `none`).
    pub lock: autogen_diff::impact::Lock,
    /// `rewrite`, `scan` or `none`.
    pub effect: autogen_diff::impact::Effect,
    /// `lock` and `effect` written out: `ACCESS EXCLUSIVE lock on public.t, rewrites the table (…)`.
    pub summary: String,
    #[serde(flatten)]
    pub impact: Impact,
}

/// Every change of `plan`, classified against `current`.
pub fn classify(plan: &Plan, current: &Schema) -> Vec<Classified> {
    plan.changes
        .iter()
        .zip(classify_plan(&plan.changes, current))
        .enumerate()
        .map(|(i, (c, impact))| Classified {
            change: i,
            description: c.describe(),
            lock: impact.lock(),
            effect: impact.effect(),
            summary: impact.to_string(),
            impact,
        })
        .collect()
}

/// The text lines: one per change that scans or rewrites a table, then one naming the tables
/// only briefly locked ACCESS EXCLUSIVE. Empty when the plan touches no existing table.
pub fn lines(classified: &[Classified]) -> Vec<String> {
    let mut out: Vec<String> = classified
        .iter()
        .filter(|c| c.impact.is_long())
        .map(|c| {
            format!(
                "lock: {}: {} ({} while it runs)",
                c.description,
                c.summary,
                c.lock.blocks()
            )
        })
        .collect();
    let brief: BTreeSet<String> = classified
        .iter()
        .filter(|c| !c.impact.is_long())
        .flat_map(|c| c.impact.brief_exclusive().map(|t| t.to_string()))
        .collect();
    if !brief.is_empty() {
        out.push(format!(
            "lock: brief ACCESS EXCLUSIVE (catalog only, but it waits for running transactions and blocks everything queued behind it) on {}",
            brief.into_iter().collect::<Vec<_>>().join(", ")
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use autogen_diff::{Change, Plan};
    use autogen_schema::{Column, QualifiedName, Schema, Table, Type};
    use expect_test::expect;

    #[test]
    fn a_rewrite_and_a_brief_lock() {
        let q = QualifiedName::new("public", "orders");
        let mut t = Table::new("public", "orders");
        t.columns = vec![Column::new("qty", Type::Integer)];
        let current = Schema {
            tables: vec![t],
            ..Schema::default()
        };
        let plan = Plan {
            changes: vec![
                Change::AlterColumnType {
                    table: q.clone(),
                    column: "qty".into(),
                    from: Type::Integer,
                    to: Type::BigInt,
                    using: None,
                    reverse_using: None,
                    collation: None,
                },
                Change::DropNotNull {
                    table: q,
                    column: "qty".into(),
                },
            ],
            notes: vec![],
        };
        let c = super::classify(&plan, &current);
        expect![[r#"
            lock: change type of public.orders.qty from integer to bigint: ACCESS EXCLUSIVE lock on public.orders, rewrites the table (integer → bigint: not binary coercible) (blocks reads and writes while it runs)
            lock: brief ACCESS EXCLUSIVE (catalog only, but it waits for running transactions and blocks everything queued behind it) on public.orders"#]]
        .assert_eq(&super::lines(&c).join("\n"));
        let json = serde_json::to_value(&c[0]).unwrap();
        assert_eq!(json["lock"], "access_exclusive");
        assert_eq!(json["effect"], "rewrite");
        assert_eq!(json["locks"][0]["table"]["name"], "orders");
    }
}
