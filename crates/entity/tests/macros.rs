//! `macro_rules!` expansion at item position: macro-made newtypes, enums, aliases and entity
//! modules resolve with no configuration; scoping as rustc has it; what cannot be expanded is
//! named only where a type then cannot be resolved.

mod common;

use std::path::PathBuf;

use autogen_entity::{LoadOptions, Severity};
use expect_test::{Expect, expect};

fn check(fixture: &str, expect: Expect) {
    expect.assert_eq(&common::render(&common::load(fixture)));
}

#[test]
fn fixture_crates_load_without_configuration() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let roots = [dir.join("macro_ids"), dir.join("macro_common")];
    let loaded = autogen_entity::load(&roots, &LoadOptions::default());
    let problems: Vec<String> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Note)
        .map(|d| d.to_string())
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let rendered = common::render(&loaded).replace(&dir.display().to_string(), "FIXTURES");
    expect![[r#"
        enum public.task_status (open, in_progress, done)
        table public.colors @FIXTURES/macro_ids/src/entities/mod.rs:28:1
          id integer NOT NULL IDENTITY
          name character varying NOT NULL
          pk colors_pkey (id)
          unique constraint colors_name_key ("name")
        table public.projects @FIXTURES/macro_ids/src/entities/project.rs:9:12
          id uuid NOT NULL
          owner_id uuid NOT NULL
          revision bigint NOT NULL
          name character varying NOT NULL
          pk projects_pkey (id)
        table public.tasks @FIXTURES/macro_ids/src/entities/task.rs:9:12
          id uuid NOT NULL
          project_id uuid NOT NULL
          label_id uuid NULL
          assignee uuid NULL
          seq bigint NOT NULL
          last_comment uuid NULL
          status public.task_status NOT NULL
          tags character varying[] NOT NULL
          pk tasks_pkey (id)
    "#]]
    .assert_eq(&rendered);
}

#[test]
fn textual_scope_reaches_later_child_modules_and_macro_use() {
    check(
        r#"
//- src/lib.rs
macro_rules! big { ($n:ident) => { #[derive(DeriveValueType)] pub struct $n(pub i64); } }
#[macro_use]
mod defs;
mod t;
//- src/defs.rs
macro_rules! small { ($n:ident) => { #[derive(DeriveValueType)] pub struct $n(pub i16); } }
//- src/t.rs
use sea_orm::entity::prelude::*;
big!(Cents);
small!(Rank);
#[derive(Clone, Debug, DeriveEntityModel)]
#[sea_orm(table_name = "t")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub cents: Cents,
    pub rank: Rank,
}
"#,
        expect![[r#"
            table public.t @src/t.rs:6:12
              id integer NOT NULL IDENTITY
              cents bigint NOT NULL
              rank smallint NOT NULL
              pk t_pkey (id)
        "#]],
    );
}

#[test]
fn exported_macros_by_path_and_before_their_definition() {
    check(
        r#"
//- src/lib.rs
pub mod t;
pub mod macros;
//- src/macros.rs
#[macro_export]
macro_rules! text_id { ($($n:ident),*) => { $( #[derive(DeriveValueType)] pub struct $n(pub String); )* } }
//- src/t.rs
use sea_orm::entity::prelude::*;
crate::text_id!(Code, Slug);
text_id![Handle];
#[derive(Clone, Debug, DeriveEntityModel)]
#[sea_orm(table_name = "t")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub code: Code,
    pub slug: Option<Slug>,
    pub handle: Handle,
}
"#,
        expect![[r#"
            table public.t @src/t.rs:6:12
              id integer NOT NULL IDENTITY
              code character varying NOT NULL
              slug character varying NULL
              handle character varying NOT NULL
              pk t_pkey (id)
        "#]],
    );
}

#[test]
fn macro_made_entity_points_at_the_invocation() {
    check(
        r#"
//- src/lib.rs
macro_rules! entity {
    ($m:ident, $table:literal, { $($field:ident : $ty:ty),* }) => {
        pub mod $m {
            use sea_orm::entity::prelude::*;
            #[derive(Clone, Debug, DeriveEntityModel)]
            #[sea_orm(table_name = $table)]
            pub struct Model {
                #[sea_orm(primary_key)]
                pub id: i32,
                $( pub $field: $ty, )*
            }
        }
    };
}
entity!(a, "a", { n: i16, bad: NoSuchType });
"#,
        expect![[r#"
            table public.a @src/lib.rs:15:1
              id integer NOT NULL IDENTITY
              n smallint NOT NULL
              bad ?(NoSuchType) NOT NULL
              pk a_pkey (id)
            src/lib.rs:15:1: warning: cannot resolve the column type of `a.bad` (`NoSuchType`): it is not declared in `crate::a` (nor made by a `macro_rules!` macro the loader expanded); the column's type is not compared, and a migration cannot add the column
              help: declare it in autogen.toml, e.g. [types] "NoSuchType" = "text"
        "#]],
    );
}

#[test]
fn unexpanded_invocations_are_named_only_where_a_type_is_missing() {
    check(
        r#"
//- src/lib.rs
mod ids;
mod t;
lazy_static::lazy_static! { static ref X: u8 = 1; }
//- src/ids.rs
macro_rules! only_i64 { ($n:ident: i64) => { #[derive(DeriveValueType)] pub struct $n(pub i64); } }
only_i64!(Small: i16);
id_macros::uuid_id!(UserId);
//- src/t.rs
use sea_orm::entity::prelude::*;
use crate::ids::*;
#[derive(Clone, Debug, DeriveEntityModel)]
#[sea_orm(table_name = "t")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub user: UserId,
    pub small: Small,
}
"#,
        expect![[r#"
            table public.t @src/t.rs:5:12
              id integer NOT NULL IDENTITY
              user ?(UserId) NOT NULL
              small ?(Small) NOT NULL
              pk t_pkey (id)
            src/t.rs:8:9: warning: cannot resolve the column type of `t.user` (`UserId`): it is not declared in `crate::t`; the invocation `id_macros::uuid_id!` at src/ids.rs:3:1 may define it but was not expanded: it is not a `macro_rules!` macro of the loaded crates (a proc macro or a macro from a dependency cannot be expanded); the column's type is not compared, and a migration cannot add the column
              help: declare it in autogen.toml, e.g. [types] "UserId" = "text"
            src/t.rs:9:9: warning: cannot resolve the column type of `t.small` (`Small`): it is not declared in `crate::t`; the invocation `only_i64!` at src/ids.rs:2:1 may define it but was not expanded: no rule of `only_i64!` matches this invocation; the column's type is not compared, and a migration cannot add the column
              help: declare it in autogen.toml, e.g. [types] "Small" = "text"
        "#]],
    );
}

#[test]
fn runaway_recursion_is_a_warning_not_a_hang() {
    check(
        r#"
//- src/lib.rs
macro_rules! forever { ($($t:tt)*) => { forever!($($t)* x); }; }
forever!();
macro_rules! double { ($($t:tt)*) => { double!($($t)* $($t)*); }; }
double!(a);
"#,
        expect![[r#"
            src/lib.rs:2:1: warning: expanding `forever!` nests more than 64 macro invocations deep
        "#]],
    );
}

#[test]
fn mangled_macro_fixtures_never_panic() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut files = Vec::new();
    for krate in ["macro_ids", "macro_common"] {
        for rel in [
            "src/lib.rs",
            "src/ids.rs",
            "src/entities/mod.rs",
            "src/entities/project.rs",
            "src/entities/task.rs",
        ] {
            if let Ok(text) = std::fs::read_to_string(dir.join(krate).join(rel)) {
                files.push((PathBuf::from(krate).join(rel), text));
            }
        }
    }
    assert!(files.len() >= 6);
    let opts = LoadOptions::default();
    for i in 0..files.len() {
        let text = files[i].1.clone();
        let cuts: Vec<usize> = (0..text.len())
            .step_by((text.len() / 25).max(1))
            .filter(|c| text.is_char_boundary(*c))
            .collect();
        for cut in cuts {
            // Truncated, and with one character removed (unbalanced `$(`, dangling `=>`, …).
            let mut removed = text.clone();
            if cut < removed.len() {
                removed.remove(cut);
            }
            for mangled in [text[..cut].to_string(), removed] {
                let mut set = files.clone();
                set[i].1 = mangled;
                let r = std::panic::catch_unwind(|| {
                    autogen_entity::load_sources_unguarded(&set, &opts)
                });
                assert!(
                    r.is_ok(),
                    "panicked on {} cut at {cut}",
                    files[i].0.display()
                );
            }
        }
    }
}
