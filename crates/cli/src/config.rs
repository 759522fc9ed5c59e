//! `autogen.toml`: finding it (walking up from the working directory), reading it with
//! file:line errors, and merging it with the command-line flags into [`Settings`].

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow};
use serde::Deserialize;

use crate::opt::{ConnectOpt, ProjectOpt};

pub const FILE_NAME: &str = "autogen.toml";
pub const DEFAULT_URL_ENV: &str = "DATABASE_URL";
/// sea-orm-migration's bookkeeping table: never compared.
pub const BOOKKEEPING_TABLE: &str = "seaql_migrations";

/// The file as written. Paths are relative to the file's directory.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    #[serde(default)]
    pub entities: Vec<PathBuf>,
    /// SQL files declaring what entities cannot (indexes, CHECKs, extensions).
    #[serde(default)]
    pub extras: Vec<PathBuf>,
    /// `"declared"` (default) or `"all"`: which database objects the declarations own.
    #[serde(default)]
    pub manage: autogen_diff::Manage,
    pub migrations: Option<PathBuf>,
    pub database_url: Option<String>,
    pub database_url_env: Option<String>,
    #[serde(default)]
    pub schemas: Vec<String>,
    #[serde(default)]
    pub exclude_tables: Vec<String>,
    /// Rust type path → SQL type, for types the loader cannot resolve (macro-made newtypes).
    #[serde(default)]
    pub types: BTreeMap<String, String>,
    #[serde(default)]
    pub renames: Renames,
    #[serde(default)]
    pub strict_names: bool,
    #[serde(default)]
    pub strict_defaults: bool,
    #[serde(default)]
    pub strict_identity: bool,
    #[serde(default)]
    pub strict_types: bool,
    #[serde(default)]
    pub strict_fk_actions: bool,
    /// Seconds each data-hazard count may run before the catalog's estimate is used (default 2).
    #[serde(default)]
    pub hazard_timeout: Option<f64>,
    /// Generate the online-safe plan (as `--online`).
    #[serde(default)]
    pub online: bool,
    /// The online plan's `SET lock_timeout` (default `5s`; `0`: not set).
    pub lock_timeout: Option<String>,
    /// The online plan's `SET statement_timeout` (default: not set; `0`: not set).
    pub statement_timeout: Option<String>,
    /// Several databases for `check` / `diff --format json`: URLs or `env:NAME`.
    #[serde(default)]
    pub targets: Vec<String>,
    /// Tenant schemas, a SQL `LIKE` pattern (`tenant_%`).
    pub tenant_schemas: Option<String>,
    /// Databases checked at once (default: twice the number of cores).
    pub jobs: Option<usize>,
    /// Seconds to wait for each target's connection (default 10).
    pub connect_timeout: Option<f64>,
    /// Seconds each query on a target may run (default 60).
    pub query_timeout: Option<f64>,
}

/// Declared renames, so the differ writes RENAME instead of drop + add.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Renames {
    /// `"old_table" = "new_table"`.
    #[serde(default)]
    pub tables: BTreeMap<String, String>,
    /// `"table.old_column" = "new_column"`.
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
}

/// Configuration after merging the file, the flags and the environment.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The file that was read, if any.
    pub config_path: Option<PathBuf>,
    pub entities: Vec<PathBuf>,
    /// The extras SQL files (`extras`), relative paths resolved against the config's directory.
    pub extras: Vec<PathBuf>,
    pub manage: autogen_diff::Manage,
    pub migrations: Option<PathBuf>,
    /// `None`: nothing configured, use the ephemeral cluster.
    pub database_url: Option<String>,
    /// Where the URL came from, for messages (`--database-url`, `$DATABASE_URL`, …).
    pub database_url_source: String,
    pub schemas: Vec<String>,
    /// `schemas` came from `--schema` or autogen.toml (not the `public` default): the list is
    /// exactly what is compared, and an entity outside it is an error.
    pub schemas_explicit: bool,
    pub exclude_tables: Vec<String>,
    pub types: BTreeMap<String, String>,
    pub renames: Renames,
    pub strict_names: bool,
    pub strict_defaults: bool,
    pub strict_identity: bool,
    pub strict_types: bool,
    pub strict_fk_actions: bool,
    /// Bound of each data-hazard count (`hazard_timeout`, default 2 s).
    pub hazard_timeout: std::time::Duration,
    /// `online = true` in the file.
    pub online: bool,
    /// The online plan's `SET lock_timeout` value; `None`: not set.
    pub lock_timeout: Option<String>,
    /// The online plan's `SET statement_timeout` value; `None`: not set.
    pub statement_timeout: Option<String>,
    /// Every database to compare, in order: the `--database-url` flags, else `targets`, else the
    /// one URL above (empty when none is configured).
    pub targets: Vec<TargetUrl>,
    /// `--tenant-schemas` / `tenant_schemas`: a `LIKE` pattern.
    pub tenant_schemas: Option<String>,
    /// `jobs`, `connect_timeout`, `query_timeout` from the file (flags override them).
    pub fleet: crate::opt::FleetOpt,
}

