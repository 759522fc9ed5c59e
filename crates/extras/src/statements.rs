//! The supported statements, from the parse tree into the model: `CREATE [UNIQUE] INDEX`,
//! `ALTER TABLE … ADD CONSTRAINT … CHECK (…)` and `CREATE EXTENSION`. Anything else, and any
//! clause the model cannot hold, is an error at its position.

use autogen_schema::{Check, Extension, Index, IndexKey, KeyPart, QualifiedName, ident};
use pg_query::NodeEnum;
use pg_query::protobuf::{
    AlterTableType, ConstrType, IndexElem, IndexStmt, Node, RangeVar, SortByDir, SortByNulls,
};

use crate::expr::{self, ColumnUse};
use crate::position::Lines;
use crate::{Declared, Error, Item};

/// What lowering one statement needs: the file's lines, where the statement starts, the schema
/// of unqualified tables.
pub struct Stmt<'a> {
    pub lines: &'a Lines<'a>,
    /// Byte offset of the statement's first token.
    pub start: usize,
    /// Byte offset just past the statement.
    pub end: usize,
    pub default_schema: &'a str,
}

impl Stmt<'_> {
    fn error(&self, location: i32, message: impl Into<String>) -> Error {
        Error {
            at: self.lines.at_location(location, self.start),
            message: message.into(),
        }
    }

    fn table(&self, rel: &Option<RangeVar>) -> Result<(QualifiedName, i32), Error> {
        let Some(rel) = rel else {
            return Err(self.error(-1, "the statement names no table"));
        };
        let schema = if rel.schemaname.is_empty() {
            self.default_schema.to_string()
        } else {
            rel.schemaname.clone()
        };
        Ok((QualifiedName::new(schema, &rel.relname), rel.location))
    }

    /// Where a bare name (a key or INCLUDE column, which the parse tree gives no position)
    /// first appears in the statement after `from`, as a word or a quoted identifier.
    fn find_name(&self, name: &str, from: i32) -> i32 {
        let text = self.lines.text();
        let from = usize::try_from(from).unwrap_or(self.start).max(self.start);
        let Some(stmt) = text.get(from..self.end) else {
            return -1;
        };
        let Ok(tokens) = autogen_schema::sql_lex::tokenize(stmt) else {
            return -1;
        };
        let quoted = ident::quote(name);
        tokens
            .iter()
            .find(|t| {
                t.text == quoted || (!t.text.starts_with('"') && t.text.eq_ignore_ascii_case(name))
            })
            .and_then(|t| i32::try_from(from + t.at).ok())
            .unwrap_or(-1)
    }
}

