//! The shared fixture entity sets (`fixtures/entities/*`, owned by the oracle test, which checks
//! the loader's model against SeaORM's real schema) load without errors or warnings.

mod common;

use std::path::PathBuf;

use autogen_entity::{LoadOptions, Severity};

fn check_dir(name: &str) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/entities")
        .join(name);
    let loaded = autogen_entity::load(std::slice::from_ref(&dir), &LoadOptions::default());
    let problems: Vec<String> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Note)
        .map(|d| d.to_string())
        .collect();
    assert!(problems.is_empty(), "{name}:\n{}", problems.join("\n"));
    assert!(
        loaded.schema.tables.len() >= 3,
        "{name}: {}",
        common::render(&loaded)
    );
}

#[test]
fn blog() {
    check_dir("blog");
}

#[test]
fn all_types() {
    check_dir("all_types");
}

#[test]
fn enums_keys() {
    check_dir("enums_keys");
}
