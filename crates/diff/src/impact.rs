//! What a change does to a live table: the lock it takes (on each table it touches), whether it
//! rewrites the table, scans it or neither, and whether it can lose data. A pure function of the
//! change and the model just before it ([`classify`]); [`classify_plan`] replays a plan to give
//! each change its own before-state.
//!
//! The facts are about the change, not about how it is rendered, so they live here; codegen's
//! online forms (CONCURRENTLY, NOT VALID + VALIDATE) carry their own, weaker, facts per statement.
//!
//! Sources, PostgreSQL 15 documentation: "ALTER TABLE" (each form's lock level, and its Notes
//! section on rewrites: a volatile `DEFAULT` or a type change rewrites unless the old type is
//! binary coercible to the new one and `USING` does not change the value; `SET NOT NULL` scans
//! unless a valid `CHECK (c IS NOT NULL)` proves it), "13.3.1 Table-Level Locks" (which commands
//! take which lock), "CREATE INDEX" (SHARE; CONCURRENTLY: SHARE UPDATE EXCLUSIVE), "DROP INDEX",
//! "COMMENT" and "ALTER INDEX". Each classification was also checked against a PostgreSQL 15
//! server (`pg_locks` held by the session, `pg_relation_filenode` before and after, and
//! `pg_stat_xact_user_tables.seq_scan`); `tests/safety.rs` re-checks them on every run.

use std::collections::BTreeSet;
use std::fmt;

use autogen_schema::{QualifiedName, Schema, Type};
use serde::{Deserialize, Serialize};

use crate::casts;
use crate::plan::Change;

/// A table-level lock, weakest first (the order of the conflict table in "Explicit Locking").
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lock {
    /// No lock on any existing table (a new table, an enum type, …).
    None,
    /// Conflicts only with EXCLUSIVE and ACCESS EXCLUSIVE: reads, writes and other DDL go on.
    RowShare,
    /// Blocks DDL and VACUUM only; reads and writes go on.
    ShareUpdateExclusive,
    /// Blocks writes (INSERT/UPDATE/DELETE); reads go on.
    Share,
    /// Blocks writes and other SHARE ROW EXCLUSIVE holders; reads go on.
    ShareRowExclusive,
    /// Blocks everything, reads included.
    AccessExclusive,
}

impl Lock {
    /// The lock's name as Postgres's documentation spells it.
    pub fn name(self) -> &'static str {
        match self {
            Lock::None => "no lock",
            Lock::RowShare => "ROW SHARE",
            Lock::ShareUpdateExclusive => "SHARE UPDATE EXCLUSIVE",
            Lock::Share => "SHARE",
            Lock::ShareRowExclusive => "SHARE ROW EXCLUSIVE",
            Lock::AccessExclusive => "ACCESS EXCLUSIVE",
        }
    }

    /// What the lock does to other sessions, in a few words.
    pub fn blocks(self) -> &'static str {
        match self {
            Lock::None => "blocks nothing",
            Lock::RowShare => "blocks only table rewrites",
            Lock::ShareUpdateExclusive => "blocks only DDL and VACUUM",
            Lock::Share | Lock::ShareRowExclusive => "blocks writes",
            Lock::AccessExclusive => "blocks reads and writes",
        }
    }
}

/// What the statement does to the table's rows, cheapest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Effect {
    /// Catalog only: instant whatever the table's size.
    None,
    /// Reads every row (to validate a constraint or build an index) while holding the lock.
    Scan,
    /// Writes a new copy of the table and its indexes while holding the lock.
    Rewrite,
}

impl Effect {
    pub fn name(self) -> &'static str {
        match self {
            Effect::None => "catalog only",
            Effect::Scan => "scans the table",
            Effect::Rewrite => "rewrites the table",
        }
    }
}

/// The lock and effect on one table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableLock {
    pub table: QualifiedName,
    pub lock: Lock,
    pub effect: Effect,
}

