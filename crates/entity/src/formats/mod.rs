//! The three SeaORM 2.0 entity formats. Each reader turns the items of one module into
//! [`EntityDef`]s: compact (`DeriveEntityModel` + `Relation` enum), dense (`#[sea_orm::model]`
//! with relation fields) and expanded (hand-written trait impls).

mod compact;
mod dense;
mod expanded;

use syn::Item;

use crate::attrs;
use crate::ctx::Ctx;
use crate::entity_def::EntityDef;
use crate::module_tree::ModId;

/// The entities module `m` declares (normally zero or one).
pub(crate) fn read_module(ctx: &mut Ctx<'_>, m: ModId) -> Vec<EntityDef> {
    let items = ctx.res.items(m);
    let mut out = Vec::new();
    for item in items {
        if let Item::Struct(s) = item
            && attrs::has_derive(&s.attrs, "DeriveEntityModel")
            && let Some(e) = compact::read_model(ctx, m, s)
        {
            out.push(e);
        }
    }
    if out.is_empty()
        && let Some(e) = expanded::read(ctx, m)
    {
        out.push(e);
    }
    out
}
