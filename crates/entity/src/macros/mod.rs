//! Declarative macros (`macro_rules!`) defined in the loaded crates, expanded at item position
//! while the module tree is built, so that newtypes, enums, type aliases or whole entity
//! modules a macro generates are read as if they were written out.
//!
//! - `matcher`: rule patterns and matching (fragments parsed with syn, repetitions).
//! - `transcribe`: rule bodies filled in with what was matched.
//! - [`Expander`] (this file): which macro an invocation names (textual scope as rustc has it,
//!   then `#[macro_export]` macros and other loaded crates), the recursion limit, and the list
//!   of invocations that could not be expanded (mentioned only where a type then cannot be
//!   resolved, see [`hint`]).
//!
//! Files without item-position macro invocations cost nothing beyond a `match` per item.

mod matcher;
mod transcribe;

use std::cell::Cell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use proc_macro2::{Ident, Span, TokenStream, TokenTree};
use syn::parse::{ParseStream, Parser};
use syn::spanned::Spanned;

use crate::diagnostics::{Sink, position};
use crate::module_tree::ModId;

/// Nested expansions deeper than this stop with a warning (rustc's default limit is 128).
pub(crate) const MAX_DEPTH: usize = 64;
/// Matching steps one invocation may take over all of a macro's rules.
const MATCH_FUEL: u32 = 100_000;
/// Tokens all expansions of one load may produce together.
const OUTPUT_BUDGET: usize = 2_000_000;

/// A `macro_rules!` definition.
#[derive(Debug)]
pub(crate) struct MacroDef {
    name: String,
    /// The rules, or why they cannot be used.
    rules: Result<Vec<Rule>, String>,
}

#[derive(Debug)]
struct Rule {
    pattern: Vec<matcher::Matcher>,
    body: Vec<transcribe::Tr>,
}

impl MacroDef {
    /// `macro_rules! name { (pattern) => { body }; … }`; `None` for other items.
    fn parse(mac: &syn::ItemMacro) -> Option<MacroDef> {
        let name = mac.ident.as_ref()?.to_string();
        if !mac.mac.path.is_ident("macro_rules") {
            return None;
        }
        Some(MacroDef {
            name,
            rules: parse_rules(mac.mac.tokens.clone()),
        })
    }
}

fn parse_rules(tokens: TokenStream) -> Result<Vec<Rule>, String> {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let mut rules = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if matches!(&tokens[i], TokenTree::Punct(p) if p.as_char() == ';') {
            i += 1;
            continue;
        }
        let arrow = matches!(
            (tokens.get(i + 1), tokens.get(i + 2)),
            (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b))) if a.as_char() == '=' && b.as_char() == '>'
        );
        match (&tokens[i], tokens.get(i + 3)) {
            (TokenTree::Group(pattern), Some(TokenTree::Group(body))) if arrow => {
                rules.push(Rule {
                    pattern: matcher::parse(pattern.stream())?,
                    body: transcribe::parse(body.stream())?,
                });
                i += 4;
            }
            _ => return Err("its rules are not of the form `(pattern) => { body }`".into()),
        }
    }
    Ok(rules)
}

/// Expands one invocation with `def`: the first rule whose pattern matches is used.
pub(crate) fn expand(
    def: &MacroDef,
    input: TokenStream,
    krate: &Ident,
    budget: &mut usize,
) -> Result<TokenStream, String> {
    let rules = def
        .rules
        .as_ref()
        .map_err(|e| format!("`{}!` cannot be used: {e}", def.name))?;
    let fuel = Cell::new(MATCH_FUEL);
    for rule in rules {
        if let Some(binds) = matcher::match_rule(&rule.pattern, input.clone(), &fuel) {
            return transcribe::transcribe(&rule.body, &binds, krate, budget);
        }
        if fuel.get() == 0 {
            return Err(format!("matching `{}!` takes too many steps", def.name));
        }
    }
    Err(format!(
        "no rule of `{}!` matches this invocation",
        def.name
    ))
}

/// An item-position invocation that was not expanded.
#[derive(Clone, Debug)]
pub(crate) struct Unexpanded {
    pub module: ModId,
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    /// The macro's path as written (`id_type`, `common::id_type`).
    pub name: String,
    pub reason: String,
    /// The invocation's tokens, to tell whether it mentions a name.
    input: TokenStream,
}

impl Unexpanded {
    fn mentions(&self, name: &str) -> bool {
        fn walk(ts: &TokenStream, name: &str) -> bool {
            ts.clone().into_iter().any(|t| match t {
                TokenTree::Ident(i) => i == name,
                TokenTree::Group(g) => walk(&g.stream(), name),
                _ => false,
            })
        }
        walk(&self.input, name)
    }
}

