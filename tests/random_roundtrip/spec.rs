//! The random schema description (tables, columns, keys, indexes, foreign keys, checks, enums,
//! comments) and its rendering as plain SQL DDL, written here independently of codegen so a
//! codegen bug cannot hide in the setup.

use std::fmt::Write as _;

/// A column type the generator uses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ty {
    SmallInt,
    Int,
    BigInt,
    Numeric(u8, u8),
    Text,
    Varchar(u16),
    Char(u16),
    Bool,
    Date,
    Timestamp,
    Timestamptz,
    Uuid,
    Json,
    Jsonb,
    Bytea,
    IntArray,
    TextArray,
    Enum(String),
}

impl Ty {
    pub fn sql(&self) -> String {
        match self {
            Ty::SmallInt => "smallint".into(),
            Ty::Int => "integer".into(),
            Ty::BigInt => "bigint".into(),
            Ty::Numeric(p, s) => format!("numeric({p}, {s})"),
            Ty::Text => "text".into(),
            Ty::Varchar(n) => format!("varchar({n})"),
            Ty::Char(n) => format!("char({n})"),
            Ty::Bool => "boolean".into(),
            Ty::Date => "date".into(),
            Ty::Timestamp => "timestamp".into(),
            Ty::Timestamptz => "timestamptz".into(),
            Ty::Uuid => "uuid".into(),
            Ty::Json => "json".into(),
            Ty::Jsonb => "jsonb".into(),
            Ty::Bytea => "bytea".into(),
            Ty::IntArray => "integer[]".into(),
            Ty::TextArray => "text[]".into(),
            Ty::Enum(e) => q(e),
        }
    }

    /// Which defaults and checks make sense for the type.
    pub fn family(&self) -> Family {
        match self {
            Ty::SmallInt | Ty::Int | Ty::BigInt => Family::Int,
            Ty::Numeric(..) => Family::Numeric,
            Ty::Text | Ty::Varchar(_) | Ty::Char(_) => Family::String,
            Ty::Bool => Family::Bool,
            Ty::Date => Family::Date,
            Ty::Timestamp | Ty::Timestamptz => Family::Timestamp,
            Ty::Uuid => Family::Uuid,
            Ty::Json | Ty::Jsonb => Family::Json,
            Ty::Bytea => Family::Bytea,
            Ty::IntArray => Family::IntArray,
            Ty::TextArray => Family::TextArray,
            Ty::Enum(e) => Family::Enum(e.clone()),
        }
    }

    /// Whether a btree index (and so a unique constraint or a key) can cover the column.
    pub fn indexable(&self) -> bool {
        !matches!(self, Ty::Json)
    }

