//! The pull-request report (`autogen diff --format markdown`, `autogen check --format
//! markdown`): a Markdown comment body with a one-line summary, a table of the plan's steps and
//! their hazards (destructive, lock, rewrite / scan, counted data), the entity-relationship
//! diagram of the tables the plan touches ([`crate::diagram`], Mermaid), and the up and down SQL
//! in collapsed `<details>` blocks.
//!
//! Deterministic, and bounded: the whole body stays under [`Report::max_bytes`] (GitHub's
//! comment limit is 65,536 characters): a long change table is cut, then the diagram is drawn
//! with fewer tables, then the SQL is cut at a line, each time saying so.
//!
//! Free text reaches Markdown only through [`inline`] / [`code`] (an inline code span: one line,
//! delimited by more backticks than any run inside; `code`, for table cells, escapes `|`), [`plain`]
//! (the heading and remarks: Markdown punctuation escaped) and [`fenced`] (a code
//! block whose fence is longer than any backtick run inside); HTML appears only as the fixed
//! `<details>` / `<summary>` tags and a comment marker.

use std::fmt::Write;

use autogen_diff::impact::{Effect, Impact, Lock};
use autogen_diff::{Change, NoteKind, Plan};
use autogen_schema::{QualifiedName, Schema};

use crate::Online;
use crate::diagram;

/// The first line of every report: a marker a CI job can find to update its earlier comment.
pub const MARKER: &str = "<!-- autogen-report -->";

/// GitHub's limit on a comment body is 65,536 characters; stay well under it.
pub const DEFAULT_MAX_BYTES: usize = 60_000;

/// Everything the report says, gathered by the caller (the CLI measures the database).
#[derive(Clone, Debug)]
pub struct Report<'a> {
    /// The heading, e.g. `autogen diff`.
    pub title: &'a str,
    pub plan: &'a Plan,
    /// The model the plan starts from (the introspected database).
    pub current: &'a Schema,
    /// The online-safe plan (`--online`).
    pub online: Option<&'a Online>,
    /// The data-aware counts, one line each, by the index of the change they are about.
    pub data: &'a [DataNote],
    /// The catalog's size of tables the plan locks.
    pub sizes: &'a [TableSize],
    /// Lines after the summary (e.g. partial models that disagree), as plain text.
    pub remarks: &'a [String],
    /// The body's size bound in bytes ([`DEFAULT_MAX_BYTES`]).
    pub max_bytes: usize,
    /// Why the SQL cannot be shown (a new column's type the entities do not resolve), in place
    /// of the SQL blocks.
    pub sql_withheld: Option<&'a str>,
}

/// One counted hazard: `12 row(s) hold NULL in public.users.email: SET NOT NULL fails …`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataNote {
    pub change: usize,
    pub text: String,
}

/// A table's size from the catalog.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableSize {
    pub table: QualifiedName,
    /// `None`: never analyzed.
    pub estimated_rows: Option<i64>,
    pub bytes: i64,
}

/// Tables drawn at most, and columns per table.
const DIAGRAM_TABLES: usize = 40;
const DIAGRAM_COLUMNS: usize = 25;
/// Remarks shown at most.
const REMARKS: usize = 20;