/// One target database and where it was configured.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TargetUrl {
    /// `--database-url`, `targets[2] in autogen.toml`, `$TENANT_DB_EU`, ….
    pub source: String,
    /// `None`: an `env:NAME` whose variable is not set.
    pub url: Option<String>,
}

impl Settings {
    /// Several targets or a tenant pattern: `check` and `diff --format json` report a fleet.
    pub fn is_fleet(&self) -> bool {
        self.targets.len() > 1 || self.tenant_schemas.is_some()
    }
}

impl Settings {
    /// The online-safe plan's options when `--online` (`flag`) or `online = true` asks for it.
    pub fn online(&self, flag: bool) -> Option<autogen_codegen::Online> {
        (flag || self.online).then(|| autogen_codegen::Online {
            lock_timeout: self.lock_timeout.clone(),
            statement_timeout: self.statement_timeout.clone(),
        })
    }

    /// The first configured schema: where unqualified entities live.
    pub fn default_schema(&self) -> String {
        self.schemas
            .first()
            .cloned()
            .unwrap_or_else(|| "public".into())
    }
}

/// A path for messages: relative to the working directory when it is inside it.
pub fn shown(path: &Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    path.strip_prefix(&cwd)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// `autogen.toml` in `start` or the nearest ancestor directory.
pub fn find(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|d| d.join(FILE_NAME))
        .find(|p| p.is_file())
}

/// Reads and parses one config file; errors name `file:line:column`.
pub fn read(path: &Path) -> Result<ConfigFile> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    parse(&text).map_err(|(offset, message)| {
        let (line, col) = line_col(&text, offset);
        anyhow!(
            "{}:{line}:{col}: {message}; fix the file or run `autogen init --force`",
            path.display()
        )
    })
}

/// Parses config text; an error is (byte offset, message).
pub fn parse(text: &str) -> std::result::Result<ConfigFile, (usize, String)> {
    toml::from_str(text).map_err(|e: toml::de::Error| {
        let offset = e.span().map(|s| s.start).unwrap_or(0);
        (offset, e.message().trim().replace('\n', " "))
    })
}

