//! The lock and effect of each statement form of the online-safe plan (codegen's `--online`
//! lowering): a function of the form, never of rendered SQL. A step lowered to several online
//! statements gets their impacts in sequence ([`sequence`]): each lock is held only by its own
//! statement, so a scan under SHARE UPDATE EXCLUSIVE is not reported under the ACCESS EXCLUSIVE
//! a later catalog-only statement takes.
//!
//! Sources, PostgreSQL 15 documentation: "CREATE INDEX" (Building Indexes Concurrently: SHARE
//! UPDATE EXCLUSIVE, two scans, writes go on), "DROP INDEX" (CONCURRENTLY: SHARE UPDATE
//! EXCLUSIVE), "ALTER TABLE" (ADD FOREIGN KEY: SHARE ROW EXCLUSIVE on both tables; NOT VALID
//! skips the scan; VALIDATE CONSTRAINT: SHARE UPDATE EXCLUSIVE, and ROW SHARE on a foreign
//! key's referenced table; SET NOT NULL is proven by a valid CHECK (c IS NOT NULL) without a
//! scan; ADD … USING INDEX and DROP CONSTRAINT: ACCESS EXCLUSIVE, catalog only).

use autogen_schema::QualifiedName;

use super::{Effect, Impact, Lock};

/// One statement form of the online plan, with the tables it locks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OnlineForm {
    /// `CREATE [UNIQUE] INDEX CONCURRENTLY`: scans without blocking writes; no transaction.
    CreateIndexConcurrently { table: QualifiedName },
    /// `DROP INDEX CONCURRENTLY`: waits for running queries, blocks no writes; no transaction.
    DropIndexConcurrently { table: QualifiedName },
    /// `ADD CONSTRAINT … NOT VALID`: catalog only. A foreign key (`references`) takes SHARE ROW
    /// EXCLUSIVE on both tables, a CHECK ACCESS EXCLUSIVE.
    AddNotValid {
        table: QualifiedName,
        references: Option<QualifiedName>,
    },
    /// `VALIDATE CONSTRAINT`: scans under SHARE UPDATE EXCLUSIVE (a foreign key's referenced
    /// table: ROW SHARE).
    Validate {
        table: QualifiedName,
        references: Option<QualifiedName>,
    },
    /// A catalog-only `ALTER TABLE` (SET NOT NULL proven by a valid CHECK, ADD CONSTRAINT …
    /// USING INDEX, DROP CONSTRAINT): a brief ACCESS EXCLUSIVE on each table.
    Catalog { tables: Vec<QualifiedName> },
}

impl OnlineForm {
    /// Must run outside a transaction block ([`OnlineForm::concurrently`]), or outside the
    /// transaction of the statement before it: a `VALIDATE CONSTRAINT` run in the transaction
    /// that added the constraint `NOT VALID` scans while that statement's lock (ACCESS
    /// EXCLUSIVE for a CHECK, SHARE ROW EXCLUSIVE for a foreign key: both block writes) is still
    /// held, as locks are released only at commit ("Explicit Locking").
    pub fn no_transaction(&self) -> bool {
        self.concurrently() || matches!(self, OnlineForm::Validate { .. })
    }

    /// A `CONCURRENTLY` form: Postgres refuses it inside a transaction block.
    pub fn concurrently(&self) -> bool {
        matches!(
            self,
            OnlineForm::CreateIndexConcurrently { .. } | OnlineForm::DropIndexConcurrently { .. }
        )
    }
}

