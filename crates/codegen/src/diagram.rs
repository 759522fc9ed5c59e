//! Entity-relationship diagrams: a small model of what to draw ([`Diagram`]: tables with their
//! columns and keys, foreign keys as relations, each marked added / dropped / changed), built
//! either from a whole schema ([`of_schema`], for `autogen inspect`) or from a plan ([`of_plan`]:
//! the tables the plan touches plus their direct foreign-key neighbours, for the PR report), and
//! rendered as a Mermaid `erDiagram` ([`mermaid`]) or a Graphviz digraph ([`dot`]).
//!
//! Names are free text: each renderer gives every table an identifier of its own and writes the
//! real name only inside a quoted label, through its own escaping (`mermaid::label`,
//! `dot::html`), so a hostile name stays a label.

mod dot;
mod mermaid;

use std::collections::{BTreeMap, BTreeSet};

use autogen_diff::{Change, Plan};
use autogen_schema::{Column, ForeignKey, KeyPart, QualifiedName, Schema, Table};

pub use dot::dot;
pub use mermaid::mermaid;

/// How an object changes in the plan the diagram shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum Mark {
    #[default]
    None,
    Added,
    Dropped,
    Changed,
}

impl Mark {
    /// The word after a marked name: `new`, `dropped`, `changed`.
    pub fn word(self) -> Option<&'static str> {
        match self {
            Mark::None => None,
            Mark::Added => Some("new"),
            Mark::Dropped => Some("dropped"),
            Mark::Changed => Some("changed"),
        }
    }
}

/// What to draw.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diagram {
    /// In (schema, name) order.
    pub entities: Vec<Entity>,
    pub relations: Vec<Relation>,
    /// Tables left out to bound the diagram's size.
    pub omitted: usize,
}

/// One table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entity {
    pub table: QualifiedName,
    pub mark: Mark,
    /// Said after the mark, e.g. `renamed from post`.
    pub note: Option<String>,
    pub attributes: Vec<Attribute>,
    /// Columns not drawn (a neighbour shows only its key columns; a very wide table is cut).
    pub hidden_columns: usize,
    /// Drawn only because it references or is referenced by a table of interest.
    pub neighbour: bool,
}

/// One column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attribute {
    pub name: String,
    /// `format_type` text.
    pub ty: String,
    pub primary_key: bool,
    pub foreign_key: bool,
    /// The only column of a unique index or constraint.
    pub unique: bool,
    pub mark: Mark,
    /// What changes: `type integer → bigint`, `renamed from title`, `NOT NULL`.
    pub notes: Vec<String>,
}

/// One foreign key, drawn from the referencing table to the referenced one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Relation {
    pub child: QualifiedName,
    pub parent: QualifiedName,
    pub name: String,
    /// The referencing columns are unique (at most one child row per parent row).
    pub child_unique: bool,
    /// Some referencing column is nullable (a child row may have no parent).
    pub optional: bool,
    pub mark: Mark,
}

/// Which tables [`of_schema`] draws.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    /// Only tables in these Postgres schemas (empty: every schema).
    pub schemas: Vec<String>,
    /// Only these tables (`name` or `schema.name`; empty: every table), drawn with their direct
    /// foreign-key neighbours (key columns only).
    pub tables: Vec<String>,
}

impl Filter {
    fn schema_ok(&self, t: &Table) -> bool {
        self.schemas.is_empty() || self.schemas.contains(&t.schema)
    }

    fn table_matches(pattern: &str, t: &Table) -> bool {
        pattern == t.name || *pattern == format!("{}.{}", t.schema, t.name)
    }

    /// The `tables` entries that name no table of `schema` (within `schemas`).
    pub fn unmatched(&self, schema: &Schema) -> Vec<String> {
        self.tables
            .iter()
            .filter(|p| {
                !schema
                    .tables
                    .iter()
                    .any(|t| self.schema_ok(t) && Filter::table_matches(p, t))
            })
            .cloned()
            .collect()
    }
}

