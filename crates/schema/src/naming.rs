//! SeaORM 2.0's default object names on Postgres, in one place: the entity loader gives desired
//! objects these names, and the differ uses them to decide whether a database-only object is one
//! the entities manage.

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
    fn long_names_are_cut_like_postgres() {
        let long = "a".repeat(70);
        assert_eq!(inline_unique(&long, "email").len(), 63);
        assert!(inline_unique(&long, "email").ends_with("_email_key"));
        assert_eq!(index(&long, "c").len(), 63);
    }
}
