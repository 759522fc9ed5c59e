//! `autogen diff`: the plan as text, SQL (up and down) or JSON; writes nothing.

use anyhow::Result;

use crate::opt::{DiffFormat, DiffOpt, Opt};
use crate::{Outcome, config, project};

pub async fn run(opt: &Opt, o: &DiffOpt) -> Result<Outcome> {
    let settings = config::load(&opt.project, &opt.connect)?;
    let cmp = project::compare(&settings).await?;
    let plan = &cmp.plan;
    match o.format {
        DiffFormat::Text if plan.is_empty() => println!("no changes"),
        DiffFormat::Text => {
            for c in &plan.changes {
                let mark = if c.is_destructive() {
                    "WARNING destructive: "
                } else {
                    ""
                };
                println!("{mark}{}", c.describe());
            }
        }
        DiffFormat::Sql => {
            project::ensure_types_spelled(plan)?;
            println!("-- up\n{}", autogen_codegen::sql(plan));
            println!("-- down\n{}", autogen_codegen::sql(&plan.inverse()));
        }
        DiffFormat::Json => println!("{}", serde_json::to_string_pretty(plan)?),
    }
    for f in &cmp.findings {
        eprintln!("{f}");
    }
    crate::notes::print(&plan.notes.iter().collect::<Vec<_>>(), opt.verbose);
    Ok(Outcome::Ok)
}
