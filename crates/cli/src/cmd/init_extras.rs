//! `autogen init --extras FILE`: adoption in one command. Compares as `check` does under
//! today's rules (`manage = "declared"`, no extras), writes every index, CHECK and extension
//! the comparison leaves unmanaged into FILE as plain DDL grouped by table, proves the file
//! reads back, and adds `extras = ["FILE"]` and `manage = "all"` to autogen.toml. After that,
//! `check` reports nothing about those objects, and the file is where they change.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use autogen_diff::{Change, Manage, NoteKind, ObjectKind, Plan};
use autogen_schema::{Check, Extension, Index, QualifiedName, Schema, ident};

use crate::opt::{InitOpt, Opt};
use crate::{Outcome, config, project};

pub async fn run(opt: &Opt, o: &InitOpt, file: &Path) -> Result<Outcome> {
    if file.exists() && !o.force && !o.stdout {
        bail!(
            "{} already exists; pass --force to overwrite it",
            file.display()
        );
    }
    let settings = config::load(&opt.project, &opt.connect)?;
    let today = config::Settings {
        extras: Vec::new(),
        manage: Manage::Declared,
        ..settings.clone()
    };
    let cmp = project::compare(&today).await?;
    let objects = unmanaged(&cmp.plan, &cmp.current);
    let text = render(&objects, &settings.default_schema(), &config::shown(file));
    // What is written must read back: the same parser and checks `check` will use.
    let mut probe = cmp.desired.clone();
    autogen_extras::parse(&config::shown(file), &text, &settings.default_schema())
        .and_then(|d| autogen_extras::apply(&mut probe, &d))
        .map_err(|errors| {
            let lines: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
            anyhow::anyhow!(
                "internal error: the adopted objects do not read back:\n{}",
                lines.join("\n")
            )
        })?;
    if o.stdout {
        crate::out!("{text}");
        return Ok(Outcome::Ok);
    }
    if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    std::fs::write(file, &text).with_context(|| format!("cannot write {}", file.display()))?;
    crate::outln!(
        "wrote {}: {} index(es), {} check(s), {} extension(s)",
        config::shown(file),
        objects.indexes.values().map(Vec::len).sum::<usize>(),
        objects.checks.values().map(Vec::len).sum::<usize>(),
        objects.extensions.len()
    );
    match &settings.config_path {
        Some(config_path) => {
            let base = config_path.parent().unwrap_or(Path::new("."));
            let entry = relative(base, file);
            let current = std::fs::read_to_string(config_path)
                .with_context(|| format!("cannot read {}", config_path.display()))?;
            let (edited, said) = with_keys(&current, &entry);
            if edited != current {
                std::fs::write(config_path, edited)
                    .with_context(|| format!("cannot write {}", config_path.display()))?;
            }
            crate::outln!("{}: {said}", config::shown(config_path));
        }
        None => crate::outln!(
            "no {} here: add `extras = [{:?}]` and `manage = \"all\"` to it",
            config::FILE_NAME,
            config::shown(file)
        ),
    }
    Ok(Outcome::Ok)
}

/// The objects to adopt, by table.
#[derive(Default)]
struct Objects {
    extensions: Vec<Extension>,
    indexes: BTreeMap<QualifiedName, Vec<Index>>,
    checks: BTreeMap<QualifiedName, Vec<Check>>,
}

