//! Column types in canonical Postgres form.
//!
//! Built-in types are structured so the differ can reason about them (widening vs narrowing,
//! casts); everything else keeps the text `format_type` prints. [`Type::to_sql`] renders exactly
//! what `format_type(atttypid, atttypmod)` would print for the type, so both sides of a diff
//! render the same text for the same type.

use serde::{Deserialize, Serialize};

use crate::ident;

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Type {
    SmallInt,
    Integer,
    BigInt,
    Real,
    Double,
    Numeric {
        precision: Option<u32>,
        scale: Option<u32>,
    },
    Boolean,
    Text,
    Varchar {
        length: Option<u32>,
    },
    /// `character(n)`; `char` in SQL is `character(1)`.
    Char {
        length: Option<u32>,
    },
    Bytea,
    Date,
    Time {
        precision: Option<u32>,
        with_time_zone: bool,
    },
    Timestamp {
        precision: Option<u32>,
        with_time_zone: bool,
    },
    /// `interval` with optional field restriction (`year to month`) and precision.
    Interval {
        fields: Option<String>,
        precision: Option<u32>,
    },
    Uuid,
    Json,
    Jsonb,
    Inet,
    Cidr,
    MacAddr,
    Money,
    Xml,
    Bit {
        length: Option<u32>,
        varying: bool,
    },
    Array {
        element: Box<Type>,
    },
    /// A user-defined type with a schema: an enum, a domain or a composite type.
    Named {
        schema: String,
        name: String,
    },
    /// Any other type, as `format_type` prints it (`tsvector`, `point`, `citext`, `vector(3)`).
    Other {
        sql: String,
    },
}

impl Type {
    pub fn varchar(length: Option<u32>) -> Type {
        Type::Varchar { length }
    }

    pub fn named(schema: impl Into<String>, name: impl Into<String>) -> Type {
        Type::Named {
            schema: schema.into(),
            name: name.into(),
        }
    }

    pub fn array(element: Type) -> Type {
        Type::Array {
            element: Box::new(element),
        }
    }

    /// True for smallint, integer and bigint.
    pub fn is_integer(&self) -> bool {
        matches!(self, Type::SmallInt | Type::Integer | Type::BigInt)
    }

    /// The canonical SQL text, as `format_type` prints it; user types are schema-qualified and
    /// quoted where Postgres needs it.
    pub fn to_sql(&self) -> String {
        fn p(n: &Option<u32>) -> String {
            n.map(|n| format!("({n})")).unwrap_or_default()
        }
        match self {
            Type::SmallInt => "smallint".into(),
            Type::Integer => "integer".into(),
            Type::BigInt => "bigint".into(),
            Type::Real => "real".into(),
            Type::Double => "double precision".into(),
            Type::Numeric {
                precision: None, ..
            } => "numeric".into(),
            Type::Numeric {
                precision: Some(p),
                scale,
            } => {
                format!("numeric({p},{})", scale.unwrap_or(0))
            }
            Type::Boolean => "boolean".into(),
            Type::Text => "text".into(),
            Type::Varchar { length } => format!("character varying{}", p(length)),
            Type::Char { length } => format!("character{}", p(length)),
            Type::Bytea => "bytea".into(),
            Type::Date => "date".into(),
            Type::Time {
                precision,
                with_time_zone,
            } => format!(
                "time{} with{} time zone",
                p(precision),
                if *with_time_zone { "" } else { "out" }
            ),
            Type::Timestamp {
                precision,
                with_time_zone,
            } => format!(
                "timestamp{} with{} time zone",
                p(precision),
                if *with_time_zone { "" } else { "out" }
            ),
            Type::Interval { fields, precision } => {
                let mut s = "interval".to_string();
                if let Some(f) = fields {
                    s.push(' ');
                    s.push_str(f);
                }
                s.push_str(&p(precision));
                s
            }
            Type::Uuid => "uuid".into(),
            Type::Json => "json".into(),
            Type::Jsonb => "jsonb".into(),
            Type::Inet => "inet".into(),
            Type::Cidr => "cidr".into(),
            Type::MacAddr => "macaddr".into(),
            Type::Money => "money".into(),
            Type::Xml => "xml".into(),
            Type::Bit { length, varying } => {
                format!("bit{}{}", if *varying { " varying" } else { "" }, p(length))
            }
            Type::Array { element } => format!("{}[]", element.to_sql()),
            Type::Named { schema, name } => {
                format!("{}.{}", ident::quote(schema), ident::quote(name))
            }
            Type::Other { sql } => sql.clone(),
        }
    }