/// Everything a change does to live tables.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Impact {
    /// One entry per existing table the change locks (tables created earlier in the same plan
    /// are not listed: nobody else can see them yet).
    pub locks: Vec<TableLock>,
    /// The change can delete data or lose precision (dropped table or column, removed enum
    /// label, narrowing type change).
    pub data_loss: bool,
    /// Why the effect is what it is, when that is not obvious (e.g. "int → bigint is not
    /// binary coercible").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
}

impl Impact {
    /// The strongest lock taken.
    pub fn lock(&self) -> Lock {
        self.locks
            .iter()
            .map(|l| l.lock)
            .max()
            .unwrap_or(Lock::None)
    }

    /// The costliest effect.
    pub fn effect(&self) -> Effect {
        self.locks
            .iter()
            .map(|l| l.effect)
            .max()
            .unwrap_or(Effect::None)
    }

    /// True when the change holds a lock that blocks other sessions for longer than a catalog
    /// update: it scans or rewrites a table.
    pub fn is_long(&self) -> bool {
        self.effect() > Effect::None
    }

    /// The strongest lock held while a table is scanned or rewritten (the lock other sessions
    /// wait on for long); the strongest lock when nothing is.
    pub fn long_lock(&self) -> Lock {
        self.locks
            .iter()
            .filter(|l| l.effect > Effect::None)
            .map(|l| l.lock)
            .max()
            .unwrap_or_else(|| self.lock())
    }

    /// The tables this change locks ACCESS EXCLUSIVE only for a catalog update (brief, but it
    /// queues behind every running transaction on the table, and everything queues behind it).
    pub fn brief_exclusive(&self) -> impl Iterator<Item = &QualifiedName> {
        self.locks
            .iter()
            .filter(|l| l.lock == Lock::AccessExclusive && l.effect == Effect::None)
            .map(|l| &l.table)
    }

    fn on(mut self, table: &QualifiedName, lock: Lock, effect: Effect) -> Impact {
        if let Some(l) = self.locks.iter_mut().find(|l| &l.table == table) {
            l.lock = l.lock.max(lock);
            l.effect = l.effect.max(effect);
        } else {
            self.locks.push(TableLock {
                table: table.clone(),
                lock,
                effect,
            });
        }
        self
    }

    fn because(mut self, why: impl Into<String>) -> Impact {
        self.why = Some(why.into());
        self
    }
}

impl fmt::Display for Impact {
    /// `ACCESS EXCLUSIVE lock on public.orders, rewrites the table (integer → bigint: not binary
    /// coercible); can lose data`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        for l in &self.locks {
            let mut s = format!("{} lock on {}", l.lock.name(), l.table);
            if l.effect != Effect::None {
                s.push_str(&format!(", {}", l.effect.name()));
            }
            parts.push(s);
        }
        if parts.is_empty() {
            parts.push("no lock on an existing table".into());
        }
        let mut out = parts.join("; ");
        if let Some(why) = &self.why {
            out.push_str(&format!(" ({why})"));
        }
        if self.data_loss {
            out.push_str("; can lose data");
        }
        f.write_str(&out)
    }
}

/// Each change of an ordered plan classified against the model just before it (`current` with
/// the earlier changes applied). A change the model cannot replay is classified against the last
/// state that could.
pub fn classify_plan(changes: &[Change], current: &Schema) -> Vec<Impact> {
    let mut model = current.clone();
    let mut created = BTreeSet::new();
    let mut out = Vec::with_capacity(changes.len());
    for change in changes {
        let mut impact = classify(change, &model);
        impact.locks.retain(|l| !created.contains(&l.table));
        // A foreign key added to a table this plan created has no rows to check: the
        // referenced table's SHARE ROW EXCLUSIVE lock is held only for the catalog update.
        if let Change::AddForeignKey { table, .. } = change
            && created.contains(table)
        {
            for l in &mut impact.locks {
                l.effect = Effect::None;
            }
            impact.why = Some("the new table has no rows to check".into());
        }
        out.push(impact);
        if let Change::CreateTable { table } = change {
            created.insert(table.qualified_name());
        }
        if let Change::RenameTable { from, to } = change
            && created.contains(from)
        {
            created.insert(QualifiedName::new(&from.schema, to));
        }
        let _ = crate::apply(&mut model, change);
    }
    out
}

