//! A file's [`ModSummary`]s from its tokens alone ([`super::lex`]), without building syn's
//! tree: the item-level structure (names of structs, enums, unions, traits and type aliases
//! with their index among the kept items, `use` trees, `mod` items) is all the module tree and
//! the resolver's scopes need, and reading it is a small fraction of a full parse. Anything
//! this reader is not sure of (a macro invocation, an unusual item) is left to the full parse
//! ([`super::split`]), and phase 2 checks every file it parses against what was read here
//! (`entities::Store`): a difference, or a syntax error only the full parse finds, makes the
//! whole load sequential.

use crate::attrs;
use crate::diagnostics::Pos;
use crate::resolve::Scope;

use super::lex::{self, Kind, Tok};
use super::split::{Child, ModSummary};

/// `None`: not sure; use the full parse.
pub(crate) fn summarize(text: &str) -> Option<Vec<ModSummary>> {
    if text.starts_with('\u{feff}') || text.starts_with("#!") {
        return None;
    }
    let tokens = lex::lex(text)?;
    let mut mods = Vec::new();
    Scan { src: text }.module(&tokens, &mut mods)?;
    Some(mods)
}

fn is_punct(t: Option<&Tok>, c: char) -> bool {
    matches!(t, Some(Tok { kind: Kind::Punct { ch, .. }, .. }) if *ch == c)
}

fn is_group(t: Option<&Tok>, d: char) -> bool {
    matches!(t, Some(Tok { kind: Kind::Group { open, .. }, .. }) if *open == d)
}

/// `::` at `i`.
fn is_path_sep(tokens: &[Tok], i: usize) -> bool {
    matches!(
        tokens.get(i),
        Some(Tok {
            kind: Kind::Punct {
                ch: ':',
                joint: true
            },
            ..
        })
    ) && is_punct(tokens.get(i + 1), ':')
}

/// The index of the first `;` at this level from `i`.
fn semicolon(tokens: &[Tok], i: usize) -> Option<usize> {
    (i..tokens.len()).find(|&j| is_punct(tokens.get(j), ';'))
}

/// The end (exclusive) of an item whose body is a brace group, or which ends at `;`.
fn brace_or_semicolon(tokens: &[Tok], i: usize) -> Option<usize> {
    (i..tokens.len())
        .find(|&j| is_punct(tokens.get(j), ';') || is_group(tokens.get(j), '{'))
        .map(|j| j + 1)
}

struct Scan<'a> {
    src: &'a str,
}

