//! Rust field types → SeaORM `ColumnType`, as `<T as sea_query::ValueType>::column_type()` gives
//! it in sea-query 1.0 / sea-orm 2.0.4: built-in types by name, local types through name
//! resolution (ActiveEnums, `DeriveValueType` newtypes, type aliases, `FromJsonQueryResult`
//! structs and enums), and `[types]` overrides from the configuration.

use crate::diagnostics::Pos;
use quote::ToTokens;
use std::borrow::Cow;
use syn::{GenericArgument, Item, PathArguments, Type};

use crate::attrs;
use crate::column_type::{self, ColType};
use crate::ctx::Ctx;
use crate::module_tree::ModId;
use crate::resolve::Res;

/// `Option<T>` → `T`, nullable. Only a type spelled exactly `Option<..>` counts, as the SeaORM
/// macro checks the text: `std::option::Option<T>` is a NOT NULL column of `T`'s type.
pub(crate) fn strip_option(ty: &Type) -> (&Type, bool) {
    let single = matches!(ty, Type::Path(p) if p.qself.is_none() && p.path.leading_colon.is_none() && p.path.segments.len() == 1);
    match generic_arg(ty, "Option") {
        Some(inner) if single => (inner, true),
        _ => (ty, false),
    }
}

/// The single type argument of `Name<T>` when the last segment is `name`.
pub(crate) fn generic_arg<'a>(ty: &'a Type, name: &str) -> Option<&'a Type> {
    let Type::Path(p) = ty else { return None };
    let seg = p.path.segments.last()?;
    if seg.ident != name {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &seg.arguments else {
        return None;
    };
    args.args.iter().find_map(|a| match a {
        GenericArgument::Type(t) => Some(t),
        _ => None,
    })
}

/// The last path segment's name, and whether it has no generic arguments.
pub(crate) fn last_ident(ty: &Type) -> Option<(String, bool)> {
    let Type::Path(p) = ty else { return None };
    let seg = p.path.segments.last()?;
    Some((seg.ident.to_string(), seg.arguments.is_empty()))
}

/// The type as written, without whitespace (`Option<String>`), for messages and `[types]` keys.
pub(crate) fn spelling(ty: &Type) -> String {
    ty.to_token_stream()
        .to_string()
        .split_whitespace()
        .collect()
}