/// `i` with the locks of the drops and restores around an enum recreation added.
fn in_the_way_impact(mut i: Impact, changes: &[Change], before: &Schema) -> Impact {
    for c in changes {
        for l in classify(c, before).locks {
            i = i.on(&l.table, l.lock, l.effect);
        }
    }
    i
}

/// What `change` does to live tables, given the model just before it.
pub fn classify(change: &Change, before: &Schema) -> Impact {
    use Change::*;
    use Effect as E;
    use Lock::AccessExclusive as AE;
    let none = Impact::default();
    match change {
        // Types and new tables: no lock on any table another session uses.
        AddEnumValue {
            moved: true,
            in_the_way,
            ..
        } if !in_the_way.is_empty() => in_the_way_impact(none, &in_the_way.restores(), before)
            .because(
                "what was in the way of recreating the type is created again (indexes built, \
                 checks and foreign keys validated)",
            ),
        CreateEnum { .. } | DropEnum { .. } | AddEnumValue { .. } | CreateTable { .. } => none,
        // A schema is created before what goes in it and dropped once empty.
        CreateSchema { .. } | DropSchema { .. } => none,
        // An extension is created before what uses it and dropped after it; its own objects
        // are not tables.
        CreateExtension { .. } | DropExtension { .. } => none,
        RemoveEnumValue {
            usages,
            moved: m,
            in_the_way,
            ..
        } => {
            let mut i = Impact {
                data_loss: !m,
                ..Impact::default()
            };
            for (table, _) in usages {
                i = i.on(table, AE, E::Rewrite);
            }
            let mut around = in_the_way.drops();
            if !m {
                around.extend(in_the_way.restores());
            }
            in_the_way_impact(i, &around, before)
                .because("each column is converted to the recreated type")
        }
        DropTable { table } => Impact {
            data_loss: true,
            ..none
        }
        .on(&table.qualified_name(), AE, E::None),
        RenameTable { from, .. } => none.on(from, AE, E::None),
        AddColumn { table, column } => {
            let (effect, why) = add_column_effect(column);
            let i = none.on(table, AE, effect);
            match why {
                Some(w) => i.because(w),
                None => i,
            }
        }
        DropColumn { table, .. } => Impact {
            data_loss: true,
            ..none
        }
        .on(table, AE, E::None)
        .because("the column is hidden, not removed from disk"),
        RenameColumn { table, .. }
        | DropNotNull { table, .. }
        | AlterDefault { table, .. }
        | AlterIdentity { table, .. }
        | RenameForeignKey { table, .. }
        | DropCheck { table, .. }
        | DropPrimaryKey { table, .. } => none.on(table, AE, E::None),
        AlterColumnType {
            table,
            from,
            to,
            using,
            ..
        } => {
            let (effect, why) = type_change_effect(from, to, using.is_some());
            Impact {
                data_loss: casts::is_lossy(from, to),
                ..none
            }
            .on(table, AE, effect)
            .because(why)
        }
        SetNotNull { table, column } => {
            if has_valid_not_null_check(before, table, column) {
                none.on(table, AE, E::None)
                    .because("a valid CHECK (… IS NOT NULL) proves it without a scan")
            } else {
                none.on(table, AE, E::Scan)
                    .because("every row is checked for NULL")
            }
        }
        AddIndex { table, index } if index.constraint => none
            .on(table, AE, E::Scan)
            .because("ADD CONSTRAINT … UNIQUE builds its index under ACCESS EXCLUSIVE"),
        AddIndex { table, .. } => none
            .on(table, Lock::Share, E::Scan)
            .because("CREATE INDEX reads the whole table"),
        DropIndex { table, .. } => none.on(table, AE, E::None),
        // ALTER INDEX … RENAME: SHARE UPDATE EXCLUSIVE on the index, nothing on its table
        // (checked on the server: `tests/safety.rs`).
        RenameIndex { .. } => {
            none.because("SHARE UPDATE EXCLUSIVE on the index only; the table is not locked")
        }
        AddPrimaryKey { table, .. } => none
            .on(table, AE, E::Scan)
            .because("builds the key's index and checks NOT NULL"),
        AddForeignKey { table, foreign_key } => none
            .on(table, Lock::ShareRowExclusive, E::Scan)
            .on(&foreign_key.referenced(), Lock::ShareRowExclusive, E::Scan)
            .because("every row is checked against the referenced table"),
        DropForeignKey { table, foreign_key } => none
            .on(table, AE, E::None)
            .on(&foreign_key.referenced(), AE, E::None)
            .because("the referenced table's triggers are dropped too"),
        // A drop and an add in one transaction: the drop's ACCESS EXCLUSIVE on both tables is
        // held while the add validates every row.
        AlterForeignKey { table, from, to } => none
            .on(table, AE, E::Scan)
            .on(&from.referenced(), AE, E::None)
            .on(&to.referenced(), Lock::ShareRowExclusive, E::Scan)
            .because(
                "dropped and added again: every row is checked while the old key's lock is held",
            ),
        AddCheck { table, .. } => none.on(table, AE, E::Scan).because("every row is checked"),
        SetTableComment { table, .. } | SetColumnComment { table, .. } => {
            none.on(table, Lock::ShareUpdateExclusive, E::None)
        }
    }
}