/// The whole schema, or the part `filter` selects.
pub fn of_schema(schema: &Schema, filter: &Filter) -> Diagram {
    let selected: BTreeSet<QualifiedName> = schema
        .tables
        .iter()
        .filter(|t| filter.schema_ok(t))
        .filter(|t| {
            filter.tables.is_empty() || filter.tables.iter().any(|p| Filter::table_matches(p, t))
        })
        .map(Table::qualified_name)
        .collect();
    let mut d = Diagram::default();
    let neighbours = neighbours_of(schema, &selected, &[]);
    for t in sorted_tables(schema) {
        let q = t.qualified_name();
        if selected.contains(&q) {
            d.entities.push(entity(t, &TableMarks::default(), false));
        } else if neighbours.contains(&q) {
            d.entities.push(entity(t, &TableMarks::default(), true));
        }
    }
    d.relations = relations(schema, &d.entities, &BTreeMap::new(), &[]);
    d
}

/// The tables `plan` touches (as they are after it; a dropped table as it was) plus their direct
/// foreign-key neighbours, each table, column and foreign key marked with what the plan does to
/// it. `current` is the model the plan starts from.
pub fn of_plan(plan: &Plan, current: &Schema) -> Diagram {
    let mut model = current.clone();
    let mut marks: BTreeMap<QualifiedName, TableMarks> = BTreeMap::new();
    let mut dropped_tables: BTreeMap<QualifiedName, Table> = BTreeMap::new();
    let mut fk_marks: BTreeMap<(QualifiedName, String), Mark> = BTreeMap::new();
    let mut dropped_fks: Vec<(QualifiedName, ForeignKey)> = Vec::new();
    for change in &plan.changes {
        record(
            change,
            &mut Recorder {
                marks: &mut marks,
                dropped_tables: &mut dropped_tables,
                fk_marks: &mut fk_marks,
                dropped_fks: &mut dropped_fks,
            },
        );
        let _ = autogen_diff::apply(&mut model, change);
    }
    // A table dropped and created again in the same plan is changed, not dropped.
    for (q, m) in marks.iter_mut() {
        if m.mark == Mark::Dropped && model.table(&q.schema, &q.name).is_some() {
            m.mark = Mark::Changed;
        }
    }
    dropped_fks.retain(|(t, fk)| !fk_exists(&model, t, &fk.name));
    let touched: BTreeSet<QualifiedName> = marks.keys().cloned().collect();
    let neighbours = neighbours_of(&model, &touched, &dropped_fks);
    let mut d = Diagram::default();
    let mut drawn: BTreeMap<QualifiedName, Entity> = BTreeMap::new();
    for t in &model.tables {
        let q = t.qualified_name();
        if let Some(m) = marks.get(&q) {
            drawn.insert(q, entity(t, m, false));
        } else if neighbours.contains(&q) {
            drawn.insert(q, entity(t, &TableMarks::default(), true));
        }
    }
    for (q, t) in &dropped_tables {
        if !drawn.contains_key(q) {
            let m = marks.get(q).cloned().unwrap_or_default();
            drawn.insert(q.clone(), entity(t, &m, false));
        }
    }
    d.entities = drawn.into_values().collect();
    // Dropped tables' foreign keys are dropped first, as separate changes: they are in
    // `dropped_fks`, drawn between the tables' before-states.
    let mut all = model.clone();
    all.tables.extend(
        dropped_tables
            .into_values()
            .filter(|t| model.table(&t.schema, &t.name).is_none()),
    );
    d.relations = relations(&all, &d.entities, &fk_marks, &dropped_fks);
    d
}

impl Diagram {
    /// At most `max` tables: those the plan touches first, then neighbours, each group in name
    /// order; relations to a table left out are left out too. At most `max_columns` columns per
    /// table.
    pub fn bounded(mut self, max: usize, max_columns: usize) -> Diagram {
        for e in &mut self.entities {
            if e.attributes.len() > max_columns {
                e.hidden_columns += e.attributes.len() - max_columns;
                // Marked columns first, so what changes stays visible.
                e.attributes.sort_by_key(|a| a.mark == Mark::None);
                e.attributes.truncate(max_columns);
            }
        }
        if self.entities.len() <= max {
            return self;
        }
        let mut order: Vec<usize> = (0..self.entities.len()).collect();
        order.sort_by_key(|&i| (self.entities[i].neighbour, i));
        let keep: BTreeSet<usize> = order.into_iter().take(max).collect();
        self.omitted += self.entities.len() - keep.len();
        self.entities = std::mem::take(&mut self.entities)
            .into_iter()
            .enumerate()
            .filter(|(i, _)| keep.contains(i))
            .map(|(_, e)| e)
            .collect();
        let names: BTreeSet<&QualifiedName> = self.entities.iter().map(|e| &e.table).collect();
        let relations = std::mem::take(&mut self.relations);
        self.relations = relations
            .into_iter()
            .filter(|r| names.contains(&r.child) && names.contains(&r.parent))
            .collect();
        self
    }

