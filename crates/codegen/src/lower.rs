//! The one lowering: each [`Change`] of a plan becomes a [`Step`] — its description, the
//! statements that apply it, and the facts about them (destructive and why, must run outside a
//! transaction). The SQL preview ([`crate::sql`]), the migration file ([`crate::migration`]) and
//! its header all render steps; none of them looks at a `Change` or searches rendered text.
//!
//! A statement is either a [`Builder`] (sea-query can say it: the preview prints sea-query's own
//! text for it, the file holds the builder expression) or raw SQL with the reason sea-query
//! cannot say it (both print the same text; the file runs it through `execute_unprepared`).
//!
//! Adding a change kind means: the `Change` variant, its inverse and apply (crates/diff), its arm
//! in [`lower_change`], and — only if it needs a statement form that does not exist yet — that
//! form's two renderings in [`crate::builder`] or a raw SQL helper in [`crate::sql`].
//!
//! Where facts live: [`Stmt`] carries the facts about one statement (whether it must run outside a
//! transaction); [`Step::impact`] the lock / rewrite / data-loss classification of the change,
//! which is about the change, not its rendering, and so is decided by
//! [`autogen_diff::impact::classify_plan`] against the current model ([`lower_in`]).

use autogen_diff::hazards::label_used_before_commit;
use autogen_diff::impact::online::OnlineForm;
use autogen_diff::impact::{Impact, classify_plan};
use autogen_diff::{Change, NoteKind, Plan};
use autogen_schema::{
    Column, EnumType, FkAction, ForeignKey, IdentityGeneration, Index, KeyPart, MatchType,
    QualifiedName, Schema, Table, Type,
};

use crate::builder::{AlterOp, Builder, ColDef, ColType, FkRule, Obj, Unique};
use crate::names::type_sql;
use crate::sql;

mod online;
pub use online::Online;

/// One change, lowered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// `Change::describe()`: free text, rendered only through the comment functions.
    pub description: String,
    /// Why the statements look as they do, when that needs saying (a comment before them).
    pub explain: Option<String>,
    pub statements: Vec<Stmt>,
    /// Why the change can lose data or fail on existing rows; `None` when it cannot.
    pub destructive: Option<String>,
    /// The locks it takes, whether it rewrites or scans, whether it can lose data.
    pub impact: Impact,
}

/// One statement and the facts about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stmt {
    pub(crate) form: Form,
    /// Must run outside a transaction (a new enum label used later in the same plan, or a
    /// `CONCURRENTLY` or `VALIDATE` form of the online plan: `OnlineForm::no_transaction`).
    pub no_transaction: bool,
    /// The online-plan form this statement takes (its lock is classified from it), if any.
    pub online: Option<OnlineForm>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Form {
    Builder(Builder),
    /// SQL sea-query cannot say; `why` completes "sea-query cannot express …".
    Raw {
        sql: String,
        why: &'static str,
    },
}

impl Stmt {
    /// The SQL text that runs, without `;`: for a builder, sea-query's own rendering.
    pub fn sql(&self) -> String {
        match &self.form {
            Form::Builder(b) => b.sql(),
            Form::Raw { sql, .. } => sql.clone(),
        }
    }

    fn raw(sql: String, why: &'static str) -> Stmt {
        Stmt {
            form: Form::Raw { sql, why },
            no_transaction: false,
            online: None,
        }
    }

    /// The builder when sea-query writes all its names correctly, else `raw` (the same
    /// statement as SQL text).
    fn builder(b: Builder, raw: impl FnOnce() -> String) -> Stmt {
        if b.plain_names() {
            Stmt {
                form: Form::Builder(b),
                no_transaction: false,
                online: None,
            }
        } else {
            Stmt::raw(raw(), "names containing a double quote")
        }
    }
}

/// The plan's steps, in order, classified as if nothing existed but what the plan creates (a
/// plan without its database; [`lower_in`] is the real classification).
pub fn lower(plan: &Plan) -> Vec<Step> {
    lower_in(plan, &Schema::default())
}

