//! The online claim against a real server (issue 11): a table of 200,000 rows gets an index, a
//! unique constraint, a NOT NULL and a foreign key while a concurrent writer (its own
//! connection, a tokio task) inserts into it in a loop. The writer's longest wait for one
//! INSERT is measured under the ordinary plan (run in one transaction, as sea-orm-migration
//! runs a migration) and under the online plan (`autogen_codegen::split` into its migrations,
//! each in a transaction or in autocommit as its `use_transaction()` says). The online plan must
//! never keep the writer waiting longer than its `lock_timeout` (plus a margin for a loaded
//! machine); the ordinary plan must keep it waiting clearly longer (its index builds and scans
//! hold locks that block writes until commit).
//!
//! The statements are the ones the migration files run (codegen's SQL rendering of the same
//! steps), sent over `tokio-postgres` so that no migration crate needs compiling.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use autogen_codegen::Online;
use autogen_diff::{Change, Plan};
use autogen_pgtemp::TestDb;
use autogen_schema::{Index, QualifiedName, Schema};

const ROWS: i64 = 200_000;
/// The online plan's `lock_timeout`.
const LOCK_TIMEOUT: Duration = Duration::from_millis(100);
/// What a loaded 2-core machine may add to one INSERT's round trip (measured under a load
/// average of 11 on 2 cores: the online plan's longest wait was about 30 ms, the ordinary
/// plan's over a second).
const MARGIN: Duration = Duration::from_millis(200);
/// A lock wait that outlived `lock_timeout`: the statement is retried, as an operator would.
const RETRIES: usize = 5;

fn q(name: &str) -> QualifiedName {
    QualifiedName::new("public", name)
}

/// `big` with text columns (their index builds are the expensive part), `parent` as large for
/// the foreign key's validation; statistics taken so the catalog's estimates are real.
fn setup() -> String {
    format!(
        "CREATE TABLE parent (id int PRIMARY KEY); \
         INSERT INTO parent SELECT generate_series(1, {ROWS}); \
         CREATE TABLE big (id bigserial PRIMARY KEY, parent_id int, code text, ref text, note int); \
         INSERT INTO big (parent_id, code, ref, note) \
           SELECT g, md5(g::text), md5((-g)::text), g FROM generate_series(1, {ROWS}) g; \
         ANALYZE big; ANALYZE parent;"
    )
}

/// The plan the differ would make for the four changes, in its order (alters, indexes,
/// foreign keys).
fn plan(current: &Schema) -> Plan {
    let parent = current.table("public", "parent").expect("parent");
    let fk = autogen_schema::ForeignKey {
        name: "big_parent_id_fkey".into(),
        columns: vec!["parent_id".into()],
        ref_schema: "public".into(),
        ref_table: "parent".into(),
        ref_columns: parent
            .primary_key
            .as_ref()
            .expect("parent's key")
            .columns
            .clone(),
        on_delete: autogen_schema::FkAction::NoAction,
        on_update: autogen_schema::FkAction::NoAction,
        match_type: autogen_schema::MatchType::Simple,
        deferrable: false,
        initially_deferred: false,
        actions_stated: autogen_schema::ActionsStated::BOTH,
        not_valid: false,
    };
    Plan {
        changes: vec![
            Change::SetNotNull {
                table: q("big"),
                column: "note".into(),
            },
            Change::AddIndex {
                table: q("big"),
                index: Index::on_columns("big_code_idx", &["code"], false),
            },
            Change::AddIndex {
                table: q("big"),
                index: Index {
                    constraint: true,
                    ..Index::on_columns("big_ref_key", &["ref"], true)
                },
            },
            Change::AddForeignKey {
                table: q("big"),
                foreign_key: fk,
            },
        ],
        notes: vec![],
    }
}

/// How one plan went: the writer's longest wait for an INSERT, its inserts, the plan's run time.
struct Run {
    longest_wait: Duration,
    inserts: u64,
    plan_took: Duration,
    retries: usize,
}

/// One migration as the migrator runs it: its statements, in a transaction or not.
struct Migration {
    statements: Vec<String>,
    transaction: bool,
}

fn ordinary(plan: &Plan) -> Vec<Migration> {
    vec![Migration {
        statements: autogen_codegen::statements(plan),
        transaction: true,
    }]
}

fn online(plan: &Plan, current: &Schema, settings: &Online) -> Vec<Migration> {
    let mut model = current.clone();
    autogen_codegen::split(plan, Some(settings))
        .into_iter()
        .map(|part| {
            let steps = autogen_codegen::lower_with(&part, &model, Some(settings));
            for c in &part.changes {
                autogen_diff::apply(&mut model, c).expect("the part applies");
            }
            Migration {
                transaction: steps
                    .iter()
                    .flat_map(|s| &s.statements)
                    .all(|s| !s.no_transaction),
                statements: autogen_codegen::statements_with(&part, Some(settings)),
            }
        })
        .collect()
}

/// SQLSTATE 55P03: a lock wait outlived `lock_timeout`.
fn lock_timed_out(e: &tokio_postgres::Error) -> bool {
    e.code() == Some(&tokio_postgres::error::SqlState::LOCK_NOT_AVAILABLE)
}

