//! The target database: its URL (configured, or an ephemeral cluster with the migration crate
//! applied), connection descriptions with the password redacted, and read-only connections.

use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{Context, Result, anyhow, bail};

use crate::config::Settings;
use autogen_pgtemp::url::redact;

/// The database to compare with. Holds the ephemeral cluster (if any) so it lives as long as
/// the comparison; dropping it stops and removes the cluster.
pub struct Target {
    pub url: String,
    pub ephemeral: Option<autogen_pgtemp::Cluster>,
}

/// A configured URL, or else an ephemeral cluster with the migration crate's migrations applied.
pub async fn target(settings: &Settings) -> Result<Target> {
    if let Some(t) = settings.targets.first()
        && t.url.is_none()
    {
        bail!(
            "the target {} in {} is not set",
            t.source,
            crate::config::FILE_NAME
        );
    }
    if let Some(url) = &settings.database_url {
        return Ok(Target {
            url: url.clone(),
            ephemeral: None,
        });
    }
    crate::warnln!(
        "autogen: no database configured (--database-url, database_url in autogen.toml, {}); \
         starting an ephemeral PostgreSQL cluster",
        settings.database_url_source.trim_end_matches(" (not set)")
    );
    let cluster = tokio::task::spawn_blocking(|| {
        autogen_pgtemp::Cluster::start_with(|line| crate::warnln!("{line}"))
    })
        .await
        .context("the ephemeral cluster's start-up task failed")?
        .map_err(|e| anyhow!("cannot start an ephemeral PostgreSQL cluster: {e}; install PostgreSQL (initdb, postgres) or set DATABASE_URL"))?;
    let url = cluster.url().to_string();
    if let Some(dir) = &settings.migrations {
        crate::warnln!(
            "autogen: applying the migrations with `cargo run --manifest-path {} -- -u URL up` \
             (the crate's first build can take minutes)",
            crate::config::shown(&dir.join("Cargo.toml"))
        );
        let dir = dir.clone();
        let url2 = url.clone();
        tokio::task::spawn_blocking(move || apply_migrations(&dir, &url2))
            .await
            .context("the migration task failed")?
            .map_err(|e| {
                anyhow!(
                    "{e}; or configure a database URL to compare with a database you migrate \
                     yourself"
                )
            })?;
    }
    if settings.migrations.is_none() {
        crate::warnln!("autogen: no migration crate configured: comparing with an empty database");
    }
    crate::warnln!("autogen: comparing with the ephemeral database (it is removed on exit)");
    Ok(Target {
        url,
        ephemeral: Some(cluster),
    })
}

/// Builds and runs the migration crate's own binary: `cargo build`, then `cargo run -- -u URL
/// up`. The crate's own target dir (or `CARGO_TARGET_DIR`) is reused, so repeated runs only
/// link. A first build takes minutes: on a terminal cargo's own progress bar shows; otherwise a
/// line with the elapsed time every 30 s says what autogen is waiting for.
pub fn apply_migrations(dir: &Path, url: &str) -> Result<()> {
    build_migrations(dir)?;
    run_migrator(dir, url, &["up"])
}

/// `cargo build` of the migration crate at `dir` (see [`apply_migrations`]).
pub fn build_migrations(dir: &Path) -> Result<()> {
    let manifest = dir.join("Cargo.toml");
    if !manifest.is_file() {
        bail!(
            "no migration crate at {} (Cargo.toml missing); set `migrations` in autogen.toml",
            dir.display()
        );
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let shown = crate::config::shown(&manifest);
    let started = std::time::Instant::now();
    let on_terminal = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let mut build = Command::new(&cargo);
    build
        .args(["build", "--manifest-path"])
        .arg(&manifest)
        .stdin(Stdio::null())
        .stdout(Stdio::from(std::io::stderr()));
    if !on_terminal {
        build.arg("--quiet");
    }
    let mut child = build
        .spawn()
        .with_context(|| format!("cannot run `{cargo}`; is Rust installed?"))?;
    let status = loop {
        match child
            .try_wait()
            .context("waiting for `cargo build` failed")?
        {
            Some(status) => break status,
            None => {
                let secs = started.elapsed().as_secs();
                if !on_terminal && secs > 0 && secs.is_multiple_of(30) {
                    crate::warnln!(
                        "autogen: still building the migration crate {shown} ({secs} s)"
                    );
                }
                std::thread::sleep(std::time::Duration::from_secs(1));
            }
        }
    };
    if !status.success() {
        bail!(
            "`cargo build --manifest-path {shown}` failed ({status}); the migration crate must \
             build"
        );
    }
    if started.elapsed().as_secs() >= 5 {
        crate::warnln!(
            "autogen: built the migration crate in {} s",
            started.elapsed().as_secs()
        );
    }
    Ok(())
}

/// `cargo run -- -u URL ARGS…` of the (built) migration crate at `dir`: its own command line,
/// e.g. `up` or `up -n 1`. Its output goes to stderr.
pub fn run_migrator(dir: &Path, url: &str, args: &[&str]) -> Result<()> {
    let manifest = dir.join("Cargo.toml");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let shown = crate::config::shown(&manifest);
    let output = Command::new(&cargo)
        .args(["run", "--quiet", "--manifest-path"])
        .arg(&manifest)
        .args(["--", "-u", url])
        .args(args)
        .stdin(Stdio::null())
        .output()
        .with_context(|| format!("cannot run `{cargo}`; is Rust installed?"))?;
    let status = output.status;
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    // The migrator's own lines ("Applying migration …") are progress: `--quiet` drops them
    // unless it failed.
    if !status.success() || !crate::style::quiet() {
        eprint!("{said}");
    }
    if !status.success() {
        if let Some(help) = migrator_failure_help(&said) {
            bail!(
                "`cargo run --manifest-path {shown} -- -u URL {}` failed ({status}): {help}",
                args.join(" ")
            );
        }
        bail!(
            "`cargo run --manifest-path {shown} -- -u URL {}` failed ({status}); the migration \
             crate must have a binary calling `cli::run_cli` (as `sea-orm-cli migrate init` \
             creates it)",
            args.join(" ")
        );
    }
    Ok(())
}

/// What a failed migrator run's output says about a cause the user can fix, as advice.
fn migrator_failure_help(said: &str) -> Option<&'static str> {
    if said.contains("has no supporting driver") {
        // SeaORM's answer to a postgres:// URL when the crate was built without sqlx-postgres
        // (a crate whose default feature is another database).
        return Some(
            "the migration crate was built without the Postgres driver; make its default features \
             enable sea-orm-migration's `sqlx-postgres` feature (its Cargo.toml)",
        );
    }
    None
}

