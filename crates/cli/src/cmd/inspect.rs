//! `autogen inspect`: print the database's schema (or, with `--entities`, the entities') as
//! psql-`\d`-like text or JSON.

use anyhow::Result;

use crate::opt::{InspectFormat, InspectOpt, Opt};
use crate::{Outcome, config, db, project};

pub async fn run(opt: &Opt, o: &InspectOpt) -> Result<Outcome> {
    let settings = config::load(&opt.project, &opt.connect)?;
    super::fleet::single(&settings, "inspect")?;
    let schema = if !opt.project.entities.is_empty() {
        project::desired(&settings)?
    } else {
        let target = db::target(&settings).await?;
        project::current(&settings, &target.url).await?
    };
    match o.format {
        InspectFormat::Text => crate::out!("{}", autogen_schema::render::text(&schema)),
        InspectFormat::Json => crate::outln!("{}", serde_json::to_string_pretty(&schema)?),
    }
    Ok(Outcome::Ok)
}