/// 1-based line and column of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// Merges the config file (found or named), the flags and the environment.
pub fn load(project: &ProjectOpt, connect: &ConnectOpt) -> Result<Settings> {
    let cwd = std::env::current_dir().context("cannot read the working directory")?;
    let config_path = match &project.config {
        Some(p) if !p.is_file() => {
            return Err(anyhow!("config file {} not found", p.display()));
        }
        Some(p) => Some(p.clone()),
        None => find(&cwd),
    };
    let file = match &config_path {
        Some(p) => read(p)?,
        None => ConfigFile::default(),
    };
    let base = config_path
        .as_deref()
        .and_then(Path::parent)
        .map(|p| {
            if p.as_os_str().is_empty() {
                Path::new(".")
            } else {
                p
            }
        })
        .map(Path::to_path_buf)
        .unwrap_or_else(|| cwd.clone());
    let mut entities: Vec<PathBuf> = if !project.entities.is_empty() {
        project.entities.clone()
    } else {
        file.entities.iter().map(|p| base.join(p)).collect()
    };
    let mut migrations = project
        .migrations
        .clone()
        .or_else(|| file.migrations.as_ref().map(|p| base.join(p)));
    if config_path.is_none() && project.entities.is_empty() && project.migrations.is_none() {
        discover_missing(&cwd, &mut entities, &mut migrations);
    }
    let (database_url, database_url_source) = resolve_url(connect, &file);
    let targets = resolve_targets(connect, &file, &database_url, &database_url_source)?;
    let tenant_schemas = match connect
        .tenant_schemas
        .clone()
        .or(file.tenant_schemas.clone())
    {
        Some(p) if p.trim().is_empty() => {
            return Err(anyhow!(
                "tenant_schemas is empty; give a LIKE pattern such as 'tenant_%'"
            ));
        }
        other => other,
    };
    let fleet = crate::opt::FleetOpt {
        jobs: file.jobs,
        connect_timeout: file.connect_timeout,
        query_timeout: file.query_timeout,
    };
    let schemas_explicit = !connect.schemas.is_empty() || !file.schemas.is_empty();
    let schemas = if !connect.schemas.is_empty() {
        connect.schemas.clone()
    } else if !file.schemas.is_empty() {
        file.schemas
    } else {
        vec!["public".into()]
    };
    let lock_timeout = timeout("lock_timeout", file.lock_timeout.as_deref().or(Some("5s")))?;
    let statement_timeout = timeout("statement_timeout", file.statement_timeout.as_deref())?;
    Ok(Settings {
        targets,
        tenant_schemas,
        fleet,
        online: file.online,
        lock_timeout,
        statement_timeout,
        config_path,
        entities,
        extras: file.extras.iter().map(|p| base.join(p)).collect(),
        manage: file.manage,
        migrations,
        database_url,
        database_url_source,
        schemas,
        schemas_explicit,
        exclude_tables: file.exclude_tables,
        types: file.types,
        renames: file.renames,
        strict_names: file.strict_names || project.strict,
        strict_defaults: file.strict_defaults || project.strict,
        strict_identity: file.strict_identity || project.strict,
        strict_types: file.strict_types || project.strict,
        strict_fk_actions: file.strict_fk_actions || project.strict,
        hazard_timeout: std::time::Duration::from_secs_f64(
            file.hazard_timeout
                .filter(|s| s.is_finite() && *s > 0.0)
                .unwrap_or(2.0),
        ),
    })
}

/// A Postgres duration setting: a whole number with an optional unit (`ms`, `s`, `min`, `h`,
/// `d`); `0` means not set.
fn timeout(key: &str, value: Option<&str>) -> Result<Option<String>> {
    let Some(v) = value.map(str::trim) else {
        return Ok(None);
    };
    let digits = v.bytes().take_while(u8::is_ascii_digit).count();
    let unit = &v[digits..];
    if digits == 0 || !["", "ms", "s", "min", "h", "d"].contains(&unit) {
        return Err(anyhow!(
            "{key} = {v:?}: expected a whole number with an optional unit (ms, s, min, h, d), e.g. \"5s\""
        ));
    }
    Ok((v[..digits].bytes().any(|b| b != b'0')).then(|| v.to_string()))
}

