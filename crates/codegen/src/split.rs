//! The online plan cut into several migrations: a migration holding a `CONCURRENTLY` statement
//! or a `VALIDATE CONSTRAINT` (which must not share a transaction with the `NOT VALID` before
//! it) runs without a transaction, so everything else in it would lose its atomicity. [`split`]
//! cuts the plan, in its own order, into consecutive parts that each need a transaction or each
//! must not have one (a change whose up() or down() statements include a `CONCURRENTLY` or
//! `VALIDATE` form).
//! The parts applied one after another are the plan, so every state between two parts is a
//! state the plan passes through (the plan is ordered and replayed by the differ); each part's
//! down() is the inverse of that part, and the migrator runs them in reverse.

use autogen_diff::Plan;

use crate::lower::Online;

/// For each change: whether it lowers (online) to a statement that must run outside a
/// transaction, in up() or in down(). The same lowering the migration file gets (a change on a
/// table the plan creates keeps its ordinary, transactional form).
fn needs_no_transaction(plan: &Plan, online: &Online) -> Vec<bool> {
    let schema = autogen_schema::Schema::default();
    let outside = |step: &crate::Step| {
        step.statements
            .iter()
            .any(|s| s.online.as_ref().is_some_and(|f| f.no_transaction()))
    };
    let up = crate::lower_with(plan, &schema, Some(online));
    let down = crate::lower_with(&plan.inverse(), &schema, Some(online));
    let n = plan.changes.len();
    (0..n)
        .map(|i| outside(&up[i]) || outside(&down[n - 1 - i]))
        .collect()
}

/// The plan in parts (see the module doc); one part (the plan itself) without `online`, when
/// every change needs a transaction, or when none does.
pub fn split(plan: &Plan, online: Option<&Online>) -> Vec<Plan> {
    let Some(online) = online else {
        return vec![plan.clone()];
    };
    if plan.changes.is_empty() {
        return vec![plan.clone()];
    }
    let flags = needs_no_transaction(plan, online);
    // Start index of each part.
    let mut starts = vec![0];
    for i in 1..flags.len() {
        if flags[i] != flags[i - 1] {
            starts.push(i);
        }
    }
    if starts.len() == 1 {
        return vec![plan.clone()];
    }
    let mut ends: Vec<usize> = starts[1..].to_vec();
    ends.push(plan.changes.len());
    starts
        .iter()
        .zip(ends)
        .enumerate()
        .map(|(part, (&start, end))| Plan {
            changes: plan.changes[start..end].to_vec(),
            // A note about a change goes with it (re-indexed); the others with the first part.
            notes: plan
                .notes
                .iter()
                .filter_map(|n| match n.change {
                    Some(i) if (start..end).contains(&i) => {
                        let mut n = n.clone();
                        n.change = Some(i - start);
                        Some(n)
                    }
                    Some(_) => None,
                    None => (part == 0).then(|| n.clone()),
                })
                .collect(),
        })
        .collect()
}
