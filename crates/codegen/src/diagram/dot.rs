//! A [`Diagram`] as a Graphviz `digraph` (`dot -Tsvg`): one node per table with an HTML-like
//! table label (name, then one row per column: name, keys, type, what changes), one edge per
//! foreign key from the referencing table to the referenced one.
//!
//! Node identifiers are `t0`, `t1`, … in the diagram's order; every name and note is written
//! only inside an HTML-like label through [`html`] (`&`, `<`, `>`, `"` as entities, control
//! characters as visible escapes), so no text can end a label or a statement.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::{Diagram, Mark};

/// The diagram as DOT text, ending with a line break.
pub fn dot(d: &Diagram) -> String {
    let ids: BTreeMap<&autogen_schema::QualifiedName, String> = d
        .entities
        .iter()
        .enumerate()
        .map(|(i, e)| (&e.table, format!("t{i}")))
        .collect();
    let mut out = String::from(
        "digraph schema {\n    graph [rankdir=LR, fontname=\"Helvetica\"];\n    \
         node [shape=plaintext, fontname=\"Helvetica\", fontsize=11];\n    \
         edge [fontname=\"Helvetica\", fontsize=9, arrowhead=normal];\n",
    );
    // A third column for what changes, only when something does.
    let notes_column = d.entities.iter().any(|e| {
        e.attributes
            .iter()
            .any(|a| a.mark != Mark::None || !a.notes.is_empty())
    });
    let span = if notes_column { 3 } else { 2 };
    for e in &d.entities {
        let head = format!(
            "<B>{}</B>{}",
            html(&d.shown_name(e)),
            html(&Diagram::suffix(e))
        );
        let _ = writeln!(
            out,
            "    {} [label=<<TABLE BORDER=\"0\" CELLBORDER=\"1\" CELLSPACING=\"0\" CELLPADDING=\"3\">",
            ids[&e.table]
        );
        let _ = writeln!(
            out,
            "        <TR><TD COLSPAN=\"{span}\" BGCOLOR=\"{}\">{head}</TD></TR>",
            colour(e.mark, "#dde4ee")
        );
        for a in &e.attributes {
            let mut keys = Vec::new();
            if a.primary_key {
                keys.push("PK");
            }
            if a.foreign_key {
                keys.push("FK");
            }
            if a.unique && !a.primary_key {
                keys.push("UK");
            }
            let mut notes: Vec<String> = a
                .mark
                .word()
                .filter(|_| a.mark != Mark::Changed || a.notes.is_empty())
                .map(str::to_string)
                .into_iter()
                .collect();
            notes.extend(a.notes.iter().cloned());
            let bg = match a.mark {
                Mark::None => String::new(),
                m => format!(" BGCOLOR=\"{}\"", colour(m, "")),
            };
            let notes = if notes_column {
                format!("<TD ALIGN=\"LEFT\"{bg}>{}</TD>", html(&notes.join("; ")))
            } else {
                String::new()
            };
            let _ = writeln!(
                out,
                "        <TR><TD ALIGN=\"LEFT\"{bg}>{}</TD><TD ALIGN=\"LEFT\"{bg}>{}</TD>{notes}</TR>",
                html(&if keys.is_empty() {
                    a.name.clone()
                } else {
                    format!("{} ({})", a.name, keys.join(", "))
                }),
                html(&a.ty),
            );
        }
        if e.hidden_columns > 0 {
            let _ = writeln!(
                out,
                "        <TR><TD COLSPAN=\"{span}\" ALIGN=\"LEFT\"><I>{} more column(s)</I></TD></TR>",
                e.hidden_columns
            );
        }
        let _ = writeln!(out, "    </TABLE>>];");
    }
    for r in &d.relations {
        let mut text = r.name.clone();
        if let Some(w) = r.mark.word() {
            text.push_str(&format!(" ({w})"));
        }
        let style = match r.mark {
            Mark::Dropped => ", style=dashed, color=\"#b03030\"",
            Mark::Added => ", color=\"#208020\"",
            Mark::Changed => ", color=\"#b08000\"",
            Mark::None => "",
        };
        let _ = writeln!(
            out,
            "    {} -> {} [label=<{}>{style}];",
            ids[&r.child],
            ids[&r.parent],
            html(&text)
        );
    }
    out.push_str("}\n");
    out
}

fn colour(mark: Mark, none: &str) -> &str {
    match mark {
        Mark::None => none,
        Mark::Added => "#d4f5d4",
        Mark::Dropped => "#f7d4d4",
        Mark::Changed => "#fff0b8",
    }
}

/// Text for inside an HTML-like label: one line, `&`, `<`, `>` and `"` as entities.
pub(crate) fn html(text: &str) -> String {
    let mut out = String::new();
    for c in crate::text::one_line(text).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}