impl Ctx<'_> {
    /// The column type of a field type written in module `m` (without its `Option`). Errors are
    /// reported at `span`; `None` then.
    pub fn rust_type(&mut self, m: ModId, ty: &Type, span: Pos, depth: usize) -> Option<ColType> {
        let file = self.file(m);
        if depth > 16 {
            self.sink.error(
                file,
                span,
                format!("type `{}` refers to itself", spelling(ty)),
            );
            return None;
        }
        let overrides = !self.opts.type_overrides.is_empty();
        if overrides && let Some(sql) = self.opts.type_overrides.get(&spelling(ty)) {
            return Some(ColType::Sql(override_type(sql)));
        }
        match ty {
            Type::Reference(r) => return self.rust_type(m, &r.elem, span, depth + 1),
            Type::Paren(p) => return self.rust_type(m, &p.elem, span, depth + 1),
            Type::Group(g) => return self.rust_type(m, &g.elem, span, depth + 1),
            Type::Path(_) => {}
            _ => {
                self.sink.error(
                    file,
                    span,
                    format!(
                        "`{}` is not a type SeaORM can store in a column",
                        spelling(ty)
                    ),
                );
                return None;
            }
        }
        let Type::Path(tp) = ty else { return None };
        // `<Option<T> as ValueType>::column_type()` is `T`'s.
        if let Some(inner) = generic_arg(ty, "Option") {
            return self.rust_type(m, inner, span, depth + 1);
        }
        if let Some(inner) = generic_arg(ty, "Vec") {
            let (inner, _) = strip_option(inner);
            if last_ident(inner).is_some_and(|(name, plain)| plain && name == "u8") {
                return Some(ColType::VarBinary);
            }
            return self
                .rust_type(m, inner, span, depth + 1)
                .map(|t| ColType::Array(Box::new(t)));
        }
        let has_generics = tp
            .path
            .segments
            .last()
            .is_some_and(|s| !s.arguments.is_empty());
        let res = self.res.resolve_path(m, &tp.path);
        if overrides && let Some(t) = self.override_for(&res) {
            return Some(t);
        }
        match res {
            Res::Item { module, index, .. } => self.local_type(module, index, ty, span, depth),
            Res::External(path) => match builtin(&path, has_generics) {
                Some(t) => Some(t),
                None => {
                    self.res.want(m, &tp.path);
                    Some(unresolved(&spelling(ty), "is not a type SeaORM knows"))
                }
            },
            Res::Missing { module, name, rest } => {
                let why = format!(
                    "is not declared in `{}`{}",
                    self.res.module_path(module),
                    self.macro_hint(module, &name)
                );
                let mut full = vec![name];
                full.extend(rest);
                match builtin(&full, has_generics) {
                    Some(t) => Some(t),
                    None => {
                        self.res.want(m, &tp.path);
                        Some(unresolved(&spelling(ty), &why))
                    }
                }
            }
            Res::Module(_) => Some(unresolved(&spelling(ty), "names a module")),
        }
    }

    fn override_for(&self, res: &Res) -> Option<ColType> {
        let key = match res {
            Res::Item { module, index, .. } => {
                let name = item_name(self.res.item(*module, *index)?)?;
                format!("{}::{name}", self.res.module_path(*module))
            }
            Res::Missing { module, name, .. } => {
                format!("{}::{name}", self.res.module_path(*module))
            }
            Res::External(p) => p.join("::"),
            Res::Module(_) => return None,
        };
        let short = key.strip_prefix("crate::").unwrap_or(&key);
        let last = key.rsplit("::").next().unwrap_or(&key);
        [key.as_str(), short, last]
            .iter()
            .find_map(|k| self.opts.type_overrides.get(*k))
            .map(|sql| ColType::Sql(override_type(sql)))
    }

    fn local_type(
        &mut self,
        module: ModId,
        index: usize,
        ty: &Type,
        span: Pos,
        depth: usize,
    ) -> Option<ColType> {
        if let Some(done) = self.value_types.get(&(module, index)) {
            return done.clone();
        }
        // What is reported while lowering it is reported once (see `Sink::under`).
        self.sink.lowering.push((module, index));
        let out = self.local_type_uncached(module, index, ty, span, depth);
        self.sink.lowering.pop();
        out
    }

    fn local_type_uncached(
        &mut self,
        module: ModId,
        index: usize,
        ty: &Type,
        span: Pos,
        depth: usize,
    ) -> Option<ColType> {
        let item = self.res.item(module, index)?;
        let out = match item {
            Item::Enum(e) if attrs::has_derive(&e.attrs, "DeriveActiveEnum") => {
                self.active_enum(module, e)
            }
            Item::Struct(s) if attrs::has_derive(&s.attrs, "DeriveValueType") => {
                self.value_type(module, &s.attrs, &s.ident, Some(&s.fields), depth)
            }
            Item::Enum(e) if attrs::has_derive(&e.attrs, "DeriveValueType") => {
                self.value_type(module, &e.attrs, &e.ident, None, depth)
            }
            Item::Struct(s) if attrs::has_derive(&s.attrs, "FromJsonQueryResult") => {
                Some(ColType::Json)
            }
            Item::Enum(e) if attrs::has_derive(&e.attrs, "FromJsonQueryResult") => {
                Some(ColType::Json)
            }
            Item::Type(alias) => {
                return match alias_body(alias, ty) {
                    Cow::Borrowed(body) => self.rust_type(module, body, span, depth + 1),
                    Cow::Owned(body) => self.rust_type(module, &body, span, depth + 1),
                };
            }
            Item::Struct(syn::ItemStruct { ident, .. })
            | Item::Enum(syn::ItemEnum { ident, .. })
                if manual_value_type(self.res.items(module), ident).is_some() =>
            {
                let e = manual_value_type(self.res.items(module), ident)?;
                self.manual_column_type(module, e, span, depth)
            }
            _ => Some(unresolved(
                &spelling(ty),
                "is neither an ActiveEnum (DeriveActiveEnum) nor a newtype (DeriveValueType)",
            )),
        };
        self.value_types.insert((module, index), out.clone());
        out
    }

    /// `fn column_type() -> ColumnType { .. }` of a hand-written `impl ValueType`.
    fn manual_column_type(
        &mut self,
        m: ModId,
        e: &syn::Expr,
        span: Pos,
        depth: usize,
    ) -> Option<ColType> {
        // `<String as ValueType>::column_type()`: another type's column type.
        if let syn::Expr::Call(c) = e
            && let syn::Expr::Path(p) = &*c.func
            && let Some(q) = &p.qself
        {
            return self.rust_type(m, &q.ty, span, depth + 1);
        }
        match column_type::from_expr(e) {
            Ok(t) => Some(t),
            Err(msg) => {
                let file = self.file(m);
                self.sink.error(
                    file,
                    span,
                    format!("cannot read the hand-written ValueType::column_type(): {msg}"),
                );
                None
            }
        }
    }

    fn value_type(
        &mut self,
        m: ModId,
        item_attrs: &[syn::Attribute],
        ident: &syn::Ident,
        fields: Option<&syn::Fields>,
        depth: usize,
    ) -> Option<ColType> {
        let file = self.file(m);
        let args = attrs::sea_orm_args(item_attrs, file, &mut self.sink);
        attrs::check_keys(
            &args,
            attrs::VALUE_TYPE_KEYS,
            "a DeriveValueType struct",
            file,
            &mut self.sink,
        );
        if let Some(a) = attrs::find(&args, "column_type") {
            return self.column_type_attr(m, a);
        }
        if let Some((v, _)) = attrs::find(&args, "value_type").and_then(|a| a.str())
            && v == "String"
        {
            return Some(ColType::String(None));
        }
        let field = match fields {
            Some(syn::Fields::Unnamed(f)) if !f.unnamed.is_empty() => &f.unnamed[0],
            _ => {
                self.sink.error(
                    file,
                    ident.span(),
                    "DeriveValueType needs a tuple struct with one field, or value_type = \"String\"",
                );
                return None;
            }
        };
        let (inner, _) = strip_option(&field.ty);
        self.rust_type(m, inner, ident.span().into(), depth + 1)
    }

    /// `column_type = "..."` / `db_type = "..."`: parsed, or an error with help.
    pub fn column_type_attr(&mut self, m: ModId, a: &attrs::Arg) -> Option<ColType> {
        let file = self.file(m);
        let Some((text, span)) = a.str() else {
            self.sink
                .error(file, a.span, format!("`{}` must be a string", a.key));
            return None;
        };
        match self.parse_column_type(&text) {
            Ok(t) => Some(t),
            Err(e) => {
                self.sink.error_help(
                    file,
                    span,
                    format!("cannot read {} \"{text}\": {e}", a.key),
                    "write a sea_query ColumnType expression, e.g. \"String(StringLen::N(255))\", \"Decimal(Some((16, 4)))\", \"Text\", \"custom(\\\"citext\\\")\"",
                );
                None
            }
        }
    }
}

