//! The compact format and the model struct shared with the dense format: `#[derive(DeriveEntityModel)]
//! #[sea_orm(table_name = "..")] struct Model { .. }` as sea-orm-macros' `entity_model.rs` reads
//! it, plus the hand-written `#[derive(DeriveRelation)] enum Relation`.

use syn::{Item, Lit};

use crate::attrs::{self, Arg};
use crate::case;
use crate::ctx::Ctx;
use crate::entity_def::{self, ColumnDef, DefaultSpec, EntityDef, RelationDef};
use crate::module_tree::ModId;
use crate::types;

/// Field types that the dense format turns into relations, not columns.
const COMPOUND: &[&str] = &["HasOne", "HasMany", "BelongsTo"];

pub(super) fn read_model(ctx: &mut Ctx<'_>, m: ModId, s: &syn::ItemStruct) -> Option<EntityDef> {
    let file = ctx.file(m);
    let args = attrs::sea_orm_args(&s.attrs, file, &mut ctx.sink);
    attrs::check_keys(
        &args,
        attrs::STRUCT_KEYS,
        "an entity model",
        file,
        &mut ctx.sink,
    );
    let Some((table, _)) = attrs::find(&args, "table_name").and_then(Arg::str) else {
        ctx.sink.warning(
            file,
            s.ident.span(),
            format!("`{}` derives DeriveEntityModel without #[sea_orm(table_name = \"..\")]; SeaORM makes no entity of it", s.ident),
        );
        return None;
    };
    let str_of = |k: &str| attrs::find(&args, k).and_then(Arg::str).map(|(v, _)| v);
    let rename_all = match attrs::find(&args, "rename_all") {
        Some(a) => match a.str().and_then(|(v, _)| case::parse(&v)) {
            Some(style) => Some(style),
            None => {
                ctx.sink
                    .error_help(file, a.span, "unknown rename_all case style", case::VALID);
                None
            }
        },
        None => None,
    };
    let mut entity = EntityDef {
        module: m,
        span: s.ident.span().into(),
        table,
        schema: str_of("schema_name"),
        comment: str_of("comment"),
        columns: Vec::new(),
        primary_key: Vec::new(),
        auto_increment: false,
        auto_increment_stated: false,
        relations: Vec::new(),
    };
    let syn::Fields::Named(fields) = &s.fields else {
        ctx.sink
            .error(file, s.ident.span(), "an entity model needs named fields");
        return None;
    };
    let mut auto_increment: Option<bool> = None;
    entity.columns.reserve_exact(fields.named.len());
    for field in &fields.named {
        let Some(ident) = &field.ident else { continue };
        let fargs = attrs::sea_orm_args(&field.attrs, file, &mut ctx.sink);
        attrs::check_keys(
            &fargs,
            attrs::FIELD_KEYS,
            "a model field",
            file,
            &mut ctx.sink,
        );
        if is_compound(&field.ty) {
            if let Some(rel) = super::dense::relation_field(ctx, m, field, &fargs) {
                entity.relations.push(rel);
            }
            continue;
        }
        if attrs::has(&fargs, "ignore") {
            continue;
        }
        let original = ident.to_string().trim_start_matches("r#").to_string();
        let camel = case::upper_camel(&original);
        let mut column_name = match rename_all {
            Some(style) => Some(case::convert(&camel, style)),
            None if original != case::snake(&camel) => Some(case::snake(&original)),
            None => None,
        };
        if let Some((v, _)) = attrs::find(&fargs, "column_name").and_then(Arg::str) {
            column_name = Some(v);
        }
        let variant = match attrs::find(&fargs, "enum_name").and_then(Arg::str) {
            Some((v, _)) => v,
            None => camel,
        };
        let name = column_name.unwrap_or_else(|| case::snake(&variant));
        let mut col = ColumnDef::new(variant.clone(), name, ident.span());
        let (inner, is_option) = types::strip_option(&field.ty);
        col.nullable = is_option || attrs::has(&fargs, "nullable");
        col.ty = match attrs::find(&fargs, "column_type") {
            Some(a) => ctx.column_type_attr(m, a),
            None => {
                col.rust_only = true;
                ctx.rust_type(m, inner, ident.span().into(), 0)
            }
        };
        if attrs::has(&fargs, "primary_key") {
            entity.primary_key.push(variant.clone());
            if auto_increment.is_none() {
                // The macro checks the type's text: a plain path ending in `String` / `Uuid`.
                let suffix = types::last_ident(inner).is_some_and(|(n, plain)| {
                    plain && (n.ends_with("String") || n.ends_with("Uuid"))
                });
                if suffix {
                    auto_increment = Some(false);
                }
            }
        }
        if let Some(a) = attrs::find(&fargs, "auto_increment") {
            match a.flag() {
                Some(v) if a.value.is_some() => {
                    auto_increment = Some(v);
                    entity.auto_increment_stated = v;
                }
                _ => ctx.sink.error(
                    file,
                    a.span,
                    "auto_increment needs a bool: auto_increment = false",
                ),
            }
            if !attrs::has(&fargs, "primary_key") && a.flag() == Some(true) {
                ctx.sink.error(
                    file,
                    a.span,
                    "auto_increment can only be used on primary_key",
                );
            }
        }
        read_column_attrs(ctx, m, &fargs, &mut col);
        entity.columns.push(col);
    }
    entity.auto_increment = match auto_increment {
        Some(v) => v && entity.primary_key.len() == 1,
        None => entity.primary_key.len() == 1,
    };
    for item in ctx.res.items(m) {
        if let Item::Enum(e) = item
            && attrs::has_derive(&e.attrs, "DeriveRelation")
        {
            read_relation_enum(ctx, m, e, &mut entity.relations);
        }
    }
    Some(entity)
}

