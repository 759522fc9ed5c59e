//! The three entity formats and the field attributes with a schema effect.

mod common;

use expect_test::{Expect, expect};

fn check(fixture: &str, expect: Expect) {
    expect.assert_eq(&common::render(&common::load(fixture)));
}

#[test]
fn compact_every_field_attribute() {
    check(
        r#"
use sea_orm::entity::prelude::*;

/// Doc comments, serde and other derives are skipped.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[sea_orm(table_name = "items", schema_name = "shop", comment = "Things we sell")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i32,
    #[sea_orm(column_type = "String(StringLen::N(255))", unique)]
    pub name: String,
    #[sea_orm(column_name = "desc", column_type = "Text", nullable, comment = "Shown on the page")]
    pub description: String,
    #[sea_orm(indexed)]
    pub category: String,
    #[sea_orm(indexed, unique)]
    pub code: String,
    #[sea_orm(unique_key = "pair")]
    pub left_part: i32,
    #[sea_orm(unique_key = "pair")]
    pub right_part: i32,
    #[sea_orm(renamed_from = "qty_old", extra = "CHECK (qty >= 0)")]
    pub qty: i32,
    #[sea_orm(ignore)]
    pub computed: String,
    #[serde(skip)]
    #[cfg_attr(feature = "with-db", sea_orm(column_type = "JsonBinary"))]
    pub attrs: Json,
    #[sea_orm(enum_name = "Kind")]
    pub item_kind: String,
    #[sea_orm(select_as = "text", save_as = "citext", colour = "red")]
    pub shade: String,
    pub r#type: String,
    pub _private: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}
"#,
        expect![[r#"
            table shop.items @src/lib.rs:8:12
              comment "Things we sell"
              id integer NOT NULL
              name character varying(255) NOT NULL
              desc text NULL comment="Shown on the page"
              category character varying NOT NULL
              code character varying NOT NULL
              left_part integer NOT NULL
              right_part integer NOT NULL
              qty integer NOT NULL renamed_from="qty_old" extra="CHECK (qty >= 0)"
              attrs jsonb NOT NULL
              kind character varying NOT NULL
              shade character varying NOT NULL
              type character varying NOT NULL
              private bigint NULL
              pk items_pkey (id)
              index idx-items-category ("category")
              unique index idx-items-pair ("left_part", "right_part")
              unique constraint items_code_key ("code")
              unique constraint items_name_key ("name")
              check items_qty_check (qty >= 0)
            src/lib.rs:32:55: warning: unknown key `colour` in #[sea_orm(...)] on a model field; ignored
        "#]],
    );
}

#[test]
fn compact_struct_rename_all_and_auto_increment_rules() {
    check(
        r#"
//- src/camel.rs
use sea_orm::entity::prelude::*;
#[derive(Clone, Debug, DeriveEntityModel)]
#[sea_orm(table_name = "camel", rename_all = "camelCase")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub row_id: i64,
    pub first_name: String,
    #[sea_orm(column_name = "kept_as_is")]
    pub other_name: String,
}
//- src/codes.rs
use sea_orm::entity::prelude::*;
#[derive(Clone, Debug, DeriveEntityModel)]
#[sea_orm(table_name = "codes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub code: String,
}
//- src/pairs.rs
use sea_orm::entity::prelude::*;
#[derive(Clone, Debug, DeriveEntityModel)]
#[sea_orm(table_name = "pairs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub a: i32,
    #[sea_orm(primary_key)]
    pub b: i32,
}
//- src/lib.rs
mod camel;
mod codes;
mod pairs;
"#,
        expect![[r#"
            table public.camel @src/camel.rs:4:12
              rowId bigint NOT NULL IDENTITY
              firstName character varying NOT NULL
              kept_as_is character varying NOT NULL
              pk camel_pkey (rowId)
            table public.codes @src/codes.rs:4:12
              code character varying NOT NULL
              pk codes_pkey (code)
            table public.pairs @src/pairs.rs:4:12
              a integer NOT NULL
              b integer NOT NULL
              pk pk-pairs (a, b)
        "#]],
    );
}

#[test]
fn dense_format() {
    check(
        r#"
//- src/lib.rs
mod cake;
mod fruit;
//- src/cake.rs
use sea_orm::entity::prelude::*;
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "cake")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub name: String,
    pub parent_id: Option<i32>,
    #[sea_orm(self_ref, relation_enum = "Parent", from = "parent_id", to = "id")]
    pub parent: HasOne<Entity>,
    #[sea_orm(has_many)]
    pub fruits: HasMany<super::fruit::Entity>,
}
impl ActiveModelBehavior for ActiveModel {}
//- src/fruit.rs
use sea_orm::entity::prelude::*;
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "fruit")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub cake_id: Option<i32>,
    #[sea_orm(belongs_to, from = "cake_id", to = "id", on_delete = "SetNull", on_update = "Cascade")]
    pub cake: HasOne<super::cake::Entity>,
    pub box_a: i32,
    pub box_b: i32,
    #[sea_orm(belongs_to, from = "(box_a, box_b)", to = "(id, id)", skip_fk)]
    pub boxed: BelongsTo<Option<super::cake::Entity>>,
}
"#,
        expect![[r#"
            table public.cake @src/cake.rs:5:12
              id integer NOT NULL IDENTITY
              name character varying NOT NULL
              parent_id integer NULL
              pk cake_pkey (id)
              fk fk-cake-parent_id (parent_id) -> public.cake (id) on delete NO ACTION on update NO ACTION
            table public.fruit @src/fruit.rs:5:12
              id integer NOT NULL IDENTITY
              cake_id integer NULL
              box_a integer NOT NULL
              box_b integer NOT NULL
              pk fruit_pkey (id)
              fk fk-fruit-cake_id (cake_id) -> public.cake (id) on delete SET NULL on update CASCADE
        "#]],
    );
}

