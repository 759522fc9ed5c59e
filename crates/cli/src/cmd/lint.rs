//! `autogen lint [--since VERSION] [--deny KINDS]`: the migration crate's newest migrations
//! replayed in an ephemeral cluster, every executed statement classified ([`crate::lint`]);
//! exit 1 when a statement is of a denied kind.

use anyhow::Result;

use crate::opt::{LintFormat, LintOpt, Opt};
use crate::{Outcome, config, lint};

pub async fn run(opt: &Opt, o: &LintOpt) -> Result<Outcome> {
    let settings = config::load(&opt.project, &opt.connect)?;
    let report = lint::run(&settings, o.since.as_deref(), &o.deny).await?;
    match o.format {
        LintFormat::Text => crate::out!("{}", lint::report::text(&report)),
        LintFormat::Json => crate::outln!(
            "{}",
            serde_json::to_string_pretty(&lint::report::json(&report))?
        ),
        LintFormat::Github => crate::out!("{}", lint::report::github(&report)),
    }
    Ok(if report.denied() > 0 {
        Outcome::Denied
    } else {
        Outcome::Ok
    })
}