/// Lowers one parsed statement.
pub fn lower(stmt: &Stmt<'_>, node: &NodeEnum) -> Result<Declared, Error> {
    match node {
        NodeEnum::IndexStmt(s) => index(stmt, s),
        NodeEnum::AlterTableStmt(s) => {
            let (table, location) = stmt.table(&s.relation)?;
            let [cmd] = s.cmds.as_slice() else {
                return Err(stmt.error(
                    -1,
                    "write one ADD CONSTRAINT … CHECK (…) per ALTER TABLE statement",
                ));
            };
            let Some(NodeEnum::AlterTableCmd(cmd)) = &cmd.node else {
                return Err(stmt.error(-1, "unsupported ALTER TABLE form"));
            };
            if cmd.subtype != AlterTableType::AtAddConstraint as i32 {
                return Err(stmt.error(
                    -1,
                    "unsupported ALTER TABLE action: only ADD CONSTRAINT … CHECK (…) is supported",
                ));
            }
            let Some(NodeEnum::Constraint(c)) = cmd.def.as_ref().and_then(|d| d.node.as_ref())
            else {
                return Err(stmt.error(-1, "unsupported ALTER TABLE action"));
            };
            if c.contype != ConstrType::ConstrCheck as i32 {
                return Err(stmt.error(
                    c.location,
                    "unsupported constraint: only CHECK constraints are supported here (entities \
                     declare unique keys and foreign keys)",
                ));
            }
            if c.conname.is_empty() {
                return Err(stmt.error(
                    c.location,
                    "name the constraint (ADD CONSTRAINT <name> CHECK (…)): autogen needs the name \
                     to create and drop it",
                ));
            }
            if c.skip_validation {
                return Err(stmt.error(
                    c.location,
                    "NOT VALID is not supported in the extras file (declare the constraint; the \
                     online plan adds it NOT VALID and validates it)",
                ));
            }
            let Some(raw) = &c.raw_expr else {
                return Err(stmt.error(c.location, "the CHECK has no expression"));
            };
            let expression = expr::text(raw)
                .ok_or_else(|| stmt.error(c.location, "the CHECK expression cannot be read"))?;
            Ok(Declared {
                at: stmt.lines.at(stmt.start),
                table_at: stmt.lines.at_location(location, stmt.start),
                columns: located(stmt, expr::columns(raw)),
                item: Item::Check {
                    table,
                    check: Check {
                        name: c.conname.clone(),
                        expression: format!("({expression})"),
                        no_inherit: c.is_no_inherit,
                        not_valid: false,
                    },
                },
            })
        }
        NodeEnum::CreateExtensionStmt(s) => {
            let mut extension = Extension::named(&s.extname);
            for option in &s.options {
                let Some(NodeEnum::DefElem(d)) = &option.node else {
                    continue;
                };
                let value = d.arg.as_ref().and_then(|a| match &a.node {
                    Some(NodeEnum::String(s)) => Some(s.sval.clone()),
                    _ => None,
                });
                match (d.defname.as_str(), value) {
                    ("schema", Some(schema)) => extension.schema = Some(schema),
                    (other, _) => {
                        return Err(stmt.error(
                            d.location,
                            format!(
                                "unsupported CREATE EXTENSION option {}: only SCHEMA is supported \
                                 (the version is not managed; declare each extension CASCADE \
                                 would install)",
                                match other {
                                    "new_version" => "VERSION".to_string(),
                                    o => o.to_uppercase(),
                                }
                            ),
                        ));
                    }
                }
            }
            Ok(Declared {
                at: stmt.lines.at(stmt.start),
                table_at: stmt.lines.at(stmt.start),
                columns: Vec::new(),
                item: Item::Extension { extension },
            })
        }
        _ => Err(stmt.error(
            -1,
            format!(
                "unsupported statement {}: the extras file holds CREATE [UNIQUE] INDEX, ALTER \
                 TABLE … ADD CONSTRAINT … CHECK (…) and CREATE EXTENSION",
                statement_name(stmt)
            ),
        )),
    }
}

fn index(stmt: &Stmt<'_>, s: &IndexStmt) -> Result<Declared, Error> {
    let (table, location) = stmt.table(&s.relation)?;
    if s.idxname.is_empty() {
        return Err(stmt.error(
            location,
            "name the index (CREATE INDEX <name> ON …): autogen needs the name to create and \
             drop it",
        ));
    }
    if !s.options.is_empty() {
        return Err(stmt.error(
            location,
            "storage parameters (WITH (…)) are not supported in the extras file",
        ));
    }
    if !s.table_space.is_empty() {
        return Err(stmt.error(location, "TABLESPACE is not supported in the extras file"));
    }
    let mut columns = Vec::new();
    let mut keys = Vec::new();
    for param in &s.index_params {
        let Some(NodeEnum::IndexElem(e)) = &param.node else {
            return Err(stmt.error(location, "unsupported index key"));
        };
        keys.push(key(stmt, e, location, &mut columns)?);
    }
    let mut include = Vec::new();
    for param in &s.index_including_params {
        match &param.node {
            Some(NodeEnum::IndexElem(e)) if !e.name.is_empty() => {
                columns.push(ColumnUse {
                    name: e.name.clone(),
                    location: stmt.find_name(&e.name, location),
                });
                include.push(e.name.clone());
            }
            _ => return Err(stmt.error(location, "INCLUDE takes column names only")),
        }
    }
    let predicate = match &s.where_clause {
        Some(w) => {
            columns.extend(expr::columns(w));
            Some(format!(
                "({})",
                expr::text(w)
                    .ok_or_else(|| stmt.error(location, "the WHERE predicate cannot be read"))?
            ))
        }
        None => None,
    };
    let method = if s.access_method.is_empty() {
        "btree".to_string()
    } else {
        s.access_method.clone()
    };
    Ok(Declared {
        at: stmt.lines.at(stmt.start),
        table_at: stmt.lines.at_location(location, stmt.start),
        columns: located(stmt, columns),
        item: Item::Index {
            table,
            index: Index {
                name: s.idxname.clone(),
                unique: s.unique,
                constraint: false,
                method,
                keys,
                include,
                predicate,
                nulls_not_distinct: s.nulls_not_distinct,
                invalid: false,
                deferrable: false,
                initially_deferred: false,
            },
        },
    })
}

