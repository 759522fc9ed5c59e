//! `autogen diff`: the plan as text, SQL (up and down), JSON or a Markdown pull-request report;
//! writes nothing.

use anyhow::Result;

use crate::opt::{DiffFormat, DiffOpt, Opt};
use crate::{Outcome, config, project};

pub async fn run(opt: &Opt, o: &DiffOpt) -> Result<Outcome> {
    let settings = config::load(&opt.project, &opt.connect)?;
    if settings.is_fleet() {
        return super::fleet::diff(&settings, &o.fleet, o.format).await;
    }
    let cmp = project::compare(&settings).await?;
    let plan = &cmp.plan;
    let online = settings.online(o.online);
    let classified = crate::safety::classify_with(plan, &cmp.current, online.as_ref());
    match o.format {
        DiffFormat::Text if plan.is_empty() => crate::outln!("no changes"),
        DiffFormat::Text => {
            for c in &plan.changes {
                let mark = if c.is_destructive() {
                    "WARNING destructive: "
                } else {
                    ""
                };
                crate::outln!("{mark}{}", c.describe());
            }
            for l in crate::safety::lines(&classified, cmp.data.as_ref()) {
                crate::outln!("{l}");
            }
            if let Some(d) = &cmp.data {
                for l in crate::safety::data_lines(plan, d) {
                    crate::outln!("{l}");
                }
            }
        }
        DiffFormat::Sql => {
            project::ensure_types_spelled(plan)?;
            let online = online.as_ref();
            crate::outln!("-- up\n{}", autogen_codegen::sql_with(plan, online));
            crate::outln!(
                "-- down\n{}",
                autogen_codegen::sql_with(&plan.inverse(), online)
            );
        }
        DiffFormat::Markdown => {
            crate::out!(
                "{}",
                crate::markdown::report("autogen diff", &cmp, online.as_ref())
            );
        }
        DiffFormat::Json => {
            // The plan as it serializes, plus each change's lock / rewrite classification.
            let mut json = serde_json::to_value(plan)?;
            json["impacts"] = serde_json::to_value(&classified)?;
            json["data"] = serde_json::to_value(cmp.data.as_ref().map(crate::safety::data_json))?;
            crate::outln!("{}", serde_json::to_string_pretty(&json)?);
        }
    }
    for f in &cmp.findings {
        crate::warnln!("{f}");
    }
    crate::notes::print(&plan.notes.iter().collect::<Vec<_>>(), opt.verbose);
    Ok(Outcome::Ok)
}
