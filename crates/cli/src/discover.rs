//! Finding a project's entity and migration crates for `autogen init`: a crate whose
//! Cargo.toml depends on `sea-orm` and whose sources derive `DeriveEntityModel` (or use
//! `#[sea_orm::model]`), and one that depends on `sea-orm-migration` and implements
//! `MigratorTrait`.

use std::path::{Path, PathBuf};

/// What was found, as directories.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Found {
    /// Entity source roots (`<crate>/src`).
    pub entities: Vec<PathBuf>,
    pub migrations: Vec<PathBuf>,
}

const MAX_DEPTH: usize = 4;

pub fn find(root: &Path) -> Found {
    let mut found = Found::default();
    let mut manifests = Vec::new();
    collect_manifests(root, 0, &mut manifests);
    manifests.sort();
    // A crate may be both (an application crate holding its entities and its `Migrator`); one
    // that is a migration crate counts as an entity crate only when no other crate is one, since
    // migration crates often declare small entities of their own for data migrations.
    let mut migration_entities = Vec::new();
    for manifest in manifests {
        let Some(dir) = manifest.parent() else {
            continue;
        };
        let deps = dependencies(&manifest);
        let src = dir.join("src");
        let is_migrations = deps.iter().any(|d| d == "sea-orm-migration")
            && sources_contain(&src, &["MigratorTrait for"]);
        let has_entities = deps
            .iter()
            .any(|d| d == "sea-orm" || d == "sea-orm-migration")
            && sources_contain(&src, &["DeriveEntityModel", "sea_orm::model"]);
        if is_migrations {
            found.migrations.push(dir.to_path_buf());
            if has_entities {
                migration_entities.push(src);
            }
        } else if has_entities {
            found.entities.push(src);
        }
    }
    if found.entities.is_empty() {
        found.entities = migration_entities;
    }
    found
}

fn collect_manifests(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
    let manifest = dir.join("Cargo.toml");
    if manifest.is_file() {
        out.push(manifest);
    }
    if depth >= MAX_DEPTH {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        if name.starts_with('.') || name == "target" || name == "node_modules" {
            continue;
        }
        if e.file_type().is_ok_and(|t| t.is_dir()) {
            collect_manifests(&e.path(), depth + 1, out);
        }
    }
}

/// Package names of `[dependencies]` (following `package = "…"` renames).
fn dependencies(manifest: &Path) -> Vec<String> {
    let Ok(text) = std::fs::read_to_string(manifest) else {
        return Vec::new();
    };
    let Ok(doc) = text.parse::<toml::Table>() else {
        return Vec::new();
    };
    let Some(deps) = doc.get("dependencies").and_then(|d| d.as_table()) else {
        return Vec::new();
    };
    deps.iter()
        .map(|(k, v)| {
            v.get("package")
                .and_then(|p| p.as_str())
                .unwrap_or(k)
                .to_string()
        })
        .collect()
}

fn sources_contain(dir: &Path, needles: &[&str]) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    entries.flatten().any(|e| {
        let p = e.path();
        if p.is_dir() {
            sources_contain(&p, needles)
        } else if p.extension().is_some_and(|x| x == "rs") {
            std::fs::read_to_string(&p).is_ok_and(|t| needles.iter().any(|n| t.contains(n)))
        } else {
            false
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_entity_and_migration_crates() {
        let d = tempfile::tempdir().unwrap();
        let w = |p: &str, t: &str| {
            let p = d.path().join(p);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, t).unwrap();
        };
        w(
            "entity/Cargo.toml",
            "[package]\nname='entity'\n[dependencies]\nsea-orm = '2'\n",
        );
        w(
            "entity/src/user.rs",
            "#[derive(DeriveEntityModel)] struct Model;",
        );
        w(
            "migration/Cargo.toml",
            "[package]\nname='migration'\n[dependencies]\nmig = { package = 'sea-orm-migration', version = '2' }\n",
        );
        w("migration/src/lib.rs", "impl MigratorTrait for Migrator {}");
        w(
            "migration/src/seed.rs",
            "#[derive(DeriveEntityModel)] struct Model;",
        );
        w("target/x/Cargo.toml", "[dependencies]\nsea-orm = '2'\n");
        let f = find(d.path());
        assert_eq!(f.entities, [d.path().join("entity/src")]);
        assert_eq!(f.migrations, [d.path().join("migration")]);
    }

    #[test]
    fn an_application_crate_can_hold_both() {
        let d = tempfile::tempdir().unwrap();
        let w = |p: &str, t: &str| {
            let p = d.path().join(p);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, t).unwrap();
        };
        w(
            "Cargo.toml",
            "[package]\nname='app'\n[dependencies]\nsea-orm = '2'\nsea-orm-migration = '2'\n",
        );
        w(
            "src/entities/user.rs",
            "#[derive(DeriveEntityModel)] struct Model;",
        );
        w("src/migrator.rs", "impl MigratorTrait for Migrator {}");
        // An application that only runs the migrator is not a migration crate.
        w(
            "server/Cargo.toml",
            "[package]\nname='server'\n[dependencies]\nsea-orm-migration = '2'\n",
        );
        w(
            "server/src/main.rs",
            "use sea_orm_migration::MigratorTrait; Migrator::up(&db, None)",
        );
        let f = find(d.path());
        assert_eq!(f.entities, [d.path().join("src")]);
        assert_eq!(f.migrations, [d.path().to_path_buf()]);
    }
}
