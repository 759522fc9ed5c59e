//! A strict structural comparison of two schema models, for the oracle: every difference between
//! what the entity loader predicts and what SeaORM created, one readable line each
//! (`public.products.price: type: desired numeric(16,4), current numeric`).
//!
//! Stricter than the differ's default mode on purpose: names of indexes, foreign keys, checks and
//! primary keys must match, identity must be identity, and a unique constraint is not a unique
//! index — the loader's job is to predict exactly what SeaORM creates. Only the spellings
//! `autogen_schema::equality` declares equal (default expressions, whitespace in check
//! expressions) are treated as equal.

use std::collections::BTreeSet;
use std::fmt::Debug;

use autogen_schema::equality;
use autogen_schema::{Column, Schema, Table};

/// Every difference between `desired` and `current`, in a stable order. Empty means equal.
pub fn differences(desired: &Schema, current: &Schema) -> Vec<String> {
    let mut out = Vec::new();
    compare_tables(desired, current, &mut out);
    keyed(
        "enum type",
        &desired.enums,
        &current.enums,
        |e| format!("{}.{}", e.schema, e.name),
        |d, c, out| {
            if d.labels != c.labels {
                out.push(format!(
                    "enum {}.{}: labels: desired {:?}, current {:?}",
                    d.schema, d.name, d.labels, c.labels
                ));
            }
        },
        &mut out,
    );
    keyed(
        "sequence",
        &desired.sequences,
        &current.sequences,
        |s| format!("{}.{}", s.schema, s.name),
        |d, c, out| {
            field(
                &format!("sequence {}.{}", d.schema, d.name),
                "definition",
                d,
                c,
                out,
            )
        },
        &mut out,
    );
    keyed(
        "view",
        &desired.views,
        &current.views,
        |v| format!("{}.{}", v.schema, v.name),
        |d, c, out| {
            field(
                &format!("view {}.{}", d.schema, d.name),
                "definition",
                d,
                c,
                out,
            )
        },
        &mut out,
    );
    keyed(
        "domain",
        &desired.domains,
        &current.domains,
        |v| format!("{}.{}", v.schema, v.name),
        |d, c, out| {
            field(
                &format!("domain {}.{}", d.schema, d.name),
                "definition",
                d,
                c,
                out,
            )
        },
        &mut out,
    );
    out
}

fn compare_tables(desired: &Schema, current: &Schema, out: &mut Vec<String>) {
    keyed(
        "table",
        &desired.tables,
        &current.tables,
        |t| format!("{}.{}", t.schema, t.name),
        compare_table,
        out,
    );
}

fn compare_table(d: &Table, c: &Table, out: &mut Vec<String>) {
    let at = format!("{}.{}", d.schema, d.name);
    let names = |t: &Table| t.columns.iter().map(|c| c.name.clone()).collect::<Vec<_>>();
    let (dn, cn) = (names(d), names(c));
    let same_set: BTreeSet<&String> = dn.iter().collect();
    if same_set == cn.iter().collect::<BTreeSet<_>>() && dn != cn {
        out.push(format!(
            "{at}: column order: desired {dn:?}, current {cn:?}"
        ));
    }
    keyed(
        &format!("column of {at}"),
        &d.columns,
        &c.columns,
        |col| col.name.clone(),
        |dc, cc, out| compare_column(&format!("{at}.{}", dc.name), dc, cc, out),
        out,
    );
    if d.primary_key != c.primary_key {
        out.push(format!(
            "{at}: primary key: desired {:?}, current {:?}",
            d.primary_key, c.primary_key
        ));
    }
    keyed(
        &format!("index of {at}"),
        &d.indexes,
        &c.indexes,
        |i| i.name.clone(),
        |di, ci, out| {
            let what = format!("{at}: index {:?}", di.name);
            if !equality::indexes_equal(di, ci) {
                field(&what, "unique", &di.unique, &ci.unique, out);
                field(&what, "method", &di.method, &ci.method, out);
                field(&what, "keys", &di.keys, &ci.keys, out);
                field(&what, "include", &di.include, &ci.include, out);
                field(&what, "predicate", &di.predicate, &ci.predicate, out);
                let nnd = (&di.nulls_not_distinct, &ci.nulls_not_distinct);
                field(&what, "nulls not distinct", nnd.0, nnd.1, out);
            } else if di.constraint != ci.constraint {
                let kind = |b: bool| {
                    if b {
                        "UNIQUE constraint"
                    } else {
                        "CREATE INDEX"
                    }
                };
                out.push(format!(
                    "{what}: backed by: desired {}, current {}",
                    kind(di.constraint),
                    kind(ci.constraint)
                ));
            }
        },
        out,
    );
    keyed(
        &format!("foreign key of {at}"),
        &d.foreign_keys,
        &c.foreign_keys,
        |f| f.name.clone(),
        |df, cf, out| {
            if !equality::foreign_keys_equal(df, cf) {
                let what = format!("{at}: foreign key {:?}", df.name);
                field(&what, "columns", &df.columns, &cf.columns, out);
                field(&what, "references", &df.referenced(), &cf.referenced(), out);
                field(
                    &what,
                    "referenced columns",
                    &df.ref_columns,
                    &cf.ref_columns,
                    out,
                );
                field(&what, "on delete", &df.on_delete, &cf.on_delete, out);
                field(&what, "on update", &df.on_update, &cf.on_update, out);
                field(&what, "match", &df.match_type, &cf.match_type, out);
                field(&what, "deferrable", &df.deferrable, &cf.deferrable, out);
                let deferred = (&df.initially_deferred, &cf.initially_deferred);
                field(&what, "initially deferred", deferred.0, deferred.1, out);
            }
        },
        out,
    );
    keyed(
        &format!("check of {at}"),
        &d.checks,
        &c.checks,
        |k| k.name.clone(),
        |dk, ck, out| {
            if !equality::checks_equal(dk, ck) {
                out.push(format!(
                    "{at}: check {:?}: desired {:?}, current {:?}",
                    dk.name, dk.expression, ck.expression
                ));
            }
        },
        out,
    );
    field(&at, "comment", &d.comment, &c.comment, out);
    field(
        &at,
        "partition key",
        &d.partition_key,
        &c.partition_key,
        out,
    );
}