/// What to do with an item-position `name!(…)` item.
pub(crate) enum Step {
    /// Not an invocation to expand (a `macro_rules!` definition, or one that failed): keep it.
    Keep(Box<syn::Item>),
    /// The items it expands to, each at the given expansion depth.
    Expand(Vec<syn::Item>, usize),
    /// Not in textual scope: looked up again when every crate has been read.
    Later(syn::ItemMacro),
}

/// An invocation looked up once every crate has been read.
pub(crate) struct Deferred {
    pub module: ModId,
    pub mac: syn::ItemMacro,
    pub depth: usize,
    pub dir: PathBuf,
    pub path_attr_dir: PathBuf,
    pub file: PathBuf,
}

/// Macro scopes and expansion state while the module tree is built.
#[derive(Default)]
pub(crate) struct Expander {
    /// Textual scope: definitions seen so far on the way to the current item.
    textual: Vec<Rc<MacroDef>>,
    /// Every definition per crate root, by name (the last one wins); exported ones also in
    /// `exported`.
    all: HashMap<(ModId, String), Rc<MacroDef>>,
    exported: HashMap<(ModId, String), Rc<MacroDef>>,
    /// The crate roots in the order they were read.
    crates: Vec<ModId>,
    pub deferred: Vec<Deferred>,
    /// After every crate was read: look names up crate-wide instead of deferring.
    late: bool,
    pub unexpanded: Vec<Unexpanded>,
    budget: Option<usize>,
}

impl Expander {
    /// A new crate starts: nothing is in textual scope.
    pub fn start_crate(&mut self, root: ModId) {
        self.textual.clear();
        self.crates.push(root);
    }

    /// Marks the textual scope before a child module.
    pub fn mark(&self) -> usize {
        self.textual.len()
    }

    /// Leaves a child module: its definitions go out of scope unless it is `#[macro_use]`.
    pub fn leave(&mut self, mark: usize, macro_use: bool) {
        if !macro_use {
            self.textual.truncate(mark);
        }
    }

    /// From now on invocations are resolved crate-wide (see [`Deferred`]).
    pub fn start_late(&mut self) {
        self.late = true;
        self.textual.clear();
    }

    /// Handles an item-position macro item of module `module` (crate root `krate`) at
    /// expansion depth `depth`.
    pub fn item(
        &mut self,
        module: ModId,
        krate: ModId,
        mac: syn::ItemMacro,
        depth: usize,
        file: &Path,
        sink: &mut Sink,
    ) -> Step {
        if let Some(def) = MacroDef::parse(&mac) {
            let def = Rc::new(def);
            if has_attr(&mac.attrs, "macro_export") {
                self.exported.insert((krate, def.name.clone()), def.clone());
            }
            self.all.insert((krate, def.name.clone()), def.clone());
            self.textual.push(def);
            return Step::Keep(Box::new(syn::Item::Macro(mac)));
        }
        let segs: Vec<String> = mac
            .mac
            .path
            .segments
            .iter()
            .map(|s| s.ident.to_string())
            .collect();
        let textual = match segs.as_slice() {
            [name] => self.textual.iter().rev().find(|d| d.name == *name).cloned(),
            _ => None,
        };
        let found = match textual {
            Some(def) => Some((def, Ident::new("crate", Span::call_site()))),
            None if !self.late => return Step::Later(mac),
            None => self.crate_wide(krate, module, &segs),
        };
        let Some((def, crate_ident)) = found else {
            self.record(module, file, &mac, "it is not a `macro_rules!` macro of the loaded crates (a proc macro or a macro from a dependency cannot be expanded)".into());
            return Step::Keep(Box::new(syn::Item::Macro(mac)));
        };
        if depth >= MAX_DEPTH {
            let why = format!(
                "expanding `{}!` nests more than {MAX_DEPTH} macro invocations deep",
                segs.join("::")
            );
            sink.warning(file, mac.mac.path.span(), &why);
            self.record(module, file, &mac, why);
            return Step::Keep(Box::new(syn::Item::Macro(mac)));
        }
        let budget = self.budget.get_or_insert(OUTPUT_BUDGET);
        let span = mac.mac.path.span();
        let out = expand(&def, mac.mac.tokens.clone(), &crate_ident, budget)
            .and_then(|ts| parse_items(respan(ts, span)));
        match out {
            Ok(items) => Step::Expand(items, depth + 1),
            Err(why) => {
                self.record(module, file, &mac, why);
                Step::Keep(Box::new(syn::Item::Macro(mac)))
            }
        }
    }

