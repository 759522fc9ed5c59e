//! The online-safe lowering (`--online`): each online transformation as SQL (up and down) and
//! as a migration file, the `use_transaction()` switch, the session settings, and the lock
//! classification taken from the statement forms.

use autogen_diff::impact::Lock;
use autogen_diff::{Change, Plan};
use autogen_schema::{Check, Column, Index, Schema, Table, Type};
use expect_test::{Expect, expect};

use super::{fk, q};
use crate::{MigrationOptions, Online, lower_with, migration_rs, sql_with};

fn online() -> Online {
    Online {
        lock_timeout: Some("5s".into()),
        statement_timeout: Some("10min".into()),
    }
}

fn check_sql(plan: &Plan, expect: Expect) {
    let o = online();
    let text = format!(
        "-- up\n{}\n-- down\n{}",
        sql_with(plan, Some(&o)),
        sql_with(&plan.inverse(), Some(&o))
    );
    expect.assert_eq(&text);
}

fn plan(changes: Vec<Change>) -> Plan {
    Plan {
        changes,
        notes: vec![],
    }
}

fn unique_constraint() -> Index {
    let mut i = Index::on_columns("post_slug_key", &["slug"], true);
    i.constraint = true;
    i
}

/// The table every change applies to, as it is before the plan.
fn current() -> Schema {
    let mut post = Table::new("public", "post");
    post.columns = vec![
        Column::new("id", Type::Integer),
        Column::new("slug", Type::Text),
        Column::new("author_id", Type::Integer),
    ];
    let mut user = Table::new("public", "user");
    user.columns = vec![Column::new("id", Type::Integer)];
    user.primary_key = Some(autogen_schema::PrimaryKey {
        name: "user_pkey".into(),
        columns: vec!["id".into()],
    });
    Schema {
        tables: vec![post, user],
        ..Schema::default()
    }
}

