//! One replayed DDL statement classified: the changes it made (the catalog after it diffed
//! against the catalog before it) classified by `autogen_diff::impact` against the model before
//! it, so a type change is judged by the real column types; then what only the statement's
//! text says: `CONCURRENTLY`, `NOT VALID`, `VALIDATE CONSTRAINT`, `USING INDEX`, `TRUNCATE`
//! (the online forms' classification, `autogen_diff::impact::online`).

use std::collections::BTreeSet;

use autogen_diff::impact::online::{OnlineForm, classify_online};
use autogen_diff::impact::{Effect, Impact, Lock, TableLock, classify_plan};
use autogen_diff::{Change, Plan};
use autogen_schema::{QualifiedName, Schema};

use super::statement::Recognised;

/// A DDL statement's classification.
#[derive(Debug, Clone, Default)]
pub struct Classification {
    pub impact: Impact,
    /// The changes the catalog shows, one line each.
    pub changes: Vec<String>,
    /// Why the statement could not be classified, if it could not.
    pub unclassified: Option<String>,
}

/// Classifies a statement that took the catalog from `before` to what `plan` says. Locks on
/// tables in `created` (made earlier in the same migration: nobody else sees them) are left out.
pub fn classify(
    rec: &Recognised,
    plan: &Plan,
    before: &Schema,
    created: &BTreeSet<QualifiedName>,
) -> Classification {
    let impacts = classify_plan(&plan.changes, before);
    let mut parts: Vec<Impact> = plan
        .changes
        .iter()
        .zip(impacts)
        .map(|(change, impact)| online_form(rec, change).map_or(impact, |f| classify_online(&f)))
        .collect();
    for name in &rec.validates {
        if let Some(table) = rec.tables.first() {
            let references = before
                .table(&table.schema, &table.name)
                .and_then(|t| t.foreign_keys.iter().find(|fk| &fk.name == name))
                .map(|fk| fk.referenced());
            parts.push(classify_online(&OnlineForm::Validate {
                table: table.clone(),
                references,
            }));
        }
    }
    if rec.command == "TRUNCATE" {
        parts.push(Impact {
            locks: rec
                .tables
                .iter()
                .map(|t| TableLock {
                    table: t.clone(),
                    lock: Lock::AccessExclusive,
                    effect: Effect::None,
                })
                .collect(),
            data_loss: true,
            why: Some("TRUNCATE deletes every row".into()),
        });
    }
    if rec.command == "CREATE TRIGGER" {
        parts.push(Impact {
            locks: rec
                .tables
                .iter()
                .map(|t| TableLock {
                    table: t.clone(),
                    lock: Lock::ShareRowExclusive,
                    effect: Effect::None,
                })
                .collect(),
            data_loss: false,
            why: Some("CREATE TRIGGER takes SHARE ROW EXCLUSIVE".into()),
        });
    }
    let mut impact = merge(parts);
    impact.locks.retain(|l| !created.contains(&l.table));
    if rec.command == "CREATE TABLE" {
        // Its inline REFERENCES lock the referenced table (SHARE ROW EXCLUSIVE, to add the
        // triggers) but check no row: the new table is empty.
        for l in &mut impact.locks {
            l.effect = Effect::None;
        }
        if !impact.locks.is_empty() {
            impact.why = Some(
                "CREATE TABLE … REFERENCES adds the referenced table's triggers; the new table \
                 has no rows to check"
                    .into(),
            );
        }
    }
    let recognised = !plan.changes.is_empty()
        || !rec.validates.is_empty()
        || rec.command == "TRUNCATE"
        || (rec.command == "CREATE TRIGGER" && !rec.tables.is_empty())
        || rec.locks_no_table()
        || rec.command == "CREATE TABLE";
    Classification {
        impact,
        changes: plan.changes.iter().map(Change::describe).collect(),
        unclassified: (!recognised).then(|| {
            format!(
                "{} changed nothing the catalog model shows; its locks are not known to autogen",
                if rec.command.is_empty() {
                    "the statement"
                } else {
                    rec.command.as_str()
                }
            )
        }),
    }
}

/// The online form a change takes when the statement is written that way.
fn online_form(rec: &Recognised, change: &Change) -> Option<OnlineForm> {
    match change {
        Change::AddIndex { table, index } if rec.concurrently && !index.constraint => {
            Some(OnlineForm::CreateIndexConcurrently {
                table: table.clone(),
            })
        }
        Change::DropIndex { table, .. } if rec.concurrently => {
            Some(OnlineForm::DropIndexConcurrently {
                table: table.clone(),
            })
        }
        Change::AddForeignKey { table, foreign_key } if rec.not_valid => {
            Some(OnlineForm::AddNotValid {
                table: table.clone(),
                references: Some(foreign_key.referenced()),
            })
        }
        Change::AddCheck { table, .. } if rec.not_valid => Some(OnlineForm::AddNotValid {
            table: table.clone(),
            references: None,
        }),
        Change::AddIndex { table, .. }
        | Change::DropIndex { table, .. }
        | Change::AddPrimaryKey { table, .. }
            if rec.using_index =>
        {
            Some(OnlineForm::Catalog {
                tables: vec![table.clone()],
            })
        }
        _ => None,
    }
}

