//! `autogen revision -m "msg"`: write `m{YYYYMMDD_HHMMSS}_{slug}.rs` into the migration crate
//! and register it in its `Migrator`, atomically; `--sql` prints instead, `--empty` writes a
//! blank migration without looking at the database.

use std::path::Path;

use anyhow::{Context, Result, anyhow};
use autogen_diff::Plan;

use crate::opt::{Opt, RevisionOpt};
use crate::{Outcome, config, project, write};

pub async fn run(opt: &Opt, o: &RevisionOpt) -> Result<Outcome> {
    let settings = config::load(&opt.project, &opt.connect)?;
    super::fleet::single(&settings, "revision")?;
    let migrations = settings.migrations.clone().ok_or_else(|| {
        anyhow!("no migration crate configured; set `migrations` in autogen.toml (run `autogen init`) or pass --migrations DIR")
    })?;
    let lib = migrations.join("src").join("lib.rs");
    if !o.sql && !lib.is_file() {
        return Err(anyhow!(
            "{} not found; `migrations` must name a sea-orm-migration crate",
            lib.display()
        ));
    }
    let (plan, current, data) = if o.empty {
        (Plan::default(), autogen_schema::Schema::default(), None)
    } else {
        let cmp = project::compare(&settings).await?;
        for f in &cmp.findings {
            crate::warnln!("{f}");
        }
        (cmp.plan, cmp.current, cmp.data)
    };
    let online = settings.online(o.online);
    let classified = crate::safety::classify_with(&plan, &current, online.as_ref());
    for l in crate::safety::lines(&classified, data.as_ref()) {
        crate::warnln!("{l}");
    }
    if let Some(d) = &data {
        for l in crate::safety::data_lines(&plan, d) {
            crate::warnln!("{l}");
        }
    }
    crate::notes::print(&plan.notes.iter().collect::<Vec<_>>(), opt.verbose);
    if refused(&o.deny, &plan, &current, &classified, online.is_some()) {
        return Ok(Outcome::Denied);
    }
    if plan.is_empty() && !o.empty && !o.allow_empty {
        crate::sayln!(
            "no changes: the database matches the entities; nothing written (pass --allow-empty to write a blank migration)"
        );
        return Ok(Outcome::NothingToDo);
    }
    project::ensure_types_spelled(&plan)?;
    // The online plan in parts, each wholly in a transaction or wholly without one.
    let parts = autogen_codegen::split(&plan, online.as_ref());
    let n = parts.len();
    let message_of = |i: usize| {
        if n == 1 {
            o.message.clone()
        } else {
            format!("{} (part {} of {n})", o.message, i + 1)
        }
    };
    if o.sql {
        let online = online.as_ref();
        for (i, part) in parts.iter().enumerate() {
            if n > 1 {
                crate::outln!("-- migration {} of {n}", i + 1);
            }
            crate::outln!("-- up\n{}", autogen_codegen::sql_with(part, online));
            crate::outln!(
                "-- down\n{}",
                autogen_codegen::sql_with(&part.inverse(), online)
            );
        }
        return Ok(Outcome::Ok);
    }
    let mut model = current.clone();
    for (i, part) in parts.iter().enumerate() {
        let path = write_migration(part, &model, online.clone(), &message_of(i), &lib)?;
        crate::sayln!(
            "wrote {} and registered it in {}",
            config::shown(&path),
            config::shown(&lib)
        );
        for c in &part.changes {
            let _ = autogen_diff::apply(&mut model, c);
        }
    }
    if n > 1 {
        crate::sayln!(
            "  (the online plan is in {n} migrations: the CONCURRENTLY steps run without a transaction, the others in one)"
        );
    }
    summarize(&plan);
    Ok(Outcome::Ok)
}

/// Renders the migration, edits lib.rs, and writes both atomically; returns the new file's path.
fn write_migration(
    plan: &Plan,
    current: &autogen_schema::Schema,
    online: Option<autogen_codegen::Online>,
    message: &str,
    lib: &Path,
) -> Result<std::path::PathBuf> {
    let now = chrono::Utc::now();
    let module =
        autogen_codegen::migration_module_name(&now.format("%Y%m%d_%H%M%S").to_string(), message);
    let rendered = autogen_codegen::migration_rs(
        plan,
        &autogen_codegen::MigrationOptions {
            message: message.to_string(),
            generated_at: now.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
            current: current.clone(),
            online,
        },
    );
    for w in &rendered.warnings {
        crate::warnln!("warning: {w}");
    }
    let lib_text =
        std::fs::read_to_string(lib).with_context(|| format!("cannot read {}", lib.display()))?;
    let new_lib = autogen_codegen::register_migration(&lib_text, &module).map_err(|e| {
        anyhow!(
            "cannot register {module} in {}: {e}; register it by hand or fix lib.rs",
            lib.display()
        )
    })?;
    let path = lib.with_file_name(format!("{module}.rs"));
    write::create_and_replace(&path, &rendered.source, lib, &new_lib)?;
    Ok(path)
}

/// `--deny`: says on stderr which steps are of a denied kind (and whether `--online` would
/// remove the hazard) and returns true when there is one.
fn refused(
    deny: &[crate::lint::deny::DenyKind],
    plan: &Plan,
    current: &autogen_schema::Schema,
    classified: &[crate::safety::Classified],
    online: bool,
) -> bool {
    use crate::lint::deny::{hits, names};
    let denied: Vec<_> = classified
        .iter()
        .map(|c| (c, hits(deny, &c.impact, false)))
        .filter(|(_, k)| !k.is_empty())
        .collect();
    if denied.is_empty() {
        return false;
    }
    for (c, kinds) in &denied {
        eprintln!(
            "denied: {}: {} [{}]",
            c.description,
            c.summary,
            names(kinds)
        );
    }
    let hint = if online {
        String::new()
    } else {
        let online_plan =
            crate::safety::classify_with(plan, current, Some(&autogen_codegen::Online::default()));
        if online_plan
            .iter()
            .all(|c| hits(deny, &c.impact, false).is_empty())
        {
            "; --online removes every denied step".into()
        } else {
            String::new()
        }
    };
    crate::outln!(
        "refused: {} step(s) of a kind --deny names; nothing written{hint}",
        denied.len()
    );
    true
}

fn summarize(plan: &Plan) {
    if plan.is_empty() {
        crate::sayln!("  (blank migration: fill in up() and down())");
    }
    let mut destructive = 0;
    for c in &plan.changes {
        if c.is_destructive() {
            destructive += 1;
            crate::sayln!("  WARNING destructive: {}", c.describe());
        } else {
            crate::sayln!("  {}", c.describe());
        }
    }
    if destructive > 0 {
        crate::sayln!(
            "WARNING: {destructive} destructive change(s) may lose data; review the migration before running it"
        );
    }
}