/// How long to wait for a server that does not answer (a firewalled host drops packets).
const CONNECT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// Connects for reading only (`default_transaction_read_only`), naming host and database on
/// failure with the password redacted.
pub async fn connect_read_only(url: &str) -> Result<tokio_postgres::Client> {
    let connect = tokio_postgres::connect(url, tokio_postgres::NoTls);
    let (client, connection) = tokio::time::timeout(CONNECT_TIMEOUT, connect)
        .await
        .map_err(|_| {
            anyhow!(
                "cannot connect to {}: no answer within {} s; check the host, port and firewall",
                describe(url),
                CONNECT_TIMEOUT.as_secs()
            )
        })?
        .map_err(|e| anyhow!("cannot connect to {}: {}", describe(url), one_line(&e)))?;
    tokio::spawn(async move {
        let _ = connection.await;
    });
    client
        .batch_execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
        .await
        .map_err(|e| {
            anyhow!(
                "cannot configure the session on {}: {}",
                describe(url),
                one_line(&e)
            )
        })?;
    Ok(client)
}

/// A Postgres error as one line (with its cause, which tokio-postgres keeps separately).
pub fn one_line(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let more = s.to_string();
        if !text.contains(&more) {
            text = format!("{text}: {more}");
        }
        source = s.source();
    }
    text.replace('\n', " ")
}

/// `database "blog" on 127.0.0.1:5432 (postgres://u:***@127.0.0.1:5432/blog)`.
pub fn describe(url: &str) -> String {
    let parts = UrlParts::parse(url);
    format!(
        "database \"{}\" on {} ({})",
        parts.database,
        parts.host,
        redact(url)
    )
}

struct UrlParts {
    host: String,
    database: String,
}

impl UrlParts {
    fn parse(url: &str) -> UrlParts {
        let Some((_, rest)) = url.split_once("://") else {
            let get = |key: &str| {
                url.split_whitespace()
                    .find_map(|kv| kv.strip_prefix(key).and_then(|v| v.strip_prefix('=')))
                    .unwrap_or("")
                    .to_string()
            };
            return UrlParts {
                host: get("host"),
                database: get("dbname"),
            };
        };
        let (before_query, query) = rest.split_once('?').unwrap_or((rest, ""));
        let (authority, path) = before_query.split_once('/').unwrap_or((before_query, ""));
        let mut host = authority
            .rsplit_once('@')
            .map_or(authority, |(_, h)| h)
            .to_string();
        let mut database = path.to_string();
        for kv in query.split('&') {
            match kv.split_once('=') {
                Some(("host", h)) if host.is_empty() => host = h.to_string(),
                Some(("dbname", d)) if database.is_empty() => database = d.to_string(),
                _ => {}
            }
        }
        if host.is_empty() {
            host = "localhost".into();
        }
        UrlParts { host, database }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_migrator_without_the_postgres_driver_gets_advice() {
        // What sea-orm-migration's CLI prints when its crate has no sqlx-postgres feature.
        let said = "thread 'main' panicked at src/cli.rs:47:10:\nFail to acquire database \
                    connection: Conn(Internal(\"The connection string 'postgres:///postgres?\
                    host=/tmp/x&port=1' has no supporting driver.\"))\n";
        let help = migrator_failure_help(said).expect("advice");
        assert!(help.contains("`sqlx-postgres`"), "{help}");
        assert!(!help.contains("  "), "one line, single spaces: {help}");
        assert_eq!(migrator_failure_help("error: no such table: users"), None);
    }

    #[test]
    fn redacts_passwords_everywhere() {
        assert_eq!(
            redact("postgres://u:secret@db.example:5432/app"),
            "postgres://u:***@db.example:5432/app"
        );
        assert_eq!(
            redact("postgres://u@h/app?password=secret&sslmode=off"),
            "postgres://u@h/app?password=***&sslmode=off"
        );
        assert_eq!(
            redact("host=h password=secret dbname=d"),
            "host=h password=*** dbname=d"
        );
        assert_eq!(redact("postgres://h/app"), "postgres://h/app");
    }

    #[test]
    fn describes_host_and_database() {
        assert_eq!(
            describe("postgresql://u:pw@10.1.2.3:6543/shop"),
            "database \"shop\" on 10.1.2.3:6543 (postgresql://u:***@10.1.2.3:6543/shop)"
        );
        assert_eq!(
            describe("postgres://postgres@/t?host=/tmp/sock"),
            "database \"t\" on /tmp/sock (postgres://postgres@/t?host=/tmp/sock)"
        );
    }
}
