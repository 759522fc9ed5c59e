//! Roots spelled relative to the working directory: `.`, `..`, and a module directory below
//! the working directory whose crate root lies above it. Its own test binary, because it
//! changes the process's working directory.

use std::path::{Path, PathBuf};

use autogen_entity::LoadOptions;

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// Table names and FK targets, or the diagnostics when there are any.
fn load(cwd: &Path, root: &str) -> String {
    std::env::set_current_dir(cwd).unwrap();
    let l = autogen_entity::load(&[PathBuf::from(root)], &LoadOptions::default());
    if !l.diagnostics.is_empty() {
        return format!("{:?}", l.diagnostics);
    }
    l.schema
        .tables
        .iter()
        .map(|t| {
            let fks: Vec<String> = t.foreign_keys.iter().map(|f| f.ref_table.clone()).collect();
            format!("{} -> [{}]", t.name, fks.join(","))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[test]
fn dot_dotdot_and_module_directories_below_the_working_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let krate = tmp.path().join("app");
    write(&krate, "Cargo.toml", "[package]\nname = \"app\"\n");
    write(&krate, "src/lib.rs", "pub mod models;\npub mod common;\n");
    write(&krate, "src/common.rs", "pub type Id = i64;\n");
    write(
        &krate,
        "src/models/mod.rs",
        "pub mod users;\npub mod posts;\n",
    );
    write(
        &krate,
        "src/models/users.rs",
        r#"use sea_orm::entity::prelude::*;
#[derive(Clone, Debug, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: crate::common::Id,
}
"#,
    );
    write(
        &krate,
        "src/models/posts.rs",
        r#"use sea_orm::entity::prelude::*;
#[derive(Clone, Debug, DeriveEntityModel)]
#[sea_orm(table_name = "posts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub user_id: crate::common::Id,
}
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::users::Entity", from = "Column::UserId", to = "super::users::Column::Id")]
    User,
}
"#,
    );
    let want = "posts -> [users]; users -> []";
    assert_eq!(load(&krate, "."), want);
    assert_eq!(load(&krate, "./"), want);
    assert_eq!(load(&krate.join("src"), "."), want);
    assert_eq!(load(&krate.join("src/models"), "."), want);
    assert_eq!(load(&krate.join("src/models"), "../models"), want);
    assert_eq!(load(&krate.join("src"), "models"), want);
    assert_eq!(load(&krate.join("src/models"), ".."), want);
}
