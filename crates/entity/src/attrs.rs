//! Reading attributes: `#[sea_orm(...)]` (also inside `#[cfg_attr(pred, sea_orm(...))]`),
//! `#[derive(...)]`, `#[path]`, `#[cfg(test)]`. Everything else (`serde`, doc comments, other
//! derives) is skipped.

use std::path::Path;

use proc_macro2::{Delimiter, Span, TokenStream, TokenTree};
use syn::spanned::Spanned;
use syn::{Attribute, Expr, Lit, Meta};

use crate::diagnostics::Sink;

/// One `key` or `key = value` inside `#[sea_orm(...)]`.
#[derive(Clone, Debug)]
pub(crate) struct Arg {
    pub key: String,
    pub value: Option<Expr>,
    pub span: Span,
}

impl Arg {
    /// The string literal value and its span.
    pub fn str(&self) -> Option<(String, Span)> {
        match &self.value {
            Some(Expr::Lit(l)) => match &l.lit {
                Lit::Str(s) => Some((s.value(), s.span())),
                _ => None,
            },
            _ => None,
        }
    }

    pub fn lit(&self) -> Option<&Lit> {
        match &self.value {
            Some(Expr::Lit(l)) => Some(&l.lit),
            _ => None,
        }
    }

    /// `key` alone is `true`; `key = true/false` is that.
    pub fn flag(&self) -> Option<bool> {
        match &self.value {
            None => Some(true),
            Some(Expr::Lit(l)) => match &l.lit {
                Lit::Bool(b) => Some(b.value),
                _ => None,
            },
            _ => None,
        }
    }
}

/// The arguments of every `sea_orm` attribute in `attrs`, in order. Malformed attributes are
/// reported and skipped. Reads the attribute tokens directly (no syn re-parse of the whole
/// attribute): loading thousands of entities spends most of its time here otherwise.
pub(crate) fn sea_orm_args(attrs: &[Attribute], file: &Path, sink: &mut Sink) -> Vec<Arg> {
    let mut out = Vec::new();
    for attr in attrs {
        if attr.path().is_ident("sea_orm") {
            match &attr.meta {
                Meta::List(list) => parse_args(list.tokens.clone(), &mut out, file, sink),
                other => sink.error(file, other.span(), "expected #[sea_orm(...)]"),
            }
        } else if attr.path().is_ident("cfg_attr")
            && let Meta::List(list) = &attr.meta
        {
            // `cfg_attr(predicate, sea_orm(...), other(...))`: every top-level `sea_orm(...)`
            // after the predicate.
            let mut after_predicate = false;
            let mut prev_sea_orm = false;
            for tt in list.tokens.clone() {
                match tt {
                    TokenTree::Punct(p) if p.as_char() == ',' => after_predicate = true,
                    TokenTree::Ident(i) if after_predicate && i == "sea_orm" => {
                        prev_sea_orm = true;
                        continue;
                    }
                    TokenTree::Group(g)
                        if prev_sea_orm && g.delimiter() == Delimiter::Parenthesis =>
                    {
                        parse_args(g.stream(), &mut out, file, sink);
                    }
                    _ => {}
                }
                prev_sea_orm = false;
            }
        }
    }
    out
}

/// `key, key = value, key(..)` → [`Arg`]s.
fn parse_args(tokens: TokenStream, out: &mut Vec<Arg>, file: &Path, sink: &mut Sink) {
    let mut iter = tokens.into_iter().peekable();
    while let Some(tt) = iter.next() {
        let TokenTree::Ident(ident) = tt else {
            sink.error(
                file,
                tt.span(),
                format!("cannot read #[sea_orm(...)]: unexpected `{tt}`"),
            );
            skip_to_comma(&mut iter);
            continue;
        };
        let span = ident.span();
        let mut key = ident.to_string();
        // A path key (`a::b`).
        while matches!(iter.peek(), Some(TokenTree::Punct(p)) if p.as_char() == ':') {
            iter.next();
            iter.next();
            match iter.next() {
                Some(TokenTree::Ident(i)) => {
                    key.push_str("::");
                    key.push_str(&i.to_string());
                }
                _ => break,
            }
        }
        match iter.next() {
            None => {
                out.push(Arg {
                    key,
                    value: None,
                    span,
                });
                break;
            }
            Some(TokenTree::Punct(p)) if p.as_char() == ',' => out.push(Arg {
                key,
                value: None,
                span,
            }),
            Some(TokenTree::Punct(p)) if p.as_char() == '=' => {
                let mut value: Vec<TokenTree> = Vec::new();
                while let Some(t) =
                    iter.next_if(|t| !matches!(t, TokenTree::Punct(p) if p.as_char() == ','))
                {
                    value.push(t);
                }
                iter.next();
                match value_expr(value) {
                    Ok(v) => out.push(Arg {
                        key,
                        value: Some(v),
                        span,
                    }),
                    Err(msg) => sink.error(
                        file,
                        span,
                        format!("cannot read #[sea_orm(...)]: `{key} =` {msg}"),
                    ),
                }
            }
            // `key(...)` (`model_attrs(..)`): no schema effect; unknown keys are reported.
            Some(TokenTree::Group(_)) => {
                out.push(Arg {
                    key,
                    value: None,
                    span,
                });
                skip_to_comma(&mut iter);
            }
            Some(other) => {
                sink.error(
                    file,
                    other.span(),
                    format!("cannot read #[sea_orm(...)]: unexpected `{other}` after `{key}`"),
                );
                skip_to_comma(&mut iter);
            }
        }
    }
}

