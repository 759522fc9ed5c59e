//! The online-safe lowering (`--online`): the changes that have a form which does not block
//! writes for long are lowered to it, each statement carrying its [`OnlineForm`] (from which its
//! lock is classified and whether it must run outside a transaction):
//!
//! - plain index: `CREATE INDEX CONCURRENTLY` / `DROP INDEX CONCURRENTLY`;
//! - unique constraint: `CREATE UNIQUE INDEX CONCURRENTLY` + `ADD CONSTRAINT … UNIQUE USING INDEX`
//!   (when the index qualifies: plain btree columns in default order, no predicate);
//! - foreign key, CHECK: `ADD CONSTRAINT … NOT VALID` + `VALIDATE CONSTRAINT`;
//! - SET NOT NULL: `CHECK (c IS NOT NULL) NOT VALID` → `VALIDATE` → `SET NOT NULL` (proven by
//!   the check, no scan) → drop the check.
//!
//! Every other change keeps its ordinary lowering, and so does a change on a table the plan
//! itself creates or drops ([`table_is_live`]). [`session_step`] is the `SET lock_timeout` /
//! `SET statement_timeout` run first in up() and down(), [`reset_step`] their `RESET` run last.

use autogen_diff::Change;
use autogen_diff::impact::Impact;
use autogen_diff::impact::online::{OnlineForm, classify_online, sequence};
use autogen_schema::{ForeignKey, Index, KeyPart, QualifiedName, naming};

use super::{Builder, Step, Stmt, alter, create_index_maybe_concurrently, obj};
use crate::builder::{AlterOp, ColDef};
use crate::sql;

/// The online plan's session settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Online {
    /// `SET lock_timeout` at the top of up() and down() (e.g. `5s`); `None`: not set.
    pub lock_timeout: Option<String>,
    /// `SET statement_timeout` at the top of up() and down(); `None`: not set.
    pub statement_timeout: Option<String>,
}

impl Default for Online {
    fn default() -> Self {
        Online {
            lock_timeout: Some("5s".into()),
            statement_timeout: None,
        }
    }
}

const NOT_VALID: &str = "NOT VALID and VALIDATE CONSTRAINT";

fn with(mut s: Stmt, form: OnlineForm) -> Stmt {
    s.no_transaction = form.no_transaction();
    s.online = Some(form);
    s
}

/// The online statements for `change`, or `None` when it has no online form.
pub(super) fn lower_change(change: &Change) -> Option<Vec<Stmt>> {
    use Change::*;
    let catalog = |t: &QualifiedName| OnlineForm::Catalog {
        tables: vec![t.clone()],
    };
    match change {
        AddIndex { table, index } if !index.constraint => Some(vec![with(
            create_index_maybe_concurrently(table, index, true),
            OnlineForm::CreateIndexConcurrently {
                table: table.clone(),
            },
        )]),
        AddIndex { table, index } if usable_for_constraint(index) => {
            let backing = Index {
                constraint: false,
                unique: true,
                ..index.clone()
            };
            Some(vec![
                with(
                    create_index_maybe_concurrently(table, &backing, true),
                    OnlineForm::CreateIndexConcurrently {
                        table: table.clone(),
                    },
                ),
                with(
                    Stmt::raw(
                        sql::add_unique_using_index(table, &index.name),
                        "ADD CONSTRAINT ... USING INDEX",
                    ),
                    catalog(table),
                ),
            ])
        }
        DropIndex { table, index } if !index.constraint => Some(vec![with(
            Stmt::builder(
                Builder::DropIndex {
                    table: obj(table),
                    name: index.name.clone(),
                    concurrently: true,
                },
                || sql::drop_index_concurrently(table, &index.name),
            ),
            OnlineForm::DropIndexConcurrently {
                table: table.clone(),
            },
        )]),
        AddForeignKey { table, foreign_key } => Some(foreign_key_not_valid(table, foreign_key)),
        AlterForeignKey { table, from, to } => {
            let drop = with(
                super::drop_foreign_key(table, from),
                OnlineForm::Catalog {
                    tables: vec![table.clone(), from.referenced()],
                },
            );
            let mut v = vec![drop];
            v.extend(foreign_key_not_valid(table, to));
            Some(v)
        }
        AddCheck { table, check } => Some(vec![
            with(
                Stmt::raw(
                    format!("{} NOT VALID", sql::add_check(table, check)),
                    NOT_VALID,
                ),
                OnlineForm::AddNotValid {
                    table: table.clone(),
                    references: None,
                },
            ),
            validate(table, &check.name, None),
        ]),
        SetNotNull { table, column } => {
            // Not `{table}_{column}_not_null`: PostgreSQL 18 names the NOT NULL constraint so.
            let name = naming::postgres_object_name(&table.name, column, "not_null_check");
            let set = alter(
                table,
                AlterOp::ModifyColumn(ColDef {
                    name: column.clone(),
                    not_null: true,
                    ..ColDef::default()
                }),
                || sql::alter_column(table, column, "SET NOT NULL"),
            );
            Some(vec![
                with(
                    Stmt::raw(sql::add_not_null_check(table, &name, column), NOT_VALID),
                    OnlineForm::AddNotValid {
                        table: table.clone(),
                        references: None,
                    },
                ),
                validate(table, &name, None),
                with(set, catalog(table)),
                with(super::drop_constraint(table, &name), catalog(table)),
            ])
        }
        _ => None,
    }
}

