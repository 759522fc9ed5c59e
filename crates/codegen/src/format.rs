//! Formatting with prettyplease, and comments: quote drops comments, so the renderer emits a
//! marker statement `__autogen_comment!(N);` (N indexes a list of comment texts; an index never
//! makes prettyplease wrap the line) that becomes `// text` after formatting. A blank line goes
//! before each change's heading comment and between items. The text becomes one line through
//! [`crate::text::rust_comment`].

use proc_macro2::{Literal, TokenStream};
use quote::quote;

const MARKER: &str = "__autogen_comment!(";

/// The comments of one file, referenced by index from marker statements.
#[derive(Default)]
pub(crate) struct Comments {
    /// (text, whether a blank line goes before it).
    texts: Vec<(String, bool)>,
}

impl Comments {
    /// A statement that turns into a `// text` line.
    pub fn marker(&mut self, text: &str, blank_before: bool) -> TokenStream {
        let n = Literal::usize_unsuffixed(self.texts.len());
        self.texts.push((text.to_string(), blank_before));
        quote!(__autogen_comment!(#n);)
    }
}

/// The formatted file, or (should the tokens not parse, a bug) the raw token text and a warning.
pub(crate) fn format_file(tokens: TokenStream, comments: &Comments) -> (String, Option<String>) {
    match syn::parse2::<syn::File>(tokens.clone()) {
        Ok(file) => (finish(&prettyplease::unparse(&file), comments), None),
        Err(e) => (
            tokens.to_string(),
            Some(format!(
                "internal error: generated code does not parse ({e}); please report it"
            )),
        ),
    }
}

fn finish(formatted: &str, comments: &Comments) -> String {
    let mut out: Vec<String> = Vec::new();
    for line in formatted.lines() {
        let trimmed = line.trim_start();
        let indent = &line[..line.len() - trimmed.len()];
        let comment = trimmed
            .strip_prefix(MARKER)
            .and_then(|rest| rest.strip_suffix(");"))
            .and_then(|n| n.parse::<usize>().ok())
            .and_then(|n| comments.texts.get(n));
        let prev_opens = out
            .last()
            .is_none_or(|p| p.trim_end().ends_with('{') || p.is_empty());
        let prev_is_attr_or_comment = out.last().is_some_and(|p| {
            let p = p.trim_start();
            p.starts_with("#[") || p.starts_with("//")
        });
        match comment {
            Some((text, blank_before)) => {
                if *blank_before && !prev_opens {
                    out.push(String::new());
                }
                out.push(crate::text::rust_comment(indent, text));
            }
            None => {
                let item_start = indent.len() <= 4
                    && (trimmed.starts_with("#[")
                        || trimmed.starts_with("pub struct")
                        || trimmed.starts_with("async fn")
                        || trimmed.starts_with("fn ")
                        || trimmed.starts_with("impl "));
                if item_start && !prev_opens && !prev_is_attr_or_comment {
                    out.push(String::new());
                }
                out.push(line.to_string());
            }
        }
    }
    let mut s = out.join("\n");
    s.push('\n');
    s
}
