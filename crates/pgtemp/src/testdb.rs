//! A fresh database per test on the configured server, dropped on `Drop`.

use std::hash::{BuildHasher, Hasher};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

use crate::error::pg_message;
use crate::{Cluster, Error, block, url};

/// The server used when `DATABASE_URL` is unset.
pub const DEFAULT_SERVER_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// The admin URL of the server temp databases are created on: `DATABASE_URL` when set; else
/// the local default server when it answers; else the process's shared ephemeral [`Cluster`].
pub fn server_url() -> Result<String, Error> {
    let configured = std::env::var("DATABASE_URL").ok();
    match choose_server(configured.as_deref(), default_server_answers) {
        ServerChoice::Configured(url) => Ok(url),
        ServerChoice::Default => Ok(DEFAULT_SERVER_URL.to_string()),
        ServerChoice::Ephemeral => {
            static NOTICE: OnceLock<()> = OnceLock::new();
            let cluster = Cluster::shared()?;
            NOTICE.get_or_init(|| {
                eprintln!(
                    "pgtemp: DATABASE_URL is unset and {} does not answer; using an ephemeral cluster in {}",
                    url::describe(DEFAULT_SERVER_URL),
                    cluster.dir().display()
                )
            });
            Ok(cluster.url())
        }
    }
}

/// Where temp databases go.
#[derive(Debug, PartialEq, Eq)]
enum ServerChoice {
    Configured(String),
    Default,
    Ephemeral,
}

/// `DATABASE_URL` wins when set (even if unreachable: a configured server that fails is an
/// error, not a reason to silently use another one); else the default server if it answers.
fn choose_server(
    database_url: Option<&str>,
    default_answers: impl FnOnce() -> bool,
) -> ServerChoice {
    match database_url.map(str::trim).filter(|u| !u.is_empty()) {
        Some(url) => ServerChoice::Configured(url.to_string()),
        None if default_answers() => ServerChoice::Default,
        None => ServerChoice::Ephemeral,
    }
}

/// Whether [`DEFAULT_SERVER_URL`] accepts a connection; probed once per process.
fn default_server_answers() -> bool {
    static ANSWERS: OnceLock<bool> = OnceLock::new();
    *ANSWERS.get_or_init(|| {
        block::on_thread("probe", || async {
            let (client, conn) = tokio_postgres::connect(DEFAULT_SERVER_URL, tokio_postgres::NoTls)
                .await
                .map_err(|e| Error::Connect {
                    target: url::describe(DEFAULT_SERVER_URL),
                    message: pg_message(&e),
                })?;
            tokio::spawn(conn);
            drop(client);
            Ok(())
        })
        .is_ok()
    })
}

/// A database created for one test; dropped (`DROP DATABASE … WITH (FORCE)`) when this value
/// is dropped, also while unwinding from a panic.
#[derive(Debug)]
pub struct TestDb {
    name: String,
    url: String,
    admin_url: String,
}

impl TestDb {
    /// Creates a fresh database. Blocking; usable from plain `#[test]`s and from inside a tokio
    /// runtime alike (the work runs on its own thread).
    pub fn new() -> Result<TestDb, Error> {
        let admin_url = server_url()?;
        block::on_thread("create database", move || create(admin_url))
    }

    /// Creates a fresh database without blocking the caller's runtime (after the first call,
    /// which may probe the default server).
    pub async fn new_async() -> Result<TestDb, Error> {
        create(server_url()?).await
    }

    /// The full connection URL of the new database.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The database's name (`autogen_test_<pid>_<n>_<random>`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Runs SQL (several statements allowed) in the database. Blocking, like [`TestDb::new`].
    pub fn batch_execute(&self, sql: &str) -> Result<(), Error> {
        let (url, sql) = (self.url.clone(), sql.to_string());
        block::on_thread("batch_execute", move || async move {
            let client = connect(&url).await?;
            client.batch_execute(&sql).await.map_err(|e| Error::Sql {
                target: url::describe(&url),
                statement: "batch".into(),
                message: pg_message(&e),
            })
        })
    }

    /// Connects to the database on the caller's tokio runtime.
    pub async fn connect(&self) -> Result<tokio_postgres::Client, Error> {
        connect(&self.url).await
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let (admin_url, name) = (self.admin_url.clone(), self.name.clone());
        let dropped = block::on_thread("drop database", move || async move {
            let client = connect(&admin_url).await?;
            let sql = format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
            client.batch_execute(&sql).await.map_err(|e| Error::Sql {
                target: url::describe(&admin_url),
                statement: sql.clone(),
                message: pg_message(&e),
            })
        });
        if let Err(e) = dropped {
            eprintln!("pgtemp: cannot drop test database {}: {e}", self.name);
        }
    }
}

async fn create(admin_url: String) -> Result<TestDb, Error> {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let name = format!(
        "autogen_test_{}_{n}_{}",
        std::process::id(),
        random_suffix()
    );
    let url = url::with_database(&admin_url, &name)?;
    let client = connect(&admin_url).await?;
    let sql = format!("CREATE DATABASE \"{name}\" TEMPLATE template0");
    client.batch_execute(&sql).await.map_err(|e| Error::Sql {
        target: url::describe(&admin_url),
        statement: sql,
        message: pg_message(&e),
    })?;
    Ok(TestDb {
        name,
        url,
        admin_url,
    })
}

async fn connect(url: &str) -> Result<tokio_postgres::Client, Error> {
    let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .map_err(|e| Error::Connect {
            target: url::describe(url),
            message: pg_message(&e),
        })?;
    tokio::spawn(async move {
        let _ = conn.await;
    });
    Ok(client)
}

/// Six random hex digits (from the standard library's randomly seeded hasher).
pub(crate) fn random_suffix() -> String {
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0),
    );
    format!("{:06x}", h.finish() & 0xff_ffff)
}

#[cfg(test)]
mod tests {
    use super::{ServerChoice, choose_server};

    #[test]
    fn database_url_then_default_server_then_ephemeral_cluster() {
        let unreachable = || false;
        let reachable = || true;
        let cases = [
            (
                Some("postgres://h/db"),
                false,
                ServerChoice::Configured("postgres://h/db".into()),
            ),
            (
                Some("postgres://h/db"),
                true,
                ServerChoice::Configured("postgres://h/db".into()),
            ),
            (Some("  "), true, ServerChoice::Default),
            (None, true, ServerChoice::Default),
            (None, false, ServerChoice::Ephemeral),
            (Some(""), false, ServerChoice::Ephemeral),
        ];
        for (env, answers, want) in cases {
            let got = if answers {
                choose_server(env, reachable)
            } else {
                choose_server(env, unreachable)
            };
            assert_eq!(
                got, want,
                "DATABASE_URL={env:?}, default answers: {answers}"
            );
        }
    }
}
