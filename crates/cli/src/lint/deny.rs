//! `--deny KINDS` (on `lint` and `revision`): the kinds of step a team refuses, each a
//! predicate on a step's [`Impact`]. The list is documented in docs/cli.md.

use autogen_diff::impact::{Effect, Impact, Lock};
use clap::ValueEnum;
use serde::Serialize;

/// A kind of step `--deny` can refuse.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, ValueEnum, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DenyKind {
    /// Rewrites a table (a new copy of every row and index, under ACCESS EXCLUSIVE).
    Rewrite,
    /// Holds ACCESS EXCLUSIVE while it scans or rewrites a table: reads and writes wait for as
    /// long as the table takes.
    AccessExclusive,
    /// Holds a lock that blocks writes (SHARE or stronger) while it scans or rewrites a table
    /// (a plain CREATE INDEX, a foreign key validated when added, …).
    BlocksWrites,
    /// Takes ACCESS EXCLUSIVE only for a catalog update (instant, but it queues behind running
    /// transactions and everything queues behind it).
    BriefAccessExclusive,
    /// Can delete data or lose precision (dropped table or column, TRUNCATE, narrowing type
    /// change, removed enum label).
    DataLoss,
    /// `lint` only: a statement it could not classify (its replay failed, or it changed
    /// nothing the catalog model shows, e.g. REINDEX).
    Unclassified,
}

impl DenyKind {
    /// The name as `--deny` spells it.
    pub fn name(self) -> &'static str {
        match self {
            DenyKind::Rewrite => "rewrite",
            DenyKind::AccessExclusive => "access-exclusive",
            DenyKind::BlocksWrites => "blocks-writes",
            DenyKind::BriefAccessExclusive => "brief-access-exclusive",
            DenyKind::DataLoss => "data-loss",
            DenyKind::Unclassified => "unclassified",
        }
    }
}

/// The kinds of `deny` the step with this impact is (`unclassified`: the step could not be
/// classified).
pub fn hits(deny: &[DenyKind], impact: &Impact, unclassified: bool) -> Vec<DenyKind> {
    let long = impact.is_long();
    let mut out: Vec<DenyKind> = deny
        .iter()
        .copied()
        .filter(|k| match k {
            DenyKind::Rewrite => impact.effect() == Effect::Rewrite,
            DenyKind::AccessExclusive => long && impact.long_lock() == Lock::AccessExclusive,
            DenyKind::BlocksWrites => long && impact.long_lock() >= Lock::Share,
            DenyKind::BriefAccessExclusive => impact.brief_exclusive().next().is_some(),
            DenyKind::DataLoss => impact.data_loss,
            DenyKind::Unclassified => unclassified,
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// `rewrite, access-exclusive`.
pub fn names(kinds: &[DenyKind]) -> String {
    kinds
        .iter()
        .map(|k| k.name())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use autogen_diff::impact::TableLock;
    use autogen_schema::QualifiedName;

    fn impact(lock: Lock, effect: Effect, data_loss: bool) -> Impact {
        Impact {
            locks: vec![TableLock {
                table: QualifiedName::new("public", "t"),
                lock,
                effect,
            }],
            data_loss,
            why: None,
        }
    }

    #[test]
    fn each_kind() {
        use DenyKind::*;
        let all = DenyKind::value_variants();
        assert_eq!(
            hits(
                all,
                &impact(Lock::AccessExclusive, Effect::Rewrite, true),
                false
            ),
            [Rewrite, AccessExclusive, BlocksWrites, DataLoss]
        );
        assert_eq!(
            hits(all, &impact(Lock::Share, Effect::Scan, false), false),
            [BlocksWrites]
        );
        // CREATE INDEX CONCURRENTLY: a scan that blocks no writes.
        assert!(
            hits(
                all,
                &impact(Lock::ShareUpdateExclusive, Effect::Scan, false),
                false
            )
            .is_empty()
        );
        assert_eq!(
            hits(
                all,
                &impact(Lock::AccessExclusive, Effect::None, false),
                true
            ),
            [BriefAccessExclusive, Unclassified]
        );
        assert!(hits(&[Rewrite], &Impact::default(), false).is_empty());
    }
}
