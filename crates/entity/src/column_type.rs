//! SeaORM's `ColumnType` as the loader sees it: parsed from `column_type = "..."` / `db_type` text
//! or from the expanded format's `ColumnType::X.def()`, and lowered to the Postgres type exactly
//! as sea-query 1.0's Postgres backend writes it (`backend/postgres/table.rs`).

use autogen_schema::{Type, TypeFamily};
use syn::{Expr, Lit};

/// Mirror of `sea_query::ColumnType` (lengths already resolved).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ColType {
    Char(Option<u32>),
    String(Option<u32>),
    Text,
    TinyInteger,
    SmallInteger,
    Integer,
    BigInteger,
    TinyUnsigned,
    SmallUnsigned,
    Unsigned,
    BigUnsigned,
    Float,
    Double,
    Decimal(Option<(u32, u32)>),
    DateTime,
    Timestamp,
    TimestampWithTimeZone,
    Time,
    Date,
    Year,
    Interval(Option<String>, Option<u32>),
    Binary,
    VarBinary,
    Blob,
    Bit(Option<u32>),
    VarBit(u32),
    Boolean,
    Money(Option<(u32, u32)>),
    Json,
    JsonBinary,
    Uuid,
    Custom(String),
    Enum {
        name: String,
        variants: Vec<String>,
    },
    Array(Box<ColType>),
    Vector(Option<u32>),
    Cidr,
    Inet,
    MacAddr,
    LTree,
    /// A Postgres type given directly (`[types]` in autogen.toml).
    Sql(Type),
    /// A Rust type the loader could not resolve: `written` as in the source, `why` for the
    /// message. Lowering reports it once per column and leaves the type uncompared.
    Unresolved {
        written: String,
        why: String,
    },
}

impl ColType {
    /// The integer types sea-query can make auto-increment on Postgres (identity columns).
    pub fn identity_capable(&self) -> bool {
        matches!(
            self,
            ColType::SmallInteger | ColType::Integer | ColType::BigInteger
        )
    }

    /// The unresolved Rust type inside this type (`Vec<UserId>` → `UserId`), if any.
    pub fn unresolved(&self) -> Option<(&str, &str)> {
        match self {
            ColType::Unresolved { written, why } => Some((written, why)),
            ColType::Array(inner) => inner.unresolved(),
            _ => None,
        }
    }

    /// The family of column types this type, as the default mapping of a Rust type, reads and
    /// writes (see `autogen_schema::equality::family_accepts`); `None` when the default type is
    /// the only one.
    pub fn family(&self) -> Option<TypeFamily> {
        Some(match self {
            ColType::String(None) => TypeFamily::Text,
            ColType::Json => TypeFamily::Json,
            ColType::Decimal(None) => TypeFamily::Numeric,
            ColType::DateTime => TypeFamily::Timestamp,
            ColType::TimestampWithTimeZone => TypeFamily::TimestampTz,
            ColType::Time => TypeFamily::Time,
            ColType::Inet => TypeFamily::Network,
            ColType::Array(inner) => TypeFamily::Array(Box::new(inner.family()?)),
            _ => return None,
        })
    }

