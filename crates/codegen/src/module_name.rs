//! Migration module names as sea-orm-cli writes them: `m{%Y%m%d_%H%M%S}_{slug}`.

/// The longest slug kept from the message.
const MAX_SLUG: usize = 50;

/// `("20261125_213000", "Add posts!")` → `m20261125_213000_add_posts`. The slug is the message
/// in lower case with every run of other characters than ASCII letters and digits turned into
/// one `_`, trimmed, at most 50 characters; an empty slug becomes `migration`.
pub fn migration_module_name(timestamp_utc: &str, message: &str) -> String {
    let mut slug = String::new();
    for c in message.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('_') {
            slug.push('_');
        }
    }
    let mut slug = slug.trim_matches('_').to_string();
    slug.truncate(MAX_SLUG);
    let slug = slug.trim_end_matches('_');
    let slug = if slug.is_empty() { "migration" } else { slug };
    format!("m{}_{slug}", timestamp_utc.trim())
}

#[cfg(test)]
mod tests {
    use super::migration_module_name;

    #[test]
    fn slugs() {
        let cases = [
            ("add posts", "m20261125_213000_add_posts"),
            ("  Add Posts & Tags!! ", "m20261125_213000_add_posts_tags"),
            ("", "m20261125_213000_migration"),
            ("ünïcode only", "m20261125_213000_n_code_only"),
            ("---", "m20261125_213000_migration"),
        ];
        for (message, want) in cases {
            assert_eq!(
                migration_module_name("20261125_213000", message),
                want,
                "{message:?}"
            );
        }
        let long = migration_module_name("20261125_213000", &"word ".repeat(30));
        assert!(long.len() <= "m20261125_213000_".len() + 50, "{long}");
        assert!(!long.ends_with('_'));
    }
}
