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
