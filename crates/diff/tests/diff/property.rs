//! Random model pairs: the differ never panics, `apply(a, diff(b, a))` is in sync with `b`, and
//! the inverse plan brings it back to exactly `a` (up to column order).

use autogen_diff::{DiffOptions, diff};
use autogen_schema::{FkAction, Schema, Type};
use proptest::prelude::*;

use crate::build::*;

const ENUMS: [&str; 2] = ["mood", "status"];
const TABLES: [&str; 3] = ["t1", "t2", "t3"];
const COLUMNS: [&str; 3] = ["c1", "c2", "c3"];
const TYPES: [&str; 8] = [
    "integer",
    "bigint",
    "text",
    "character varying(10)",
    "character varying(50)",
    "boolean",
    "public.mood",
    "public.status",
];
const ACTIONS: [FkAction; 3] = [FkAction::NoAction, FkAction::Cascade, FkAction::SetNull];

#[derive(Clone, Debug)]
struct ColSpec {
    ty: usize,
    nullable: bool,
    default: Option<bool>,
    comment: bool,
    /// Entity side: `renamed_from` another column name.
    renamed_from: Option<usize>,
}

#[derive(Clone, Debug)]
struct TableSpec {
    /// Entity side: `renamed_from` another table name.
    renamed_from: Option<usize>,
    /// 0: identity, 1: serial, 2: plain integer.
    id_kind: u8,
    columns: Vec<Option<ColSpec>>,
    /// Column `r` and, maybe, a foreign key from it: (target table, action, SeaORM name?).
    reference: Option<(usize, usize, bool)>,
    /// Plain index on c1: none, SeaORM-named, hand-named.
    index_c1: u8,
    unique_c2: bool,
    pair: bool,
    partial_c3: bool,
    /// A GIN index on c3 (a kind entities cannot declare).
    gin_c3: bool,
    check_c1: bool,
    comment: bool,
}

fn col_spec() -> impl Strategy<Value = ColSpec> {
    (
        0..TYPES.len(),
        any::<bool>(),
        proptest::option::of(any::<bool>()),
        any::<bool>(),
        proptest::option::weighted(0.2, 0..COLUMNS.len()),
    )
        .prop_map(|(ty, nullable, default, comment, renamed_from)| ColSpec {
            ty,
            nullable,
            default,
            comment,
            renamed_from,
        })
}

fn table_spec() -> impl Strategy<Value = TableSpec> {
    (
        proptest::option::weighted(0.2, 0..TABLES.len()),
        0u8..3,
        proptest::collection::vec(proptest::option::of(col_spec()), COLUMNS.len()),
        proptest::option::of((0..TABLES.len(), 0..ACTIONS.len(), any::<bool>())),
        0u8..3,
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(
                renamed_from,
                id_kind,
                columns,
                reference,
                index_c1,
                unique_c2,
                pair,
                partial_c3,
                gin_c3,
                check_c1,
                comment,
            )| {
                TableSpec {
                    renamed_from,
                    id_kind,
                    columns,
                    reference,
                    index_c1,
                    unique_c2,
                    pair,
                    partial_c3,
                    gin_c3,
                    check_c1,
                    comment,
                }
            },
        )
}

fn labels() -> impl Strategy<Value = Vec<String>> {
    proptest::sample::subsequence(vec!["a", "b", "c", "d"], 1..=4)
        .prop_shuffle()
        .prop_map(|v| v.into_iter().map(String::from).collect())
}

fn model() -> impl Strategy<Value = Schema> {
    (
        proptest::collection::vec(proptest::option::of(labels()), ENUMS.len()),
        proptest::collection::vec(proptest::option::of(table_spec()), TABLES.len()),
    )
        .prop_map(|(enums, tables)| build(&enums, &tables))
}