/// One statement's impacts together: Postgres takes the strongest lock any of its parts needs
/// on a table for the whole statement, so per table the strongest lock and costliest effect.
fn merge(parts: Vec<Impact>) -> Impact {
    let mut out = Impact::default();
    let mut whys: Vec<String> = Vec::new();
    for p in parts {
        for l in p.locks {
            match out.locks.iter_mut().find(|o| o.table == l.table) {
                Some(o) => {
                    o.lock = o.lock.max(l.lock);
                    o.effect = o.effect.max(l.effect);
                }
                None => out.locks.push(l),
            }
        }
        out.data_loss |= p.data_loss;
        if let Some(w) = p.why
            && !whys.contains(&w)
        {
            whys.push(w);
        }
    }
    out.why = (!whys.is_empty()).then(|| whys.join("; "));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::statement::recognise;
    use autogen_schema::{Column, Index, Table, Type};

    fn orders() -> Schema {
        let mut t = Table::new("public", "orders");
        t.columns = vec![Column::new("qty", Type::Integer)];
        Schema {
            tables: vec![t],
            ..Schema::default()
        }
    }

    fn line(sql: &str, changes: Vec<Change>) -> String {
        let rec = recognise(sql, "seaql_migrations", "public");
        let c = classify(
            &rec,
            &Plan {
                changes,
                notes: vec![],
            },
            &orders(),
            &BTreeSet::new(),
        );
        format!("{} | unclassified: {:?}", c.impact, c.unclassified)
    }

    #[test]
    fn concurrent_index_is_online_and_plain_is_not() {
        let q = QualifiedName::new("public", "orders");
        let add = || Change::AddIndex {
            table: q.clone(),
            index: Index::on_columns("orders_qty_idx", &["qty"], false),
        };
        assert_eq!(
            line(
                "CREATE INDEX CONCURRENTLY orders_qty_idx ON orders (qty)",
                vec![add()]
            ),
            "SHARE UPDATE EXCLUSIVE lock on public.orders, scans the table (CONCURRENTLY: writes go on while the index is built) | unclassified: None"
        );
        assert_eq!(
            line("CREATE INDEX orders_qty_idx ON orders (qty)", vec![add()]),
            "SHARE lock on public.orders, scans the table (CREATE INDEX reads the whole table) | unclassified: None"
        );
    }

    #[test]
    fn create_table_with_references_scans_nothing() {
        let new = QualifiedName::new("public", "lines");
        let fk = autogen_schema::ForeignKey::new(
            "lines_order_fkey",
            &["order_id"],
            "public",
            "orders",
            &["id"],
        );
        let mut table = Table::new("public", "lines");
        table.columns = vec![Column::new("order_id", Type::Integer)];
        assert_eq!(
            line(
                "CREATE TABLE lines (order_id integer REFERENCES orders (id))",
                vec![
                    Change::CreateTable { table },
                    Change::AddForeignKey {
                        table: new,
                        foreign_key: fk,
                    },
                ]
            ),
            "SHARE ROW EXCLUSIVE lock on public.orders (CREATE TABLE … REFERENCES adds the referenced table's triggers; the new table has no rows to check) | unclassified: None"
        );
    }

    #[test]
    fn type_change_validate_truncate_and_unknown() {
        let q = QualifiedName::new("public", "orders");
        assert_eq!(
            line(
                "ALTER TABLE orders ALTER COLUMN qty TYPE bigint",
                vec![Change::AlterColumnType {
                    table: q,
                    column: "qty".into(),
                    from: Type::Integer,
                    to: Type::BigInt,
                    using: None,
                    reverse_using: None,
                    collation: None,
                }]
            ),
            "ACCESS EXCLUSIVE lock on public.orders, rewrites the table (integer → bigint: not binary coercible) | unclassified: None"
        );
        assert_eq!(
            line(
                "ALTER TABLE orders VALIDATE CONSTRAINT qty_positive",
                vec![]
            ),
            "SHARE UPDATE EXCLUSIVE lock on public.orders, scans the table (VALIDATE CONSTRAINT checks every row without blocking writes) | unclassified: None"
        );
        assert_eq!(
            line("TRUNCATE orders", vec![]),
            "ACCESS EXCLUSIVE lock on public.orders (TRUNCATE deletes every row); can lose data | unclassified: None"
        );
        assert_eq!(
            line(
                "CREATE TRIGGER t BEFORE INSERT ON orders FOR EACH ROW EXECUTE FUNCTION f()",
                vec![]
            ),
            "SHARE ROW EXCLUSIVE lock on public.orders (CREATE TRIGGER takes SHARE ROW EXCLUSIVE) | unclassified: None"
        );
        assert_eq!(
            line("ALTER TABLE orders SET (fillfactor = 70)", vec![]),
            "no lock on an existing table | unclassified: Some(\"ALTER TABLE changed nothing the catalog model shows; its locks are not known to autogen\")"
        );
        assert!(
            line(
                "CREATE FUNCTION f() RETURNS int AS 'select 1' LANGUAGE sql",
                vec![]
            )
            .ends_with("None")
        );
    }
}
