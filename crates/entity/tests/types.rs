//! Rust types and `column_type` expressions → Postgres types; ActiveEnums and newtypes;
//! `[types]` overrides.

mod common;

use autogen_entity::LoadOptions;
use expect_test::{Expect, expect};

fn check(fixture: &str, expect: Expect) {
    expect.assert_eq(&common::render(&common::load(fixture)));
}

#[test]
fn column_type_expressions() {
    check(
        r#"
use sea_orm::entity::prelude::*;
#[derive(Clone, Debug, DeriveEntityModel)]
#[sea_orm(table_name = "t")]
pub struct Model {
    #[sea_orm(primary_key, column_type = "BigInteger")]
    pub id: i32,
    #[sea_orm(column_type = "String(StringLen::None)")] pub a: String,
    #[sea_orm(column_type = "String(StringLen::Max)")] pub b: String,
    #[sea_orm(column_type = "Char(Some(3))")] pub c: String,
    #[sea_orm(column_type = "Char(None)")] pub d: String,
    #[sea_orm(column_type = "Decimal(Some((16, 4)))")] pub e: Decimal,
    #[sea_orm(column_type = "Decimal(None)")] pub f: Decimal,
    #[sea_orm(column_type = "Money(None)")] pub g: Decimal,
    #[sea_orm(column_type = "custom(\"CITEXT\")")] pub h: String,
    #[sea_orm(column_type = "Custom(\"tsvector\".into())")] pub i: String,
    #[sea_orm(column_type = "Array(RcOrArc::new(ColumnType::Integer))")] pub j: Vec<i32>,
    #[sea_orm(column_type = "Array(sea_orm::sea_query::RcOrArc::new(ColumnType::String(StringLen::N(20))))")] pub k: Vec<String>,
    #[sea_orm(column_type = "Timestamp")] pub l: DateTime,
    #[sea_orm(column_type = "TimestampWithTimeZone")] pub m: DateTimeUtc,
    #[sea_orm(column_type = "Time")] pub n: Time,
    #[sea_orm(column_type = "Interval(Some(PgInterval::YearToMonth), None)")] pub o: String,
    #[sea_orm(column_type = "Interval(None, Some(3))")] pub p: String,
    #[sea_orm(column_type = "Binary(16)")] pub q: Vec<u8>,
    #[sea_orm(column_type = "VarBinary(StringLen::N(8))")] pub r: Vec<u8>,
    #[sea_orm(column_type = "Blob")] pub s: Vec<u8>,
    #[sea_orm(column_type = "Bit(Some(8))")] pub t: Vec<u8>,
    #[sea_orm(column_type = "Bit(None)")] pub u: Vec<u8>,
    #[sea_orm(column_type = "VarBit(64)")] pub v: Vec<u8>,
    #[sea_orm(column_type = "Cidr")] pub w: String,
    #[sea_orm(column_type = "Inet")] pub x: String,
    #[sea_orm(column_type = "MacAddr")] pub y: String,
    #[sea_orm(column_type = "Vector(Some(3))")] pub z: Vec<f32>,
    #[sea_orm(column_type = "LTree")] pub aa: String,
    #[sea_orm(column_type = "Enum { name: \"mood\".into_iden(), variants: vec![\"happy\".into_iden(), \"sad\".into_iden()] }")] pub ab: String,
    #[sea_orm(column_type = "Json")] pub ac: Json,
    #[sea_orm(column_type = "Uuid")] pub ad: Uuid,
    #[sea_orm(column_type = "Float")] pub ae: f64,
    #[sea_orm(column_type = "TinyUnsigned")] pub af: u8,
    #[sea_orm(column_type = "Boolean")] pub ag: bool,
    #[sea_orm(column_type = "Date")] pub ah: Date,
}
"#,
        expect![[r#"
            enum public.mood (happy, sad)
            table public.t @src/lib.rs:5:12
              id bigint NOT NULL IDENTITY
              a character varying NOT NULL
              b character varying NOT NULL
              c character(3) NOT NULL
              d character(1) NOT NULL
              e numeric(16,4) NOT NULL
              f numeric NOT NULL
              g money NOT NULL
              h citext NOT NULL
              i tsvector NOT NULL
              j integer[] NOT NULL
              k character varying(20)[] NOT NULL
              l timestamp without time zone NOT NULL
              m timestamp with time zone NOT NULL
              n time without time zone NOT NULL
              o interval year to month NOT NULL
              p interval(3) NOT NULL
              q bytea NOT NULL
              r bytea NOT NULL
              s bytea NOT NULL
              t bit(8) NOT NULL
              u bit(1) NOT NULL
              v bit varying(64) NOT NULL
              w cidr NOT NULL
              x inet NOT NULL
              y macaddr NOT NULL
              z vector(3) NOT NULL
              aa ltree NOT NULL
              ab public.mood NOT NULL
              ac json NOT NULL
              ad uuid NOT NULL
              ae real NOT NULL
              af smallint NOT NULL
              ag boolean NOT NULL
              ah date NOT NULL
              pk t_pkey (id)
        "#]],
    );
}

#[test]
fn value_types_active_enums_and_aliases() {
    check(
        r#"
//- src/lib.rs
pub mod types;
pub mod account;
//- src/types.rs
use sea_orm::entity::prelude::*;
#[derive(Clone, Debug, PartialEq, DeriveValueType)]
pub struct Email(String);
#[derive(Clone, Debug, PartialEq, DeriveValueType)]
pub struct Cents(pub i64);
#[derive(Clone, Debug, PartialEq, DeriveValueType)]
#[sea_orm(column_type = "Text")]
pub struct Bio(String);
#[derive(Clone, Debug, PartialEq, DeriveValueType)]
pub struct Wrapped(pub Email);
#[derive(Clone, Debug, PartialEq, DeriveValueType)]
#[sea_orm(value_type = "String")]
pub struct Tag { inner: String }
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, FromJsonQueryResult)]
pub struct Settings { dark: bool }
#[derive(Clone, Debug, PartialEq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(8))")]
pub enum Plan { #[sea_orm(string_value = "free")] Free }
#[derive(Clone, Debug, PartialEq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "i32", db_type = "Integer")]
pub enum Level { One = 1, Two = 2 }
#[derive(Clone, Debug, PartialEq, EnumIter, DeriveActiveEnum)]
#[sea_orm(db_type = "Enum", rename_all = "camelCase")]
pub enum account_role { SuperUser, #[sea_orm(string_value = "plain")] Plain, #[sea_orm(rename = "UPPERCASE")] Guest }
pub type Amount = Cents;
//- src/account.rs
use sea_orm::entity::prelude::*;
use crate::types::{self, Email, Amount};
#[derive(Clone, Debug, DeriveEntityModel)]
#[sea_orm(table_name = "account")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub email: Email,
    pub balance: Amount,
    pub bio: Option<types::Bio>,
    pub backup: types::Wrapped,
    pub tag: types::Tag,
    pub settings: types::Settings,
    pub plan: types::Plan,
    pub level: types::Level,
    pub role: types::account_role,
    pub roles: Vec<types::account_role>,
    pub history: Vec<Option<Email>>,
}
"#,
        expect![[r#"
            enum public.AccountRole (superUser, plain, GUEST)
            table public.account @src/account.rs:5:12
              email character varying NOT NULL
              balance bigint NOT NULL
              bio text NULL
              backup character varying NOT NULL
              tag character varying NOT NULL
              settings json NOT NULL
              plan character varying(8) NOT NULL
              level integer NOT NULL
              role public."AccountRole" NOT NULL
              roles public."AccountRole"[] NOT NULL
              history character varying[] NOT NULL
              pk account_pkey (email)
            src/account.rs:15:9: warning: enum name `AccountRole` has upper case letters: SeaORM creates type "AccountRole" but writes the column type unquoted (Postgres reads `accountrole`)
        "#]],
    );
}

#[test]
fn unresolved_types_are_warnings_and_strict_errors_unless_declared_in_config() {
    let fixture = r#"
//- src/lib.rs
macro_rules! newtype { ($n:ident, $t:ty) => { #[derive(DeriveValueType)] pub struct $n(pub $t); } }
newtype!(Money, i64);
pub mod wallet;
//- src/wallet.rs
use sea_orm::entity::prelude::*;
use crate::Money;
#[derive(Clone, Debug, DeriveEntityModel)]
#[sea_orm(table_name = "wallet")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub amount: Money,
    pub other: external_crate::Thing,
    pub plain: NotAType,
}
pub struct NotAType;
"#;
    expect![[r#"
        table public.wallet @src/wallet.rs:5:12
          id integer NOT NULL IDENTITY
          amount bigint NOT NULL
          other ?(external_crate::Thing) NOT NULL
          plain ?(NotAType) NOT NULL
          pk wallet_pkey (id)
        src/wallet.rs:9:9: warning: cannot resolve the column type of `wallet.other` (`external_crate::Thing`): it is not a type SeaORM knows; the column's type is not compared, and a migration cannot add the column
          help: declare it in autogen.toml, e.g. [types] "external_crate::Thing" = "text"
        src/wallet.rs:10:9: warning: cannot resolve the column type of `wallet.plain` (`NotAType`): it is neither an ActiveEnum (DeriveActiveEnum) nor a newtype (DeriveValueType); the column's type is not compared, and a migration cannot add the column
          help: declare it in autogen.toml, e.g. [types] "NotAType" = "text"
    "#]].assert_eq(&common::render(&common::load(fixture)));
    let mut opts = LoadOptions::default();
    opts.type_overrides
        .insert("crate::Money".into(), "numeric(12,2)".into());
    opts.type_overrides
        .insert("external_crate::Thing".into(), "hstore".into());
    opts.type_overrides.insert("NotAType".into(), "text".into());
    expect![[r#"
        table public.wallet @src/wallet.rs:5:12
          id integer NOT NULL IDENTITY
          amount numeric(12,2) NOT NULL
          other hstore NOT NULL
          plain text NOT NULL
          pk wallet_pkey (id)
    "#]]
    .assert_eq(&common::render(&common::load_with(fixture, &opts)));
    // Strict types: the same fields are errors.
    let strict = LoadOptions {
        strict_types: true,
        ..LoadOptions::default()
    };
    let loaded = common::load_with(fixture, &strict);
    let errors: Vec<String> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity == autogen_entity::Severity::Error)
        .map(|d| format!("{}:{}: {}", d.line, d.column, d.message))
        .collect();
    expect![[r#"
        9:9: cannot resolve the column type of `wallet.other` (`external_crate::Thing`): it is not a type SeaORM knows
        10:9: cannot resolve the column type of `wallet.plain` (`NotAType`): it is neither an ActiveEnum (DeriveActiveEnum) nor a newtype (DeriveValueType)"#]].assert_eq(&errors.join("\n"));
}

#[test]
fn hand_written_value_types_and_other_spellings() {
    check(
        r#"
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::{ColumnType, ValueType};
#[derive(Clone, Debug, DeriveEntityModel)]
#[sea_orm(table_name = "misc")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: uuid::fmt::Hyphenated,
    pub events: Events,
    pub mirrored: Mirror,
    pub kind: Kind,
    #[sea_orm(column_type = "var_binary(32)")]
    pub bytes: Vec<u8>,
    #[sea_orm(column_type = "string(Some(12))")]
    pub code: String,
}
pub struct Events(pub Vec<String>);
impl ValueType for Events {
    fn column_type() -> ColumnType {
        ColumnType::Array(RcOrArc::new(ColumnType::String(StringLen::None)))
    }
}
pub struct Mirror(String);
impl sea_orm::sea_query::ValueType for Mirror {
    fn column_type() -> ColumnType {
        <String as ValueType>::column_type()
    }
}
#[derive(Clone, Debug, PartialEq, DeriveValueType)]
#[sea_orm(value_type = "String", from_str = "Kind::from_str", to_str = "Kind::to_str", column_type = "Text")]
pub enum Kind { A, B }
"#,
        expect![[r#"
            table public.misc @src/lib.rs:6:12
              id uuid NOT NULL
              events character varying[] NOT NULL
              mirrored character varying NOT NULL
              kind text NOT NULL
              bytes bytea NOT NULL
              code character varying(12) NOT NULL
              pk misc_pkey (id)
        "#]],
    );
}

#[test]
fn every_built_in_type_name() {
    check(
        r#"
use sea_orm::entity::prelude::*;
use std::borrow::Cow;
#[derive(Clone, Debug, DeriveEntityModel)]
#[sea_orm(table_name = "builtins")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i16,
    pub a: Cow<'static, str>,
    pub b: TextUuid,
    pub c: u8,
    pub d: u16,
    pub e: u32,
    pub f: u64,
    pub g: i8,
    pub h: BigDecimal,
    pub i: chrono::NaiveDate,
    pub j: ChronoTime,
    pub k: time::PrimitiveDateTime,
    pub l: TimeDateTimeWithTimeZone,
    pub m: chrono::DateTime<chrono::FixedOffset>,
    pub n: ChronoUnixTimestamp,
    pub o: TimeUnixTimestampMillis,
    pub p: uuid::fmt::Simple,
    pub q: serde_json::Value,
    pub r: ipnetwork::IpNetwork,
    pub s: mac_address::MacAddress,
    pub t: PgVector,
    pub u: jiff::Timestamp,
    pub v: jiff::civil::DateTime,
    pub w: Vec<Option<i64>>,
    pub x: Option<Vec<Vec<f32>>>,
    pub y: char,
    pub z: DateTimeLocal,
    pub not_null_option: std::option::Option<String>,
}
"#,
        expect![[r#"
            table public.builtins @src/lib.rs:6:12
              id smallint NOT NULL IDENTITY
              a character varying NOT NULL
              b character varying NOT NULL
              c smallint NOT NULL
              d integer NOT NULL
              e bigint NOT NULL
              f bigint NOT NULL
              g smallint NOT NULL
              h numeric NOT NULL
              i date NOT NULL
              j time without time zone NOT NULL
              k timestamp without time zone NOT NULL
              l timestamp with time zone NOT NULL
              m timestamp with time zone NOT NULL
              n bigint NOT NULL
              o bigint NOT NULL
              p uuid NOT NULL
              q json NOT NULL
              r inet NOT NULL
              s macaddr NOT NULL
              t vector NOT NULL
              u timestamp with time zone NOT NULL
              v timestamp without time zone NOT NULL
              w bigint[] NOT NULL
              x real[] NULL
              y character(1) NOT NULL
              z timestamp with time zone NOT NULL
              not_null_option character varying NOT NULL
              pk builtins_pkey (id)
        "#]],
    );
}

/// sea-orm's own test entity `bits` spells `column_type = r#"custom("BIT")"#`: in SQL text
/// `bit` and `char` without a length mean length 1, which is what Postgres stores.
#[test]
fn custom_sql_types_without_length_mean_length_one() {
    check(
        r##"
use sea_orm::entity::prelude::*;
#[derive(Clone, Debug, DeriveEntityModel)]
#[sea_orm(table_name = "bits")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(column_type = r#"custom("BIT")"#, select_as = "BIGINT", save_as = "BIT")]
    pub bit0: i64,
    #[sea_orm(column_type = r#"custom("BIT(8)")"#)] pub bit8: i64,
    #[sea_orm(column_type = r#"custom("bit varying")"#)] pub varbit: String,
    #[sea_orm(column_type = r#"custom("CHAR")"#)] pub c: String,
    #[sea_orm(column_type = r#"custom("character[]")"#)] pub cs: Vec<String>,
    #[sea_orm(column_type = r#"custom("bpchar")"#)] pub bp: String,
}
"##,
        expect![[r#"
            table public.bits @src/lib.rs:5:12
              id integer NOT NULL IDENTITY
              bit0 bit(1) NOT NULL
              bit8 bit(8) NOT NULL
              varbit bit varying NOT NULL
              c character(1) NOT NULL
              cs character(1)[] NOT NULL
              bp character NOT NULL
              pk bits_pkey (id)
        "#]],
    );
}

/// A generic alias stands for its body with the arguments put in; only the spelling
/// `Option<..>` makes a column nullable, so `Maybe<i32>` is `integer NOT NULL` (checked against
/// SeaORM 2.0.4, which writes `"maybe" integer NOT NULL`).
#[test]
fn generic_type_aliases() {
    check(
        r#"
use sea_orm::entity::prelude::*;
pub type Maybe<T> = Option<T>;
pub type List<T> = Vec<T>;
pub type Stamp<Tz> = chrono::DateTime<Tz>;
pub type Id = i64;

#[derive(Clone, Debug, DeriveEntityModel)]
#[sea_orm(table_name = "t")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: Id,
    pub maybe: Maybe<i32>,
    pub list: List<String>,
    pub list_opt: Option<List<Uuid>>,
    pub at: Stamp<chrono::Utc>,
}
"#,
        expect![[r#"
            table public.t @src/lib.rs:10:12
              id bigint NOT NULL IDENTITY
              maybe integer NOT NULL
              list character varying[] NOT NULL
              list_opt uuid[] NULL
              at timestamp with time zone NOT NULL
              pk t_pkey (id)
        "#]],
    );
}

/// A MySQL-first `id: u32` key (sea-orm's own issue 630 entity): Postgres would store it as
/// `bigint`, but sea-query has no identity for `ColumnType::Unsigned` and panics. Projects whose
/// tables come from hand-written migrations use such keys at run time, so this is a warning
/// (naming the ColumnType) and the key is predicted as the auto-increment column such a
/// migration makes, not an error that blocks the whole project.
#[test]
fn unsigned_auto_increment_keys_are_warnings_naming_the_column_type() {
    check(
        r#"
use sea_orm::entity::prelude::*;
#[derive(Clone, Debug, DeriveEntityModel)]
#[sea_orm(table_name = "underscores")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: u32,
    pub a_b_c_d: i32,
}

pub mod fine {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, DeriveEntityModel)]
    #[sea_orm(table_name = "fine")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: u64,
    }
}
"#,
        expect![[r#"
            table public.fine @src/lib.rs:15:16
              id bigint NOT NULL
              pk fine_pkey (id)
            table public.underscores @src/lib.rs:5:12
              id bigint NOT NULL IDENTITY
              a_b_c_d integer NOT NULL
              pk underscores_pkey (id)
            src/lib.rs:7:9: warning: SeaORM cannot create `id` (bigint, ColumnType::Unsigned) as an auto-increment key on Postgres (sea-query panics); autogen assumes an auto-increment bigint column
              help: use i16/i32/i64 for a key SeaORM can create, or add #[sea_orm(auto_increment = false)]
        "#]],
    );
}

#[test]
fn a_written_auto_increment_on_a_uuid_key_is_a_warning_and_a_plain_key() {
    check(
        r#"
use sea_orm::entity::prelude::*;
pub type Id = Uuid;
#[derive(Clone, Debug, DeriveEntityModel)]
#[sea_orm(table_name = "a")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = true)]
    pub id: Id,
}
"#,
        expect![[r#"
            table public.a @src/lib.rs:6:12
              id uuid NOT NULL
              pk a_pkey (id)
            src/lib.rs:8:9: warning: `id` (uuid) cannot be auto-increment on Postgres (SeaORM's SchemaBuilder panics on it); autogen predicts a plain key
              help: remove auto_increment = true, or use i16/i32/i64
        "#]],
    );
}