    /// Whether the tables are in more than one Postgres schema (labels are then qualified).
    pub fn several_schemas(&self) -> bool {
        let schemas: BTreeSet<&str> = self
            .entities
            .iter()
            .map(|e| e.table.schema.as_str())
            .collect();
        schemas.len() > 1 || schemas.iter().any(|s| *s != "public")
    }

    /// A table's label: its name (qualified when [`Diagram::several_schemas`]), then its mark
    /// and note: `posts (new)`, `article (changed: renamed from post)`.
    pub fn label(&self, e: &Entity) -> String {
        format!("{}{}", self.shown_name(e), Diagram::suffix(e))
    }

    /// The table's name as labels show it.
    pub fn shown_name(&self, e: &Entity) -> String {
        if self.several_schemas() {
            e.table.to_string()
        } else {
            e.table.name.clone()
        }
    }

    /// ` (new)`, ` (changed: renamed from post)` or nothing.
    pub fn suffix(e: &Entity) -> String {
        match (e.mark.word(), &e.note) {
            (Some(w), Some(n)) => format!(" ({w}: {n})"),
            (Some(w), None) => format!(" ({w})"),
            (None, Some(n)) => format!(" ({n})"),
            (None, None) => String::new(),
        }
    }
}

/// Per table: its mark and each column's.
#[derive(Clone, Debug, Default)]
struct TableMarks {
    mark: Mark,
    note: Option<String>,
    columns: BTreeMap<String, (Mark, Vec<String>)>,
    dropped_columns: Vec<Column>,
}

impl TableMarks {
    fn column(&mut self, name: &str, mark: Mark, note: Option<String>) {
        if self.mark == Mark::Added {
            return;
        }
        let entry = self
            .columns
            .entry(name.to_string())
            .or_insert((mark, Vec::new()));
        if entry.0 != Mark::Added {
            entry.0 = entry.0.max(mark);
        }
        if let Some(n) = note
            && !entry.1.contains(&n)
        {
            entry.1.push(n);
        }
    }

    fn touch(&mut self) {
        if self.mark == Mark::None {
            self.mark = Mark::Changed;
        }
    }
}

struct Recorder<'a> {
    marks: &'a mut BTreeMap<QualifiedName, TableMarks>,
    dropped_tables: &'a mut BTreeMap<QualifiedName, Table>,
    fk_marks: &'a mut BTreeMap<(QualifiedName, String), Mark>,
    dropped_fks: &'a mut Vec<(QualifiedName, ForeignKey)>,
}