/// The plan's steps, in order, each classified against `current` (the model the plan starts
/// from) with the earlier steps applied.
pub fn lower_in(plan: &Plan, current: &Schema) -> Vec<Step> {
    lower_with(plan, current, None)
}

/// [`lower_in`], with the online-safe forms ([`Online`]) where a change has one: its statements
/// then carry their [`OnlineForm`] and the step's impact is theirs, in sequence.
pub fn lower_with(plan: &Plan, current: &Schema, online: Option<&Online>) -> Vec<Step> {
    let impacts = classify_plan(&plan.changes, current);
    plan.changes
        .iter()
        .zip(impacts)
        .enumerate()
        .map(|(i, (change, impact))| {
            let lowered_online = online
                .filter(|_| online::table_is_live(change, &impact, &plan.changes[i + 1..]))
                .and_then(|_| online::lower_change(change));
            let (mut statements, impact) = match lowered_online {
                Some(stmts) => {
                    let impact = online::impact(&stmts, &impact);
                    (stmts, impact)
                }
                None => (lower_change(change), impact),
            };
            if label_used_before_commit(&plan.changes, i) {
                statements.iter_mut().for_each(|s| s.no_transaction = true);
            }
            // The differ's hazard note for this change, when there is one, is why it is
            // destructive.
            let hazard = plan
                .notes
                .iter()
                .find(|n| n.kind == NoteKind::Hazard && n.change == Some(i));
            let destructive = change.is_destructive().then(|| match hazard {
                Some(n) => format!("{}: {}", change.describe(), n.message),
                None => format!("{}: {}", change.describe(), destructive_reason(change)),
            });
            Step {
                description: change.describe(),
                explain: explain(change),
                statements,
                destructive,
                impact,
            }
        })
        .collect()
}

/// `steps` between the online session settings and their reset, when there are steps and
/// settings.
pub(crate) fn with_session(steps: Vec<Step>, online: Option<&Online>) -> Vec<Step> {
    match online {
        Some(o) if !steps.is_empty() => online::session_step(o)
            .into_iter()
            .chain(steps)
            .chain(online::reset_step(o))
            .collect(),
        _ => steps,
    }
}

/// Why the statements must run outside a transaction (each true at most once).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct NoTransaction {
    /// A `CONCURRENTLY` form: refused inside a transaction block.
    pub concurrently: bool,
    /// A `VALIDATE CONSTRAINT` after `ADD … NOT VALID`: in one transaction the first lock
    /// would be held through the scan.
    pub validate: bool,
    /// A new enum label used in the same plan.
    pub label: bool,
}

impl NoTransaction {
    pub fn any(self) -> bool {
        self.concurrently || self.validate || self.label
    }
}

/// Why `steps` must run outside a transaction, if they must.
pub(crate) fn no_transaction_reasons(steps: &[Step]) -> NoTransaction {
    let stmts = || steps.iter().flat_map(|s| &s.statements);
    let online = |f: fn(&OnlineForm) -> bool| stmts().any(|s| s.online.as_ref().is_some_and(f));
    NoTransaction {
        concurrently: online(OnlineForm::concurrently),
        validate: online(|f| f.no_transaction() && !f.concurrently()),
        label: stmts().any(|s| s.no_transaction && s.online.is_none()),
    }
}

fn destructive_reason(change: &Change) -> &'static str {
    match change {
        Change::DropTable { .. } => "the table and its rows are deleted",
        Change::DropColumn { .. } => "the column's values are deleted",
        Change::RemoveEnumValue { .. } => "fails while rows hold the value",
        Change::SetNotNull { .. } => "fails while the column holds NULLs",
        Change::AlterColumnType { .. } => "the new type may not hold every existing value",
        Change::DropExtension { .. } => {
            "its functions, operators and types are removed (nothing the plan keeps uses them)"
        }
        _ => "may lose data",
    }
}

fn explain(change: &Change) -> Option<String> {
    match change {
        Change::RemoveEnumValue {
            enum_type, value, ..
        } => Some(format!(
            "Postgres cannot drop an enum value: recreate {} without {} and convert its columns",
            crate::names::table_display(&enum_type.qualified_name()),
            sql::lit(value)
        )),
        _ => None,
    }
}