fn build(enums: &[Option<Vec<String>>], tables: &[Option<TableSpec>]) -> Schema {
    let enum_types: Vec<_> = ENUMS
        .iter()
        .zip(enums)
        .filter_map(|(name, labels)| {
            let labels: Vec<&str> = labels.as_ref()?.iter().map(String::as_str).collect();
            Some(enum_type(name, &labels))
        })
        .collect();
    let mut out = Vec::new();
    for (name, spec) in TABLES.iter().zip(tables) {
        let Some(spec) = spec else { continue };
        let mut t = match spec.id_kind {
            0 => table(name).id(),
            1 => table(name).serial_id(),
            _ => table(name)
                .req("id", "integer")
                .pk(&format!("{name}_pkey"), &["id"]),
        };
        for (col, c) in COLUMNS.iter().zip(&spec.columns) {
            let Some(c) = c else { continue };
            let mut ty_text = TYPES[c.ty];
            if let Some(e) = ty_text.strip_prefix("public.")
                && !enum_types.iter().any(|x| x.name == e)
            {
                ty_text = "text";
            }
            t = if c.nullable {
                t.col(col, ty_text)
            } else {
                t.req(col, ty_text)
            };
            if let Some(which) = c.default {
                t = t.default(&default_for(&ty(ty_text), which));
            }
            if c.comment {
                t = t.comment(&format!("{col} of {name}"));
            }
            if let Some(old) = c.renamed_from {
                t = t.renamed_from(COLUMNS[old]);
            }
        }
        let present: Vec<String> = t.0.columns.iter().map(|c| c.name.clone()).collect();
        let has = |c: &str| present.iter().any(|p| p == c);
        if let Some((target, action, seaorm_name)) = spec.reference {
            t = t.col("r", "integer");
            if tables[target].is_some() {
                let fk_name = if seaorm_name {
                    format!("fk-{name}-r")
                } else {
                    format!("{name}_r_fkey")
                };
                t = t
                    .fk(&fk_name, &["r"], TABLES[target], &["id"])
                    .on_delete(ACTIONS[action]);
            }
        }
        if has("c1") {
            match spec.index_c1 {
                1 => t = t.index(&format!("idx-{name}-c1"), &["c1"]),
                2 => t = t.index(&format!("{name}_c1_idx"), &["c1"]),
                _ => {}
            }
            if spec.check_c1 {
                t = t.check(&format!("{name}_c1_check"), "(c1 IS NOT NULL)");
            }
        }
        if has("c2") && spec.unique_c2 {
            t = t.unique_constraint(&format!("{name}_c2_key"), &["c2"]);
        }
        if has("c1") && has("c2") && spec.pair {
            t = t.unique_index(&format!("idx-{name}-pair"), &["c1", "c2"]);
        }
        if has("c3") && spec.partial_c3 {
            t = t.partial_index(&format!("{name}_c3_partial"), &["c3"], "(c3 IS NOT NULL)");
        }
        if let Some(old) = spec.renamed_from {
            t = t.table_renamed_from(TABLES[old]);
        }
        if has("c3") && spec.gin_c3 {
            let mut gin =
                autogen_schema::Index::on_columns(format!("{name}_c3_gin"), &["c3"], false);
            gin.method = "gin".into();
            t.0.indexes.push(gin);
        }
        if spec.comment {
            t = t.table_comment(&format!("table {name}"));
        }
        out.push(t);
    }
    schema(out, enum_types)
}

fn default_for(t: &Type, which: bool) -> String {
    match t {
        Type::Integer | Type::BigInt => if which { "0" } else { "1" }.into(),
        Type::Boolean => which.to_string(),
        Type::Named { schema, name } => {
            format!("'{}'::{schema}.{name}", if which { "a" } else { "b" })
        }
        other => format!("'{}'::{}", if which { "x" } else { "y" }, other.to_sql()),
    }
}

