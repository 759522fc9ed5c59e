//! Shared helpers for the introspector's tests: a fresh database loaded with SQL.

use autogen_pgtemp::TestDb;

/// The all-objects fixture.
#[allow(dead_code, reason = "not every test binary loads the fixture")]
pub const ALL_OBJECTS: &str = include_str!("../../../../fixtures/introspect/all_objects.sql");

/// A fresh database with `sql` applied, and a client connected to it.
pub async fn database_with(sql: &str) -> (TestDb, tokio_postgres::Client) {
    let db = TestDb::new_async().await.expect("create a test database");
    let client = db.connect().await.expect("connect to the test database");
    client
        .batch_execute(sql)
        .await
        .expect("load the fixture SQL");
    (db, client)
}
