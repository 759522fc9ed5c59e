//! `default_value` / `default_expr` → the default text Postgres stores.

mod common;

use expect_test::expect;

#[test]
fn defaults_as_postgres_stores_them() {
    let fixture = r#"
use sea_orm::entity::prelude::*;
#[derive(Clone, Debug, DeriveEntityModel)]
#[sea_orm(table_name = "d")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(default_value = "draft")] pub a: String,
    #[sea_orm(default_value = "it's")] pub b: String,
    #[sea_orm(default_value = 0)] pub c: i32,
    #[sea_orm(default_value = -1)] pub c2: i32,
    #[sea_orm(default_value = -2.5)] pub c3: f64,
    #[sea_orm(default_value = 10)] pub c4: i64,
    #[sea_orm(default_value = 9999999999i64)] pub c5: i64,
    #[sea_orm(default_value = "1.5")] pub c6: f64,
    #[sea_orm(default_value = "5")] pub c7: i32,
    #[sea_orm(default_value = "5")] pub c8: i64,
    #[sea_orm(default_value = "0.00", column_type = "Decimal(Some((10, 2)))")] pub c9: Decimal,
    #[sea_orm(default_value = 2.0)] pub c10: f32,
    #[sea_orm(default_value = 1.5)] pub d: f64,
    #[sea_orm(default_value = true)] pub e: bool,
    #[sea_orm(default_value = "x", column_type = "Char(Some(1))")] pub f: String,
    #[sea_orm(default_value = "hello", column_type = "Text")] pub g: String,
    #[sea_orm(default_value = 7)] pub h: String,
    #[sea_orm(default_expr = "Expr::current_timestamp()")] pub i: DateTimeUtc,
    #[sea_orm(default_expr = "Expr::current_date()")] pub j: Date,
    #[sea_orm(default_expr = "Expr::cust(\"gen_random_uuid()\")")] pub k: Uuid,
    #[sea_orm(default_expr = "Expr::cust(\"now() + interval '1 day'\")")] pub l: DateTimeUtc,
    #[sea_orm(default_expr = "Expr::val(42)")] pub m: i32,
    #[sea_orm(default_expr = "Expr::val(\"n/a\")")] pub n: String,
    #[sea_orm(default_expr = "Expr::value(-1)")] pub o: i32,
    #[sea_orm(default_expr = "Expr::keyword(Keyword::CurrentTimestamp)")] pub p: DateTime,
    #[sea_orm(default_expr = "Keyword::Null")] pub q: Option<i32>,
    #[sea_orm(default_expr = "Expr::cust(\"'[]'\")", column_type = "JsonBinary")] pub r: Json,
    #[sea_orm(default_expr = "Expr::col(Column::A)")] pub s: String,
    #[sea_orm(default_expr = "not valid rust (")] pub t: String,
    #[sea_orm(default_value = "2024-01-01")] pub u: Date,
    #[sea_orm(extra = "DEFAULT 5 NOT NULL")] pub v: Option<i32>,
    #[sea_orm(extra = "COLLATE \"C\" UNIQUE")] pub w: String,
    #[sea_orm(extra = "GENERATED ALWAYS AS (c * 2) STORED")] pub x: i32,
    #[sea_orm(default_expr = "Expr::val(1.25)", column_type = "Decimal(Some((5, 2)))")] pub y: Decimal,
}
"#;
    expect![[r#"
        table public.d @src/lib.rs:5:12
          id integer NOT NULL IDENTITY
          a character varying NOT NULL DEFAULT 'draft'::character varying
          b character varying NOT NULL DEFAULT 'it''s'::character varying
          c integer NOT NULL DEFAULT 0
          c2 integer NOT NULL DEFAULT '-1'::integer
          c3 double precision NOT NULL DEFAULT '-2.5'::numeric
          c4 bigint NOT NULL DEFAULT 10
          c5 bigint NOT NULL DEFAULT '9999999999'::bigint
          c6 double precision NOT NULL DEFAULT '1.5'::double precision
          c7 integer NOT NULL DEFAULT 5
          c8 bigint NOT NULL DEFAULT '5'::bigint
          c9 numeric(10,2) NOT NULL DEFAULT 0.00
          c10 real NOT NULL DEFAULT 2
          d double precision NOT NULL DEFAULT 1.5
          e boolean NOT NULL DEFAULT true
          f character(1) NOT NULL DEFAULT 'x'::bpchar
          g text NOT NULL DEFAULT 'hello'::text
          h character varying NOT NULL DEFAULT '7'::character varying
          i timestamp with time zone NOT NULL DEFAULT CURRENT_TIMESTAMP
          j date NOT NULL DEFAULT CURRENT_DATE
          k uuid NOT NULL DEFAULT gen_random_uuid()
          l timestamp with time zone NOT NULL DEFAULT now() + '1 day'::interval
          m integer NOT NULL DEFAULT 42
          n character varying NOT NULL DEFAULT 'n/a'::character varying
          o integer NOT NULL DEFAULT '-1'::integer
          p timestamp without time zone NOT NULL DEFAULT CURRENT_TIMESTAMP
          q integer NULL
          r jsonb NOT NULL DEFAULT '[]'::jsonb
          s character varying NOT NULL
          t character varying NOT NULL
          u date NOT NULL DEFAULT '2024-01-01'::date
          v integer NOT NULL DEFAULT 5 extra="DEFAULT 5 NOT NULL"
          w character varying NOT NULL COLLATE C extra="COLLATE \"C\" UNIQUE"
          x integer NOT NULL GENERATED (c * 2) extra="GENERATED ALWAYS AS (c * 2) STORED"
          y numeric(5,2) NOT NULL DEFAULT 1.25
          pk d_pkey (id)
          unique constraint d_w_key ("w")
        src/lib.rs:36:30: error: cannot read default_expr "not valid rust (": cannot parse string into token stream
          help: write a Rust expression such as "Expr::current_timestamp()" or "Expr::cust(\"now()\")"
        src/lib.rs:35:59: warning: cannot predict the default Postgres stores for `s`: `col(..)` is not an expression autogen can predict; the column's default is not compared
    "#]].assert_eq(&common::render(&common::load(fixture)));
}