impl<'a> Scan<'a> {
    fn ident(&self, t: Option<&Tok>) -> Option<&'a str> {
        match t {
            Some(
                t @ Tok {
                    kind: Kind::Ident { .. },
                    ..
                },
            ) => Some(t.text(self.src)),
            _ => None,
        }
    }

    /// One module's items (a file, or an inline module's content); returns its index in
    /// `mods`.
    fn module(&self, tokens: &[Tok], mods: &mut Vec<ModSummary>) -> Option<usize> {
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
            && is_group(tokens.get(i + 2), '[')
        {
            i += 3;
        }
        let mut index = 0usize;
        while i < tokens.len() {
            let start = i;
            while is_punct(tokens.get(i), '#') && is_group(tokens.get(i + 1), '[') {
                i += 2;
            }
            let attrs_end = i;
            let mut public = false;
            if self.ident(tokens.get(i)) == Some("pub") {
                public = true;
                i += 1;
                if is_group(tokens.get(i), '(') {
                    i += 1;
                }
            }
            let kw = self.ident(tokens.get(i))?;
            // A macro invocation (`name!`, `path::name!`) or anything unexpected: full parse.
            if is_punct(tokens.get(i + 1), '!') || (kw != "use" && is_path_sep(tokens, i + 1)) {
                return None;
            }
            match kw {
                "use" => {
                    i += 1;
                    let end = semicolon(tokens, i)?;
                    let mut prefix = Vec::new();
                    let mut j = i;
                    if is_path_sep(tokens, j) {
                        prefix.push("::".to_string());
                        j += 2;
                    }
                    let used = self.use_tree(&tokens[j..end], prefix, public, &mut scope)?;
                    if used != end - j {
                        return None;
                    }
                    i = end + 1;
                }
                "mod" => {
                    let name_tok = tokens.get(i + 1)?;
                    let raw = self.ident(Some(name_tok))?.to_string();
                    let name = raw.trim_start_matches("r#").to_string();
                    let inline = match tokens.get(i + 2)? {
                        Tok {
                            kind: Kind::Group { open: '{', toks },
                            ..
                        } => Some(toks),
                        t if is_punct(Some(t), ';') => None,
                        _ => return None,
                    };
                    // The attributes as syn reads them (`#[cfg(test)]`, `#[path]`).
                    let (cfg_test, path_attr) = if attrs_end > start {
                        let text = &self.src[tokens[start].start..tokens[attrs_end - 1].end];
                        let m: syn::ItemMod = syn::parse_str(&format!("{text}\nmod m;")).ok()?;
                        (attrs::is_cfg_test(&m.attrs), attrs::path_attr(&m.attrs))
                    } else {
                        (false, None)
                    };
                    i += 3;
                    if cfg_test {
                        continue;
                    }
                    scope.mods.push((raw, public));
                    match inline {
                        Some(toks) => {
                            let part = self.module(toks, mods)?;
                            children.push(Child::Inline {
                                name,
                                path_attr,
                                part,
                            });
                        }
                        None => {
                            let (line, column) = name_tok.position(self.src)?;
                            children.push(Child::File {
                                name,
                                path_attr,
                                pos: Pos { line, column },
                            });
                        }
                    }
                }
                "struct" | "enum" | "union" | "type" => {
                    let name = self.ident(tokens.get(i + 1))?.to_string();
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
                    while matches!(self.ident(tokens.get(j)), Some("unsafe" | "auto")) {
                        j += 1;
                    }
                    match self.ident(tokens.get(j)) {
                        Some("trait") => {
                            let name = self.ident(tokens.get(j + 1))?.to_string();
                            let end = brace_or_semicolon(tokens, j)?;
                            // `trait A = B;` is a trait alias: not in the type namespace here.
                            if is_group(tokens.get(end - 1), '{') {
                                scope.items.entry(name).or_insert((index, public));
                            }
                            i = end;
                        }
                        Some("fn" | "impl" | "extern") => i = brace_or_semicolon(tokens, j)?,
                        _ => return None,
                    }
                }
                "const" | "static" => match self.ident(tokens.get(i + 1)) {
                    // `const fn`, `const unsafe fn`, `const async fn`, `const extern "C" fn`.
                    Some("fn" | "unsafe" | "async" | "extern") => {
                        i = brace_or_semicolon(tokens, i)?
                    }
                    _ => i = semicolon(tokens, i)? + 1,
                },
                "extern" => {
                    i = if self.ident(tokens.get(i + 1)) == Some("crate") {
                        semicolon(tokens, i)? + 1
                    } else {
                        brace_or_semicolon(tokens, i)?
                    };
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

    /// Reads one use tree from the start of `tokens` into `scope` (as `resolve::flatten`
    /// does); returns how many tokens it took.
    fn use_tree(
        &self,
        tokens: &[Tok],
        mut prefix: Vec<String>,
        public: bool,
        scope: &mut Scope,
    ) -> Option<usize> {
        let first = tokens.first()?;
        if is_punct(Some(first), '*') {
            scope.globs.push((prefix, public));
            return Some(1);
        }
        if let Kind::Group { open: '{', toks } = &first.kind {
            let mut j = 0;
            while j < toks.len() {
                if is_path_sep(toks, j) {
                    return None;
                }
                j += self.use_tree(&toks[j..], prefix.clone(), public, scope)?;
                if j < toks.len() {
                    if !is_punct(toks.get(j), ',') {
                        return None;
                    }
                    j += 1;
                }
            }
            return Some(1);
        }
        let name = self.ident(Some(first))?.to_string();
        if is_path_sep(tokens, 1) {
            prefix.push(name);
            return Some(3 + self.use_tree(&tokens[3..], prefix, public, scope)?);
        }
        if self.ident(tokens.get(1)) == Some("as") {
            let binding = self.ident(tokens.get(2))?.to_string();
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
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::super::split;
    use crate::resolve;

    fn rs_files(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        for e in rd.filter_map(Result::ok) {
            let p = e.path();
            if p.is_dir() {
                rs_files(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }

    /// What the full parse makes of `text`.
    fn by_syn(text: &str) -> Option<Vec<super::ModSummary>> {
        let parts = split::split(syn::parse_file(text).ok()?.items)?;
        Some(
            parts
                .into_iter()
                .map(|p| super::ModSummary {
                    scope: resolve::scope(&p.items),
                    children: p.children,
                })
                .collect(),
        )
    }

    fn agree(name: &str, text: &str) -> bool {
        let Some(scanned) = super::summarize(text) else {
            return false;
        };
        let parsed = by_syn(text);
        assert_eq!(Some(&scanned), parsed.as_ref(), "{name}");
        true
    }

    #[test]
    fn the_token_reader_agrees_with_syn_on_every_source_file_of_the_repository() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut files = Vec::new();
        for dir in ["fixtures", "crates", "src", "tests", "xtask"] {
            rs_files(&root.join(dir), &mut files);
        }
        files.sort();
        let mut scanned = 0;
        for f in &files {
            let Ok(text) = std::fs::read_to_string(f) else {
                continue;
            };
            // Only files syn reads matter: the scanner may not tell a syntax error.
            if by_syn(&text).is_none() {
                continue;
            }
            if agree(&f.display().to_string(), &text) {
                scanned += 1;
            }
        }
        assert!(scanned > 200, "scanned {scanned} of {} files", files.len());
    }

    #[test]
    fn the_token_reader_reads_tricky_items_as_syn_does() {
        let text = r##"
//! inner doc
#![allow(dead_code)]
/// doc
#[derive(Clone)]
pub(crate) struct A<'a, T: 'a> where T: Clone { x: &'a T, s: &'static str }
pub struct Tuple(pub u8, (i32, [u8; 3]));
enum E { X = 1, Y { a: u8 } }
union U { a: u32 }
type Alias<T> = Vec<T>;
pub trait Tr: Sized { fn f(&self) -> char { 'x' } }
trait Al = Tr;
unsafe trait Un {}
impl<T> Tr for Vec<T> where T: Clone { }
const C: &str = "a \" } ; b";
const R: &str = r#"raw " } ; "#;
static S: [u8; 2] = [b'a', b'\''];
const fn cf() -> u8 { 1u8 }
pub(in crate::x) fn g<'a>(x: &'a str) -> &'a str { /* } */ x }
extern crate alloc as al;
extern "C" { fn c(); }
use std::{self as stdlib, collections::{HashMap as Map, *}, fmt::Debug};
use ::core::mem;
use self::inner::{self, Q as _};
pub use super::sibling::*;
#[cfg(test)]
mod tests { pub struct Hidden; }
#[path = "other.rs"]
pub mod r#other;
mod inline {
    #![allow(unused)]
    use super::A;
    pub struct Q;
    mod deeper;
}
/** block doc */
pub struct Last;
/* plain /* nested */ comment */
"##;
        assert!(agree("tricky", text), "the scanner gave up");
    }
}