/// The indexes, checks and extensions the plan leaves alone as unmanaged (its notes), looked
/// up in the database model. Objects the plan drops or changes are not adopted: they are real
/// drift under today's rules already.
fn unmanaged(plan: &Plan, current: &Schema) -> Objects {
    let mut out = Objects::default();
    let dropped_check = |q: &QualifiedName, name: &str| {
        plan.changes.iter().any(
            |c| matches!(c, Change::DropCheck { table, check } if table == q && check.name == name),
        )
    };
    for note in &plan.notes {
        if note.kind != NoteKind::Unmanaged {
            continue;
        }
        match note.object_kind {
            Some(ObjectKind::Extension) => {
                let name = note
                    .object
                    .strip_prefix("extension ")
                    .unwrap_or(&note.object);
                if let Some(e) = current.extension(name) {
                    out.extensions.push(e.clone());
                }
            }
            Some(kind @ (ObjectKind::Index | ObjectKind::Check)) => {
                for t in &current.tables {
                    let q = t.qualified_name();
                    let Some(name) = note.object.strip_prefix(&format!("{q}.")) else {
                        continue;
                    };
                    if kind == ObjectKind::Index
                        && let Some(i) = t.indexes.iter().find(|i| i.name == name)
                    {
                        out.indexes.entry(q.clone()).or_default().push(i.clone());
                    }
                    if kind == ObjectKind::Check
                        && !dropped_check(&q, name)
                        && let Some(c) = t.checks.iter().find(|c| c.name == name)
                    {
                        out.checks.entry(q.clone()).or_default().push(c.clone());
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// The file: a header, the extensions, then per table its indexes and checks, each statement
/// as the migration would send it.
fn render(objects: &Objects, default_schema: &str, shown: &str) -> String {
    let shown = one_line(shown);
    let mut out = format!(
        "-- {shown}: what the SeaORM entities cannot declare, in plain PostgreSQL DDL.\n\
         -- Written by `autogen init --extras` from the database: every index, CHECK constraint\n\
         -- and extension that autogen left unmanaged. autogen now manages them from this file\n\
         -- (autogen.toml: extras = [...]): a statement added here is created, a changed one is\n\
         -- dropped and created again, and with manage = \"all\" one removed is dropped.\n\
         -- Supported: CREATE [UNIQUE] INDEX name ON table [USING method] (...) [INCLUDE (...)]\n\
         -- [WHERE ...]; ALTER TABLE table ADD CONSTRAINT name CHECK (...); CREATE EXTENSION.\n"
    );
    if !objects.extensions.is_empty() {
        out.push_str("\n-- Extensions\n");
        for e in &objects.extensions {
            out.push_str(&format!(
                "CREATE EXTENSION IF NOT EXISTS {}",
                ident::quote(&e.name)
            ));
            if let Some(s) = &e.schema {
                out.push_str(&format!(" WITH SCHEMA {}", ident::quote(s)));
            }
            out.push_str(";\n");
        }
    }
    let tables: std::collections::BTreeSet<&QualifiedName> = objects
        .indexes
        .keys()
        .chain(objects.checks.keys())
        .collect();
    for q in tables {
        let shown_table = if q.schema == default_schema {
            ident::quote(&q.name)
        } else {
            q.to_sql()
        };
        out.push_str(&format!("\n-- {}\n", one_line(&shown_table)));
        let mut changes = Vec::new();
        for i in objects.indexes.get(q).into_iter().flatten() {
            changes.push(Change::AddIndex {
                table: q.clone(),
                // A UNIQUE constraint is declared as the unique index it equals.
                index: Index {
                    constraint: false,
                    deferrable: false,
                    initially_deferred: false,
                    ..i.clone()
                },
            });
        }
        for c in objects.checks.get(q).into_iter().flatten() {
            changes.push(Change::AddCheck {
                table: q.clone(),
                check: Check {
                    not_valid: false,
                    ..c.clone()
                },
            });
        }
        let plan = Plan {
            changes,
            notes: Vec::new(),
        };
        for stmt in autogen_codegen::statements(&plan) {
            out.push_str(&stmt);
            out.push_str(";\n");
        }
    }
    out
}

/// `config` with `extras = ["entry"]` and `manage = "all"` added as top-level keys (before the
/// first table), each only when the file does not set it already; and what was done.
fn with_keys(config: &str, entry: &str) -> (String, String) {
    let has = |key: &str| {
        config.lines().any(|l| {
            let l = l.trim_start();
            l.starts_with(key) && l[key.len()..].trim_start().starts_with('=')
        })
    };
    let mut added = Vec::new();
    if !has("extras") {
        added.push(format!("extras = [{}]", toml_string(entry)));
    }
    if !has("manage") {
        added.push("manage = \"all\"".to_string());
    }
    if added.is_empty() {
        return (
            config.to_string(),
            format!(
                "already sets `extras` and `manage`; make sure `extras` lists {entry:?} and \
                 `manage = \"all\"`"
            ),
        );
    }
    let block = format!(
        "# Added by `autogen init --extras`: what entities cannot declare lives in this SQL file,\n\
         # and every index, CHECK and extension must be declared (by an entity or there).\n{}\n",
        added.join("\n")
    );
    let at = config
        .match_indices('\n')
        .map(|(i, _)| i + 1)
        .chain(std::iter::once(0))
        .filter(|&i| config[i..].trim_start_matches([' ', '\t']).starts_with('['))
        .min();
    let edited = match at {
        Some(i) => format!("{}{block}\n{}", &config[..i], &config[i..]),
        None if config.is_empty() || config.ends_with('\n') => format!("{config}{block}"),
        None => format!("{config}\n{block}"),
    };
    (edited, format!("added {}", added.join(", ")))
}

/// Text for a `--` comment line: control characters (a newline would end the comment) escaped.
fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn relative(base: &Path, p: &Path) -> String {
    let abs = |p: &Path| -> PathBuf {
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        }
    };
    let (base, p) = (abs(base), abs(p));
    p.strip_prefix(&base)
        .map(|r| r.display().to_string())
        .unwrap_or_else(|_| p.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::with_keys;

    #[test]
    fn keys_go_before_the_first_table_and_are_never_doubled() {
        let (text, said) = with_keys(
            "entities = [\"src\"]\n\n[types]\n\"X\" = \"text\"\n",
            "schema/extras.sql",
        );
        assert_eq!(
            text,
            "entities = [\"src\"]\n\n# Added by `autogen init --extras`: what entities cannot declare lives in this SQL file,\n# and every index, CHECK and extension must be declared (by an entity or there).\nextras = [\"schema/extras.sql\"]\nmanage = \"all\"\n\n[types]\n\"X\" = \"text\"\n"
        );
        assert_eq!(
            said,
            "added extras = [\"schema/extras.sql\"], manage = \"all\""
        );
        let (again, _) = with_keys(&text, "schema/extras.sql");
        assert_eq!(again, text);
        assert!(crate::config::parse(&text).is_ok());
    }
}