/// Notes what `change` does.
fn record(change: &Change, r: &mut Recorder<'_>) {
    use Change::*;
    let Some(q) = change.table() else {
        return;
    };
    match change {
        CreateTable { .. } => {
            let m = r.marks.entry(q).or_default();
            m.mark = if m.mark == Mark::Dropped {
                Mark::Changed
            } else {
                Mark::Added
            };
        }
        DropTable { table } => {
            r.dropped_tables.insert(q.clone(), table.clone());
            let m = r.marks.entry(q).or_default();
            m.mark = Mark::Dropped;
        }
        RenameTable { from, to } => {
            let mut m = r.marks.remove(from).unwrap_or_default();
            m.touch();
            if m.mark != Mark::Added && m.note.is_none() {
                m.note = Some(format!("renamed from {}", from.name));
            }
            r.marks.insert(QualifiedName::new(&from.schema, to), m);
        }
        AddColumn { column, .. } => {
            r.marks
                .entry(q)
                .or_default()
                .column(&column.name, Mark::Added, None)
        }
        DropColumn { column, .. } => {
            let m = r.marks.entry(q).or_default();
            m.touch();
            if m.mark != Mark::Added {
                m.columns.remove(&column.name);
                m.dropped_columns.push(column.clone());
            }
        }
        RenameColumn { from, to, .. } => {
            let m = r.marks.entry(q).or_default();
            m.touch();
            let (mark, mut notes) = m.columns.remove(from).unwrap_or((Mark::Changed, vec![]));
            if mark != Mark::Added {
                notes.push(format!("renamed from {from}"));
            }
            m.columns.insert(to.clone(), (mark, notes));
        }
        AlterColumnType {
            column, from, to, ..
        } => {
            let m = r.marks.entry(q).or_default();
            m.touch();
            m.column(
                column,
                Mark::Changed,
                Some(format!("type {} → {}", from.to_sql(), to.to_sql())),
            );
        }
        SetNotNull { column, .. } | DropNotNull { column, .. } => {
            let m = r.marks.entry(q).or_default();
            m.touch();
            let note = if matches!(change, SetNotNull { .. }) {
                "NOT NULL"
            } else {
                "nullable"
            };
            m.column(column, Mark::Changed, Some(note.into()));
        }
        AlterDefault { column, .. } => {
            let m = r.marks.entry(q).or_default();
            m.touch();
            m.column(column, Mark::Changed, Some("default".into()));
        }
        AlterIdentity { column, .. } => {
            let m = r.marks.entry(q).or_default();
            m.touch();
            m.column(column, Mark::Changed, Some("identity".into()));
        }
        SetColumnComment { column, .. } => {
            let m = r.marks.entry(q).or_default();
            m.touch();
            m.column(column, Mark::Changed, Some("comment".into()));
        }
        AddForeignKey { foreign_key, .. } => {
            r.marks.entry(q.clone()).or_default().touch();
            r.fk_marks
                .insert((q, foreign_key.name.clone()), Mark::Added);
        }
        DropForeignKey { foreign_key, .. } => {
            r.marks.entry(q.clone()).or_default().touch();
            r.dropped_fks.push((q, foreign_key.clone()));
        }
        AlterForeignKey { to, .. } => {
            r.marks.entry(q.clone()).or_default().touch();
            r.fk_marks.insert((q, to.name.clone()), Mark::Changed);
        }
        RenameForeignKey { to, .. } => {
            r.marks.entry(q.clone()).or_default().touch();
            r.fk_marks.insert((q, to.clone()), Mark::Changed);
        }
        AddPrimaryKey { primary_key, .. } | DropPrimaryKey { primary_key, .. } => {
            let m = r.marks.entry(q).or_default();
            m.touch();
            let note = if matches!(change, AddPrimaryKey { .. }) {
                "primary key added"
            } else {
                "primary key dropped"
            };
            for c in &primary_key.columns {
                m.column(c, Mark::Changed, Some(note.into()));
            }
        }
        AddIndex { index, .. } | DropIndex { index, .. } if index.unique => {
            let m = r.marks.entry(q).or_default();
            m.touch();
            if let Some(cols) = index.column_names()
                && cols.len() == 1
            {
                let note = if matches!(change, AddIndex { .. }) {
                    "unique added"
                } else {
                    "unique dropped"
                };
                m.column(cols[0], Mark::Changed, Some(note.into()));
            }
        }
        _ => r.marks.entry(q).or_default().touch(),
    }
}

fn fk_exists(model: &Schema, t: &QualifiedName, name: &str) -> bool {
    model
        .table(&t.schema, &t.name)
        .is_some_and(|t| t.foreign_key(name).is_some())
}

/// The tables in (schema, name) order; a name given twice (no real schema has that) once.
fn sorted_tables(schema: &Schema) -> Vec<&Table> {
    let mut v: Vec<&Table> = schema.tables.iter().collect();
    v.sort_by(|a, b| (&a.schema, &a.name).cmp(&(&b.schema, &b.name)));
    v.dedup_by(|a, b| a.schema == b.schema && a.name == b.name);
    v
}

/// Tables not in `of` that reference one of `of` or are referenced by one of them.
fn neighbours_of(
    schema: &Schema,
    of: &BTreeSet<QualifiedName>,
    extra_fks: &[(QualifiedName, ForeignKey)],
) -> BTreeSet<QualifiedName> {
    let mut out = BTreeSet::new();
    let fks = schema
        .tables
        .iter()
        .flat_map(|t| {
            t.foreign_keys
                .iter()
                .map(move |fk| (t.qualified_name(), fk))
        })
        .chain(extra_fks.iter().map(|(t, fk)| (t.clone(), fk)));
    for (child, fk) in fks {
        let parent = fk.referenced();
        if of.contains(&child) && !of.contains(&parent) {
            out.insert(parent);
        } else if of.contains(&parent) && !of.contains(&child) {
            out.insert(child);
        }
    }
    out.retain(|q| schema.table(&q.schema, &q.name).is_some());
    out
}