#[test]
fn expanded_format() {
    check(
        r#"
//- src/lib.rs
mod cake;
mod fruit;
//- src/cake.rs
use sea_orm::entity::prelude::*;
#[derive(Copy, Clone, Default, Debug, DeriveEntity)]
pub struct Entity;
impl EntityName for Entity {
    fn schema_name(&self) -> Option<&str> { Some("bakery") }
    fn table_name(&self) -> &'static str { "cake" }
}
#[derive(Copy, Clone, Debug, EnumIter, DeriveColumn)]
pub enum Column { Id, Name, #[sea_orm(column_name = "price_cents")] Price, Status }
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
            Self::Id => ColumnType::Integer.def(),
            Self::Name => ColumnType::String(StringLen::N(255u32)).def().unique().indexed(),
            Self::Price => ColumnType::BigInteger.def().null().default_value(0),
            Self::Status => Status::db_type(),
        }
    }
}
#[derive(Debug, Clone, PartialEq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "Enum", enum_name = "cake_status")]
pub enum Status { #[sea_orm(string_value = "fresh")] Fresh }
//- src/fruit.rs
use sea_orm::entity::prelude::*;
#[derive(Copy, Clone, Default, Debug, DeriveEntity)]
#[sea_orm(table_name = "fruit")]
pub struct Entity;
#[derive(Copy, Clone, Debug, EnumIter, DeriveColumn)]
pub enum Column { Id, CakeId }
#[derive(Copy, Clone, Debug, EnumIter, DerivePrimaryKey)]
pub enum PrimaryKey { Id }
impl PrimaryKeyTrait for PrimaryKey {
    type ValueType = i32;
    fn auto_increment() -> bool { false }
}
impl ColumnTrait for Column {
    type EntityName = Entity;
    fn def(&self) -> ColumnDef {
        match self {
            Self::Id => ColumnType::Integer.def(),
            Self::CakeId => ColumnType::Integer.def().null(),
        }
    }
}
#[derive(Copy, Clone, Debug, EnumIter)]
pub enum Relation { Cake }
impl RelationTrait for Relation {
    fn def(&self) -> RelationDef {
        match self {
            Self::Cake => Entity::belongs_to(super::cake::Entity)
                .from(Column::CakeId)
                .to(super::cake::Column::Id)
                .on_delete(ForeignKeyAction::Cascade)
                .fk_name("fruit_cake_fk")
                .into(),
        }
    }
}
"#,
        expect![[r#"
            enum public.cake_status (fresh)
            table bakery.cake @src/cake.rs:4:21
              id integer NOT NULL IDENTITY
              name character varying(255) NOT NULL
              price_cents bigint NULL DEFAULT 0
              status public.cake_status NOT NULL
              pk cake_pkey (id)
              unique constraint cake_name_key ("name")
            table public.fruit @src/fruit.rs:4:12
              id integer NOT NULL
              cake_id integer NULL
              pk fruit_pkey (id)
              fk fruit_cake_fk (cake_id) -> bakery.cake (id) on delete CASCADE on update NO ACTION
        "#]],
    );
}

#[test]
fn expanded_format_with_hand_written_column_names() {
    check(
        r#"
use sea_orm::entity::prelude::*;
#[derive(Copy, Clone, Default, Debug, DeriveEntity)]
pub struct Entity;
impl EntityName for Entity {
    fn table_name(&self) -> &'static str { "legacy" }
}
#[derive(Copy, Clone, Debug, EnumIter)]
pub enum Column { Id, FullName }
impl Iden for Column {
    fn unquoted(&self) -> &str {
        match self {
            Self::Id => "legacy_id",
            Self::FullName => "Full Name",
        }
    }
}
#[derive(Copy, Clone, Debug, EnumIter, DerivePrimaryKey)]
pub enum PrimaryKey { Id }
impl PrimaryKeyTrait for PrimaryKey {
    type ValueType = i64;
    fn auto_increment() -> bool { true }
}
impl ColumnTrait for Column {
    type EntityName = Entity;
    fn def(&self) -> ColumnDef {
        match self {
            Self::Id => ColumnType::BigInteger.def(),
            Self::FullName => ColumnType::Text.def().null().comment("who").extra("COLLATE \"C\""),
        }
    }
}
"#,
        expect![[r#"
            table public.legacy @src/lib.rs:5:21
              legacy_id bigint NOT NULL IDENTITY
              Full Name text NULL COLLATE C comment="who" extra="COLLATE \"C\""
              pk legacy_pkey (legacy_id)
        "#]],
    );
}

/// lldap's `users` entity (written by sea-orm-codegen 0.10, still compiling against SeaORM
/// 2.0) puts `.def()` after the whole `match`: every arm is a bare `ColumnType`.
#[test]
fn expanded_format_with_def_after_the_match() {
    check(
        r#"
use sea_orm::entity::prelude::*;

#[derive(Copy, Clone, Default, Debug, DeriveEntity)]
pub struct Entity;

#[derive(Clone, Debug, PartialEq, DeriveModel, Eq, DeriveActiveModel)]
pub struct Model {
    pub user_id: String,
    pub display_name: Option<String>,
    pub creation_date: chrono::NaiveDateTime,
    pub password_hash: Option<Vec<u8>>,
}

impl EntityName for Entity {
    fn table_name(&self) -> &str {
        "users"
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveColumn, PartialEq, Eq)]
pub enum Column {
    UserId,
    DisplayName,
    CreationDate,
    PasswordHash,
}

impl ColumnTrait for Column {
    type EntityName = Entity;

    fn def(&self) -> ColumnDef {
        match self {
            Column::UserId => ColumnType::String(StringLen::N(255)),
            Column::DisplayName | Column::PasswordHash => ColumnType::String(StringLen::N(64)),
            Column::CreationDate => ColumnType::DateTime,
        }
        .def()
        .null()
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DerivePrimaryKey)]
pub enum PrimaryKey {
    UserId,
}

impl PrimaryKeyTrait for PrimaryKey {
    type ValueType = String;

    fn auto_increment() -> bool {
        false
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
"#,
        expect![[r#"
            table public.users @src/lib.rs:15:21
              user_id character varying(255) NOT NULL
              display_name character varying(64) NULL
              creation_date timestamp without time zone NULL
              password_hash character varying(64) NULL
              pk users_pkey (user_id)
        "#]],
    );
}

/// `#[sea_orm(primary_key, unique)]`: sea-query writes `PRIMARY KEY UNIQUE`, and Postgres drops
/// the UNIQUE (same columns as the key), so there is no `{table}_{col}_key`; a unique column in
/// a composite key keeps its constraint (checked against SeaORM 2.0.4 + Postgres 15).
#[test]
fn unique_on_a_single_primary_key_is_dropped_by_postgres() {
    check(
        r#"
use sea_orm::entity::prelude::*;
#[derive(Clone, Debug, DeriveEntityModel)]
#[sea_orm(table_name = "k1")]
pub struct Model {
    #[sea_orm(primary_key, unique, indexed)]
    pub id: i32,
    #[sea_orm(unique)]
    pub a: String,
}

pub mod k2 {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, DeriveEntityModel)]
    #[sea_orm(table_name = "k2")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false, unique)]
        pub x: i32,
        #[sea_orm(primary_key, auto_increment = false)]
        pub y: String,
    }
}
"#,
        expect![[r#"
            table public.k1 @src/lib.rs:5:12
              id integer NOT NULL IDENTITY
              a character varying NOT NULL
              pk k1_pkey (id)
              unique constraint k1_a_key ("a")
            table public.k2 @src/lib.rs:16:16
              x integer NOT NULL
              y character varying NOT NULL
              pk pk-k2 (x, y)
              unique constraint k2_x_key ("x")
        "#]],
    );
}

/// `extra = "CONSTRAINT name CHECK (..)"` / `"CONSTRAINT name UNIQUE"`: the constraint gets
/// that name (a bare word folded to lower case, a quoted one kept), as Postgres names it.
#[test]
fn extra_with_named_constraints() {
    check(
        r#"
use sea_orm::entity::prelude::*;
#[derive(Clone, Debug, DeriveEntityModel)]
#[sea_orm(table_name = "e")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(extra = "CONSTRAINT Positive CHECK (i > 0)")]
    pub i: i32,
    #[sea_orm(extra = "NOT NULL CONSTRAINT \"Code_Key\" UNIQUE")]
    pub code: Option<String>,
    #[sea_orm(extra = "CONSTRAINT ignored NOT NULL CHECK (j < 5)")]
    pub j: i32,
}
"#,
        expect![[r#"
            table public.e @src/lib.rs:5:12
              id integer NOT NULL IDENTITY
              i integer NOT NULL extra="CONSTRAINT Positive CHECK (i > 0)"
              code character varying NOT NULL extra="NOT NULL CONSTRAINT \"Code_Key\" UNIQUE"
              j integer NOT NULL extra="CONSTRAINT ignored NOT NULL CHECK (j < 5)"
              pk e_pkey (id)
              unique constraint Code_Key ("code")
              check e_j_check (j < 5)
              check positive (i > 0)
        "#]],
    );
}