/// What one online statement does to live tables.
pub fn classify_online(form: &OnlineForm) -> Impact {
    use Effect as E;
    use Lock::{AccessExclusive, RowShare, ShareRowExclusive, ShareUpdateExclusive};
    let none = Impact::default();
    match form {
        OnlineForm::CreateIndexConcurrently { table } => none
            .on(table, ShareUpdateExclusive, E::Scan)
            .because("CONCURRENTLY: writes go on while the index is built"),
        OnlineForm::DropIndexConcurrently { table } => none
            .on(table, ShareUpdateExclusive, E::None)
            .because("CONCURRENTLY: waits for running queries instead of blocking them"),
        OnlineForm::AddNotValid {
            table,
            references: Some(r),
        } => none
            .on(table, ShareRowExclusive, E::None)
            .on(r, ShareRowExclusive, E::None),
        OnlineForm::AddNotValid {
            table,
            references: None,
        } => none.on(table, AccessExclusive, E::None),
        OnlineForm::Validate { table, references } => {
            let i = none.on(table, ShareUpdateExclusive, E::Scan);
            match references {
                Some(r) => i.on(r, RowShare, E::None),
                None => i,
            }
            .because("VALIDATE CONSTRAINT checks every row without blocking writes")
        }
        OnlineForm::Catalog { tables } => tables
            .iter()
            .fold(none, |i, t| i.on(t, AccessExclusive, E::None)),
    }
}

/// The impacts of statements run one after another: every lock listed with its own effect
/// (the same table may appear more than once, each lock and effect once), the first reason given.
pub fn sequence(impacts: impl IntoIterator<Item = Impact>) -> Impact {
    let mut out = Impact::default();
    for i in impacts {
        for l in i.locks {
            if !out.locks.contains(&l) {
                out.locks.push(l);
            }
        }
        out.data_loss |= i.data_loss;
        if out.why.is_none() {
            out.why = i.why;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(name: &str) -> QualifiedName {
        QualifiedName::new("public", name)
    }

    fn line(forms: Vec<OnlineForm>) -> String {
        let i = sequence(forms.iter().map(classify_online));
        format!("{i} | long lock: {}", i.long_lock().name())
    }

    #[test]
    fn concurrent_index_blocks_no_writes() {
        let f = OnlineForm::CreateIndexConcurrently { table: q("post") };
        assert!(f.no_transaction());
        assert_eq!(
            line(vec![f]),
            "SHARE UPDATE EXCLUSIVE lock on public.post, scans the table (CONCURRENTLY: writes go on while the index is built) | long lock: SHARE UPDATE EXCLUSIVE"
        );
        let d = OnlineForm::DropIndexConcurrently { table: q("post") };
        assert!(d.no_transaction());
        assert!(!classify_online(&d).is_long());
    }

    #[test]
    fn foreign_key_not_valid_then_validate() {
        let forms = vec![
            OnlineForm::AddNotValid {
                table: q("post"),
                references: Some(q("author")),
            },
            OnlineForm::Validate {
                table: q("post"),
                references: Some(q("author")),
            },
        ];
        // The NOT VALID's lock must be released (committed) before VALIDATE scans.
        assert!(!forms[0].no_transaction());
        assert!(forms[1].no_transaction() && !forms[1].concurrently());
        assert_eq!(
            line(forms),
            "SHARE ROW EXCLUSIVE lock on public.post; SHARE ROW EXCLUSIVE lock on public.author; SHARE UPDATE EXCLUSIVE lock on public.post, scans the table; ROW SHARE lock on public.author (VALIDATE CONSTRAINT checks every row without blocking writes) | long lock: SHARE UPDATE EXCLUSIVE"
        );
    }

    #[test]
    fn set_not_null_scans_only_under_share_update_exclusive() {
        let t = q("post");
        let forms = [
            OnlineForm::AddNotValid {
                table: t.clone(),
                references: None,
            },
            OnlineForm::Validate {
                table: t.clone(),
                references: None,
            },
            OnlineForm::Catalog {
                tables: vec![t.clone()],
            },
            OnlineForm::Catalog { tables: vec![t] },
        ];
        let i = sequence(forms.iter().map(classify_online));
        assert_eq!(
            i.to_string(),
            "ACCESS EXCLUSIVE lock on public.post; SHARE UPDATE EXCLUSIVE lock on public.post, scans the table (VALIDATE CONSTRAINT checks every row without blocking writes)"
        );
        assert_eq!(i.lock(), Lock::AccessExclusive);
        assert_eq!(i.effect(), Effect::Scan);
        assert_eq!(i.long_lock(), Lock::ShareUpdateExclusive);
    }
}
