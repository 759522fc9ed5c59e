//! The module tree as rustc builds it, and name resolution through it.

mod common;

use expect_test::{Expect, expect};

fn check(fixture: &str, expect: Expect) {
    expect.assert_eq(&common::render(&common::load(fixture)));
}

const USERS: &str = r#"
use sea_orm::entity::prelude::*;
#[derive(Clone, Debug, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
}
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}
"#;

#[test]
fn follows_mod_items_and_ignores_unreached_files() {
    let fixture = format!(
        "//- src/lib.rs\npub mod entities;\n//- src/entities/mod.rs\npub mod users;\n//- src/entities/users.rs\n{USERS}\n//- src/entities/old.rs\n{}",
        USERS.replace("users", "old_users")
    );
    check(
        &fixture,
        expect![[r#"
            table public.users @src/entities/users.rs:5:12
              id integer NOT NULL IDENTITY
              pk users_pkey (id)
            src/entities/old.rs:1:1: note: 1 file(s) are not in the module tree and were ignored: src/entities/old.rs
              help: add a `mod` item for a file that holds entities
        "#]],
    );
}

#[test]
fn non_mod_rs_files_nest_and_path_attributes_redirect() {
    let fixture = format!(
        "//- src/main.rs\nmod db;\n//- src/db.rs\nmod users;\n#[path = \"../generated/posts_entity.rs\"]\nmod posts;\n//- src/db/users.rs\n{USERS}\n//- generated/posts_entity.rs\n{}",
        USERS.replace("users", "posts")
    );
    check(
        &fixture,
        expect![[r#"
            table public.posts @generated/posts_entity.rs:5:12
              id integer NOT NULL IDENTITY
              pk posts_pkey (id)
            table public.users @src/db/users.rs:5:12
              id integer NOT NULL IDENTITY
              pk users_pkey (id)
        "#]],
    );
}

#[test]
fn inline_modules_and_plain_directories() {
    let fixture = format!(
        "//- entities/a.rs\npub mod inner {{ {} }}\n//- entities/b.rs\n{USERS}",
        USERS.replace("users", "a_inner")
    );
    check(
        &fixture,
        expect![[r#"
            table public.a_inner @entities/a.rs:5:12
              id integer NOT NULL IDENTITY
              pk a_inner_pkey (id)
            table public.users @entities/b.rs:5:12
              id integer NOT NULL IDENTITY
              pk users_pkey (id)
        "#]],
    );
}

#[test]
fn a_syntax_error_is_reported_and_other_files_still_load() {
    check(
        &format!(
            "//- src/lib.rs\nmod users;\nmod broken;\nmod missing;\n#[cfg(test)]\nmod tests;\n//- src/users.rs\n{USERS}\n//- src/broken.rs\npub struct Model {{ id: i32,,, }}\n"
        ),
        expect![[r#"
            table public.users @src/users.rs:5:12
              id integer NOT NULL IDENTITY
              pk users_pkey (id)
            src/broken.rs:1:28: error: syntax error: expected identifier
              help: fix the syntax; the other files are still loaded
            src/lib.rs:3:5: warning: file for module `missing` not found (looked for src/missing.rs and src/missing/mod.rs)
        "#]],
    );
}

#[test]
fn two_enums_named_status_in_different_modules_are_different_types() {
    check(
        r#"
//- src/lib.rs
pub mod billing;
pub mod shipping;
pub mod orders;
//- src/billing.rs
use sea_orm::entity::prelude::*;
#[derive(Clone, Debug, PartialEq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "Enum", enum_name = "billing_status")]
pub enum Status { #[sea_orm(string_value = "paid")] Paid, #[sea_orm(string_value = "unpaid")] Unpaid }
//- src/shipping/mod.rs
mod types;
pub use self::types::Status as ShippingStatus;
//- src/shipping/types.rs
use sea_orm::entity::prelude::*;
#[derive(Clone, Debug, PartialEq, EnumIter, DeriveActiveEnum)]
#[sea_orm(db_type = "Enum", enum_name = "shipping_status", rename_all = "snake_case")]
pub enum Status { Pending, InTransit }
//- src/orders.rs
use sea_orm::entity::prelude::*;
use super::billing::*;
use crate::shipping::ShippingStatus as Ship;
type Note = String;
#[derive(Clone, Debug, DeriveEntityModel)]
#[sea_orm(table_name = "orders")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub billing: Status,
    pub shipping: Ship,
    pub note: Option<Note>,
    pub placed_at: chrono::DateTime<chrono::Utc>,
}
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}
"#,
        expect![[r#"
            enum public.billing_status (paid, unpaid)
            enum public.shipping_status (pending, in_transit)
            table public.orders @src/orders.rs:7:12
              id bigint NOT NULL IDENTITY
              billing public.billing_status NOT NULL
              shipping public.shipping_status NOT NULL
              note character varying NULL
              placed_at timestamp with time zone NOT NULL
              pk orders_pkey (id)
        "#]],
    );
}

#[test]
fn glob_imports_that_import_each_other_resolve_quickly() {
    // Every module glob-imports the others: a naive search is exponential in the module count.
    let names: Vec<String> = (0..12).map(|i| format!("m{i}")).collect();
    let mut fixture = String::from("//- src/lib.rs\n");
    for n in &names {
        fixture.push_str(&format!("pub mod {n};\n"));
    }
    for n in &names {
        fixture.push_str(&format!("//- src/{n}.rs\n"));
        for other in &names {
            fixture.push_str(&format!("pub use crate::{other}::*;\n"));
        }
    }
    fixture.push_str(&format!(
        "{}\n",
        USERS.replace("pub id: i32,", "pub id: i32,\n    pub x: Nowhere,")
    ));
    let start = std::time::Instant::now();
    let loaded = common::load(&fixture);
    assert!(
        start.elapsed() < std::time::Duration::from_secs(5),
        "took {:?}",
        start.elapsed()
    );
    // The unresolved type is a warning (the column is compared without its type).
    assert!(
        loaded
            .diagnostics
            .iter()
            .any(|d| d.message.contains("`Nowhere`")),
        "{:?}",
        loaded.diagnostics
    );
}
