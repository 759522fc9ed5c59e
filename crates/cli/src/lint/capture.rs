//! Every statement the migration crate executes, read from the ephemeral cluster's server log.
//!
//! The cluster is ours, so its logging is set for the run: `log_line_prefix` becomes a random
//! marker with the backend's pid (`ALTER SYSTEM` + `pg_reload_conf()`), so an entry starts
//! exactly where a line starts with the marker and a statement's own lines can never be taken
//! for one; `log_statement = 'all'` is set on the migrated database only (`ALTER DATABASE`), so
//! our own introspection elsewhere is not logged. A prepared statement is logged as `execute
//! <name>: …` with its parameters in the next `DETAIL` line; they are put back into the text so
//! the statement can be replayed on its own. A statement followed by an `ERROR` of the same
//! backend did not take effect and is dropped.

use std::collections::HashMap;
use std::path::Path;

use anyhow::{Context, Result, anyhow, bail};

use super::statement;

/// One server log entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub pid: String,
    /// `LOG`, `DETAIL`, `ERROR`, `STATEMENT`, …
    pub severity: String,
    pub message: String,
}

/// A marker no statement text will contain at the start of a line.
pub fn new_marker() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!("@@autogen-lint-{:x}-{nanos:x}@@", std::process::id())
}

/// Sets the cluster's `log_line_prefix` to `{marker}%p|` and waits until new sessions use it.
pub async fn configure(admin_url: &str, marker: &str) -> Result<()> {
    let client = connect(admin_url).await?;
    let prefix = format!("{marker}%p|");
    // Two queries: ALTER SYSTEM cannot run in the implicit transaction of a multi-statement one.
    for sql in [
        format!(
            "ALTER SYSTEM SET log_line_prefix = {}",
            autogen_schema::ident::literal(&prefix)
        ),
        "SELECT pg_reload_conf()".to_string(),
    ] {
        client.batch_execute(&sql).await.map_err(|e| {
            anyhow!(
                "cannot configure the ephemeral cluster's log: {}",
                crate::db::one_line(&e)
            )
        })?;
    }
    let started = std::time::Instant::now();
    loop {
        let fresh = connect(admin_url).await?;
        let row = fresh
            .query_one("SHOW log_line_prefix", &[])
            .await
            .map_err(|e| anyhow!("cannot read log_line_prefix: {}", crate::db::one_line(&e)))?;
        if row.get::<_, String>(0) == prefix {
            return Ok(());
        }
        if started.elapsed() > std::time::Duration::from_secs(10) {
            bail!("the ephemeral cluster did not reload its log settings within 10 s");
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

/// A superuser connection to our own cluster.
pub async fn connect(url: &str) -> Result<tokio_postgres::Client> {
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .map_err(|e| {
            anyhow!(
                "cannot connect to the ephemeral cluster: {}",
                crate::db::one_line(&e)
            )
        })?;
    tokio::spawn(async move {
        let _ = connection.await;
    });
    Ok(client)
}

/// The log's length now: where the next run's entries start.
pub fn log_len(log: &Path) -> Result<u64> {
    Ok(std::fs::metadata(log)
        .with_context(|| format!("cannot read the cluster log {}", log.display()))?
        .len())
}

/// The log's text from byte `from` on.
pub fn read_from(log: &Path, from: u64) -> Result<String> {
    use std::io::{Read, Seek, SeekFrom};
    let mut f = std::fs::File::open(log)
        .with_context(|| format!("cannot read the cluster log {}", log.display()))?;
    f.seek(SeekFrom::Start(from))
        .with_context(|| format!("cannot read the cluster log {}", log.display()))?;
    let mut bytes = Vec::new();
    f.read_to_end(&mut bytes)
        .with_context(|| format!("cannot read the cluster log {}", log.display()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// The entries of a log text: a line starting with the marker starts one; any other line
/// continues the previous entry's message (Postgres indents those lines with a tab).
pub fn entries(text: &str, marker: &str) -> Vec<Entry> {
    let mut out: Vec<Entry> = Vec::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix(marker) {
            let (pid, rest) = rest.split_once('|').unwrap_or(("", rest));
            let (severity, message) = rest.split_once(":  ").unwrap_or(("", rest));
            out.push(Entry {
                pid: pid.to_string(),
                severity: severity.to_string(),
                message: message.to_string(),
            });
        } else if let Some(last) = out.last_mut() {
            last.message.push('\n');
            last.message
                .push_str(line.strip_prefix('\t').unwrap_or(line));
        }
    }
    out
}

/// The statements executed, in order, each as it can be run again on its own: simple queries
/// split at top-level `;`, prepared ones with their logged parameters put back.
pub fn executed(entries: &[Entry]) -> Vec<String> {
    // Per backend: the range of `out` its last logged query produced.
    let mut last: HashMap<&str, (usize, usize)> = HashMap::new();
    let mut out: Vec<Option<String>> = Vec::new();
    for e in entries {
        match e.severity.as_str() {
            "LOG" => {
                let text = if let Some(s) = e.message.strip_prefix("statement: ") {
                    Some(s)
                } else if let Some(s) = e.message.strip_prefix("execute ") {
                    s.split_once(": ").map(|(_, sql)| sql)
                } else {
                    None
                };
                if let Some(sql) = text {
                    let start = out.len();
                    out.extend(statement::split(sql).into_iter().map(Some));
                    last.insert(&e.pid, (start, out.len()));
                }
            }
            "DETAIL" => {
                if let (Some(p), Some(&(start, end))) = (
                    e.message.strip_prefix("parameters: "),
                    last.get(e.pid.as_str()),
                ) && end == start + 1
                    && let Some(params) = statement::parse_parameters(p)
                    && let Some(Some(sql)) = out.get_mut(start)
                {
                    *sql = statement::substitute(sql, &params);
                }
            }
            // An ERROR ends the statement that was running. A FATAL does not say that: when
            // the migrator exits, its idle pooled sessions log "could not send data to client"
            // and "FATAL: connection to client lost" after their last statement succeeded.
            "ERROR" => {
                if let Some((start, end)) = last.remove(e.pid.as_str()) {
                    for s in &mut out[start..end] {
                        *s = None;
                    }
                }
            }
            _ => {}
        }
    }
    out.into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_with_parameters_and_failures() {
        let m = "@@m@@";
        let log = format!(
            "{m}10|LOG:  statement: BEGIN\n\
             {m}10|LOG:  execute sqlx_s_1: INSERT INTO t (a, b) VALUES ($1, $2)\n\
             {m}10|DETAIL:  parameters: $1 = 'x', $2 = NULL\n\
             {m}11|LOG:  statement: CREATE INDEX CONCURRENTLY i\n\
             \tON t (a); SELECT 1\n\
             {m}12|LOG:  statement: SELECT broken\n\
             {m}12|ERROR:  column \"broken\" does not exist\n\
             {m}12|STATEMENT:  SELECT broken\n\
             {m}11|LOG:  could not send data to client: Broken pipe\n\
             {m}11|FATAL:  connection to client lost\n\
             some unrelated line before any entry is ignored only at the start\n"
        );
        let e = entries(&log, m);
        assert_eq!(
            e[3].message,
            "statement: CREATE INDEX CONCURRENTLY i\nON t (a); SELECT 1"
        );
        assert_eq!(
            executed(&e),
            [
                "BEGIN",
                "INSERT INTO t (a, b) VALUES ('x', NULL)",
                "CREATE INDEX CONCURRENTLY i\nON t (a)",
                "SELECT 1"
            ]
        );
    }
}
