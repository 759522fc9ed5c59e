//! `autogen lint`'s output: text (one block per migration, one entry per statement that can
//! change something), JSON (the same, with the lock facts and the data-aware numbers) and
//! GitHub Actions annotations on the migration files.

use autogen_diff::impact::Effect;
use serde_json::json;

use super::deny::names;
use super::{Report, Statement};

/// A statement on one line: whitespace runs collapsed, control characters dropped, at most
/// 160 characters.
pub fn one_line(sql: &str) -> String {
    let words: Vec<&str> = sql.split_whitespace().collect();
    let text: String = words
        .join(" ")
        .chars()
        .filter(|c| !c.is_control())
        .collect();
    if text.chars().count() > 160 {
        format!("{}…", text.chars().take(159).collect::<String>())
    } else {
        text
    }
}

/// What the statement does, in one line.
fn verdict(s: &Statement) -> String {
    if let Some(why) = &s.unclassified {
        return format!("unclassified: {why}");
    }
    if s.dml {
        return "changes rows: row locks only (no table lock that blocks reads or writes)".into();
    }
    let i = &s.impact;
    let blocks = if i.is_long() {
        format!(" ({} while it runs)", i.long_lock().blocks())
    } else if i.lock() > autogen_diff::impact::Lock::None {
        " (catalog only: brief)".into()
    } else {
        String::new()
    };
    format!("{i}{blocks}")
}

pub fn text(r: &Report) -> String {
    let mut out = String::new();
    match &r.base {
        Some(b) => out.push_str(&format!("base: {b} (applied, not linted)\n")),
        None => out.push_str("base: empty database\n"),
    }
    for m in &r.migrations {
        out.push_str(&format!("{}\n", m.version));
        if m.statements.is_empty() {
            out.push_str("  (no statement that changes the schema or rows)\n");
        }
        for s in &m.statements {
            out.push_str(&format!("  {}\n    {}\n", one_line(&s.sql), verdict(s)));
            if !s.denied.is_empty() {
                out.push_str(&format!("    DENIED: {}\n", names(&s.denied)));
            }
        }
    }
    if let Some(d) = &r.data {
        for l in crate::safety::data_lines(&r.plan, d) {
            out.push_str(&format!("{l}\n"));
        }
        for size in &d.sizes {
            out.push_str(&format!(
                "size: {} (in the configured database)\n",
                crate::safety::size_text(size)
            ));
        }
    }
    out.push_str(&summary(r));
    out.push('\n');
    out
}

fn summary(r: &Report) -> String {
    let all: Vec<&Statement> = r.statements().map(|(_, s)| s).collect();
    let count = |f: &dyn Fn(&Statement) -> bool| all.iter().filter(|s| f(s)).count();
    let mut line = format!(
        "{} statement(s) in {} migration(s): {} rewrite(s), {} scan(s) that block writes, {} online or catalog-only, {} data loss, {} unclassified",
        all.len(),
        r.migrations.len(),
        count(&|s| s.impact.effect() == Effect::Rewrite),
        count(&|s| s.impact.effect() == Effect::Scan
            && s.impact.long_lock() >= autogen_diff::impact::Lock::Share),
        count(&|s| s.unclassified.is_none()
            && !(s.impact.is_long() && s.impact.long_lock() >= autogen_diff::impact::Lock::Share)),
        count(&|s| s.impact.data_loss),
        count(&|s| s.unclassified.is_some()),
    );
    if !r.deny.is_empty() {
        line.push_str(&format!(
            "; {} denied (--deny {})",
            r.denied(),
            r.deny
                .iter()
                .map(|k| k.name())
                .collect::<Vec<_>>()
                .join(",")
        ));
    }
    line
}

pub fn json(r: &Report) -> serde_json::Value {
    json!({
        "base": r.base,
        "deny": r.deny,
        "denied": r.denied(),
        "migrations": r.migrations.iter().map(|m| json!({
            "version": m.version,
            "file": m.file.as_ref().map(|f| crate::config::shown(f)),
            "statements": m.statements.iter().map(|s| json!({
                "sql": s.sql,
                "command": s.command,
                "kind": if s.dml { "dml" } else { "ddl" },
                "lock": s.impact.lock(),
                "long_lock": s.impact.long_lock(),
                "effect": s.impact.effect(),
                "data_loss": s.impact.data_loss,
                "summary": verdict(s),
                "locks": s.impact.locks,
                "why": s.impact.why,
                "changes": s.changes,
                "plan_changes": [s.plan_changes.start, s.plan_changes.end],
                "unclassified": s.unclassified,
                "denied": s.denied,
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "data": r.data.as_ref().map(crate::safety::data_json),
        "summary": summary(r),
    })
}

/// One annotation per statement worth a look (a denied one is an `::error`; a scan, rewrite,
/// data loss or unclassified one a `::warning`), on the migration's file: the line where the
/// statement's text starts when the file spells it, else the line of `fn up`.
pub fn github(r: &Report) -> String {
    let mut out = String::new();
    for (m, s) in r.statements() {
        let notable = !s.denied.is_empty()
            || s.impact.is_long()
            || s.impact.data_loss
            || s.unclassified.is_some();
        if !notable {
            continue;
        }
        let level = if s.denied.is_empty() {
            "warning"
        } else {
            "error"
        };
        let place = m
            .file
            .as_ref()
            .map(|f| {
                let text = std::fs::read_to_string(f).unwrap_or_default();
                let line = line_of(&text, &s.sql);
                format!(
                    " file={},line={line},",
                    crate::github::escape_property(&crate::config::shown(f))
                )
            })
            .unwrap_or_else(|| " ".into());
        let denied = if s.denied.is_empty() {
            String::new()
        } else {
            format!(" [denied: {}]", names(&s.denied))
        };
        out.push_str(&format!(
            "::{level}{place}title=autogen lint::{}",
            crate::github::escape_data(&format!(
                "{}: {}: {}{denied}",
                m.version,
                one_line(&s.sql),
                verdict(s)
            ))
        ));
        out.push('\n');
    }
    out
}

/// The 1-based line of `text` holding the statement's first line, else that of `fn up`, else 1.
fn line_of(text: &str, sql: &str) -> usize {
    let first = sql.lines().next().unwrap_or("").trim();
    let find = |needle: &str| {
        (!needle.is_empty())
            .then(|| text.lines().position(|l| l.contains(needle)))
            .flatten()
    };
    find(first).or_else(|| find("fn up")).map_or(1, |i| i + 1)
}

#[cfg(test)]
mod tests {
    #[test]
    fn one_line_and_line_of() {
        assert_eq!(
            super::one_line("CREATE INDEX\n\t i  ON t (a)\u{7}"),
            "CREATE INDEX i ON t (a)"
        );
        assert_eq!(super::one_line(&"x".repeat(200)).chars().count(), 160);
        let file =
            "use x;\nasync fn up() {\n  m.execute_unprepared(\"ALTER TABLE t ADD c int\")\n}";
        assert_eq!(super::line_of(file, "ALTER TABLE t ADD c int"), 3);
        assert_eq!(super::line_of(file, "CREATE TABLE \"t\" ()"), 2);
    }
}
