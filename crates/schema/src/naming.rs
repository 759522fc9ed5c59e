//! SeaORM 2.0's default object names on Postgres, in one place: the entity loader gives desired
//! objects these names, and the differ uses them to decide whether a database-only object is one
//! the entities manage.

use crate::model::{Column, QualifiedName};
use crate::types::Type;

/// Postgres truncates identifiers to `NAMEDATALEN - 1` = 63 bytes.
pub const MAX_IDENTIFIER_BYTES: usize = 63;

/// What Postgres stores for a name longer than 63 bytes: its first 63 bytes, cut back to a
/// character boundary.
pub fn truncate_identifier(name: &str) -> String {
    if name.len() <= MAX_IDENTIFIER_BYTES {
        return name.to_string();
    }
    let mut end = MAX_IDENTIFIER_BYTES;
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    name[..end].to_string()
}

/// `indexed` on a field: `idx-{table}-{column}`.
pub fn index(table: &str, column: &str) -> String {
    truncate_identifier(&format!("idx-{table}-{column}"))
}

/// A `unique_key = "k"` group: `idx-{table}-{k}`.
pub fn unique_key(table: &str, key: &str) -> String {
    truncate_identifier(&format!("idx-{table}-{key}"))
}

/// An inline `UNIQUE` column constraint, named by Postgres: `{table}_{column}_key`.
pub fn inline_unique(table: &str, column: &str) -> String {
    postgres_object_name(table, column, "key")
}

/// A single-column primary key declared inline, named by Postgres: `{table}_pkey`.
pub fn inline_primary_key(table: &str) -> String {
    postgres_object_name(table, "", "pkey")
}

/// A composite primary key as SeaORM names it: `pk-{table}`.
pub fn composite_primary_key(table: &str) -> String {
    truncate_identifier(&format!("pk-{table}"))
}

/// A `belongs_to` relation's foreign key: `fk-{table}-{from columns joined by "-"}`.
pub fn foreign_key(table: &str, columns: &[&str]) -> String {
    truncate_identifier(&format!("fk-{table}-{}", columns.join("-")))
}

/// Postgres's `makeObjectName(name1, name2, label)`: `name1_name2_label`, where, when too long,
/// the longer of name1 and name2 is shortened first until the whole fits in 63 bytes.
pub fn postgres_object_name(name1: &str, name2: &str, label: &str) -> String {
    let overhead = label.len() + 1 + if name2.is_empty() { 0 } else { 1 };
    let avail = MAX_IDENTIFIER_BYTES - overhead;
    let (mut l1, mut l2) = (name1.len(), name2.len());
    while l1 + l2 > avail {
        if l1 > l2 { l1 -= 1 } else { l2 -= 1 }
    }
    let cut = |s: &str, mut n: usize| {
        while !s.is_char_boundary(n) {
            n -= 1;
        }
        s[..n].to_string()
    };
    let mut out = cut(name1, l1);
    if !name2.is_empty() {
        out.push('_');
        out.push_str(&cut(name2, l2));
    }
    out.push('_');
    out.push_str(label);
    out
}

/// The sequence Postgres creates for a `serial` column: `{table}_{column}_seq`, shortened as
/// `makeObjectName` does.
pub fn serial_sequence(table: &str, column: &str) -> String {
    postgres_object_name(table, column, "seq")
}

/// `smallserial`, `serial` or `bigserial` when `column` of `table` is what that pseudo-type
/// creates: an integer column without identity whose default is `nextval` of the sequence
/// Postgres names for it (bare, or qualified with the table's schema). Dropping the table or
/// the column drops that sequence too, so recreating the column (the inverse of such a drop)
/// must use the pseudo-type, not the `nextval` default.
pub fn serial_pseudo_type(table: &QualifiedName, column: &Column) -> Option<&'static str> {
    let pseudo = match column.ty {
        Type::SmallInt => "smallserial",
        Type::Integer => "serial",
        Type::BigInt => "bigserial",
        _ => return None,
    };
    if column.identity.is_some() || column.generated.is_some() {
        return None;
    }
    let default = column.default.as_deref()?.trim();
    let regclass = default
        .strip_prefix("nextval('")?
        .strip_suffix("'::regclass)")?;
    let parts = split_qualified(regclass)?;
    let expected = serial_sequence(&table.name, &column.name);
    let named = match parts.as_slice() {
        [name] => *name == expected,
        [schema, name] => *schema == table.schema && *name == expected,
        _ => false,
    };
    named.then_some(pseudo)
}