/// Whether the table `change` builds on or validates is one other sessions use while the plan
/// runs: it existed before the plan (its classification locks it) and is not dropped by a
/// `later` change. On a table the plan creates or drops the ordinary form is as good and keeps
/// the migration transactional.
pub(super) fn table_is_live(change: &Change, impact: &Impact, later: &[Change]) -> bool {
    use Change::*;
    let table = match change {
        AddIndex { table, .. }
        | DropIndex { table, .. }
        | AddForeignKey { table, .. }
        | AlterForeignKey { table, .. }
        | AddCheck { table, .. }
        | SetNotNull { table, .. } => table,
        _ => return true,
    };
    let dropped = later.iter().any(|c| match c {
        DropTable { table: t } => &t.qualified_name() == table,
        _ => false,
    });
    !dropped && impact.locks.iter().any(|l| &l.table == table)
}

fn validate(table: &QualifiedName, name: &str, references: Option<QualifiedName>) -> Stmt {
    with(
        Stmt::raw(sql::validate_constraint(table, name), NOT_VALID),
        OnlineForm::Validate {
            table: table.clone(),
            references,
        },
    )
}

fn foreign_key_not_valid(table: &QualifiedName, fk: &ForeignKey) -> Vec<Stmt> {
    vec![
        with(
            Stmt::raw(
                format!("{} NOT VALID", sql::add_foreign_key(table, fk)),
                NOT_VALID,
            ),
            OnlineForm::AddNotValid {
                table: table.clone(),
                references: Some(fk.referenced()),
            },
        ),
        validate(table, &fk.name, Some(fk.referenced())),
    ]
}

/// `ADD CONSTRAINT … USING INDEX` takes a btree index on plain columns in default order,
/// without a predicate.
fn usable_for_constraint(index: &Index) -> bool {
    index.method == "btree"
        && index.predicate.is_none()
        && index.keys.iter().all(|k| {
            matches!(k.part, KeyPart::Column(_))
                && !k.descending
                && !k.nulls_first
                && k.opclass.is_none()
                && k.collation.is_none()
        })
}

/// The step's impact from its statements' forms, in sequence; tables the plan created earlier
/// (absent from the change's own classification) are left out, as there.
pub(super) fn impact(stmts: &[Stmt], change_impact: &Impact) -> Impact {
    let mut i = sequence(
        stmts
            .iter()
            .filter_map(|s| s.online.as_ref())
            .map(classify_online),
    );
    i.locks
        .retain(|l| change_impact.locks.iter().any(|c| c.table == l.table));
    i.data_loss = change_impact.data_loss;
    i
}

/// The settings given, by name.
fn settings(online: &Online) -> impl Iterator<Item = (&'static str, &String)> {
    [
        ("lock_timeout", &online.lock_timeout),
        ("statement_timeout", &online.statement_timeout),
    ]
    .into_iter()
    .filter_map(|(name, value)| value.as_ref().map(|v| (name, v)))
}

fn session(description: &str, statements: Vec<Stmt>) -> Option<Step> {
    (!statements.is_empty()).then(|| Step {
        description: description.into(),
        explain: None,
        statements,
        destructive: None,
        impact: Impact::default(),
    })
}

/// `SET lock_timeout` / `SET statement_timeout`, run first in each direction.
pub(crate) fn session_step(online: &Online) -> Option<Step> {
    session(
        "Online: give up on a lock wait instead of blocking the queries behind it",
        settings(online)
            .map(|(name, v)| Stmt::raw(format!("SET {name} = {}", sql::lit(v)), "session settings"))
            .collect(),
    )
}

/// `RESET …` of the same settings, run last in each direction: the migrations after this one
/// run on the same connection.
pub(crate) fn reset_step(online: &Online) -> Option<Step> {
    session(
        "Online: restore the session's timeouts for the migrations that follow",
        settings(online)
            .map(|(name, _)| Stmt::raw(format!("RESET {name}"), "session settings"))
            .collect(),
    )
}
