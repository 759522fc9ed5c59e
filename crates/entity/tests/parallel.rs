//! The parallel loader (`load`, `load_sources`) gives exactly what the sequential one gives:
//! schema, diagnostics (positions and order included) and findings, over every fixture
//! directory the tests load, as files and in memory, and over a generated 200-file crate
//! whose problems are reported across the workers' module ranges.

use std::path::{Path, PathBuf};

use autogen_entity::{LoadOptions, Loaded};

const WORKERS: &[usize] = &[1, 2, 3, 7];

fn options() -> Vec<LoadOptions> {
    vec![
        LoadOptions::default(),
        LoadOptions {
            strict_types: true,
            ..LoadOptions::default()
        },
    ]
}

/// `.rs` files under `dir`, with their text.
fn rs_files(dir: &Path, out: &mut Vec<(PathBuf, String)>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = rd.filter_map(Result::ok).map(|e| e.path()).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            if p.file_name().is_some_and(|n| n != "target") {
                rs_files(&p, out);
            }
        } else if p.extension().is_some_and(|x| x == "rs")
            && let Ok(text) = std::fs::read_to_string(&p)
        {
            out.push((p, text));
        }
    }
}

/// Directories that hold `.rs` files or a `Cargo.toml` (each is loaded as a root).
fn roots(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut holds = false;
    let mut subdirs = Vec::new();
    for e in rd.filter_map(Result::ok) {
        let p = e.path();
        if p.is_dir() {
            subdirs.push(p);
        } else if p.extension().is_some_and(|x| x == "rs") || p.ends_with("Cargo.toml") {
            holds = true;
        }
    }
    if holds {
        out.push(dir.to_path_buf());
    }
    subdirs.sort();
    for d in subdirs {
        roots(&d, out);
    }
}

fn same(what: &str, workers: usize, sequential: &Loaded, parallel: &Loaded) {
    assert_eq!(
        sequential.diagnostics, parallel.diagnostics,
        "{what}: diagnostics differ with {workers} workers"
    );
    assert_eq!(
        sequential.schema, parallel.schema,
        "{what}: schema differs with {workers} workers"
    );
    assert_eq!(
        sequential.findings, parallel.findings,
        "{what}: findings differ with {workers} workers"
    );
}

/// Loads `files` both ways; returns whether the parallel loader did it (not its fallback).
fn check_memory(what: &str, files: &[(PathBuf, String)]) -> bool {
    let mut parallel_used = true;
    for opts in options() {
        let sequential = autogen_entity::load_sources_with_workers(files, &opts, 0);
        assert!(!autogen_entity::last_load_was_parallel());
        for &w in WORKERS {
            let parallel = autogen_entity::load_sources_with_workers(files, &opts, w);
            parallel_used &= autogen_entity::last_load_was_parallel();
            same(what, w, &sequential, &parallel);
        }
    }
    parallel_used
}

#[test]
fn every_fixture_directory_loads_the_same_in_parallel() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut dirs = Vec::new();
    roots(&manifest.join("tests/fixtures"), &mut dirs);
    let workspace = manifest.join("../..");
    for entry in std::fs::read_dir(workspace.join("fixtures")).expect("fixtures/") {
        let p = entry.expect("entry").path();
        // The harness holds generated test sources, not entities.
        if p.is_dir() && !p.ends_with("harness") {
            roots(&p, &mut dirs);
        }
    }
    assert!(dirs.len() > 20, "fixture directories found: {}", dirs.len());
    let mut in_parallel = 0;
    for dir in &dirs {
        let what = dir.display().to_string();
        for opts in options() {
            let sequential = autogen_entity::load_with_workers(std::slice::from_ref(dir), &opts, 0);
            for &w in WORKERS {
                let parallel =
                    autogen_entity::load_with_workers(std::slice::from_ref(dir), &opts, w);
                same(&what, w, &sequential, &parallel);
            }
        }
        let mut files = Vec::new();
        rs_files(dir, &mut files);
        if check_memory(&format!("{what} (in memory)"), &files) {
            in_parallel += 1;
        }
    }
    eprintln!(
        "{in_parallel} of {} fixture directories loaded in parallel",
        dirs.len()
    );
    // Most fixtures are read by the parallel loader itself (the others have macros or
    // syntax errors, and are loaded sequentially).
    assert!(
        in_parallel * 2 > dirs.len(),
        "{in_parallel} of {} fixture directories loaded in parallel",
        dirs.len()
    );
}

