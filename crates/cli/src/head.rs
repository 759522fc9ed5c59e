//! "Is the database at head?": the `seaql_migrations` rows against the Migrator's modules.
//! Like Alembic's "target database is not up to date", autogen refuses to diff otherwise.

use std::path::Path;

use anyhow::{Result, anyhow, bail};

use crate::db;

/// Pending (registered, not applied) and unknown (applied, not registered) versions.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Status {
    pub pending: Vec<String>,
    pub unknown: Vec<String>,
}

pub fn compare(registered: &[String], applied: &[String]) -> Status {
    Status {
        pending: registered
            .iter()
            .filter(|m| !applied.contains(m))
            .cloned()
            .collect(),
        unknown: applied
            .iter()
            .filter(|v| !registered.contains(v))
            .cloned()
            .collect(),
    }
}

/// The applied versions, read in a read-only session; a database without `seaql_migrations`
/// has none. Looks in `schema` first, then on the search path.
pub async fn applied_versions(url: &str, schema: &str) -> Result<Vec<String>> {
    let client = db::connect_read_only(url).await?;
    let found: Option<String> = client
        .query_one(
            "SELECT coalesce(to_regclass(format('%I.seaql_migrations', $1::text)), \
             to_regclass('seaql_migrations'))::text",
            &[&schema],
        )
        .await
        .map_err(|e| anyhow!("cannot read {}: {}", db::describe(url), db::one_line(&e)))?
        .get(0);
    let Some(table) = found else {
        return Ok(Vec::new());
    };
    let rows = client
        .query(
            &format!("SELECT version FROM {table} ORDER BY version"),
            &[],
        )
        .await
        .map_err(|e| {
            anyhow!(
                "cannot read {table} in {}: {}",
                db::describe(url),
                db::one_line(&e)
            )
        })?;
    Ok(rows.iter().map(|r| r.get::<_, String>(0)).collect())
}

/// Fails (exit 2) unless every registered migration is applied and nothing else is.
pub async fn ensure_at_head(url: &str, schema: &str, migrations: &Path) -> Result<()> {
    let registered = crate::migrator::registered(migrations)?;
    let applied = applied_versions(url, schema).await?;
    let status = compare(&registered, &applied);
    if status == Status::default() {
        return Ok(());
    }
    for m in &status.pending {
        eprintln!("  pending: {m}");
    }
    for m in &status.unknown {
        eprintln!("  unknown: {m} (applied in the database, not registered in the Migrator)");
    }
    let manifest = crate::config::shown(&migrations.join("Cargo.toml"));
    if !status.pending.is_empty() && status.unknown.is_empty() {
        bail!(
            "the database is not at head: {} migration(s) pending ({}); apply them first with \
             `cargo run --manifest-path {} -- -u <URL> up` (or `sea-orm-cli migrate up`){}",
            status.pending.len(),
            status.pending.join(", "),
            manifest,
            baseline_hint(&applied, &status.pending).unwrap_or_default()
        );
    }
    bail!(
        "the database is not at head: it has {} version(s) the migration crate does not know ({}){}; \
         check out the branch that has them or roll them back with `cargo run --manifest-path {} -- down`",
        status.unknown.len(),
        status.unknown.join(", "),
        if status.pending.is_empty() {
            String::new()
        } else {
            format!(
                " and {} pending ({})",
                status.pending.len(),
                status.pending.join(", ")
            )
        },
        manifest
    )
}

/// A database with no applied migration at all is often one that predates the migration crate
/// (autogen adopted on an existing project): running `up` would try to create what exists.
/// The hint says how to record the migrations as applied instead.
fn baseline_hint(applied: &[String], pending: &[String]) -> Option<String> {
    if !applied.is_empty() || pending.is_empty() {
        return None;
    }
    let values: Vec<String> = pending
        .iter()
        .map(|v| {
            format!(
                "('{}', extract(epoch from now())::bigint)",
                v.replace('\'', "''")
            )
        })
        .collect();
    Some(format!(
        "\n  hint: if the database predates the migration crate (the migrations describe tables \
         it already has), do not run `up`; record them as applied instead:\n    \
         CREATE TABLE IF NOT EXISTS seaql_migrations (version varchar PRIMARY KEY, applied_at \
         bigint NOT NULL);\n    INSERT INTO seaql_migrations (version, applied_at) VALUES {};",
        values.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    #[test]
    fn baseline_hint_only_when_nothing_is_applied() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let hint = super::baseline_hint(&[], &s(&["m20220101_000001_init"])).unwrap_or_default();
        expect_test::expect![[r#"
            [
                "",
                "  hint: if the database predates the migration crate (the migrations describe tables it already has), do not run `up`; record them as applied instead:",
                "    CREATE TABLE IF NOT EXISTS seaql_migrations (version varchar PRIMARY KEY, applied_at bigint NOT NULL);",
                "    INSERT INTO seaql_migrations (version, applied_at) VALUES ('m20220101_000001_init', extract(epoch from now())::bigint);",
            ]
        "#]].assert_debug_eq(&hint.lines().collect::<Vec<_>>());
        assert_eq!(super::baseline_hint(&s(&["m1"]), &s(&["m2"])), None);
        assert_eq!(super::baseline_hint(&[], &[]), None);
    }

    #[test]
    fn pending_and_unknown() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let st = super::compare(&s(&["m1", "m2", "m3"]), &s(&["m1", "m9"]));
        assert_eq!(st.pending, s(&["m2", "m3"]));
        assert_eq!(st.unknown, s(&["m9"]));
        assert_eq!(super::compare(&[], &[]), super::Status::default());
    }
}