    /// Parses `format_type` output for built-in types. User types must be built by the caller
    /// with [`Type::named`] (the catalog knows their schema); unknown text becomes
    /// [`Type::Other`]. Never fails.
    pub fn parse_pg(text: &str) -> Type {
        let t = text.trim();
        if let Some(inner) = t.strip_suffix("[]") {
            return Type::array(Type::parse_pg(inner));
        }
        let (base, args) = split_args(t);
        let one = |args: &Option<Vec<u32>>| args.as_ref().and_then(|a| a.first().copied());
        match base.as_str() {
            "smallint" | "int2" => Type::SmallInt,
            "integer" | "int" | "int4" => Type::Integer,
            "bigint" | "int8" => Type::BigInt,
            "real" | "float4" => Type::Real,
            "double precision" | "float8" => Type::Double,
            "numeric" | "decimal" => Type::Numeric {
                precision: one(&args),
                scale: args.as_ref().map(|a| a.get(1).copied().unwrap_or(0)),
            },
            "boolean" | "bool" => Type::Boolean,
            "text" => Type::Text,
            "character varying" | "varchar" => Type::Varchar { length: one(&args) },
            "character" | "char" | "bpchar" => Type::Char { length: one(&args) },
            "bytea" => Type::Bytea,
            "date" => Type::Date,
            "uuid" => Type::Uuid,
            "json" => Type::Json,
            "jsonb" => Type::Jsonb,
            "inet" => Type::Inet,
            "cidr" => Type::Cidr,
            "macaddr" => Type::MacAddr,
            "money" => Type::Money,
            "xml" => Type::Xml,
            "bit" => Type::Bit {
                length: one(&args),
                varying: false,
            },
            "bit varying" | "varbit" => Type::Bit {
                length: one(&args),
                varying: true,
            },
            _ => parse_temporal(t).unwrap_or_else(|| Type::Other { sql: t.to_string() }),
        }
    }
}

impl std::fmt::Display for Type {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_sql())
    }
}

/// `numeric(10,2)` → (`numeric`, Some([10, 2])). Only a trailing parenthesised list counts.
fn split_args(t: &str) -> (String, Option<Vec<u32>>) {
    if let (Some(open), true) = (t.find('('), t.ends_with(')')) {
        let inner = &t[open + 1..t.len() - 1];
        let nums: Option<Vec<u32>> = inner.split(',').map(|n| n.trim().parse().ok()).collect();
        if let Some(nums) = nums {
            return (t[..open].trim().to_string(), Some(nums));
        }
    }
    (t.to_string(), None)
}

/// `time(3) without time zone`, `timestamp with time zone`, `interval year to month`, …
fn parse_temporal(t: &str) -> Option<Type> {
    let (head, precision, tail) = match (t.find('('), t.find(')')) {
        (Some(o), Some(c)) if c > o => (
            t[..o].trim(),
            t[o + 1..c].trim().parse::<u32>().ok(),
            t[c + 1..].trim(),
        ),
        _ => {
            let mut parts = t.splitn(2, ' ');
            (parts.next()?, None, parts.next().unwrap_or("").trim())
        }
    };
    match head {
        "time" | "timestamp" => {
            let with_time_zone = match tail {
                "" | "without time zone" => false,
                "with time zone" => true,
                _ => return None,
            };
            Some(if head == "time" {
                Type::Time {
                    precision,
                    with_time_zone,
                }
            } else {
                Type::Timestamp {
                    precision,
                    with_time_zone,
                }
            })
        }
        "timetz" if tail.is_empty() => Some(Type::Time {
            precision,
            with_time_zone: true,
        }),
        "timestamptz" if tail.is_empty() => Some(Type::Timestamp {
            precision,
            with_time_zone: true,
        }),
        "interval" => {
            // `interval(3)`, `interval year to month`, `interval second(3)`.
            let fields = if tail.is_empty() {
                None
            } else {
                Some(tail.to_string())
            };
            let (fields, precision) = match (&fields, precision) {
                (Some(f), None) if f.ends_with(')') => {
                    let o = f.find('(')?;
                    (
                        Some(f[..o].trim().to_string()),
                        f[o + 1..f.len() - 1].parse().ok(),
                    )
                }
                _ => (fields, precision),
            };
            Some(Type::Interval { fields, precision })
        }
        // `interval second(3)`, `interval day to second(2)`: fields before the precision.
        h if tail.is_empty() && h.starts_with("interval ") => Some(Type::Interval {
            fields: Some(h["interval ".len()..].trim().to_string()),
            precision,
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::Type;

    #[track_caller]
    fn round_trip(text: &str) {
        let ty = Type::parse_pg(text);
        assert!(!matches!(ty, Type::Other { .. }), "{text} parsed as Other");
        assert_eq!(ty.to_sql(), text, "{ty:?}");
    }

    #[test]
    fn format_type_texts_round_trip() {
        for t in [
            "smallint",
            "integer",
            "bigint",
            "real",
            "double precision",
            "numeric",
            "numeric(16,4)",
            "boolean",
            "text",
            "character varying",
            "character varying(255)",
            "character(1)",
            "bytea",
            "date",
            "time without time zone",
            "time(3) with time zone",
            "timestamp without time zone",
            "timestamp(3) without time zone",
            "timestamp with time zone",
            "interval",
            "interval year to month",
            "interval second(3)",
            "interval day to second(2)",
            "uuid",
            "json",
            "jsonb",
            "inet",
            "cidr",
            "macaddr",
            "bit(3)",
            "bit varying(8)",
            "integer[]",
            "character varying(20)[]",
        ] {
            round_trip(t);
        }
    }

    #[test]
    fn unknown_types_keep_their_text() {
        assert_eq!(
            Type::parse_pg("tsvector"),
            Type::Other {
                sql: "tsvector".into()
            }
        );
        assert_eq!(Type::parse_pg("vector(3)").to_sql(), "vector(3)");
    }

    #[test]
    fn named_types_are_qualified_and_quoted() {
        assert_eq!(
            Type::named("public", "post_status").to_sql(),
            "public.post_status"
        );
        assert_eq!(Type::named("Other", "Mood").to_sql(), "\"Other\".\"Mood\"");
        assert_eq!(Type::array(Type::named("s", "mood")).to_sql(), "s.mood[]");
    }
}
