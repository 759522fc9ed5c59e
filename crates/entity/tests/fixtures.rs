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

/// `fixtures/type_families` (not an oracle set: SeaORM's SchemaBuilder panics on a uuid key its
/// macro defaults to auto-increment): uuid and string keys behind aliases load without a
/// diagnostic and are plain keys; fields without column_type record their Rust type's family.
#[test]
fn uuid_and_string_keys_without_auto_increment_false_are_plain_keys() {
    use autogen_schema::{Type, TypeFamily, TypeSource};
    let dir =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/type_families/entity/src");
    let loaded = autogen_entity::load(std::slice::from_ref(&dir), &LoadOptions::default());
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    for (table, key, ty) in [
        ("accounts", "id", Type::Uuid),
        ("sessions", "token", Type::varchar(None)),
        ("documents", "id", Type::Uuid),
    ] {
        let t = loaded.schema.table("public", table).unwrap();
        let c = t.column(key).unwrap();
        assert_eq!(c.ty, ty);
        assert!(c.identity.is_none() && c.default.is_none() && !c.nullable);
        assert_eq!(t.primary_key.as_ref().unwrap().columns, [key]);
    }
    let documents = loaded.schema.table("public", "documents").unwrap();
    let family = |name: &str| documents.column(name).unwrap().type_source.clone();
    let rust = |family| TypeSource::Rust { family };
    assert_eq!(family("title"), rust(TypeFamily::Text));
    assert_eq!(family("data"), rust(TypeFamily::Json));
    assert_eq!(family("price"), rust(TypeFamily::Numeric));
    assert_eq!(family("created_at"), rust(TypeFamily::TimestampTz));
    assert_eq!(
        family("tags"),
        rust(TypeFamily::Array(Box::new(TypeFamily::Text)))
    );
    // Rust types with one column type only are stated by it.
    assert_eq!(family("id"), TypeSource::Stated);
}
