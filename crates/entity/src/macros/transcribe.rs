//! The transcriber side of `macro_rules!`: a rule's body parsed into [`Tr`]s and filled in with
//! what the matcher bound (`$name`, `$( … ) sep op` repeated as often as the variables inside
//! it were matched, `$crate`).

use proc_macro2::{Delimiter, Group, Ident, Punct, Spacing, TokenStream, TokenTree};

use super::matcher::{self, Binds, Bound, Frag, RepOp};

/// Nesting of groups and repetitions in a rule body deeper than this is refused.
const MAX_NESTING: usize = 64;

#[derive(Clone, Debug)]
pub(crate) enum Tr {
    Token(TokenTree),
    Group(Delimiter, Vec<Tr>),
    Var(Ident),
    Crate,
    Rep {
        body: Vec<Tr>,
        sep: Vec<TokenTree>,
        op: RepOp,
    },
}

/// Parses a rule body (the tokens inside its outer delimiters).
pub(crate) fn parse(tokens: TokenStream) -> Result<Vec<Tr>, String> {
    parse_at(tokens, 0)
}

fn parse_at(tokens: TokenStream, depth: usize) -> Result<Vec<Tr>, String> {
    if depth > MAX_NESTING {
        return Err("the rule body nests groups too deeply".into());
    }
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        match &tokens[i] {
            TokenTree::Punct(p) if p.as_char() == '$' => match tokens.get(i + 1) {
                Some(TokenTree::Ident(name)) => {
                    out.push(if name == "crate" {
                        Tr::Crate
                    } else {
                        Tr::Var(name.clone())
                    });
                    i += 2;
                }
                Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis => {
                    let body = parse_at(g.stream(), depth + 1)?;
                    let (sep, op, used) = matcher::repetition_suffix(&tokens[i + 2..])?;
                    out.push(Tr::Rep { body, sep, op });
                    i += 2 + used;
                }
                _ => {
                    out.push(Tr::Token(tokens[i].clone()));
                    i += 1;
                }
            },
            TokenTree::Group(g) => {
                out.push(Tr::Group(g.delimiter(), parse_at(g.stream(), depth + 1)?));
                i += 1;
            }
            other => {
                out.push(Tr::Token(other.clone()));
                i += 1;
            }
        }
    }
    Ok(out)
}

/// Fills in a rule body. `krate` is what `$crate` becomes; `budget` is how many more tokens
/// may be produced.
pub(crate) fn transcribe(
    body: &[Tr],
    binds: &Binds,
    krate: &Ident,
    budget: &mut usize,
) -> Result<TokenStream, String> {
    let mut out = Vec::new();
    let mut t = Transcriber {
        binds,
        krate,
        budget,
        idx: Vec::new(),
    };
    t.emit(body, &mut out)?;
    Ok(out.into_iter().collect())
}

struct Transcriber<'a> {
    binds: &'a Binds,
    krate: &'a Ident,
    budget: &'a mut usize,
    /// The iteration of each enclosing repetition.
    idx: Vec<usize>,
}

impl Transcriber<'_> {
    fn push(&mut self, out: &mut Vec<TokenTree>, t: TokenTree) -> Result<(), String> {
        if *self.budget == 0 {
            return Err("the expansion is too large".into());
        }
        *self.budget -= 1;
        out.push(t);
        Ok(())
    }

    fn emit(&mut self, trs: &[Tr], out: &mut Vec<TokenTree>) -> Result<(), String> {
        for tr in trs {
            match tr {
                Tr::Token(t) => self.push(out, t.clone())?,
                Tr::Group(delim, inner) => {
                    let mut v = Vec::new();
                    self.emit(inner, &mut v)?;
                    self.push(out, Group::new(*delim, v.into_iter().collect()).into())?;
                }
                Tr::Crate => self.push(out, self.krate.clone().into())?,
                Tr::Var(name) => match self.fragment(name)? {
                    Some((kind, tokens)) => {
                        // rustc passes an `expr` on as one opaque piece, so that precedence
                        // stays what it was at the call site.
                        if kind == Frag::Expr && !is_atom(&tokens) {
                            self.push(out, Group::new(Delimiter::None, tokens).into())?;
                        } else {
                            for t in tokens {
                                self.push(out, t)?;
                            }
                        }
                    }
                    // Not a variable of this rule (e.g. of a `macro_rules!` it defines).
                    None => {
                        self.push(out, Punct::new('$', Spacing::Alone).into())?;
                        self.push(out, name.clone().into())?;
                    }
                },
                Tr::Rep { body, sep, op } => {
                    let n = self.count(body)?;
                    if *op == RepOp::Optional && n > 1 {
                        return Err(
                            "a `$( … )?` repetition uses a variable repeated more than once".into(),
                        );
                    }
                    for i in 0..n {
                        if i > 0 {
                            for t in sep {
                                self.push(out, t.clone())?;
                            }
                        }
                        self.idx.push(i);
                        let r = self.emit(body, out);
                        self.idx.pop();
                        r?;
                    }
                }
            }
        }
        Ok(())
    }

    /// The fragment `$name` stands for here; `None`: not a variable of the rule.
    fn fragment(&self, name: &Ident) -> Result<Option<(Frag, TokenStream)>, String> {
        match self.lookup(&name.to_string()) {
            Some(Bound::One(f)) => Ok(Some((f.kind, f.tokens.clone()))),
            Some(Bound::Many(_)) => Err(format!(
                "variable `${name}` is still repeating at this depth"
            )),
            None => Ok(None),
        }
    }

    /// What `$name` means at the current repetition depth.
    fn lookup(&self, name: &str) -> Option<&Bound> {
        let mut b = self.binds.get(name)?;
        for &i in &self.idx {
            match b {
                Bound::Many(v) => b = v.get(i)?,
                Bound::One(_) => break,
            }
        }
        Some(b)
    }

    /// How many times a repetition body repeats: the length shared by the repeating variables
    /// it uses.
    fn count(&self, body: &[Tr]) -> Result<usize, String> {
        let mut vars = Vec::new();
        vars_of(body, &mut vars);
        let mut n: Option<(usize, String)> = None;
        for v in vars {
            if let Some(Bound::Many(items)) = self.lookup(&v) {
                match &n {
                    Some((len, other)) if *len != items.len() => {
                        return Err(format!(
                            "`${v}` repeats {} times but `${other}` repeats {len} times",
                            items.len()
                        ));
                    }
                    Some(_) => {}
                    None => n = Some((items.len(), v)),
                }
            }
        }
        n.map(|(len, _)| len).ok_or_else(|| {
            "a repetition in the rule body uses no variable that repeats at this depth".into()
        })
    }
}

fn vars_of(trs: &[Tr], out: &mut Vec<String>) {
    for tr in trs {
        match tr {
            Tr::Var(v) => out.push(v.to_string()),
            Tr::Group(_, inner) | Tr::Rep { body: inner, .. } => vars_of(inner, out),
            Tr::Token(_) | Tr::Crate => {}
        }
    }
}

/// An expression that needs no invisible group: one token tree (a literal, a name, a group)
/// or a negative literal, which attribute values (`default_value = $v`) are.
fn is_atom(ts: &TokenStream) -> bool {
    let mut it = ts.clone().into_iter();
    match (it.next(), it.next(), it.next()) {
        (Some(_), None, None) => true,
        (Some(TokenTree::Punct(p)), Some(TokenTree::Literal(_)), None) => p.as_char() == '-',
        _ => false,
    }
}
