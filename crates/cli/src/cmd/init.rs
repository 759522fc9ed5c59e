//! `autogen init`: find the entity and migration crates, and write a commented `autogen.toml`.
//! If a database is configured and reachable, tables with no entity are offered (commented) as
//! `exclude_tables`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, bail};

use crate::opt::{InitOpt, Opt};
use crate::{Outcome, config, discover, project};

pub async fn run(opt: &Opt, o: &InitOpt) -> Result<Outcome> {
    if let Some(extras) = &o.extras {
        return crate::cmd::init_extras::run(opt, o, extras).await;
    }
    let cwd = std::env::current_dir().context("cannot read the working directory")?;
    let path = opt
        .project
        .config
        .clone()
        .unwrap_or_else(|| cwd.join(config::FILE_NAME));
    if path.exists() && !o.force && !o.stdout {
        bail!(
            "{} already exists; pass --force to overwrite it",
            path.display()
        );
    }
    let base = path.parent().map(Path::to_path_buf).unwrap_or(cwd);
    let found = discover::find(&base);
    let entities = if opt.project.entities.is_empty() {
        found.entities.clone()
    } else {
        opt.project.entities.clone()
    };
    let migrations = opt
        .project
        .migrations
        .clone()
        .or_else(|| found.migrations.first().cloned());
    if entities.is_empty() {
        crate::warnln!(
            "autogen init: found no entity crate (sea-orm dependency + DeriveEntityModel); set `entities` by hand"
        );
    }
    if migrations.is_none() {
        crate::warnln!(
            "autogen init: found no migration crate (sea-orm-migration dependency + MigratorTrait); set `migrations` by hand"
        );
    }
    let unmapped = tables_without_entity(opt, &entities).await;
    match &unmapped {
        Ok(tables) if !tables.is_empty() => crate::warnln!(
            "autogen init: {} table(s) in the database have no entity ({}); they are offered, \
             commented, as exclude_tables",
            tables.len(),
            tables.join(", ")
        ),
        Ok(_) => {}
        Err(why) => crate::warnln!("autogen init: the database was not consulted: {why}"),
    }
    let text = render(&Template {
        entities: entities.iter().map(|p| relative(&base, p)).collect(),
        migrations: migrations.as_deref().map(|p| relative(&base, p)),
        database_url_env: opt
            .connect
            .database_url_env
            .clone()
            .unwrap_or_else(|| config::DEFAULT_URL_ENV.into()),
        schemas: opt.connect.schemas.clone(),
        unmapped,
    });
    if o.stdout {
        crate::out!("{text}");
        return Ok(Outcome::Ok);
    }
    std::fs::write(&path, &text).with_context(|| format!("cannot write {}", path.display()))?;
    crate::sayln!("wrote {}", path.display());
    Ok(Outcome::Ok)
}

/// Tables in a reachable, configured database that no entity declares. `Err` text says why
/// the database was not consulted.
async fn tables_without_entity(
    opt: &Opt,
    entities: &[PathBuf],
) -> std::result::Result<Vec<String>, String> {
    let no_file = crate::opt::ProjectOpt {
        config: None,
        entities: entities.to_vec(),
        migrations: None,
        strict: false,
    };
    let settings = config::load(&no_file, &opt.connect).map_err(|e| format!("{e:#}"))?;
    let Some(url) = settings.database_url.clone() else {
        return Err(format!(
            "no database configured ({})",
            settings.database_url_source
        ));
    };
    let current = tokio::time::timeout(Duration::from_secs(10), project::current(&settings, &url))
        .await
        .map_err(|_| "the database did not answer within 10 s".to_string())?
        .map_err(|e| format!("{e:#}"))?;
    let desired = if entities.is_empty() {
        Default::default()
    } else {
        project::desired(&settings).map_err(|e| format!("{e:#}"))?
    };
    Ok(current
        .tables
        .iter()
        .filter(|t| t.name != "seaql_migrations" && desired.table(&t.schema, &t.name).is_none())
        .map(|t| t.name.clone())
        .collect())
}

fn relative(base: &Path, p: &Path) -> String {
    p.strip_prefix(base).unwrap_or(p).display().to_string()
}

