//! Unit tests of the lock / rewrite classification: one line per change kind, and the type
//! changes Postgres can make without a rewrite.

use autogen_schema::{
    Check, Column, EnumType, ForeignKey, Identity, IdentityGeneration, Index, PrimaryKey,
    QualifiedName, Schema, SequenceOptions, Table, Type,
};
use expect_test::expect;

use super::*;

fn q(name: &str) -> QualifiedName {
    QualifiedName::new("public", name)
}

fn col(name: &str, ty: &str) -> Column {
    Column::new(name, Type::parse_pg(ty))
}

fn fk() -> ForeignKey {
    ForeignKey::new(
        "fk-orders-user_id",
        &["user_id"],
        "public",
        "users",
        &["id"],
    )
}

fn orders() -> Table {
    let mut t = Table::new("public", "orders");
    t.columns = vec![col("id", "integer"), col("qty", "integer")];
    t
}

#[test]
fn every_change_kind() {
    let mood = EnumType {
        schema: "public".into(),
        name: "mood".into(),
        labels: vec!["sad".into(), "ok".into()],
        origin: None,
    };
    let mut not_null_no_default = col("note", "text");
    not_null_no_default.nullable = false;
    let mut constant_default = col("qty2", "integer");
    constant_default.default = Some("0".into());
    let mut stable_default = col("at", "timestamp with time zone");
    stable_default.default = Some("now()".into());
    let mut volatile_default = col("token", "uuid");
    volatile_default.default = Some("gen_random_uuid()".into());
    let mut identity = col("n", "bigint");
    identity.identity = Some(Identity {
        generation: IdentityGeneration::ByDefault,
        options: SequenceOptions::default(),
    });
    let check = Check {
        name: "qty_positive".into(),
        expression: "(qty > 0)".into(),
        no_inherit: false,
        not_valid: false,
    };
    let unique_constraint = Index {
        constraint: true,
        ..Index::on_columns("orders_qty_key", &["qty"], true)
    };
    let o = q("orders");
    let changes = vec![
        Change::CreateEnum {
            enum_type: mood.clone(),
        },
        Change::AddEnumValue {
            enum_type: mood.clone(),
            value: "ok".into(),
            usages: vec![],
            moved: false,
            in_the_way: Default::default(),
        },
        Change::RemoveEnumValue {
            enum_type: mood.clone(),
            value: "ok".into(),
            usages: vec![(o.clone(), "mood".into())],
            moved: false,
            in_the_way: Default::default(),
        },
        Change::DropEnum { enum_type: mood },
        Change::CreateTable { table: orders() },
        Change::DropTable { table: orders() },
        Change::RenameTable {
            from: o.clone(),
            to: "purchases".into(),
        },
        Change::AddColumn {
            table: o.clone(),
            column: col("memo", "text"),
        },
        Change::AddColumn {
            table: o.clone(),
            column: constant_default,
        },
        Change::AddColumn {
            table: o.clone(),
            column: stable_default,
        },
        Change::AddColumn {
            table: o.clone(),
            column: volatile_default,
        },
        Change::AddColumn {
            table: o.clone(),
            column: identity,
        },
        Change::AddColumn {
            table: o.clone(),
            column: not_null_no_default,
        },
        Change::DropColumn {
            table: o.clone(),
            column: col("qty", "integer"),
        },
        Change::RenameColumn {
            table: o.clone(),
            from: "qty".into(),
            to: "quantity".into(),
        },
        Change::AlterColumnType {
            table: o.clone(),
            column: "qty".into(),
            from: Type::Integer,
            to: Type::BigInt,
            using: None,
            reverse_using: None,
            collation: None,
        },
        Change::SetNotNull {
            table: o.clone(),
            column: "qty".into(),
        },
        Change::DropNotNull {
            table: o.clone(),
            column: "qty".into(),
        },
        Change::AlterDefault {
            table: o.clone(),
            column: "qty".into(),
            from: None,
            to: Some("1".into()),
        },
        Change::AlterIdentity {
            table: o.clone(),
            column: "id".into(),
            from: None,
            to: Some(Identity {
                generation: IdentityGeneration::ByDefault,
                options: SequenceOptions::default(),
            }),
        },
        Change::AddIndex {
            table: o.clone(),
            index: Index::on_columns("idx-orders-qty", &["qty"], false),
        },
        Change::AddIndex {
            table: o.clone(),
            index: unique_constraint.clone(),
        },
        Change::DropIndex {
            table: o.clone(),
            index: unique_constraint,
        },
        Change::RenameIndex {
            table: o.clone(),
            from: "a".into(),
            to: "b".into(),
        },
        Change::AddPrimaryKey {
            table: o.clone(),
            primary_key: PrimaryKey {
                name: "orders_pkey".into(),
                columns: vec!["id".into()],
            },
        },
        Change::DropPrimaryKey {
            table: o.clone(),
            primary_key: PrimaryKey {
                name: "orders_pkey".into(),
                columns: vec!["id".into()],
            },
        },
        Change::AddForeignKey {
            table: o.clone(),
            foreign_key: fk(),
        },
        Change::DropForeignKey {
            table: o.clone(),
            foreign_key: fk(),
        },
        Change::RenameForeignKey {
            table: o.clone(),
            from: "a".into(),
            to: "b".into(),
        },
        Change::AddCheck {
            table: o.clone(),
            check: check.clone(),
        },
        Change::DropCheck {
            table: o.clone(),
            check,
        },
        Change::SetTableComment {
            table: o.clone(),
            from: None,
            to: Some("x".into()),
        },
        Change::SetColumnComment {
            table: o,
            column: "qty".into(),
            from: None,
            to: Some("x".into()),
        },
    ];
    let got: Vec<String> = changes
        .iter()
        .map(|c| format!("{}\n    {}", c.describe(), classify(c, &Schema::default())))
        .collect();
    expect![[r#"
        create enum public.mood ('sad', 'ok')
            no lock on an existing table
        add value 'ok' to enum public.mood after 'sad'
            no lock on an existing table
        remove value 'ok' from enum public.mood (recreates the type, converts 1 column)
            ACCESS EXCLUSIVE lock on public.orders, rewrites the table (each column is converted to the recreated type); can lose data
        drop enum public.mood
            no lock on an existing table
        create table public.orders (2 columns)
            no lock on an existing table
        drop table public.orders
            ACCESS EXCLUSIVE lock on public.orders; can lose data
        rename table public.orders to purchases
            ACCESS EXCLUSIVE lock on public.orders
        add column public.orders.memo (text)
            ACCESS EXCLUSIVE lock on public.orders
        add column public.orders.qty2 (integer, default 0)
            ACCESS EXCLUSIVE lock on public.orders (a non-volatile default is stored once in the catalog)
        add column public.orders.at (timestamp with time zone, default now())
            ACCESS EXCLUSIVE lock on public.orders (a non-volatile default is stored once in the catalog)
        add column public.orders.token (uuid, default gen_random_uuid())
            ACCESS EXCLUSIVE lock on public.orders, rewrites the table (the default gen_random_uuid() is volatile: evaluated for every row)
        add column public.orders.n (bigint, generated by default as identity)
            ACCESS EXCLUSIVE lock on public.orders, rewrites the table (an identity fills every row from its sequence)
        add column public.orders.note (text, not null)
            ACCESS EXCLUSIVE lock on public.orders, scans the table (NOT NULL without a default: fails if the table has rows)
        drop column public.orders.qty
            ACCESS EXCLUSIVE lock on public.orders (the column is hidden, not removed from disk); can lose data
        rename column public.orders.qty to quantity
            ACCESS EXCLUSIVE lock on public.orders
        change type of public.orders.qty from integer to bigint
            ACCESS EXCLUSIVE lock on public.orders, rewrites the table (integer → bigint: not binary coercible)
        set not null on public.orders.qty
            ACCESS EXCLUSIVE lock on public.orders, scans the table (every row is checked for NULL)
        drop not null on public.orders.qty
            ACCESS EXCLUSIVE lock on public.orders
        set default of public.orders.qty to 1
            ACCESS EXCLUSIVE lock on public.orders
        add identity to public.orders.id (generated by default as identity)
            ACCESS EXCLUSIVE lock on public.orders
        add index idx-orders-qty on public.orders (qty)
            SHARE lock on public.orders, scans the table (CREATE INDEX reads the whole table)
        add unique constraint orders_qty_key on public.orders (qty)
            ACCESS EXCLUSIVE lock on public.orders, scans the table (ADD CONSTRAINT … UNIQUE builds its index under ACCESS EXCLUSIVE)
        drop unique constraint orders_qty_key on public.orders
            ACCESS EXCLUSIVE lock on public.orders
        rename index a on public.orders to b
            no lock on an existing table (SHARE UPDATE EXCLUSIVE on the index only; the table is not locked)
        add primary key orders_pkey on public.orders (id)
            ACCESS EXCLUSIVE lock on public.orders, scans the table (builds the key's index and checks NOT NULL)
        drop primary key orders_pkey on public.orders
            ACCESS EXCLUSIVE lock on public.orders
        add foreign key fk-orders-user_id on public.orders (user_id) references public.users (id)
            SHARE ROW EXCLUSIVE lock on public.orders, scans the table; SHARE ROW EXCLUSIVE lock on public.users, scans the table (every row is checked against the referenced table)
        drop foreign key fk-orders-user_id on public.orders
            ACCESS EXCLUSIVE lock on public.orders; ACCESS EXCLUSIVE lock on public.users (the referenced table's triggers are dropped too)
        rename foreign key a on public.orders to b
            ACCESS EXCLUSIVE lock on public.orders
        add check qty_positive on public.orders ((qty > 0))
            ACCESS EXCLUSIVE lock on public.orders, scans the table (every row is checked)
        drop check qty_positive on public.orders
            ACCESS EXCLUSIVE lock on public.orders
        set comment on table public.orders to 'x'
            SHARE UPDATE EXCLUSIVE lock on public.orders
        set comment on column public.orders.qty to 'x'
            SHARE UPDATE EXCLUSIVE lock on public.orders
    "#]]
    .assert_eq(&(got.join("\n") + "\n"));
}

#[test]
fn binary_coercible_type_changes_do_not_rewrite() {
    let n = |p: u32, s: u32| Type::Numeric {
        precision: Some(p),
        scale: Some(s),
    };
    let ts = |p: Option<u32>, z: bool| Type::Timestamp {
        precision: p,
        with_time_zone: z,
    };
    // Each pair checked on PostgreSQL 15 by comparing pg_relation_filenode before and after.
    let cases = [
        (Type::varchar(Some(10)), Type::varchar(Some(20)), false),
        (Type::varchar(Some(20)), Type::varchar(Some(10)), true),
        (Type::varchar(Some(10)), Type::varchar(None), false),
        (Type::varchar(Some(10)), Type::Text, false),
        (Type::Text, Type::varchar(None), false),
        (Type::Text, Type::varchar(Some(10)), true),
        (
            Type::Char { length: Some(5) },
            Type::Char { length: Some(10) },
            true,
        ),
        (Type::Char { length: Some(5) }, Type::Text, true),
        (n(10, 2), n(12, 2), false),
        (n(10, 2), n(12, 3), true),
        (
            n(10, 2),
            Type::Numeric {
                precision: None,
                scale: None,
            },
            false,
        ),
        (
            Type::Numeric {
                precision: None,
                scale: None,
            },
            n(10, 2),
            true,
        ),
        (Type::Integer, Type::BigInt, true),
        (Type::SmallInt, Type::Integer, true),
        (ts(Some(3), false), ts(None, false), false),
        (ts(None, false), ts(Some(3), false), true),
        (ts(None, false), ts(None, true), true),
        (Type::Json, Type::Jsonb, true),
        (Type::Cidr, Type::Inet, false),
        (
            Type::array(Type::varchar(None)),
            Type::array(Type::Text),
            true,
        ),
        (
            Type::Bit {
                length: Some(5),
                varying: true,
            },
            Type::Bit {
                length: Some(10),
                varying: true,
            },
            false,
        ),
    ];
    for (from, to, rewrites) in cases {
        let (effect, why) = type_change_effect(&from, &to, false);
        assert_eq!(effect == Effect::Rewrite, rewrites, "{why}");
    }
    let (effect, _) = type_change_effect(&Type::varchar(Some(1)), &Type::Text, true);
    assert_eq!(effect, Effect::Rewrite, "USING always rewrites");
}

#[test]
fn set_not_null_skips_the_scan_with_a_not_null_check() {
    let mut t = orders();
    t.checks.push(Check {
        name: "qty_nn".into(),
        expression: "(qty IS NOT NULL)".into(),
        no_inherit: false,
        not_valid: false,
    });
    let schema = Schema {
        tables: vec![t],
        ..Schema::default()
    };
    let change = Change::SetNotNull {
        table: q("orders"),
        column: "qty".into(),
    };
    assert_eq!(classify(&change, &schema).effect(), Effect::None);
    assert_eq!(classify(&change, &Schema::default()).effect(), Effect::Scan);
    // A NOT VALID check says nothing about the rows already there: the scan stays.
    let mut not_valid = schema.clone();
    not_valid.tables[0].checks[0].not_valid = true;
    assert_eq!(classify(&change, &not_valid).effect(), Effect::Scan);
    // A check on another column, or one that is not exactly `IS NOT NULL`, does not prove it.
    let mut other = schema.clone();
    other.tables[0].checks[0].expression = "(id IS NOT NULL)".into();
    assert_eq!(classify(&change, &other).effect(), Effect::Scan);
    other.tables[0].checks[0].expression = "((qty IS NOT NULL) OR (id > 0))".into();
    assert_eq!(classify(&change, &other).effect(), Effect::Scan);
}

#[test]
fn volatility_of_defaults() {
    for (expr, volatile) in [
        ("0", false),
        ("'a(b)'::text", false),
        ("now()", false),
        ("CURRENT_TIMESTAMP", false),
        ("pg_catalog.now()", false),
        ("gen_random_uuid()", true),
        ("nextval('s'::regclass)", true),
        ("random()", true),
        ("clock_timestamp()", true),
        ("my_func()", true),
    ] {
        assert_eq!(is_volatile(expr), volatile, "{expr}");
    }
}

#[test]
fn tables_created_in_the_plan_are_not_listed() {
    let o = q("orders");
    let changes = vec![
        Change::CreateTable { table: orders() },
        Change::AddIndex {
            table: o.clone(),
            index: Index::on_columns("idx-orders-qty", &["qty"], false),
        },
        Change::AddForeignKey {
            table: o,
            foreign_key: fk(),
        },
    ];
    let got = classify_plan(&changes, &Schema::default());
    assert!(got[1].locks.is_empty());
    // The referenced table exists: it is still locked, but only for the catalog update (the
    // new table has no rows to check against it).
    assert_eq!(got[2].locks.len(), 1);
    assert_eq!(got[2].locks[0].table, q("users"));
    assert_eq!(got[2].locks[0].lock, Lock::ShareRowExclusive);
    assert_eq!(got[2].effect(), Effect::None);
    assert!(!got[2].is_long());
}
