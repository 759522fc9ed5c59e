//! Bad input: each problem is a diagnostic with file:line:col and a suggestion, never a panic.

mod common;

use expect_test::{Expect, expect};

fn check(fixture: &str, expect: Expect) {
    expect.assert_eq(&common::render(&common::load(fixture)));
}

#[test]
fn entity_problems() {
    check(
        r#"
use sea_orm::entity::prelude::*;
#[derive(Clone, Debug, DeriveEntityModel)]
#[sea_orm(table_name = "no_pk", tabel_comment = "typo")]
pub struct Model {
    pub id: i32,
    #[sea_orm(column_type = "Strng(StringLen::N(3))")]
    pub a: String,
    #[sea_orm(column_type = "String(StringLen::N(",)]
    pub b: String,
    #[sea_orm(column_type = "Year")]
    pub c: i32,
    #[sea_orm(auto_increment = true)]
    pub d: i32,
    #[sea_orm(rename_all = "shouting")]
    pub e: i32,
    #[sea_orm(default_value)]
    pub f: i32,
    #[sea_orm(primary_key = )]
    pub g: i32,
}
#[derive(Clone, Debug, DeriveEntityModel)]
pub struct NoTable {
    pub id: i32,
}
#[derive(Clone, Debug, PartialEq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String")]
pub enum NoDbType { A }
#[derive(Clone, Debug, PartialEq, EnumIter, DeriveActiveEnum)]
#[sea_orm(db_type = "Enum", enum_name = "half")]
pub enum Half { #[sea_orm(string_value = "a")] A, B }
pub mod more {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, DeriveEntityModel)]
    #[sea_orm(table_name = "uses_bad_enums")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub x: super::NoDbType,
        pub y: super::Half,
        pub z: super::Half,
    }
}
"#,
        expect![[r#"
            table public.no_pk @src/lib.rs:5:12
              id integer NOT NULL
              d integer NOT NULL
              e integer NOT NULL
              f integer NOT NULL
              g integer NOT NULL
            table public.uses_bad_enums @src/lib.rs:36:16
              id integer NOT NULL IDENTITY
              pk uses_bad_enums_pkey (id)
            src/lib.rs:4:33: warning: unknown key `tabel_comment` in #[sea_orm(...)] on an entity model; ignored
            src/lib.rs:7:29: error: cannot read column_type "Strng(StringLen::N(3))": unknown column type `Strng`
              help: write a sea_query ColumnType expression, e.g. "String(StringLen::N(255))", "Decimal(Some((16, 4)))", "Text", "custom(\"citext\")"
            src/lib.rs:9:29: error: cannot read column_type "String(StringLen::N(": not a Rust expression: cannot parse string into token stream
              help: write a sea_query ColumnType expression, e.g. "String(StringLen::N(255))", "Decimal(Some((16, 4)))", "Text", "custom(\"citext\")"
            src/lib.rs:13:15: error: auto_increment can only be used on primary_key
            src/lib.rs:15:15: warning: unknown key `rename_all` in #[sea_orm(...)] on a model field; ignored
            src/lib.rs:17:15: error: default_value must be a literal
            src/lib.rs:19:15: error: cannot read #[sea_orm(...)]: `primary_key =` needs a value
            src/lib.rs:23:12: warning: `NoTable` derives DeriveEntityModel without #[sea_orm(table_name = "..")]; SeaORM makes no entity of it
            src/lib.rs:28:10: error: ActiveEnum `NoDbType` has no db_type
              help: add #[sea_orm(db_type = "Enum", enum_name = "...")] or a column type such as db_type = "String(StringLen::N(16))"
            src/lib.rs:31:51: error: variant `B` of native enum `half` has no string value
              help: add #[sea_orm(string_value = "...")] or rename_all on the enum
            src/lib.rs:12:9: error: column `no_pk.c`: `Year` is not available in Postgres (sea-query panics on it)
            src/lib.rs:5:12: error: entity `no_pk` has no primary key
              help: mark the key field(s) with #[sea_orm(primary_key)]
        "#]],
    );
}

