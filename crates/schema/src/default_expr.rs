//! Canonical form of default expressions, so that spellings Postgres treats alike compare equal:
//! `now()` / `CURRENT_TIMESTAMP` / `transaction_timestamp()`, a literal with or without a cast to
//! the column's own type (`'a'::character varying` / `'a'`), negative numbers Postgres stores as
//! `'-1'::integer`, redundant outer parentheses. Numbers are normalized only where Postgres reads a
//! number: `'007'::text` stays the string `'007'`.

use crate::sql_lex::{self, Kind, Token};

/// The canonical text of a default expression. Only for comparison; never rendered as SQL.
/// Text that does not tokenize is its own canonical form (trimmed): it equals only itself.
pub fn canonical(expr: &str) -> String {
    let Ok(tokens) = sql_lex::expression_tokens(expr) else {
        return expr.trim().to_string();
    };
    let tokens = strip_outer_parens(&tokens);
    let e = tokens.iter().map(|t| t.text).collect::<Vec<_>>().join(" ");
    let lower = e.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "now ( )" | "current_timestamp" | "transaction_timestamp ( )" | "current_timestamp ( )"
    ) {
        return "CURRENT_TIMESTAMP".into();
    }
    if matches!(
        lower.as_str(),
        "true" | "'t' :: boolean" | "'true' :: boolean"
    ) {
        return "true".into();
    }
    if matches!(
        lower.as_str(),
        "false" | "'f' :: boolean" | "'false' :: boolean"
    ) {
        return "false".into();
    }
    // A number, maybe negative, maybe Postgres's `'-1'::integer`: normalized only when it is a
    // number to Postgres (unquoted, or quoted and cast to a numeric type). `'007'::text` is
    // the string `007`, not the number 7.
    match tokens {
        [n] if n.kind == Kind::Number => return normalize_number(n.text),
        [m, n] if m.is("-") && n.kind == Kind::Number => {
            return normalize_number(&format!("-{}", n.text));
        }
        [lit, cast, ty @ ..] if lit.kind == Kind::String && cast.is("::") && !ty.is_empty() => {
            let ty = ty.iter().map(|t| t.text).collect::<Vec<_>>().join(" ");
            let inner = &lit.text[1..lit.text.len() - 1];
            if is_number(inner) && is_numeric_type(&ty) {
                return normalize_number(inner);
            }
            // A literal with a cast (to the column's own type, as Postgres stores it) is the
            // literal.
            if lit.text.starts_with('\'') && is_type_name(&ty) {
                return lit.text.to_string();
            }
        }
        _ => {}
    }
    e
}

/// A plain type name: words, quoted identifiers, dots, a modifier and array brackets, no
/// further cast or operator.
fn is_type_name(ty: &str) -> bool {
    sql_lex::tokenize(ty).is_ok_and(|tokens| {
        tokens.iter().all(|t| {
            matches!(t.kind, Kind::Word | Kind::QuotedIdent | Kind::Number)
                || ["(", ")", "[", "]", ".", ","].iter().any(|p| t.is(p))
        })
    })
}

fn is_numeric_type(ty: &str) -> bool {
    matches!(
        ty.to_ascii_lowercase().as_str(),
        "integer"
            | "bigint"
            | "smallint"
            | "numeric"
            | "real"
            | "double precision"
            | "int"
            | "int2"
            | "int4"
            | "int8"
            | "float4"
            | "float8"
            | "decimal"
    ) || ty.to_ascii_lowercase().starts_with("numeric (")
}

fn is_number(s: &str) -> bool {
    let s = s.strip_prefix('-').unwrap_or(s);
    !s.is_empty()
        && s.chars().all(|c| c.is_ascii_digit() || c == '.')
        && s.chars().filter(|c| *c == '.').count() <= 1
        && s.chars().any(|c| c.is_ascii_digit())
}

fn normalize_number(s: &str) -> String {
    if !is_number(s) {
        return s.to_string();
    }
    let (neg, digits) = match s.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, s),
    };
    let mut d = digits.trim_start_matches('0').to_string();
    if d.contains('.') {
        d = d.trim_end_matches('0').trim_end_matches('.').to_string();
    }
    if d.is_empty() || d.starts_with('.') {
        d.insert(0, '0');
    }
    if neg && d != "0" { format!("-{d}") } else { d }
}

/// Without parentheses that enclose the whole expression.
fn strip_outer_parens<'a, 'b>(mut t: &'b [Token<'a>]) -> &'b [Token<'a>] {
    while t.len() >= 2 && t[0].is("(") && t[t.len() - 1].is(")") && encloses(t) {
        t = &t[1..t.len() - 1];
    }
    t
}

/// True when the first `(` closes at the last token.
fn encloses(t: &[Token<'_>]) -> bool {
    let mut depth = 0i32;
    for (i, tok) in t.iter().enumerate() {
        if tok.is("(") {
            depth += 1;
        } else if tok.is(")") {
            depth -= 1;
            if depth == 0 {
                return i == t.len() - 1;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::canonical;

    #[test]
    fn equivalent_spellings() {
        assert_eq!(canonical("now()"), canonical("CURRENT_TIMESTAMP"));
        assert_eq!(canonical("'abc'::character varying"), canonical("'abc'"));
        assert_eq!(canonical("'abc'::text"), "'abc'");
        assert_eq!(canonical("'-1'::integer"), canonical("-1"));
        assert_eq!(canonical("(0)"), "0");
        assert_eq!(canonical("'1.50'::numeric"), "1.5");
        assert_eq!(
            canonical("'draft'::post_status"),
            canonical("'draft'::public.post_status")
        );
        assert_eq!(canonical("'it''s'::text"), "'it''s'");
        assert_eq!(canonical("true"), canonical("'t'::boolean"));
    }

    #[test]
    fn different_things_stay_different() {
        assert_ne!(canonical("'a'"), canonical("'b'"));
        assert_ne!(canonical("1"), canonical("10"));
        // A numeric-looking string is a string: `text DEFAULT '007'` is not `'7'` nor 7.
        assert_ne!(canonical("'007'::text"), canonical("'7'"));
        assert_ne!(canonical("'007'::text"), canonical("7"));
        assert_eq!(canonical("'007'::text"), "'007'");
        assert_eq!(canonical("'007'::integer"), "7");
        assert_eq!(canonical("-1"), "-1");
        assert_ne!(canonical("'a'::text || 'b'"), canonical("'a'"));
        // Malformed text equals only itself.
        assert_eq!(canonical(" 'abc"), "'abc");
        assert_ne!(canonical("gen_random_uuid()"), canonical("now()"));
        assert_eq!(
            canonical("('a'::text || 'b'::text)"),
            "'a' :: text || 'b' :: text"
        );
    }
}