    /// The Postgres type, as `format_type` prints what sea-query writes. Enums become
    /// `schema.name` in `enum_schema` (sea-query writes the bare name, so it lands in the first
    /// schema of the search path).
    pub fn to_pg(&self, enum_schema: &str) -> Result<Type, String> {
        Ok(match self {
            ColType::Char(n) => Type::Char {
                length: Some(n.unwrap_or(1)),
            },
            ColType::String(n) => Type::Varchar { length: *n },
            ColType::Text => Type::Text,
            ColType::TinyInteger | ColType::TinyUnsigned | ColType::SmallInteger => Type::SmallInt,
            ColType::Integer | ColType::SmallUnsigned => Type::Integer,
            ColType::BigInteger | ColType::Unsigned | ColType::BigUnsigned => Type::BigInt,
            ColType::Float => Type::Real,
            ColType::Double => Type::Double,
            ColType::Decimal(p) => Type::Numeric {
                precision: p.map(|p| p.0),
                scale: p.map(|p| p.1),
            },
            ColType::DateTime | ColType::Timestamp => Type::Timestamp {
                precision: None,
                with_time_zone: false,
            },
            ColType::TimestampWithTimeZone => Type::Timestamp {
                precision: None,
                with_time_zone: true,
            },
            ColType::Time => Type::Time {
                precision: None,
                with_time_zone: false,
            },
            ColType::Date => Type::Date,
            ColType::Year => {
                return Err("`Year` is not available in Postgres (sea-query panics on it)".into());
            }
            ColType::Interval(fields, precision) => Type::Interval {
                fields: fields.as_ref().map(|f| f.to_ascii_lowercase()),
                precision: *precision,
            },
            ColType::Binary | ColType::VarBinary | ColType::Blob => Type::Bytea,
            ColType::Bit(n) => Type::Bit {
                length: Some(n.unwrap_or(1)),
                varying: false,
            },
            ColType::VarBit(n) => Type::Bit {
                length: Some(*n),
                varying: true,
            },
            ColType::Boolean => Type::Boolean,
            ColType::Money(None) => Type::Money,
            ColType::Money(Some(_)) => {
                return Err(
                    "`Money(Some(..))` writes `money(p, s)`, which Postgres rejects".into(),
                );
            }
            ColType::Json => Type::Json,
            ColType::JsonBinary => Type::Jsonb,
            ColType::Uuid => Type::Uuid,
            ColType::Custom(text) => custom_type(text),
            ColType::Enum { name, .. } => Type::named(enum_schema, name),
            ColType::Array(inner) => match inner.to_pg(enum_schema)? {
                // Postgres has no nested array types: `integer[][]` is `integer[]`.
                nested @ Type::Array { .. } => nested,
                element => Type::array(element),
            },
            ColType::Vector(n) => Type::Other {
                sql: n
                    .map(|n| format!("vector({n})"))
                    .unwrap_or_else(|| "vector".into()),
            },
            ColType::Cidr => Type::Cidr,
            ColType::Inet => Type::Inet,
            ColType::MacAddr => Type::MacAddr,
            ColType::LTree => Type::Other {
                sql: "ltree".into(),
            },
            ColType::Sql(t) => t.clone(),
            ColType::Unresolved { written, .. } => {
                return Err(format!("the Rust type `{written}` is unresolved"));
            }
        })
    }
}

/// `ColumnType::Custom(text)`: sea-query writes the text as is, so Postgres folds an unquoted
/// name to lower case.
fn custom_type(text: &str) -> Type {
    let t = text.trim();
    let folded = if t.contains('"') {
        t.to_string()
    } else {
        t.to_ascii_lowercase()
    };
    sql_defaults_length(&folded, Type::parse_pg(&folded))
}

/// In SQL text, `char` / `character` / `bit` without a length mean length 1 (Postgres stores
/// `bit(1)`), unlike `format_type`'s `bpchar`, which has no length. `custom("BIT")` is real
/// code (sea-orm's own `bits` test entity).
fn sql_defaults_length(text: &str, ty: Type) -> Type {
    let base = text.trim_end_matches("[]").trim();
    match ty {
        Type::Array { element } => Type::array(sql_defaults_length(base, *element)),
        Type::Char { length: None } if base != "bpchar" => Type::Char { length: Some(1) },
        Type::Bit {
            length: None,
            varying: false,
        } => Type::Bit {
            length: Some(1),
            varying: false,
        },
        other => other,
    }
}

/// Parses the text of a `column_type = "..."` / `db_type = "..."` attribute.
pub(crate) fn parse_text(text: &str) -> Result<ColType, String> {
    let expr: Expr = syn::parse_str(text).map_err(|e| format!("not a Rust expression: {e}"))?;
    from_expr(&expr)
}