fn skip_to_comma(iter: &mut impl Iterator<Item = TokenTree>) {
    for t in iter.by_ref() {
        if matches!(&t, TokenTree::Punct(p) if p.as_char() == ',') {
            break;
        }
    }
}

/// A literal (the common case) directly, anything else through syn.
fn value_expr(tokens: Vec<TokenTree>) -> Result<Expr, String> {
    let lit = |lit: Lit| {
        Expr::Lit(syn::ExprLit {
            attrs: Vec::new(),
            lit,
        })
    };
    match tokens.as_slice() {
        [] => Err("needs a value".into()),
        [TokenTree::Literal(l)] => Ok(lit(Lit::new(l.clone()))),
        [TokenTree::Ident(i)] if i == "true" || i == "false" => {
            Ok(lit(Lit::Bool(syn::LitBool::new(i == "true", i.span()))))
        }
        // `-1`: syn reads a negative number as one literal, as the SeaORM macro does.
        [TokenTree::Punct(p), TokenTree::Literal(_)] if p.as_char() == '-' => {
            syn::parse2::<Lit>(tokens.into_iter().collect())
                .map(lit)
                .map_err(|e| format!("has an unreadable value: {e}"))
        }
        _ => syn::parse2::<Expr>(tokens.into_iter().collect())
            .map_err(|e| format!("has an unreadable value: {e}")),
    }
}

/// Reports every argument whose key is not in `known` (SeaORM ignores them silently, so a typo
/// would silently change the schema).
pub(crate) fn check_keys(args: &[Arg], known: &[&str], what: &str, file: &Path, sink: &mut Sink) {
    for a in args {
        if !known.contains(&a.key.as_str()) {
            sink.warning(
                file,
                a.span,
                format!(
                    "unknown key `{}` in #[sea_orm(...)] on {what}; ignored",
                    a.key
                ),
            );
        }
    }
}

pub(crate) fn find<'a>(args: &'a [Arg], key: &str) -> Option<&'a Arg> {
    args.iter().rev().find(|a| a.key == key)
}

pub(crate) fn has(args: &[Arg], key: &str) -> bool {
    args.iter().any(|a| a.key == key && a.flag() != Some(false))
}

/// True when `#[derive(..)]` (or `cfg_attr(.., derive(..))`) names `name` (by last segment).
pub(crate) fn has_derive(attrs: &[Attribute], name: &str) -> bool {
    let names = |tokens: TokenStream| {
        tokens
            .into_iter()
            .any(|t| matches!(&t, TokenTree::Ident(i) if i == name))
    };
    attrs.iter().any(|attr| {
        let Meta::List(list) = &attr.meta else {
            return false;
        };
        if attr.path().is_ident("derive") {
            return names(list.tokens.clone());
        }
        if attr.path().is_ident("cfg_attr") {
            let mut prev_derive = false;
            for tt in list.tokens.clone() {
                match tt {
                    TokenTree::Ident(i) if i == "derive" => {
                        prev_derive = true;
                        continue;
                    }
                    TokenTree::Group(g) if prev_derive && names(g.stream()) => return true,
                    _ => {}
                }
                prev_derive = false;
            }
        }
        false
    })
}

pub(crate) fn is_cfg_test(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg") && a.parse_args::<syn::Ident>().is_ok_and(|i| i == "test")
    })
}

/// `#[path = "..."]`.
pub(crate) fn path_attr(attrs: &[Attribute]) -> Option<String> {
    attrs.iter().find_map(|a| match &a.meta {
        Meta::NameValue(nv) if nv.path.is_ident("path") => match &nv.value {
            Expr::Lit(l) => match &l.lit {
                Lit::Str(s) => Some(s.value()),
                _ => None,
            },
            _ => None,
        },
        _ => None,
    })
}

pub(crate) const STRUCT_KEYS: &[&str] = &[
    "arrow_schema",
    "model_attrs",
    "model_ex_attrs",
    "table_name",
    "schema_name",
    "comment",
    "rename_all",
    "table_iden",
    "model_ex",
    "column",
    "entity",
    "model",
    "active_model",
    "active_model_ex",
    "primary_key",
    "relation",
    "compact_model",
];

pub(crate) const FIELD_KEYS: &[&str] = &[
    "column_type",
    "auto_increment",
    "comment",
    "default_value",
    "default_expr",
    "column_name",
    "enum_name",
    "select_as",
    "save_as",
    "ignore",
    "primary_key",
    "nullable",
    "indexed",
    "unique",
    "unique_key",
    "renamed_from",
    "extra",
    // Dense-format relation fields.
    "has_one",
    "has_many",
    "belongs_to",
    "self_ref",
    "skip_fk",
    "via",
    "via_rel",
    "from",
    "to",
    "relation_enum",
    "relation_reverse",
    "reverse",
    "on_update",
    "on_delete",
];

pub(crate) const RELATION_KEYS: &[&str] = &[
    "belongs_to",
    "has_one",
    "has_many",
    "via_rel",
    "on_update",
    "on_delete",
    "on_condition",
    "from",
    "to",
    "fk_name",
    "skip_fk",
    "condition_type",
];

pub(crate) const ACTIVE_ENUM_KEYS: &[&str] = &["rs_type", "db_type", "enum_name", "rename_all"];

pub(crate) const VARIANT_KEYS: &[&str] = &["string_value", "num_value", "display_value", "rename"];

pub(crate) const VALUE_TYPE_KEYS: &[&str] = &[
    "column_type",
    "array_type",
    "value_type",
    "from_str",
    "to_str",
    "try_from_u64",
    "try_getable_array",
];