/// Entities that reference an excluded table need it in the database: the differ leaves
/// excluded tables alone, so it cannot create one (it notes such a plan for review).
fn references_resolve(desired: &Schema, current: &Schema, opts: &DiffOptions) -> bool {
    desired
        .tables
        .iter()
        .filter(|t| !opts.is_ignored(&t.qualified_name()))
        .all(|t| {
            t.foreign_keys.iter().all(|fk| {
                let q = fk.referenced();
                !opts.is_ignored(&q) || current.table(&q.schema, &q.name).is_some()
            })
        })
}

/// The model with things a loader bug could produce: duplicate tables and columns, references
/// to missing tables and columns, an enum with duplicate labels.
fn damaged(s: &Schema, damage: &[u8]) -> Schema {
    let mut s = s.clone();
    for d in damage {
        let Some(t) = s.tables.first().cloned() else {
            break;
        };
        match d {
            0 => s.tables.push(t),
            1 => {
                if let Some(c) = t.columns.first().cloned() {
                    s.tables[0].columns.push(c);
                }
            }
            2 => {
                s.tables[0].indexes.push(autogen_schema::Index::on_columns(
                    "idx-x-nope",
                    &["nope"],
                    true,
                ));
            }
            3 => {
                let mut fk = table("x")
                    .fk("fk-x-id", &["id"], "missing", &["id"])
                    .0
                    .foreign_keys;
                s.tables[0].foreign_keys.append(&mut fk);
            }
            4 => s.enums.push(enum_type("mood", &["a", "a"])),
            _ => {
                s.tables[0].primary_key = Some(autogen_schema::PrimaryKey {
                    name: "p".into(),
                    columns: vec!["nope".into()],
                });
            }
        }
    }
    s
}

/// The same model with every unordered list reversed (columns and labels keep their order).
fn reversed(s: &Schema) -> Schema {
    let mut s = s.clone();
    s.tables.reverse();
    s.enums.reverse();
    for t in &mut s.tables {
        t.indexes.reverse();
        t.foreign_keys.reverse();
        t.checks.reverse();
    }
    s
}

fn options() -> impl Strategy<Value = DiffOptions> {
    (
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        proptest::option::weighted(0.3, 0..TABLES.len()),
    )
        .prop_map(|(n, d, i, exclude)| DiffOptions {
            strict_names: n,
            strict_defaults: d,
            strict_identity: i,
            exclude_tables: exclude.map(|t| TABLES[t].to_string()).into_iter().collect(),
            ..DiffOptions::default()
        })
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256)
}

proptest! {
    // 256 cases by default (CI); PROPTEST_CASES=N for a longer hunt.
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn plans_apply_and_invert(current in model(), desired in model(), opts in options()) {
        prop_assume!(references_resolve(&desired, &current, &opts));
        let plan = diff(&desired, &current, &opts);
        if std::env::var("DIFF_STATS").is_ok() {
            for c in &plan.changes {
                let d = c.describe();
                eprintln!("STAT {}", d.split(' ').take(2).collect::<Vec<_>>().join(" "));
            }
        }
        if let Err(e) = prove(&desired, &current, &opts, &plan) {
            prop_assert!(false, "{e}\nplan:\n{}", render(&plan));
        }
    }

    #[test]
    fn input_order_does_not_matter(current in model(), desired in model(), opts in options()) {
        let plan = diff(&desired, &current, &opts);
        let again = diff(&reversed(&desired), &reversed(&current), &opts);
        prop_assert_eq!(render(&plan), render(&again));
    }

    #[test]
    fn never_panics_on_inconsistent_models(
        current in model(),
        desired in model(),
        damage in proptest::collection::vec(0u8..6, 0..4),
        opts in options(),
    ) {
        let (current, desired) = (damaged(&current, &damage), damaged(&desired, &damage));
        // No panic, and even here every change knows its inverse exactly.
        let plan = diff(&desired, &current, &opts);
        prop_assert_eq!(&plan.inverse().inverse().changes, &plan.changes);
    }

    #[test]
    fn a_model_is_in_sync_with_itself(model in model(), opts in options()) {
        let plan = diff(&model, &model, &opts);
        prop_assert!(plan.is_empty(), "{}", render(&plan));
    }
}