/// `ADD COLUMN`: a volatile default, an identity or a stored generated column rewrites (the
/// value differs per row); a NOT NULL column without default is checked on every row (and fails
/// on any); a constant or stable default (`now()`) is stored once in the catalog (PG ≥ 11).
fn add_column_effect(column: &autogen_schema::Column) -> (Effect, Option<String>) {
    if column.identity.is_some() {
        return (
            Effect::Rewrite,
            Some("an identity fills every row from its sequence".into()),
        );
    }
    if column.generated.is_some() {
        return (
            Effect::Rewrite,
            Some("a stored generated column is computed for every row".into()),
        );
    }
    match &column.default {
        Some(d) if is_volatile(d) => (
            Effect::Rewrite,
            Some(format!(
                "the default {d} is volatile: evaluated for every row"
            )),
        ),
        Some(_) => (
            Effect::None,
            Some("a non-volatile default is stored once in the catalog".into()),
        ),
        None if !column.nullable => (
            Effect::Scan,
            Some("NOT NULL without a default: fails if the table has rows".into()),
        ),
        None => (Effect::None, None),
    }
}

/// Functions that are not VOLATILE in Postgres and commonly appear in defaults; any other
/// function call counts as volatile (a rewrite is the safe guess).
const NOT_VOLATILE: &[&str] = &[
    "now",
    "current_timestamp",
    "current_date",
    "current_time",
    "localtimestamp",
    "localtime",
    "transaction_timestamp",
    "statement_timestamp",
    "current_user",
    "session_user",
    "lower",
    "upper",
    "array",
    "jsonb_build_object",
    "json_build_object",
    "jsonb_build_array",
    "json_build_array",
    "to_jsonb",
    "make_interval",
];

/// True when a default expression may give a different value per row: a call to a function not
/// known to be STABLE or IMMUTABLE (`nextval`, `random`, `gen_random_uuid`, `clock_timestamp`,
/// …). Literals, casts and the known functions are not.
pub fn is_volatile(expr: &str) -> bool {
    let mut in_string = false;
    let mut word = String::new();
    for ch in expr.chars() {
        if in_string {
            in_string = ch != '\'';
            continue;
        }
        match ch {
            '\'' => {
                in_string = true;
                word.clear();
            }
            c if c.is_alphanumeric() || c == '_' || c == '.' => word.push(c),
            '(' => {
                let name = word.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
                if !name.is_empty() && !NOT_VOLATILE.contains(&name.as_str()) {
                    return true;
                }
                word.clear();
            }
            _ => word.clear(),
        }
    }
    false
}

