//! Relations → foreign keys, partial models, the bookkeeping table.

mod common;

use expect_test::{Expect, expect};

fn check(fixture: &str, expect: Expect) {
    expect.assert_eq(&common::render(&common::load(fixture)));
}

#[test]
fn belongs_to_variants() {
    check(
        r#"
//- src/lib.rs
mod parent;
mod child;
//- src/parent.rs
use sea_orm::entity::prelude::*;
#[derive(Clone, Debug, DeriveEntityModel)]
#[sea_orm(table_name = "parent", schema_name = "app")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub a: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub b: i32,
}
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::child::Entity")]
    Child,
}
//- src/child.rs
use sea_orm::entity::prelude::*;
use super::parent;
#[derive(Clone, Debug, DeriveEntityModel)]
#[sea_orm(table_name = "child")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub parent_a: i32,
    pub parent_b: i32,
    pub next_id: Option<i64>,
    pub other_id: Option<i64>,
}
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "parent::Entity",
        from = "(Column::ParentA, Column::ParentB)",
        to = "(parent::Column::A, parent::Column::B)",
        on_delete = "Restrict",
        on_update = "SetDefault"
    )]
    Parent,
    #[sea_orm(belongs_to = "Entity", from = "Column::NextId", to = "Column::Id", fk_name = "child_next_fkey")]
    Next,
    #[sea_orm(belongs_to = "Entity", from = "Column::OtherId", to = "Column::Id", skip_fk)]
    Other,
    #[sea_orm(belongs_to = "super::nowhere::Entity", from = "Column::OtherId", to = "Column::Id")]
    Nowhere,
    #[sea_orm(belongs_to = "Entity", from = "Column::Missing", to = "Column::Id", on_delete = "Explode")]
    Broken,
}
"#,
        expect![[r#"
            table app.parent @src/parent.rs:4:12
              a integer NOT NULL
              b integer NOT NULL
              pk pk-parent (a, b)
            table public.child @src/child.rs:5:12
              id bigint NOT NULL IDENTITY
              parent_a integer NOT NULL
              parent_b integer NOT NULL
              next_id bigint NULL
              other_id bigint NULL
              pk child_pkey (id)
              fk child_next_fkey (next_id) -> public.child (id) on delete NO ACTION on update NO ACTION
              fk fk-child-parent_a-parent_b (parent_a, parent_b) -> app.parent (a, b) on delete RESTRICT on update SET DEFAULT
            src/child.rs:29:83: error: unknown on_delete action `Explode`
              help: use one of Cascade, Restrict, SetNull, NoAction, SetDefault
            src/child.rs:28:5: error: relation to unknown entity `super::nowhere::Entity`
              help: point belongs_to at an entity module, e.g. "super::cake::Entity" (an entity of another crate needs that crate in --entities too)
            src/child.rs:30:5: error: entity `child` has no column `Column::Missing`
        "#]],
    );
}

#[test]
fn partial_models_merge_and_conflicts_name_both_places() {
    check(
        r#"
//- src/lib.rs
mod user;
mod user_profile;
mod user_login;
mod migrations;
//- src/user.rs
use sea_orm::entity::prelude::*;
#[derive(Clone, Debug, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub name: String,
    #[sea_orm(unique)]
    pub email: String,
}
//- src/user_profile.rs
use sea_orm::entity::prelude::*;
#[derive(Clone, Debug, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub name: String,
    pub bio: Option<String>,
    pub invited_by: Option<i32>,
}
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "Entity", from = "Column::InvitedBy", to = "Column::Id")]
    Inviter,
}
//- src/user_login.rs
use sea_orm::entity::prelude::*;
#[derive(Clone, Debug, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub name: Option<String>,
    #[sea_orm(indexed)]
    pub last_login: Option<DateTimeUtc>,
    pub invited_by: Option<i32>,
}
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "Entity", from = "Column::InvitedBy", to = "Column::Id", on_delete = "SetNull")]
    Inviter,
}
//- src/migrations.rs
use sea_orm::entity::prelude::*;
#[derive(Clone, Debug, DeriveEntityModel)]
#[sea_orm(table_name = "seaql_migrations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub version: String,
    pub applied_at: i64,
}
"#,
        expect![[r#"
            table public.users @src/user.rs:4:12
              id integer NOT NULL IDENTITY
              name character varying NULL
              email character varying NOT NULL
              bio character varying NULL
              invited_by integer NULL
              last_login timestamp with time zone NULL
              pk users_pkey (id)
              index idx-users-last_login ("last_login")
              unique constraint users_email_key ("email")
              fk fk-users-invited_by (invited_by) -> public.users (id) on delete SET NULL on update NO ACTION
            src/user.rs:7:9: warning: public.users.name: the field is not an Option here but is one at src/user_login.rs:7:9, so the column is (or will be) nullable: reading a NULL written through that entity fails at run time here
            src/user_profile.rs:7:9: warning: public.users.name: the field is not an Option here but is one at src/user_login.rs:7:9, so the column is (or will be) nullable: reading a NULL written through that entity fails at run time here
        "#]],
    );
}

