//! One file's items split into its modules as the module tree keeps them
//! (`module_tree::Builder::walk` without macros): the file's own module first, then its inline
//! modules in preorder; `#[cfg(test)]` modules are left out, a kept `mod x { .. }` loses its
//! content to its own module.

use std::path::Path;
use std::sync::Arc;

use syn::Item;

use crate::attrs;
use crate::diagnostics::{Diagnostic, Pos, Severity};
use crate::resolve::{self, Scope};

use super::{ReadFn, ReadOutcome};

/// A `mod` item of a module, in item order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Child {
    /// `mod name { .. }`: its items are part `part` of the same file.
    Inline {
        name: String,
        path_attr: Option<String>,
        part: usize,
    },
    /// `mod name;`, at `pos` (the module name).
    File {
        name: String,
        path_attr: Option<String>,
        pos: Pos,
    },
}

/// One module of a file.
pub(crate) struct Part {
    pub items: Vec<Item>,
    pub children: Vec<Child>,
}

/// `None`: the file has an item-position macro invocation (loaded sequentially).
pub(crate) fn split(items: Vec<Item>) -> Option<Vec<Part>> {
    let mut parts = Vec::new();
    walk(items, &mut parts)?;
    Some(parts)
}

fn walk(items: Vec<Item>, parts: &mut Vec<Part>) -> Option<usize> {
    let id = parts.len();
    parts.push(Part {
        items: Vec::new(),
        children: Vec::new(),
    });
    let mut kept = Vec::with_capacity(items.len());
    let mut children = Vec::new();
    for item in items {
        let mut m = match item {
            Item::Mod(m) => m,
            Item::Macro(_) => return None,
            other => {
                kept.push(other);
                continue;
            }
        };
        if attrs::is_cfg_test(&m.attrs) {
            continue;
        }
        let name = m.ident.to_string();
        let name = name.trim_start_matches("r#").to_string();
        let path_attr = attrs::path_attr(&m.attrs);
        if let Some((_, inner)) = m.content.take() {
            let part = walk(inner, parts)?;
            children.push(Child::Inline {
                name,
                path_attr,
                part,
            });
        } else {
            children.push(Child::File {
                name,
                path_attr,
                pos: m.ident.span().into(),
            });
        }
        kept.push(Item::Mod(m));
    }
    parts[id].items = kept;
    parts[id].children = children;
    Some(id)
}

/// What the module tree needs of one file: no syn in it, so it can leave the worker thread.
pub(crate) enum Summary {
    Missing,
    Failed(String),
    /// The file was read but does not parse: the error, at its line and column.
    Syntax(Diagnostic),
    /// An item-position macro invocation: the load is redone sequentially.
    Macro,
    /// The file's modules (see [`split`]), and its text: phase 2 parses it again from there.
    Parsed(Vec<ModSummary>, Arc<str>),
}

#[derive(Debug, PartialEq, Eq)]
pub(crate) struct ModSummary {
    pub scope: Scope,
    pub children: Vec<Child>,
}

/// Reads and summarizes `file` (normalized): from its tokens ([`super::scan`]) where that is
/// sure, else from syn's tree, dropped here.
pub(crate) fn summarize(file: &Path, read: ReadFn<'_>) -> Summary {
    let text = match read(file) {
        ReadOutcome::Text(t) => t,
        ReadOutcome::Missing => return Summary::Missing,
        ReadOutcome::Failed(e) => return Summary::Failed(e),
    };
    if let Some(mods) = super::scan::summarize(&text) {
        return Summary::Parsed(mods, text.into());
    }
    let parsed = match syn::parse_file(&text) {
        Ok(f) => f,
        Err(e) => {
            return Summary::Syntax(
                Diagnostic::at(
                    Severity::Error,
                    file,
                    e.span(),
                    format!("syntax error: {e}"),
                )
                .with_help("fix the syntax; the other files are still loaded"),
            );
        }
    };
    match split(parsed.items) {
        None => Summary::Macro,
        Some(parts) => Summary::Parsed(
            parts
                .into_iter()
                .map(|p| ModSummary {
                    scope: resolve::scope(&p.items),
                    children: p.children,
                })
                .collect(),
            text.into(),
        ),
    }
}

/// The kept items of each module of a file's `text`, in [`split`]'s order; `None` if it does
/// not parse.
pub(crate) fn parts(text: &str) -> Option<Vec<Part>> {
    split(syn::parse_file(text).ok()?.items)
}
