//! A file's [`ModSummary`]s from its tokens alone, without building syn's tree: the item-level
//! structure (names of structs, enums, unions, traits and type aliases with their index among
//! the kept items, `use` trees, `mod` items) is all the module tree and the resolver's scopes
//! need. Tokenizing is a fraction of a full parse. Anything this reader is not sure of (a
//! macro invocation, an unusual item) is left to the full parse ([`super::split`]), and phase 2
//! checks every file it parses against what was read here (`entities::Store`): a difference
//! (or a syntax error only the full parse finds) makes the whole load sequential.

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};

use crate::attrs;
use crate::resolve::Scope;

use super::split::{Child, ModSummary};

/// `None`: not sure; use the full parse.
pub(crate) fn summarize(text: &str) -> Option<Vec<ModSummary>> {
    if text.starts_with('\u{feff}') || text.starts_with("#!") {
        return None;
    }
    let tokens: Vec<TokenTree> = text.parse::<TokenStream>().ok()?.into_iter().collect();
    let mut mods = Vec::new();
    module(&tokens, &mut mods)?;
    Some(mods)
}

fn is_punct(t: Option<&TokenTree>, c: char) -> bool {
    matches!(t, Some(TokenTree::Punct(p)) if p.as_char() == c)
}

fn ident(t: Option<&TokenTree>) -> Option<String> {
    match t {
        Some(TokenTree::Ident(i)) => Some(i.to_string()),
        _ => None,
    }
}

fn is_group(t: Option<&TokenTree>, d: Delimiter) -> bool {
    matches!(t, Some(TokenTree::Group(g)) if g.delimiter() == d)
}

/// `::` at `i`.
fn is_path_sep(tokens: &[TokenTree], i: usize) -> bool {
    matches!(tokens.get(i), Some(TokenTree::Punct(p)) if p.as_char() == ':' && p.spacing() == Spacing::Joint)
        && is_punct(tokens.get(i + 1), ':')
}

/// One module's items (a file, or an inline module's content); returns its index in `mods`.
fn module(tokens: &[TokenTree], mods: &mut Vec<ModSummary>) -> Option<usize> {
    let id = mods.len();
    mods.push(ModSummary {
        scope: Scope::default(),
        children: Vec::new(),
    });
    let mut scope = Scope::default();
    let mut children = Vec::new();
    let mut i = 0;
    // Inner attributes.
    while is_punct(tokens.get(i), '#')
        && is_punct(tokens.get(i + 1), '!')
        && is_group(tokens.get(i + 2), Delimiter::Bracket)
    {
        i += 3;
    }
    let mut index = 0usize;
    while i < tokens.len() {
        let start = i;
        while is_punct(tokens.get(i), '#') && is_group(tokens.get(i + 1), Delimiter::Bracket) {
            i += 2;
        }
        let attrs_end = i;
        let mut public = false;
        if ident(tokens.get(i)).as_deref() == Some("pub") {
            public = true;
            i += 1;
            if is_group(tokens.get(i), Delimiter::Parenthesis) {
                i += 1;
            }
        }
        let kw = ident(tokens.get(i))?;
        // A macro invocation (`name!`, `path::name!`) or anything unexpected: full parse.
        if is_punct(tokens.get(i + 1), '!') || is_path_sep(tokens, i + 1) {
            return None;
        }
        match kw.as_str() {
            "use" => {
                i += 1;
                let end = semicolon(tokens, i)?;
                let mut prefix = Vec::new();
                let mut j = i;
                if is_path_sep(tokens, j) {
                    prefix.push("::".to_string());
                    j += 2;
                }
                let used = use_tree(&tokens[j..end], prefix, public, &mut scope)?;
                if used != end - j {
                    return None;
                }
                i = end + 1;
            }
            "mod" => {
                let name_tok = tokens.get(i + 1)?;
                let raw = ident(Some(name_tok))?;
                let name = raw.trim_start_matches("r#").to_string();
                let body = tokens.get(i + 2)?;
                let inline = match body {
                    TokenTree::Group(g) if g.delimiter() == Delimiter::Brace => Some(g.stream()),
                    TokenTree::Punct(p) if p.as_char() == ';' => None,
                    _ => return None,
                };
                // The attributes read as syn reads them (`#[cfg(test)]`, `#[path]`).
                let mut header: TokenStream = tokens[start..attrs_end].iter().cloned().collect();
                header.extend(
                    tokens[attrs_end..i + 2]
                        .iter()
                        .cloned()
                        .chain(std::iter::once(TokenTree::Punct(proc_macro2::Punct::new(
                            ';',
                            Spacing::Alone,
                        )))),
                );
                let m: syn::ItemMod = syn::parse2(header).ok()?;
                i += 3;
                if attrs::is_cfg_test(&m.attrs) {
                    continue;
                }
                let path_attr = attrs::path_attr(&m.attrs);
                scope.mods.push((raw, public));
                match inline {
                    Some(stream) => {
                        let inner: Vec<TokenTree> = stream.into_iter().collect();
                        let part = module(&inner, mods)?;
                        children.push(Child::Inline {
                            name,
                            path_attr,
                            part,
                        });
                    }
                    None => children.push(Child::File {
                        name,
                        path_attr,
                        pos: m.ident.span().into(),
                    }),
                }
            }
            "struct" | "enum" | "union" | "type" => {
                let name = ident(tokens.get(i + 1))?;
                i = if kw == "type" {
                    semicolon(tokens, i)? + 1
                } else {
                    brace_or_semicolon(tokens, i)?
                };
                scope.items.entry(name).or_insert((index, public));
            }
            "trait" | "unsafe" | "auto" => {
                // `unsafe trait`, `auto trait`, `unsafe fn`, `unsafe impl`, `unsafe extern`.
                let mut j = i;
                while matches!(ident(tokens.get(j)).as_deref(), Some("unsafe" | "auto")) {
                    j += 1;
                }
                match ident(tokens.get(j)).as_deref() {
                    Some("trait") => {
                        let name = ident(tokens.get(j + 1))?;
                        let end = brace_or_semicolon(tokens, j)?;
                        // `trait A = B;` is a trait alias: not in the type namespace here.
                        if is_group(tokens.get(end - 1), Delimiter::Brace) {
                            scope.items.entry(name).or_insert((index, public));
                        }
                        i = end;
                    }
                    Some("fn" | "impl" | "extern") => i = brace_or_semicolon(tokens, j)?,
                    Some("mod") => return None,
                    _ => return None,
                }
            }
            "const" | "static" => {
                match ident(tokens.get(i + 1)).as_deref() {
                    // `const fn`, `const unsafe fn`, `const async fn`, `const extern "C" fn`.
                    Some("fn" | "unsafe" | "async" | "extern") => {
                        i = brace_or_semicolon(tokens, i)?
                    }
                    _ => i = semicolon(tokens, i)? + 1,
                }
            }
            "extern" => {
                if ident(tokens.get(i + 1)).as_deref() == Some("crate") {
                    i = semicolon(tokens, i)? + 1;
                } else {
                    i = brace_or_semicolon(tokens, i)?;
                }
            }
            "fn" | "impl" | "async" | "default" => i = brace_or_semicolon(tokens, i)?,
            _ => return None,
        }
        index += 1;
    }
    mods[id].scope = scope;
    mods[id].children = children;
    Some(id)
}

