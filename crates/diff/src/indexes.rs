//! Indexes, unique indexes and unique constraints, matched by definition.

use autogen_schema::equality::indexes_equal;
use autogen_schema::{Index, KeyPart, Table};

use crate::plan::{Change, ObjectKind};
use crate::references::mentions;
use crate::{Ctx, Out, managed};

/// Adds, drops and renames for one table on both sides.
pub fn diff(ctx: &Ctx<'_>, d: &Table, c: &Table, out: &mut Out) {
    let q = c.qualified_name();
    let pairs = match_by_definition(&d.indexes, &c.indexes, indexes_equal);
    let mut matched_current = vec![false; c.indexes.len()];
    for (di, want) in d.indexes.iter().enumerate() {
        match pairs[di] {
            Some(ci) => {
                matched_current[ci] = true;
                let have = &c.indexes[ci];
                if have.name != want.name && ctx.opts.strict_names {
                    out.changes.push(Change::RenameIndex {
                        table: q.clone(),
                        from: have.name.clone(),
                        to: want.name.clone(),
                    });
                }
            }
            None => out.changes.push(Change::AddIndex {
                table: q.clone(),
                index: want.clone(),
            }),
        }
    }
    for (ci, have) in c.indexes.iter().enumerate() {
        if matched_current[ci] {
            continue;
        }
        let name_reused = d.indexes.iter().any(|i| i.name == have.name);
        let over_dropped_column = ctx
            .dropped_columns
            .iter()
            .any(|(t, col)| *t == q && uses_column(have, col));
        if name_reused || over_dropped_column || managed::index_is_managed(c, have, ctx.opts) {
            out.changes.push(Change::DropIndex {
                table: q.clone(),
                index: have.clone(),
            });
        } else {
            let why = if managed::index_is_declarable(have) {
                "not named the way SeaORM names what entities declare"
            } else {
                "a kind of index entities cannot declare"
            };
            out.unmanaged(
                ObjectKind::Index,
                format!("{q}.{}", have.name),
                format!("index {} is {why}; kept", have.name),
            );
        }
    }
}

/// Pairs each desired object with an unpaired current one of the same definition, preferring
/// the one with the same name. `pairs[i]` is the current index for desired object `i`.
pub fn match_by_definition<T: Named>(
    desired: &[T],
    current: &[T],
    equal: impl Fn(&T, &T) -> bool,
) -> Vec<Option<usize>> {
    let mut used = vec![false; current.len()];
    let mut pairs = vec![None; desired.len()];
    // Same name and definition first, then definition only, both in declaration order.
    for same_name in [true, false] {
        for (di, want) in desired.iter().enumerate() {
            if pairs[di].is_some() {
                continue;
            }
            let found = current.iter().enumerate().position(|(ci, have)| {
                !used[ci] && (!same_name || have.name() == want.name()) && equal(want, have)
            });
            if let Some(ci) = found {
                used[ci] = true;
                pairs[di] = Some(ci);
            }
        }
    }
    pairs
}

/// Objects with a name, for [`match_by_definition`].
pub trait Named {
    fn name(&self) -> &str;
}

impl Named for Index {
    fn name(&self) -> &str {
        &self.name
    }
}

impl Named for autogen_schema::ForeignKey {
    fn name(&self) -> &str {
        &self.name
    }
}

impl Named for autogen_schema::Check {
    fn name(&self) -> &str {
        &self.name
    }
}

fn uses_column(index: &Index, column: &str) -> bool {
    index.keys.iter().any(|k| match &k.part {
        KeyPart::Column(c) => c == column,
        KeyPart::Expression(e) => mentions(e, column),
    }) || index.include.iter().any(|c| c == column)
        || index
            .predicate
            .as_deref()
            .is_some_and(|p| mentions(p, column))
}