fn obj(q: &QualifiedName) -> Obj {
    Obj::new(&q.schema, &q.name)
}

fn alter(table: &QualifiedName, op: AlterOp, raw: impl FnOnce() -> String) -> Stmt {
    Stmt::builder(
        Builder::AlterTable {
            table: obj(table),
            op,
        },
        raw,
    )
}

const COMMENT_ON: &str = "COMMENT ON (it writes comments only for MySQL)";

/// The statements that apply `change`.
fn lower_change(change: &Change) -> Vec<Stmt> {
    use Change::*;
    match change {
        CreateSchema { schema } => vec![Stmt::raw(
            format!("CREATE SCHEMA {}", crate::text::sql_ident(schema)),
            "CREATE SCHEMA",
        )],
        DropSchema { schema } => vec![Stmt::raw(
            format!("DROP SCHEMA {}", crate::text::sql_ident(schema)),
            "DROP SCHEMA",
        )],
        CreateExtension { extension } => vec![Stmt::raw(
            sql::create_extension(extension),
            "CREATE EXTENSION",
        )],
        DropExtension { extension } => vec![Stmt::raw(
            format!("DROP EXTENSION {}", crate::text::sql_ident(&extension.name)),
            "DROP EXTENSION",
        )],
        CreateEnum { enum_type } => vec![create_enum(enum_type, &enum_type.labels)],
        DropEnum { enum_type } => vec![drop_type(&enum_type.schema, &enum_type.name)],
        AddEnumValue {
            enum_type,
            value,
            moved,
            in_the_way,
            ..
        } => {
            let (before, after) = label_position(enum_type, value);
            let restores = match moved {
                true => in_the_way.restores(),
                false => Vec::new(),
            };
            let add = Stmt::builder(
                Builder::AddEnumValue {
                    name: Obj::new(&enum_type.schema, &enum_type.name),
                    value: value.clone(),
                    before: before.clone(),
                    after: after.clone(),
                },
                || sql::add_enum_value(enum_type, value, before.as_deref(), after.as_deref()),
            );
            std::iter::once(add)
                .chain(restores.iter().flat_map(lower_change))
                .collect()
        }
        RemoveEnumValue {
            enum_type,
            value,
            usages,
            moved,
            in_the_way,
        } => {
            let old = sql::old_enum_name(enum_type);
            let labels: Vec<String> = enum_type
                .labels
                .iter()
                .filter(|l| *l != value)
                .cloned()
                .collect();
            // What is in the way goes first; it comes back after the recreation, or for a
            // moved label with the type's last moved label.
            let mut v: Vec<Stmt> = in_the_way.drops().iter().flat_map(lower_change).collect();
            v.push(Stmt::builder(
                Builder::RenameType {
                    name: Obj::new(&enum_type.schema, &enum_type.name),
                    to: old.clone(),
                },
                || sql::rename_type(enum_type, &old),
            ));
            v.push(create_enum(enum_type, &labels));
            for (table, column) in usages {
                v.push(Stmt::raw(
                    sql::convert_enum_column(enum_type, table, column),
                    "converting columns to the recreated type while keeping their defaults",
                ));
            }
            v.push(drop_type(&enum_type.schema, &old));
            if !moved {
                v.extend(in_the_way.restores().iter().flat_map(lower_change));
            }
            v
        }
        CreateTable { table } => create_table(table),
        DropTable { table } => {
            let q = table.qualified_name();
            vec![Stmt::builder(Builder::DropTable { table: obj(&q) }, || {
                format!("DROP TABLE {}", sql::table_sql(&q))
            })]
        }
        RenameTable { from, to } => vec![Stmt::builder(
            Builder::RenameTable {
                from: obj(from),
                to: to.clone(),
            },
            || sql::rename_table(from, to),
        )],
        AddColumn { table, column } => {
            let c = sql::recreated_column(table, column);
            let mut v = vec![alter(
                table,
                AlterOp::AddColumn(col_def(&c, false, false)),
                || sql::add_column(table, &c),
            )];
            if let Some(comment) = &column.comment {
                v.push(Stmt::raw(
                    sql::column_comment(table, &column.name, Some(comment)),
                    COMMENT_ON,
                ));
            }
            v
        }
        DropColumn { table, column } => vec![alter(
            table,
            AlterOp::DropColumn(column.name.clone()),
            || sql::drop_column(table, &column.name),
        )],
        RenameColumn { table, from, to } => vec![alter(
            table,
            AlterOp::RenameColumn(from.clone(), to.clone()),
            || sql::rename_column(table, from, to),
        )],
        AlterColumnType {
            table,
            column,
            to,
            using,
            collation,
            ..
        } => {
            let collation = collation
                .as_deref()
                .filter(|_| autogen_diff::casts::collatable(to));
            let ty = match collation {
                Some(c) => ColType::Custom(format!(
                    "{} COLLATE {}",
                    type_sql(to),
                    sql::collation_sql(c)
                )),
                None => col_type(to),
            };
            let def = ColDef {
                name: column.clone(),
                ty: Some(ty),
                using: using.clone(),
                ..ColDef::default()
            };
            vec![alter(table, AlterOp::ModifyColumn(def), || {
                sql::alter_column_type(table, column, to, collation, using.as_deref())
            })]
        }
        SetNotNull { table, column } => {
            let def = ColDef {
                name: column.clone(),
                not_null: true,
                ..ColDef::default()
            };
            vec![alter(table, AlterOp::ModifyColumn(def), || {
                sql::alter_column(table, column, "SET NOT NULL")
            })]
        }
        DropNotNull { table, column } => {
            let def = ColDef {
                name: column.clone(),
                null: true,
                ..ColDef::default()
            };
            vec![alter(table, AlterOp::ModifyColumn(def), || {
                sql::alter_column(table, column, "DROP NOT NULL")
            })]
        }
        AlterDefault {
            table, column, to, ..
        } => match to {
            Some(d) => {
                let def = ColDef {
                    name: column.clone(),
                    default: Some(d.clone()),
                    ..ColDef::default()
                };
                vec![alter(table, AlterOp::ModifyColumn(def), || {
                    sql::alter_column(table, column, &format!("SET DEFAULT {d}"))
                })]
            }
            None => vec![Stmt::raw(sql::drop_default(table, column), "DROP DEFAULT")],
        },
        AlterIdentity {
            table,
            column,
            from,
            to,
        } => sql::alter_identity(table, column, from.as_ref(), to.as_ref())
            .into_iter()
            .map(|s| Stmt::raw(s, "identity columns"))
            .collect(),
        AddIndex { table, index } => vec![if index.constraint {
            Stmt::raw(
                sql::add_index(table, index),
                "adding a named UNIQUE constraint to an existing table",
            )
        } else {
            create_index(table, index)
        }],
        DropIndex { table, index } => vec![if index.constraint {
            drop_constraint(table, &index.name)
        } else {
            Stmt::builder(
                Builder::DropIndex {
                    table: obj(table),
                    name: index.name.clone(),
                    concurrently: false,
                },
                || sql::drop_index(table, &index.name),
            )
        }],
        RenameIndex { table, from, to } => vec![Stmt::raw(
            sql::rename_index(table, from, to),
            "renaming an index",
        )],
        AddPrimaryKey { table, primary_key } => vec![Stmt::raw(
            sql::add_primary_key(table, primary_key),
            "adding a named primary key to an existing table",
        )],
        DropPrimaryKey { table, primary_key } => vec![drop_constraint(table, &primary_key.name)],
        AddForeignKey { table, foreign_key } => vec![add_foreign_key(table, foreign_key)],
        DropForeignKey { table, foreign_key } => vec![drop_foreign_key(table, foreign_key)],
        // Postgres cannot alter a foreign key's actions: drop it and add the new definition.
        AlterForeignKey { table, from, to } => {
            vec![drop_foreign_key(table, from), add_foreign_key(table, to)]
        }
        RenameForeignKey { table, from, to } => vec![Stmt::raw(
            sql::rename_constraint(table, from, to),
            "renaming a constraint",
        )],
        AddCheck { table, check } => vec![Stmt::raw(
            sql::add_check(table, check),
            "adding a CHECK constraint to an existing table",
        )],
        DropCheck { table, check } => vec![drop_constraint(table, &check.name)],
        SetTableComment { table, to, .. } => vec![Stmt::raw(
            sql::table_comment(table, to.as_deref()),
            COMMENT_ON,
        )],
        SetColumnComment {
            table, column, to, ..
        } => vec![Stmt::raw(
            sql::column_comment(table, column, to.as_deref()),
            COMMENT_ON,
        )],
    }
}

