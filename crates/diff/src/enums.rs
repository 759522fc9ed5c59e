//! Enum types: creates, drops (only when nothing is left using them) and label changes (added
//! at their position; removed, or moved, by recreating the type).

use autogen_schema::{EnumType, QualifiedName};

use crate::plan::{Change, InTheWay, ObjectKind};
use crate::references::uses_type;
use crate::{Ctx, Out};

pub fn diff(ctx: &Ctx<'_>, out: &mut Out) {
    let opts = ctx.opts;
    let mut desired: Vec<&EnumType> = ctx
        .desired
        .enums
        .iter()
        .filter(|e| !opts.is_ignored(&e.qualified_name()))
        .collect();
    desired.sort_by_key(|e| e.qualified_name());
    desired.dedup_by_key(|e| e.qualified_name());
    let mut current: Vec<&EnumType> = ctx
        .current
        .enums
        .iter()
        .filter(|e| !opts.is_ignored(&e.qualified_name()))
        .collect();
    current.sort_by_key(|e| e.qualified_name());
    for want in &desired {
        match ctx.current.enum_type(&want.schema, &want.name) {
            None => out.changes.push(Change::CreateEnum {
                enum_type: (*want).clone(),
            }),
            Some(have) => labels(have, want, out),
        }
    }
    for have in current {
        let q = have.qualified_name();
        if ctx.desired.enum_type(&q.schema, &q.name).is_some() {
            continue;
        }
        match remaining_user(ctx, &q) {
            Some(user) => out.unmanaged(
                ObjectKind::Enum,
                q.to_string(),
                format!("enum {q} is not declared by the entities but {user} uses it; kept"),
            ),
            None => out.changes.push(Change::DropEnum {
                enum_type: have.clone(),
            }),
        }
    }
}

/// Labels are added at their position; removed ones go by recreating the type. A label that
/// moved (out of the longest run of labels already in the right order) is removed early and
/// added again at its new position.
fn labels(have: &EnumType, want: &EnumType, out: &mut Out) {
    if have.labels == want.labels {
        return;
    }
    let keep = longest_common_subsequence(&have.labels, &want.labels);
    let mut state = have.clone();
    state.origin = None;
    let moved = have
        .labels
        .iter()
        .filter(|l| !keep.contains(*l) && want.labels.contains(*l));
    let removed = have.labels.iter().filter(|l| !want.labels.contains(*l));
    for label in moved.clone() {
        remove(&mut state, label, true, out);
    }
    for (i, label) in want.labels.iter().enumerate() {
        if keep.contains(label) {
            continue;
        }
        let at = match i {
            0 => 0,
            _ => state
                .labels
                .iter()
                .position(|l| *l == want.labels[i - 1])
                .map_or(state.labels.len(), |p| p + 1),
        };
        state.labels.insert(at, label.clone());
        out.changes.push(Change::AddEnumValue {
            enum_type: state.clone(),
            value: label.clone(),
            usages: Vec::new(),
            moved: have.labels.contains(label),
            in_the_way: InTheWay::default(),
        });
    }
    for label in removed {
        remove(&mut state, label, false, out);
    }
}

/// `moved`: the label is added again at another position.
fn remove(state: &mut EnumType, label: &str, moved: bool, out: &mut Out) {
    out.changes.push(Change::RemoveEnumValue {
        enum_type: state.clone(),
        value: label.to_string(),
        usages: Vec::new(),
        moved,
        in_the_way: InTheWay::default(),
    });
    state.labels.retain(|l| l != label);
}

fn longest_common_subsequence(a: &[String], b: &[String]) -> Vec<String> {
    let (n, m) = (a.len(), b.len());
    let mut len = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            len[i][j] = if a[i] == b[j] {
                len[i + 1][j + 1] + 1
            } else {
                len[i + 1][j].max(len[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < n && j < m {
        if a[i] == b[j] {
            out.push(a[i].clone());
            i += 1;
            j += 1;
        } else if len[i + 1][j] >= len[i][j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
}

/// Something that still uses the enum once the plan has run: a column of a desired table, of an
/// ignored table or of a table kept for one, or a domain over it.
fn remaining_user(ctx: &Ctx<'_>, q: &QualifiedName) -> Option<String> {
    let column_user = |t: &autogen_schema::Table| {
        t.columns
            .iter()
            .find(|c| uses_type(&c.ty, q))
            .map(|c| format!("column {}.{}", t.qualified_name(), c.name))
    };
    let desired = ctx.desired_tables().into_iter().filter_map(column_user);
    let kept = ctx
        .current
        .tables
        .iter()
        .filter(|t| {
            let q = t.qualified_name();
            ctx.opts.is_ignored(&q) || ctx.kept_tables.contains(&q)
        })
        .filter_map(column_user);
    let domains = ctx
        .current
        .domains
        .iter()
        .filter(|d| uses_type(&d.base, q))
        .map(|d| format!("domain {}.{}", d.schema, d.name));
    // The first in name order, whatever order the models list things in.
    desired.chain(kept).chain(domains).min()
}