/// The report's Markdown, ending with a line break.
pub fn render(r: &Report<'_>) -> String {
    let mut head = format!("{MARKER}\n### {}\n\n", plain(r.title));
    if r.plan.is_empty() {
        head.push_str("**No schema changes**: the database matches the entities.\n");
        for line in remarks(r.remarks) {
            let _ = writeln!(head, "\n{line}");
        }
        return head;
    }
    let steps = crate::lower_with(r.plan, r.current, r.online);
    let _ = writeln!(head, "**Summary:** {}\n", summary(r, &steps));
    for line in remarks(r.remarks) {
        let _ = writeln!(head, "{line}\n");
    }
    let budget = r.max_bytes.max(4_000);
    let rows: Vec<String> = steps
        .iter()
        .enumerate()
        .map(|(i, s)| row(r, i, s))
        .collect();
    let notes = notes(r.plan);
    // The change table gets at most half the budget.
    let mut table = String::from("| # | Change | Lock | Hazards |\n|---:|---|---|---|\n");
    let mut shown = 0;
    for row in &rows {
        if table.len() + row.len() > budget / 2 {
            break;
        }
        table.push_str(row);
        shown += 1;
    }
    if shown < rows.len() {
        let _ = writeln!(
            table,
            "\n*{} more step(s) not listed: the report is bounded; run `autogen diff` for all of them.*",
            rows.len() - shown
        );
    }
    let mut out = head;
    out.push_str(&table);
    if !notes.is_empty() {
        out.push_str("\n**Notes**\n\n");
        for n in &notes {
            let _ = writeln!(out, "- {n}");
        }
    }
    let left = budget.saturating_sub(out.len());
    out.push_str(&diagram_section(r, left / 2));
    if let Some(why) = r.sql_withheld {
        let _ = writeln!(out, "\n**SQL not shown**: {}", inline(why));
        return out;
    }
    let up = crate::sql_with(r.plan, r.online);
    let down = crate::sql_with(&r.plan.inverse(), r.online);
    let left = budget.saturating_sub(out.len() + 400);
    let (up_room, down_room) = if up.len() + down.len() <= left {
        (up.len(), down.len())
    } else if up.len() <= left * 2 / 3 {
        (up.len(), left - up.len())
    } else if down.len() <= left / 3 {
        (left - down.len(), down.len())
    } else {
        (left * 2 / 3, left / 3)
    };
    out.push_str(&sql_details("Up SQL", &up, up_room));
    out.push_str(&sql_details("Down SQL", &down, down_room));
    out
}

/// The remarks, at most [`REMARKS`] of them, as plain text.
fn remarks(lines: &[String]) -> Vec<String> {
    let mut out: Vec<String> = lines.iter().take(REMARKS).map(|l| plain(l)).collect();
    if lines.len() > REMARKS {
        out.push(format!("*and {} more*", lines.len() - REMARKS));
    }
    out
}

