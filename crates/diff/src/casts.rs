//! What Postgres can cast by itself in `ALTER COLUMN … TYPE`, and which type changes can lose
//! data. `ALTER COLUMN TYPE` without `USING` needs an implicit or assignment cast (`pg_cast`
//! `castcontext` `i` or `a`); I/O conversion casts *to* string types count as assignment casts,
//! those *from* string types are explicit only.

use autogen_schema::Type;
use autogen_schema::ident;

/// How a column's values get from one type to another.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cast {
    /// An implicit or assignment cast exists: no `USING` needed.
    Automatic,
    /// Only an explicit cast exists: `USING` this expression.
    Using(String),
    /// No cast this module knows of: `USING` this best guess, which needs review.
    Unknown(String),
}

impl Cast {
    /// The `USING` expression, if one is needed.
    pub fn using(&self) -> Option<String> {
        match self {
            Cast::Automatic => None,
            Cast::Using(e) | Cast::Unknown(e) => Some(e.clone()),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Family {
    Int(u8),
    Numeric,
    Float(u8),
    Money,
    String,
    Bool,
    Bytea,
    Date,
    Time,
    Timestamp,
    Interval,
    Json,
    Inet,
    Cidr,
    Bit,
    Array,
    Named,
    Other,
}

fn family(t: &Type) -> Family {
    match t {
        Type::SmallInt => Family::Int(2),
        Type::Integer => Family::Int(4),
        Type::BigInt => Family::Int(8),
        Type::Numeric { .. } => Family::Numeric,
        Type::Real => Family::Float(4),
        Type::Double => Family::Float(8),
        Type::Money => Family::Money,
        Type::Text | Type::Varchar { .. } | Type::Char { .. } => Family::String,
        Type::Boolean => Family::Bool,
        Type::Bytea => Family::Bytea,
        Type::Date => Family::Date,
        Type::Time { .. } => Family::Time,
        Type::Timestamp { .. } => Family::Timestamp,
        Type::Interval { .. } => Family::Interval,
        Type::Json | Type::Jsonb => Family::Json,
        Type::Inet => Family::Inet,
        Type::Cidr => Family::Cidr,
        Type::Bit { .. } => Family::Bit,
        Type::Array { .. } => Family::Array,
        Type::Named { .. } => Family::Named,
        Type::Uuid | Type::MacAddr | Type::Xml | Type::Other { .. } => Family::Other,
    }
}

/// The cast `ALTER TABLE … ALTER COLUMN column TYPE to` needs for values of type `from`.
pub fn cast(column: &str, from: &Type, to: &Type) -> Cast {
    let col = ident::quote(column);
    let explicit = |via: Option<&str>| match via {
        Some(v) => Cast::Using(format!("{col}::{v}::{}", to.to_sql())),
        None => Cast::Using(format!("{col}::{}", to.to_sql())),
    };
    if from == to {
        return Cast::Automatic;
    }
    if let (Type::Array { element: fe }, Type::Array { element: te }) = (from, to) {
        return match cast("x", fe, te) {
            Cast::Automatic => Cast::Automatic,
            Cast::Using(e) if e.contains("::text::") => {
                Cast::Using(format!("{col}::text[]::{}", to.to_sql()))
            }
            Cast::Using(_) => explicit(None),
            Cast::Unknown(_) => Cast::Unknown(format!("{col}::{}", to.to_sql())),
        };
    }
    use Family::*;
    match (family(from), family(to)) {
        (a, b) if a == b && !matches!(a, Named | Other | Array) => Cast::Automatic,
        (_, String) => Cast::Automatic,
        (Int(_) | Numeric | Float(_), Int(_) | Numeric | Float(_)) => Cast::Automatic,
        (Int(4 | 8) | Numeric, Money) | (Money, Numeric) => Cast::Automatic,
        (Int(4), Bool) | (Bool, Int(4)) => explicit(None),
        (Int(_), Bool) | (Bool, Int(_)) => explicit(Some("integer")),
        (Int(4 | 8), Bit) | (Bit, Int(4 | 8)) => explicit(None),
        (Date, Timestamp) | (Timestamp, Date | Time) => Cast::Automatic,
        (Time, Interval) | (Interval, Time) => Cast::Automatic,
        (Inet, Cidr) | (Cidr, Inet) => Cast::Automatic,
        (Named, Named) => explicit(Some("text")),
        // Postgres has an explicit I/O conversion cast from text to every type.
        (String, _) => explicit(None),
        _ => Cast::Unknown(format!("{col}::{}", to.to_sql())),
    }
}

/// True when values of `t` carry a collation (the string types and arrays of them): where
/// `COLLATE` may be written after the type.
pub fn collatable(t: &Type) -> bool {
    match t {
        Type::Text | Type::Varchar { .. } | Type::Char { .. } => true,
        Type::Array { element } => collatable(element),
        _ => false,
    }
}

/// True when changing a column from `from` to `to` can lose data or fail on existing rows
/// (narrowing, precision loss, parsing strings); unknown pairs count as lossy.
pub fn is_lossy(from: &Type, to: &Type) -> bool {
    use Family::*;
    if from == to {
        return false;
    }
    match (from, to) {
        (Type::Array { element: a }, Type::Array { element: b }) => return is_lossy(a, b),
        (
            Type::Numeric {
                precision: p1,
                scale: s1,
            },
            Type::Numeric {
                precision: p2,
                scale: s2,
            },
        ) => {
            return match (p1, p2) {
                (_, None) => false,
                (None, Some(_)) => true,
                (Some(p1), Some(p2)) => {
                    let (s1, s2) = (s1.unwrap_or(0), s2.unwrap_or(0));
                    s2 < s1 || p2.saturating_sub(s2) < p1.saturating_sub(s1)
                }
            };
        }
        (
            Type::Time { precision: p1, .. } | Type::Timestamp { precision: p1, .. },
            Type::Time { precision: p2, .. } | Type::Timestamp { precision: p2, .. },
        ) if family(from) == family(to) => return precision_lost(*p1, *p2),
        (
            Type::Interval {
                fields: f1,
                precision: p1,
            },
            Type::Interval {
                fields: f2,
                precision: p2,
            },
        ) => {
            return f1 != f2 || precision_lost(*p1, *p2);
        }
        (Type::Bit { length: l1, .. }, Type::Bit { length: l2, .. }) => {
            return matches!((l1, l2), (Some(a), Some(b)) if b < a)
                || (l1.is_none() && l2.is_some());
        }
        _ => {}
    }
    if let Some(limit) = string_limit(to) {
        return match string_limit(from) {
            Some(from_limit) => limit < from_limit,
            // Any other type to a bounded string may not fit.
            None => limit != u32::MAX,
        };
    }
    match (family(from), family(to)) {
        (Int(a), Int(b)) => b < a,
        (Float(a), Float(b)) => b < a,
        (Int(2), Float(_)) | (Int(4), Float(8)) => false,
        (Int(_), Float(_)) => true,
        (Int(a), Numeric) => match to {
            Type::Numeric {
                precision: Some(p),
                scale,
            } => {
                let digits = match a {
                    2 => 5,
                    4 => 10,
                    _ => 19,
                };
                p.saturating_sub(scale.unwrap_or(0)) < digits
            }
            _ => false,
        },
        (Numeric | Float(_), Int(_)) => true,
        (Float(_), Numeric) => matches!(
            to,
            Type::Numeric {
                precision: Some(_),
                ..
            }
        ),
        (Numeric, Float(_)) => true,
        (Int(_) | Numeric, Money) | (Money, Numeric) => false,
        (Bool, Int(_)) => false,
        (Date, Timestamp) | (Time, Interval) | (Cidr, Inet) => false,
        (Timestamp, Timestamp) | (Time, Time) => false,
        (Json, Json) => false,
        _ => true,
    }
}

fn precision_lost(from: Option<u32>, to: Option<u32>) -> bool {
    // No precision means the maximum, 6.
    to.unwrap_or(6) < from.unwrap_or(6)
}

/// The length limit of a string type; `u32::MAX` for unbounded ones, `None` for non-strings.
fn string_limit(t: &Type) -> Option<u32> {
    match t {
        Type::Text | Type::Varchar { length: None } => Some(u32::MAX),
        Type::Varchar { length: Some(n) } => Some(*n),
        Type::Char { length } => Some(length.unwrap_or(1)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(from: Type, to: Type) -> String {
        let c = match cast("c", &from, &to) {
            Cast::Automatic => "automatic".to_string(),
            Cast::Using(e) => format!("using {e}"),
            Cast::Unknown(e) => format!("unknown {e}"),
        };
        let lossy = if is_lossy(&from, &to) { " lossy" } else { "" };
        format!("{from} -> {to}: {c}{lossy}")
    }

    #[test]
    fn casts_and_loss() {
        let e = |n: &str| Type::named("public", n);
        let cases = [
            (Type::Integer, Type::BigInt),
            (Type::BigInt, Type::Integer),
            (Type::Text, Type::Integer),
            (Type::Integer, Type::Text),
            (Type::varchar(Some(255)), Type::varchar(Some(50))),
            (Type::varchar(Some(50)), Type::varchar(Some(255))),
            (Type::varchar(None), Type::Text),
            (Type::Text, Type::varchar(Some(10))),
            (Type::varchar(None), e("mood")),
            (e("mood"), Type::varchar(None)),
            (e("mood"), e("feeling")),
            (
                Type::Numeric {
                    precision: Some(10),
                    scale: Some(2),
                },
                Type::Numeric {
                    precision: Some(8),
                    scale: Some(2),
                },
            ),
            (
                Type::Numeric {
                    precision: Some(10),
                    scale: Some(2),
                },
                Type::Numeric {
                    precision: None,
                    scale: None,
                },
            ),
            (Type::Boolean, Type::Integer),
            (Type::Boolean, Type::BigInt),
            (
                Type::Timestamp {
                    precision: None,
                    with_time_zone: false,
                },
                Type::Timestamp {
                    precision: None,
                    with_time_zone: true,
                },
            ),
            (
                Type::Timestamp {
                    precision: None,
                    with_time_zone: false,
                },
                Type::Date,
            ),
            (Type::Json, Type::Jsonb),
            (Type::Text, Type::Uuid),
            (Type::Uuid, Type::Integer),
            (Type::array(Type::Text), Type::array(Type::Integer)),
            (Type::array(e("mood")), Type::array(e("feeling"))),
        ];
        let got: Vec<String> = cases.into_iter().map(|(a, b)| show(a, b)).collect();
        expect_test::expect![[r#"
            integer -> bigint: automatic
            bigint -> integer: automatic lossy
            text -> integer: using c::integer lossy
            integer -> text: automatic
            character varying(255) -> character varying(50): automatic lossy
            character varying(50) -> character varying(255): automatic
            character varying -> text: automatic
            text -> character varying(10): automatic lossy
            character varying -> public.mood: using c::public.mood lossy
            public.mood -> character varying: automatic
            public.mood -> public.feeling: using c::text::public.feeling lossy
            numeric(10,2) -> numeric(8,2): automatic lossy
            numeric(10,2) -> numeric: automatic
            boolean -> integer: using c::integer
            boolean -> bigint: using c::integer::bigint
            timestamp without time zone -> timestamp with time zone: automatic
            timestamp without time zone -> date: automatic lossy
            json -> jsonb: automatic
            text -> uuid: using c::uuid lossy
            uuid -> integer: unknown c::integer lossy
            text[] -> integer[]: using c::integer[] lossy
            public.mood[] -> public.feeling[]: using c::text[]::public.feeling[] lossy"#]]
        .assert_eq(&got.join("\n"));
    }
}