/// Interprets a `ColumnType` expression (`String(StringLen::N(255))`, `ColumnType::Integer`,
/// `Enum { name: .., variants: .. }`, `custom("citext")`, `Array(RcOrArc::new(..))`, …).
pub(crate) fn from_expr(expr: &Expr) -> Result<ColType, String> {
    match expr {
        Expr::Paren(p) => from_expr(&p.expr),
        Expr::Group(g) => from_expr(&g.expr),
        Expr::Path(p) => {
            let name = last(&p.path);
            unit(&name).ok_or_else(|| format!("unknown column type `{name}`"))
        }
        Expr::Call(c) => {
            let Expr::Path(f) = &*c.func else {
                return Err("unsupported column type expression".into());
            };
            let name = last(&f.path);
            let args: Vec<&Expr> = c.args.iter().collect();
            call(&name, &args)
        }
        Expr::Struct(s) => {
            if last(&s.path) != "Enum" {
                return Err(format!("unknown column type `{}`", last(&s.path)));
            }
            let mut name = None;
            let mut variants = Vec::new();
            for f in &s.fields {
                let member = match &f.member {
                    syn::Member::Named(i) => i.to_string(),
                    syn::Member::Unnamed(_) => continue,
                };
                if member == "name" {
                    name = strings_in(&f.expr).into_iter().next();
                } else if member == "variants" {
                    variants = strings_in(&f.expr);
                }
            }
            let name = name.ok_or("`Enum { name: .. }` needs a string name")?;
            Ok(ColType::Enum { name, variants })
        }
        _ => Err("unsupported column type expression".into()),
    }
}

fn unit(name: &str) -> Option<ColType> {
    Some(match name {
        "Text" => ColType::Text,
        "TinyInteger" => ColType::TinyInteger,
        "SmallInteger" => ColType::SmallInteger,
        "Integer" => ColType::Integer,
        "BigInteger" => ColType::BigInteger,
        "TinyUnsigned" => ColType::TinyUnsigned,
        "SmallUnsigned" => ColType::SmallUnsigned,
        "Unsigned" => ColType::Unsigned,
        "BigUnsigned" => ColType::BigUnsigned,
        "Float" => ColType::Float,
        "Double" => ColType::Double,
        "DateTime" => ColType::DateTime,
        "Timestamp" => ColType::Timestamp,
        "TimestampWithTimeZone" => ColType::TimestampWithTimeZone,
        "Time" => ColType::Time,
        "Date" => ColType::Date,
        "Year" => ColType::Year,
        "Blob" => ColType::Blob,
        "Boolean" => ColType::Boolean,
        "Json" => ColType::Json,
        "JsonBinary" => ColType::JsonBinary,
        "Uuid" => ColType::Uuid,
        "Cidr" => ColType::Cidr,
        "Inet" => ColType::Inet,
        "MacAddr" => ColType::MacAddr,
        "LTree" => ColType::LTree,
        // Unit forms some users write for the parameterised ones.
        "String" => ColType::String(None),
        "Char" => ColType::Char(None),
        "Decimal" => ColType::Decimal(None),
        "Money" => ColType::Money(None),
        "VarBinary" => ColType::VarBinary,
        "Vector" => ColType::Vector(None),
        _ => return None,
    })
}

fn call(name: &str, args: &[&Expr]) -> Result<ColType, String> {
    let one = || {
        args.first()
            .copied()
            .ok_or_else(|| format!("`{name}(..)` needs an argument"))
    };
    Ok(match name {
        "Char" => ColType::Char(option(one()?, int)?),
        "String" => ColType::String(string_len(one()?)?),
        "Decimal" => ColType::Decimal(option(one()?, pair)?),
        "Money" => ColType::Money(option(one()?, pair)?),
        "Interval" => {
            let fields = match args.first() {
                Some(e) => option(e, |e| Ok(interval_fields(e)))?,
                None => None,
            };
            let precision = match args.get(1) {
                Some(e) => option(e, int)?,
                None => None,
            };
            ColType::Interval(fields, precision)
        }
        "Binary" => {
            one()?;
            ColType::Binary
        }
        "VarBinary" => ColType::VarBinary,
        "Bit" => ColType::Bit(option(one()?, int)?),
        "VarBit" => ColType::VarBit(int(one()?)?),
        "Vector" => ColType::Vector(option(one()?, int)?),
        "Array" => ColType::Array(Box::new(from_expr(unwrap_new(one()?))?)),
        "string" => ColType::String(option(one()?, int)?),
        "var_binary" => {
            int(one()?)?;
            ColType::VarBinary
        }
        "custom" | "Custom" => ColType::Custom(
            strings_in(one()?)
                .into_iter()
                .next()
                .ok_or("`custom(..)` needs a string")?,
        ),
        _ => match unit(name) {
            Some(t) => t,
            None => return Err(format!("unknown column type `{name}`")),
        },
    })
}

