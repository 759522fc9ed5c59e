//! The benchmark's throwaway database: created on the configured server under a name of its
//! own, loaded with generated DDL, and always dropped afterwards (the caller runs the work
//! through [`with_database`], which drops the database on success, error and panic alike).

use std::future::Future;

use anyhow::Context as _;
use tokio_postgres::{Client, NoTls};

/// The server to use when `DATABASE_URL` is not set.
pub const DEFAULT_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// `DATABASE_URL`, or the local default.
pub fn admin_url() -> String {
    std::env::var("DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| DEFAULT_URL.to_owned())
}

/// `url` with its database name replaced by `database` (query parameters kept).
pub fn with_database_name(url: &str, database: &str) -> anyhow::Result<String> {
    let scheme_end = url.find("://").map(|i| i + 3).with_context(|| {
        format!(
            "DATABASE_URL must be a postgres:// URL, got `{}`",
            redact(url)
        )
    })?;
    let (base, query) = match url.find('?') {
        Some(q) => url.split_at(q),
        None => (url, ""),
    };
    let authority_end = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    Ok(format!("{}/{database}{query}", &base[..authority_end]))
}

/// `url` without its password, for messages.
pub fn redact(url: &str) -> String {
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else {
        return url.to_owned();
    };
    let rest = &url[scheme_end..];
    let authority_end = rest.find('/').unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => match rest[..at].find(':') {
            Some(colon) => format!(
                "{}{}:***{}",
                &url[..scheme_end],
                &rest[..colon],
                &rest[at..]
            ),
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

/// Connects and drives the connection on the runtime.
pub async fn connect(url: &str) -> anyhow::Result<Client> {
    let (client, connection) = tokio_postgres::connect(url, NoTls)
        .await
        .with_context(|| format!("cannot connect to {}", redact(url)))?;
    tokio::spawn(async move {
        // The connection ends when the client is dropped; an error here surfaces on the client.
        let _ = connection.await;
    });
    Ok(client)
}

/// Creates database `name` on the server of `admin_url`, runs `work` with its URL, and drops
/// the database again whatever `work` returned, also when it panicked.
pub async fn with_database<T, F, Fut>(admin_url: &str, name: &str, work: F) -> anyhow::Result<T>
where
    T: Send + 'static,
    F: FnOnce(String) -> Fut,
    Fut: Future<Output = anyhow::Result<T>> + Send + 'static,
{
    let admin = connect(admin_url).await?;
    admin
        .batch_execute(&format!("CREATE DATABASE \"{name}\""))
        .await
        .with_context(|| format!("cannot create database {name} on {}", redact(admin_url)))?;
    let url = with_database_name(admin_url, name)?;
    // A spawned task turns a panic into a JoinError, and Ctrl-C aborts it, so the drop below
    // always runs.
    let mut task = tokio::spawn(work(url));
    let outcome = tokio::select! {
        outcome = &mut task => outcome,
        _ = tokio::signal::ctrl_c() => {
            task.abort();
            eprintln!("interrupted: dropping benchmark database {name}");
            let _ = task.await;
            Ok(Err(anyhow::anyhow!("interrupted")))
        }
    };
    let dropped = admin
        .batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
        .await
        .with_context(|| format!("cannot drop benchmark database {name}; drop it by hand"));
    let result = match outcome {
        Ok(result) => result,
        Err(join_error) => Err(anyhow::anyhow!("benchmark task failed: {join_error}")),
    };
    match (result, dropped) {
        (Ok(value), Ok(())) => Ok(value),
        (Ok(_), Err(drop_error)) => Err(drop_error),
        (Err(error), Ok(())) => Err(error),
        (Err(error), Err(drop_error)) => {
            eprintln!("error: {drop_error:#}");
            Err(error)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_name_is_replaced() {
        let cases = [
            (
                "postgres://postgres@127.0.0.1:5432/postgres",
                "postgres://postgres@127.0.0.1:5432/b1",
            ),
            (
                "postgres://u:pw@h/db?sslmode=disable",
                "postgres://u:pw@h/b1?sslmode=disable",
            ),
            ("postgresql://h:5433", "postgresql://h:5433/b1"),
            ("postgres://h?host=/tmp", "postgres://h/b1?host=/tmp"),
        ];
        for (url, expected) in cases {
            assert_eq!(with_database_name(url, "b1").unwrap(), expected, "{url}");
        }
        assert!(with_database_name("host=localhost", "b1").is_err());
    }

    #[test]
    fn password_is_redacted() {
        assert_eq!(
            redact("postgres://u:secret@h:5432/db"),
            "postgres://u:***@h:5432/db"
        );
        assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
    }
}
