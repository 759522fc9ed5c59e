//! Temp databases are created and always dropped; an ephemeral cluster starts, serves its URL
//! and leaves nothing behind.

use autogen_pgtemp::{Cluster, TestDb, server_url};

/// Whether a database exists on the temp-database server.
fn database_exists(name: &str) -> bool {
    let name = name.to_string();
    let admin = server_url().expect("server url");
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let (client, conn) = tokio_postgres::connect(&admin, tokio_postgres::NoTls)
                .await
                .unwrap();
            tokio::spawn(conn);
            let row = client
                .query_one(
                    "SELECT count(*) FROM pg_database WHERE datname = $1",
                    &[&name],
                )
                .await
                .unwrap();
            row.get::<_, i64>(0) == 1
        })
    })
    .join()
    .unwrap()
}

#[test]
fn test_db_is_created_usable_and_dropped() {
    let db = TestDb::new().expect("create test database");
    assert!(db.name().starts_with("autogen_test_"), "{}", db.name());
    assert!(db.url().contains(db.name()), "{}", db.url());
    db.batch_execute("CREATE TABLE t (id int); INSERT INTO t VALUES (1);")
        .expect("sql runs");
    let name = db.name().to_string();
    assert!(database_exists(&name));
    drop(db);
    assert!(!database_exists(&name), "{name} still exists after drop");
}

#[test]
fn test_db_is_dropped_when_the_test_panics() {
    let name = std::sync::Mutex::new(String::new());
    let result = std::panic::catch_unwind(|| {
        let db = TestDb::new().expect("create test database");
        *name.lock().unwrap() = db.name().to_string();
        panic!("simulated test failure");
    });
    assert!(result.is_err());
    let name = name.into_inner().unwrap();
    assert!(name.starts_with("autogen_test_"));
    assert!(!database_exists(&name), "{name} survived a panicking test");
}

#[test]
fn test_db_names_are_unique() {
    let a = TestDb::new().unwrap();
    let b = TestDb::new().unwrap();
    assert_ne!(a.name(), b.name());
}

#[tokio::test]
async fn test_db_works_inside_a_tokio_runtime() {
    let blocking = TestDb::new().expect("blocking constructor inside a runtime");
    let asynchronous = TestDb::new_async().await.expect("async constructor");
    for db in [&blocking, &asynchronous] {
        let client = db.connect().await.expect("connect");
        let row = client
            .query_one("SELECT current_database()", &[])
            .await
            .unwrap();
        assert_eq!(row.get::<_, String>(0), db.name());
    }
    let names = [blocking.name().to_string(), asynchronous.name().to_string()];
    drop(blocking);
    drop(asynchronous);
    for name in names {
        assert!(!database_exists(&name), "{name} still exists");
    }
}

#[test]
fn cluster_starts_serves_its_url_and_cleans_up() {
    let cluster = Cluster::start().expect("start ephemeral cluster");
    let dir = cluster.dir().to_path_buf();
    assert!(dir.join("data").join("PG_VERSION").exists());
    let url = cluster.url();
    assert!(url.starts_with("postgres:///postgres?host=/"), "{url}");
    let got = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let (client, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
                .await
                .unwrap();
            tokio::spawn(conn);
            let row = client
                .query_one(
                    "SELECT current_user::text, current_setting('listen_addresses')",
                    &[],
                )
                .await
                .unwrap();
            (row.get::<_, String>(0), row.get::<_, String>(1))
        })
    })
    .join()
    .unwrap();
    assert_eq!(got, ("postgres".to_string(), String::new()));
    // libpq (psql) accepts the same URL form, when psql is installed.
    if let Ok(out) = std::process::Command::new("psql")
        .args([&cluster.url(), "-Atc", "SELECT 41 + 1"])
        .output()
    {
        assert_eq!(
            String::from_utf8_lossy(&out.stdout).trim(),
            "42",
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    drop(cluster);
    assert!(!dir.exists(), "{} still exists after drop", dir.display());
}

#[test]
fn a_cluster_is_removed_when_its_process_exits_without_dropping_it() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_pgtemp-cluster"))
        .arg("--exit")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let dir = stdout
        .lines()
        .find_map(|l| l.split_once("CLUSTER_DIR=").map(|(_, dir)| dir.trim()))
        .unwrap_or_else(|| {
            panic!(
                "child printed no cluster dir: {stdout}\n{}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
    let dir = std::path::Path::new(dir);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while dir.exists() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(!dir.exists(), "{} outlived its process", dir.display());
}