#[test]
fn a_partial_model_may_leave_a_length_a_type_within_its_family_or_a_default_unstated() {
    check(
        r#"
//- src/lib.rs
mod users;
mod user_profile;
//- src/users.rs
use sea_orm::entity::prelude::*;
#[derive(Clone, Debug, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(column_type = "String(StringLen::N(255))")]
    pub name: String,
    pub active: bool,
    #[sea_orm(column_type = "Text")]
    pub bio: String,
}
//- src/user_profile.rs
use sea_orm::entity::prelude::*;
#[derive(Clone, Debug, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub name: String,
    #[sea_orm(default_value = true)]
    pub active: bool,
    pub bio: String,
}
"#,
        expect![[r#"
            table public.users @src/users.rs:4:12
              id integer NOT NULL IDENTITY
              name character varying(255) NOT NULL
              active boolean NOT NULL DEFAULT true
              bio text NOT NULL
              pk users_pkey (id)
        "#]],
    );
}

/// A relation through a module that is not in the tree is an error, not a foreign key to the
/// module the path stopped in (here the crate root, which made a self-reference).
#[test]
fn a_relation_through_a_missing_module_is_an_error() {
    check(
        r#"
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "posts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub cat_id: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "crate::missing::Entity", from = "Column::CatId", to = "crate::missing::Column::Id")]
    Cat,
    #[sea_orm(belongs_to = "Entity", from = "Column::CatId", to = "Column::Id")]
    SelfRef,
}
impl ActiveModelBehavior for ActiveModel {}
"#,
        expect![[r#"
            table public.posts @src/lib.rs:6:12
              id integer NOT NULL IDENTITY
              cat_id integer NOT NULL
              pk posts_pkey (id)
              fk fk-posts-cat_id (cat_id) -> public.posts (id) on delete NO ACTION on update NO ACTION
            src/lib.rs:15:5: error: relation to unknown entity `crate::missing::Entity`
              help: point belongs_to at an entity module, e.g. "super::cake::Entity" (an entity of another crate needs that crate in --entities too)
        "#]],
    );
}

/// Three entities over `users`: a stated default against another stated default, a foreign key
/// action one relation states and another leaves unstated (the stated one wins, no finding),
/// and two stated actions that differ (a finding). Nothing is an error.
#[test]
fn partial_models_that_disagree_are_findings_never_errors() {
    check(
        r#"
//- src/lib.rs
mod users;
mod user_card;
mod user_admin;
//- src/users.rs
use sea_orm::entity::prelude::*;
#[derive(Clone, Debug, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(default_value = "en")]
    pub locale: String,
    pub team_id: Option<i32>,
    pub manager_id: Option<i32>,
}
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "Entity", from = "Column::TeamId", to = "Column::Id")]
    Team,
    #[sea_orm(belongs_to = "Entity", from = "Column::ManagerId", to = "Column::Id", on_delete = "SetNull")]
    Manager,
}
//- src/user_card.rs
use sea_orm::entity::prelude::*;
#[derive(Clone, Debug, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(default_value = "de")]
    pub locale: String,
    pub team_id: Option<i32>,
}
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "Entity", from = "Column::TeamId", to = "Column::Id", on_delete = "Cascade")]
    Team,
}
//- src/user_admin.rs
use sea_orm::entity::prelude::*;
#[derive(Clone, Debug, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub manager_id: Option<i32>,
}
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "Entity", from = "Column::ManagerId", to = "Column::Id", on_delete = "Restrict")]
    Manager,
}
"#,
        expect![[r#"
            table public.users @src/users.rs:4:12
              id integer NOT NULL IDENTITY
              locale character varying NOT NULL DEFAULT 'en'::character varying
              team_id integer NULL
              manager_id integer NULL
              pk users_pkey (id)
              fk fk-users-manager_id (manager_id) -> public.users (id) on delete SET NULL on update NO ACTION
              fk fk-users-team_id (team_id) -> public.users (id) on delete CASCADE on update NO ACTION
            src/user_admin.rs:4:12: warning: public.users foreign key fk-users-manager_id: ON DELETE RESTRICT vs SET NULL here and at src/users.rs:4:12; the database's is kept (not compared)
            src/user_card.rs:8:9: warning: public.users.locale: default 'de'::character varying here but 'en'::character varying at src/users.rs:8:9; the database's is kept (not compared); a new column gets the first one
        "#]],
    );
}
