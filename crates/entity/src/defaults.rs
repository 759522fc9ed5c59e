//! Column defaults: `default_value = <literal>` and `default_expr = "<Rust expr>"` → the text
//! Postgres stores (`pg_get_expr`) for what sea-query writes: a string becomes
//! `'draft'::character varying` on a varchar column, a keyword `CURRENT_TIMESTAMP`, a custom
//! expression its own text. Compared later with `equality::defaults_equal`, so spelling details
//! are tolerated.

use autogen_schema::{Type, ident};
use syn::{Expr, Lit, UnOp};

use crate::column_type;
use crate::entity_def::ParsedDefault;

/// `Ok(None)`: no default (`DEFAULT NULL` stores none).
pub(crate) fn lower(spec: &ParsedDefault, ty: &Type) -> Result<Option<String>, String> {
    match spec {
        ParsedDefault::Value(lit) => literal(lit, false, ty).map(Some),
        ParsedDefault::Expr(e) => expr(e, ty),
    }
}

/// A custom SQL default (`Expr::cust("…")`) whose text is not one well-formed SQL expression:
/// the message for an error diagnostic.
pub(crate) fn malformed_sql(spec: &ParsedDefault) -> Option<String> {
    let ParsedDefault::Expr(e) = spec else {
        return None;
    };
    let mut e: &Expr = e;
    loop {
        match e {
            Expr::Paren(p) => e = &p.expr,
            Expr::Group(g) => e = &g.expr,
            Expr::MethodCall(mc) => e = &mc.receiver,
            _ => break,
        }
    }
    let Expr::Call(c) = e else { return None };
    let Expr::Path(f) = &*c.func else { return None };
    let name = column_type::last(&f.path);
    if !matches!(
        name.as_str(),
        "cust" | "custom" | "cust_with_values" | "cust_with_exprs"
    ) {
        return None;
    }
    let text = column_type::strings_in(c.args.first()?)
        .into_iter()
        .next()?;
    let e = autogen_schema::sql_lex::single_expression(&text).err()?;
    Some(format!(
        "default_expr {name}({text:?}) is not one well-formed SQL expression: {e}"
    ))
}

fn expr(e: &Expr, ty: &Type) -> Result<Option<String>, String> {
    match e {
        Expr::Lit(l) => literal(&l.lit, false, ty).map(Some),
        Expr::Paren(p) => expr(&p.expr, ty),
        Expr::Group(g) => expr(&g.expr, ty),
        Expr::Unary(u) if matches!(u.op, UnOp::Neg(_)) => match &*u.expr {
            Expr::Lit(l) => literal(&l.lit, true, ty).map(Some),
            _ => Err("unsupported negative expression".into()),
        },
        Expr::Path(p) => keyword(&column_type::last(&p.path)).map(|k| k.map(str::to_string)),
        Expr::MethodCall(mc)
            if matches!(
                mc.method.to_string().as_str(),
                "into" | "to_owned" | "to_string"
            ) =>
        {
            expr(&mc.receiver, ty)
        }
        Expr::Call(c) => {
            let Expr::Path(f) = &*c.func else {
                return Err("unsupported call".into());
            };
            let name = column_type::last(&f.path);
            let arg = c.args.first();
            match name.as_str() {
                "current_timestamp" => Ok(Some("CURRENT_TIMESTAMP".into())),
                "current_date" => Ok(Some("CURRENT_DATE".into())),
                "current_time" => Ok(Some("CURRENT_TIME".into())),
                "null" => Ok(None),
                "val" | "value" | "from" | "new" | "Some" => match arg {
                    Some(a) => expr(a, ty),
                    None => Err(format!("`{name}()` needs a value")),
                },
                "cust" | "custom" | "cust_with_values" | "cust_with_exprs" | "custom_keyword" => {
                    let text = arg
                        .and_then(|a| column_type::strings_in(a).into_iter().next())
                        .ok_or_else(|| format!("`{name}(..)` needs a string"))?;
                    Ok(Some(custom(&text, ty)))
                }
                "keyword" => match arg {
                    Some(a) => expr(a, ty),
                    None => Err("`keyword()` needs a Keyword".into()),
                },
                "Custom" => Ok(arg.and_then(|a| column_type::strings_in(a).into_iter().next())),
                other => Err(format!(
                    "`{other}(..)` is not an expression autogen can predict"
                )),
            }
        }
        _ => Err("not an expression autogen can predict".into()),
    }
}

fn keyword(name: &str) -> Result<Option<&'static str>, String> {
    match name {
        "CurrentTimestamp" => Ok(Some("CURRENT_TIMESTAMP")),
        "CurrentDate" => Ok(Some("CURRENT_DATE")),
        "CurrentTime" => Ok(Some("CURRENT_TIME")),
        "Null" | "None" => Ok(None),
        "true" => Ok(Some("true")),
        "false" => Ok(Some("false")),
        other => Err(format!("`{other}` is not a keyword autogen knows")),
    }
}

/// `Expr::cust("...")`: Postgres keeps the expression; a bare string literal gets the column's
/// cast.
fn custom(text: &str, ty: &Type) -> String {
    let t = text.trim();
    let t = strip_parens(t);
    let is_plain_literal = t.len() >= 2
        && t.starts_with('\'')
        && t.ends_with('\'')
        && !t[1..t.len() - 1].replace("''", "").contains('\'');
    if is_plain_literal {
        return format!("{t}::{}", cast_name(ty));
    }
    match t.to_ascii_uppercase().as_str() {
        "CURRENT_TIMESTAMP" | "CURRENT_DATE" | "CURRENT_TIME" | "TRUE" | "FALSE" => t
            .to_ascii_uppercase()
            .replace("TRUE", "true")
            .replace("FALSE", "false"),
        _ => typed_literals(t),
    }
}

