//! Fuzz-style robustness: mangled entity files (truncated at many points, attribute values
//! replaced by hostile strings, characters deleted) never make the loader panic.

use std::path::{Path, PathBuf};

use autogen_entity::LoadOptions;

/// Hostile attribute values.
const VALUES: &[&str] = &[
    "",
    "(",
    "((",
    ")",
    "(,)",
    "::",
    "Enum {",
    "Enum { name: 1 }",
    "String(StringLen::N(99999999999))",
    "Decimal(Some((1,)))",
    "Array(Array(Array(",
    "Array(RcOrArc::new(ColumnType::Enum { name: \"\".into_iden(), variants: vec![] }))",
    "super::super::super::super::x::Entity",
    "crate::",
    "self",
    "Column::",
    "(Column::A,",
    "Expr::cust(",
    "Expr::val(\"\")",
    "Keyword::",
    "\u{1F600}\u{300}",
    "a\"b",
    "'",
    "\\",
    "custom(\"\")",
    "Interval(Some(PgInterval::), None)",
    "CHECK (",
    "DEFAULT",
    "NOT",
    "-",
];

/// A small deterministic PRNG (xorshift64*), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn fixture_sets() -> Vec<Vec<(PathBuf, String)>> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/entities");
    let mut sets = Vec::new();
    for set in ["blog", "all_types", "enums_keys"] {
        let mut files = Vec::new();
        collect(&root.join(set), Path::new(set), &mut files);
        files.sort();
        if !files.is_empty() {
            sets.push(files);
        }
    }
    assert!(
        !sets.is_empty(),
        "fixture entity sets not found under {}",
        root.display()
    );
    sets
}

fn collect(dir: &Path, rel: &Path, out: &mut Vec<(PathBuf, String)>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        let name = e.file_name();
        if p.is_dir() {
            collect(&p, &rel.join(&name), out);
        } else if p.extension().is_some_and(|x| x == "rs")
            && let Ok(text) = std::fs::read_to_string(&p)
        {
            out.push((rel.join(&name), text));
        }
    }
}

fn run(files: &[(PathBuf, String)], what: &str) {
    let opts = LoadOptions::default();
    let result = std::panic::catch_unwind(|| autogen_entity::load_sources_unguarded(files, &opts));
    assert!(result.is_ok(), "the loader panicked on {what}");
}

fn char_boundaries(text: &str, count: usize) -> Vec<usize> {
    let step = (text.len() / count).max(1);
    (0..text.len())
        .step_by(step)
        .filter(|i| text.is_char_boundary(*i))
        .collect()
}

#[test]
fn truncated_files_never_panic() {
    for set in fixture_sets() {
        for (i, (path, text)) in set.iter().enumerate() {
            for cut in char_boundaries(text, 30) {
                let mut files = set.clone();
                files[i].1 = text[..cut].to_string();
                run(
                    &files,
                    &format!("{} truncated at byte {cut}", path.display()),
                );
            }
        }
    }
}

#[test]
fn hostile_attribute_values_never_panic() {
    let mut rng = Rng(0x5EA0_4A11_u64);
    for set in fixture_sets() {
        for (i, (path, text)) in set.iter().enumerate() {
            let starts: Vec<usize> = text.match_indices("= \"").map(|(p, _)| p + 3).collect();
            for (n, start) in starts.iter().enumerate() {
                let Some(len) = text[*start..].find('"') else {
                    continue;
                };
                for _ in 0..3 {
                    let value = VALUES[rng.below(VALUES.len())].replace('"', "\\\"");
                    let mut files = set.clone();
                    files[i].1 = format!("{}{}{}", &text[..*start], value, &text[start + len..]);
                    run(
                        &files,
                        &format!("{} value #{n} replaced by {value:?}", path.display()),
                    );
                }
            }
        }
    }
}

#[test]
fn deleted_characters_never_panic() {
    let mut rng = Rng(0xDEAD_BEEF_u64);
    for set in fixture_sets() {
        for (i, (path, text)) in set.iter().enumerate() {
            for _ in 0..20 {
                let mut t = text.clone();
                for _ in 0..1 + rng.below(4) {
                    if t.is_empty() {
                        break;
                    }
                    let mut at = rng.below(t.len());
                    while !t.is_char_boundary(at) {
                        at -= 1;
                    }
                    t.remove(at);
                }
                let mut files = set.clone();
                files[i].1 = t;
                run(
                    &files,
                    &format!("{} with characters deleted", path.display()),
                );
            }
        }
    }
}

#[test]
fn module_cycles_and_odd_trees_never_panic() {
    let files = vec![
        (PathBuf::from("src/lib.rs"), "#[path = \"lib.rs\"] mod again; mod a; pub use a::*; mod b { pub use super::b::*; use self::c::D; }".to_string()),
        (PathBuf::from("src/a.rs"), "pub use super::*; pub use crate::a::*; pub type T = T; #[derive(DeriveEntityModel)] #[sea_orm(table_name = \"x\")] pub struct Model { #[sea_orm(primary_key)] pub id: T, pub u: Vec<Vec<Option<T>>> }".to_string()),
        (PathBuf::from("../outside.rs"), "mod x;".to_string()),
        (PathBuf::from(""), String::new()),
    ];
    run(&files, "cyclic modules and aliases");
}