/// A type change rewrites unless the old type is binary coercible to the new one with the same
/// or a wider modifier (checked on PostgreSQL 15: `varchar(n)`→`varchar(m≥n)`/`varchar`/`text`,
/// `text`↔`varchar`, `numeric(p,s)`→`numeric(q≥p,s)`/`numeric`, a wider or unstated
/// time/timestamp/interval precision, `varbit(n)`→`varbit(m≥n)`, `cidr`→`inet`); `USING`
/// always rewrites. `timestamp`↔`timestamptz` rewrites unless the session time zone is UTC.
pub fn type_change_effect(from: &Type, to: &Type, using: bool) -> (Effect, String) {
    let no = |why: &str| (Effect::None, format!("{from} → {to}: {why}"));
    let rw = |why: &str| (Effect::Rewrite, format!("{from} → {to}: {why}"));
    if using {
        return rw("USING computes every value");
    }
    let wider = |a: Option<u32>, b: Option<u32>| match (a, b) {
        (_, None) => true,
        (None, Some(_)) => false,
        (Some(a), Some(b)) => b >= a,
    };
    match (from, to) {
        (a, b) if a == b => no("same type"),
        (Type::Varchar { length: a }, Type::Varchar { length: b }) if wider(*a, *b) => {
            no("binary coercible, no narrower limit")
        }
        (Type::Varchar { .. } | Type::Text, Type::Text | Type::Varchar { length: None }) => {
            no("binary coercible")
        }
        (Type::Text, Type::Varchar { .. }) | (Type::Varchar { .. }, Type::Varchar { .. }) => {
            rw("every value is checked against the new length")
        }
        (
            Type::Numeric {
                precision: p1,
                scale: s1,
            },
            Type::Numeric {
                precision: p2,
                scale: s2,
            },
        ) if p2.is_none() || (wider(*p1, *p2) && s1.unwrap_or(0) == s2.unwrap_or(0)) => {
            no("numeric precision widened with the same scale")
        }
        (
            Type::Timestamp {
                precision: a,
                with_time_zone: z1,
            },
            Type::Timestamp {
                precision: b,
                with_time_zone: z2,
            },
        ) if z1 == z2 && wider(*a, *b) => no("precision widened"),
        (
            Type::Time {
                precision: a,
                with_time_zone: z1,
            },
            Type::Time {
                precision: b,
                with_time_zone: z2,
            },
        ) if z1 == z2 && wider(*a, *b) => no("precision widened"),
        (
            Type::Interval {
                fields: f1,
                precision: a,
            },
            Type::Interval {
                fields: f2,
                precision: b,
            },
        ) if (f1 == f2 || f2.is_none()) && wider(*a, *b) => no("precision widened"),
        (
            Type::Bit {
                varying: true,
                length: a,
            },
            Type::Bit {
                varying: true,
                length: b,
            },
        ) if wider(*a, *b) => no("bit varying widened"),
        (Type::Cidr, Type::Inet) => no("binary coercible"),
        (Type::Timestamp { .. }, Type::Timestamp { .. }) => {
            rw("values are converted (no rewrite when the session time zone is UTC)")
        }
        _ => rw("not binary coercible"),
    }
}

/// True when the table has a validated CHECK that is exactly `column IS NOT NULL` (Postgres's
/// stored form `(col IS NOT NULL)`): SET NOT NULL then skips the scan (PG ≥ 12, "ALTER TABLE",
/// SET NOT NULL). A `NOT VALID` check proves nothing about the rows already there, so the scan
/// stays.
fn has_valid_not_null_check(before: &Schema, table: &QualifiedName, column: &str) -> bool {
    let Some(t) = before.table(&table.schema, &table.name) else {
        return false;
    };
    let quoted = autogen_schema::ident::quote(column);
    t.checks.iter().filter(|c| !c.not_valid).any(|c| {
        let e = c.expression.trim();
        let e = e.strip_prefix("CHECK").unwrap_or(e).trim();
        let mut e = e;
        while let Some(inner) = e.strip_prefix('(').and_then(|x| x.strip_suffix(')')) {
            e = inner.trim();
        }
        let e = e.to_ascii_lowercase();
        e == format!("{} is not null", quoted.to_ascii_lowercase())
            || e == format!("{} is not null", column.to_ascii_lowercase())
    })
}

#[cfg(test)]
mod tests;

pub mod online;