/// The index of the first `;` at this level from `i`.
fn semicolon(tokens: &[TokenTree], i: usize) -> Option<usize> {
    (i..tokens.len()).find(|&j| is_punct(tokens.get(j), ';'))
}

/// The end (exclusive) of an item whose body is a brace group, or which ends at `;`.
fn brace_or_semicolon(tokens: &[TokenTree], i: usize) -> Option<usize> {
    (i..tokens.len())
        .find(|&j| is_punct(tokens.get(j), ';') || is_group(tokens.get(j), Delimiter::Brace))
        .map(|j| j + 1)
}

/// Reads one use tree from the start of `tokens` into `scope` (as `resolve::flatten` does);
/// returns how many tokens it took.
fn use_tree(
    tokens: &[TokenTree],
    mut prefix: Vec<String>,
    public: bool,
    scope: &mut Scope,
) -> Option<usize> {
    match tokens.first()? {
        TokenTree::Punct(p) if p.as_char() == '*' => {
            scope.globs.push((prefix, public));
            Some(1)
        }
        TokenTree::Group(g) if g.delimiter() == Delimiter::Brace => {
            let inner: Vec<TokenTree> = g.stream().into_iter().collect();
            let mut j = 0;
            while j < inner.len() {
                if is_path_sep(&inner, j) {
                    return None;
                }
                j += use_tree(&inner[j..], prefix.clone(), public, scope)?;
                if j < inner.len() {
                    if !is_punct(inner.get(j), ',') {
                        return None;
                    }
                    j += 1;
                }
            }
            Some(1)
        }
        TokenTree::Ident(id) => {
            let name = id.to_string();
            if is_path_sep(tokens, 1) {
                prefix.push(name);
                return Some(3 + use_tree(&tokens[3..], prefix, public, scope)?);
            }
            if ident(tokens.get(1)).as_deref() == Some("as") {
                let binding = ident(tokens.get(2))?;
                if binding != "_" {
                    if name != "self" {
                        prefix.push(name);
                    }
                    scope.uses.push((binding, prefix, public));
                }
                return Some(3);
            }
            if name == "self" {
                if let Some(last) = prefix.last().cloned() {
                    scope.uses.push((last, prefix, public));
                }
            } else {
                prefix.push(name.clone());
                scope.uses.push((name, prefix, public));
            }
            Some(1)
        }
        _ => None,
    }
}
