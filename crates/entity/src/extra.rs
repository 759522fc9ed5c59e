//! `extra = "SQL"`: SeaORM appends the text to the column definition. The simple clauses are
//! lowered into the model (`NOT NULL`, `NULL`, `UNIQUE`, `DEFAULT x`, `CHECK (..)`,
//! `COLLATE x`, `GENERATED ALWAYS AS (..) STORED`, and `CONSTRAINT name` before a `CHECK` or
//! `UNIQUE`); anything else is kept in `Column.extra` and reported.

use autogen_schema::{Check, Column, Table, naming};

/// Applies what it understands; returns a warning for what it does not.
pub(crate) fn apply(extra: &str, table: &str, col: &mut Column, t: &mut Table) -> Option<String> {
    let mut rest = extra.trim();
    // `CONSTRAINT name` names the clause after it (Postgres ignores it on the others).
    let mut named: Option<String> = None;
    while !rest.is_empty() {
        let upper = rest.to_ascii_uppercase();
        let name = named.take();
        if let Some(r) = strip_kw(rest, &upper, "CONSTRAINT") {
            let (n, r) = word(r);
            named = Some(identifier(n));
            rest = r;
        } else if let Some(r) = strip_kw(rest, &upper, "NOT NULL") {
            col.nullable = false;
            rest = r;
        } else if let Some(r) = strip_kw(rest, &upper, "NULL") {
            col.nullable = true;
            rest = r;
        } else if let Some(r) = strip_kw(rest, &upper, "UNIQUE") {
            let mut unique = crate::lower::inline_unique(table, &col.name);
            if let Some(n) = name {
                unique.name = n;
            }
            t.indexes.push(unique);
            rest = r;
        } else if let Some(r) = strip_kw(rest, &upper, "CHECK") {
            let (expr, r) = parenthesized(r)?;
            t.checks.push(Check {
                name: name
                    .unwrap_or_else(|| naming::postgres_object_name(table, &col.name, "check")),
                expression: expr.to_string(),
                no_inherit: false,
            });
            rest = r;
        } else if let Some(r) = strip_kw(rest, &upper, "COLLATE") {
            let (name, r) = word(r);
            col.collation = Some(name.trim_matches('"').to_string());
            rest = r;
        } else if let Some(r) = strip_kw(rest, &upper, "GENERATED ALWAYS AS") {
            let (expr, r) = parenthesized(r)?;
            let upper_r = r.trim_start().to_ascii_uppercase();
            let r = strip_kw(r.trim_start(), &upper_r, "STORED").unwrap_or(r);
            col.generated = Some(expr.to_string());
            rest = r;
        } else if let Some(r) = strip_kw(rest, &upper, "DEFAULT") {
            let (expr, r) = until_keyword(r);
            col.default = Some(expr.to_string());
            rest = r;
        } else {
            return Some(format!(
                "extra = \"{extra}\": `{rest}` is not understood; it is kept in the model but not compared"
            ));
        }
        rest = rest.trim_start();
    }
    None
}

/// `kw` at the start of `text` (case-insensitive) followed by a word boundary.
fn strip_kw<'a>(text: &'a str, upper: &str, kw: &str) -> Option<&'a str> {
    if !upper.starts_with(kw) {
        return None;
    }
    let after = &text[kw.len()..];
    match after.chars().next() {
        None => Some(after),
        Some(c) if !c.is_alphanumeric() && c != '_' => Some(after.trim_start()),
        _ => None,
    }
}

/// `(…)` with nested parentheses and quotes: (whole `(…)` text, rest).
fn parenthesized(text: &str) -> Option<(&str, &str)> {
    let text = text.trim_start();
    if !text.starts_with('(') {
        return None;
    }
    let mut depth = 0;
    let mut in_str = false;
    for (i, c) in text.char_indices() {
        match c {
            '\'' => in_str = !in_str,
            '(' if !in_str => depth += 1,
            ')' if !in_str => {
                depth -= 1;
                if depth == 0 {
                    return Some((&text[..=i], &text[i + 1..]));
                }
            }
            _ => {}
        }
    }
    None
}

/// An SQL identifier as Postgres stores it: `"Name"` keeps its case, a bare word is folded to
/// lower case; both are cut to 63 bytes.
fn identifier(written: &str) -> String {
    let name = match written.strip_prefix('"').and_then(|w| w.strip_suffix('"')) {
        Some(quoted) => quoted.replace("\"\"", "\""),
        None => written.to_ascii_lowercase(),
    };
    naming::truncate_identifier(&name)
}

fn word(text: &str) -> (&str, &str) {
    let text = text.trim_start();
    let end = text.find(char::is_whitespace).unwrap_or(text.len());
    (&text[..end], &text[end..])
}

/// A DEFAULT expression runs until the next top-level clause keyword.
fn until_keyword(text: &str) -> (&str, &str) {
    let upper = text.to_ascii_uppercase();
    let mut depth = 0;
    let mut in_str = false;
    for (i, c) in text.char_indices() {
        match c {
            '\'' => in_str = !in_str,
            '(' if !in_str => depth += 1,
            ')' if !in_str => depth -= 1,
            ' ' if !in_str && depth == 0 => {
                let next = upper[i..].trim_start();
                if [
                    "NOT NULL",
                    "NULL",
                    "UNIQUE",
                    "CHECK",
                    "COLLATE",
                    "CONSTRAINT",
                ]
                .iter()
                .any(|k| next.starts_with(k))
                {
                    return (text[..i].trim(), &text[i..]);
                }
            }
            _ => {}
        }
    }
    (text.trim(), "")
}
