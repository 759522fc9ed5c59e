//! The matcher side of `macro_rules!`: a rule's pattern parsed into [`Matcher`]s, and matching
//! an invocation's tokens against it on a syn `ParseStream` (fragments are parsed with syn's own
//! parsers on forks, so `$t:ty` or `$e:expr` end exactly where rustc's parser would end them).
//! Repetitions are greedy and give back iterations when the rest of the rule does not match;
//! a step budget bounds the backtracking.

use std::cell::Cell;
use std::collections::HashMap;

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use syn::buffer::Cursor;
use syn::parse::discouraged::Speculative;
use syn::parse::{ParseStream, Parser};

/// Nesting of groups and repetitions in a rule deeper than this is refused.
const MAX_NESTING: usize = 32;

/// The multi-character operators rustc treats as one token (for `$x:tt` and separators).
const OPERATORS: &[&str] = &[
    "<<=", ">>=", "...", "..=", "::", "->", "=>", "==", "!=", "<=", ">=", "&&", "||", "+=", "-=",
    "*=", "/=", "%=", "^=", "&=", "|=", "<<", ">>", "..",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Frag {
    Ident,
    Lifetime,
    Tt,
    Ty,
    Expr,
    Literal,
    Path,
    Vis,
    Meta,
    Item,
    Block,
    Stmt,
    Pat,
    PatParam,
}

impl Frag {
    fn from_name(name: &str) -> Option<Frag> {
        Some(match name {
            "ident" => Frag::Ident,
            "lifetime" => Frag::Lifetime,
            "tt" => Frag::Tt,
            "ty" => Frag::Ty,
            "expr" | "expr_2021" => Frag::Expr,
            "literal" => Frag::Literal,
            "path" => Frag::Path,
            "vis" => Frag::Vis,
            "meta" => Frag::Meta,
            "item" => Frag::Item,
            "block" => Frag::Block,
            "stmt" => Frag::Stmt,
            "pat" => Frag::Pat,
            "pat_param" => Frag::PatParam,
            _ => return None,
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RepOp {
    /// `*`
    Many,
    /// `+`
    AtLeastOne,
    /// `?`
    Optional,
}

#[derive(Clone, Debug)]
pub(crate) enum Matcher {
    /// An identifier, punctuation character or literal that must be there as written.
    Token(TokenTree),
    Group(Delimiter, Vec<Matcher>),
    Frag(String, Frag),
    Rep(Box<Rep>),
}

#[derive(Clone, Debug)]
pub(crate) struct Rep {
    pub body: Vec<Matcher>,
    pub sep: Vec<TokenTree>,
    pub op: RepOp,
    /// Every `$name` bound inside `body` (at any depth).
    pub vars: Vec<String>,
}

/// What one `$name` matched.
#[derive(Clone, Debug)]
pub(crate) enum Bound {
    One(Fragment),
    /// One entry per iteration of the repetition that binds it.
    Many(Vec<Bound>),
}

#[derive(Clone, Debug)]
pub(crate) struct Fragment {
    pub kind: Frag,
    pub tokens: TokenStream,
}

pub(crate) type Binds = HashMap<String, Bound>;

/// Parses a rule's pattern (the tokens inside its outer delimiters).
pub(crate) fn parse(tokens: TokenStream) -> Result<Vec<Matcher>, String> {
    parse_at(tokens, 0)
}

fn parse_at(tokens: TokenStream, depth: usize) -> Result<Vec<Matcher>, String> {
    if depth > MAX_NESTING {
        return Err("the rule nests groups too deeply".into());
    }
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        match &tokens[i] {
            TokenTree::Punct(p) if p.as_char() == '$' => match tokens.get(i + 1) {
                Some(TokenTree::Ident(name)) if name != "crate" => {
                    let colon = matches!(tokens.get(i + 2), Some(TokenTree::Punct(c)) if c.as_char() == ':');
                    let kind = match tokens.get(i + 3) {
                        Some(TokenTree::Ident(k)) if colon => k.to_string(),
                        _ => return Err(format!("`${name}` has no fragment specifier")),
                    };
                    let frag = Frag::from_name(&kind)
                        .ok_or_else(|| format!("fragment `${name}:{kind}` is not supported"))?;
                    out.push(Matcher::Frag(name.to_string(), frag));
                    i += 4;
                }
                Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis => {
                    let body = parse_at(g.stream(), depth + 1)?;
                    let (sep, op, used) = repetition_suffix(&tokens[i + 2..])?;
                    let mut vars = Vec::new();
                    collect_vars(&body, &mut vars);
                    out.push(Matcher::Rep(Box::new(Rep {
                        body,
                        sep,
                        op,
                        vars,
                    })));
                    i += 2 + used;
                }
                _ => {
                    out.push(Matcher::Token(tokens[i].clone()));
                    i += 1;
                }
            },
            TokenTree::Group(g) => {
                out.push(Matcher::Group(
                    g.delimiter(),
                    parse_at(g.stream(), depth + 1)?,
                ));
                i += 1;
            }
            other => {
                out.push(Matcher::Token(other.clone()));
                i += 1;
            }
        }
    }
    Ok(out)
}

fn collect_vars(ms: &[Matcher], out: &mut Vec<String>) {
    for m in ms {
        match m {
            Matcher::Frag(name, _) => out.push(name.clone()),
            Matcher::Group(_, inner) => collect_vars(inner, out),
            Matcher::Rep(r) => out.extend(r.vars.iter().cloned()),
            Matcher::Token(_) => {}
        }
    }
}

/// After `$( … )`: an optional separator token and the operator. Returns how many token trees
/// were used. Shared with the transcriber.
pub(crate) fn repetition_suffix(
    rest: &[TokenTree],
) -> Result<(Vec<TokenTree>, RepOp, usize), String> {
    let op_at = |i: usize| match rest.get(i) {
        Some(TokenTree::Punct(p)) => match p.as_char() {
            '*' => Some(RepOp::Many),
            '+' => Some(RepOp::AtLeastOne),
            '?' => Some(RepOp::Optional),
            _ => None,
        },
        _ => None,
    };
    if let Some(op) = op_at(0) {
        return Ok((Vec::new(), op, 1));
    }
    // The separator's last character is followed by the operator in the rule, but by the next
    // iteration's tokens in what it transcribes.
    let alone = |ts: &[TokenTree]| -> Vec<TokenTree> {
        let mut v = ts.to_vec();
        if let Some(TokenTree::Punct(p)) = v.last_mut() {
            let mut q = proc_macro2::Punct::new(p.as_char(), proc_macro2::Spacing::Alone);
            q.set_span(p.span());
            *p = q;
        }
        v
    };
    // A multi-character operator as the separator (`=>`, `::`), else one token.
    for len in [3, 2] {
        let chars: Option<String> = rest.get(..len).and_then(|ts| {
            ts.iter()
                .map(|t| match t {
                    TokenTree::Punct(p) => Some(p.as_char()),
                    _ => None,
                })
                .collect()
        });
        if let Some(chars) = chars
            && OPERATORS.contains(&chars.as_str())
            && let Some(op @ (RepOp::Many | RepOp::AtLeastOne)) = op_at(len)
        {
            return Ok((alone(&rest[..len]), op, len + 1));
        }
    }
    match (rest.first(), op_at(1)) {
        (Some(TokenTree::Group(_)), _) | (None, _) => {}
        (Some(sep), Some(op @ (RepOp::Many | RepOp::AtLeastOne))) => {
            return Ok((alone(std::slice::from_ref(sep)), op, 2));
        }
        _ => {}
    }
    Err("a repetition `$( … )` must end with `*`, `+` or `?` (after an optional separator)".into())
}

/// Matches `input` against a whole rule; `fuel` is the remaining step budget (shared by the
/// rules of one invocation).
pub(crate) fn match_rule(rule: &[Matcher], input: TokenStream, fuel: &Cell<u32>) -> Option<Binds> {
    let m = Match { fuel };
    Parser::parse2(
        |s: ParseStream<'_>| m.seq(rule, s, true).ok_or_else(|| s.error("no match")),
        input,
    )
    .ok()
}

struct Match<'f> {
    fuel: &'f Cell<u32>,
}

impl Match<'_> {
    fn burn(&self) -> bool {
        let left = self.fuel.get();
        if left == 0 {
            return false;
        }
        self.fuel.set(left - 1);
        true
    }

    /// Matches `ms` at the start of `input`, advancing it on success; `end`: `input` must be
    /// used up.
    fn seq(&self, ms: &[Matcher], input: ParseStream<'_>, end: bool) -> Option<Binds> {
        let mut binds = Binds::new();
        for (i, m) in ms.iter().enumerate() {
            if !self.burn() {
                return None;
            }
            match m {
                Matcher::Token(t) => {
                    if !token(t, input) {
                        return None;
                    }
                }
                Matcher::Group(delim, inner) => {
                    let Ok(TokenTree::Group(g)) = input.parse::<TokenTree>() else {
                        return None;
                    };
                    if g.delimiter() != *delim {
                        return None;
                    }
                    let b = Parser::parse2(
                        |s: ParseStream<'_>| {
                            self.seq(inner, s, true).ok_or_else(|| s.error("no match"))
                        },
                        g.stream(),
                    )
                    .ok()?;
                    binds.extend(b);
                }
                Matcher::Frag(name, kind) => {
                    let f = fragment(*kind, input)?;
                    binds.insert(name.clone(), Bound::One(f));
                }
                Matcher::Rep(rep) => {
                    let rest = self.rep(rep, &ms[i + 1..], input, end)?;
                    binds.extend(rest);
                    return Some(binds);
                }
            }
        }
        if end && !input.is_empty() {
            return None;
        }
        Some(binds)
    }

    /// A repetition followed by `rest`: as many iterations as possible, then fewer until
    /// `rest` matches too.
    fn rep(&self, rep: &Rep, rest: &[Matcher], input: ParseStream<'_>, end: bool) -> Option<Binds> {
        let mut positions = vec![input.fork()];
        let mut iters: Vec<Binds> = Vec::new();
        loop {
            let last = positions.last()?;
            let f = last.fork();
            if !iters.is_empty() && !rep.sep.iter().all(|t| token(t, &f)) {
                break;
            }
            let Some(b) = self.seq(&rep.body, &f, false) else {
                break;
            };
            if f.cursor() == last.cursor() {
                // An iteration that matches nothing would repeat forever.
                break;
            }
            iters.push(b);
            positions.push(f);
            if rep.op == RepOp::Optional {
                break;
            }
        }
        let min = usize::from(rep.op == RepOp::AtLeastOne);
        for k in (min..=iters.len()).rev() {
            let f = positions[k].fork();
            if let Some(after) = self.seq(rest, &f, end) {
                input.advance_to(&f);
                let mut binds = Binds::new();
                for var in &rep.vars {
                    let each = iters[..k]
                        .iter()
                        .filter_map(|b| b.get(var).cloned())
                        .collect();
                    binds.insert(var.clone(), Bound::Many(each));
                }
                binds.extend(after);
                return Some(binds);
            }
        }
        None
    }
}

/// Whether two tokens are the same for matching: identifiers and literals by text,
/// punctuation by character.
fn same(a: &TokenTree, b: &TokenTree) -> bool {
    match (a, b) {
        (TokenTree::Ident(a), TokenTree::Ident(b)) => a == b,
        (TokenTree::Punct(a), TokenTree::Punct(b)) => a.as_char() == b.as_char(),
        (TokenTree::Literal(a), TokenTree::Literal(b)) => a.to_string() == b.to_string(),
        _ => false,
    }
}

/// Consumes `want` when it is next.
fn token(want: &TokenTree, input: ParseStream<'_>) -> bool {
    input
        .step(|c| match c.token_tree() {
            Some((got, rest)) if same(want, &got) => Ok(((), rest)),
            _ => Err(c.error("unexpected token")),
        })
        .is_ok()
}

/// Parses one fragment of `kind` at the start of `input`, advancing past it.
fn fragment(kind: Frag, input: ParseStream<'_>) -> Option<Fragment> {
    let start = input.cursor();
    let fork = input.fork();
    let ok = match kind {
        Frag::Ident => fork
            .step(|c| match c.ident() {
                Some((i, rest)) if i != "_" => Ok(((), rest)),
                _ => Err(c.error("expected an identifier")),
            })
            .is_ok(),
        Frag::Lifetime => fork.parse::<syn::Lifetime>().is_ok(),
        Frag::Tt => tt(&fork),
        Frag::Ty => fork.parse::<syn::Type>().is_ok(),
        Frag::Expr => fork.parse::<syn::Expr>().is_ok(),
        Frag::Literal => {
            if fork.peek(syn::Token![-]) {
                let _ = fork.parse::<syn::Token![-]>();
            }
            fork.parse::<syn::Lit>().is_ok()
        }
        Frag::Path => fork.parse::<syn::Path>().is_ok(),
        Frag::Vis => fork.parse::<syn::Visibility>().is_ok(),
        Frag::Meta => fork.parse::<syn::Meta>().is_ok(),
        Frag::Item => fork.parse::<syn::Item>().is_ok(),
        Frag::Block => fork.parse::<syn::Block>().is_ok(),
        Frag::Stmt => fork.parse::<syn::Stmt>().is_ok(),
        Frag::Pat => syn::Pat::parse_multi_with_leading_vert(&fork).is_ok(),
        Frag::PatParam => syn::Pat::parse_single(&fork).is_ok(),
    };
    if !ok {
        return None;
    }
    let tokens = between(start, fork.cursor())?;
    input.advance_to(&fork);
    Some(Fragment { kind, tokens })
}

/// The token trees from `start` up to `end` (`None` when `end` lies inside a group).
fn between(start: Cursor<'_>, end: Cursor<'_>) -> Option<TokenStream> {
    let mut out = Vec::new();
    let mut c = start;
    while c != end {
        let (t, next) = c.token_tree()?;
        out.push(t);
        c = next;
    }
    Some(out.into_iter().collect())
}

/// One token tree as rustc counts them: a lifetime, or a multi-character operator, is one.
fn tt(input: ParseStream<'_>) -> bool {
    if input.peek(syn::Lifetime) {
        return input.parse::<syn::Lifetime>().is_ok();
    }
    let Ok(first) = input.parse::<TokenTree>() else {
        return false;
    };
    let TokenTree::Punct(p) = first else {
        return true;
    };
    let mut chars = p.as_char().to_string();
    let mut joint = p.spacing() == proc_macro2::Spacing::Joint;
    // Extend while the characters so far plus the next one start a known operator.
    while joint {
        let fork = input.fork();
        let Ok(TokenTree::Punct(next)) = fork.parse::<TokenTree>() else {
            break;
        };
        let longer = format!("{chars}{}", next.as_char());
        if !OPERATORS.iter().any(|o| o.starts_with(&longer)) {
            break;
        }
        chars = longer;
        joint = next.spacing() == proc_macro2::Spacing::Joint;
        input.advance_to(&fork);
    }
    true
}