/// A type the loader cannot resolve; `lower` reports it at each column that uses it.
fn unresolved(written: &str, why: &str) -> ColType {
    ColType::Unresolved {
        written: written.to_string(),
        why: why.to_string(),
    }
}

/// The tail expression of `fn column_type()` in `impl ValueType for <ident>` among `items`.
fn manual_value_type<'a>(items: &'a [Item], ident: &syn::Ident) -> Option<&'a syn::Expr> {
    items.iter().find_map(|item| {
        let Item::Impl(i) = item else { return None };
        let (_, trait_path, _) = i.trait_.as_ref()?;
        if trait_path.segments.last()?.ident != "ValueType" {
            return None;
        }
        let Type::Path(self_ty) = &*i.self_ty else {
            return None;
        };
        if self_ty.path.segments.last()?.ident != *ident {
            return None;
        }
        i.items.iter().find_map(|it| match it {
            syn::ImplItem::Fn(f) if f.sig.ident == "column_type" => match f.block.stmts.last()? {
                syn::Stmt::Expr(e, None) => Some(e),
                _ => None,
            },
            _ => None,
        })
    })
}

fn item_name(item: &Item) -> Option<String> {
    match item {
        Item::Struct(i) => Some(i.ident.to_string()),
        Item::Enum(i) => Some(i.ident.to_string()),
        Item::Type(i) => Some(i.ident.to_string()),
        _ => None,
    }
}

/// A `[types]` SQL text: built-in types structured, anything else kept as text.
pub(crate) fn override_type(sql: &str) -> autogen_schema::Type {
    autogen_schema::Type::parse_pg(sql)
}

