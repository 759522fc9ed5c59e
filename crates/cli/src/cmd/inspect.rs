//! `autogen inspect`: print the database's schema (or, with `--entities`, the entities') as
//! psql-`\d`-like text, JSON, a Mermaid `erDiagram` or a Graphviz digraph; `--table` narrows it.

use anyhow::{Result, bail};
use autogen_codegen::diagram;

use crate::opt::{InspectFormat, InspectOpt, Opt};
use crate::{Outcome, config, db, project};

pub async fn run(opt: &Opt, o: &InspectOpt) -> Result<Outcome> {
    let settings = config::load(&opt.project, &opt.connect)?;
    super::fleet::single(&settings, "inspect")?;
    let mut schema = if !opt.project.entities.is_empty() {
        project::desired(&settings)?
    } else {
        let settings = config::Settings {
            schemas: project::inspected_schemas(&settings),
            ..settings
        };
        let target = db::target(&settings).await?;
        project::current(&settings, &target.url).await?
    };
    let filter = diagram::Filter {
        schemas: opt.connect.schemas.clone(),
        tables: o.tables.clone(),
    };
    let unmatched = filter.unmatched(&schema);
    if !unmatched.is_empty() {
        let mut known: Vec<String> = schema
            .tables
            .iter()
            .map(|t| t.qualified_name().to_string())
            .collect();
        known.sort();
        bail!(
            "--table {}: no such table (tables: {})",
            unmatched.join(", "),
            if known.is_empty() {
                "none".to_string()
            } else {
                known.join(", ")
            }
        );
    }
    match o.format {
        InspectFormat::Text | InspectFormat::Json => {
            if !filter.tables.is_empty() || !filter.schemas.is_empty() {
                let keep: Vec<_> = diagram::of_schema(&schema, &filter)
                    .entities
                    .into_iter()
                    .filter(|e| !e.neighbour)
                    .map(|e| e.table)
                    .collect();
                schema.tables.retain(|t| keep.contains(&t.qualified_name()));
            }
            if o.format == InspectFormat::Text {
                crate::out!("{}", autogen_schema::render::text(&schema));
            } else {
                crate::outln!("{}", serde_json::to_string_pretty(&schema)?);
            }
        }
        InspectFormat::Mermaid => {
            crate::out!(
                "{}",
                diagram::mermaid(&diagram::of_schema(&schema, &filter))
            )
        }
        InspectFormat::Dot => {
            crate::out!("{}", diagram::dot(&diagram::of_schema(&schema, &filter)))
        }
    }
    Ok(Outcome::Ok)
}