fn create_enum(e: &EnumType, labels: &[String]) -> Stmt {
    if labels.is_empty() {
        // `.values([])` does not compile (no element type to infer).
        return Stmt::raw(sql::create_enum(e, labels), "an enum type without labels");
    }
    Stmt::builder(
        Builder::CreateEnum {
            name: Obj::new(&e.schema, &e.name),
            labels: labels.to_vec(),
        },
        || sql::create_enum(e, labels),
    )
}

fn drop_type(schema: &str, name: &str) -> Stmt {
    Stmt::builder(
        Builder::DropType {
            name: Obj::new(schema, name),
        },
        || format!("DROP TYPE {}", sql::qualified_sql(schema, name)),
    )
}

fn drop_constraint(table: &QualifiedName, name: &str) -> Stmt {
    alter(table, AlterOp::DropConstraint(name.to_string()), || {
        sql::drop_constraint(table, name)
    })
}

/// Where a new label goes: `BEFORE` its successor, else `AFTER` its predecessor.
fn label_position(e: &EnumType, value: &str) -> (Option<String>, Option<String>) {
    let Some(i) = e.labels.iter().position(|l| l == value) else {
        return (None, None);
    };
    if let Some(next) = e.labels.get(i + 1) {
        (Some(next.clone()), None)
    } else if i > 0 {
        (None, Some(e.labels[i - 1].clone()))
    } else {
        (None, None)
    }
}

