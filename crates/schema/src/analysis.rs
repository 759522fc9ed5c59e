//! Expressions compared by Postgres's own analysis. When an entity's CHECK or default and the
//! database's differ as text, both are handed to Postgres (`autogen-introspect` asks it, read
//! only); when Postgres analyzes them to the same expression, the entity's text is replaced by
//! the database's, so the differ's text rules see them equal. This module is pure: it says which
//! pairs need asking ([`probes`]) and applies the answers ([`reconcile`]).

use std::collections::BTreeMap;

use crate::equality::{defaults_equal, expressions_equal};
use crate::model::{QualifiedName, Schema};

/// One expression to analyze, in the context of a table (its columns are in scope). `cast`:
/// analyze `CAST((expr) AS cast)`, as Postgres coerces a default to its column's type.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Probe {
    pub table: QualifiedName,
    pub expr: String,
    pub cast: Option<String>,
}

/// Postgres's analyzed text of each probe it could analyze.
pub type Analyzed = BTreeMap<Probe, String>;

enum Target {
    Check { desired: usize, current: usize },
    Default { column: String },
}

struct Pair {
    table: QualifiedName,
    target: Target,
    desired: Probe,
    current: Probe,
}

/// Entity/database expression pairs whose text differs: each desired CHECK with no textually
/// equal one in the database against every database CHECK with no textually equal one in the
/// entities, and each default the text rules call different.
fn pairs(desired: &Schema, current: &Schema) -> Vec<Pair> {
    let mut out = Vec::new();
    for d in &desired.tables {
        let Some(c) = current.table(&d.schema, &d.name) else {
            continue;
        };
        let q = d.qualified_name();
        let probe = |expr: &str, cast: Option<String>| Probe {
            table: q.clone(),
            expr: expr.to_string(),
            cast,
        };
        let matched = |x: &str, others: &[crate::model::Check]| {
            others.iter().any(|y| expressions_equal(x, &y.expression))
        };
        for (di, dc) in d.checks.iter().enumerate() {
            if matched(&dc.expression, &c.checks) {
                continue;
            }
            for (ci, cc) in c.checks.iter().enumerate() {
                if matched(&cc.expression, &d.checks) {
                    continue;
                }
                out.push(Pair {
                    table: q.clone(),
                    target: Target::Check {
                        desired: di,
                        current: ci,
                    },
                    desired: probe(&dc.expression, None),
                    current: probe(&cc.expression, None),
                });
            }
        }
        for dcol in &d.columns {
            let Some(ccol) = c.column(&dcol.name) else {
                continue;
            };
            let (Some(dd), Some(cd)) = (&dcol.default, &ccol.default) else {
                continue;
            };
            if defaults_equal(dd, cd) {
                continue;
            }
            let cast = Some(ccol.ty.to_sql());
            out.push(Pair {
                table: q.clone(),
                target: Target::Default {
                    column: dcol.name.clone(),
                },
                desired: probe(dd, cast.clone()),
                current: probe(cd, cast),
            });
        }
    }
    out
}

/// What to ask Postgres: empty when every stated expression already matches as text (the
/// common, in-sync case costs no query).
pub fn probes(desired: &Schema, current: &Schema) -> Vec<Probe> {
    let mut out: Vec<Probe> = pairs(desired, current)
        .into_iter()
        .flat_map(|p| [p.desired, p.current])
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Replaces each entity expression Postgres analyzed to the same expression as its database
/// counterpart by the database's text. Pairs Postgres could not analyze stay as they are
/// (different).
pub fn reconcile(desired: &mut Schema, current: &Schema, analyzed: &Analyzed) {
    for pair in pairs(desired, current) {
        let (Some(a), Some(b)) = (analyzed.get(&pair.desired), analyzed.get(&pair.current)) else {
            continue;
        };
        if a != b {
            continue;
        }
        let Some(c) = current.table(&pair.table.schema, &pair.table.name) else {
            continue;
        };
        let Some(d) = desired.table_mut(&pair.table.schema, &pair.table.name) else {
            continue;
        };
        match pair.target {
            Target::Check {
                desired: di,
                current: ci,
            } => {
                let text = c.checks[ci].expression.clone();
                if !d.checks.iter().any(|x| x.expression == text) {
                    d.checks[di].expression = text;
                }
            }
            Target::Default { column } => {
                let text = c.column(&column).and_then(|x| x.default.clone());
                if let Some(col) = d.column_mut(&column) {
                    col.default = text;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Check, Column, Table};
    use crate::types::Type;

    fn table(check: &str, default: &str) -> Schema {
        let mut t = Table::new("public", "p");
        let mut c = Column::new("price", Type::Text);
        c.default = Some(default.into());
        t.columns.push(c);
        t.checks.push(Check {
            name: "p_price_check".into(),
            expression: check.into(),
            no_inherit: false,
            not_valid: false,
        });
        Schema {
            tables: vec![t],
            ..Schema::default()
        }
    }

    #[test]
    fn only_textually_different_pairs_are_asked_and_equal_answers_reconcile() {
        let current = table("(price > (0)::numeric)", "'a'::text");
        assert!(probes(&table("(price > (0)::numeric)", "'a'"), &current).is_empty());
        let mut desired = table("price > 0", "'a'");
        let asked = probes(&desired, &current);
        assert_eq!(asked.len(), 2);
        let mut analyzed = Analyzed::new();
        for p in &asked {
            analyzed.insert(p.clone(), "(price > '0'::numeric)".into());
        }
        reconcile(&mut desired, &current, &analyzed);
        assert_eq!(
            desired.tables[0].checks[0].expression,
            "(price > (0)::numeric)"
        );
        // Different answers leave the entity's text, so the differ reports it.
        let mut desired = table("price > 1", "'a'");
        let mut analyzed = Analyzed::new();
        for (i, p) in probes(&desired, &current).into_iter().enumerate() {
            analyzed.insert(p, format!("answer {i}"));
        }
        reconcile(&mut desired, &current, &analyzed);
        assert_eq!(desired.tables[0].checks[0].expression, "price > 1");
    }
}
