//! Expressions compared by Postgres's own analysis. When an entity's CHECK or default and the
//! database's differ as text, both are handed to Postgres (`autogen-introspect` asks it, read
//! only); when Postgres analyzes them to the same expression, the entity's text is replaced by
//! the database's, so the differ's text rules see them equal. This module is pure: it says which
//! pairs need asking ([`probes`]) and applies the answers ([`reconcile`]).

use std::collections::BTreeMap;

use crate::equality::{defaults_equal, expressions_equal, index_keys_equal, indexes_equal};
use crate::model::{Index, IndexKey, KeyPart, QualifiedName, Schema};

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
    Check {
        desired: usize,
        current: usize,
    },
    Default {
        column: String,
    },
    /// One expression of an index (an extras file's) whose other parts all match a database
    /// index: `key` is the key's position, `None` the predicate.
    IndexPart {
        desired: usize,
        current: usize,
        key: Option<usize>,
    },
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
        for (di, dx) in d.indexes.iter().enumerate() {
            if c.indexes.iter().any(|y| indexes_equal(dx, y)) {
                continue;
            }
            for (ci, cx) in c.indexes.iter().enumerate() {
                if d.indexes.iter().any(|y| indexes_equal(cx, y)) || !same_shape(dx, cx) {
                    continue;
                }
                let mut parts: Vec<(Option<usize>, &str, &str)> = Vec::new();
                for (k, (dk, ck)) in dx.keys.iter().zip(&cx.keys).enumerate() {
                    if let (KeyPart::Expression(a), KeyPart::Expression(b)) = (&dk.part, &ck.part)
                        && !expressions_equal(a, b)
                    {
                        parts.push((Some(k), a, b));
                    }
                }
                if let (Some(a), Some(b)) = (&dx.predicate, &cx.predicate)
                    && !expressions_equal(a, b)
                {
                    parts.push((None, a, b));
                }
                for (key, a, b) in parts {
                    out.push(Pair {
                        table: q.clone(),
                        target: Target::IndexPart {
                            desired: di,
                            current: ci,
                            key,
                        },
                        desired: probe(a, None),
                        current: probe(b, None),
                    });
                }
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

/// Everything of two indexes but their expressions' text agrees: the same kind, method,
/// INCLUDE columns, keys (columns equal, expressions in the same places) and a predicate on
/// both or neither.
fn same_shape(a: &Index, b: &Index) -> bool {
    let blank = |k: &IndexKey| IndexKey {
        part: match &k.part {
            KeyPart::Expression(_) => KeyPart::Expression(String::new()),
            column => column.clone(),
        },
        ..k.clone()
    };
    !a.invalid
        && !b.invalid
        && a.unique == b.unique
        && a.method == b.method
        && a.include == b.include
        && a.nulls_not_distinct == b.nulls_not_distinct
        && a.predicate.is_some() == b.predicate.is_some()
        && a.keys.len() == b.keys.len()
        && a.keys
            .iter()
            .zip(&b.keys)
            .all(|(x, y)| index_keys_equal(&blank(x), &blank(y)))
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
            Target::IndexPart {
                desired: di,
                current: ci,
                key,
            } => {
                let have = &c.indexes[ci];
                let want = &mut d.indexes[di];
                match key {
                    Some(k) => {
                        if let (Some(w), Some(h)) = (want.keys.get_mut(k), have.keys.get(k)) {
                            w.part = h.part.clone();
                        }
                    }
                    None => want.predicate = have.predicate.clone(),
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
