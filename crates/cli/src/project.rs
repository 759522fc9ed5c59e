//! The comparison every command shares: load the entities (desired), make sure the database is
//! at head, introspect it (current), and diff.

use anyhow::{Result, anyhow, bail};
use autogen_diff::{Change, DiffOptions, Plan};
use autogen_schema::{Column, Origin, Schema, TypeSource};

use crate::config::Settings;
use crate::db;

/// The entities' schema. Diagnostics and findings go to stderr; any error-level diagnostic
/// fails the command.
pub fn desired(settings: &Settings) -> Result<Schema> {
    let (schema, findings) = entities(settings)?;
    for f in &findings {
        crate::warnln!("{f}");
    }
    Ok(schema)
}

/// The entities' schema and the findings about partial models that disagree (for the command
/// to report). Diagnostics go to stderr; any error-level one fails the command.
pub fn entities(settings: &Settings) -> Result<(Schema, Vec<autogen_entity::Finding>)> {
    if settings.entities.is_empty() {
        bail!(
            "no entity directory configured, and none found below the working directory (a crate depending on sea-orm whose sources derive DeriveEntityModel); set `entities` in autogen.toml (run `autogen init`) or pass --entities DIR"
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
    // Other crates (workspace members, dependencies) are looked up only when some field type
    // is not resolved by the entity crates alone: `cargo metadata` costs 0.1–0.5 s.
    let mut notes = Vec::new();
    let loaded = autogen_entity::load_with_crates(
        &settings.entities,
        &autogen_entity::LoadOptions {
            default_schema: settings.default_schema(),
            type_overrides: settings.types.clone(),
            strict_types: settings.strict_types,
        },
        &mut || {
            let found = crate::cargo_meta::find(&settings.entities);
            notes = found.notes;
            found.crates
        },
    );
    for n in &notes {
        crate::warnln!("note: {n}");
    }
    for d in &loaded.diagnostics {
        if d.severity == autogen_entity::Severity::Error {
            eprintln!("{}", crate::style::err_line(&d.to_string()));
        } else {
            crate::warnln!("{d}");
        }
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
    let mut schema = loaded.schema;
    with_extras(&mut schema, settings)?;
    Ok((schema, loaded.findings))
}

/// Adds what the extras SQL files (`extras` in autogen.toml) declare to the entities' schema.
/// Every problem is printed as `file:line:col: error: …` and fails the command (exit 2).
pub fn with_extras(schema: &mut Schema, settings: &Settings) -> Result<()> {
    let mut errors = Vec::new();
    let mut declared = Vec::new();
    for path in &settings.extras {
        let shown = crate::config::shown(path);
        let text = std::fs::read_to_string(path).map_err(|e| {
            anyhow!("cannot read the extras file {shown}: {e}; fix `extras` in autogen.toml")
        })?;
        match autogen_extras::parse(&shown, &text, &settings.default_schema()) {
            Ok(d) => declared.extend(d),
            Err(e) => errors.extend(e),
        }
    }
    if errors.is_empty()
        && let Err(e) = autogen_extras::apply(schema, &declared)
    {
        errors = e;
    }
    for e in &errors {
        eprintln!("{e}");
    }
    if !errors.is_empty() {
        bail!("{} error(s) in the extras SQL file(s)", errors.len());
    }
    Ok(())
}

/// The database's schema, read-only, restricted to the configured schemas and exclusions (what
/// `inspect` shows and `init` lists).
pub async fn current(settings: &Settings, url: &str) -> Result<Schema> {
    introspect(settings, url, settings.exclude_tables.clone()).await
}

/// The schemas `inspect` reads from the database: the configured ones, plus, without an
/// explicit list, every schema an entity names (the default `compare` uses). The entities are
/// loaded only for their schema names, silently: their diagnostics are `check`'s business, and
/// `inspect` must show the database even when the entities do not load.
pub fn inspected_schemas(settings: &Settings) -> Vec<String> {
    let mut schemas = settings.schemas.clone();
    if settings.schemas_explicit || settings.entities.iter().any(|r| !r.exists()) {
        return schemas;
    }
    let loaded = autogen_entity::load(
        &settings.entities,
        &autogen_entity::LoadOptions {
            default_schema: settings.default_schema(),
            type_overrides: settings.types.clone(),
            strict_types: settings.strict_types,
        },
    );
    for s in entity_schemas(&loaded.schema) {
        if !schemas.contains(&s) {
            schemas.push(s);
        }
    }
    schemas
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
        strict_fk_actions: settings.strict_fk_actions,
        manage: settings.manage,
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
    /// The entities' schema, disagreements between partial models settled against `current`.
    pub desired: Schema,
    /// Partial models that disagree: reported, never drift on their own.
    pub findings: Vec<autogen_entity::Finding>,
    pub current: Schema,
    pub plan: Plan,
    /// The data-aware hazards counted in the database (`None` when the counts failed: said on
    /// stderr).
    pub data: Option<autogen_introspect::hazard_data::DataReport>,
    /// Kept alive so an ephemeral cluster outlives the comparison's use.
    pub target: db::Target,
}

/// Loads, checks the head, introspects, diffs. Entity errors are reported before any
/// database error.
///
/// With a database URL, the entities are loaded on a blocking thread while the catalog queries
/// run ([`speculate`]); the introspection is repeated only when the entities name schemas it
/// did not cover. An ephemeral cluster is started only once the entities loaded without
/// errors.
pub async fn compare(settings: &Settings) -> Result<Comparison> {
    let loader = {
        let settings = settings.clone();
        tokio::task::spawn_blocking(move || entities(&settings))
    };
    let early = settings.database_url.clone().map(|url| {
        let settings = settings.clone();
        tokio::spawn(async move { speculate(&settings, &url).await })
    });
    let loaded = loader
        .await
        .map_err(|e| anyhow!("the entity loader's task failed: {e}"))
        .and_then(|r| r);
    let (mut desired, findings) = match loaded {
        Ok(l) => l,
        Err(e) => {
            if let Some(task) = &early {
                task.abort();
            }
            return Err(e);
        }
    };
    let settings = &Settings {
        schemas: compared_schemas(settings, &desired)?,
        ..settings.clone()
    };
    let target = db::target(settings).await?;
    // After the entities, so that their errors come first and a head report is printed only
    // for valid entities, as before the database was read early.
    if let Some(dir) = &settings.migrations {
        crate::head::ensure_at_head(&target.url, &settings.default_schema(), dir).await?;
    }
    let current = match early {
        Some(early) => {
            let (schemas, current) = early
                .await
                .map_err(|e| anyhow!("the database task failed: {e}"))??;
            if reusable(&schemas, &current, settings, &desired) {
                current
            } else {
                current_for_diff(settings, &target.url, &desired).await?
            }
        }
        None => current_for_diff(settings, &target.url, &desired).await?,
    };
    autogen_entity::settle_disagreements(&mut desired, &current, &findings);
    autogen_entity::place_unqualified_enums(&mut desired, &current);
    let desired = analyzed(desired, &current, &target.url).await?;
    let plan = autogen_diff::diff(&desired, &current, &diff_options(settings));
    let data = crate::safety::measure(&target.url, &plan, &current, settings.hazard_timeout).await;
    Ok(Comparison {
        desired,
        findings,
        current,
        plan,
        data,
        target,
    })
}

/// The database work that does not need the entities, done while they load: the
/// introspection of the schemas compared when the entities name no others (each of them
/// optional: whether a missing one is an error is decided by [`reusable`]). Returns the schemas
/// read and the model. Its error is reported only after the entities' and the head check's.
async fn speculate(settings: &Settings, url: &str) -> Result<(Vec<String>, Schema)> {
    let schemas = settings.schemas.clone();
    let current = introspect_with(settings, url, Vec::new(), schemas.clone()).await?;
    Ok((schemas, current))
}

/// Whether the early introspection is the one [`current_for_diff`] would make: the same
/// schemas, and every missing one is an entity's (else that read reports it as an error).
fn reusable(schemas: &[String], current: &Schema, settings: &Settings, desired: &Schema) -> bool {
    let optional = entity_schemas(desired);
    schemas == settings.schemas.as_slice()
        && current.missing_schemas.iter().all(|s| optional.contains(s))
}

/// The desired columns that exist in the database and were compared without their type (their
/// Rust type is unresolved; the loader warned about each).
pub fn columns_without_type(desired: &Schema, current: &Schema) -> usize {
    desired
        .tables
        .iter()
        .filter_map(|t| Some((t, current.table(&t.schema, &t.name)?)))
        .flat_map(|(d, c)| {
            d.columns
                .iter()
                .filter(|col| col.type_source.is_unresolved() && c.column(&col.name).is_some())
        })
        .count()
}

/// The one-line report of [`columns_without_type`], if there are any.
pub fn columns_without_type_line(n: usize) -> Option<String> {
    (n > 0).then(|| {
        format!(
            "{n} column{} compared without {} type (unresolved Rust types; see warnings)",
            if n == 1 { "" } else { "s" },
            if n == 1 { "its" } else { "their" }
        )
    })
}

/// A plan that must spell a type the loader could not resolve (a new column or a new table
/// with such a column) cannot be rendered: an error naming each field and the `[types]` line
/// that fixes it.
pub fn ensure_types_spelled(plan: &Plan) -> Result<()> {
    let mut problems = Vec::new();
    let mut check = |table: &autogen_schema::QualifiedName, col: &Column, step: &str| {
        if let TypeSource::Unresolved { rust_type } = &col.type_source {
            let at = col
                .origin
                .as_ref()
                .map(Origin::to_string)
                .unwrap_or_default();
            problems.push(format!(
                "{at}: {step} needs the type of `{table}.{}`, but its Rust type `{rust_type}` is unresolved; declare it in autogen.toml, e.g. [types] \"{rust_type}\" = \"text\"",
                col.name
            ));
        }
    };
    for change in &plan.changes {
        match change {
            Change::AddColumn { table, column } => check(table, column, "adding the column"),
            Change::CreateTable { table } => {
                let q = table.qualified_name();
                for c in &table.columns {
                    check(&q, c, "creating the table");
                }
            }
            _ => {}
        }
    }
    if problems.is_empty() {
        return Ok(());
    }
    bail!(
        "{} step(s) of the migration must spell a column type the entities do not resolve:\n{}",
        problems.len(),
        problems.join("\n")
    )
}
