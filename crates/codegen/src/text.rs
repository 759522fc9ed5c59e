//! Free text and literals: the only functions that put text from the schema (comments, labels,
//! defaults, names) into a comment or a literal. A comment line can never end early: every line
//! break and control character in the text is written as a visible escape (`\n`, `\u{7}`), so a
//! table comment `line 1\nDROP TABLE t; --` stays inside its `--` or `//` comment. SQL literals
//! and identifiers are quoted by `autogen_schema::ident` ([`sql_string`], [`sql_ident`]); Rust
//! string literals by [`rust_string`].

use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// `text` as one line: control characters (line breaks included, and the Unicode line and
/// paragraph separators) escaped, runs of spaces kept.
pub(crate) fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') => {
                out.push_str(&format!("\\u{{{:x}}}", c as u32))
            }
            c => out.push(c),
        }
    }
    out
}

/// A SQL `-- text` comment line (without the line break).
pub(crate) fn sql_comment(text: &str) -> String {
    format!("-- {}", one_line(text))
}

/// A Rust `// text` comment line after `indent` (without the line break).
pub(crate) fn rust_comment(indent: &str, text: &str) -> String {
    format!("{indent}// {}", one_line(text))
}

/// A Rust `//! text` inner doc line, or `//!` for empty text.
pub(crate) fn rust_doc(text: &str) -> String {
    if text.is_empty() {
        "//!".to_string()
    } else {
        format!("//! {}", one_line(text))
    }
}

/// `'text'` with quotes doubled: a SQL string literal.
pub(crate) fn sql_string(text: &str) -> String {
    autogen_schema::ident::literal(text)
}

/// A SQL identifier, quoted where needed (`"` doubled).
pub(crate) fn sql_ident(name: &str) -> String {
    autogen_schema::ident::quote(name)
}

/// A Rust string literal for `text`: a raw string (`r#"…"#`) where that reads better (SQL with
/// `"` or `\`) and is valid (no carriage return or other control character but `\n` / `\t`), an
/// escaped one otherwise.
pub(crate) fn rust_string(text: &str) -> TokenStream {
    let raw_ok = !text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t');
    if !raw_ok || (!text.contains('"') && !text.contains('\\')) {
        let l = Literal::string(text);
        return quote!(#l);
    }
    let mut hashes = String::from("#");
    while text.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    match format!("r{hashes}\"{text}\"{hashes}").parse::<Literal>() {
        Ok(l) => quote!(#l),
        Err(_) => {
            let l = Literal::string(text);
            quote!(#l)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn line_breaks_are_escaped() {
        assert_eq!(
            sql_comment("old line 1\nDROP TABLE t; --'"),
            "-- old line 1\\nDROP TABLE t; --'"
        );
        assert_eq!(
            rust_comment("    ", "a\r\nb\u{2028}c"),
            "    // a\\r\\nb\\u{2028}c"
        );
    }

    proptest! {
        #[test]
        fn a_comment_is_one_line(text in any::<String>()) {
            for line in [sql_comment(&text), rust_comment("", &text), rust_doc(&text)] {
                prop_assert_eq!(line.lines().count(), 1);
                prop_assert!(!line.chars().any(|c| c.is_control()));
            }
        }

        #[test]
        fn a_rust_string_literal_holds_the_text(text in any::<String>()) {
            let lit: syn::LitStr = syn::parse2(rust_string(&text)).expect("a string literal");
            prop_assert_eq!(lit.value(), text);
        }
    }
}
