//! What a plan does to live tables, as `check`, `diff` and `revision` show it: per change the
//! lock, scan or rewrite and data loss ([`autogen_diff::impact`], classified against the
//! introspected model), in text lines and in JSON.

use std::collections::BTreeSet;

use autogen_diff::Plan;
use autogen_diff::impact::{Effect, Impact, classify_plan};
use autogen_introspect::hazard_data::{DataFact, DataReport, FactKind, Source, TableSize};
use autogen_schema::{QualifiedName, Schema};
use serde::Serialize;
use serde_json::json;

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
    classify_with(plan, current, None)
}

/// [`classify`]; with `online`, each change as the online-safe plan lowers it (its impact is
/// that of its online statement forms: CONCURRENTLY, NOT VALID + VALIDATE, …).
pub fn classify_with(
    plan: &Plan,
    current: &Schema,
    online: Option<&autogen_codegen::Online>,
) -> Vec<Classified> {
    let impacts: Vec<Impact> = match online {
        Some(o) => autogen_codegen::lower_with(plan, current, Some(o))
            .into_iter()
            .map(|s| s.impact)
            .collect(),
        None => classify_plan(&plan.changes, current),
    };
    plan.changes
        .iter()
        .zip(impacts)
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

/// Counts the plan's data-aware hazards in the database and the size of every existing table
/// it locks; a failure is a warning on stderr (the plan itself stands), never an error.
pub async fn measure(
    url: &str,
    plan: &Plan,
    current: &Schema,
    timeout: std::time::Duration,
) -> Option<DataReport> {
    if plan.is_empty() {
        return Some(DataReport::default());
    }
    let locked: BTreeSet<QualifiedName> = classify_plan(&plan.changes, current)
        .into_iter()
        .flat_map(|i| i.locks.into_iter().map(|l| l.table))
        .collect();
    let locked: Vec<QualifiedName> = locked.into_iter().collect();
    match autogen_introspect::hazard_data::measure(url, plan, current, &locked, timeout).await {
        Ok(r) => Some(r),
        Err(e) => {
            crate::warnln!("warning: data-aware hazards not measured: {e}");
            None
        }
    }
}

/// `≈ 2,100,000 rows, 180 MB` (or `never analyzed, 8 kB`).
pub fn size_text(s: &TableSize) -> String {
    let rows = match s.estimated_rows {
        Some(n) => format!("≈ {} row(s)", thousands(n)),
        None => "rows unknown (never analyzed)".into(),
    };
    format!(
        "{} {rows}, {}",
        s.table,
        autogen_codegen::markdown::bytes(s.bytes)
    )
}

fn thousands(n: i64) -> String {
    let digits = n.abs().to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// What one counted hazard means, in one line (`None` when the count is zero: nothing to say).
fn fact_text(plan: &Plan, f: &DataFact, timeout: std::time::Duration) -> Option<String> {
    let what = plan
        .changes
        .get(f.change)
        .map(|c| c.describe())
        .unwrap_or_default();
    Some(format!("data: {what}: {}", fact_body(f, timeout)?))
}

/// [`fact_text`] without the change it is about.
fn fact_body(f: &DataFact, timeout: std::time::Duration) -> Option<String> {
    let n = match (f.count, f.source) {
        (Some(0), Source::Counted) => return None,
        (Some(n), Source::Counted) => thousands(n),
        (Some(n), Source::Estimated) => format!(
            "≈ {} (catalog estimate: the count took longer than {:?})",
            thousands(n),
            timeout
        ),
        (_, _) => {
            format!("an unknown number of (the count took longer than {timeout:?}; no estimate)")
        }
    };
    let o = &f.object;
    let text = match f.kind {
        FactKind::NullsBeforeNotNull => {
            format!("{n} row(s) hold NULL in {o}: SET NOT NULL fails until they are filled")
        }
        FactKind::RowsForNotNullColumn => format!(
            "{o}: the table has {n} row(s): adding a NOT NULL column without a default fails; \
             two-step plan: give the field a default (default_value) or add it as an Option, \
             backfill, then make it NOT NULL in a second revision"
        ),
        FactKind::DuplicateGroups => format!(
            "{n} group(s) of rows share a value of {o}: the unique index fails until they are merged"
        ),
        FactKind::NullKeys => {
            format!("{n} row(s) have a NULL key part in {o}: the primary key fails")
        }
        FactKind::OrphanRows => format!(
            "{n} row(s) of {o} have no matching referenced row: adding the foreign key fails"
        ),
        FactKind::ValuesInDroppedColumn => format!("{n} non-NULL value(s) in {o} are deleted"),
        FactKind::RowsInDroppedTable => format!("{n} row(s) in {o} are deleted"),
        FactKind::ValuesNotFitting => {
            format!("{n} value(s) of {o} do not fit the new type: the change fails")
        }
        FactKind::RowsWithRemovedLabel => {
            format!("{n} row(s) of {o} hold the removed label: the change fails")
        }
    };
    Some(text)
}

/// Each data-aware hazard with rows behind it: the index of its change and its line, without
/// the change's description.
pub fn data_facts(report: &DataReport) -> Vec<(usize, String)> {
    report
        .facts
        .iter()
        .filter_map(|f| Some((f.change, fact_body(f, report.timeout)?)))
        .collect()
}

/// One line per data-aware hazard with rows behind it.
pub fn data_lines(plan: &Plan, report: &DataReport) -> Vec<String> {
    report
        .facts
        .iter()
        .filter_map(|f| fact_text(plan, f, report.timeout))
        .collect()
}

/// The measured facts and table sizes as JSON (the numbers themselves).
pub fn data_json(report: &DataReport) -> serde_json::Value {
    let source = |s: Source| match s {
        Source::Counted => "counted",
        Source::Estimated => "estimated",
        Source::Unknown => "unknown",
    };
    json!({
        "timeout_ms": report.timeout.as_millis() as u64,
        "facts": report.facts.iter().map(|f| json!({
            "change": f.change,
            "kind": f.kind.name(),
            "object": f.object,
            "count": f.count,
            "source": source(f.source),
        })).collect::<Vec<_>>(),
        "table_sizes": report.sizes.iter().map(|s| json!({
            "table": s.table.to_string(),
            "estimated_rows": s.estimated_rows,
            "bytes": s.bytes,
        })).collect::<Vec<_>>(),
    })
}

/// The text lines: one per change that scans or rewrites a table (with the table's size when
/// measured), then one naming the tables only briefly locked ACCESS EXCLUSIVE. Empty when the
/// plan touches no existing table.
pub fn lines(classified: &[Classified], data: Option<&DataReport>) -> Vec<String> {
    let size_of = |t: &QualifiedName| {
        data.and_then(|d| d.sizes.iter().find(|s| &s.table == t))
            .map(size_text)
    };
    let mut out: Vec<String> = classified
        .iter()
        .filter(|c| c.impact.is_long())
        .map(|c| {
            let sizes: Vec<String> = c
                .impact
                .locks
                .iter()
                .filter(|l| l.effect > Effect::None)
                .filter_map(|l| size_of(&l.table))
                .collect();
            let sizes = if sizes.is_empty() {
                String::new()
            } else {
                format!(" [{}]", sizes.join("; "))
            };
            format!(
                "lock: {}: {} ({} while it runs){sizes}",
                c.description,
                c.summary,
                c.impact.long_lock().blocks()
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
        .assert_eq(&super::lines(&c, None).join("\n"));
        let json = serde_json::to_value(&c[0]).unwrap();
        assert_eq!(json["lock"], "access_exclusive");
        assert_eq!(json["effect"], "rewrite");
        assert_eq!(json["locks"][0]["table"]["name"], "orders");
    }

    #[test]
    fn online_plan_is_classified_by_its_statement_forms() {
        let q = QualifiedName::new("public", "orders");
        let mut t = Table::new("public", "orders");
        t.columns = vec![Column::new("qty", Type::Integer)];
        let current = Schema {
            tables: vec![t],
            ..Schema::default()
        };
        let plan = Plan {
            changes: vec![
                Change::AddIndex {
                    table: q.clone(),
                    index: autogen_schema::Index::on_columns("orders_qty_idx", &["qty"], false),
                },
                Change::SetNotNull {
                    table: q,
                    column: "qty".into(),
                },
            ],
            notes: vec![],
        };
        let online = autogen_codegen::Online::default();
        let c = super::classify_with(&plan, &current, Some(&online));
        expect![[r#"
            lock: add index orders_qty_idx on public.orders (qty): SHARE UPDATE EXCLUSIVE lock on public.orders, scans the table (CONCURRENTLY: writes go on while the index is built) (blocks only DDL and VACUUM while it runs)
            lock: set not null on public.orders.qty: ACCESS EXCLUSIVE lock on public.orders; SHARE UPDATE EXCLUSIVE lock on public.orders, scans the table (VALIDATE CONSTRAINT checks every row without blocking writes) (blocks only DDL and VACUUM while it runs)"#]]
        .assert_eq(&super::lines(&c, None).join("\n"));
        let plain = super::lines(&super::classify(&plan, &current), None).join("\n");
        assert!(
            plain.contains("SHARE lock on public.orders, scans"),
            "{plain}"
        );
    }
}