/// The `ColumnDef` type method that makes sea-query print exactly this type.
fn col_type(ty: &Type) -> ColType {
    match ty {
        Type::SmallInt => ColType::SmallInteger,
        Type::Integer => ColType::Integer,
        Type::BigInt => ColType::BigInteger,
        Type::Real => ColType::Float,
        Type::Double => ColType::Double,
        Type::Numeric {
            precision: None, ..
        } => ColType::Decimal,
        Type::Numeric {
            precision: Some(p),
            scale,
        } => ColType::DecimalLen(*p, scale.unwrap_or(0)),
        Type::Boolean => ColType::Boolean,
        Type::Text => ColType::Text,
        Type::Varchar { length: None } => ColType::String,
        Type::Varchar { length: Some(l) } => ColType::StringLen(*l),
        Type::Char { length: Some(l) } => ColType::CharLen(*l),
        Type::Bytea => ColType::Binary,
        Type::Date => ColType::Date,
        Type::Time {
            precision: None,
            with_time_zone: false,
        } => ColType::Time,
        Type::Timestamp {
            precision: None,
            with_time_zone: false,
        } => ColType::DateTime,
        Type::Timestamp {
            precision: None,
            with_time_zone: true,
        } => ColType::TimestampWithTimeZone,
        Type::Interval {
            fields: None,
            precision: None,
        } => ColType::Interval,
        Type::Uuid => ColType::Uuid,
        Type::Json => ColType::Json,
        Type::Jsonb => ColType::JsonBinary,
        Type::Inet => ColType::Inet,
        Type::Cidr => ColType::Cidr,
        Type::MacAddr => ColType::MacAddress,
        Type::Money => ColType::Money,
        other => ColType::Custom(type_sql(other)),
    }
}

/// sea-query's `auto_increment()` on Postgres is `GENERATED BY DEFAULT AS IDENTITY` with
/// default options, and only for the integer types.
fn is_plain_auto_increment(c: &Column) -> bool {
    c.identity
        .as_ref()
        .is_some_and(|i| i.generation == IdentityGeneration::ByDefault && i.options.is_default())
        && c.ty.is_integer()
        && c.collation.is_none()
}