    /// A macro named by a path, or not in textual scope: the invoking crate's macros first
    /// (exported, then any), then another loaded crate's exported macro of that name. Also
    /// returns what `$crate` becomes.
    fn crate_wide(
        &self,
        krate: ModId,
        _module: ModId,
        segs: &[String],
    ) -> Option<(Rc<MacroDef>, Ident)> {
        let name = segs.last()?.clone();
        let here = Ident::new("crate", Span::call_site());
        let own = matches!(
            segs.first().map(String::as_str),
            Some("crate" | "self" | "super")
        ) || segs.len() == 1;
        if own {
            let key = (krate, name.clone());
            if let Some(d) = self.exported.get(&key).or_else(|| self.all.get(&key)) {
                return Some((d.clone(), here));
            }
            if segs.len() > 1 {
                return None;
            }
        }
        let other = self
            .crates
            .iter()
            .filter(|c| **c != krate)
            .find_map(|c| self.exported.get(&(*c, name.clone())))?;
        // `$crate` becomes the name the invocation spells the other crate with.
        let spelled = match segs {
            [first, .., _] if segs.len() > 1 => first.clone(),
            _ => "crate".to_string(),
        };
        let ident = syn::parse_str::<Ident>(&spelled).unwrap_or(here);
        Some((other.clone(), ident))
    }

    fn record(&mut self, module: ModId, file: &Path, mac: &syn::ItemMacro, reason: String) {
        let (line, column) = position(mac.mac.path.span());
        let name = mac
            .mac
            .path
            .segments
            .iter()
            .map(|s| s.ident.to_string())
            .collect::<Vec<_>>()
            .join("::");
        self.unexpanded.push(Unexpanded {
            module,
            file: file.to_path_buf(),
            line,
            column,
            name,
            reason,
            input: mac.mac.tokens.clone(),
        });
    }
}

fn has_attr(attrs: &[syn::Attribute], name: &str) -> bool {
    attrs.iter().any(|a| a.path().is_ident(name))
}

/// Every token of an expansion placed at the invocation, so that what is said about the
/// expanded items points at the line that invokes the macro.
fn respan(ts: TokenStream, span: Span) -> TokenStream {
    ts.into_iter()
        .map(|t| match t {
            TokenTree::Group(g) => {
                let mut out = proc_macro2::Group::new(g.delimiter(), respan(g.stream(), span));
                out.set_span(span);
                TokenTree::Group(out)
            }
            mut other => {
                other.set_span(span);
                other
            }
        })
        .collect()
}

fn parse_items(ts: TokenStream) -> Result<Vec<syn::Item>, String> {
    Parser::parse2(
        |s: ParseStream<'_>| {
            let mut items = Vec::new();
            while !s.is_empty() {
                items.push(s.parse::<syn::Item>()?);
            }
            Ok(items)
        },
        ts,
    )
    .map_err(|e| format!("its expansion is not a list of items ({e})"))
}

/// For a type that module `module` does not declare: the unexpanded invocations in the modules
/// `reach` (the module and those it glob-imports) that may define `name`, as text to append to
/// the "cannot resolve" message. Invocations that mention `name` are preferred; others are
/// only listed when none does.
pub(crate) fn hint(unexpanded: &[Unexpanded], reach: &[ModId], name: &str) -> Option<String> {
    let candidates: Vec<&Unexpanded> = unexpanded
        .iter()
        .filter(|u| reach.contains(&u.module))
        .collect();
    let mentioning: Vec<&Unexpanded> = candidates
        .iter()
        .copied()
        .filter(|u| u.mentions(name))
        .collect();
    let list = if mentioning.is_empty() {
        candidates
    } else {
        mentioning
    };
    let first = list.first()?;
    let more = match list.len() {
        1 => String::new(),
        n => format!(" (and {} more invocation(s))", n - 1),
    };
    Some(format!(
        "; the invocation `{}!` at {}:{}:{} may define it but was not expanded: {}{more}",
        first.name,
        first.file.display(),
        first.line,
        first.column,
        first.reason
    ))
}

#[cfg(test)]
mod tests;

impl crate::ctx::Ctx<'_> {
    /// [`hint`] for a name module `module` does not declare, or a note that no macro
    /// invocation there was left unexpanded.
    pub(crate) fn macro_hint(&self, module: ModId, name: &str) -> String {
        let reach = self.res.glob_reach(module);
        hint(&self.res.tree.unexpanded, &reach, name).unwrap_or_else(|| {
            " (nor made by a `macro_rules!` macro the loader expanded)".to_string()
        })
    }
}