/// With no `autogen.toml` and neither `--entities` nor `--migrations`, the crates are found as
/// `autogen init` finds them (below the working directory), and said on stderr so the user knows
/// what was compared. Several migration crates are ambiguous: none is taken, and the head check is skipped
/// with a note.
fn discover_missing(cwd: &Path, entities: &mut Vec<PathBuf>, migrations: &mut Option<PathBuf>) {
    if !entities.is_empty() && migrations.is_some() {
        return;
    }
    let found = crate::discover::find(cwd);
    if entities.is_empty() && !found.entities.is_empty() {
        crate::warnln!(
            "note: no {FILE_NAME}; comparing the entities found in {} (`autogen init` writes this down)",
            found
                .entities
                .iter()
                .map(|p| shown(p))
                .collect::<Vec<_>>()
                .join(", ")
        );
        *entities = found.entities;
    }
    if migrations.is_none() {
        match found.migrations.as_slice() {
            [] => {}
            [one] => {
                crate::warnln!(
                    "note: no {FILE_NAME}; using the migration crate {}",
                    shown(one)
                );
                *migrations = Some(one.clone());
            }
            several => crate::warnln!(
                "note: no {FILE_NAME} and several migration crates ({}); pass --migrations DIR to pick one",
                several
                    .iter()
                    .map(|p| shown(p))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

/// Every target: each `--database-url`, else each of `targets` (an `env:NAME` read from the
/// environment), else the one resolved URL. `targets` and `database_url` together are an error.
fn resolve_targets(
    connect: &ConnectOpt,
    file: &ConfigFile,
    url: &Option<String>,
    source: &str,
) -> Result<Vec<TargetUrl>> {
    if !connect.database_url.is_empty() {
        return Ok(connect
            .database_url
            .iter()
            .map(|u| TargetUrl {
                source: "--database-url".into(),
                url: Some(u.clone()),
            })
            .collect());
    }
    if !file.targets.is_empty() {
        if file.database_url.is_some() {
            return Err(anyhow!(
                "{FILE_NAME} sets both database_url and targets; keep one (targets may list a single URL)"
            ));
        }
        return Ok(file
            .targets
            .iter()
            .enumerate()
            .map(|(i, t)| match t.strip_prefix("env:") {
                Some(var) => TargetUrl {
                    source: format!("${var}"),
                    url: std::env::var(var).ok().filter(|u| !u.trim().is_empty()),
                },
                None => TargetUrl {
                    source: format!("targets[{i}] in {FILE_NAME}"),
                    url: Some(t.clone()),
                },
            })
            .collect());
    }
    Ok(url
        .iter()
        .map(|u| TargetUrl {
            source: source.to_string(),
            url: Some(u.clone()),
        })
        .collect())
}

/// Flag, then `database_url` in the file, then `targets` in the file, then the environment
/// variable.
fn resolve_url(connect: &ConnectOpt, file: &ConfigFile) -> (Option<String>, String) {
    if let Some(url) = connect.database_url.first() {
        return (Some(url.clone()), "--database-url".into());
    }
    if let Some(url) = &file.database_url {
        return (Some(url.clone()), format!("database_url in {FILE_NAME}"));
    }
    if let Some(first) = file.targets.first() {
        let source = format!("targets[0] in {FILE_NAME}");
        return match first.strip_prefix("env:") {
            Some(var) => match std::env::var(var) {
                Ok(url) if !url.trim().is_empty() => (Some(url), format!("${var}")),
                _ => (None, format!("${var} (not set)")),
            },
            None => (Some(first.clone()), source),
        };
    }
    let var = connect
        .database_url_env
        .clone()
        .or_else(|| file.database_url_env.clone())
        .unwrap_or_else(|| DEFAULT_URL_ENV.into());
    match std::env::var(&var) {
        Ok(url) if !url.trim().is_empty() => (Some(url), format!("${var}")),
        _ => (None, format!("${var} (not set)")),
    }
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    fn check(text: &str, expect: Expect) {
        let got = match super::parse(text) {
            Ok(c) => format!("{c:?}"),
            Err((offset, msg)) => {
                let (line, col) = super::line_col(text, offset);
                format!("{line}:{col}: {msg}")
            }
        };
        expect.assert_eq(&got);
    }

    #[test]
    fn full_file() {
        check(
            r#"
entities = ["entity/src"]
migrations = "migration"
database_url_env = "BLOG_URL"
schemas = ["public"]
exclude_tables = ["legacy"]
strict_names = true
strict_types = true
[types]
"crate::Email" = "varchar(320)"
[renames.columns]
"users.mail" = "email"
"#,
            expect![[
                r#"ConfigFile { entities: ["entity/src"], extras: [], manage: Declared, migrations: Some("migration"), database_url: None, database_url_env: Some("BLOG_URL"), schemas: ["public"], exclude_tables: ["legacy"], types: {"crate::Email": "varchar(320)"}, renames: Renames { tables: {}, columns: {"users.mail": "email"} }, strict_names: true, strict_defaults: false, strict_identity: false, strict_types: true, strict_fk_actions: false, hazard_timeout: None, online: false, lock_timeout: None, statement_timeout: None, targets: [], tenant_schemas: None, jobs: None, connect_timeout: None, query_timeout: None }"#
            ]],
        );
    }

    #[test]
    fn flags_override_the_file_and_paths_are_relative_to_it() {
        use crate::opt::{ConnectOpt, ProjectOpt};
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("autogen.toml");
        std::fs::write(
            &file,
            "entities = [\"entity/src\"]\nmigrations = \"migration\"\n\
             database_url = \"postgres://file/db\"\nschemas = [\"app\"]\n",
        )
        .unwrap();
        let project = ProjectOpt {
            config: Some(file.clone()),
            ..Default::default()
        };
        let s = super::load(&project, &ConnectOpt::default()).unwrap();
        assert_eq!(s.entities, [dir.path().join("entity/src")]);
        assert_eq!(s.migrations, Some(dir.path().join("migration")));
        assert_eq!(s.database_url.as_deref(), Some("postgres://file/db"));
        assert_eq!(s.default_schema(), "app");

        let project = ProjectOpt {
            config: Some(file),
            entities: vec!["other/src".into()],
            migrations: Some("other_migration".into()),
            strict: true,
        };
        let connect = ConnectOpt {
            database_url: vec!["postgres://flag/db".into()],
            database_url_env: None,
            schemas: vec!["public".into()],
            tenant_schemas: None,
        };
        let s = super::load(&project, &connect).unwrap();
        assert_eq!(s.entities, [std::path::PathBuf::from("other/src")]);
        assert_eq!(s.migrations, Some("other_migration".into()));
        assert_eq!(s.database_url.as_deref(), Some("postgres://flag/db"));
        assert_eq!(s.database_url_source, "--database-url");
        assert_eq!(s.schemas, ["public"]);
        // --strict turns every strict mode on.
        assert!(s.strict_names && s.strict_defaults && s.strict_identity && s.strict_types);
    }

    #[test]
    fn online_settings_and_timeouts() {
        let file =
            super::parse("online = true\nlock_timeout = \"2s\"\nstatement_timeout = \"0\"\n")
                .expect("parses");
        assert!(file.online);
        assert_eq!(file.lock_timeout.as_deref(), Some("2s"));
        assert_eq!(
            super::timeout("lock_timeout", Some("2s"))
                .unwrap()
                .as_deref(),
            Some("2s")
        );
        // 0 means not set; no value keeps no setting.
        assert_eq!(
            super::timeout("statement_timeout", Some("0")).unwrap(),
            None
        );
        assert_eq!(super::timeout("statement_timeout", None).unwrap(), None);
        assert_eq!(
            super::timeout("lock_timeout", Some("250ms"))
                .unwrap()
                .as_deref(),
            Some("250ms")
        );
        let err = super::timeout("lock_timeout", Some("5 sec'; DROP")).unwrap_err();
        assert!(err.to_string().starts_with("lock_timeout = "), "{err}");
        assert!(super::timeout("lock_timeout", Some("s")).is_err());
    }

    #[test]
    fn an_unset_variable_means_no_url() {
        let connect = crate::opt::ConnectOpt {
            database_url_env: Some("AUTOGEN_TEST_VARIABLE_NOBODY_SETS".into()),
            ..Default::default()
        };
        let (url, source) = super::resolve_url(&connect, &super::ConfigFile::default());
        assert_eq!(url, None);
        assert_eq!(source, "$AUTOGEN_TEST_VARIABLE_NOBODY_SETS (not set)");
    }

    #[test]
    fn malformed_names_line_and_column() {
        check(
            "entities = [\"a\"]\nmigrations = \n",
            expect!["2:14: string values must be quoted, expected literal string"],
        );
    }

    #[test]
    fn unknown_key_is_an_error() {
        check(
            "entities = []\nmigration = \"m\"\n",
            expect![
                "2:1: unknown field `migration`, expected one of `entities`, `extras`, `manage`, `migrations`, `database_url`, `database_url_env`, `schemas`, `exclude_tables`, `types`, `renames`, `strict_names`, `strict_defaults`, `strict_identity`, `strict_types`, `strict_fk_actions`, `hazard_timeout`, `online`, `lock_timeout`, `statement_timeout`, `targets`, `tenant_schemas`, `jobs`, `connect_timeout`, `query_timeout`"
            ],
        );
    }
}