/// The attributes every format shares once the column exists.
fn read_column_attrs(ctx: &mut Ctx<'_>, m: ModId, args: &[Arg], col: &mut ColumnDef) {
    let file = ctx.file(m);
    col.unique = attrs::has(args, "unique");
    col.indexed = attrs::has(args, "indexed");
    let s = |k: &str| attrs::find(args, k).and_then(Arg::str).map(|(v, _)| v);
    col.unique_key = s("unique_key");
    col.comment = s("comment");
    col.extra = s("extra");
    col.renamed_from = s("renamed_from");
    if let Some(a) = attrs::find(args, "default_value") {
        match a.lit() {
            Some(l) => col.default = Some(DefaultSpec::value(l)),
            None => ctx
                .sink
                .error(file, a.span, "default_value must be a literal"),
        }
    }
    if let Some(a) = attrs::find(args, "default_expr") {
        match a.str() {
            Some((text, span)) => match ctx.parse_expr(&text) {
                Ok(_) => col.default = Some(DefaultSpec::Expr(text.clone())),
                Err(e) => ctx.sink.error_help(
                    file,
                    span,
                    format!("cannot read default_expr \"{text}\": {e}"),
                    "write a Rust expression such as \"Expr::current_timestamp()\" or \"Expr::cust(\\\"now()\\\")\"",
                ),
            },
            None => ctx.sink.error(file, a.span, "default_expr must be a string"),
        }
    }
}

pub(super) fn is_compound(ty: &syn::Type) -> bool {
    match ty {
        syn::Type::Path(p) => p
            .path
            .segments
            .last()
            .is_some_and(|s| COMPOUND.iter().any(|c| s.ident == c)),
        _ => false,
    }
}

fn read_relation_enum(ctx: &mut Ctx<'_>, m: ModId, e: &syn::ItemEnum, out: &mut Vec<RelationDef>) {
    let file = ctx.file(m);
    for v in &e.variants {
        let args = attrs::sea_orm_args(&v.attrs, file, &mut ctx.sink);
        attrs::check_keys(
            &args,
            attrs::RELATION_KEYS,
            "a Relation variant",
            file,
            &mut ctx.sink,
        );
        let Some(bt) = attrs::find(&args, "belongs_to") else {
            continue;
        };
        let Some((target_text, target_span)) = bt.str() else {
            ctx.sink.error(
                file,
                bt.span,
                "belongs_to needs the related entity: belongs_to = \"super::cake::Entity\"",
            );
            continue;
        };
        let Ok(target) = syn::parse_str::<syn::Path>(&target_text) else {
            ctx.sink.error(
                file,
                target_span,
                format!("`{target_text}` is not a path to an Entity"),
            );
            continue;
        };
        let cols = |ctx: &mut Ctx<'_>, key: &str| -> Option<Vec<String>> {
            let a = attrs::find(&args, key);
            let parsed = a
                .and_then(Arg::str)
                .and_then(|(t, _)| entity_def::column_variants(&t));
            if parsed.is_none() {
                ctx.sink.error(
                    file,
                    a.map(|a| a.span).unwrap_or(v.ident.span()),
                    format!(
                        "belongs_to relation `{}` needs {key} = \"Column::..\"",
                        v.ident
                    ),
                );
            }
            parsed
        };
        let (Some(from), Some(to)) = (cols(ctx, "from"), cols(ctx, "to")) else {
            continue;
        };
        let (target, target_written) = RelationDef::target_of(&target);
        let rel = RelationDef {
            target,
            target_written,
            from,
            to,
            on_delete: action(ctx, m, &args, "on_delete"),
            on_update: action(ctx, m, &args, "on_update"),
            fk_name: attrs::find(&args, "fk_name")
                .and_then(Arg::str)
                .map(|(v, _)| v),
            skip_fk: attrs::has(&args, "skip_fk"),
            span: v.ident.span().into(),
        };
        out.push(rel);
    }
}

pub(super) fn action(
    ctx: &mut Ctx<'_>,
    m: ModId,
    args: &[Arg],
    key: &str,
) -> Option<autogen_schema::FkAction> {
    let a = attrs::find(args, key)?;
    let text = match a.lit() {
        Some(Lit::Str(s)) => s.value(),
        _ => String::new(),
    };
    let action = entity_def::fk_action(&text);
    if action.is_none() {
        let file = ctx.file(m);
        ctx.sink.error_help(
            file,
            a.span,
            format!("unknown {key} action `{text}`"),
            "use one of Cascade, Restrict, SetNull, NoAction, SetDefault",
        );
    }
    action
}
