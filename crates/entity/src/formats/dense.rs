//! The dense format's relation fields (`#[sea_orm::model]`): `#[sea_orm(belongs_to, from =
//! "cake_id", to = "id")] pub cake: HasOne<super::cake::Entity>` (or `BelongsTo<..>`) makes a
//! `belongs_to` relation, as sea-orm-macros' `model_ex.rs` expands it; `has_one` / `has_many`
//! fields make none. The macro removes these fields from the model.

use crate::attrs::{self, Arg};
use crate::ctx::Ctx;
use crate::entity_def::{self, RelationDef};
use crate::module_tree::ModId;
use crate::types;

pub(super) fn relation_field(
    ctx: &mut Ctx<'_>,
    m: ModId,
    field: &syn::Field,
    args: &[Arg],
) -> Option<RelationDef> {
    let file = ctx.file(m);
    let span = field
        .ident
        .as_ref()
        .map(|i| i.span())
        .unwrap_or_else(proc_macro2::Span::call_site);
    let declared = attrs::has(args, "belongs_to");
    let self_ref = attrs::has(args, "self_ref");
    let has_from_to = attrs::find(args, "from").is_some() && attrs::find(args, "to").is_some();
    if !(declared || (self_ref && has_from_to && attrs::find(args, "via").is_none())) {
        return None;
    }
    let wrapper = ["HasOne", "BelongsTo", "HasMany"]
        .iter()
        .find_map(|w| types::generic_arg(&field.ty, w).map(|t| (*w, t)));
    let Some((wrapper, inner)) = wrapper else {
        ctx.sink.error(
            file,
            span,
            "a relation field needs a type such as HasOne<super::cake::Entity>",
        );
        return None;
    };
    if wrapper == "HasMany" {
        ctx.sink.error(
            file,
            span,
            "belongs_to must be paired with BelongsTo or HasOne",
        );
        return None;
    }
    let (entity_ty, _) = types::strip_option(inner);
    let syn::Type::Path(tp) = entity_ty else {
        ctx.sink.error(
            file,
            span,
            "the related entity must be a path such as super::cake::Entity",
        );
        return None;
    };
    let mut cols = |key: &str| -> Option<Vec<String>> {
        let a = attrs::find(args, key);
        let parsed = a
            .and_then(Arg::str)
            .and_then(|(t, _)| entity_def::column_variants(&t));
        if parsed.is_none() {
            ctx.sink.error(
                file,
                a.map(|a| a.span).unwrap_or(span),
                format!("#[sea_orm(belongs_to)] must include {key} = \"..\" naming the column(s)"),
            );
        }
        parsed
    };
    let from = cols("from");
    let to = cols("to");
    let (from, to) = (from?, to?);
    let (target, target_written) = RelationDef::target_of(&tp.path);
    Some(RelationDef {
        target,
        target_written,
        from,
        to,
        on_delete: super::compact::action(ctx, m, args, "on_delete"),
        on_update: super::compact::action(ctx, m, args, "on_update"),
        fk_name: None,
        skip_fk: attrs::has(args, "skip_fk"),
        span: span.into(),
    })
}