/// Types outside the crate, by their spelling (sea-query / sea-orm `ValueType` impls).
pub(crate) fn builtin(path: &[String], has_generics: bool) -> Option<ColType> {
    let name = path.last()?.as_str();
    Some(match name {
        "String" | "str" | "Cow" | "TextUuid" => ColType::String(None),
        "bool" => ColType::Boolean,
        "i8" => ColType::TinyInteger,
        "i16" => ColType::SmallInteger,
        "i32" => ColType::Integer,
        "i64" => ColType::BigInteger,
        "u8" => ColType::TinyUnsigned,
        "u16" => ColType::SmallUnsigned,
        "u32" => ColType::Unsigned,
        "u64" => ColType::BigUnsigned,
        "f32" => ColType::Float,
        "f64" => ColType::Double,
        "char" => ColType::Char(None),
        "Decimal" | "BigDecimal" => ColType::Decimal(None),
        "NaiveDate" | "Date" | "ChronoDate" | "TimeDate" => ColType::Date,
        "NaiveTime" | "Time" | "ChronoTime" | "TimeTime" => ColType::Time,
        "NaiveDateTime" | "ChronoDateTime" | "PrimitiveDateTime" | "TimeDateTime" => {
            ColType::DateTime
        }
        "DateTime" if has_generics => ColType::TimestampWithTimeZone,
        "DateTime" => ColType::DateTime,
        "DateTimeUtc"
        | "DateTimeLocal"
        | "DateTimeWithTimeZone"
        | "ChronoDateTimeUtc"
        | "ChronoDateTimeLocal"
        | "ChronoDateTimeWithTimeZone"
        | "OffsetDateTime"
        | "TimeDateTimeWithTimeZone" => ColType::TimestampWithTimeZone,
        "ChronoUnixTimestamp"
        | "ChronoUnixTimestampMillis"
        | "TimeUnixTimestamp"
        | "TimeUnixTimestampMillis" => ColType::BigInteger,
        "Timestamp" if path.iter().any(|p| p == "jiff") => ColType::TimestampWithTimeZone,
        "Uuid" => ColType::Uuid,
        "Braced" | "Hyphenated" | "Simple" | "Urn"
            if path.len() >= 2 && path[path.len() - 2] == "fmt" =>
        {
            ColType::Uuid
        }
        "Json" => ColType::Json,
        "Value" if path.len() >= 2 && path[path.len() - 2] == "serde_json" => ColType::Json,
        "IpNetwork" => ColType::Inet,
        "MacAddress" => ColType::MacAddr,
        "PgVector" | "Vector" => ColType::Vector(None),
        _ => return None,
    })
}

/// The type an alias stands for at one use: `type Maybe<T> = Option<T>;` used as `Maybe<i32>`
/// is `Option<i32>`. The arguments are resolved in the alias's module (a primitive or prelude
/// type resolves anywhere).
fn alias_body<'a>(alias: &'a syn::ItemType, used: &Type) -> Cow<'a, Type> {
    let params: Vec<&syn::Ident> = alias.generics.type_params().map(|p| &p.ident).collect();
    if params.is_empty() {
        return Cow::Borrowed(&alias.ty);
    }
    let args: Vec<&Type> = match used {
        Type::Path(tp) => match tp.path.segments.last().map(|s| &s.arguments) {
            Some(syn::PathArguments::AngleBracketed(a)) => a
                .args
                .iter()
                .filter_map(|g| match g {
                    syn::GenericArgument::Type(t) => Some(t),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        },
        _ => Vec::new(),
    };
    let map: Vec<(&syn::Ident, &Type)> = params.into_iter().zip(args).collect();
    Cow::Owned(substitute(&alias.ty, &map))
}

fn substitute(ty: &Type, map: &[(&syn::Ident, &Type)]) -> Type {
    match ty {
        Type::Path(tp) => {
            if tp.qself.is_none()
                && let Some(ident) = tp.path.get_ident()
                && let Some((_, arg)) = map.iter().find(|(p, _)| *p == ident)
            {
                return (*arg).clone();
            }
            let mut tp = tp.clone();
            for seg in &mut tp.path.segments {
                if let syn::PathArguments::AngleBracketed(a) = &mut seg.arguments {
                    for g in &mut a.args {
                        if let syn::GenericArgument::Type(t) = g {
                            *t = substitute(t, map);
                        }
                    }
                }
            }
            Type::Path(tp)
        }
        Type::Reference(r) => {
            let mut r = r.clone();
            r.elem = Box::new(substitute(&r.elem, map));
            Type::Reference(r)
        }
        Type::Paren(p) => {
            let mut p = p.clone();
            p.elem = Box::new(substitute(&p.elem, map));
            Type::Paren(p)
        }
        Type::Group(g) => {
            let mut g = g.clone();
            g.elem = Box::new(substitute(&g.elem, map));
            Type::Group(g)
        }
        other => other.clone(),
    }
}
