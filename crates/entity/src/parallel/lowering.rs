//! Phase 3 on the workers: the entities are lowered to tables in contiguous ranges, one per
//! worker, each with a resolver over the shared scopes (relation targets). A native enum
//! type's first use decides its labels, and later uses that disagree are reported, in entity
//! order: the workers record each use with how many diagnostics came before it, and the
//! calling thread registers them in that order while it merges the workers' diagnostics.

use std::collections::BTreeMap;

use autogen_schema::{Schema, Table};

use crate::ctx::Ctx;
use crate::diagnostics::Sink;
use crate::entity_def::EntityDef;
use crate::lower::{self, EnumUse, Enums};
use crate::module_tree::Tree;
use crate::resolve::{Resolver, Scope};

use super::tree::ModInfo;

/// [`lower::lower`] on `workers` threads; `included[i]`: whether entity `i` becomes a table
/// (the others still serve as relation targets). `ctx`'s tree holds no items.
pub(crate) fn lower(
    ctx: &mut Ctx<'_>,
    entities: &[EntityDef],
    included: &[bool],
    scopes: &[Scope],
    workers: usize,
) -> Schema {
    let by_module = lower::by_module(entities);
    let chosen: Vec<usize> = (0..entities.len())
        .filter(|&i| included[i] && lower::lowered(&entities[i]))
        .collect();
    let n = chosen.len();
    let workers = workers.clamp(1, n.max(1));
    let infos = ModInfo::of(ctx.res.tree);
    let crate_names = &ctx.res.tree.crate_names;
    let opts = ctx.opts;
    let parts: Vec<(Vec<Table>, Sink, Vec<EnumUse>)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|w| {
                let mine = &chosen[w * n / workers..(w + 1) * n / workers];
                let (infos, by_module) = (&infos, &by_module);
                s.spawn(move || {
                    let tree = Tree {
                        modules: infos.iter().map(ModInfo::module).collect(),
                        crate_names: crate_names.clone(),
                        ..Tree::default()
                    };
                    let mut ctx = Ctx::new(Resolver::with_scopes(&tree, scopes, None), opts);
                    let mut uses = Vec::new();
                    let tables = mine
                        .iter()
                        .map(|&i| {
                            let e = &entities[i];
                            lower::lower_entity(
                                &mut ctx,
                                e,
                                by_module,
                                &mut Enums::Later(&mut uses),
                            )
                        })
                        .collect();
                    (tables, std::mem::take(&mut ctx.sink), uses)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    let mut tables = Vec::with_capacity(n);
    let mut enums = BTreeMap::new();
    for (part, sink, uses) in parts {
        tables.extend(part);
        let mut uses = uses.into_iter().peekable();
        for (k, d) in sink.items.into_iter().enumerate() {
            while let Some(u) = uses.next_if(|u| u.at <= k) {
                lower::register_enum(ctx, u.module, u.span, &u.name, &u.labels, &mut enums);
            }
            ctx.sink.push(d);
        }
        for u in uses {
            lower::register_enum(ctx, u.module, u.span, &u.name, &u.labels, &mut enums);
        }
        ctx.sink.findings.extend(sink.findings);
    }
    lower::finish(ctx, tables, enums)
}
