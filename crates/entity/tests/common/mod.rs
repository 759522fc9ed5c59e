//! Test helpers: multi-file fixtures in one string (`//- path` starts a file, as in
//! rust-analyzer's tests) and a compact text rendering of what the loader returns.

#![allow(dead_code)]

use std::fmt::Write;
use std::path::PathBuf;

use autogen_entity::{LoadOptions, Loaded};
use autogen_schema::{Column, FkAction, Table, TypeSource};

/// Splits `//- path` sections; text before the first header is `src/lib.rs`.
pub fn files(fixture: &str) -> Vec<(PathBuf, String)> {
    let mut out: Vec<(PathBuf, String)> = Vec::new();
    let mut cur: Option<(PathBuf, String)> = None;
    for line in fixture.lines() {
        if let Some(path) = line.trim_start().strip_prefix("//- ") {
            if let Some(c) = cur.take() {
                out.push(c);
            }
            cur = Some((PathBuf::from(path.trim()), String::new()));
            continue;
        }
        let c = cur.get_or_insert_with(|| (PathBuf::from("src/lib.rs"), String::new()));
        c.1.push_str(line);
        c.1.push('\n');
    }
    out.extend(cur);
    out
}

pub fn load(fixture: &str) -> Loaded {
    autogen_entity::load_sources_unguarded(&files(fixture), &LoadOptions::default())
}

pub fn load_with(fixture: &str, opts: &LoadOptions) -> Loaded {
    autogen_entity::load_sources_unguarded(&files(fixture), opts)
}

/// One line per object; origins only for tables (as `@file:line:col`).
pub fn render(l: &Loaded) -> String {
    let mut s = String::new();
    for e in &l.schema.enums {
        writeln!(s, "enum {}.{} ({})", e.schema, e.name, e.labels.join(", ")).unwrap();
    }
    for t in &l.schema.tables {
        table(&mut s, t);
    }
    for d in &l.diagnostics {
        writeln!(s, "{d}").unwrap();
    }
    for f in &l.findings {
        writeln!(s, "{f}").unwrap();
    }
    s
}

fn table(s: &mut String, t: &Table) {
    let origin = t
        .origin
        .as_ref()
        .map(|o| format!(" @{o}"))
        .unwrap_or_default();
    writeln!(s, "table {}.{}{origin}", t.schema, t.name).unwrap();
    if let Some(c) = &t.comment {
        writeln!(s, "  comment {c:?}").unwrap();
    }
    for c in &t.columns {
        writeln!(s, "  {}", column(c)).unwrap();
    }
    if let Some(pk) = &t.primary_key {
        writeln!(s, "  pk {} ({})", pk.name, pk.columns.join(", ")).unwrap();
    }
    for i in &t.indexes {
        let cols: Vec<String> = i.keys.iter().map(|k| format!("{:?}", k.part)).collect();
        let kind = match (i.unique, i.constraint) {
            (true, true) => "unique constraint",
            (true, false) => "unique index",
            _ => "index",
        };
        writeln!(
            s,
            "  {kind} {} ({})",
            i.name,
            cols.join(", ").replace("Column(", "").replace(')', "")
        )
        .unwrap();
    }
    for f in &t.foreign_keys {
        let act = |a: FkAction| a.sql();
        writeln!(
            s,
            "  fk {} ({}) -> {}.{} ({}) on delete {} on update {}",
            f.name,
            f.columns.join(", "),
            f.ref_schema,
            f.ref_table,
            f.ref_columns.join(", "),
            act(f.on_delete),
            act(f.on_update)
        )
        .unwrap();
    }
    for c in &t.checks {
        writeln!(s, "  check {} {}", c.name, c.expression).unwrap();
    }
}

fn column(c: &Column) -> String {
    let ty = match &c.type_source {
        TypeSource::Unresolved { rust_type } => format!("?({rust_type})"),
        _ => c.ty.to_sql(),
    };
    let mut s = format!("{} {ty}", c.name);
    s.push_str(if c.nullable { " NULL" } else { " NOT NULL" });
    if c.identity.is_some() {
        s.push_str(" IDENTITY");
    }
    if let Some(d) = &c.default {
        write!(s, " DEFAULT {d}").unwrap();
    }
    if let Some(g) = &c.generated {
        write!(s, " GENERATED {g}").unwrap();
    }
    if let Some(x) = &c.collation {
        write!(s, " COLLATE {x}").unwrap();
    }
    if let Some(x) = &c.comment {
        write!(s, " comment={x:?}").unwrap();
    }
    if let Some(x) = &c.renamed_from {
        write!(s, " renamed_from={x:?}").unwrap();
    }
    if let Some(x) = &c.extra {
        write!(s, " extra={x:?}").unwrap();
    }
    s
}
