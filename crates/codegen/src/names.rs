//! How objects are named in generated SQL and Rust: tables and types in the `public` schema are
//! written unqualified (the way hand-written migrations write them, resolved through the
//! connection's `search_path`), others schema-qualified.

use crate::text::{sql_ident as quote, sql_string as literal};
use autogen_schema::{QualifiedName, Type};

/// The schema written unqualified.
pub(crate) const DEFAULT_SCHEMA: &str = "public";

/// A table (or any relation) in SQL: `post`, `"user"`, `audit.log`.
pub(crate) fn table_sql(q: &QualifiedName) -> String {
    qualified_sql(&q.schema, &q.name)
}

pub(crate) fn qualified_sql(schema: &str, name: &str) -> String {
    if schema == DEFAULT_SCHEMA {
        quote(name)
    } else {
        format!("{}.{}", quote(schema), quote(name))
    }
}

/// A table for humans (header comments, warnings): `post`, `audit.log`.
pub(crate) fn table_display(q: &QualifiedName) -> String {
    if q.schema == DEFAULT_SCHEMA {
        q.name.clone()
    } else {
        format!("{}.{}", q.schema, q.name)
    }
}

/// A column type in SQL, with user types in `public` unqualified.
pub(crate) fn type_sql(ty: &Type) -> String {
    match ty {
        Type::Named { schema, name } => qualified_sql(schema, name),
        Type::Array { element } => format!("{}[]", type_sql(element)),
        other => other.to_sql(),
    }
}

/// `'text'` with quotes doubled.
pub(crate) fn lit(text: &str) -> String {
    literal(text)
}

/// `a, b, c` with each identifier quoted where needed.
pub(crate) fn ident_list(names: &[String]) -> String {
    names
        .iter()
        .map(|n| quote(n))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `(expr)` unless `expr` is already one parenthesised group.
pub(crate) fn parenthesized(expr: &str) -> String {
    let e = expr.trim();
    if e.starts_with('(') && closes_at_end(e) {
        e.to_string()
    } else {
        format!("({e})")
    }
}

/// True when the `(` opening `e` closes at its last character (quotes respected).
fn closes_at_end(e: &str) -> bool {
    let mut depth = 0i32;
    let mut in_str = false;
    for (i, c) in e.char_indices() {
        match c {
            '\'' => in_str = !in_str,
            '(' if !in_str => depth += 1,
            ')' if !in_str => {
                depth -= 1;
                if depth == 0 {
                    return i == e.len() - 1;
                }
            }
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parenthesizes_once() {
        assert_eq!(parenthesized("(price > 0)"), "(price > 0)");
        assert_eq!(parenthesized("price > 0"), "(price > 0)");
        assert_eq!(
            parenthesized("(a > 0) AND (b > 0)"),
            "((a > 0) AND (b > 0))"
        );
    }

    #[test]
    fn public_is_unqualified() {
        assert_eq!(table_sql(&QualifiedName::new("public", "user")), "\"user\"");
        assert_eq!(table_sql(&QualifiedName::new("audit", "log")), "audit.log");
        assert_eq!(
            type_sql(&Type::array(Type::named("public", "mood"))),
            "mood[]"
        );
    }
}