#[test]
fn index_concurrently_both_ways() {
    check_sql(
        &plan(vec![Change::AddIndex {
            table: q("post"),
            index: Index::on_columns("idx-post-slug", &["slug"], false),
        }]),
        expect![[r#"
            -- up
            -- Run without an enclosing transaction: CREATE/DROP INDEX CONCURRENTLY cannot run
            -- inside a transaction block. Not atomic: a failure leaves the statements before it
            -- applied (a failed CREATE INDEX CONCURRENTLY leaves an INVALID index: drop it before
            -- running again).

            -- Online: give up on a lock wait instead of blocking the queries behind it
            SET lock_timeout = '5s';
            SET statement_timeout = '10min';

            -- add index idx-post-slug on public.post (slug)
            CREATE INDEX CONCURRENTLY "idx-post-slug" ON "post" ("slug");

            -- Online: restore the session's timeouts for the migrations that follow
            RESET lock_timeout;
            RESET statement_timeout;

            -- down
            -- Run without an enclosing transaction: CREATE/DROP INDEX CONCURRENTLY cannot run
            -- inside a transaction block. Not atomic: a failure leaves the statements before it
            -- applied (a failed CREATE INDEX CONCURRENTLY leaves an INVALID index: drop it before
            -- running again).

            -- Online: give up on a lock wait instead of blocking the queries behind it
            SET lock_timeout = '5s';
            SET statement_timeout = '10min';

            -- drop index idx-post-slug on public.post
            DROP INDEX CONCURRENTLY "idx-post-slug";

            -- Online: restore the session's timeouts for the migrations that follow
            RESET lock_timeout;
            RESET statement_timeout;
        "#]],
    );
}

#[test]
fn unique_through_a_concurrent_index() {
    check_sql(
        &plan(vec![Change::AddIndex {
            table: q("post"),
            index: unique_constraint(),
        }]),
        expect![[r#"
            -- up
            -- Run without an enclosing transaction: CREATE/DROP INDEX CONCURRENTLY cannot run
            -- inside a transaction block. Not atomic: a failure leaves the statements before it
            -- applied (a failed CREATE INDEX CONCURRENTLY leaves an INVALID index: drop it before
            -- running again).

            -- Online: give up on a lock wait instead of blocking the queries behind it
            SET lock_timeout = '5s';
            SET statement_timeout = '10min';

            -- add unique constraint post_slug_key on public.post (slug)
            CREATE UNIQUE INDEX CONCURRENTLY "post_slug_key" ON "post" ("slug");
            ALTER TABLE post ADD CONSTRAINT post_slug_key UNIQUE USING INDEX post_slug_key;

            -- Online: restore the session's timeouts for the migrations that follow
            RESET lock_timeout;
            RESET statement_timeout;

            -- down
            -- Online: give up on a lock wait instead of blocking the queries behind it
            SET lock_timeout = '5s';
            SET statement_timeout = '10min';

            -- drop unique constraint post_slug_key on public.post
            ALTER TABLE "post" DROP CONSTRAINT "post_slug_key";

            -- Online: restore the session's timeouts for the migrations that follow
            RESET lock_timeout;
            RESET statement_timeout;
        "#]],
    );
}

#[test]
fn foreign_key_and_check_not_valid_then_validated() {
    check_sql(
        &plan(vec![
            Change::AddForeignKey {
                table: q("post"),
                foreign_key: fk("fk-post-author", &["author_id"], "user", &["id"]),
            },
            Change::AddCheck {
                table: q("post"),
                check: Check {
                    name: "post_slug_check".into(),
                    expression: "(slug <> '')".into(),
                    no_inherit: false,
                    not_valid: false,
                },
            },
        ]),
        expect![[r#"
            -- up
            -- Run without an enclosing transaction: VALIDATE CONSTRAINT must not run in the
            -- transaction of its ADD ... NOT VALID, or that lock (it blocks writes) is held through
            -- the scan. Not atomic: a failed VALIDATE leaves the constraint NOT VALID.

            -- Online: give up on a lock wait instead of blocking the queries behind it
            SET lock_timeout = '5s';
            SET statement_timeout = '10min';

            -- add foreign key fk-post-author on public.post (author_id) references public.user (id)
            ALTER TABLE post ADD CONSTRAINT "fk-post-author" FOREIGN KEY (author_id) REFERENCES "user" (id) NOT VALID;
            ALTER TABLE post VALIDATE CONSTRAINT "fk-post-author";

            -- add check post_slug_check on public.post ((slug <> ''))
            ALTER TABLE post ADD CONSTRAINT post_slug_check CHECK (slug <> '') NOT VALID;
            ALTER TABLE post VALIDATE CONSTRAINT post_slug_check;

            -- Online: restore the session's timeouts for the migrations that follow
            RESET lock_timeout;
            RESET statement_timeout;

            -- down
            -- Online: give up on a lock wait instead of blocking the queries behind it
            SET lock_timeout = '5s';
            SET statement_timeout = '10min';

            -- drop check post_slug_check on public.post
            ALTER TABLE "post" DROP CONSTRAINT "post_slug_check";

            -- drop foreign key fk-post-author on public.post
            ALTER TABLE "post" DROP CONSTRAINT "fk-post-author";

            -- Online: restore the session's timeouts for the migrations that follow
            RESET lock_timeout;
            RESET statement_timeout;
        "#]],
    );
}

#[test]
fn set_not_null_through_a_validated_check() {
    check_sql(
        &plan(vec![Change::SetNotNull {
            table: q("post"),
            column: "slug".into(),
        }]),
        expect![[r#"
            -- up
            -- Run without an enclosing transaction: VALIDATE CONSTRAINT must not run in the
            -- transaction of its ADD ... NOT VALID, or that lock (it blocks writes) is held through
            -- the scan. Not atomic: a failed VALIDATE leaves the constraint NOT VALID.

            -- Online: give up on a lock wait instead of blocking the queries behind it
            SET lock_timeout = '5s';
            SET statement_timeout = '10min';

            -- set not null on public.post.slug
            ALTER TABLE post ADD CONSTRAINT post_slug_not_null_check CHECK (slug IS NOT NULL) NOT VALID;
            ALTER TABLE post VALIDATE CONSTRAINT post_slug_not_null_check;
            ALTER TABLE "post" ALTER COLUMN "slug" SET NOT NULL;
            ALTER TABLE "post" DROP CONSTRAINT "post_slug_not_null_check";

            -- Online: restore the session's timeouts for the migrations that follow
            RESET lock_timeout;
            RESET statement_timeout;

            -- down
            -- Online: give up on a lock wait instead of blocking the queries behind it
            SET lock_timeout = '5s';
            SET statement_timeout = '10min';

            -- drop not null on public.post.slug
            ALTER TABLE "post" ALTER COLUMN "slug" DROP NOT NULL;

            -- Online: restore the session's timeouts for the migrations that follow
            RESET lock_timeout;
            RESET statement_timeout;
        "#]],
    );
}

#[test]
fn migration_turns_the_transaction_off_and_sets_timeouts() {
    let p = plan(vec![
        Change::AddIndex {
            table: q("post"),
            index: Index::on_columns("idx-post-slug", &["slug"], false),
        },
        Change::SetNotNull {
            table: q("post"),
            column: "slug".into(),
        },
    ]);
    let r = migration_rs(
        &p,
        &MigrationOptions {
            message: "online".into(),
            current: current(),
            online: Some(online()),
            ..Default::default()
        },
    );
    syn::parse_file(&r.source).expect("the migration parses as Rust");
    expect![[r#"
        //! Generated by autogen: online
        //!
        //! Changes:
        //! - add index idx-post-slug on public.post (slug)
        //! - set not null on public.post.slug
        // WARNING: destructive: set not null on public.post.slug: fails while the column holds NULLs
        // LOCK: add index idx-post-slug on public.post (slug): SHARE UPDATE EXCLUSIVE lock on public.post, scans the table (CONCURRENTLY: writes go on while the index is built) (blocks only DDL and VACUUM while it runs)
        // LOCK: set not null on public.post.slug: ACCESS EXCLUSIVE lock on public.post; SHARE UPDATE EXCLUSIVE lock on public.post, scans the table (VALIDATE CONSTRAINT checks every row without blocking writes) (blocks only DDL and VACUUM while it runs)
        // LOCK in down(): brief ACCESS EXCLUSIVE (catalog only; waits for running transactions and blocks everything queued behind it) on public.post
        // ONLINE: online-safe plan (lock_timeout 5s, statement_timeout 10min; each direction sets them first)
        // NOT ATOMIC: use_transaction() is off (CONCURRENTLY, VALIDATE CONSTRAINT), every statement runs in autocommit: a failure leaves the statements before it applied, and a failed CREATE INDEX CONCURRENTLY leaves an INVALID index to drop before running again, and a failed VALIDATE leaves its constraint NOT VALID (enforced for new rows only)

        use sea_orm_migration::prelude::*;

        #[derive(DeriveMigrationName)]
        pub struct Migration;

        #[async_trait::async_trait]
        impl MigrationTrait for Migration {
            fn use_transaction(&self) -> Option<bool> {
                // CREATE/DROP INDEX CONCURRENTLY cannot run inside a transaction block
                // VALIDATE CONSTRAINT must not run in the transaction of its ADD ... NOT VALID: that lock (it blocks writes) would be held through the scan
                Some(false)
            }

            async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
                // Online: give up on a lock wait instead of blocking the queries behind it
                // sea-query cannot express session settings
                manager.get_connection().execute_unprepared("SET lock_timeout = '5s'").await?;
                manager
                    .get_connection()
                    .execute_unprepared("SET statement_timeout = '10min'")
                    .await?;

                // add index idx-post-slug on public.post (slug)
                manager
                    .create_index(
                        Index::create()
                            .name("idx-post-slug")
                            .table("post")
                            .col("slug")
                            .concurrently()
                            .to_owned(),
                    )
                    .await?;

                // set not null on public.post.slug
                // sea-query cannot express NOT VALID and VALIDATE CONSTRAINT
                manager
                    .get_connection()
                    .execute_unprepared(
                        "ALTER TABLE post ADD CONSTRAINT post_slug_not_null_check CHECK (slug IS NOT NULL) NOT VALID",
                    )
                    .await?;
                manager
                    .get_connection()
                    .execute_unprepared(
                        "ALTER TABLE post VALIDATE CONSTRAINT post_slug_not_null_check",
                    )
                    .await?;
                manager
                    .alter_table(
                        Table::alter()
                            .table("post")
                            .modify_column(ColumnDef::new("slug").not_null())
                            .to_owned(),
                    )
                    .await?;
                manager
                    .alter_table(
                        Table::alter()
                            .table("post")
                            .drop_constraint("post_slug_not_null_check")
                            .to_owned(),
                    )
                    .await?;

                // Online: restore the session's timeouts for the migrations that follow
                // sea-query cannot express session settings
                manager.get_connection().execute_unprepared("RESET lock_timeout").await?;
                manager.get_connection().execute_unprepared("RESET statement_timeout").await?;
                Ok(())
            }

            async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
                // Online: give up on a lock wait instead of blocking the queries behind it
                // sea-query cannot express session settings
                manager.get_connection().execute_unprepared("SET lock_timeout = '5s'").await?;
                manager
                    .get_connection()
                    .execute_unprepared("SET statement_timeout = '10min'")
                    .await?;

                // drop not null on public.post.slug
                manager
                    .alter_table(
                        Table::alter()
                            .table("post")
                            .modify_column(ColumnDef::new("slug").null())
                            .to_owned(),
                    )
                    .await?;

                // drop index idx-post-slug on public.post
                manager
                    .drop_index(
                        Index::drop()
                            .name("idx-post-slug")
                            .table("post")
                            .concurrently()
                            .to_owned(),
                    )
                    .await?;

                // Online: restore the session's timeouts for the migrations that follow
                // sea-query cannot express session settings
                manager.get_connection().execute_unprepared("RESET lock_timeout").await?;
                manager.get_connection().execute_unprepared("RESET statement_timeout").await?;
                Ok(())
            }
        }
    "#]]
    .assert_eq(&r.source);
}

/// VALIDATE must not run in the transaction that added the constraint NOT VALID (that lock,
/// which blocks writes, would be held through the scan), so the migration runs in autocommit.
#[test]
fn validate_runs_outside_the_transaction_of_its_not_valid() {
    let p = plan(vec![Change::SetNotNull {
        table: q("post"),
        column: "slug".into(),
    }]);
    let r = migration_rs(
        &p,
        &MigrationOptions {
            online: Some(Online {
                lock_timeout: None,
                statement_timeout: None,
            }),
            ..Default::default()
        },
    );
    assert!(r.source.contains("fn use_transaction"));
    assert!(
        r.source
            .contains("NOT ATOMIC: use_transaction() is off (VALIDATE CONSTRAINT)")
    );
    assert!(!r.source.contains("CONCURRENTLY"));
    assert!(!r.source.contains("SET lock_timeout"));
    assert!(r.source.contains("VALIDATE CONSTRAINT"));
    // Nothing else in the plan: one migration.
    assert_eq!(crate::split(&p, Some(&online())), vec![p.clone()]);
}

#[test]
fn locks_come_from_the_online_forms() {
    let p = plan(vec![
        Change::AddIndex {
            table: q("post"),
            index: Index::on_columns("idx-post-slug", &["slug"], false),
        },
        Change::AddForeignKey {
            table: q("post"),
            foreign_key: fk("fk-post-author", &["author_id"], "user", &["id"]),
        },
        Change::SetNotNull {
            table: q("post"),
            column: "slug".into(),
        },
    ]);
    let plain = lower_with(&p, &current(), None);
    let on = lower_with(&p, &current(), Some(&online()));
    assert_eq!(plain[0].impact.long_lock(), Lock::Share);
    assert_eq!(plain[2].impact.long_lock(), Lock::AccessExclusive);
    for step in &on {
        assert_eq!(
            step.impact.long_lock(),
            Lock::ShareUpdateExclusive,
            "{}",
            step.description
        );
        assert!(step.impact.is_long());
    }
    assert!(on[0].statements[0].no_transaction);
    // ADD … NOT VALID may share a transaction; its VALIDATE must not.
    let fk_forms: Vec<bool> = on[1].statements.iter().map(|s| s.no_transaction).collect();
    assert_eq!(fk_forms, [false, true]);
    let set_not_null: Vec<bool> = on[2].statements.iter().map(|s| s.no_transaction).collect();
    assert_eq!(set_not_null, [false, true, false, false]);
}

#[test]
fn split_keeps_transactional_steps_in_transactional_migrations() {
    use autogen_diff::{Note, NoteKind};
    let mut p = plan(vec![
        Change::SetTableComment {
            table: q("post"),
            from: None,
            to: Some("posts".into()),
        },
        Change::AddIndex {
            table: q("post"),
            index: Index::on_columns("idx-post-slug", &["slug"], false),
        },
        Change::AddIndex {
            table: q("post"),
            index: unique_constraint(),
        },
        Change::AddColumn {
            table: q("post"),
            column: autogen_schema::Column::new("summary", autogen_schema::Type::Text),
        },
        // Concurrent only in down(): dropping a unique constraint is re-added concurrently.
        Change::DropIndex {
            table: q("post"),
            index: unique_constraint(),
        },
    ]);
    p.notes = vec![
        Note {
            kind: NoteKind::Hazard,
            object: "public.post.summary".into(),
            message: "a note about the new column".into(),
            change: Some(3),
            object_kind: None,
        },
        Note {
            kind: NoteKind::RenameHint,
            object: "public.post".into(),
            message: "hint".into(),
            change: None,
            object_kind: None,
        },
    ];
    // Without --online, or without a mix: one part.
    assert_eq!(crate::split(&p, None), vec![p.clone()]);
    let parts = crate::split(&p, Some(&online()));
    let sizes: Vec<usize> = parts.iter().map(|x| x.changes.len()).collect();
    assert_eq!(sizes, [1, 2, 1, 1]);
    let joined: Vec<Change> = parts.iter().flat_map(|x| x.changes.clone()).collect();
    assert_eq!(joined, p.changes);
    assert_eq!(
        parts[0].notes.len(),
        1,
        "the plan-wide note goes with the first part"
    );
    assert_eq!(
        parts[2].notes[0].change,
        Some(0),
        "a change's note is re-indexed"
    );
    let mut model = current();
    let mut transactional = Vec::new();
    for part in &parts {
        let r = migration_rs(
            part,
            &MigrationOptions {
                current: model.clone(),
                online: Some(online()),
                ..Default::default()
            },
        );
        transactional.push(!r.source.contains("fn use_transaction"));
        assert_eq!(
            r.source.contains("NOT ATOMIC"),
            !transactional[transactional.len() - 1]
        );
        for c in &part.changes {
            autogen_diff::apply(&mut model, c).expect("each part applies to the state before it");
        }
    }
    assert_eq!(transactional, [true, false, true, false]);
}

/// A table the plan creates (or drops) is seen by nobody else while the plan runs: its indexes
/// and keys keep the ordinary forms, and the migration stays one transactional file.
#[test]
fn tables_the_plan_creates_or_drops_keep_the_ordinary_forms() {
    let mut tag = Table::new("public", "tag");
    tag.columns = vec![
        Column::new("id", Type::Integer),
        Column::new("author_id", Type::Integer),
    ];
    let p = plan(vec![
        Change::CreateTable { table: tag },
        Change::AddIndex {
            table: q("tag"),
            index: Index::on_columns("idx-tag-author", &["author_id"], false),
        },
        Change::AddForeignKey {
            table: q("tag"),
            foreign_key: fk("fk-tag-author", &["author_id"], "user", &["id"]),
        },
    ]);
    assert_eq!(crate::split(&p, Some(&online())), vec![p.clone()]);
    let up = sql_with(&p, Some(&online()));
    let down = sql_with(&p.inverse(), Some(&online()));
    for text in [&up, &down] {
        assert!(!text.contains("CONCURRENTLY"), "{text}");
        assert!(!text.contains("NOT VALID"), "{text}");
        assert!(
            !text.contains("Run without an enclosing transaction"),
            "{text}"
        );
    }
    let r = migration_rs(
        &p,
        &MigrationOptions {
            current: current(),
            online: Some(online()),
            ..Default::default()
        },
    );
    assert!(!r.source.contains("fn use_transaction"));
}