/// A crate of `n` compact entities: relations to earlier tables, shared enums and newtypes, an
/// inline module and a nested module directory, and problems spread over the whole range (a
/// broken ActiveEnum used everywhere is reported once, where it is first used).
/// `syntax_error`: every 53rd file does not parse (which the parallel loader leaves to the
/// sequential one); `unknown`: every 29th names a type nothing defines (dependency crates
/// would be looked at; the tests find none).
fn generated(n: usize, syntax_error: bool, unknown: bool) -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    let mut lib = String::from("pub mod shared;\npub mod nested;\n#[cfg(test)]\nmod tests;\n");
    for i in 0..n {
        lib.push_str(&format!("pub mod t{i:04};\n"));
    }
    lib.push_str("pub mod missing_file;\npub mod inline {\n    pub mod deeper {\n        pub type Code = String;\n    }\n}\n");
    files.push((PathBuf::from("src/lib.rs"), lib));
    files.push((
        PathBuf::from("src/shared.rs"),
        r#"use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "Enum", enum_name = "status")]
pub enum Status {
    #[sea_orm(string_value = "on")]
    On,
    #[sea_orm(string_value = "off")]
    Off,
}

#[derive(Clone, Debug, PartialEq, EnumIter, DeriveActiveEnum)]
#[sea_orm(db_type = "Enum", enum_name = "half")]
pub enum Half {
    #[sea_orm(string_value = "a")]
    A,
    B,
}

#[derive(Clone, Debug, PartialEq, DeriveValueType)]
pub struct Money(pub i64);

pub enum NotAValue { A }

#[derive(Clone, Debug, PartialEq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "Enum", enum_name = "status")]
pub enum OtherStatus {
    #[sea_orm(string_value = "yes")]
    Yes,
}

#[derive(Clone, Debug, PartialEq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "Enum", enum_name = "Mood")]
pub enum Mood {
    #[sea_orm(string_value = "ok")]
    Ok,
}
"#
        .to_string(),
    ));
    files.push((
        PathBuf::from("src/nested/mod.rs"),
        "pub mod inner;\n".to_string(),
    ));
    files.push((
        PathBuf::from("src/nested/inner.rs"),
        r#"use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "nested_inner")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub code: crate::inline::deeper::Code,
    pub t0: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "crate::t0000::Entity", from = "Column::T0", to = "super::super::t0000::Column::Id")]
    T0,
}

