//! Who uses what inside a model: foreign keys into a table, objects over a column, columns of an
//! enum type, unique constraints that can back a foreign key.

use autogen_schema::{ForeignKey, KeyPart, QualifiedName, Schema, Table, Type, ident};

use crate::plan::InTheWay;

/// Foreign keys (with their table) that reference `target`, including its own self-references.
pub fn foreign_keys_to<'a>(
    schema: &'a Schema,
    target: &QualifiedName,
) -> Vec<(QualifiedName, &'a ForeignKey)> {
    let mut out = Vec::new();
    for t in &schema.tables {
        for fk in &t.foreign_keys {
            if fk.referenced() == *target {
                out.push((t.qualified_name(), fk));
            }
        }
    }
    out
}

/// True when the table has a primary key or a plain unique index over exactly these columns
/// (in any order): what a foreign key needs on its referenced side.
pub fn has_unique_on(t: &Table, columns: &[String]) -> bool {
    let same_set = |cols: &[&str]| {
        cols.len() == columns.len() && columns.iter().all(|c| cols.contains(&c.as_str()))
    };
    t.primary_key
        .as_ref()
        .is_some_and(|pk| same_set(&pk.columns.iter().map(String::as_str).collect::<Vec<_>>()))
        || t.indexes.iter().any(|i| {
            i.unique
                && i.predicate.is_none()
                && i.column_names().is_some_and(|cols| same_set(&cols))
        })
}

/// True when an SQL expression Postgres printed mentions the column as an identifier (a
/// conservative token match: `price` in `(price > 0)`, `"Price"` quoted; not inside string
/// literals, not a function name, not a type after `::`).
pub fn mentions(expr: &str, column: &str) -> bool {
    column_tokens(expr)
        .iter()
        .any(|(_, _, name)| name == column)
}

/// The expression with every mention of column `from` (see [`mentions`]) renamed to `to`, as
/// Postgres rewrites checks, predicates and expression keys on `RENAME COLUMN`.
pub fn rename_in_expression(expr: &str, from: &str, to: &str) -> String {
    let mut out = String::new();
    let mut last = 0;
    for (start, end, name) in column_tokens(expr) {
        if name == from {
            out.push_str(&expr[last..start]);
            out.push_str(&ident::quote(to));
            last = end;
        }
    }
    out.push_str(&expr[last..]);
    out
}

/// Identifier tokens that can be column references: (byte start, byte end, unquoted name).
fn column_tokens(expr: &str) -> Vec<(usize, usize, String)> {
    let bytes = expr.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c == b'\'' {
            // A string literal; `''` is an escaped quote.
            i += 1;
            while i < bytes.len() {
                if bytes[i] == b'\'' {
                    if bytes.get(i + 1) == Some(&b'\'') {
                        i += 2;
                        continue;
                    }
                    break;
                }
                i += 1;
            }
            i += 1;
            continue;
        }
        let start = i;
        let name = if c == b'"' {
            let mut name = String::new();
            i += 1;
            while i < bytes.len() {
                if bytes[i] == b'"' {
                    if bytes.get(i + 1) == Some(&b'"') {
                        name.push('"');
                        i += 2;
                        continue;
                    }
                    break;
                }
                let ch = expr[i..].chars().next().unwrap_or(' ');
                name.push(ch);
                i += ch.len_utf8();
            }
            i += 1;
            name
        } else if c.is_ascii_alphabetic() || c == b'_' || c >= 0x80 {
            while i < bytes.len()
                && (bytes[i].is_ascii_alphanumeric()
                    || matches!(bytes[i], b'_' | b'$')
                    || bytes[i] >= 0x80)
            {
                i += 1;
            }
            expr[start..i].to_string()
        } else {
            i += 1;
            continue;
        };
        let end = i.min(bytes.len());
        let is_type = expr[..start].trim_end().ends_with("::");
        let is_call = expr[end..].trim_start().starts_with('(');
        if !is_type && !is_call {
            out.push((start, end, name));
        }
    }
    out
}

/// Everything that uses a column and stops it from being dropped: indexes, the primary key,
/// the table's own foreign keys and checks, and foreign keys from other tables.
pub fn column_users(schema: &Schema, table: &QualifiedName, column: &str) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(t) = schema.table(&table.schema, &table.name) {
        for i in &t.indexes {
            let uses = i.keys.iter().any(|k| match &k.part {
                KeyPart::Column(c) => c == column,
                KeyPart::Expression(e) => mentions(e, column),
            }) || i.include.iter().any(|c| c == column)
                || i.predicate.as_deref().is_some_and(|p| mentions(p, column));
            if uses {
                out.push(format!("index {}", i.name));
            }
        }
        if t.primary_key
            .as_ref()
            .is_some_and(|p| p.columns.iter().any(|c| c == column))
        {
            out.push("the primary key".into());
        }
        for fk in &t.foreign_keys {
            if fk.columns.iter().any(|c| c == column) {
                out.push(format!("foreign key {}", fk.name));
            }
        }
        for ch in &t.checks {
            if mentions(&ch.expression, column) {
                out.push(format!("check {}", ch.name));
            }
        }
    }
    for (from, fk) in foreign_keys_to(schema, table) {
        if fk.ref_columns.iter().any(|c| c == column) {
            out.push(format!("foreign key {} on {from}", fk.name));
        }
    }
    out
}

