//! Partial models: several entities over one table merge into one table (the union of their
//! columns, keys and indexes). A column two entities declare differently is an error naming
//! both places.

use std::collections::HashMap;
use std::path::PathBuf;

use autogen_schema::{Column, Origin, Table, TypeSource, equality};

use crate::diagnostics::{Diagnostic, Severity, Sink};

pub(crate) fn merge(tables: Vec<Table>, sink: &mut Sink) -> Vec<Table> {
    let mut out: Vec<Table> = Vec::new();
    let mut index: HashMap<(String, String), usize> = HashMap::new();
    for t in tables {
        match index.get(&(t.schema.clone(), t.name.clone())) {
            Some(i) => merge_into(&mut out[*i], t, sink),
            None => {
                index.insert((t.schema.clone(), t.name.clone()), out.len());
                out.push(t);
            }
        }
    }
    out
}

fn merge_into(base: &mut Table, other: Table, sink: &mut Sink) {
    for mut c in other.columns {
        match base.columns.iter_mut().find(|b| b.name == c.name) {
            Some(b) => {
                take_stated(b, &mut c);
                if let Some(diff) = difference(b, &c) {
                    report(
                        sink,
                        c.origin.as_ref().or(other.origin.as_ref()),
                        format!(
                            "column `{}.{}` is declared differently by two entities ({diff}): here and at {}",
                            base.name,
                            c.name,
                            b.origin
                                .as_ref()
                                .map(Origin::to_string)
                                .unwrap_or_else(|| "another entity".into()),
                        ),
                    );
                }
            }
            None => base.columns.push(c),
        }
    }
    match (&base.primary_key, other.primary_key) {
        (None, pk) => base.primary_key = pk,
        (Some(a), Some(b)) if a.columns != b.columns => report(
            sink,
            other.origin.as_ref(),
            format!(
                "table `{}` gets primary key ({}) here but ({}) at {}",
                base.name,
                b.columns.join(", "),
                a.columns.join(", "),
                base.origin
                    .as_ref()
                    .map(Origin::to_string)
                    .unwrap_or_default()
            ),
        ),
        _ => {}
    }
    if base.comment.is_none() {
        base.comment = other.comment;
    }
    let conflict = |sink: &mut Sink, what: &str, name: &str| {
        report(
            sink,
            other.origin.as_ref(),
            format!(
                "{what} `{name}` on `{}` is declared differently here and at {}",
                base.name,
                base.origin
                    .as_ref()
                    .map(Origin::to_string)
                    .unwrap_or_default()
            ),
        )
    };
    for i in other.indexes {
        match base.indexes.iter().find(|b| b.name == i.name) {
            Some(b) if !equality::indexes_equal(b, &i) => conflict(sink, "index", &i.name),
            Some(_) => {}
            None => base.indexes.push(i),
        }
    }
    for f in other.foreign_keys {
        match base.foreign_keys.iter().find(|b| b.name == f.name) {
            Some(b) if !equality::foreign_keys_equal(b, &f) => {
                conflict(sink, "foreign key", &f.name)
            }
            Some(_) => {}
            None => base.foreign_keys.push(f),
        }
    }
    for c in other.checks {
        if !base.checks.iter().any(|b| b.name == c.name) {
            base.checks.push(c);
        }
    }
}

/// A partial model may leave unstated what another entity over the same table states: a length
/// or precision (`String` next to `column_type = "String(StringLen::N(255))"`), the exact type
/// within the Rust type's family (`String` next to `column_type = "Text"`), a type it cannot
/// resolve, or a default. The stated one wins on both sides; only statements that contradict
/// each other are errors.
fn take_stated(a: &mut Column, b: &mut Column) {
    if says_less(a, b) {
        (a.ty, a.type_source) = (b.ty.clone(), b.type_source.clone());
    } else if says_less(b, a) {
        (b.ty, b.type_source) = (a.ty.clone(), a.type_source.clone());
    }
    match (&a.default, &b.default) {
        (None, Some(d)) => a.default = Some(d.clone()),
        (Some(d), None) => b.default = Some(d.clone()),
        _ => {}
    }
}

/// `a`'s type says less than `b`'s, and `b`'s is one `a` accepts.
fn says_less(a: &Column, b: &Column) -> bool {
    match (&a.type_source, &b.type_source) {
        (TypeSource::Unresolved { .. }, other) => !other.is_unresolved(),
        (TypeSource::Rust { .. }, TypeSource::Stated) => {
            equality::column_type_in_sync(a, &b.ty, false)
        }
        (TypeSource::Stated, TypeSource::Stated)
        | (TypeSource::Rust { .. }, TypeSource::Rust { .. }) => {
            equality::modifier_unstated(&a.ty, &b.ty)
        }
        _ => false,
    }
}

fn difference(a: &Column, b: &Column) -> Option<String> {
    if a.ty != b.ty {
        return Some(format!("type {} vs {}", b.ty, a.ty));
    }
    if a.nullable != b.nullable {
        return Some(format!(
            "{} vs {}",
            null_word(b.nullable),
            null_word(a.nullable)
        ));
    }
    let defaults_same = match (&a.default, &b.default) {
        (None, None) => true,
        (Some(x), Some(y)) => equality::defaults_equal(x, y),
        _ => false,
    };
    if !defaults_same {
        return Some(format!(
            "default {} vs {}",
            b.default.as_deref().unwrap_or("none"),
            a.default.as_deref().unwrap_or("none")
        ));
    }
    if a.identity.is_some() != b.identity.is_some() {
        return Some("identity differs".into());
    }
    None
}

fn null_word(nullable: bool) -> &'static str {
    if nullable { "NULL" } else { "NOT NULL" }
}

fn report(sink: &mut Sink, at: Option<&Origin>, message: String) {
    let mut d = Diagnostic::file(
        Severity::Error,
        &PathBuf::from(at.map(|o| o.file.as_str()).unwrap_or("")),
        message,
    );
    if let Some(o) = at {
        d.line = o.line;
        d.column = o.column;
    }
    sink.push(d);
}
