//! `check` and `diff --format json` over several targets or tenant schemas: one grouped report
//! ([`crate::fleet_report`]); exit 0 all in sync, 1 drift, 2 when any target or schema could
//! not be checked (after the report, which still shows the others).

use anyhow::{Result, bail};

use crate::config::Settings;
use crate::fleet::{self, Limits};
use crate::opt::{CheckFormat, DiffFormat, FleetOpt};
use crate::{Outcome, fleet_report};

pub async fn check(settings: &Settings, flags: &FleetOpt, format: CheckFormat) -> Result<Outcome> {
    if format == CheckFormat::Markdown {
        fleet::refuse(settings, "check --format markdown")
            .map_err(|e| anyhow::anyhow!("{e:#}; a fleet check reports as text, json or github"))?;
        bail!("check --format markdown reports on one database and schema");
    }
    let limits = Limits::new(flags, &settings.fleet)?;
    let fleet = fleet::run(settings, limits).await?;
    let grouped = fleet_report::group(&fleet);
    match format {
        CheckFormat::Markdown => {
            bail!("check --format markdown reports on one database and schema")
        }
        CheckFormat::Text => crate::out!("{}", fleet_report::text(&grouped)),
        CheckFormat::Github => crate::out!("{}", fleet_report::github(&grouped)),
        CheckFormat::Json => crate::outln!(
            "{}",
            serde_json::to_string_pretty(&fleet_report::json(&fleet, &grouped, false))?
        ),
    }
    outcome(&grouped)
}

pub async fn diff(settings: &Settings, flags: &FleetOpt, format: DiffFormat) -> Result<Outcome> {
    if format != DiffFormat::Json {
        fleet::refuse(settings, "diff --format text/sql")
            .map_err(|e| anyhow::anyhow!("{e:#}; `diff --format json` reports every target"))?;
    }
    let limits = Limits::new(flags, &settings.fleet)?;
    let fleet = fleet::run(settings, limits).await?;
    let grouped = fleet_report::group(&fleet);
    crate::outln!(
        "{}",
        serde_json::to_string_pretty(&fleet_report::json(&fleet, &grouped, true))?
    );
    match outcome(&grouped)? {
        Outcome::Drift => Ok(Outcome::Ok),
        other => Ok(other),
    }
}

fn outcome(g: &fleet_report::Grouped<'_>) -> Result<Outcome> {
    if !g.errors.is_empty() {
        return Err(fleet::errors_error(g.errors.len()));
    }
    if g.groups.is_empty() {
        Ok(Outcome::Ok)
    } else {
        Ok(Outcome::Drift)
    }
}

/// `bail!` with a fleet: used by the commands that work on one database.
pub fn single(settings: &Settings, command: &str) -> Result<()> {
    if settings.is_fleet() || settings.targets.first().is_some_and(|t| t.url.is_none()) {
        fleet::refuse(settings, command)?;
        bail!("{command} works on one database");
    }
    Ok(())
}