/// True when an expression casts to the type: `::mood`, `::public.mood`, `::"Mood"[]`.
pub fn casts_to(expr: &str, ty: &QualifiedName) -> bool {
    let bare = ident::quote(&ty.name);
    let qualified = format!("{}.{bare}", ident::quote(&ty.schema));
    expr.match_indices("::").any(|(i, _)| {
        let rest = &expr[i + 2..];
        [&qualified, &bare].iter().any(|name| {
            rest.strip_prefix(name.as_str()).is_some_and(|after| {
                !after
                    .starts_with(|c: char| c.is_alphanumeric() || c == '_' || c == '$' || c == '.')
            })
        })
    })
}

/// The views (`schema.name`) whose query reads the column, in model order.
pub fn views_reading(schema: &Schema, table: &QualifiedName, column: &str) -> Vec<String> {
    schema
        .views
        .iter()
        .filter(|v| v.reads.iter().any(|(t, c)| t == table && c == column))
        .map(|v| format!("{}.{}", v.schema, v.name))
        .collect()
}

/// True when the type is the enum or an array of it.
pub fn uses_type(ty: &Type, target: &QualifiedName) -> bool {
    match ty {
        Type::Array { element } => uses_type(element, target),
        Type::Named { schema, name } => *schema == target.schema && *name == target.name,
        _ => false,
    }
}

/// What is in the way of recreating the enum type (see [`InTheWay`]), in model order: indexes
/// whose key expressions or predicate, and checks whose expression, cast to the type or mention
/// a column of it in their table (conservative: `status IS NOT NULL` would survive, but is
/// dropped and restored too); foreign keys over a column of it.
pub fn enum_in_the_way(schema: &Schema, target: &QualifiedName) -> InTheWay {
    let mut out = InTheWay::default();
    for t in &schema.tables {
        let q = t.qualified_name();
        let typed: Vec<&str> = t
            .columns
            .iter()
            .filter(|c| uses_type(&c.ty, target))
            .map(|c| c.name.as_str())
            .collect();
        let names_type = |e: &str| casts_to(e, target) || typed.iter().any(|c| mentions(e, c));
        for i in &t.indexes {
            let keys = i.keys.iter().any(|k| match &k.part {
                KeyPart::Column(_) => false,
                KeyPart::Expression(e) => names_type(e),
            });
            if keys || i.predicate.as_deref().is_some_and(names_type) {
                out.indexes.push((q.clone(), i.clone()));
            }
        }
        for c in &t.checks {
            if names_type(&c.expression) {
                out.checks.push((q.clone(), c.clone()));
            }
        }
        for fk in &t.foreign_keys {
            if fk.columns.iter().any(|c| typed.contains(&c.as_str())) {
                out.foreign_keys.push((q.clone(), fk.clone()));
            }
        }
    }
    // By table and name, not model order: the plan must not depend on the order the catalog or
    // the entity files listed the objects in (property::input_order_does_not_matter).
    out.indexes
        .sort_by(|a, b| (&a.0, &a.1.name).cmp(&(&b.0, &b.1.name)));
    out.checks
        .sort_by(|a, b| (&a.0, &a.1.name).cmp(&(&b.0, &b.1.name)));
    out.foreign_keys
        .sort_by(|a, b| (&a.0, &a.1.name).cmp(&(&b.0, &b.1.name)));
    out
}

/// The columns (table, column) whose type is the enum or an array of it, by table name, then
/// in the table's column order (which is part of the model; the table order is not).
pub fn enum_columns(schema: &Schema, target: &QualifiedName) -> Vec<(QualifiedName, String)> {
    let mut out = Vec::new();
    let mut tables: Vec<_> = schema.tables.iter().collect();
    tables.sort_by_key(|t| t.qualified_name());
    for t in tables {
        for c in &t.columns {
            if uses_type(&c.ty, target) {
                out.push((t.qualified_name(), c.name.clone()));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::mentions;

    #[test]
    fn mentions_is_a_token_match() {
        assert!(mentions("(price > 0)", "price"));
        assert!(!mentions("(price_cents > 0)", "price"));
        assert!(!mentions("(kind = 'price'::text)", "price"));
        assert!(mentions("(\"Price\" > 0)", "Price"));
        assert!(!mentions("(lower(x) = 'a''lower')", "lower"));
        assert!(!mentions("((x)::text <> ''::text)", "text"));
    }

    #[test]
    fn casts_to_a_type() {
        let mood = autogen_schema::QualifiedName::new("public", "mood");
        assert!(super::casts_to("'a'::mood", &mood));
        assert!(super::casts_to("'a'::public.mood", &mood));
        assert!(super::casts_to("'{a}'::mood[]", &mood));
        assert!(!super::casts_to("'a'::moods", &mood));
        assert!(!super::casts_to("'a'::text", &mood));
    }

    #[test]
    fn renames_in_expressions() {
        use super::rename_in_expression as r;
        assert_eq!(r("(price > 0)", "price", "cost"), "(cost > 0)");
        assert_eq!(r("(price > 0)", "price", "Cost"), "(\"Cost\" > 0)");
        assert_eq!(r("(\"Price\" > price_x)", "Price", "p"), "(p > price_x)");
        assert_eq!(
            r("((kind)::text = 'kind'::text)", "kind", "k"),
            "((k)::text = 'kind'::text)"
        );
    }

    proptest::proptest! {
        #[test]
        fn expression_scanning_never_panics(expr in "\\PC*", col in "[a-zé\"]{1,4}") {
            let _ = super::casts_to(&expr, &autogen_schema::QualifiedName::new("public", &col));
            let renamed = super::rename_in_expression(&expr, &col, "x");
            if !mentions(&expr, &col) {
                proptest::prop_assert_eq!(renamed, expr);
            }
        }
    }
}