/// `interval '1 day'` → `'1 day'::interval`: Postgres stores a typed literal as a cast.
fn typed_literals(t: &str) -> String {
    let mut out = t.to_string();
    for kw in [
        "interval",
        "date",
        "timestamptz",
        "timestamp",
        "time",
        "uuid",
        "jsonb",
        "json",
    ] {
        let mut search = 0;
        while let Some(pos) = out[search..]
            .to_ascii_lowercase()
            .find(&format!("{kw} '"))
            .map(|p| p + search)
        {
            let boundary =
                pos == 0 || !out[..pos].ends_with(|c: char| c.is_alphanumeric() || c == '_');
            let lit_start = pos + kw.len() + 1;
            let Some(len) = out[lit_start + 1..].find('\'') else {
                break;
            };
            let lit_end = lit_start + 1 + len + 1;
            if boundary {
                let lit = out[lit_start..lit_end].to_string();
                out.replace_range(pos..lit_end, &format!("{lit}::{kw}"));
                search = pos + lit.len() + kw.len() + 2;
            } else {
                search = lit_end;
            }
        }
    }
    out
}

fn strip_parens(mut t: &str) -> &str {
    while t.starts_with('(') && t.ends_with(')') && balanced(&t[1..t.len() - 1]) {
        t = t[1..t.len() - 1].trim();
    }
    t
}

fn balanced(s: &str) -> bool {
    let mut depth = 0i32;
    for c in s.chars() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            _ => {}
        }
    }
    depth == 0
}

/// What Postgres prints for the literal sea-query writes (the rules of ruleutils'
/// `get_const_expr`, checked against `pg_get_expr`): non-negative int4 and numeric constants
/// bare, everything else quoted with its type (`'-1'::integer`, `'9999999999'::bigint`,
/// `'-2.5'::numeric`); a string is coerced to the column type first (`'x'::text`, `5` on an
/// integer column), and so is a number on a text column.
fn literal(lit: &Lit, negative: bool, ty: &Type) -> Result<String, String> {
    let sign = if negative { "-" } else { "" };
    let textual = matches!(
        ty,
        Type::Varchar { .. }
            | Type::Char { .. }
            | Type::Text
            | Type::Named { .. }
            | Type::Other { .. }
    );
    let number = |text: String| {
        if textual {
            string_const(&text, ty)
        } else {
            text
        }
    };
    Ok(match lit {
        Lit::Str(s) => string_const(&s.value(), ty),
        Lit::Char(c) => string_const(&c.value().to_string(), ty),
        Lit::Int(i) => {
            let digits = format!("{sign}{}", i.base10_digits());
            if textual {
                string_const(&digits, ty)
            } else {
                int_const(&digits)
            }
        }
        Lit::Float(f) => {
            let v: f64 = format!("{sign}{}", f.base10_digits())
                .parse()
                .map_err(|_| "unreadable number")?;
            // sea-query writes an f64 with `Display`: `1.0` is `1`.
            let text = format!("{v}");
            if !text.contains('.') {
                number(int_const(&text))
            } else if v < 0.0 {
                number(format!("'{text}'::numeric"))
            } else {
                number(text)
            }
        }
        Lit::Bool(b) => {
            if b.value {
                "true".into()
            } else {
                "false".into()
            }
        }
        _ => return Err("unsupported literal".into()),
    })
}

fn int_const(digits: &str) -> String {
    let negative = digits.starts_with('-');
    match digits.parse::<i128>() {
        Ok(v) if i32::try_from(v).is_ok() => {
            if negative {
                format!("'{digits}'::integer")
            } else {
                digits.to_string()
            }
        }
        Ok(v) if i64::try_from(v).is_ok() => format!("'{digits}'::bigint"),
        _ if negative => format!("'{digits}'::numeric"),
        _ => digits.to_string(),
    }
}

/// A string constant coerced to the column's type, as Postgres then prints it.
fn string_const(value: &str, ty: &Type) -> String {
    let plain_digits = |v: &str| !v.is_empty() && v.chars().all(|c| c.is_ascii_digit());
    match ty {
        Type::Integer if plain_digits(value) => match value.parse::<i32>() {
            Ok(v) => v.to_string(),
            Err(_) => format!("{}::integer", ident::literal(value)),
        },
        Type::Numeric { .. }
            if plain_digits(&value.replacen('.', "", 1))
                && !value.starts_with('.')
                && !value.ends_with('.') =>
        {
            value.to_string()
        }
        Type::Boolean => match value.trim().to_ascii_lowercase().as_str() {
            "t" | "true" | "y" | "yes" | "on" | "1" => "true".into(),
            "f" | "false" | "n" | "no" | "off" | "0" => "false".into(),
            _ => format!("{}::boolean", ident::literal(value)),
        },
        _ => format!("{}::{}", ident::literal(value), cast_name(ty)),
    }
}

/// The type name `pg_get_expr` prints in a cast: no type modifiers, `bpchar` for character(n),
/// user types unqualified (they are on the search path).
pub(crate) fn cast_name(ty: &Type) -> String {
    match ty {
        Type::Char { .. } => "bpchar".into(),
        Type::Named { name, .. } => ident::quote(name),
        Type::Array { element } => format!("{}[]", cast_name(element)),
        other => {
            let sql = other.to_sql();
            match (sql.find('('), sql.find(')')) {
                (Some(o), Some(c)) if c > o => format!("{}{}", &sql[..o], &sql[c + 1..]),
                _ => sql,
            }
        }
    }
}