/// `adds 2 tables, 3 columns; 1 destructive step; 1 step rewrites `orders` (≈ 2.1M rows)`.
fn summary(r: &Report<'_>, steps: &[crate::Step]) -> String {
    let mut adds = Counter::default();
    let mut drops = Counter::default();
    let mut renames = Counter::default();
    let mut alters = Counter::default();
    let mut altered_columns = std::collections::BTreeSet::new();
    for c in &r.plan.changes {
        use Change::*;
        match c {
            CreateSchema { .. } => adds.add("schema", "schemas"),
            CreateExtension { .. } => adds.add("extension", "extensions"),
            DropExtension { .. } => drops.add("extension", "extensions"),
            DropSchema { .. } => drops.add("schema", "schemas"),
            CreateEnum { .. } => adds.add("enum type", "enum types"),
            DropEnum { .. } => drops.add("enum type", "enum types"),
            AddEnumValue { moved: true, .. } => {}
            RemoveEnumValue { moved: true, .. } => {
                alters.add("enum label order", "enum label orders")
            }
            AddEnumValue { .. } => adds.add("enum label", "enum labels"),
            RemoveEnumValue { .. } => drops.add("enum label", "enum labels"),
            CreateTable { .. } => adds.add("table", "tables"),
            DropTable { .. } => drops.add("table", "tables"),
            RenameTable { .. } => renames.add("table", "tables"),
            AddColumn { .. } => adds.add("column", "columns"),
            DropColumn { .. } => drops.add("column", "columns"),
            RenameColumn { .. } => renames.add("column", "columns"),
            AlterColumnType { table, column, .. }
            | SetNotNull { table, column }
            | DropNotNull { table, column }
            | AlterDefault { table, column, .. }
            | AlterIdentity { table, column, .. } => {
                if altered_columns.insert((table.clone(), column.clone())) {
                    alters.add("column", "columns");
                }
            }
            AddIndex { .. } => adds.add("index", "indexes"),
            DropIndex { .. } => drops.add("index", "indexes"),
            RenameIndex { .. } => renames.add("index", "indexes"),
            AddPrimaryKey { .. } => adds.add("primary key", "primary keys"),
            DropPrimaryKey { .. } => drops.add("primary key", "primary keys"),
            AddForeignKey { .. } => adds.add("foreign key", "foreign keys"),
            DropForeignKey { .. } => drops.add("foreign key", "foreign keys"),
            RenameForeignKey { .. } => renames.add("foreign key", "foreign keys"),
            AlterForeignKey { .. } => alters.add("foreign key", "foreign keys"),
            AddCheck { .. } => adds.add("check", "checks"),
            DropCheck { .. } => drops.add("check", "checks"),
            SetTableComment { .. } | SetColumnComment { .. } => alters.add("comment", "comments"),
        }
    }
    let mut parts: Vec<String> = [
        ("adds", adds),
        ("drops", drops),
        ("renames", renames),
        ("alters", alters),
    ]
    .into_iter()
    .filter(|(_, c)| !c.0.is_empty())
    .map(|(verb, c)| format!("{verb} {}", c.text()))
    .collect();
    let destructive = steps.iter().filter(|s| s.destructive.is_some()).count();
    if destructive > 0 {
        parts.push(format!(
            "⚠️ {destructive} destructive step{}",
            if destructive == 1 { "" } else { "s" }
        ));
    }
    for (effect, verb1, verbn) in [
        (Effect::Rewrite, "rewrites", "rewrite"),
        (Effect::Scan, "scans", "scan"),
    ] {
        let hit: Vec<&Impact> = steps
            .iter()
            .map(|s| &s.impact)
            .filter(|i| i.effect() == effect)
            .collect();
        if hit.is_empty() {
            continue;
        }
        let mut tables: Vec<&QualifiedName> = hit
            .iter()
            .flat_map(|i| {
                i.locks
                    .iter()
                    .filter(|l| l.effect == effect)
                    .map(|l| &l.table)
            })
            .collect();
        tables.sort();
        tables.dedup();
        // At most five tables by name: the line stays one line whatever the plan.
        let more = tables.len().saturating_sub(5);
        let mut names: Vec<String> = tables
            .iter()
            .take(5)
            .map(|t| {
                let size = rows_of(r, t).map(|n| format!(" ({n})")).unwrap_or_default();
                format!("{}{size}", inline(&short(t)))
            })
            .collect();
        if more > 0 {
            names.push(format!("and {more} more"));
        }
        let n = hit.len();
        parts.push(format!(
            "{n} step{} {} {}{}",
            if n == 1 { "" } else { "s" },
            if n == 1 { verb1 } else { verbn },
            names.join(", "),
            if effect == Effect::Scan {
                " under a lock"
            } else {
                ""
            }
        ));
    }
    parts.join("; ")
}

#[derive(Default)]
struct Counter(Vec<(&'static str, &'static str, usize)>);

impl Counter {
    fn add(&mut self, one: &'static str, many: &'static str) {
        match self.0.iter_mut().find(|(o, _, _)| *o == one) {
            Some(e) => e.2 += 1,
            None => self.0.push((one, many, 1)),
        }
    }

