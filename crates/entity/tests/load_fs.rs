//! `load` on the file system: crate directories, `src` directories, root files and plain
//! directories; a missing path is an error.

mod common;

use std::path::{Path, PathBuf};

use autogen_entity::{LoadOptions, Severity};

const ENTITY: &str = r#"use sea_orm::entity::prelude::*;
#[derive(Clone, Debug, DeriveEntityModel)]
#[sea_orm(table_name = "TABLE")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
}
"#;

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn tables(roots: &[PathBuf]) -> (Vec<String>, Vec<String>) {
    let l = autogen_entity::load(roots, &LoadOptions::default());
    let names = l.schema.tables.iter().map(|t| t.name.clone()).collect();
    let diags = l
        .diagnostics
        .iter()
        .map(|d| {
            format!(
                "{:?}: {}",
                d.severity,
                d.message.replace(&roots[0].display().to_string(), "ROOT")
            )
        })
        .collect();
    (names, diags)
}

#[test]
fn crate_src_file_and_plain_directory_roots() {
    let tmp = tempfile::tempdir().unwrap();
    let krate = tmp.path().join("entity");
    write(&krate, "Cargo.toml", "[package]\nname = \"entity\"\n");
    write(&krate, "src/lib.rs", "pub mod a;\n");
    write(&krate, "src/a.rs", &ENTITY.replace("TABLE", "a"));
    write(&krate, "src/unused.rs", &ENTITY.replace("TABLE", "unused"));
    write(&krate, "target/debug/junk.rs", "garbage (");
    let (names, diags) = tables(std::slice::from_ref(&krate));
    assert_eq!(names, ["a"]);
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert!(
        diags[0].starts_with("Note:") && diags[0].contains("unused.rs"),
        "{diags:?}"
    );

    assert_eq!(tables(&[krate.join("src")]).0, ["a"]);
    assert_eq!(tables(&[krate.join("src/lib.rs")]).0, ["a"]);

    let plain = tmp.path().join("plain");
    write(&plain, "x.rs", &ENTITY.replace("TABLE", "x"));
    write(&plain, "y.rs", &ENTITY.replace("TABLE", "y"));
    assert_eq!(
        tables(std::slice::from_ref(&plain)),
        (vec!["x".to_string(), "y".to_string()], vec![])
    );

    let both = tables(&[krate.clone(), plain.clone()]).0;
    assert_eq!(both, ["a", "x", "y"]);
}

#[test]
fn a_missing_root_is_an_error() {
    let l = autogen_entity::load(
        &[PathBuf::from("/nonexistent/entities")],
        &LoadOptions::default(),
    );
    assert!(l.has_errors());
    assert_eq!(l.diagnostics[0].severity, Severity::Error);
    assert_eq!(
        l.diagnostics[0].to_string(),
        "/nonexistent/entities:1:1: error: entity path does not exist"
    );
}

#[test]
fn a_module_directory_is_read_through_its_crate_so_crate_paths_resolve() {
    let tmp = tempfile::tempdir().unwrap();
    let krate = tmp.path().join("app");
    write(&krate, "Cargo.toml", "[package]\nname = \"app\"\n");
    write(
        &krate,
        "src/main.rs",
        "mod entities;\nmod types;\nmod other;\n",
    );
    write(
        &krate,
        "src/types.rs",
        "#[derive(DeriveActiveEnum)]\n#[sea_orm(db_type = \"Enum\", enum_name = \"mood\", rename_all = \"snake_case\")]\npub enum Mood { Happy, Sad }\n",
    );
    write(&krate, "src/entities/mod.rs", "pub mod person;\n");
    write(
        &krate,
        "src/entities/person.rs",
        &ENTITY.replace("TABLE", "person").replace(
            "pub id: i32,",
            "pub id: i32,\n    pub mood: crate::types::Mood,",
        ),
    );
    write(
        &krate,
        "src/other.rs",
        &ENTITY
            .replace("TABLE", "other")
            .replace("pub id: i32,", "pub id: i32,\n    pub x: Unknown,"),
    );
    let (names, diags) = tables(&[krate.join("src/entities")]);
    assert_eq!((names, diags), (vec!["person".to_string()], vec![]));
    let l = autogen_entity::load(
        &[krate.join("src/entities/mod.rs")],
        &LoadOptions::default(),
    );
    assert_eq!(l.schema.tables[0].columns[1].ty.to_sql(), "public.mood");
    assert_eq!(l.schema.enums.len(), 1);
    assert!(l.diagnostics.is_empty(), "{:?}", l.diagnostics);

    // Not reached from the crate root: read on its own.
    write(&krate, "src/loose/mod.rs", "pub mod thing;\n");
    write(
        &krate,
        "src/loose/thing.rs",
        &ENTITY.replace("TABLE", "thing"),
    );
    assert_eq!(tables(&[krate.join("src/loose")]).0, ["thing"]);
}

/// Two crates given together: the entity crate names the other by its crate name (`[lib]
/// name`, else `[package]` name with `-` → `_`) for a value type and a relation target, as
/// lldap's `domain-model` does with `lldap_domain::types::GroupId`.
#[test]
fn items_of_another_loaded_crate_resolve_by_crate_name() {
    let tmp = tempfile::tempdir().unwrap();
    let domain = tmp.path().join("domain");
    write(
        &domain,
        "Cargo.toml",
        "[package]\nname = \"my-domain\"\nversion = \"0.1.0\"\n",
    );
    write(&domain, "src/lib.rs", "pub mod types;\npub mod people;\n");
    write(
        &domain,
        "src/types.rs",
        "use sea_orm::DeriveValueType;\n#[derive(DeriveValueType)]\npub struct GroupId(pub i32);\n",
    );
    write(&domain, "src/people.rs", &ENTITY.replace("TABLE", "people"));
    let model = tmp.path().join("model");
    write(
        &model,
        "Cargo.toml",
        "[package]\nname = \"model\"\n\n[lib]\nname = \"the_model\"\n",
    );
    write(&model, "src/lib.rs", "pub mod groups;\n");
    write(
        &model,
        "src/groups.rs",
        r#"use sea_orm::entity::prelude::*;
use my_domain::types::GroupId;
#[derive(Clone, Debug, DeriveEntityModel)]
#[sea_orm(table_name = "groups")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub group_id: GroupId,
    pub person_id: i32,
}
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "my_domain::people::Entity", from = "Column::PersonId", to = "my_domain::people::Column::Id")]
    Person,
}
"#,
    );
    let l = autogen_entity::load(&[model.clone(), domain.clone()], &LoadOptions::default());
    assert!(l.diagnostics.is_empty(), "{:?}", l.diagnostics);
    let groups = l.schema.tables.iter().find(|t| t.name == "groups").unwrap();
    assert_eq!(groups.columns[0].ty.to_string(), "integer");
    assert_eq!(groups.foreign_keys[0].ref_table, "people");

    // Alone, the entity crate cannot see the other crate: errors, not guesses.
    let alone = autogen_entity::load(&[model], &LoadOptions::default());
    let errors: Vec<&str> = alone
        .diagnostics
        .iter()
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors.iter().any(|e| e.contains("GroupId")), "{errors:?}");
    assert!(
        errors.iter().any(|e| e.contains("unknown entity")),
        "{errors:?}"
    );
}