fn key(
    stmt: &Stmt<'_>,
    e: &IndexElem,
    location: i32,
    columns: &mut Vec<ColumnUse>,
) -> Result<IndexKey, Error> {
    let part = match (&e.expr, e.name.is_empty()) {
        (None, false) => {
            columns.push(ColumnUse {
                name: e.name.clone(),
                location: stmt.find_name(&e.name, location),
            });
            KeyPart::Column(e.name.clone())
        }
        (Some(x), _) => {
            columns.extend(expr::columns(x));
            KeyPart::Expression(
                expr::text(x)
                    .ok_or_else(|| stmt.error(location, "an index expression cannot be read"))?,
            )
        }
        (None, true) => return Err(stmt.error(location, "an index key names nothing")),
    };
    if !e.opclassopts.is_empty() {
        return Err(stmt.error(
            location,
            "operator class parameters are not supported in the extras file",
        ));
    }
    let descending = e.ordering == SortByDir::SortbyDesc as i32;
    if e.ordering == SortByDir::SortbyUsing as i32 {
        return Err(stmt.error(location, "USING in an index key is not supported"));
    }
    let nulls_first = match e.nulls_ordering {
        n if n == SortByNulls::SortbyNullsFirst as i32 => true,
        n if n == SortByNulls::SortbyNullsLast as i32 => false,
        _ => descending,
    };
    Ok(IndexKey {
        part,
        descending,
        nulls_first,
        opclass: qualified(&e.opclass),
        // As the catalog read gives it: a bare name unquoted (codegen quotes it), a qualified
        // one as SQL text.
        collation: qualified(&e.collation).map(|q| match names(&e.collation).as_slice() {
            [.., last] if !q.contains('.') => (*last).to_string(),
            _ => q,
        }),
    })
}

/// A possibly qualified name (`gin_trgm_ops`, `public.gin_trgm_ops`) as the catalog reads
/// print it: `pg_catalog.` dropped, each part quoted only where needed.
fn qualified(list: &[Node]) -> Option<String> {
    let parts = names(list);
    let parts = match parts.as_slice() {
        [] => return None,
        ["pg_catalog", rest @ ..] => rest,
        all => all,
    };
    Some(
        parts
            .iter()
            .map(|p| ident::quote(p))
            .collect::<Vec<_>>()
            .join("."),
    )
}

/// The names of a `String` node list.
fn names(list: &[Node]) -> Vec<&str> {
    list.iter()
        .filter_map(|n| match &n.node {
            Some(NodeEnum::String(s)) => Some(s.sval.as_str()),
            _ => None,
        })
        .collect()
}

fn located(stmt: &Stmt<'_>, columns: Vec<ColumnUse>) -> Vec<(String, autogen_schema::Origin)> {
    columns
        .into_iter()
        .map(|c| (c.name, stmt.lines.at_location(c.location, stmt.start)))
        .collect()
}

/// `CREATE TABLE`, `DROP INDEX`, … for the unsupported-statement message: the statement's
/// first two words as written.
fn statement_name(stmt: &Stmt<'_>) -> String {
    let text = stmt.lines.text().get(stmt.start..stmt.end).unwrap_or("");
    text.split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .filter(|w| !w.is_empty())
        .take(2)
        .collect::<Vec<_>>()
        .join(" ")
        .to_uppercase()
}