/// Runs the migrations; an autocommit statement whose lock wait timed out is retried (after
/// dropping the INVALID index a timed-out CREATE INDEX CONCURRENTLY leaves). Returns the number
/// of retries.
async fn migrate(client: &tokio_postgres::Client, migrations: &[Migration]) -> usize {
    let mut retries = 0;
    for m in migrations {
        if m.transaction {
            let mut sql = String::from("BEGIN;\n");
            for s in &m.statements {
                sql.push_str(s);
                sql.push_str(";\n");
            }
            sql.push_str("COMMIT;");
            if let Err(e) = client.batch_execute(&sql).await {
                panic!("{sql}\n{e}");
            }
            continue;
        }
        for s in &m.statements {
            let mut attempt = 0;
            loop {
                match client.batch_execute(s).await {
                    Ok(()) => break,
                    Err(e) if lock_timed_out(&e) && attempt < RETRIES => {
                        attempt += 1;
                        retries += 1;
                        let invalid = client
                            .query(
                                "SELECT indexrelid::regclass::text FROM pg_index WHERE NOT indisvalid",
                                &[],
                            )
                            .await
                            .unwrap();
                        for row in invalid {
                            let name: String = row.get(0);
                            client
                                .batch_execute(&format!("DROP INDEX {name}"))
                                .await
                                .unwrap();
                        }
                    }
                    Err(e) => panic!("{s}: {e}"),
                }
            }
        }
    }
    retries
}

/// Runs `migrations` while a writer inserts into `big` on its own connection; the writer's
/// longest INSERT (from sending it to its result) is its longest wait.
async fn with_writer(db: &TestDb, migrations: &[Migration]) -> Run {
    let writer = db.connect().await.expect("writer connection");
    let migrator = db.connect().await.expect("migrator connection");
    // One backend builds each index (no parallel workers): the same work on any machine.
    migrator
        .batch_execute("SET max_parallel_maintenance_workers = 0")
        .await
        .unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let task = {
        let stop = stop.clone();
        tokio::spawn(async move {
            let insert = writer
                .prepare(
                    "INSERT INTO big (parent_id, code, ref, note) \
                     VALUES (1, md5(random()::text), 'w' || md5(random()::text), 1)",
                )
                .await
                .unwrap();
            let mut longest = Duration::ZERO;
            let mut inserts = 0u64;
            while !stop.load(Ordering::Relaxed) {
                let t = Instant::now();
                writer.execute(&insert, &[]).await.expect("insert");
                longest = longest.max(t.elapsed());
                inserts += 1;
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
            (longest, inserts)
        })
    };
    // The writer runs before, during and after the plan.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let t = Instant::now();
    let retries = migrate(&migrator, migrations).await;
    let plan_took = t.elapsed();
    tokio::time::sleep(Duration::from_millis(200)).await;
    stop.store(true, Ordering::Relaxed);
    let (longest_wait, inserts) = task.await.expect("writer task");
    Run {
        longest_wait,
        inserts,
        plan_took,
        retries,
    }
}

#[test]
fn the_online_plan_never_blocks_a_writer_longer_than_lock_timeout() {
    let db = TestDb::new().unwrap();
    db.batch_execute(&setup()).unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let current = rt
        .block_on(autogen_introspect::introspect(
            db.url(),
            &autogen_introspect::Options::default(),
        ))
        .unwrap();
    let plan = plan(&current);
    let settings = Online {
        lock_timeout: Some(format!("{}ms", LOCK_TIMEOUT.as_millis())),
        statement_timeout: None,
    };
    let online_migrations = online(&plan, &current, &settings);
    assert!(
        online_migrations.iter().any(|m| !m.transaction),
        "the online plan has CONCURRENTLY steps"
    );
    let undo = ordinary(&plan.inverse());
    let (plain, on) = rt.block_on(async {
        let plain = with_writer(&db, &ordinary(&plan)).await;
        let client = db.connect().await.unwrap();
        migrate(&client, &undo).await;
        let on = with_writer(&db, &online_migrations).await;
        (plain, on)
    });
    let line = |name: &str, r: &Run| {
        format!(
            "{name}: the writer's longest wait {:?} ({} inserts); the plan took {:?} ({} lock-timeout retries)",
            r.longest_wait, r.inserts, r.plan_took, r.retries
        )
    };
    let report = format!(
        "{}\n{}",
        line("ordinary plan", &plain),
        line(&format!("online plan (lock_timeout {LOCK_TIMEOUT:?})"), &on)
    );
    eprintln!("{report}");
    assert!(plain.inserts > 0 && on.inserts > 0, "{report}");
    let bound = LOCK_TIMEOUT + MARGIN;
    assert!(
        on.longest_wait < bound,
        "the online plan kept the writer waiting longer than lock_timeout + {MARGIN:?}\n{report}"
    );
    assert!(
        plain.longest_wait > bound,
        "the ordinary plan should keep the writer waiting longer than lock_timeout + {MARGIN:?}\n{report}"
    );
    assert!(
        plain.longest_wait > plain.plan_took / 2,
        "the writer should wait through most of the ordinary plan (its locks are held until commit)\n{report}"
    );
    assert!(
        plain.longest_wait > on.longest_wait * 4,
        "the ordinary plan should block the writer clearly longer than the online one\n{report}"
    );
}
