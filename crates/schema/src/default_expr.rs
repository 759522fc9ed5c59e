//! Canonical form of default expressions, so that spellings Postgres treats alike compare equal:
//! `now()` / `CURRENT_TIMESTAMP` / `transaction_timestamp()`, a literal with or without a cast to
//! the column's own type (`'a'::character varying` / `'a'`), negative numbers Postgres stores as
//! `'-1'::integer`, redundant outer parentheses.

/// The canonical text of a default expression. Only for comparison; never rendered as SQL.
pub fn canonical(expr: &str) -> String {
    let mut e = strip_outer_parens(expr.trim()).to_string();
    let lower = e.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "now()" | "current_timestamp" | "transaction_timestamp()" | "current_timestamp()"
    ) {
        return "CURRENT_TIMESTAMP".into();
    }
    if matches!(lower.as_str(), "true" | "'t'::boolean" | "'true'::boolean") {
        return "true".into();
    }
    if matches!(
        lower.as_str(),
        "false" | "'f'::boolean" | "'false'::boolean"
    ) {
        return "false".into();
    }
    if let Some(lit) = literal_with_optional_cast(&e) {
        let inner = &lit[1..lit.len() - 1];
        if is_number(inner) {
            return normalize_number(inner);
        }
        e = lit.to_string();
    } else if is_number(&e) {
        return normalize_number(&e);
    }
    e
}

/// `'text'` or `'text'::some type` (the cast may be any type name) → `'text'`.
fn literal_with_optional_cast(e: &str) -> Option<&str> {
    if !e.starts_with('\'') {
        return None;
    }
    let bytes = e.as_bytes();
    let mut i = 1;
    while i < bytes.len() {
        if bytes[i] == b'\'' {
            if bytes.get(i + 1) == Some(&b'\'') {
                i += 2;
                continue;
            }
            let rest = &e[i + 1..];
            if rest.is_empty() || (rest.starts_with("::") && !rest[2..].contains("::")) {
                return Some(&e[..=i]);
            }
            return None;
        }
        i += 1;
    }
    None
}

fn is_number(s: &str) -> bool {
    let s = s.strip_prefix('-').unwrap_or(s);
    !s.is_empty()
        && s.chars().all(|c| c.is_ascii_digit() || c == '.')
        && s.chars().filter(|c| *c == '.').count() <= 1
        && s.chars().any(|c| c.is_ascii_digit())
}

fn normalize_number(s: &str) -> String {
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

fn strip_outer_parens(mut e: &str) -> &str {
    while e.starts_with('(') && e.ends_with(')') && encloses(e) {
        e = e[1..e.len() - 1].trim();
    }
    e
}

/// True when the first `(` of `e` closes at its last character.
fn encloses(e: &str) -> bool {
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
        assert_ne!(canonical("gen_random_uuid()"), canonical("now()"));
        assert_eq!(
            canonical("('a'::text || 'b'::text)"),
            "'a'::text || 'b'::text"
        );
    }
}