/// A whole column: `ColumnDef::new("id").integer().not_null().auto_increment().primary_key()`.
fn col_def(c: &Column, primary_key: bool, unique: bool) -> ColDef {
    let ty = match &c.collation {
        // `COLLATE` must follow the type directly, so it travels in the custom type text.
        Some(coll) => ColType::Custom(format!(
            "{} COLLATE {}",
            type_sql(&c.ty),
            sql::collation_sql(coll)
        )),
        None => col_type(&c.ty),
    };
    let auto_increment = is_plain_auto_increment(c);
    ColDef {
        name: c.name.clone(),
        ty: Some(ty),
        not_null: !c.nullable,
        default: c.default.clone(),
        generated: c.generated.clone(),
        auto_increment,
        primary_key,
        unique,
        extra: c
            .identity
            .as_ref()
            .filter(|_| !auto_increment)
            .map(sql::identity_sql),
        ..ColDef::default()
    }
}

fn create_table(table: &Table) -> Vec<Stmt> {
    let q = table.qualified_name();
    let pk_inline = sql::inline_primary_key(table);
    let inline_uniques: Vec<&str> = table
        .indexes
        .iter()
        .filter_map(|i| sql::inline_unique_column(table, i))
        .collect();
    let columns = table
        .columns
        .iter()
        .map(|c| {
            col_def(
                &sql::recreated_column(&q, c),
                pk_inline == Some(c.name.as_str()),
                inline_uniques.contains(&c.name.as_str()),
            )
        })
        .collect();
    let primary_key = match (&table.primary_key, pk_inline) {
        (Some(pk), None) => Some((pk.name.clone(), pk.columns.clone())),
        _ => None,
    };
    let mut uniques = Vec::new();
    let mut raw_uniques = Vec::new();
    for index in table.indexes.iter().filter(|i| i.constraint) {
        if sql::inline_unique_column(table, index).is_some()
            || sql::merged_by_create_table(table, index)
        {
            continue;
        }
        match index.column_names() {
            Some(cols) => uniques.push(Unique {
                name: index.name.clone(),
                columns: cols.iter().map(|c| c.to_string()).collect(),
                nulls_not_distinct: index.nulls_not_distinct,
                include: index.include.clone(),
            }),
            None => raw_uniques.push(index),
        }
    }
    let (checks, late_checks): (Vec<_>, Vec<_>) = table.checks.iter().partition(|c| !c.no_inherit);
    let create = Builder::CreateTable {
        table: obj(&q),
        columns,
        primary_key,
        uniques,
        checks: checks
            .iter()
            .map(|c| (c.name.clone(), c.expression.clone()))
            .collect(),
        extra: table
            .partition_key
            .as_ref()
            .map(|p| format!("PARTITION BY {p}")),
    };
    if !create.plain_names() || !raw_uniques.is_empty() {
        return raw_create_table(
            table,
            "this table (names containing a double quote or expression keys)",
        );
    }
    // sea-query prints `CREATE TABLE "t"` with no parentheses for a table without columns.
    if table.columns.is_empty() {
        return raw_create_table(table, "a table without columns");
    }
    let mut v = vec![Stmt {
        form: Form::Builder(create),
        no_transaction: false,
        online: None,
    }];
    for check in late_checks {
        v.push(Stmt::raw(sql::add_check(&q, check), "CHECK ... NO INHERIT"));
    }
    v.extend(table_extras(table));
    v
}

/// `CREATE TABLE` as one raw statement (names sea-query cannot write, expression keys), then
/// the rest.
fn raw_create_table(table: &Table, why: &'static str) -> Vec<Stmt> {
    let mut v = vec![Stmt::raw(sql::create_table(table), why)];
    v.extend(table_extras(table));
    v
}

