//! Types from other crates (`fixtures/workspace_types`): another module of the entity crate,
//! a workspace member and a renamed path dependency, given as [`Crates`] the way the CLI finds
//! them with `cargo metadata`. Dependency crates are read lazily.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use autogen_entity::{Crates, LoadOptions, Loaded};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/workspace_types")
        .canonicalize()
        .unwrap()
}

/// What `cargo metadata` says about the fixture.
fn crates(root: &Path) -> Crates {
    let entity = root.join("entity/src/lib.rs");
    let shared = root.join("shared/src/lib.rs");
    let kinds = root.join("vendor/file-kinds/src/lib.rs");
    let mut deps = BTreeMap::new();
    deps.insert(
        entity,
        BTreeMap::from([
            ("shared_types".to_string(), shared.clone()),
            ("kinds".to_string(), kinds.clone()),
        ]),
    );
    deps.insert(shared, BTreeMap::new());
    deps.insert(kinds, BTreeMap::new());
    Crates { deps }
}

fn load(root: &Path, calls: &mut usize) -> Loaded {
    let entities = root.join("entity/src/entities");
    autogen_entity::load_with_crates(&[entities], &LoadOptions::default(), &mut || {
        *calls += 1;
        crates(root)
    })
}

fn columns(l: &Loaded) -> Vec<String> {
    l.schema
        .tables
        .iter()
        .flat_map(|t| {
            t.columns
                .iter()
                .map(move |c| format!("{}.{} {}", t.name, c.name, c.ty.to_sql()))
        })
        .collect()
}

#[test]
fn every_field_type_resolves_through_other_crates() {
    let root = fixture();
    let mut calls = 0;
    let l = load(&root, &mut calls);
    assert!(l.diagnostics.is_empty(), "{:#?}", l.diagnostics);
    assert_eq!(calls, 1);
    assert_eq!(
        columns(&l),
        [
            "document.id integer",
            "document.kind public.doc_kind",
            "document.status public.status",
            "document.owner uuid",
            "document.category smallint",
            "document.size bigint",
        ]
    );
    // The shared crate's own entity is not a table.
    let tables: Vec<&str> = l.schema.tables.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(tables, ["document"]);
}

/// Given explicitly, the shared crate is an entity crate: its entity is a table, and nothing
/// unresolved means the crates are never asked for.
#[test]
fn a_crate_given_as_entities_is_loaded_for_its_tables() {
    let root = fixture();
    let mut calls = 0;
    let l = autogen_entity::load_with_crates(
        &[root.join("shared")],
        &LoadOptions::default(),
        &mut || {
            calls += 1;
            crates(&root)
        },
    );
    assert!(l.diagnostics.is_empty(), "{:#?}", l.diagnostics);
    assert_eq!(calls, 0);
    assert_eq!(columns(&l), ["audit_log.id integer"]);
}