/// `a.b`, `"A"."b.c"` → the unquoted parts; `None` for text that is not a (qualified) name.
fn split_qualified(text: &str) -> Option<Vec<String>> {
    let mut parts = Vec::new();
    let mut rest = text;
    loop {
        let (part, after) = if let Some(quoted) = rest.strip_prefix('"') {
            let mut part = String::new();
            let mut chars = quoted.char_indices();
            let end = loop {
                let (i, c) = chars.next()?;
                if c != '"' {
                    part.push(c);
                } else if quoted[i + 1..].starts_with('"') {
                    part.push('"');
                    chars.next();
                } else {
                    break i + 1;
                }
            };
            (part, &quoted[end..])
        } else {
            let end = rest.find('.').unwrap_or(rest.len());
            (rest[..end].to_string(), &rest[end..])
        };
        if part.is_empty() {
            return None;
        }
        parts.push(part);
        match after.strip_prefix('.') {
            Some(next) => rest = next,
            None if after.is_empty() => return Some(parts),
            None => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seaorm_names() {
        assert_eq!(index("post", "title"), "idx-post-title");
        assert_eq!(unique_key("post_tag", "pair"), "idx-post_tag-pair");
        assert_eq!(inline_unique("users", "email"), "users_email_key");
        assert_eq!(inline_primary_key("users"), "users_pkey");
        assert_eq!(composite_primary_key("post_tag"), "pk-post_tag");
        assert_eq!(foreign_key("post", &["author_id"]), "fk-post-author_id");
        assert_eq!(foreign_key("a", &["x", "y"]), "fk-a-x-y");
    }

    #[test]
    fn serial_columns_are_recognised_by_their_sequence_name() {
        let t = QualifiedName::new("public", "legacy_audit");
        let col = |ty: Type, default: &str| {
            let mut c = Column::new("id", ty);
            c.default = Some(default.into());
            c
        };
        let own = "nextval('legacy_audit_id_seq'::regclass)";
        assert_eq!(
            serial_pseudo_type(&t, &col(Type::Integer, own)),
            Some("serial")
        );
        assert_eq!(
            serial_pseudo_type(&t, &col(Type::BigInt, own)),
            Some("bigserial")
        );
        assert_eq!(
            serial_pseudo_type(&t, &col(Type::SmallInt, own)),
            Some("smallserial")
        );
        let qualified = "nextval('public.legacy_audit_id_seq'::regclass)";
        assert_eq!(
            serial_pseudo_type(&t, &col(Type::Integer, qualified)),
            Some("serial")
        );
        let other = QualifiedName::new("Audit", "Log");
        let quoted = "nextval('\"Audit\".\"Log_id_seq\"'::regclass)";
        assert_eq!(
            serial_pseudo_type(&other, &col(Type::Integer, quoted)),
            Some("serial")
        );
        // A sequence of another name (shared, or kept from a renamed table) is not the column's own.
        let shared = "nextval('global_ids'::regclass)";
        assert_eq!(serial_pseudo_type(&t, &col(Type::Integer, shared)), None);
        let elsewhere = "nextval('other.legacy_audit_id_seq'::regclass)";
        assert_eq!(serial_pseudo_type(&t, &col(Type::Integer, elsewhere)), None);
        assert_eq!(serial_pseudo_type(&t, &col(Type::Text, own)), None);
        assert_eq!(serial_pseudo_type(&t, &col(Type::Integer, "0")), None);
        assert_eq!(
            serial_pseudo_type(&t, &col(Type::Integer, "nextval('\"x'::regclass)")),
            None
        );
    }

    #[test]
    fn long_names_are_cut_like_postgres() {
        let long = "a".repeat(70);
        assert_eq!(inline_unique(&long, "email").len(), 63);
        assert!(inline_unique(&long, "email").ends_with("_email_key"));
        assert_eq!(index(&long, "c").len(), 63);
    }
}