fn compare_column(at: &str, d: &Column, c: &Column, out: &mut Vec<String>) {
    if d.ty != c.ty {
        out.push(format!(
            "{at}: type: desired {}, current {}",
            d.ty.to_sql(),
            c.ty.to_sql()
        ));
    }
    field(at, "nullable", &d.nullable, &c.nullable, out);
    let defaults_match = match (&d.default, &c.default) {
        (None, None) => true,
        (Some(a), Some(b)) => equality::defaults_equal(a, b),
        _ => false,
    };
    if !defaults_match {
        out.push(format!(
            "{at}: default: desired {:?}, current {:?}",
            d.default, c.default
        ));
    }
    field(at, "identity", &d.identity, &c.identity, out);
    field(at, "generated", &d.generated, &c.generated, out);
    field(at, "collation", &d.collation, &c.collation, out);
    field(at, "comment", &d.comment, &c.comment, out);
}

fn field<T: PartialEq + Debug>(at: &str, what: &str, d: &T, c: &T, out: &mut Vec<String>) {
    if d != c {
        out.push(format!("{at}: {what}: desired {d:?}, current {c:?}"));
    }
}

/// Pairs the items of two lists by key: reports keys on one side only, and compares the pairs.
fn keyed<T>(
    kind: &str,
    desired: &[T],
    current: &[T],
    key: impl Fn(&T) -> String,
    mut compare: impl FnMut(&T, &T, &mut Vec<String>),
    out: &mut Vec<String>,
) {
    for d in desired {
        let k = key(d);
        match current.iter().find(|c| key(c) == k) {
            Some(c) => compare(d, c, out),
            None => out.push(format!(
                "{kind} {k:?}: desired only (SeaORM did not create it)"
            )),
        }
    }
    for c in current {
        let k = key(c);
        if !desired.iter().any(|d| key(d) == k) {
            out.push(format!(
                "{kind} {k:?}: current only (the loader did not predict it)"
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use autogen_schema::{Index, Type};

    fn table() -> Table {
        let mut t = Table::new("public", "t");
        let mut id = Column::new("id", Type::Integer);
        id.nullable = false;
        t.columns.push(id);
        t.columns.push(Column::new("name", Type::varchar(None)));
        t
    }

    #[test]
    fn equal_models_have_no_differences() {
        let s = Schema {
            tables: vec![table()],
            ..Schema::default()
        };
        assert_eq!(differences(&s, &s.clone()), Vec::<String>::new());
    }

    #[test]
    fn every_kind_of_difference_is_reported() {
        let desired = Schema {
            tables: vec![table()],
            ..Schema::default()
        };
        let mut t = table();
        t.columns[1].ty = Type::Text;
        t.columns[1].default = Some("'x'::text".into());
        t.columns.swap(0, 1);
        let mut unique = Index::on_columns("t_name_key", &["name"], true);
        unique.constraint = true;
        t.indexes.push(unique);
        let mut fk = autogen_schema::ForeignKey {
            name: "fk-t-id".into(),
            columns: vec!["id".into()],
            ref_schema: "public".into(),
            ref_table: "t".into(),
            ref_columns: vec!["id".into()],
            on_delete: autogen_schema::FkAction::Cascade,
            on_update: autogen_schema::FkAction::NoAction,
            match_type: autogen_schema::MatchType::Simple,
            deferrable: false,
            initially_deferred: false,
            actions_stated: Default::default(),
        };
        let mut desired = desired;
        desired.tables[0].foreign_keys.push(fk.clone());
        fk.on_delete = autogen_schema::FkAction::SetNull;
        t.foreign_keys.push(fk);
        let current = Schema {
            tables: vec![t, Table::new("public", "extra")],
            ..Schema::default()
        };
        let found = differences(&desired, &current);
        let expected = [
            r#"public.t: column order: desired ["id", "name"], current ["name", "id"]"#,
            "public.t.name: type: desired character varying, current text",
            r#"public.t.name: default: desired None, current Some("'x'::text")"#,
            r#"index of public.t "t_name_key": current only (the loader did not predict it)"#,
            r#"public.t: foreign key "fk-t-id": on delete: desired Cascade, current SetNull"#,
            r#"table "public.extra": current only (the loader did not predict it)"#,
        ];
        assert_eq!(found, expected);
    }
}