/// Only the modules along a path are read: a module of a dependency crate that does not parse
/// does not matter unless a type path goes through it, and then it is a warning (its types stay
/// unresolved), never an error of its own.
#[test]
fn dependency_modules_are_read_only_along_the_paths_that_need_them() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().canonicalize().unwrap();
    let write = |rel: &str, text: &str| {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    write("app/Cargo.toml", "[package]\nname = \"app\"\n");
    write("app/src/lib.rs", "pub mod entities;\n");
    write(
        "app/src/entities.rs",
        r#"use sea_orm::entity::prelude::*;
use dep::good::*;
#[derive(Clone, Debug, DeriveEntityModel)]
#[sea_orm(table_name = "thing")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub level: dep::good::Level,
    pub by_glob: Level,
    LATER
}
"#,
    );
    write("dep/src/lib.rs", "pub mod good;\npub mod bad;\n");
    write(
        "dep/src/good.rs",
        "#[derive(DeriveValueType)]\npub struct Level(pub i16);\n",
    );
    write("dep/src/bad.rs", "pub struct Broken( {\n");
    let crates = Crates {
        deps: BTreeMap::from([(
            root.join("app/src/lib.rs"),
            BTreeMap::from([("dep".to_string(), root.join("dep/src/lib.rs"))]),
        )]),
    };
    let load = || {
        autogen_entity::load_with_crates(&[root.join("app")], &LoadOptions::default(), &mut || {
            crates.clone()
        })
    };
    let entities = root.join("app/src/entities.rs");
    let text = std::fs::read_to_string(&entities).unwrap();
    std::fs::write(&entities, text.replace("    LATER\n", "")).unwrap();
    let l = load();
    assert!(l.diagnostics.is_empty(), "{:#?}", l.diagnostics);
    assert_eq!(
        columns(&l),
        [
            "thing.id integer",
            "thing.level smallint",
            "thing.by_glob smallint"
        ]
    );

    // Through the broken module: a warning at its syntax error, and the type is unresolved.
    std::fs::write(
        &entities,
        text.replace("    LATER\n", "    pub broken: dep::bad::Broken,\n"),
    )
    .unwrap();
    let l = load();
    let got: Vec<String> = l
        .diagnostics
        .iter()
        .map(|d| {
            let file = d.file.strip_prefix(&root).unwrap_or(&d.file).display();
            format!("{file} {:?}: {}", d.severity, d.message)
        })
        .collect();
    assert_eq!(got.len(), 2, "{got:#?}");
    assert!(
        got[0].starts_with("dep/src/bad.rs Warning: syntax error"),
        "{got:#?}"
    );
    assert!(
        got[1].starts_with("app/src/entities.rs")
            && got[1]
                .contains("cannot resolve the column type of `thing.broken` (`dep::bad::Broken`)"),
        "{got:#?}"
    );
}

/// A type SeaORM maps by its spelling stays mapped by spelling, also inside a dependency crate
/// whose own dependency defines a struct of that name: dependency crates only resolve what
/// nothing else does. Crates like `chrono` or `sea_orm` are never read.
#[test]
fn types_known_by_spelling_are_not_read_from_dependency_crates() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().canonicalize().unwrap();
    let write = |rel: &str, text: &str| {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    write("app/Cargo.toml", "[package]\nname = \"app\"\n");
    write(
        "app/src/lib.rs",
        r#"use sea_orm::entity::prelude::*;
use chrono::NaiveDate;
#[derive(Clone, Debug, DeriveEntityModel)]
#[sea_orm(table_name = "thing")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub day: NaiveDate,
    pub stamp: units::Stamp,
}
"#,
    );
    write(
        "units/src/lib.rs",
        "use sea_orm::entity::prelude::*;\nuse mytime::NaiveDate;\n#[derive(DeriveValueType)]\npub struct Stamp(pub NaiveDate);\n",
    );
    write("mytime/src/lib.rs", "pub struct NaiveDate(u32);\n");
    write("chrono/src/lib.rs", "this is not rust (\n");
    write("sea-orm/src/lib.rs", "neither is this (\n");
    let lib = |c: &str| root.join(c).join("src/lib.rs");
    let crates = Crates {
        deps: BTreeMap::from([
            (
                lib("app"),
                BTreeMap::from([
                    ("units".to_string(), lib("units")),
                    ("chrono".to_string(), lib("chrono")),
                    ("sea_orm".to_string(), lib("sea-orm")),
                ]),
            ),
            (
                lib("units"),
                BTreeMap::from([
                    ("mytime".to_string(), lib("mytime")),
                    ("sea_orm".to_string(), lib("sea-orm")),
                ]),
            ),
        ]),
    };
    let l =
        autogen_entity::load_with_crates(&[root.join("app")], &LoadOptions::default(), &mut || {
            crates.clone()
        });
    assert!(l.diagnostics.is_empty(), "{:#?}", l.diagnostics);
    assert_eq!(
        columns(&l),
        ["thing.id integer", "thing.day date", "thing.stamp date"]
    );
}

