//! `autogen check`: exit 0 when entities and database agree, 1 on drift (a report grouped by
//! table), 2 on error. Drift is defined once: the plan is not empty, exactly when `revision`
//! would write a migration. Findings about partial models that disagree are reported (the
//! nullability hazards under "Nullability mismatches") but are not drift on their own.

use anyhow::Result;
use autogen_diff::NoteKind;

use crate::opt::{CheckFormat, CheckOpt, Opt};
use crate::style::{self, Role};
use crate::{Outcome, config, project, report};

pub async fn run(opt: &Opt, o: &CheckOpt) -> Result<Outcome> {
    let settings = config::load(&opt.project, &opt.connect)?;
    if settings.is_fleet() {
        return super::fleet::check(&settings, &o.fleet, o.format).await;
    }
    let cmp = project::compare(&settings).await?;
    let in_sync = cmp.plan.is_empty();
    let classified = crate::safety::classify(&cmp.plan, &cmp.current);
    let untyped = project::columns_without_type(&cmp.desired, &cmp.current);
    let untyped_line = project::columns_without_type_line(untyped);
    match o.format {
        CheckFormat::Json => {
            let json = serde_json::json!({
                "in_sync": in_sync,
                "differences": crate::difference::differences_at(&cmp.plan, &cmp.desired),
                "findings": report::findings_json(&cmp.findings),
                "notes": cmp.plan.notes,
                "columns_without_type": untyped,
                "impacts": classified,
                "data": cmp.data.as_ref().map(crate::safety::data_json),
            });
            crate::outln!("{}", serde_json::to_string_pretty(&json)?);
        }
        CheckFormat::Markdown => {
            crate::out!("{}", crate::markdown::report("autogen check", &cmp, None));
        }
        CheckFormat::Github => {
            crate::out!("{}", crate::github::annotations(&cmp.plan, &cmp.desired));
            if let Some(line) = &untyped_line {
                crate::outln!("{line}");
            }
            crate::out!("{}", crate::github::finding_annotations(&cmp.findings));
            crate::out!(
                "{}",
                crate::github::lock_annotations(&cmp.plan, &classified, &cmp.desired)
            );
            if let Some(d) = &cmp.data {
                for l in crate::safety::data_lines(&cmp.plan, d) {
                    crate::outln!(
                        "::warning title=autogen data::{}",
                        l.replace('%', "%25").replace('\n', "%0A")
                    );
                }
            }
            if in_sync {
                crate::outln!("in sync: the database matches the entities");
            } else {
                crate::outln!(
                    "drift: {} difference(s)",
                    report::differences(&cmp.plan).len()
                );
            }
        }
        // --quiet: the exit code says it; only errors reach stderr.
        CheckFormat::Text if crate::style::quiet() => {}
        CheckFormat::Text if in_sync => {
            crate::out!("{}", report::text(&cmp.plan, &cmp.findings));
            crate::outln!(
                "{} the database matches the entities ({} table(s))",
                style::out(Role::Ok, "in sync:"),
                cmp.desired.tables.len()
            );
            if let Some(line) = &untyped_line {
                crate::outln!("{line}");
            }
        }
        CheckFormat::Text => {
            crate::out!("{}", report::text(&cmp.plan, &cmp.findings));
            crate::outln!(
                "\n{} {} difference(s) between the entities and the database; run `autogen revision -m \"…\"` to write a migration",
                style::out(Role::Drift, "drift:"),
                report::differences(&cmp.plan).len()
            );
            if let Some(hint) = report::undeclared_tables_hint(&cmp.plan) {
                crate::outln!("{hint}");
            }
            if let Some(line) = &untyped_line {
                crate::outln!("{line}");
            }
            let mut locks = crate::safety::lines(&classified, cmp.data.as_ref());
            if let Some(d) = &cmp.data {
                locks.extend(crate::safety::data_lines(&cmp.plan, d));
            }
            if !locks.is_empty() {
                crate::outln!("\nWhat that migration would do to live tables:");
                for l in locks {
                    crate::outln!("  {l}");
                }
            }
        }
    }
    // A nullability mismatch already has its line at the top of the text report: its hazard
    // note (attached to the change by index) is not repeated.
    let text = matches!(o.format, CheckFormat::Text);
    let notes: Vec<_> = cmp
        .plan
        .notes
        .iter()
        .filter(|n| {
            !(text
                && n.kind == NoteKind::Hazard
                && n.change
                    .and_then(|i| cmp.plan.changes.get(i))
                    .is_some_and(report::is_nullability_change))
        })
        .collect();
    crate::notes::print(&notes, opt.verbose);
    Ok(if in_sync { Outcome::Ok } else { Outcome::Drift })
}
