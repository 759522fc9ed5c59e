//! The extras SQL file: what SeaORM entities cannot declare, written as plain PostgreSQL DDL
//! beside them — `CREATE [UNIQUE] INDEX … [USING method] (…) [INCLUDE (…)] [WHERE …]`,
//! `ALTER TABLE … ADD CONSTRAINT name CHECK (…)` and `CREATE EXTENSION [IF NOT EXISTS] …` —
//! parsed by PostgreSQL's own parser (libpg_query, through the `pg_query` crate) into the same
//! schema model the entities lower into.
//!
//! Pure: the caller reads the file. [`parse`] turns text into [`Declared`] objects (or errors
//! with `file:line:col`), [`apply`] adds them to the entities' schema, checking that every
//! table and column they name is declared by an entity.
//!
//! **Architecture Invariant:** no IO, no panic on any input; every problem is an [`Error`] at a
//! position in the file. This is the only crate that builds the C parser.

mod expr;
mod position;
mod statements;

use autogen_schema::{Check, Extension, Index, Origin, QualifiedName, Schema};

pub use position::Lines;

/// A problem in an extras file, at a position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    pub at: Origin,
    pub message: String,
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: error: {}", self.at, self.message)
    }
}

impl std::error::Error for Error {}

/// One object the file declares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Declared {
    /// The statement's start.
    pub at: Origin,
    /// The table's name in the statement (the statement's start for an extension).
    pub table_at: Origin,
    /// The columns the object names (keys, INCLUDE, expressions), where they are named.
    pub columns: Vec<(String, Origin)>,
    pub item: Item,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Item {
    Index { table: QualifiedName, index: Index },
    Check { table: QualifiedName, check: Check },
    Extension { extension: Extension },
}

/// The objects `text` (the file `file`, as messages should name it) declares, in file order.
/// Unqualified tables are in `default_schema`.
pub fn parse(file: &str, text: &str, default_schema: &str) -> Result<Vec<Declared>, Vec<Error>> {
    let lines = Lines::new(file, text);
    let tree = match pg_query::parse(text, 0) {
        Ok(tree) => tree,
        Err(e) => {
            let message = match e {
                pg_query::Error::Parse(m) => m.replace('\n', " ").trim_end().to_string(),
                pg_query::Error::Conversion(_) => "the file holds a NUL byte".into(),
                other => other.to_string(),
            };
            let offset = if text.contains('\0') {
                text.find('\0').unwrap_or(0)
            } else {
                position::syntax_error_offset(text)
            };
            return Err(vec![Error {
                at: lines.at(offset),
                message,
            }]);
        }
    };
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for raw in &tree.protobuf.stmts {
        let start = usize::try_from(raw.stmt_location).unwrap_or(0);
        let end = match usize::try_from(raw.stmt_len) {
            Ok(0) | Err(_) => text.len(),
            Ok(len) => (start + len).min(text.len()),
        };
        let stmt = statements::Stmt {
            lines: &lines,
            start: first_token(text, start, end),
            end,
            default_schema,
        };
        let Some(node) = raw.stmt.as_ref().and_then(|n| n.node.as_ref()) else {
            continue;
        };
        match statements::lower(&stmt, node) {
            Ok(d) => out.push(d),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// The first byte of the statement's first token (libpg_query's statement location includes
/// the whitespace and comments before it).
fn first_token(text: &str, start: usize, end: usize) -> usize {
    let Some(slice) = text.get(start..end) else {
        return start;
    };
    autogen_schema::sql_lex::tokenize(slice)
        .ok()
        .and_then(|tokens| {
            tokens
                .into_iter()
                .find(|t| t.kind != autogen_schema::sql_lex::Kind::Comment)
                .map(|t| start + t.at)
        })
        .unwrap_or(start)
}

/// Adds the declared objects to the entities' schema. A table or column no entity declares,
/// an object declared twice, or a name an entity already uses for another object is an error
/// at its position; nothing is added then.
pub fn apply(schema: &mut Schema, declared: &[Declared]) -> Result<(), Vec<Error>> {
    let mut errors = Vec::new();
    let mut next = schema.clone();
    for d in declared {
        let err = |at: &Origin, message: String| Error {
            at: at.clone(),
            message,
        };
        match &d.item {
            Item::Extension { extension } => {
                if next.extension(&extension.name).is_some() {
                    errors.push(err(
                        &d.at,
                        format!("extension {} is declared twice", extension.name),
                    ));
                    continue;
                }
                next.extensions.push(Extension {
                    origin: Some(d.at.clone()),
                    ..extension.clone()
                });
            }
            Item::Index { table, .. } | Item::Check { table, .. } => {
                let Some(t) = next.table_mut(&table.schema, &table.name) else {
                    errors.push(err(
                        &d.table_at,
                        format!(
                            "table {table} is not declared by any entity; extras may only add \
                             indexes and checks to entity tables"
                        ),
                    ));
                    continue;
                };
                let mut missing = false;
                for (column, at) in &d.columns {
                    if t.column(column).is_none() {
                        missing = true;
                        errors.push(err(
                            at,
                            format!(
                                "column {column} of table {table} is not declared by its entity"
                            ),
                        ));
                    }
                }
                if missing {
                    continue;
                }
                match &d.item {
                    Item::Index { index, .. } => {
                        if t.indexes.iter().any(|i| i.name == index.name) {
                            errors.push(err(
                                &d.at,
                                format!(
                                    "index {} on {table} is already declared (by an entity or \
                                     earlier in the extras)",
                                    index.name
                                ),
                            ));
                            continue;
                        }
                        t.indexes.push(index.clone());
                    }
                    Item::Check { check, .. } => {
                        if t.checks.iter().any(|c| c.name == check.name) {
                            errors.push(err(
                                &d.at,
                                format!(
                                    "check {} on {table} is already declared (by an entity or \
                                     earlier in the extras)",
                                    check.name
                                ),
                            ));
                            continue;
                        }
                        t.checks.push(check.clone());
                    }
                    Item::Extension { .. } => {}
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    next.normalize();
    *schema = next;
    Ok(())
}

#[cfg(test)]
mod tests;