pub struct Template {
    pub entities: Vec<String>,
    pub migrations: Option<String>,
    pub database_url_env: String,
    pub schemas: Vec<String>,
    pub unmapped: std::result::Result<Vec<String>, String>,
}

fn list(items: &[String]) -> String {
    format!(
        "[{}]",
        items
            .iter()
            .map(|s| format!("{s:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

pub fn render(t: &Template) -> String {
    let migrations = match &t.migrations {
        Some(m) => format!("migrations = {m:?}"),
        None => "# migrations = \"migration\"  # not found: set it to the sea-orm-migration crate"
            .into(),
    };
    let exclude = match &t.unmapped {
        Ok(tables) if tables.is_empty() => {
            "# Every table in the database has an entity.\nexclude_tables = []".to_string()
        }
        Ok(tables) => format!(
            "# Tables in the database with no entity. `autogen revision` would DROP them; uncomment to\n\
             # leave them alone:\nexclude_tables = []\n# exclude_tables = {}",
            list(tables)
        ),
        Err(why) => format!("# (the database was not consulted: {why})\nexclude_tables = []"),
    };
    format!(
        r#"# autogen.toml: written by `autogen init`. Paths are relative to this file.
# Flags (--entities, --migrations, --database-url, --schema) override these keys.

# SeaORM entity sources (the module tree is followed from lib.rs / mod.rs).
entities = {entities}

# The sea-orm-migration crate: new migrations go to its src/ and are registered in src/lib.rs.
{migrations}

# The environment variable holding the database URL (or set `database_url = "postgres://…"`).
# With neither, autogen starts an ephemeral PostgreSQL cluster and applies the migrations to it.
database_url_env = {env:?}

# Postgres schemas to compare (the first is where entities without schema_name live).
{schemas}

# Tables autogen leaves alone: never created, altered or dropped, never reported as drift.
{exclude}

# Strict comparisons (all false by default):
# strict_names = true     # index/FK names must match; a name-only difference becomes a RENAME
# strict_defaults = true  # a field without a declared default means "no default" in the database
# strict_identity = true  # serial / GENERATED ALWAYS / identity options are no longer equivalent
# strict_types = true     # a field without column_type must be exactly SeaORM's type (`String` no longer
#                         # matches text or varchar(255)); an unresolved Rust type is an error
# strict_fk_actions = true  # a relation without on_delete/on_update means NO ACTION in the database

# Rust type path = SQL type, for types the entity loader cannot resolve (e.g. macro-made newtypes).
[types]
# "crate::types::Email" = "varchar(320)"

# Declared renames, so the migration renames instead of dropping and adding.
[renames.tables]
# "old_table" = "new_table"
[renames.columns]
# "table.old_column" = "new_column"
"#,
        entities = list(&t.entities),
        env = t.database_url_env,
        schemas = if t.schemas.is_empty() {
            "# schemas = [\"public\"]  # default: public plus every schema_name an entity declares; \
             a list here is exact"
                .to_string()
        } else {
            format!("schemas = {}", list(&t.schemas))
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rendered_template_parses_back() {
        let text = render(&Template {
            entities: vec!["entity/src".into()],
            migrations: Some("migration".into()),
            database_url_env: "DATABASE_URL".into(),
            schemas: vec!["public".into()],
            unmapped: Ok(vec!["legacy".into()]),
        });
        let c = config::parse(&text).unwrap();
        assert_eq!(c.entities, [PathBuf::from("entity/src")]);
        assert_eq!(c.migrations, Some(PathBuf::from("migration")));
        assert!(text.contains("# exclude_tables = [\"legacy\"]"));
        assert_eq!(c.schemas, ["public"]);
        // Without --schema the line is commented: entities' schema_name values are compared too.
        let text = render(&Template {
            entities: vec!["entity/src".into()],
            migrations: None,
            database_url_env: "DATABASE_URL".into(),
            schemas: Vec::new(),
            unmapped: Ok(Vec::new()),
        });
        assert!(config::parse(&text).unwrap().schemas.is_empty());
        assert!(text.contains("# schemas = [\"public\"]"));
    }
}