    fn text(&self) -> String {
        self.0
            .iter()
            .map(|(one, many, n)| format!("{n} {}", if *n == 1 { one } else { many }))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A table's name as the summary shows it: without `public.`.
fn short(t: &QualifiedName) -> String {
    if t.schema == "public" {
        t.name.clone()
    } else {
        t.to_string()
    }
}

/// `≈ 2.1M rows` from the catalog, when measured.
fn rows_of(r: &Report<'_>, t: &QualifiedName) -> Option<String> {
    let s = r.sizes.iter().find(|s| &s.table == t)?;
    Some(match s.estimated_rows {
        Some(n) => format!("≈ {} rows", compact(n)),
        None => "never analyzed".into(),
    })
}

/// 950, 12.3k, 2.1M, 4.0B.
fn compact(n: i64) -> String {
    let f = n as f64;
    match n.abs() {
        0..=999 => n.to_string(),
        1_000..=999_999 => format!("{:.1}k", f / 1e3),
        1_000_000..=999_999_999 => format!("{:.1}M", f / 1e6),
        _ => format!("{:.1}B", f / 1e9),
    }
}

/// A size for people: `512 bytes`, `48.0 kB`, `180.0 MB` (powers of 1,024, as Postgres's
/// `pg_size_pretty`). The one spelling of table sizes in every output.
pub fn bytes(n: i64) -> String {
    const UNITS: [&str; 5] = ["bytes", "kB", "MB", "GB", "TB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1024.0 && u + 1 < UNITS.len() {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{n} bytes")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

/// One line of the change table.
fn row(r: &Report<'_>, i: usize, step: &crate::Step) -> String {
    let lock = lock_cell(r, &step.impact);
    let mut hazards = Vec::new();
    if let Some(why) = &step.destructive {
        // The reason repeats the step's description; the row already shows it.
        let why = why
            .strip_prefix(&format!("{}: ", step.description))
            .unwrap_or(why);
        hazards.push(format!("⚠️ **destructive**: {}", code(why)));
    }
    for n in r.plan.notes.iter().filter(|n| n.change == Some(i)) {
        match n.kind {
            NoteKind::Hazard
                if step
                    .destructive
                    .as_deref()
                    .is_some_and(|d| d.ends_with(n.message.as_str())) => {}
            NoteKind::Hazard => hazards.push(format!("⚠️ {}", code(&n.message))),
            _ => hazards.push(format!("review: {}", code(&n.message))),
        }
    }
    for d in r.data.iter().filter(|d| d.change == i) {
        hazards.push(format!("📊 {}", code(&d.text)));
    }
    format!(
        "| {} | {} | {} | {} |\n",
        i + 1,
        code(&step.description),
        lock,
        hazards.join("<br>")
    )
}

/// `**ACCESS EXCLUSIVE** on `orders`, rewrites (≈ 2.1M rows, 180.0 MB)`; `—` when the step
/// locks no existing table.
fn lock_cell(r: &Report<'_>, impact: &Impact) -> String {
    if impact.locks.is_empty() {
        return "—".into();
    }
    let mut parts = Vec::new();
    for l in &impact.locks {
        let name = code(&short(&l.table));
        let lock = if l.lock == Lock::AccessExclusive && l.effect == Effect::None {
            format!("{} (brief)", l.lock.name())
        } else if l.effect > Effect::None {
            format!("**{}**", l.lock.name())
        } else {
            l.lock.name().to_string()
        };
        let mut s = format!("{lock} on {name}");
        if l.effect > Effect::None {
            let size = r
                .sizes
                .iter()
                .find(|s| s.table == l.table)
                .map(|s| {
                    let rows = match s.estimated_rows {
                        Some(n) => format!("≈ {} rows", compact(n)),
                        None => "never analyzed".into(),
                    };
                    format!(" ({rows}, {})", bytes(s.bytes))
                })
                .unwrap_or_default();
            let _ = write!(s, ", {}{size}", l.effect.name());
        }
        parts.push(s);
    }
    let mut cell = parts.join("; ");
    if let Some(why) = &impact.why {
        let _ = write!(cell, "<br>{}", code(why));
    }
    cell
}

/// The plan's notes that are not about one step (rename hints; unmanaged objects counted), as
/// list items. A note about a step is in that step's row.
fn notes(plan: &Plan) -> Vec<String> {
    let mut out = Vec::new();
    let mut unmanaged = 0;
    for n in &plan.notes {
        match (n.kind, n.change) {
            (NoteKind::Unmanaged, _) => unmanaged += 1,
            (_, Some(_)) => {}
            (_, None) => out.push(format!("{}: {}", inline(&n.object), inline(&n.message))),
        }
    }
    if out.len() > REMARKS {
        let more = out.len() - REMARKS;
        out.truncate(REMARKS);
        out.push(format!("and {more} more (`autogen diff` lists them)"));
    }
    if unmanaged > 0 {
        out.push(format!(
            "{unmanaged} database object(s) the entities cannot declare are left alone (`autogen diff --verbose` lists them)"
        ));
    }
    out
}

/// The Mermaid diagram of the touched tables, drawn with fewer tables until it fits `room`.
fn diagram_section(r: &Report<'_>, room: usize) -> String {
    let full = diagram::of_plan(r.plan, r.current);
    if full.entities.is_empty() {
        return String::new();
    }
    let mut max = DIAGRAM_TABLES;
    loop {
        let d = full.clone().bounded(max, DIAGRAM_COLUMNS);
        let text = diagram::mermaid(&d);
        let changed = d.entities.iter().filter(|e| !e.neighbour).count();
        let neighbours = d.entities.len() - changed;
        let mut what = format!(
            "{changed} table{} the plan touches",
            if changed == 1 { "" } else { "s" }
        );
        if neighbours > 0 {
            let _ = write!(
                what,
                " and {neighbours} neighbour{} (key columns only)",
                if neighbours == 1 { "" } else { "s" }
            );
        }
        if d.omitted > 0 {
            let _ = write!(what, "; {} more not drawn", d.omitted);
        }
        let section = format!(
            "\n#### Schema diagram\n\n{what}; marked *new*, *dropped* or *changed*.\n\n```mermaid\n{text}```\n"
        );
        if section.len() <= room || max <= 1 {
            return if section.len() <= room {
                section
            } else {
                format!(
                    "\n#### Schema diagram\n\n*Not drawn: the plan touches {} tables, too many for the report.*\n",
                    full.entities.len()
                )
            };
        }
        max = (max / 2).min(d.entities.len().saturating_sub(1)).max(1);
    }
}

/// A collapsed block holding `sql`, cut at a line to fit `room` bytes.
fn sql_details(title: &str, sql: &str, room: usize) -> String {
    let mut body = String::new();
    for line in sql.lines() {
        if body.len() + line.len() + 1 > room {
            break;
        }
        body.push_str(line);
        body.push('\n');
    }
    let total_lines = sql.lines().count();
    let shown_lines = body.lines().count();
    let mut out = format!(
        "\n<details><summary>{title} ({total_lines} line{})</summary>\n\n",
        if total_lines == 1 { "" } else { "s" }
    );
    out.push_str(&fenced("sql", &body));
    if shown_lines < total_lines {
        let _ = writeln!(
            out,
            "\n*{} more line(s) not shown: the report is bounded; run `autogen diff --format sql` for the whole script.*",
            total_lines - shown_lines
        );
    }
    out.push_str("\n</details>\n");
    out
}

/// A fenced code block of `body`, its fence longer than any run of backticks in it.
pub(crate) fn fenced(lang: &str, body: &str) -> String {
    let fence = "`".repeat(longest_backtick_run(body).max(2) + 1);
    let mut out = format!("{fence}{lang}\n{body}");
    if !body.ends_with('\n') {
        out.push('\n');
    }
    let _ = writeln!(out, "{fence}");
    out
}

/// Free text as an inline code span in a table cell: [`inline`] with `|` escaped (a code span
/// in a table cell still ends the cell at a bare `|`; GFM shows `\|` there as `|`).
pub(crate) fn code(text: &str) -> String {
    span(&crate::text::one_line(text).replace('|', "\\|"))
}

/// Free text as an inline code span on one line: control characters escaped, delimited by more
/// backticks than any run inside.
pub(crate) fn inline(text: &str) -> String {
    span(&crate::text::one_line(text))
}

fn span(one: &str) -> String {
    if one.is_empty() {
        // Two backticks alone are not a code span.
        return "` `".into();
    }
    let ticks = "`".repeat(longest_backtick_run(one) + 1);
    let pad =
        if one.starts_with('`') || one.ends_with('`') || one.starts_with(' ') && one.ends_with(' ')
        {
            " "
        } else {
            ""
        };
    format!("{ticks}{pad}{one}{pad}{ticks}")
}

/// Free text as plain Markdown on one line: every character Markdown or HTML gives a meaning
/// escaped.
pub(crate) fn plain(text: &str) -> String {
    let mut out = String::new();
    for c in crate::text::one_line(text).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c if c.is_ascii_punctuation()
                && !matches!(
                    c,
                    '.' | ','
                        | ':'
                        | ';'
                        | '\''
                        | '"'
                        | '/'
                        | '='
                        | '?'
                        | '%'
                        | '@'
                        | '$'
                        | '('
                        | ')'
                ) =>
            {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

fn longest_backtick_run(text: &str) -> usize {
    let mut best = 0;
    let mut run = 0;
    for c in text.chars() {
        if c == '`' {
            run += 1;
            best = best.max(run);
        } else {
            run = 0;
        }
    }
    best
}

#[cfg(test)]
mod tests;