/// The entity directory inside a crate, reached from the crate root through `#[path]` or a
/// `mod.rs`, given with a trailing slash: `crate::` paths resolve with no dependency lookup.
#[test]
fn a_module_directory_reached_through_path_attributes_resolves_crate_paths() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().canonicalize().unwrap();
    let write = |rel: &str, text: &str| {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    write("app/Cargo.toml", "[package]\nname = \"app\"\n");
    write(
        "app/src/lib.rs",
        "pub mod types;\n#[path = \"db/models/mod.rs\"]\npub mod models;\n",
    );
    write(
        "app/src/types.rs",
        "#[derive(DeriveValueType)]\npub struct Cents(pub i64);\n",
    );
    write("app/src/db/models/mod.rs", "pub mod invoice;\n");
    write(
        "app/src/db/models/invoice.rs",
        r#"use sea_orm::entity::prelude::*;
use crate::types::Cents;
#[derive(Clone, Debug, DeriveEntityModel)]
#[sea_orm(table_name = "invoice")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub total: Cents,
    pub tax: super::super::types::Cents,
}
"#,
    );
    for dir in ["app/src/db/models/", "app/src/db/models/mod.rs"] {
        let mut calls = 0;
        let l = autogen_entity::load_with_crates(
            &[root.join(dir)],
            &LoadOptions::default(),
            &mut || {
                calls += 1;
                Crates::default()
            },
        );
        assert!(l.diagnostics.is_empty(), "{dir}: {:#?}", l.diagnostics);
        assert_eq!(calls, 0, "{dir}");
        assert_eq!(
            columns(&l),
            [
                "invoice.id integer",
                "invoice.total bigint",
                "invoice.tax bigint"
            ],
            "{dir}"
        );
    }
}

/// A glob import reaches only what the glob-imported module makes public, as in rustc: a
/// crate of `mod x; pub use x::*;` modules where an earlier module imports a type privately
/// (`use crate::Level;`) or writes a private type of the same name still re-exports the
/// public one of a later module. A module inside the importing one (`use super::*;`) does see
/// private imports. An enum deriving `FromJsonQueryResult` is `Json`, like a struct.
#[test]
fn glob_imports_do_not_reach_private_imports_and_items() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().canonicalize().unwrap();
    let write = |rel: &str, text: &str| {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    write("app/Cargo.toml", "[package]\nname = \"app\"\n");
    write("app/src/lib.rs", "pub mod entities;\nuse models::*;\n");
    write(
        "app/src/entities.rs",
        r#"use sea_orm::entity::prelude::*;
use super::*;
use models::{Note, Settings};
#[derive(Clone, Debug, DeriveEntityModel)]
#[sea_orm(table_name = "thing")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub level: Level,
    pub note: Option<Note>,
    pub settings: Settings,
}
"#,
    );
    write(
        "models/src/lib.rs",
        "mod alerts;\npub use alerts::*;\n\npub use levels::*;\nmod levels;\n",
    );
    write(
        "models/src/alerts.rs",
        r#"use crate::Level;
struct Note(String);
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, FromJsonQueryResult)]
pub enum Settings { Off, On { level: Level } }
"#,
    );
    write(
        "models/src/levels.rs",
        r#"use sea_orm::entity::prelude::*;
#[derive(Clone, Debug, PartialEq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "i32", db_type = "Integer")]
pub enum Level { #[sea_orm(num_value = 1)] Low, #[sea_orm(num_value = 2)] High }
#[derive(Clone, Debug, PartialEq, DeriveValueType)]
pub struct Note(pub i16);
"#,
    );
    let lib = |c: &str| root.join(c).join("src/lib.rs");
    let crates = Crates {
        deps: BTreeMap::from([(
            lib("app"),
            BTreeMap::from([("models".to_string(), lib("models"))]),
        )]),
    };
    let l =
        autogen_entity::load_with_crates(&[root.join("app")], &LoadOptions::default(), &mut || {
            crates.clone()
        });
    assert!(l.diagnostics.is_empty(), "{:#?}", l.diagnostics);
    assert_eq!(
        columns(&l),
        [
            "thing.id integer",
            "thing.level integer",
            "thing.note smallint",
            "thing.settings json"
        ]
    );
}
