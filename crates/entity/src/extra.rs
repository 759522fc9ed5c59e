//! `extra = "SQL"`: SeaORM appends the text to the column definition. The simple clauses are
//! lowered into the model (`NOT NULL`, `NULL`, `UNIQUE`, `DEFAULT x`, `CHECK (..)`,
//! `COLLATE x`, `GENERATED ALWAYS AS (..) STORED`, and `CONSTRAINT name` before a `CHECK` or
//! `UNIQUE`); anything else is kept in `Column.extra` and reported. The text is read with the
//! schema crate's SQL tokenizer, so quotes, dollar quotes and comments are understood; malformed
//! text (an unterminated literal, unbalanced parentheses, a CHECK that is not one expression) is
//! an error.

use autogen_schema::sql_lex::{self, Kind};
use autogen_schema::{Check, Column, Table, naming};

/// Applies what it understands: `Ok(Some(warning))` for what it does not, `Err` for malformed
/// SQL.
pub(crate) fn apply(
    extra: &str,
    table: &str,
    col: &mut Column,
    t: &mut Table,
) -> Result<Option<String>, String> {
    if let Err(e) = sql_lex::expression_tokens(extra) {
        return Err(format!("extra = {extra:?} is not valid SQL: {e}"));
    }
    let malformed = |what: &str, expr: &str, e: sql_lex::LexError| {
        format!("extra = {extra:?}: the {what} expression `{expr}` is malformed: {e}")
    };
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
            let Some((expr, r)) = parenthesized(r) else {
                return Err(format!(
                    "extra = {extra:?}: CHECK needs a parenthesized expression"
                ));
            };
            sql_lex::single_expression(expr).map_err(|e| malformed("CHECK", expr, e))?;
            t.checks.push(Check {
                name: name
                    .unwrap_or_else(|| naming::postgres_object_name(table, &col.name, "check")),
                expression: expr.to_string(),
                no_inherit: false,
                not_valid: false,
            });
            rest = r;
        } else if let Some(r) = strip_kw(rest, &upper, "COLLATE") {
            let (name, r) = word(r);
            col.collation = Some(name.trim_matches('"').to_string());
            rest = r;
        } else if let Some(r) = strip_kw(rest, &upper, "GENERATED ALWAYS AS") {
            let Some((expr, r)) = parenthesized(r) else {
                return Err(format!(
                    "extra = {extra:?}: GENERATED ALWAYS AS needs a parenthesized expression"
                ));
            };
            sql_lex::single_expression(expr).map_err(|e| malformed("generated", expr, e))?;
            let upper_r = r.trim_start().to_ascii_uppercase();
            let r = strip_kw(r.trim_start(), &upper_r, "STORED").unwrap_or(r);
            col.generated = Some(expr.to_string());
            rest = r;
        } else if let Some(r) = strip_kw(rest, &upper, "DEFAULT") {
            let (expr, r) = until_keyword(r);
            sql_lex::single_expression(expr).map_err(|e| malformed("DEFAULT", expr, e))?;
            col.default = Some(expr.to_string());
            rest = r;
        } else {
            return Ok(Some(format!(
                "extra = \"{extra}\": `{rest}` is not understood; it is kept in the model but not compared"
            )));
        }
        rest = rest.trim_start();
    }
    Ok(None)
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

/// `(…)` at the start of `text`, as tokens see it: (whole `(…)` text, rest).
fn parenthesized(text: &str) -> Option<(&str, &str)> {
    let text = text.trim_start();
    let tokens = sql_lex::tokenize(text).ok()?;
    if !tokens.first()?.is("(") {
        return None;
    }
    let mut depth = 0;
    for t in &tokens {
        if t.is("(") {
            depth += 1;
        } else if t.is(")") {
            depth -= 1;
            if depth == 0 {
                return Some((&text[..=t.at], &text[t.at + 1..]));
            }
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

/// The first token (a word or a quoted identifier) and the rest.
fn word(text: &str) -> (&str, &str) {
    let text = text.trim_start();
    match sql_lex::tokenize(text)
        .ok()
        .and_then(|t| t.first().copied())
    {
        Some(t) if matches!(t.kind, Kind::Word | Kind::QuotedIdent) => {
            let end = t.at + t.text.len();
            (&text[..end], &text[end..])
        }
        _ => {
            let end = text.find(char::is_whitespace).unwrap_or(text.len());
            (&text[..end], &text[end..])
        }
    }
}

/// A DEFAULT expression runs until the next top-level clause keyword.
fn until_keyword(text: &str) -> (&str, &str) {
    let Ok(tokens) = sql_lex::tokenize(text) else {
        return (text.trim(), "");
    };
    let mut depth = 0;
    for (i, t) in tokens.iter().enumerate() {
        if t.is("(") || t.is("[") {
            depth += 1;
        } else if t.is(")") || t.is("]") {
            depth -= 1;
        } else if depth == 0 && i > 0 {
            let not_null = t.is_word("NOT") && tokens.get(i + 1).is_some_and(|n| n.is_word("NULL"));
            let clause = ["NULL", "UNIQUE", "CHECK", "COLLATE", "CONSTRAINT"]
                .iter()
                .any(|k| t.is_word(k));
            if not_null || clause {
                return (text[..t.at].trim(), &text[t.at..]);
            }
        }
    }
    (text.trim(), "")
}

#[cfg(test)]
mod tests {
    use super::*;
    use autogen_schema::Type;

    fn run(extra: &str) -> (Result<Option<String>, String>, Column, Table) {
        let mut col = Column::new("a", Type::Integer);
        let mut t = Table::new("public", "t");
        let r = apply(extra, "t", &mut col, &mut t);
        (r, col, t)
    }

    #[test]
    fn malformed_sql_is_an_error_not_a_panic() {
        let err = |x: &str| run(x).0.unwrap_err();
        assert_eq!(
            err(r#"CHECK (a::"int4 > 0)"#),
            r#"extra = "CHECK (a::\"int4 > 0)" is not valid SQL: unterminated quoted identifier (at byte 10)"#
        );
        assert_eq!(
            err("CHECK (a > 0"),
            r#"extra = "CHECK (a > 0" is not valid SQL: `(` is never closed (at byte 6)"#
        );
        assert_eq!(
            err("CHECK a > 0"),
            r#"extra = "CHECK a > 0": CHECK needs a parenthesized expression"#
        );
        assert_eq!(
            err("DEFAULT 1, 2"),
            r#"extra = "DEFAULT 1, 2": the DEFAULT expression `1, 2` is malformed: `,` outside parentheses: more than one expression (at byte 1)"#
        );
    }

    #[test]
    fn quotes_and_keywords_inside_literals_are_not_clauses() {
        let (r, col, t) = run(r#"DEFAULT 'NOT NULL )' CHECK (a <> ')' AND "b c" > 0) NOT NULL"#);
        assert_eq!(r, Ok(None));
        assert_eq!(col.default.as_deref(), Some("'NOT NULL )'"));
        assert!(!col.nullable);
        assert_eq!(t.checks[0].expression, r#"(a <> ')' AND "b c" > 0)"#);
        let (r, _, t) = run(r#"CONSTRAINT "Pos Check" CHECK (a > 0)"#);
        assert_eq!(r, Ok(None));
        assert_eq!(t.checks[0].name, "Pos Check");
    }
}
