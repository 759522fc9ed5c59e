//! A [`Diagram`] as a Mermaid `erDiagram` (the text of a ```` ```mermaid ```` block, which
//! GitHub and GitLab render).
//!
//! Mermaid's lexer is small and easily confused, so nothing from the schema is written as
//! Mermaid syntax:
//! - a table's identifier is its name only when that is a plain word (`[A-Za-z_][A-Za-z0-9_]*`,
//!   not a Mermaid keyword, not shared by two schemas), else `t_1`, `t_2`, …; its name is shown
//!   in a quoted alias label (`t_1["order items (new)"]`);
//! - a column's name and type are attribute words (`[A-Za-z_][A-Za-z0-9_()\[\]-]*`, the set
//!   older Mermaid versions accept), made so by replacing other characters with `_`; when that
//!   changes them, the real text is in the attribute's quoted comment;
//! - every quoted text goes through [`label`]: no `"`, `%` (directives), `#` (entity codes),
//!   `` ` ``, `<`, `>`, `\`, `{`, `}` or control characters, and no `direction` followed by a space
//!   (Mermaid's lexer matches `.*direction\s+TB` anywhere on a line).

use std::collections::BTreeMap;
use std::fmt::Write;

use super::{Diagram, Mark};

/// Words Mermaid's `erDiagram` lexer reads as keywords outside an entity block.
const RESERVED: &[&str] = &[
    "erdiagram",
    "style",
    "classdef",
    "class",
    "subgraph",
    "end",
    "one",
    "only",
    "many",
    "zero",
    "to",
    "optionally",
    "u",
    "acctitle",
    "accdescr",
    "direction",
    "title",
];

/// Attribute keys: a column or type word equal to one of these is read as a key.
const KEYS: &[&str] = &["pk", "fk", "uk"];

/// The diagram as Mermaid text, starting with `erDiagram`, ending with a line break.
pub fn mermaid(d: &Diagram) -> String {
    let ids = identifiers(d);
    let mut out = String::from("erDiagram\n");
    for e in &d.entities {
        let id = &ids[&e.table];
        let mut text = d.label(e);
        if e.hidden_columns > 0 {
            text.push_str(&format!(" +{} columns", e.hidden_columns));
        }
        let alias = if *id == text {
            String::new()
        } else {
            format!("[\"{}\"]", label(&text))
        };
        if e.attributes.is_empty() {
            let _ = writeln!(out, "    {id}{alias}");
            continue;
        }
        let _ = writeln!(out, "    {id}{alias} {{");
        for a in &e.attributes {
            let (ty_word, ty_exact) = type_word(&a.ty);
            let (name_word, name_exact) = word(&a.name, "column");
            let mut comment = Vec::new();
            if !name_exact {
                comment.push(format!("column {}", a.name));
            }
            if !ty_exact {
                comment.push(a.ty.clone());
            }
            if let Some(w) = a.mark.word()
                && (a.mark != Mark::Changed || a.notes.is_empty())
            {
                comment.push(w.to_string());
            }
            comment.extend(a.notes.iter().cloned());
            let keys: Vec<&str> = [
                (a.primary_key, "PK"),
                (a.foreign_key, "FK"),
                (a.unique && !a.primary_key, "UK"),
            ]
            .into_iter()
            .filter_map(|(on, k)| on.then_some(k))
            .collect();
            let mut line = format!("        {ty_word} {name_word}");
            if !keys.is_empty() {
                line.push(' ');
                line.push_str(&keys.join(", "));
            }
            if !comment.is_empty() {
                let _ = write!(line, " \"{}\"", label(&comment.join("; ")));
            }
            let _ = writeln!(out, "{line}");
        }
        let _ = writeln!(out, "    }}");
    }
    for r in &d.relations {
        let child = if r.child_unique { "|o" } else { "}o" };
        let parent = if r.optional { "o|" } else { "||" };
        let line = if r.mark == Mark::Dropped { ".." } else { "--" };
        let mut text = r.name.clone();
        if let Some(w) = r.mark.word() {
            text.push_str(&format!(" ({w})"));
        }
        let _ = writeln!(
            out,
            "    {} {child}{line}{parent} {} : \"{}\"",
            ids[&r.child],
            ids[&r.parent],
            label(&text)
        );
    }
    out
}