    pub fn is_int(&self) -> bool {
        matches!(self, Ty::SmallInt | Ty::Int | Ty::BigInt)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Family {
    Int,
    Numeric,
    String,
    Bool,
    Date,
    Timestamp,
    Uuid,
    Json,
    Bytea,
    IntArray,
    TextArray,
    Enum(String),
}

/// How a column numbers itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Auto {
    None,
    /// `serial` / `bigserial` / `smallserial`.
    Serial,
    ByDefault,
    Always,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Col {
    pub name: String,
    pub ty: Ty,
    pub not_null: bool,
    pub default: Option<String>,
    pub auto: Auto,
    pub comment: Option<String>,
}

/// A unique constraint (`constraint`), a unique index or a plain index over columns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Idx {
    pub name: String,
    pub columns: Vec<String>,
    pub unique: bool,
    pub constraint: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fk {
    pub name: String,
    pub columns: Vec<String>,
    pub ref_table: String,
    pub ref_columns: Vec<String>,
    pub on_delete: &'static str,
    pub on_update: &'static str,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ck {
    pub name: String,
    pub column: String,
    /// The family the expression was written for; the check goes when the column leaves it.
    pub family: Family,
    pub expr: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tbl {
    pub name: String,
    pub comment: Option<String>,
    pub columns: Vec<Col>,
    /// Key columns (empty: no primary key); `pk_name` when named explicitly.
    pub pk: Vec<String>,
    pub pk_name: Option<String>,
    pub indexes: Vec<Idx>,
    pub fks: Vec<Fk>,
    pub checks: Vec<Ck>,
}

impl Tbl {
    pub fn col(&self, name: &str) -> Option<&Col> {
        self.columns.iter().find(|c| c.name == name)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Enm {
    pub name: String,
    pub labels: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Spec {
    pub enums: Vec<Enm>,
    pub tables: Vec<Tbl>,
}

impl Spec {
    pub fn table(&self, name: &str) -> Option<&Tbl> {
        self.tables.iter().find(|t| t.name == name)
    }

    /// The whole schema as DDL: enums, tables (columns, key, checks), unique constraints and
    /// indexes, then foreign keys (so cycles need no ordering), then comments.
    pub fn sql(&self) -> String {
        let mut s = String::new();
        for e in &self.enums {
            let labels: Vec<String> = e.labels.iter().map(|l| lit(l)).collect();
            let _ = writeln!(
                s,
                "CREATE TYPE {} AS ENUM ({});",
                q(&e.name),
                labels.join(", ")
            );
        }
        for t in &self.tables {
            let mut parts: Vec<String> = t.columns.iter().map(column_sql).collect();
            if !t.pk.is_empty() {
                let name = t
                    .pk_name
                    .as_ref()
                    .map(|n| format!("CONSTRAINT {} ", q(n)))
                    .unwrap_or_default();
                parts.push(format!("{name}PRIMARY KEY ({})", list(&t.pk)));
            }
            for c in &t.checks {
                parts.push(format!("CONSTRAINT {} CHECK ({})", q(&c.name), c.expr));
            }
            let _ = writeln!(
                s,
                "CREATE TABLE {} (\n    {}\n);",
                q(&t.name),
                parts.join(",\n    ")
            );
        }
        for t in &self.tables {
            for i in &t.indexes {
                if i.constraint {
                    let _ = writeln!(
                        s,
                        "ALTER TABLE {} ADD CONSTRAINT {} UNIQUE ({});",
                        q(&t.name),
                        q(&i.name),
                        list(&i.columns)
                    );
                } else {
                    let unique = if i.unique { "UNIQUE " } else { "" };
                    let _ = writeln!(
                        s,
                        "CREATE {unique}INDEX {} ON {} ({});",
                        q(&i.name),
                        q(&t.name),
                        list(&i.columns)
                    );
                }
            }
        }
        for t in &self.tables {
            for f in &t.fks {
                let _ = writeln!(
                    s,
                    "ALTER TABLE {} ADD CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {} ({}) \
                     ON DELETE {} ON UPDATE {};",
                    q(&t.name),
                    q(&f.name),
                    list(&f.columns),
                    q(&f.ref_table),
                    list(&f.ref_columns),
                    f.on_delete,
                    f.on_update
                );
            }
        }
        for t in &self.tables {
            if let Some(c) = &t.comment {
                let _ = writeln!(s, "COMMENT ON TABLE {} IS {};", q(&t.name), lit(c));
            }
            for col in &t.columns {
                if let Some(c) = &col.comment {
                    let _ = writeln!(
                        s,
                        "COMMENT ON COLUMN {}.{} IS {};",
                        q(&t.name),
                        q(&col.name),
                        lit(c)
                    );
                }
            }
        }
        s
    }
}

fn column_sql(c: &Col) -> String {
    let ty = match (c.auto, &c.ty) {
        (Auto::Serial, Ty::SmallInt) => "smallserial".to_string(),
        (Auto::Serial, Ty::BigInt) => "bigserial".to_string(),
        (Auto::Serial, _) => "serial".to_string(),
        (_, ty) => ty.sql(),
    };
    let mut s = format!("{} {ty}", q(&c.name));
    match c.auto {
        Auto::ByDefault => s.push_str(" GENERATED BY DEFAULT AS IDENTITY"),
        Auto::Always => s.push_str(" GENERATED ALWAYS AS IDENTITY"),
        Auto::None | Auto::Serial => {}
    }
    if let Some(d) = &c.default {
        let _ = write!(s, " DEFAULT {d}");
    }
    if c.not_null {
        s.push_str(" NOT NULL");
    }
    s
}

/// A quoted identifier.
pub fn q(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// A string literal.
pub fn lit(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn list(names: &[String]) -> String {
    names.iter().map(|n| q(n)).collect::<Vec<_>>().join(", ")
}