#[test]
fn dense_and_expanded_problems() {
    check(
        r#"
//- src/lib.rs
mod dense;
mod expanded;
mod gated;
//- src/dense.rs
use sea_orm::entity::prelude::*;
#[sea_orm::model]
#[derive(Clone, Debug, DeriveEntityModel)]
#[sea_orm(table_name = "dense")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub other_id: i32,
    #[sea_orm(belongs_to, from = "other_id")]
    pub no_to: HasOne<super::expanded::Entity>,
    #[sea_orm(belongs_to, from = "other_id", to = "id", fk_name = "not_in_dense")]
    pub many: HasMany<super::expanded::Entity>,
    #[sea_orm(belongs_to, from = "other_id", to = "id", on_update = "Sometimes")]
    pub odd: HasOne<super::expanded::Entity>,
}
//- src/expanded.rs
use sea_orm::entity::prelude::*;
#[derive(Copy, Clone, Default, Debug, DeriveEntity)]
pub struct Entity;
impl EntityName for Entity {
    fn table_name(&self) -> &'static str { "expanded" }
}
#[derive(Copy, Clone, Debug, EnumIter, DeriveColumn)]
pub enum Column { Id, Missing, Weird }
#[derive(Copy, Clone, Debug, EnumIter, DerivePrimaryKey)]
pub enum PrimaryKey { Id }
impl PrimaryKeyTrait for PrimaryKey {
    type ValueType = i32;
    fn auto_increment() -> bool { true }
}
impl ColumnTrait for Column {
    type EntityName = Entity;
    fn def(&self) -> ColumnDef {
        match self {
            Self::Id => ColumnType::Integer.def().frobnicate(),
            Self::Weird => some_function().def(),
        }
    }
}
//- src/gated.rs
use sea_orm::entity::prelude::*;
#[cfg_attr(feature = "db", derive(DeriveEntityModel))]
#[cfg_attr(feature = "db", sea_orm(table_name = "gated"))]
pub struct Model {
    #[cfg_attr(feature = "db", sea_orm(primary_key, column_type = "Text"))]
    pub code: String,
}
"#,
        expect![[r#"
            table public.dense @src/dense.rs:5:12
              id integer NOT NULL IDENTITY
              other_id integer NOT NULL
              pk dense_pkey (id)
              fk fk-dense-other_id (other_id) -> public.expanded (id) on delete NO ACTION on update NO ACTION
            table public.expanded @src/expanded.rs:4:21
              id integer NOT NULL IDENTITY
              pk expanded_pkey (id)
            table public.gated @src/gated.rs:4:12
              code text NOT NULL
              pk gated_pkey (code)
            src/dense.rs:10:9: error: #[sea_orm(belongs_to)] must include to = ".." naming the column(s)
            src/dense.rs:11:57: warning: unknown key `fk_name` in #[sea_orm(...)] on a model field; ignored
            src/dense.rs:12:9: error: belongs_to must be paired with BelongsTo or HasOne
            src/dense.rs:13:57: error: unknown on_update action `Sometimes`
              help: use one of Cascade, Restrict, SetNull, NoAction, SetDefault
            src/expanded.rs:8:19: warning: unknown ColumnDef method `frobnicate`; ignored
            src/expanded.rs:8:23: error: Column::Missing has no arm in `impl ColumnTrait for Column`'s def()
            src/expanded.rs:8:32: error: cannot read the column type of Column::Weird: unknown column type `some_function`
              help: write `ColumnType::String(StringLen::N(255)).def()` or `MyEnum::db_type()`
        "#]],
    );
}

/// Malformed SQL in `extra` and in a custom `default_expr` is an error at the field, never a
/// panic (issue 10: `CHECK (a::"int4 > 0)` panicked the expression comparison).
#[test]
fn malformed_sql_strings() {
    check(
        r#"
use sea_orm::entity::prelude::*;
#[derive(Clone, Debug, DeriveEntityModel)]
#[sea_orm(table_name = "t")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(extra = "CHECK (a::\"int4 > 0)")]
    pub a: i32,
    #[sea_orm(extra = "CHECK (b > 0")]
    pub b: i32,
    #[sea_orm(default_expr = "Expr::cust(\"'x\")")]
    pub c: String,
    #[sea_orm(default_expr = "Expr::cust(\"1) FROM t; SELECT (1\")")]
    pub d: String,
}
"#,
        expect![[r#"
            table public.t @src/lib.rs:5:12
              id integer NOT NULL IDENTITY
              a integer NOT NULL extra="CHECK (a::\"int4 > 0)"
              b integer NOT NULL extra="CHECK (b > 0"
              c character varying NOT NULL
              d character varying NOT NULL
              pk t_pkey (id)
            src/lib.rs:9:9: error: extra = "CHECK (a::\"int4 > 0)" is not valid SQL: unterminated quoted identifier (at byte 10)
            src/lib.rs:11:9: error: extra = "CHECK (b > 0" is not valid SQL: `(` is never closed (at byte 6)
            src/lib.rs:13:9: error: default_expr cust("'x") is not one well-formed SQL expression: unterminated string literal (at byte 0)
            src/lib.rs:15:9: error: default_expr cust("1) FROM t; SELECT (1") is not one well-formed SQL expression: `)` without a matching `(` (at byte 1)
        "#]],
    );
}
