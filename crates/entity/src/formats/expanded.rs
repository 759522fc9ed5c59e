//! The expanded format: hand-written `impl EntityName for Entity { fn table_name() }`,
//! `enum Column` + `impl ColumnTrait { fn def() { match self { Self::X => ColumnType::..def()
//! .null().unique() .. } } }`, `enum PrimaryKey` + `impl PrimaryKeyTrait { fn auto_increment() }`,
//! and `impl RelationTrait` with `Entity::belongs_to(..).from(..).to(..).into()` chains.

use heck::ToSnakeCase;
use syn::{Expr, ImplItem, Item, Lit, Pat};

use crate::attrs::{self, Arg};
use crate::column_type::{self, ColType};
use crate::ctx::Ctx;
use crate::entity_def::{self, ColumnDef, DefaultSpec, EntityDef, RelationDef};
use crate::module_tree::ModId;

pub(super) fn read(ctx: &mut Ctx<'_>, m: ModId) -> Option<EntityDef> {
    let file = ctx.file(m);
    let items = ctx.res.items(m);
    let mut table = None;
    let mut schema = None;
    let mut comment = None;
    let mut span = None;
    for item in items {
        match item {
            Item::Struct(s)
                if s.ident == "Entity" && attrs::has_derive(&s.attrs, "DeriveEntity") =>
            {
                let args = attrs::sea_orm_args(&s.attrs, file, &mut ctx.sink);
                if let Some((t, _)) = attrs::find(&args, "table_name").and_then(Arg::str) {
                    table = Some(t);
                    span = Some(s.ident.span());
                }
                schema = schema.or(attrs::find(&args, "schema_name")
                    .and_then(Arg::str)
                    .map(|v| v.0));
                comment = comment.or(attrs::find(&args, "comment")
                    .and_then(Arg::str)
                    .map(|v| v.0));
            }
            Item::Impl(i) if trait_is(i, "EntityName") => {
                span = span.or(Some(self_ty_span(i)));
                for f in fns(i) {
                    let s = first_string(&f.block);
                    match f.sig.ident.to_string().as_str() {
                        "table_name" => table = s.or(table),
                        "schema_name" => schema = s.or(schema),
                        "comment" => comment = s.or(comment),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    let table = table?;
    let span = span.unwrap_or_else(proc_macro2::Span::call_site).into();
    let mut entity = EntityDef {
        module: m,
        span,
        table,
        schema,
        comment,
        columns: Vec::new(),
        primary_key: Vec::new(),
        auto_increment: false,
        auto_increment_stated: false,
        relations: Vec::new(),
    };
    let mut defs: Vec<(String, Expr)> = Vec::new();
    let mut names: Vec<(String, String)> = Vec::new();
    for item in items {
        match item {
            Item::Enum(e) if e.ident == "Column" => {
                for v in &e.variants {
                    let args = attrs::sea_orm_args(&v.attrs, file, &mut ctx.sink);
                    let name = attrs::find(&args, "column_name")
                        .and_then(Arg::str)
                        .map(|v| v.0)
                        .unwrap_or_else(|| v.ident.to_string().to_snake_case());
                    entity
                        .columns
                        .push(ColumnDef::new(v.ident.to_string(), name, v.ident.span()));
                }
            }
            Item::Enum(e) if e.ident == "PrimaryKey" => {
                entity.primary_key = e.variants.iter().map(|v| v.ident.to_string()).collect();
            }
            Item::Impl(i) if trait_is(i, "PrimaryKeyTrait") => {
                if let Some(f) = fns(i).find(|f| f.sig.ident == "auto_increment") {
                    entity.auto_increment = first_bool(&f.block).unwrap_or(false);
                    entity.auto_increment_stated = entity.auto_increment;
                }
            }
            Item::Impl(i) if trait_is(i, "ColumnTrait") => {
                if let Some(f) = fns(i).find(|f| f.sig.ident == "def") {
                    defs.extend(column_def_arms(&f.block));
                }
            }
            Item::Impl(i)
                if (trait_is(i, "Iden") || trait_is(i, "IdenStatic")) && self_is(i, "Column") =>
            {
                // Hand-written column names: `fn unquoted(&self) -> &str { match self { .. } }`.
                if let Some(f) =
                    fns(i).find(|f| f.sig.ident == "unquoted" || f.sig.ident == "as_str")
                {
                    for (variant, body) in match_arms(&f.block) {
                        if let Some(name) = column_type::strings_in(body).into_iter().next() {
                            names.push((variant, name));
                        }
                    }
                }
            }
            Item::Impl(i) if trait_is(i, "RelationTrait") => {
                if let Some(f) = fns(i).find(|f| f.sig.ident == "def") {
                    for (variant, body) in match_arms(&f.block) {
                        if let Some(rel) = relation_chain(ctx, m, &variant, body) {
                            entity.relations.push(rel);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    for (variant, name) in names {
        if let Some(col) = entity.columns.iter_mut().find(|c| c.variant == variant) {
            col.name = name;
        }
    }
    for col in &mut entity.columns {
        match defs.iter().find(|(v, _)| *v == col.variant) {
            Some((_, body)) => column_chain(ctx, m, body, col),
            None => ctx.sink.error(
                file,
                col.span,
                format!(
                    "Column::{} has no arm in `impl ColumnTrait for Column`'s def()",
                    col.variant
                ),
            ),
        }
    }
    Some(entity)
}

fn trait_is(i: &syn::ItemImpl, name: &str) -> bool {
    i.trait_
        .as_ref()
        .is_some_and(|(_, p, _)| p.segments.last().is_some_and(|s| s.ident == name))
}

fn self_is(i: &syn::ItemImpl, name: &str) -> bool {
    matches!(&*i.self_ty, syn::Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == name))
}

fn self_ty_span(i: &syn::ItemImpl) -> proc_macro2::Span {
    use syn::spanned::Spanned;
    i.self_ty.span()
}

fn fns(i: &syn::ItemImpl) -> impl Iterator<Item = &syn::ImplItemFn> {
    i.items.iter().filter_map(|it| match it {
        ImplItem::Fn(f) => Some(f),
        _ => None,
    })
}

fn tail(block: &syn::Block) -> Option<&Expr> {
    match block.stmts.last()? {
        syn::Stmt::Expr(e, None) => Some(e),
        _ => None,
    }
}

fn first_string(block: &syn::Block) -> Option<String> {
    tail(block).and_then(|e| column_type::strings_in(e).into_iter().next())
}

fn first_bool(block: &syn::Block) -> Option<bool> {
    match tail(block)? {
        Expr::Lit(l) => match &l.lit {
            Lit::Bool(b) => Some(b.value),
            _ => None,
        },
        _ => None,
    }
}

/// `match self { Self::A => expr, Column::B => expr }` → [("A", expr), ("B", expr)].
fn match_arms(block: &syn::Block) -> Vec<(String, &Expr)> {
    let Some(Expr::Match(m)) = tail(block) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for arm in &m.arms {
        let mut pats = Vec::new();
        match &arm.pat {
            Pat::Or(o) => pats.extend(o.cases.iter()),
            p => pats.push(p),
        }
        for p in pats {
            let path = match p {
                Pat::Path(p) => &p.path,
                Pat::TupleStruct(t) => &t.path,
                Pat::Ident(i) => {
                    out.push((i.ident.to_string(), &*arm.body));
                    continue;
                }
                _ => continue,
            };
            out.push((column_type::last(path), &*arm.body));
        }
    }
    out
}

/// The arms of `ColumnTrait::def`, each as a whole column expression. Besides the usual
/// `match self { Self::A => ColumnType::X.def(), .. }`, sea-orm-codegen 0.10 wrote (and lldap
/// still has) `match self { Column::A => ColumnType::X, .. }.def()`: the calls after the
/// `match` apply to every arm.
fn column_def_arms(block: &syn::Block) -> Vec<(String, Expr)> {
    let Some(body) = tail(block) else {
        return Vec::new();
    };
    let (base, _) = chain(body);
    let base = strip_parens(base);
    let Expr::Match(m) = base else {
        return Vec::new();
    };
    let wrapper = syn::Block {
        brace_token: Default::default(),
        stmts: vec![syn::Stmt::Expr(Expr::Match(m.clone()), None)],
    };
    match_arms(&wrapper)
        .into_iter()
        .map(|(variant, arm)| (variant, with_base(body, arm)))
        .collect()
}

fn strip_parens(e: &Expr) -> &Expr {
    match e {
        Expr::Paren(p) => strip_parens(&p.expr),
        Expr::Group(g) => strip_parens(&g.expr),
        other => other,
    }
}

/// `chain` with its innermost receiver replaced by `base`.
fn with_base(e: &Expr, base: &Expr) -> Expr {
    match e {
        Expr::MethodCall(mc) => {
            let mut mc = mc.clone();
            mc.receiver = Box::new(with_base(&mc.receiver, base));
            Expr::MethodCall(mc)
        }
        _ => base.clone(),
    }
}

/// `receiver.a(x).b(y)` → (receiver, [(a, [x]), (b, [y])]) in call order.
fn chain(e: &Expr) -> (&Expr, Vec<(String, Vec<&Expr>)>) {
    let mut calls = Vec::new();
    let mut cur = e;
    while let Expr::MethodCall(mc) = cur {
        calls.push((mc.method.to_string(), mc.args.iter().collect()));
        cur = &mc.receiver;
    }
    calls.reverse();
    (cur, calls)
}

fn column_chain(ctx: &mut Ctx<'_>, m: ModId, body: &Expr, col: &mut ColumnDef) {
    let file = ctx.file(m);
    let (base, calls) = chain(body);
    let mut calls = calls.into_iter().peekable();
    let ty = match db_type_call(ctx, m, base, col.span) {
        Some(t) => Ok(t),
        None if calls.peek().is_some_and(|(n, _)| n == "def") => column_type::from_expr(base),
        None => Err("expected `ColumnType::X.def()`".to_string()),
    };
    if calls.peek().is_some_and(|(n, _)| n == "def") {
        calls.next();
    }
    match ty {
        Ok(t) => col.ty = Some(t),
        Err(e) => {
            ctx.sink.error_help(
                file,
                col.span,
                format!(
                    "cannot read the column type of Column::{}: {e}",
                    col.variant
                ),
                "write `ColumnType::String(StringLen::N(255)).def()` or `MyEnum::db_type()`",
            );
        }
    }
    for (name, args) in calls {
        let s = || {
            args.first()
                .and_then(|a| column_type::strings_in(a).into_iter().next())
        };
        match name.as_str() {
            "null" | "nullable" => col.nullable = true,
            "unique" => col.unique = true,
            "indexed" => col.indexed = true,
            "unique_key" => col.unique_key = s(),
            "renamed_from" => col.renamed_from = s(),
            "comment" => col.comment = s(),
            "extra" => col.extra = s(),
            "default_value" | "default" => {
                col.default = args.first().map(|a| match a {
                    Expr::Lit(l) if name == "default_value" => DefaultSpec::value(&l.lit),
                    other => DefaultSpec::expr(other),
                })
            }
            "seaography_ignore" | "def" | "to_owned" | "clone" => {}
            other => ctx.sink.warning(
                file,
                col.span,
                format!("unknown ColumnDef method `{other}`; ignored"),
            ),
        }
    }
}

/// `Tea::db_type()` / `<Tea as ActiveEnum>::db_type()`: the column type of that value type.
fn db_type_call(
    ctx: &mut Ctx<'_>,
    m: ModId,
    base: &Expr,
    span: crate::diagnostics::Pos,
) -> Option<ColType> {
    let Expr::Call(c) = base else { return None };
    let Expr::Path(p) = &*c.func else { return None };
    if column_type::last(&p.path) != "db_type" {
        return None;
    }
    let ty: syn::Type = match &p.qself {
        Some(q) => (*q.ty).clone(),
        None => {
            let mut path = p.path.clone();
            path.segments.pop();
            let last = path.segments.pop()?.into_value();
            path.segments.push(last);
            syn::Type::Path(syn::TypePath { qself: None, path })
        }
    };
    ctx.rust_type(m, &ty, span, 0)
}

fn relation_chain(ctx: &mut Ctx<'_>, m: ModId, variant: &str, body: &Expr) -> Option<RelationDef> {
    let file = ctx.file(m);
    let (base, calls) = chain(body);
    let Expr::Call(c) = base else { return None };
    let Expr::Path(f) = &*c.func else { return None };
    if column_type::last(&f.path) != "belongs_to" {
        return None;
    }
    let span = proc_macro2::Span::call_site();
    let target = match c.args.first() {
        Some(Expr::Path(p)) => p.path.clone(),
        _ => {
            ctx.sink.warning(
                file,
                span,
                format!("Relation::{variant}: cannot read the related entity"),
            );
            return None;
        }
    };
    let (target, target_written) = RelationDef::target_of(&target);
    let mut rel = RelationDef {
        target,
        target_written,
        from: Vec::new(),
        to: Vec::new(),
        on_delete: None,
        on_update: None,
        fk_name: None,
        skip_fk: false,
        span: f
            .path
            .segments
            .first()
            .map(|s| s.ident.span())
            .unwrap_or(span)
            .into(),
    };
    for (name, args) in calls {
        let arg_text = || {
            args.first().map(|a| {
                quote::ToTokens::to_token_stream(a)
                    .to_string()
                    .replace(' ', "")
            })
        };
        match name.as_str() {
            "from" => {
                rel.from = arg_text()
                    .and_then(|t| entity_def::column_variants(&t))
                    .unwrap_or_default()
            }
            "to" => {
                rel.to = arg_text()
                    .and_then(|t| entity_def::column_variants(&t))
                    .unwrap_or_default()
            }
            "on_delete" => rel.on_delete = arg_text().and_then(|t| entity_def::fk_action(&t)),
            "on_update" => rel.on_update = arg_text().and_then(|t| entity_def::fk_action(&t)),
            "fk_name" => {
                rel.fk_name = args
                    .first()
                    .and_then(|a| column_type::strings_in(a).into_iter().next())
            }
            "skip_fk" => rel.skip_fk = true,
            _ => {}
        }
    }
    if rel.from.is_empty() || rel.to.is_empty() {
        ctx.sink.error(
            file,
            rel.span,
            format!("Relation::{variant}: belongs_to needs .from(..) and .to(..)"),
        );
        return None;
    }
    Some(rel)
}
