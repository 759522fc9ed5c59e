//! The comparison every command shares: load the entities (desired), make sure the database is
//! at head, introspect it (current), and diff.

use anyhow::{Result, anyhow, bail};
use autogen_diff::{DiffOptions, Plan};
use autogen_schema::Schema;

use crate::config::Settings;
use crate::db;

/// The entities' schema. Diagnostics go to stderr; any error-level one fails the command.
pub fn desired(settings: &Settings) -> Result<Schema> {
    if settings.entities.is_empty() {
        bail!(
            "no entity directory configured; set `entities` in autogen.toml (run `autogen init`) or pass --entities DIR"
        );
    }
    for root in &settings.entities {
        if !root.exists() {
            bail!(
                "entity path {} does not exist; fix `entities` in autogen.toml or --entities",
                root.display()
            );
        }
    }
    let loaded = autogen_entity::load(
        &settings.entities,
        &autogen_entity::LoadOptions {
            default_schema: settings.default_schema(),
            type_overrides: settings.types.clone(),
        },
    );
    for d in &loaded.diagnostics {
        eprintln!("{d}");
    }
    if loaded.has_errors() {
        let n = loaded
            .diagnostics
            .iter()
            .filter(|d| d.severity == autogen_entity::Severity::Error)
            .count();
        bail!(
            "{n} error(s) in the entity files; fix them (or declare unknown types under [types] in autogen.toml)"
        );
    }
    Ok(loaded.schema)
}

/// The database's schema, read-only, restricted to the configured schemas and exclusions (what
/// `inspect` shows and `init` lists).
pub async fn current(settings: &Settings, url: &str) -> Result<Schema> {
    introspect(settings, url, settings.exclude_tables.clone()).await
}

/// The database's schema as the differ needs it: excluded tables included. The differ leaves
/// them alone ([`DiffOptions::exclude_tables`]) but must see what they use, so that an enum type
/// of an excluded table's column, or a table or column an excluded table's foreign key
/// references, is kept rather than dropped. The entities' schemas may be missing.
async fn current_for_diff(settings: &Settings, url: &str, desired: &Schema) -> Result<Schema> {
    introspect_with(settings, url, Vec::new(), entity_schemas(desired)).await
}

/// Every Postgres schema an entity's table or enum lives in, in first-seen order.
fn entity_schemas(desired: &Schema) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let names = desired.tables.iter().map(|t| &t.schema);
    for s in names.chain(desired.enums.iter().map(|e| &e.schema)) {
        if !out.contains(s) {
            out.push(s.clone());
        }
    }
    out
}

/// The schemas compared: without an explicit list, the default (`public`) plus every schema
/// the entities name; with `--schema` / `schemas`, exactly that list, and an entity outside it
/// is an error naming the entity (never a silent skip).
pub fn compared_schemas(settings: &Settings, desired: &Schema) -> Result<Vec<String>> {
    let mut schemas = settings.schemas.clone();
    if settings.schemas_explicit {
        let outside: Vec<String> = desired
            .tables
            .iter()
            .filter(|t| !schemas.contains(&t.schema))
            .map(|t| match &t.origin {
                Some(o) => format!("{o}: entity {}", t.qualified_name()),
                None => format!("entity {}", t.qualified_name()),
            })
            .chain(
                desired
                    .enums
                    .iter()
                    .filter(|e| !schemas.contains(&e.schema))
                    .map(|e| match &e.origin {
                        Some(o) => format!("{o}: enum {}", e.qualified_name()),
                        None => format!("enum {}", e.qualified_name()),
                    }),
            )
            .collect();
        if !outside.is_empty() {
            bail!(
                "{} outside the compared schemas ({}):\n  {}\nadd the schema to `schemas` in autogen.toml or to --schema, or leave the list out to compare every schema the entities name",
                if outside.len() == 1 {
                    "an entity is"
                } else {
                    "entities are"
                },
                schemas.join(", "),
                outside.join("\n  ")
            );
        }
    } else {
        for s in entity_schemas(desired) {
            if !schemas.contains(&s) {
                schemas.push(s);
            }
        }
    }
    Ok(schemas)
}

async fn introspect(settings: &Settings, url: &str, exclude_tables: Vec<String>) -> Result<Schema> {
    introspect_with(settings, url, exclude_tables, Vec::new()).await
}

/// `optional_schemas` may be missing in the database (entities name them): the differ creates
/// them.
async fn introspect_with(
    settings: &Settings,
    url: &str,
    mut exclude_tables: Vec<String>,
    optional_schemas: Vec<String>,
) -> Result<Schema> {
    exclude_tables.push(crate::config::BOOKKEEPING_TABLE.into());
    let opts = autogen_introspect::Options {
        schemas: settings.schemas.clone(),
        exclude_tables,
        optional_schemas,
    };
    autogen_introspect::introspect(url, &opts)
        .await
        .map_err(|e| anyhow!("{e}"))
}

pub fn diff_options(settings: &Settings) -> DiffOptions {
    DiffOptions {
        strict_names: settings.strict_names,
        strict_defaults: settings.strict_defaults,
        strict_identity: settings.strict_identity,
        strict_types: settings.strict_types,
        column_renames: settings
            .renames
            .columns
            .iter()
            .map(|(old, to)| {
                let (table, from) = old.rsplit_once('.').unwrap_or(("", old));
                autogen_diff::ColumnRename {
                    table: table.into(),
                    from: from.into(),
                    to: to.clone(),
                }
            })
            .collect(),
        table_renames: settings
            .renames
            .tables
            .iter()
            .map(|(from, to)| autogen_diff::TableRename {
                from: from.clone(),
                to: to.clone(),
            })
            .collect(),
        exclude_tables: settings.exclude_tables.clone(),
        schemas: settings.schemas.clone(),
    }
}

/// The entities' schema with every CHECK and default Postgres analyzes to the same expression as
/// the database's spelled as the database spells it (see `autogen_schema::analysis`); no query
/// when every stated expression already matches as text.
pub async fn analyzed(mut desired: Schema, current: &Schema, url: &str) -> Result<Schema> {
    let probes = autogen_schema::analysis::probes(&desired, current);
    if !probes.is_empty() {
        let answers = autogen_introspect::analyze(url, &probes)
            .await
            .map_err(|e| anyhow!("{e}"))?;
        autogen_schema::analysis::reconcile(&mut desired, current, &answers);
    }
    Ok(desired)
}

/// Desired and current schemas and the plan between them.
pub struct Comparison {
    pub desired: Schema,
    pub current: Schema,
    pub plan: Plan,
    /// Kept alive so an ephemeral cluster outlives the comparison's use.
    pub target: db::Target,
}

/// Loads, checks the head, introspects, diffs. Entity errors are reported before any
/// database work.
pub async fn compare(settings: &Settings) -> Result<Comparison> {
    let desired = desired(settings)?;
    let settings = &Settings {
        schemas: compared_schemas(settings, &desired)?,
        ..settings.clone()
    };
    let target = db::target(settings).await?;
    if let Some(dir) = &settings.migrations {
        crate::head::ensure_at_head(&target.url, &settings.default_schema(), dir).await?;
    }
    let current = current_for_diff(settings, &target.url, &desired).await?;
    let desired = analyzed(desired, &current, &target.url).await?;
    let plan = autogen_diff::diff(&desired, &current, &diff_options(settings));
    Ok(Comparison {
        desired,
        current,
        plan,
        target,
    })
}
