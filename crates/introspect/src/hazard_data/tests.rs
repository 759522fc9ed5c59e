//! The probe queries a plan gets (pure: no database).

use autogen_diff::{Change, Plan};
use autogen_schema::{Column, ForeignKey, Index, QualifiedName, Schema, Table, Type};
use expect_test::expect;

use super::probes;

#[test]
fn one_probe_per_hazard() {
    let q = QualifiedName::new("public", "orders");
    let mut t = Table::new("public", "orders");
    t.columns = vec![
        Column::new("id", Type::Integer),
        Column::new("code", Type::Text),
    ];
    let current = Schema {
        tables: vec![t.clone()],
        ..Schema::default()
    };
    let mut note = Column::new("note", Type::Text);
    note.nullable = false;
    let fk = ForeignKey::new("fk", &["user_id"], "public", "users", &["id"]);
    let plan = Plan {
        changes: vec![
            Change::SetNotNull {
                table: q.clone(),
                column: "code".into(),
            },
            Change::AddColumn {
                table: q.clone(),
                column: note,
            },
            Change::AddIndex {
                table: q.clone(),
                index: Index::on_columns("orders_code_key", &["code"], true),
            },
            Change::AddForeignKey {
                table: q.clone(),
                foreign_key: fk,
            },
            Change::AlterColumnType {
                table: q.clone(),
                column: "code".into(),
                from: Type::Text,
                to: Type::varchar(Some(3)),
                using: None,
                reverse_using: None,
                collation: None,
            },
            Change::DropColumn {
                table: q.clone(),
                column: Column::new("code", Type::Text),
            },
            Change::DropTable { table: t },
        ],
        notes: vec![],
    };
    let got: Vec<String> = probes(&plan, &current, false)
        .into_iter()
        .map(|p| format!("{} {} {}: {}", p.change, p.kind.name(), p.object, p.count))
        .collect();
    expect![[r#"
        0 nulls_before_not_null public.orders.code: SELECT count(*) FROM public.orders WHERE code IS NULL
        1 rows_for_not_null_column public.orders.note: SELECT count(*) FROM public.orders
        2 duplicate_groups public.orders.orders_code_key: SELECT count(*) FROM (SELECT 1 FROM public.orders WHERE code IS NOT NULL GROUP BY code HAVING count(*) > 1) d
        3 orphan_rows public.orders.fk: SELECT count(*) FROM public.orders c WHERE c.user_id IS NOT NULL
        4 values_not_fitting public.orders.code: SELECT count(*) FROM public.orders WHERE char_length(code) > 3
        5 values_in_dropped_column public.orders.code: SELECT count(*) FROM public.orders WHERE code IS NOT NULL
        6 rows_in_dropped_table public.orders: SELECT count(*) FROM public.orders"#]]
    .assert_eq(&got.join("\n"));
}