fn entity(t: &Table, m: &TableMarks, neighbour: bool) -> Entity {
    let pk: BTreeSet<&str> = t
        .primary_key
        .iter()
        .flat_map(|p| p.columns.iter().map(String::as_str))
        .collect();
    let fk: BTreeSet<&str> = t
        .foreign_keys
        .iter()
        .flat_map(|f| f.columns.iter().map(String::as_str))
        .collect();
    let unique: BTreeSet<&str> = t
        .indexes
        .iter()
        .filter(|i| i.unique && i.predicate.is_none() && i.keys.len() == 1)
        .filter_map(|i| match &i.keys[0].part {
            KeyPart::Column(c) => Some(c.as_str()),
            KeyPart::Expression(_) => None,
        })
        .collect();
    let attribute = |c: &Column, mark: Mark, notes: Vec<String>| Attribute {
        name: c.name.clone(),
        ty: c.ty.to_sql(),
        primary_key: pk.contains(c.name.as_str()),
        foreign_key: fk.contains(c.name.as_str()),
        unique: unique.contains(c.name.as_str()),
        mark,
        notes,
    };
    let mut attributes: Vec<Attribute> = t
        .columns
        .iter()
        .map(|c| {
            let (mark, notes) = m.columns.get(&c.name).cloned().unwrap_or_default();
            attribute(c, mark, notes)
        })
        .collect();
    attributes.extend(
        m.dropped_columns
            .iter()
            .filter(|c| t.column(&c.name).is_none())
            .map(|c| attribute(c, Mark::Dropped, vec![])),
    );
    let mut hidden_columns = 0;
    if neighbour {
        let all = attributes.len();
        attributes.retain(|a| a.primary_key || a.foreign_key);
        hidden_columns = all - attributes.len();
    }
    Entity {
        table: t.qualified_name(),
        mark: m.mark,
        note: m.note.clone(),
        attributes,
        hidden_columns,
        neighbour,
    }
}

/// The foreign keys between drawn tables, in (child, name) order: `schema`'s, each with its mark
/// from `marks`, then `dropped` ones.
fn relations(
    schema: &Schema,
    drawn: &[Entity],
    marks: &BTreeMap<(QualifiedName, String), Mark>,
    dropped: &[(QualifiedName, ForeignKey)],
) -> Vec<Relation> {
    let names: BTreeSet<&QualifiedName> = drawn.iter().map(|e| &e.table).collect();
    let mut out = Vec::new();
    let mut push = |child: &Table, fk: &ForeignKey, mark: Mark| {
        let q = child.qualified_name();
        let parent = fk.referenced();
        if !names.contains(&q) || !names.contains(&parent) {
            return;
        }
        let optional = fk
            .columns
            .iter()
            .any(|c| child.column(c).is_none_or(|c| c.nullable));
        let mut cols: Vec<&str> = fk.columns.iter().map(String::as_str).collect();
        cols.sort_unstable();
        let same = |other: Vec<&str>| {
            let mut other = other;
            other.sort_unstable();
            other == cols
        };
        let child_unique = child
            .primary_key
            .as_ref()
            .is_some_and(|p| same(p.columns.iter().map(String::as_str).collect()))
            || child
                .indexes
                .iter()
                .any(|i| i.unique && i.predicate.is_none() && i.column_names().is_some_and(&same));
        out.push(Relation {
            child: q,
            parent,
            name: fk.name.clone(),
            child_unique,
            optional,
            mark,
        });
    };
    for t in sorted_tables(schema) {
        for fk in &t.foreign_keys {
            let mark = marks
                .get(&(t.qualified_name(), fk.name.clone()))
                .copied()
                .unwrap_or_default();
            push(t, fk, mark);
        }
    }
    for (q, fk) in dropped {
        if let Some(t) = schema.table(&q.schema, &q.name) {
            push(t, fk, Mark::Dropped);
        }
    }
    out.sort_by(|a, b| (&a.child, &a.name).cmp(&(&b.child, &b.name)));
    out
}

#[cfg(test)]
pub(crate) mod tests;