/// Each table's identifier: its name when that is a plain, unambiguous word, else `t_N`.
fn identifiers(d: &Diagram) -> BTreeMap<autogen_schema::QualifiedName, String> {
    let mut per_name: BTreeMap<&str, usize> = BTreeMap::new();
    for e in &d.entities {
        *per_name.entry(e.table.name.as_str()).or_default() += 1;
    }
    let plain = |name: &str| {
        let mut chars = name.chars();
        chars
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !RESERVED.contains(&name.to_ascii_lowercase().as_str())
            && !is_generated(name)
            && per_name[name] == 1
    };
    let mut ids = BTreeMap::new();
    let mut n = 0;
    for e in &d.entities {
        let id = if plain(&e.table.name) {
            e.table.name.clone()
        } else {
            n += 1;
            format!("t_{n}")
        };
        ids.insert(e.table.clone(), id);
    }
    ids
}

/// `t_<digits>`: the form of generated identifiers, never taken from a name.
fn is_generated(name: &str) -> bool {
    name.strip_prefix("t_")
        .is_some_and(|rest| !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit()))
}

/// `text` as an attribute word (`[A-Za-z_][A-Za-z0-9_()\[\]-]*`, not a key word) and whether
/// it is exactly `text`; `fallback` when nothing of it is usable.
fn word(text: &str, fallback: &str) -> (String, bool) {
    let mut w: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '_' | '(' | ')' | '[' | ']' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if !w
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
    {
        w = format!("{fallback}_{w}");
    }
    if KEYS.contains(&w.to_ascii_lowercase().as_str()) {
        w.push('_');
    }
    let exact = w == text;
    (w, exact)
}

/// A type as an attribute word: Postgres's short names for the types spelled with spaces
/// (`varchar(200)`, `timestamptz`), other characters replaced.
fn type_word(ty: &str) -> (String, bool) {
    const SHORT: &[(&str, &str)] = &[
        ("character varying", "varchar"),
        ("timestamp with time zone", "timestamptz"),
        ("timestamp without time zone", "timestamp"),
        ("time with time zone", "timetz"),
        ("time without time zone", "time"),
        ("double precision", "float8"),
        ("bit varying", "varbit"),
    ];
    // A type in `public` (an enum) is shown by its name.
    let ty = ty.strip_prefix("public.").unwrap_or(ty);
    let mut short = ty.to_string();
    let mut renamed = false;
    for (long, s) in SHORT {
        if let Some(rest) = ty.strip_prefix(long) {
            short = format!("{s}{rest}");
            renamed = true;
            break;
        }
    }
    let (w, exact) = word(&short, "type");
    let exact = exact || (renamed && w == short);
    (w, exact)
}

/// Text for inside `"…"`: one line, without the characters Mermaid reads inside or across
/// quotes (see the module docs), each replaced by `_`.
pub(crate) fn label(text: &str) -> String {
    let one = crate::text::one_line(text);
    let out: String = one
        .chars()
        .map(|c| match c {
            '"' | '%' | '#' | '`' | '<' | '>' | '\\' | '{' | '}' => '_',
            c if c.is_control() || c.is_whitespace() && c != ' ' => '_',
            c => c,
        })
        .collect();
    // `direction` followed by whitespace anywhere on a line is a direction statement. ASCII
    // lowercase keeps byte offsets.
    let lower = out.to_ascii_lowercase();
    let mut fixed = String::with_capacity(out.len());
    let mut rest = 0;
    for (at, _) in lower.match_indices("direction") {
        let end = at + "direction".len();
        if end < rest {
            continue;
        }
        fixed.push_str(&out[rest..end]);
        rest = end;
        while out[rest..].starts_with(' ') {
            fixed.push('_');
            rest += 1;
        }
    }
    fixed.push_str(&out[rest..]);
    fixed
}