impl ActiveModelBehavior for ActiveModel {}
"#
        .to_string(),
    ));
    files.push((
        PathBuf::from("src/tests.rs"),
        "this is not rust".to_string(),
    ));
    for i in 0..n {
        let mut fields = String::from("    #[sea_orm(primary_key)]\n    pub id: i32,\n");
        fields.push_str("    #[sea_orm(column_type = \"String(StringLen::N(40))\", indexed)]\n    pub title: String,\n");
        fields.push_str("    pub status: super::shared::Status,\n");
        fields.push_str("    #[sea_orm(default_expr = \"Expr::current_timestamp()\")]\n    pub created_at: DateTimeWithTimeZone,\n");
        fields
            .push_str("    #[sea_orm(default_value = 7)]\n    pub amount: super::shared::Money,\n");
        if i % 17 == 3 {
            fields.push_str("    pub half: super::shared::Half,\n");
        }
        if i % 23 == 5 {
            fields.push_str("    pub odd: super::shared::NotAValue,\n");
        }
        if unknown && i % 29 == 7 {
            fields.push_str("    pub unknown: somewhere::Unknown,\n");
        }
        // A second `status` with other labels (reported at every use but the first of
        // `status`), and an upper-case enum name (reported once).
        if i % 37 == 20 {
            fields.push_str("    pub other: super::shared::OtherStatus,\n");
        }
        if i % 43 == 30 {
            fields.push_str("    pub mood: super::shared::Mood,\n");
        }
        if i % 31 == 9 {
            fields.push_str("    #[sea_orm(column_type = \"Strng(3)\")]\n    pub bad: String,\n");
        }
        let mut relations = String::new();
        if i > 0 {
            fields.push_str("    pub parent_id: Option<i32>,\n");
            let target = if i % 41 == 11 {
                "super::nowhere::Entity".to_string()
            } else {
                format!("super::t{:04}::Entity", i / 2)
            };
            relations.push_str(&format!(
                "    #[sea_orm(belongs_to = \"{target}\", from = \"Column::ParentId\", to = \"super::t{:04}::Column::Id\", on_delete = \"Cascade\")]\n    Parent,\n",
                i / 2
            ));
        }
        let text = if syntax_error && i % 53 == 13 {
            "use sea_orm::entity::prelude::*;\n\npub struct Model {\n    pub id: i32,,\n}\n"
                .to_string()
        } else {
            format!(
                "use sea_orm::entity::prelude::*;\n\n#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]\n#[sea_orm(table_name = \"t{i:04}\")]\npub struct Model {{\n{fields}}}\n\n#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]\npub enum Relation {{\n{relations}}}\n\nimpl ActiveModelBehavior for ActiveModel {{}}\n"
            )
        };
        files.push((PathBuf::from(format!("src/t{i:04}.rs")), text));
    }
    files
}

#[test]
fn a_generated_crate_of_200_files_loads_the_same_in_parallel() {
    assert!(
        !check_memory(
            "generated crate with syntax errors",
            &generated(200, true, true)
        ),
        "a syntax error only syn finds is loaded sequentially"
    );
    let files = generated(200, false, true);
    assert!(
        check_memory("generated crate", &files),
        "loaded in parallel"
    );
    let loaded = autogen_entity::load_sources_with_workers(&files, &LoadOptions::default(), 2);
    // The broken enum is used by 12 files across both workers' ranges; reported once.
    let half = loaded
        .diagnostics
        .iter()
        .filter(|d| d.message.contains("native enum `half`"))
        .count();
    assert_eq!(half, 1, "{:#?}", loaded.diagnostics);
    let count = |text: &str| {
        loaded
            .diagnostics
            .iter()
            .filter(|d| d.message.contains(text))
            .count()
    };
    assert_eq!(count("enum type `status` is declared with labels"), 5);
    assert_eq!(count("enum name `Mood` has upper case letters"), 1);
    assert!(loaded.schema.tables.len() > 190);

    for unknown in [false, true] {
        let dir =
            std::env::temp_dir().join(format!("autogen_parallel_{}_{unknown}", std::process::id()));
        for (path, text) in &generated(200, false, unknown) {
            let p = dir.join(path);
            std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
            std::fs::write(&p, text).expect("write");
        }
        std::fs::write(dir.join("Cargo.toml"), "[package]\nname = \"gen\"\n").expect("write");
        let roots = [dir.clone()];
        for opts in options() {
            let sequential = autogen_entity::load_with_workers(&roots, &opts, 0);
            for &w in WORKERS {
                let parallel = autogen_entity::load_with_workers(&roots, &opts, w);
                assert!(autogen_entity::last_load_was_parallel());
                same("generated crate on disk", w, &sequential, &parallel);
            }
        }
        std::fs::remove_dir_all(&dir).ok();
    }
}