/// `RcOrArc::new(x)`, `Box::new(x)`, `Arc::new(x)`, `x.into()` → `x`.
fn unwrap_new(e: &Expr) -> &Expr {
    match e {
        Expr::Call(c) if c.args.len() == 1 => match &*c.func {
            Expr::Path(p) if last(&p.path) == "new" => unwrap_new(&c.args[0]),
            _ => e,
        },
        Expr::MethodCall(m) if m.method == "into" => unwrap_new(&m.receiver),
        Expr::Paren(p) => unwrap_new(&p.expr),
        _ => e,
    }
}

fn option<T>(e: &Expr, inner: impl Fn(&Expr) -> Result<T, String>) -> Result<Option<T>, String> {
    match e {
        Expr::Path(p) if last(&p.path) == "None" => Ok(None),
        Expr::Call(c) if matches!(&*c.func, Expr::Path(p) if last(&p.path) == "Some") => {
            let arg = c.args.first().ok_or("`Some()` needs a value")?;
            inner(arg).map(Some)
        }
        Expr::Paren(p) => option(&p.expr, inner),
        // A bare value where SeaORM wants an Option: the macro would not compile, but be kind.
        other => inner(other).map(Some),
    }
}

fn string_len(e: &Expr) -> Result<Option<u32>, String> {
    match e {
        Expr::Path(p) if matches!(last(&p.path).as_str(), "None" | "Max") => Ok(None),
        Expr::Call(c) if matches!(&*c.func, Expr::Path(p) if last(&p.path) == "N") => {
            int(c.args.first().ok_or("`StringLen::N()` needs a length")?).map(Some)
        }
        // sea-query 0.x spelling: `String(Some(255))` / `String(None)`.
        other => option(other, int),
    }
}

fn int(e: &Expr) -> Result<u32, String> {
    match e {
        Expr::Lit(l) => match &l.lit {
            Lit::Int(i) => i.base10_parse::<u32>().map_err(|e| e.to_string()),
            _ => Err("expected an integer".into()),
        },
        Expr::Paren(p) => int(&p.expr),
        Expr::Group(g) => int(&g.expr),
        _ => Err("expected an integer literal".into()),
    }
}

fn pair(e: &Expr) -> Result<(u32, u32), String> {
    match e {
        Expr::Tuple(t) if t.elems.len() == 2 => Ok((int(&t.elems[0])?, int(&t.elems[1])?)),
        Expr::Paren(p) => pair(&p.expr),
        _ => Err("expected `(precision, scale)`".into()),
    }
}

/// `PgInterval::YearToMonth` → `YEAR TO MONTH`.
fn interval_fields(e: &Expr) -> String {
    let name = match e {
        Expr::Path(p) => last(&p.path),
        _ => String::new(),
    };
    let mut out = String::new();
    for (i, ch) in name.chars().enumerate() {
        if ch.is_ascii_uppercase() && i > 0 {
            out.push(' ');
        }
        out.push(ch.to_ascii_uppercase());
    }
    out
}

/// Every string literal in an expression, in order (also inside `vec![..]` and `Alias::new(..)`).
pub(crate) fn strings_in(e: &Expr) -> Vec<String> {
    let mut out = Vec::new();
    collect_strings(e, &mut out);
    out
}

fn collect_strings(e: &Expr, out: &mut Vec<String>) {
    match e {
        Expr::Lit(l) => {
            if let Lit::Str(s) = &l.lit {
                out.push(s.value());
            }
        }
        Expr::Call(c) => c.args.iter().for_each(|a| collect_strings(a, out)),
        Expr::MethodCall(m) => {
            collect_strings(&m.receiver, out);
            m.args.iter().for_each(|a| collect_strings(a, out));
        }
        Expr::Array(a) => a.elems.iter().for_each(|a| collect_strings(a, out)),
        Expr::Reference(r) => collect_strings(&r.expr, out),
        Expr::Paren(p) => collect_strings(&p.expr, out),
        Expr::Macro(m) => {
            let parsed = m.mac.parse_body_with(
                syn::punctuated::Punctuated::<Expr, syn::Token![,]>::parse_terminated,
            );
            if let Ok(items) = parsed {
                items.iter().for_each(|a| collect_strings(a, out));
            }
        }
        _ => {}
    }
}

pub(crate) fn last(p: &syn::Path) -> String {
    p.segments
        .last()
        .map(|s| s.ident.to_string())
        .unwrap_or_default()
}
