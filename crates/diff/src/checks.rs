//! CHECK constraints: desired ones come only from column `extra`; database-only ones are
//! unmanaged unless they are in the way (same name as a desired one, or over a dropped column).

use autogen_schema::Table;
use autogen_schema::equality::checks_equal;

use crate::indexes::match_by_definition;
use crate::plan::{Change, ObjectKind};
use crate::references::mentions;
use crate::{Ctx, Out, managed};

/// Adds and drops for one table on both sides. Check names are never compared.
pub fn diff(ctx: &Ctx<'_>, d: &Table, c: &Table, out: &mut Out) {
    let q = c.qualified_name();
    let pairs = match_by_definition(&d.checks, &c.checks, checks_equal);
    let matched: Vec<usize> = pairs.iter().flatten().copied().collect();
    for (have_i, have) in c.checks.iter().enumerate() {
        if matched.contains(&have_i) {
            continue;
        }
        let name_reused = d.checks.iter().any(|k| k.name == have.name);
        let over_dropped_column = ctx
            .dropped_columns
            .iter()
            .any(|(t, col)| *t == q && mentions(&have.expression, col));
        if name_reused || over_dropped_column || managed::check_is_managed(ctx.opts) {
            out.changes.push(Change::DropCheck {
                table: q.clone(),
                check: have.clone(),
            });
        } else {
            out.unmanaged(
                ObjectKind::Check,
                format!("{q}.{}", have.name),
                format!(
                    "check {} is not declared by the entities or the extras file; kept",
                    have.name
                ),
            );
        }
    }
    for (want, pair) in d.checks.iter().zip(&pairs) {
        if pair.is_none() {
            out.changes.push(Change::AddCheck {
                table: q.clone(),
                check: want.clone(),
            });
        }
    }
}
