//! Data-aware hazards against a real database (issue 11, item 2): one case per hazard, each
//! showing the exact count in the text line and in the JSON `data.facts`, plus the catalog
//! fallback when a count times out.

use std::time::Duration;

use autogen_cli::safety;
use autogen_diff::{Change, Plan};
use autogen_pgtemp::TestDb;
use autogen_schema::{Column, ForeignKey, Index, QualifiedName, Schema, Type};
use expect_test::{Expect, expect};

fn q(name: &str) -> QualifiedName {
    QualifiedName::new("public", name)
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// Loads `setup` into a fresh database, introspects it, and measures the plan `make` builds
/// from the model; returns the text lines and the JSON facts.
fn measure(setup: &str, timeout: Duration, make: impl FnOnce(&Schema) -> Vec<Change>) -> String {
    let db = TestDb::new().unwrap();
    db.batch_execute(setup).unwrap();
    let rt = runtime();
    let current = rt
        .block_on(autogen_introspect::introspect(
            db.url(),
            &autogen_introspect::Options::default(),
        ))
        .unwrap();
    let plan = Plan {
        changes: make(&current),
        notes: vec![],
    };
    let report = rt
        .block_on(safety::measure(db.url(), &plan, &current, timeout))
        .expect("measured");
    let json = safety::data_json(&report);
    let mut out = safety::data_lines(&plan, &report).join("\n");
    for f in json["facts"].as_array().unwrap() {
        out.push_str(&format!("\n{f}"));
    }
    out
}

fn check(setup: &str, make: impl FnOnce(&Schema) -> Vec<Change>, want: Expect) {
    want.assert_eq(&measure(setup, Duration::from_secs(2), make));
}

#[test]
fn nulls_before_set_not_null() {
    check(
        "CREATE TABLE t (c int); INSERT INTO t SELECT CASE WHEN g % 4 = 0 THEN g END FROM generate_series(1, 1000) g;",
        |_| {
            vec![Change::SetNotNull {
                table: q("t"),
                column: "c".into(),
            }]
        },
        expect![[r#"
            data: set not null on public.t.c: 750 row(s) hold NULL in public.t.c: SET NOT NULL fails until they are filled
            {"change":0,"count":750,"kind":"nulls_before_not_null","object":"public.t.c","source":"counted"}"#]],
    );
}

#[test]
fn rows_before_a_not_null_column_without_default() {
    let mut c = Column::new("n", Type::Integer);
    c.nullable = false;
    check(
        "CREATE TABLE t (id int); INSERT INTO t SELECT generate_series(1, 12);",
        |_| {
            vec![Change::AddColumn {
                table: q("t"),
                column: c,
            }]
        },
        expect![[r#"
            data: add column public.t.n (integer, not null): public.t.n: the table has 12 row(s): adding a NOT NULL column without a default fails; two-step plan: give the field a default (default_value) or add it as an Option, backfill, then make it NOT NULL in a second revision
            {"change":0,"count":12,"kind":"rows_for_not_null_column","object":"public.t.n","source":"counted"}"#]],
    );
}

#[test]
fn duplicate_groups_before_a_unique_index() {
    check(
        "CREATE TABLE t (e text); INSERT INTO t VALUES ('a'), ('a'), ('b'), ('b'), ('b'), ('c'), (NULL), (NULL);",
        |_| {
            vec![Change::AddIndex {
                table: q("t"),
                index: Index::on_columns("t_e_key", &["e"], true),
            }]
        },
        expect![[r#"
            data: add unique index t_e_key on public.t (e): 2 group(s) of rows share a value of public.t.t_e_key: the unique index fails until they are merged
            {"change":0,"count":2,"kind":"duplicate_groups","object":"public.t.t_e_key","source":"counted"}"#]],
    );
}

#[test]
fn null_keys_and_duplicates_before_a_primary_key() {
    check(
        "CREATE TABLE t (a int, b int); \
         INSERT INTO t VALUES (1, 1), (1, 1), (1, 2), (2, NULL), (NULL, 3), (NULL, NULL);",
        |_| {
            vec![Change::AddPrimaryKey {
                table: q("t"),
                primary_key: autogen_schema::PrimaryKey {
                    name: "t_pkey".into(),
                    columns: vec!["a".into(), "b".into()],
                },
            }]
        },
        expect![[r#"
            data: add primary key t_pkey on public.t (a, b): 1 group(s) of rows share a value of public.t.t_pkey: the unique index fails until they are merged
            data: add primary key t_pkey on public.t (a, b): 3 row(s) have a NULL key part in public.t.t_pkey: the primary key fails
            {"change":0,"count":1,"kind":"duplicate_groups","object":"public.t.t_pkey","source":"counted"}
            {"change":0,"count":3,"kind":"null_keys","object":"public.t.t_pkey","source":"counted"}"#]],
    );
}

/// The size of every table a change scans or rewrites, in the lock line (text) and in
/// `table_sizes` (JSON): after ANALYZE of a small table the estimate is the exact row count; the
/// bytes are the server's own `pg_total_relation_size`.
#[test]
fn table_size_in_the_lock_line_and_the_json() {
    let db = TestDb::new().unwrap();
    db.batch_execute(
        "CREATE TABLE t (id int, qty int); \
         INSERT INTO t SELECT g, g FROM generate_series(1, 4321) g; ANALYZE t;",
    )
    .unwrap();
    let rt = runtime();
    let current = rt
        .block_on(autogen_introspect::introspect(
            db.url(),
            &autogen_introspect::Options::default(),
        ))
        .unwrap();
    let plan = Plan {
        changes: vec![Change::AlterColumnType {
            table: q("t"),
            column: "qty".into(),
            from: Type::Integer,
            to: Type::BigInt,
            using: None,
            reverse_using: None,
            collation: None,
        }],
        notes: vec![],
    };
    let report = rt
        .block_on(safety::measure(
            db.url(),
            &plan,
            &current,
            Duration::from_secs(2),
        ))
        .expect("measured");
    let bytes: i64 = rt.block_on(async {
        let client = db.connect().await.unwrap();
        client
            .query_one("SELECT pg_total_relation_size('t')", &[])
            .await
            .unwrap()
            .get(0)
    });
    let json = safety::data_json(&report);
    assert_eq!(
        json["table_sizes"],
        serde_json::json!([{"table": "public.t", "estimated_rows": 4321, "bytes": bytes}]),
    );
    let lines = safety::lines(&safety::classify(&plan, &current), Some(&report));
    let kb = format!("{:.1} kB", bytes as f64 / 1024.0);
    expect!["lock: change type of public.t.qty from integer to bigint: ACCESS EXCLUSIVE lock on public.t, rewrites the table (integer → bigint: not binary coercible) (blocks reads and writes while it runs) [public.t ≈ 4,321 row(s), <kB>]"]
    .assert_eq(&lines.join("\n").replace(&kb, "<kB>"));
}

#[test]
fn orphan_rows_before_a_foreign_key() {
    check(
        "CREATE TABLE p (id int PRIMARY KEY); INSERT INTO p VALUES (1), (2); \
         CREATE TABLE c (p_id int); INSERT INTO c VALUES (1), (2), (3), (3), (4), (NULL);",
        |_| {
            vec![Change::AddForeignKey {
                table: q("c"),
                foreign_key: ForeignKey::new("c_p_fk", &["p_id"], "public", "p", &["id"]),
            }]
        },
        expect![[r#"
            data: add foreign key c_p_fk on public.c (p_id) references public.p (id): 3 row(s) of public.c.c_p_fk have no matching referenced row: adding the foreign key fails
            {"change":0,"count":3,"kind":"orphan_rows","object":"public.c.c_p_fk","source":"counted"}"#]],
    );
}

#[test]
fn values_in_a_dropped_column_and_rows_in_a_dropped_table() {
    check(
        "CREATE TABLE t (id int, legacy text); INSERT INTO t VALUES (1, 'x'), (2, NULL), (3, 'y'); \
         CREATE TABLE old (id int); INSERT INTO old SELECT generate_series(1, 7);",
        |s| {
            let t = s.table("public", "t").unwrap();
            vec![
                Change::DropColumn {
                    table: q("t"),
                    column: t.column("legacy").unwrap().clone(),
                },
                Change::DropTable {
                    table: s.table("public", "old").unwrap().clone(),
                },
            ]
        },
        expect![[r#"
            data: drop column public.t.legacy: 2 non-NULL value(s) in public.t.legacy are deleted
            data: drop table public.old: 7 row(s) in public.old are deleted
            {"change":0,"count":2,"kind":"values_in_dropped_column","object":"public.t.legacy","source":"counted"}
            {"change":1,"count":7,"kind":"rows_in_dropped_table","object":"public.old","source":"counted"}"#]],
    );
}

#[test]
fn values_that_do_not_fit_a_narrower_type() {
    check(
        "CREATE TABLE t (code varchar(10), n bigint); \
         INSERT INTO t VALUES ('abc', 1), ('abcdef', 3000000000), ('abcdefgh', -3000000000), (NULL, NULL);",
        |_| {
            vec![
                Change::AlterColumnType {
                    table: q("t"),
                    column: "code".into(),
                    from: Type::varchar(Some(10)),
                    to: Type::varchar(Some(4)),
                    using: None,
                    reverse_using: None,
                    collation: None,
                },
                Change::AlterColumnType {
                    table: q("t"),
                    column: "n".into(),
                    from: Type::BigInt,
                    to: Type::Integer,
                    using: None,
                    reverse_using: None,
                    collation: None,
                },
            ]
        },
        expect![[r#"
            data: change type of public.t.code from character varying(10) to character varying(4): 2 value(s) of public.t.code do not fit the new type: the change fails
            data: change type of public.t.n from bigint to integer: 2 value(s) of public.t.n do not fit the new type: the change fails
            {"change":0,"count":2,"kind":"values_not_fitting","object":"public.t.code","source":"counted"}
            {"change":1,"count":2,"kind":"values_not_fitting","object":"public.t.n","source":"counted"}"#]],
    );
}

#[test]
fn rows_holding_a_removed_enum_label() {
    check(
        "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy'); CREATE TABLE t (m mood); \
         INSERT INTO t VALUES ('ok'), ('ok'), ('sad'), (NULL);",
        |s| {
            vec![Change::RemoveEnumValue {
                enum_type: s.enum_type("public", "mood").unwrap().clone(),
                value: "ok".into(),
                usages: vec![(q("t"), "m".into())],
                moved: false,
                in_the_way: Default::default(),
            }]
        },
        expect![[r#"
            data: remove value 'ok' from enum public.mood (recreates the type, converts 1 column): 2 row(s) of public.t.m hold the removed label: the change fails
            {"change":0,"count":2,"kind":"rows_with_removed_label","object":"public.t.m","source":"counted"}"#]],
    );
}

#[test]
fn a_count_that_times_out_falls_back_to_the_catalog_estimate() {
    let got = measure(
        "CREATE TABLE big (id int); INSERT INTO big SELECT generate_series(1, 300000); ANALYZE big;",
        Duration::from_millis(1),
        |s| {
            vec![Change::DropTable {
                table: s.table("public", "big").unwrap().clone(),
            }]
        },
    );
    assert!(got.contains("\"source\":\"estimated\""), "{got}");
    assert!(got.contains("catalog estimate"), "{got}");
}

/// The lock and rewrite classification (`autogen_diff::impact`) against the server itself: each
/// change's statements run in a transaction, then the strongest lock the session holds on each
/// table (`pg_locks`) must be the classified one, and the table's file node must change exactly
/// when the change is classified as a rewrite.
#[test]
fn classification_matches_the_locks_postgres_takes() {
    use autogen_diff::impact::{Effect, Lock, classify_plan};
    let setup = "CREATE TABLE p (id int PRIMARY KEY); INSERT INTO p VALUES (1); \
                 CREATE TABLE c (id int, p_id int, n int, s varchar(10), fk_old int REFERENCES p (id)); \
                 INSERT INTO c VALUES (1, 1, 1, 'a', 1);";
    let db = TestDb::new().unwrap();
    db.batch_execute(setup).unwrap();
    let rt = runtime();
    let current = rt
        .block_on(autogen_introspect::introspect(
            db.url(),
            &autogen_introspect::Options::default(),
        ))
        .unwrap();
    let c = current.table("public", "c").unwrap();
    let mut volatile = Column::new("token", Type::Uuid);
    volatile.default = Some("gen_random_uuid()".into());
    let mut constant = Column::new("k", Type::Integer);
    constant.default = Some("5".into());
    let ty = |from: Type, to: Type, col: &str| Change::AlterColumnType {
        table: q("c"),
        column: col.into(),
        from,
        to,
        using: None,
        reverse_using: None,
        collation: None,
    };
    let mut fk = c.foreign_keys[0].clone();
    let changes = vec![
        Change::AddColumn {
            table: q("c"),
            column: volatile,
        },
        Change::AddColumn {
            table: q("c"),
            column: constant,
        },
        ty(Type::Integer, Type::BigInt, "n"),
        ty(Type::varchar(Some(10)), Type::varchar(Some(20)), "s"),
        ty(Type::varchar(Some(10)), Type::Text, "s"),
        Change::SetNotNull {
            table: q("c"),
            column: "n".into(),
        },
        Change::AddIndex {
            table: q("c"),
            index: Index::on_columns("c_n_idx", &["n"], false),
        },
        Change::AddIndex {
            table: q("c"),
            index: Index {
                constraint: true,
                ..Index::on_columns("c_id_key", &["id"], true)
            },
        },
        Change::DropForeignKey {
            table: q("c"),
            foreign_key: fk.clone(),
        },
        {
            fk.name = "c_p_id_fkey".into();
            fk.columns = vec!["p_id".into()];
            Change::AddForeignKey {
                table: q("c"),
                foreign_key: fk,
            }
        },
        Change::AddCheck {
            table: q("c"),
            check: autogen_schema::Check {
                name: "c_n_check".into(),
                expression: "(n > 0)".into(),
                no_inherit: false,
                not_valid: false,
            },
        },
        Change::SetTableComment {
            table: q("c"),
            from: None,
            to: Some("x".into()),
        },
        Change::RenameColumn {
            table: q("c"),
            from: "id".into(),
            to: "ident".into(),
        },
        Change::DropColumn {
            table: q("c"),
            column: c.column("s").unwrap().clone(),
        },
    ];
    rt.block_on(async {
        let client = db.connect().await.unwrap();
        for (change, impact) in changes.iter().zip(classify_plan(&changes, &current)) {
            let seen = observe(&client, change, "c", &["c", "p"]).await;
            for (table, held) in &seen.locks {
                let classified = impact
                    .locks
                    .iter()
                    .find(|l| &l.table == table)
                    .map(|l| l.lock)
                    .unwrap_or(Lock::None);
                assert_eq!(*held, classified, "{}: lock on {table}", change.describe());
            }
            assert_eq!(
                seen.rewritten,
                impact.effect() == Effect::Rewrite,
                "{}: rewrite",
                change.describe()
            );
            assert_eq!(
                seen.scanned,
                impact.effect() >= Effect::Scan,
                "{}: scan",
                change.describe()
            );
        }
    });
}

/// What running one change's statements did, seen from inside its transaction.
struct Observed {
    /// The strongest lock the session held on each table asked about.
    locks: Vec<(QualifiedName, autogen_diff::impact::Lock)>,
    /// `table`'s file node changed.
    rewritten: bool,
    /// `table` was read sequentially (`pg_stat_xact_user_tables.seq_scan`: a validation scan,
    /// an index build or a rewrite).
    scanned: bool,
}

/// Runs `change`'s statements (the ordinary plan) in a transaction and reports what Postgres
/// did to `table` and which locks it held on `tables`; commits.
async fn observe(
    client: &tokio_postgres::Client,
    change: &Change,
    table: &str,
    tables: &[&str],
) -> Observed {
    let plan = Plan {
        changes: vec![change.clone()],
        notes: vec![],
    };
    observe_sql(client, &autogen_codegen::statements(&plan), table, tables).await
}

/// [`observe`] for any statements.
async fn observe_sql(
    client: &tokio_postgres::Client,
    statements: &[String],
    table: &str,
    tables: &[&str],
) -> Observed {
    use autogen_diff::impact::Lock;
    let mode = |m: &str| match m {
        "AccessExclusiveLock" => Lock::AccessExclusive,
        "ShareRowExclusiveLock" => Lock::ShareRowExclusive,
        "ShareLock" => Lock::Share,
        "ShareUpdateExclusiveLock" => Lock::ShareUpdateExclusive,
        "RowShareLock" => Lock::RowShare,
        _ => Lock::None,
    };
    let node = "SELECT pg_relation_filenode($1::text::regclass)::bigint";
    let scans = "SELECT coalesce(sum(seq_scan), 0)::bigint FROM pg_stat_xact_user_tables \
                 WHERE relid = $1::text::regclass";
    client.batch_execute("BEGIN").await.unwrap();
    let before: i64 = client.query_one(node, &[&table]).await.unwrap().get(0);
    let scans_before: i64 = client.query_one(scans, &[&table]).await.unwrap().get(0);
    for stmt in statements {
        client
            .batch_execute(stmt)
            .await
            .unwrap_or_else(|e| panic!("{stmt}: {e}"));
    }
    let after: i64 = client.query_one(node, &[&table]).await.unwrap().get(0);
    let scans_after: i64 = client.query_one(scans, &[&table]).await.unwrap().get(0);
    let mut locks = Vec::new();
    for t in tables {
        let held = client
            .query(
                "SELECT mode FROM pg_locks WHERE pid = pg_backend_pid() \
                 AND locktype = 'relation' AND relation = to_regclass($1)",
                &[t],
            )
            .await
            .unwrap()
            .iter()
            .map(|r| mode(r.get::<_, &str>(0)))
            .max()
            .unwrap_or(Lock::None);
        locks.push((q(t), held));
    }
    client.batch_execute("COMMIT").await.unwrap();
    Observed {
        locks,
        rewritten: before != after,
        scanned: scans_after > scans_before,
    }
}

/// SET NOT NULL reads every row unless a validated `CHECK (c IS NOT NULL)` already proves it
/// ("ALTER TABLE", SET NOT NULL); a NOT VALID one proves nothing. The classification must say
/// the same as the server.
#[test]
fn set_not_null_skips_the_scan_only_with_a_validated_check() {
    use autogen_diff::impact::{Effect, Lock, classify};
    let db = TestDb::new().unwrap();
    db.batch_execute(
        "CREATE TABLE t (proven int CONSTRAINT proven_nn CHECK (proven IS NOT NULL), unproven int, bare int); \
         INSERT INTO t SELECT 1, 1, 1 FROM generate_series(1, 10); \
         ALTER TABLE t ADD CONSTRAINT unproven_nn CHECK (unproven IS NOT NULL) NOT VALID;",
    )
    .unwrap();
    let rt = runtime();
    let current = rt
        .block_on(autogen_introspect::introspect(
            db.url(),
            &autogen_introspect::Options::default(),
        ))
        .unwrap();
    let t = current.table("public", "t").unwrap();
    assert!(
        t.checks
            .iter()
            .any(|c| c.name == "unproven_nn" && c.not_valid)
    );
    assert!(
        t.checks
            .iter()
            .any(|c| c.name == "proven_nn" && !c.not_valid)
    );
    rt.block_on(async {
        let client = db.connect().await.unwrap();
        for (column, scans) in [("proven", false), ("unproven", true), ("bare", true)] {
            let change = Change::SetNotNull {
                table: q("t"),
                column: column.into(),
            };
            let impact = classify(&change, &current);
            assert_eq!(
                impact.effect() == Effect::Scan,
                scans,
                "{column}: classified"
            );
            assert_eq!(impact.lock(), Lock::AccessExclusive, "{column}");
            let seen = observe(&client, &change, "t", &["t"]).await;
            assert_eq!(seen.scanned, scans, "{column}: the server's seq_scan count");
            assert_eq!(
                seen.locks,
                vec![(q("t"), Lock::AccessExclusive)],
                "{column}"
            );
            assert!(!seen.rewritten, "{column}");
        }
    });
}

/// The other change kinds (and the type changes Postgres makes without a rewrite) against the
/// server, as above: lock per table, rewrite and scan. With `docs/safety.md`, every change kind
/// the differ makes is either checked here or by the test above, except renaming or dropping a
/// table and the enum changes (documented: ACCESS EXCLUSIVE; none on tables for a new label).
#[test]
fn more_change_kinds_match_the_server() {
    use autogen_diff::impact::{Effect, Lock, classify_plan};
    let db = TestDb::new().unwrap();
    db.batch_execute(
        "CREATE TABLE p (id int PRIMARY KEY); INSERT INTO p VALUES (1), (2); \
         CREATE TABLE c (id int NOT NULL, m int NOT NULL DEFAULT 0, \
           p_id int CONSTRAINT c_p_fk REFERENCES p (id), amount numeric(8,2), at timestamp(0), \
           d int DEFAULT 1, k int GENERATED BY DEFAULT AS IDENTITY, \
           chk int CONSTRAINT c_chk CHECK (chk > 0)); \
         CREATE INDEX c_d_idx ON c (d); \
         INSERT INTO c (id, p_id, amount, at, chk) VALUES (1, 1, 1.5, now(), 1), (2, 2, 2.5, now(), 2);",
    )
    .unwrap();
    let rt = runtime();
    let current = rt
        .block_on(autogen_introspect::introspect(
            db.url(),
            &autogen_introspect::Options::default(),
        ))
        .unwrap();
    let c = current.table("public", "c").unwrap();
    let mut identity = Column::new("seq_no", Type::BigInt);
    identity.nullable = false;
    identity.identity = c.column("k").unwrap().identity.clone();
    let mut generated = Column::new("twice", Type::Integer);
    generated.generated = Some("(id * 2)".into());
    let old_fk = c.foreign_keys[0].clone();
    let mut cascade = old_fk.clone();
    cascade.on_delete = autogen_schema::FkAction::Cascade;
    let ty = |col: &str, from: &str, to: &str| Change::AlterColumnType {
        table: q("c"),
        column: col.into(),
        from: Type::parse_pg(from),
        to: Type::parse_pg(to),
        using: None,
        reverse_using: None,
        collation: None,
    };
    let changes = vec![
        Change::AddColumn {
            table: q("c"),
            column: identity,
        },
        Change::AddColumn {
            table: q("c"),
            column: generated,
        },
        ty("amount", "numeric(8,2)", "numeric(12,2)"),
        ty(
            "at",
            "timestamp(0) without time zone",
            "timestamp(3) without time zone",
        ),
        ty("amount", "numeric(12,2)", "numeric(12,3)"),
        Change::DropNotNull {
            table: q("c"),
            column: "m".into(),
        },
        Change::AlterDefault {
            table: q("c"),
            column: "d".into(),
            from: Some("1".into()),
            to: Some("2".into()),
        },
        Change::AlterIdentity {
            table: q("c"),
            column: "k".into(),
            from: c.column("k").unwrap().identity.clone(),
            to: None,
        },
        Change::RenameIndex {
            table: q("c"),
            from: "c_d_idx".into(),
            to: "c_d_index".into(),
        },
        Change::DropIndex {
            table: q("c"),
            index: Index::on_columns("c_d_index", &["d"], false),
        },
        Change::AddPrimaryKey {
            table: q("c"),
            primary_key: autogen_schema::PrimaryKey {
                name: "c_pkey".into(),
                columns: vec!["id".into()],
            },
        },
        Change::DropPrimaryKey {
            table: q("c"),
            primary_key: autogen_schema::PrimaryKey {
                name: "c_pkey".into(),
                columns: vec!["id".into()],
            },
        },
        Change::DropCheck {
            table: q("c"),
            check: c.checks[0].clone(),
        },
        Change::SetColumnComment {
            table: q("c"),
            column: "d".into(),
            from: None,
            to: Some("dee".into()),
        },
        Change::AlterForeignKey {
            table: q("c"),
            from: old_fk.clone(),
            to: cascade,
        },
        Change::RenameForeignKey {
            table: q("c"),
            from: "c_p_fk".into(),
            to: "c_p_fkey".into(),
        },
    ];
    rt.block_on(async {
        let client = db.connect().await.unwrap();
        for (change, impact) in changes.iter().zip(classify_plan(&changes, &current)) {
            let seen = observe(&client, change, "c", &["c", "p"]).await;
            let what = format!("{} ({impact})", change.describe());
            for (table, held) in &seen.locks {
                let classified = impact
                    .locks
                    .iter()
                    .find(|l| &l.table == table)
                    .map(|l| l.lock)
                    .unwrap_or(Lock::None);
                assert_eq!(*held, classified, "{what}: lock on {table}");
            }
            assert_eq!(
                seen.rewritten,
                impact.effect() == Effect::Rewrite,
                "{what}: rewrite"
            );
            assert_eq!(
                seen.scanned,
                impact.effect() >= Effect::Scan,
                "{what}: scan"
            );
        }
    });
}

/// The online plan's statement forms against the server: each statement that may run in a
/// transaction is run alone in one and must take exactly the locks, scans and (no) rewrite its
/// `OnlineForm` is classified with (`autogen_diff::impact::online`); the CONCURRENTLY forms
/// run in autocommit (their SHARE UPDATE EXCLUSIVE is documented, "CREATE INDEX", Building
/// Indexes Concurrently) and must leave a valid index.
#[test]
fn online_forms_take_the_locks_they_are_classified_with() {
    use autogen_diff::impact::online::classify_online;
    use autogen_diff::impact::{Effect, Lock};
    let db = TestDb::new().unwrap();
    db.batch_execute(
        "CREATE TABLE p (id int PRIMARY KEY); INSERT INTO p VALUES (1), (2); \
         CREATE TABLE c (id int, p_id int, n int, e text); \
         INSERT INTO c VALUES (1, 1, 1, 'a'), (2, 2, 2, 'b');",
    )
    .unwrap();
    let rt = runtime();
    let current = rt
        .block_on(autogen_introspect::introspect(
            db.url(),
            &autogen_introspect::Options::default(),
        ))
        .unwrap();
    let fk = ForeignKey::new("c_p_fk", &["p_id"], "public", "p", &["id"]);
    let plan = Plan {
        changes: vec![
            Change::SetNotNull {
                table: q("c"),
                column: "n".into(),
            },
            Change::AddIndex {
                table: q("c"),
                index: Index::on_columns("c_n_idx", &["n"], false),
            },
            Change::AddIndex {
                table: q("c"),
                index: Index {
                    constraint: true,
                    ..Index::on_columns("c_e_key", &["e"], true)
                },
            },
            Change::AddForeignKey {
                table: q("c"),
                foreign_key: fk,
            },
            Change::AddCheck {
                table: q("c"),
                check: autogen_schema::Check {
                    name: "c_n_check".into(),
                    expression: "(n > 0)".into(),
                    no_inherit: false,
                    not_valid: false,
                },
            },
        ],
        notes: vec![],
    };
    let online = autogen_codegen::Online {
        lock_timeout: None,
        statement_timeout: None,
    };
    let steps = autogen_codegen::lower_with(&plan, &current, Some(&online));
    let mut checked = 0;
    rt.block_on(async {
        let client = db.connect().await.unwrap();
        for step in &steps {
            for stmt in &step.statements {
                let sql = stmt.sql();
                let form = stmt
                    .online
                    .as_ref()
                    .expect("every statement has an online form");
                if form.concurrently() {
                    client
                        .batch_execute(&sql)
                        .await
                        .unwrap_or_else(|e| panic!("{sql}: {e}"));
                    continue;
                }
                let impact = classify_online(form);
                let seen = observe_sql(&client, std::slice::from_ref(&sql), "c", &["c", "p"]).await;
                for (table, held) in &seen.locks {
                    let classified = impact
                        .locks
                        .iter()
                        .filter(|l| &l.table == table)
                        .map(|l| l.lock)
                        .max()
                        .unwrap_or(Lock::None);
                    assert_eq!(*held, classified, "{sql}: lock on {table}");
                }
                assert!(!seen.rewritten, "{sql}");
                assert_eq!(seen.scanned, impact.effect() >= Effect::Scan, "{sql}: scan");
                checked += 1;
            }
        }
        let invalid: i64 = client
            .query_one("SELECT count(*) FROM pg_index WHERE NOT indisvalid", &[])
            .await
            .unwrap()
            .get(0);
        assert_eq!(invalid, 0);
    });
    // SET NOT NULL: 4 statements; the unique: USING INDEX; FK and CHECK: NOT VALID + VALIDATE.
    assert_eq!(checked, 9);
}
