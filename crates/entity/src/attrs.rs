//! Reading attributes: `#[sea_orm(...)]` (also inside `#[cfg_attr(pred, sea_orm(...))]`),
//! `#[derive(...)]`, `#[path]`, `#[cfg(test)]`. Everything else (`serde`, doc comments, other
//! derives) is skipped.

use std::path::Path;

use proc_macro2::Span;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Attribute, Expr, Lit, Meta, Token};

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
/// reported and skipped.
pub(crate) fn sea_orm_args(attrs: &[Attribute], file: &Path, sink: &mut Sink) -> Vec<Arg> {
    let mut out = Vec::new();
    for attr in attrs {
        if attr.path().is_ident("sea_orm") {
            match attr.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated) {
                Ok(metas) => push_metas(metas, &mut out, file, sink),
                Err(e) => sink.error(file, e.span(), format!("cannot read #[sea_orm(...)]: {e}")),
            }
        } else if attr.path().is_ident("cfg_attr") {
            let Ok(metas) = attr.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)
            else {
                continue;
            };
            for meta in metas.into_iter().skip(1) {
                if let Meta::List(list) = meta
                    && list.path.is_ident("sea_orm")
                {
                    match list.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated) {
                        Ok(metas) => push_metas(metas, &mut out, file, sink),
                        Err(e) => sink.error(
                            file,
                            e.span(),
                            format!("cannot read cfg_attr(.., sea_orm(...)): {e}"),
                        ),
                    }
                }
            }
        }
    }
    out
}

fn push_metas(
    metas: Punctuated<Meta, Token![,]>,
    out: &mut Vec<Arg>,
    file: &Path,
    sink: &mut Sink,
) {
    for meta in metas {
        let key = meta
            .path()
            .segments
            .iter()
            .map(|s| s.ident.to_string())
            .collect::<Vec<_>>()
            .join("::");
        let span = meta.path().span();
        match meta {
            Meta::Path(_) => out.push(Arg {
                key,
                value: None,
                span,
            }),
            Meta::NameValue(nv) => out.push(Arg {
                key,
                value: Some(nv.value),
                span,
            }),
            Meta::List(l) => sink.warning(
                file,
                l.span(),
                format!("unsupported form `{key}(...)` in #[sea_orm]"),
            ),
        }
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
    attrs.iter().any(|attr| {
        let metas = |a: &Attribute| {
            a.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)
                .ok()
        };
        if attr.path().is_ident("derive") {
            return metas(attr).is_some_and(|m| m.iter().any(|m| last_is(m.path(), name)));
        }
        if attr.path().is_ident("cfg_attr") {
            return metas(attr).is_some_and(|m| {
                m.iter().skip(1).any(|m| match m {
                    Meta::List(l) if l.path.is_ident("derive") => l
                        .parse_args_with(Punctuated::<syn::Path, Token![,]>::parse_terminated)
                        .is_ok_and(|ps| ps.iter().any(|p| last_is(p, name))),
                    _ => false,
                })
            });
        }
        false
    })
}

fn last_is(p: &syn::Path, name: &str) -> bool {
    p.segments.last().is_some_and(|s| s.ident == name)
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