/// What follows a `CREATE TABLE`: unique constraints it would have merged into another, its
/// plain indexes and its comments.
fn table_extras(table: &Table) -> Vec<Stmt> {
    let q = table.qualified_name();
    let mut v: Vec<Stmt> = table
        .indexes
        .iter()
        .filter(|i| sql::merged_by_create_table(table, i))
        .map(|i| {
            Stmt::raw(
                sql::add_index(&q, i),
                "adding a named UNIQUE constraint to an existing table",
            )
        })
        .collect();
    v.extend(
        table
            .indexes
            .iter()
            .filter(|i| !i.constraint)
            .map(|i| create_index(&q, i)),
    );
    if let Some(c) = &table.comment {
        v.push(Stmt::raw(sql::table_comment(&q, Some(c)), COMMENT_ON));
    }
    for c in &table.columns {
        if let Some(comment) = &c.comment {
            v.push(Stmt::raw(
                sql::column_comment(&q, &c.name, Some(comment)),
                COMMENT_ON,
            ));
        }
    }
    v
}

/// `Index::create()` when every key is a plain column in default `NULLS` order without
/// collation or operator class; raw `CREATE INDEX` otherwise.
fn create_index(table: &QualifiedName, index: &Index) -> Stmt {
    create_index_maybe_concurrently(table, index, false)
}

/// [`create_index`], `CONCURRENTLY` when asked.
fn create_index_maybe_concurrently(
    table: &QualifiedName,
    index: &Index,
    concurrently: bool,
) -> Stmt {
    let keys = &index.keys;
    let why = if keys
        .iter()
        .any(|k| matches!(k.part, KeyPart::Expression(_)))
    {
        Some("index expressions")
    } else if keys.iter().any(|k| k.opclass.is_some()) {
        Some("operator classes")
    } else if keys.iter().any(|k| k.collation.is_some()) {
        Some("index key collations")
    } else if keys.iter().any(|k| k.nulls_first != k.descending) {
        Some("NULLS FIRST/LAST")
    } else {
        None
    };
    if let Some(why) = why {
        return Stmt::raw(
            sql::create_index_maybe_concurrently(table, index, concurrently),
            why,
        );
    }
    Stmt::builder(
        Builder::CreateIndex {
            table: obj(table),
            name: index.name.clone(),
            columns: keys
                .iter()
                .filter_map(|k| match &k.part {
                    KeyPart::Column(c) => Some((c.clone(), k.descending)),
                    KeyPart::Expression(_) => None,
                })
                .collect(),
            unique: index.unique,
            method: (index.method != "btree").then(|| index.method.clone()),
            include: index.include.clone(),
            nulls_not_distinct: index.nulls_not_distinct,
            predicate: index.predicate.clone(),
            concurrently,
        },
        || sql::create_index_maybe_concurrently(table, index, concurrently),
    )
}

fn fk_rule(a: FkAction) -> Option<FkRule> {
    match a {
        FkAction::NoAction => None,
        FkAction::Restrict => Some(FkRule::Restrict),
        FkAction::Cascade => Some(FkRule::Cascade),
        FkAction::SetNull => Some(FkRule::SetNull),
        FkAction::SetDefault => Some(FkRule::SetDefault),
    }
}

fn drop_foreign_key(table: &QualifiedName, fk: &ForeignKey) -> Stmt {
    Stmt::builder(
        Builder::DropForeignKey {
            table: obj(table),
            name: fk.name.clone(),
        },
        || sql::drop_constraint(table, &fk.name),
    )
}

fn add_foreign_key(table: &QualifiedName, fk: &ForeignKey) -> Stmt {
    if fk.deferrable || fk.not_valid || fk.match_type != MatchType::Simple {
        return Stmt::raw(
            sql::add_foreign_key(table, fk),
            "DEFERRABLE, NOT VALID or MATCH on foreign keys",
        );
    }
    Stmt::builder(
        Builder::CreateForeignKey {
            name: fk.name.clone(),
            table: obj(table),
            columns: fk.columns.clone(),
            ref_table: obj(&fk.referenced()),
            ref_columns: fk.ref_columns.clone(),
            on_delete: fk_rule(fk.on_delete),
            on_update: fk_rule(fk.on_update),
        },
        || sql::add_foreign_key(table, fk),
    )
}
