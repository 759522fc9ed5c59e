//! A statement sea-query 1.0 can say, described once and rendered twice: as the sea-query value
//! whose Postgres text is the SQL the preview prints ([`Builder::sql`], by sea-query itself, so
//! it is exactly what the migration sends), and as the Rust builder expression the migration
//! file holds ([`Builder::tokens`]). The two renderings of each form sit side by side.
//!
//! sea-query writes identifiers given as `&'static str` (what the migration file holds) without
//! doubling a `"` in them, and index / constraint names never; so the lowering uses a builder only
//! for names without `"` ([`Obj::plain`], [`plain`]) and raw SQL otherwise.

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use sea_query::ConditionalStatement;
use sea_query::extension::postgres::Type as PgType;
use sea_query::{
    Alias, ColumnDef as SqColumnDef, Expr, ForeignKey as SqForeignKey, ForeignKeyAction,
    Index as SqIndex, IndexOrder, IndexType, PostgresQueryBuilder, Table as SqTable, TableRef,
    TypeRef,
};

use crate::names::DEFAULT_SCHEMA;

/// A table or type: `name` in `public`, `(schema, name)` elsewhere.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Obj {
    pub schema: Option<String>,
    pub name: String,
}

impl Obj {
    pub fn new(schema: &str, name: &str) -> Obj {
        Obj {
            schema: (schema != DEFAULT_SCHEMA).then(|| schema.to_string()),
            name: name.to_string(),
        }
    }

    pub fn plain(&self) -> bool {
        plain(&self.name) && self.schema.as_deref().is_none_or(plain)
    }

    fn tokens(&self) -> TokenStream {
        let n = &self.name;
        match &self.schema {
            None => quote!(#n),
            Some(s) => quote!((#s, #n)),
        }
    }

    fn table_ref(&self) -> TableRef {
        match &self.schema {
            None => Alias::new(self.name.clone()).into(),
            Some(s) => (Alias::new(s.clone()), Alias::new(self.name.clone())).into(),
        }
    }

    fn type_ref(&self) -> TypeRef {
        match &self.schema {
            None => Alias::new(self.name.clone()).into(),
            Some(s) => (Alias::new(s.clone()), Alias::new(self.name.clone())).into(),
        }
    }
}

/// A name sea-query writes correctly from a string literal: one without `"`.
pub(crate) fn plain(name: &str) -> bool {
    !name.contains('"')
}

/// The `ColumnDef` type method that makes sea-query print a type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ColType {
    SmallInteger,
    Integer,
    BigInteger,
    Float,
    Double,
    Decimal,
    DecimalLen(u32, u32),
    Boolean,
    Text,
    String,
    StringLen(u32),
    CharLen(u32),
    Binary,
    Date,
    Time,
    DateTime,
    TimestampWithTimeZone,
    Interval,
    Uuid,
    Json,
    JsonBinary,
    Inet,
    Cidr,
    MacAddress,
    Money,
    /// Type text written as is (user types, arrays, anything with a collation).
    Custom(String),
}

/// A `ColumnDef`: a new column, or (for `modify_column`) the parts of one that change.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct ColDef {
    pub name: String,
    pub ty: Option<ColType>,
    pub not_null: bool,
    /// `.null()`: DROP NOT NULL in `modify_column`.
    pub null: bool,
    pub default: Option<String>,
    pub generated: Option<String>,
    pub auto_increment: bool,
    pub primary_key: bool,
    pub unique: bool,
    pub extra: Option<String>,
    pub using: Option<String>,
}

/// A unique constraint inside `CREATE TABLE`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Unique {
    pub name: String,
    pub columns: Vec<String>,
    pub nulls_not_distinct: bool,
    pub include: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum AlterOp {
    AddColumn(ColDef),
    DropColumn(String),
    RenameColumn(String, String),
    ModifyColumn(ColDef),
    DropConstraint(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FkRule {
    Restrict,
    Cascade,
    SetNull,
    SetDefault,
}

/// One statement in sea-query's vocabulary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Builder {
    CreateEnum {
        name: Obj,
        labels: Vec<String>,
    },
    DropType {
        name: Obj,
    },
    AddEnumValue {
        name: Obj,
        value: String,
        before: Option<String>,
        after: Option<String>,
    },
    RenameType {
        name: Obj,
        to: String,
    },
    CreateTable {
        table: Obj,
        columns: Vec<ColDef>,
        primary_key: Option<(String, Vec<String>)>,
        uniques: Vec<Unique>,
        checks: Vec<(String, String)>,
        extra: Option<String>,
    },
    DropTable {
        table: Obj,
    },
    RenameTable {
        from: Obj,
        to: String,
    },
    AlterTable {
        table: Obj,
        op: AlterOp,
    },
    CreateIndex {
        table: Obj,
        name: String,
        /// (column, descending).
        columns: Vec<(String, bool)>,
        unique: bool,
        method: Option<String>,
        include: Vec<String>,
        nulls_not_distinct: bool,
        predicate: Option<String>,
        /// `CONCURRENTLY` (the online plan): must run outside a transaction.
        concurrently: bool,
    },
    DropIndex {
        table: Obj,
        name: String,
        /// `CONCURRENTLY` (the online plan): must run outside a transaction.
        concurrently: bool,
    },
    CreateForeignKey {
        name: String,
        table: Obj,
        columns: Vec<String>,
        ref_table: Obj,
        ref_columns: Vec<String>,
        on_delete: Option<FkRule>,
        on_update: Option<FkRule>,
    },
    DropForeignKey {
        table: Obj,
        name: String,
    },
}

impl Builder {
    /// Every identifier sea-query writes correctly (see the module docs).
    pub fn plain_names(&self) -> bool {
        let all = |v: &[String]| v.iter().all(|n| plain(n));
        let col = |c: &ColDef| plain(&c.name);
        match self {
            Builder::CreateEnum { name, .. }
            | Builder::DropType { name }
            | Builder::AddEnumValue { name, .. } => name.plain(),
            Builder::RenameType { name, to } => name.plain() && plain(to),
            Builder::CreateTable {
                table,
                columns,
                primary_key,
                uniques,
                checks,
                ..
            } => {
                table.plain()
                    && columns.iter().all(col)
                    && primary_key
                        .as_ref()
                        .is_none_or(|(n, cols)| plain(n) && all(cols))
                    && uniques
                        .iter()
                        .all(|u| plain(&u.name) && all(&u.columns) && all(&u.include))
                    && checks.iter().all(|(n, _)| plain(n))
            }
            Builder::DropTable { table } => table.plain(),
            Builder::RenameTable { from, to } => from.plain() && plain(to),
            Builder::AlterTable { table, op } => {
                table.plain()
                    && match op {
                        AlterOp::AddColumn(c) | AlterOp::ModifyColumn(c) => col(c),
                        AlterOp::DropColumn(n) | AlterOp::DropConstraint(n) => plain(n),
                        AlterOp::RenameColumn(f, t) => plain(f) && plain(t),
                    }
            }
            Builder::CreateIndex {
                table,
                name,
                columns,
                include,
                ..
            } => {
                table.plain()
                    && plain(name)
                    && columns.iter().all(|(c, _)| plain(c))
                    && all(include)
            }
            Builder::DropIndex { table, name, .. } | Builder::DropForeignKey { table, name } => {
                table.plain() && plain(name)
            }
            Builder::CreateForeignKey {
                name,
                table,
                columns,
                ref_table,
                ref_columns,
                ..
            } => {
                plain(name)
                    && table.plain()
                    && ref_table.plain()
                    && all(columns)
                    && all(ref_columns)
            }
        }
    }

    /// Whether the statement needs `sea_query::extension::postgres::Type` in scope.
    pub fn uses_type(&self) -> bool {
        matches!(
            self,
            Builder::CreateEnum { .. }
                | Builder::DropType { .. }
                | Builder::AddEnumValue { .. }
                | Builder::RenameType { .. }
        )
    }

    /// The SQL sea-query sends for this statement.
    pub fn sql(&self) -> String {
        let pg = PostgresQueryBuilder;
        match self {
            Builder::CreateEnum { name, labels } => PgType::create()
                .as_enum(name.type_ref())
                .values(labels.iter().map(|l| Alias::new(l.clone())))
                .to_string(pg),
            Builder::DropType { name } => PgType::drop().name(name.type_ref()).to_string(pg),
            Builder::AddEnumValue {
                name,
                value,
                before,
                after,
            } => {
                let mut s = PgType::alter()
                    .name(name.type_ref())
                    .add_value(Alias::new(value.clone()));
                if let Some(b) = before {
                    s = s.before(Alias::new(b.clone()));
                }
                if let Some(a) = after {
                    s = s.after(Alias::new(a.clone()));
                }
                s.to_string(pg)
            }
            Builder::RenameType { name, to } => PgType::alter()
                .name(name.type_ref())
                .rename_to(Alias::new(to.clone()))
                .to_string(pg),
            Builder::CreateTable {
                table,
                columns,
                primary_key,
                uniques,
                checks,
                extra,
            } => {
                let mut s = SqTable::create();
                s.table(table.table_ref());
                for c in columns {
                    s.col(col_def(c));
                }
                if let Some((n, cols)) = primary_key {
                    let mut i = SqIndex::create();
                    i.name(n.clone());
                    for c in cols {
                        i.col(Alias::new(c.clone()));
                    }
                    s.primary_key(&mut i);
                }
                for u in uniques {
                    let mut i = SqIndex::create();
                    i.name(u.name.clone());
                    for c in &u.columns {
                        i.col(Alias::new(c.clone()));
                    }
                    i.unique();
                    if u.nulls_not_distinct {
                        i.nulls_not_distinct();
                    }
                    for c in &u.include {
                        i.include(Alias::new(c.clone()));
                    }
                    s.index(&mut i);
                }
                for (n, e) in checks {
                    s.check((Alias::new(n.clone()), Expr::cust(e.clone())));
                }
                if let Some(e) = extra {
                    s.extra(e.clone());
                }
                s.to_string(pg)
            }
            Builder::DropTable { table } => SqTable::drop().table(table.table_ref()).to_string(pg),
            Builder::RenameTable { from, to } => SqTable::rename()
                .table(from.table_ref(), Alias::new(to.clone()))
                .to_string(pg),
            Builder::AlterTable { table, op } => {
                let mut s = SqTable::alter();
                s.table(table.table_ref());
                match op {
                    AlterOp::AddColumn(c) => s.add_column(col_def(c)),
                    AlterOp::DropColumn(c) => s.drop_column(Alias::new(c.clone())),
                    AlterOp::RenameColumn(f, t) => {
                        s.rename_column(Alias::new(f.clone()), Alias::new(t.clone()))
                    }
                    AlterOp::ModifyColumn(c) => s.modify_column(col_def(c)),
                    AlterOp::DropConstraint(n) => s.drop_constraint(Alias::new(n.clone())),
                };
                s.to_string(pg)
            }
            Builder::CreateIndex {
                table,
                name,
                columns,
                unique,
                method,
                include,
                nulls_not_distinct,
                predicate,
                concurrently,
            } => {
                let mut i = SqIndex::create();
                if *concurrently {
                    i.concurrently();
                }
                i.name(name.clone()).table(table.table_ref());
                for (c, desc) in columns {
                    if *desc {
                        i.col((Alias::new(c.clone()), IndexOrder::Desc));
                    } else {
                        i.col(Alias::new(c.clone()));
                    }
                }
                if *unique {
                    i.unique();
                }
                match method.as_deref() {
                    None => {}
                    Some("hash") => {
                        i.index_type(IndexType::Hash);
                    }
                    Some(m) => {
                        i.index_type(IndexType::Custom(Alias::new(m).into()));
                    }
                }
                for c in include {
                    i.include(Alias::new(c.clone()));
                }
                if *nulls_not_distinct {
                    i.nulls_not_distinct();
                }
                if let Some(p) = predicate {
                    i.and_where(Expr::cust(p.clone()));
                }
                i.to_string(pg)
            }
            Builder::DropIndex {
                table,
                name,
                concurrently,
            } => {
                let mut d = SqIndex::drop();
                d.name(name.clone()).table(table.table_ref());
                if *concurrently {
                    d.concurrently();
                }
                d.to_string(pg)
            }
            Builder::CreateForeignKey {
                name,
                table,
                columns,
                ref_table,
                ref_columns,
                on_delete,
                on_update,
            } => {
                let mut f = SqForeignKey::create();
                f.name(name.clone()).from_tbl(table.table_ref());
                for c in columns {
                    f.from_col(Alias::new(c.clone()));
                }
                f.to_tbl(ref_table.table_ref());
                for c in ref_columns {
                    f.to_col(Alias::new(c.clone()));
                }
                if let Some(a) = on_delete {
                    f.on_delete(fk_action(*a));
                }
                if let Some(a) = on_update {
                    f.on_update(fk_action(*a));
                }
                f.to_string(pg)
            }
            Builder::DropForeignKey { table, name } => SqForeignKey::drop()
                .name(name.clone())
                .table(table.table_ref())
                .to_string(pg),
        }
    }

    /// The statement in the migration file: `manager.create_table(…).await?;`.
    pub fn tokens(&self) -> TokenStream {
        match self {
            Builder::CreateEnum { name, labels } => {
                let n = name.tokens();
                quote!(manager.create_type(Type::create().as_enum(#n).values([#(#labels),*]).to_owned()).await?;)
            }
            Builder::DropType { name } => {
                let n = name.tokens();
                quote!(manager.drop_type(Type::drop().name(#n).to_owned()).await?;)
            }
            Builder::AddEnumValue {
                name,
                value,
                before,
                after,
            } => {
                let n = name.tokens();
                let before = before.as_ref().map(|b| quote!(.before(#b)));
                let after = after.as_ref().map(|a| quote!(.after(#a)));
                quote!(manager.alter_type(Type::alter().name(#n).add_value(#value) #before #after).await?;)
            }
            Builder::RenameType { name, to } => {
                let n = name.tokens();
                quote!(manager.alter_type(Type::alter().name(#n).rename_to(#to)).await?;)
            }
            Builder::CreateTable {
                table,
                columns,
                primary_key,
                uniques,
                checks,
                extra,
            } => {
                let t = table.tokens();
                let cols = columns.iter().map(col_def_tokens);
                let pk = primary_key.as_ref().map(
                    |(n, cols)| quote!(.primary_key(Index::create().name(#n) #(.col(#cols))*)),
                );
                let uniques = uniques.iter().map(|u| {
                    let (n, cols, include) = (&u.name, &u.columns, &u.include);
                    let nnd = u.nulls_not_distinct.then(|| quote!(.nulls_not_distinct()));
                    quote!(.index(Index::create().name(#n) #(.col(#cols))* .unique() #nnd #(.include(#include))*))
                });
                let checks = checks
                    .iter()
                    .map(|(n, e)| quote!(.check((#n, Expr::cust(#e)))));
                let extra = extra.as_ref().map(|e| quote!(.extra(#e)));
                quote!(manager.create_table(Table::create().table(#t) #(.col(#cols))* #pk #(#uniques)* #(#checks)* #extra .to_owned()).await?;)
            }
            Builder::DropTable { table } => {
                let t = table.tokens();
                quote!(manager.drop_table(Table::drop().table(#t).to_owned()).await?;)
            }
            Builder::RenameTable { from, to } => {
                let f = from.tokens();
                quote!(manager.rename_table(Table::rename().table(#f, #to).to_owned()).await?;)
            }
            Builder::AlterTable { table, op } => {
                let t = table.tokens();
                let op = match op {
                    AlterOp::AddColumn(c) => {
                        let c = col_def_tokens(c);
                        quote!(.add_column(#c))
                    }
                    AlterOp::DropColumn(c) => quote!(.drop_column(#c)),
                    AlterOp::RenameColumn(f, to) => quote!(.rename_column(#f, #to)),
                    AlterOp::ModifyColumn(c) => {
                        let c = col_def_tokens(c);
                        quote!(.modify_column(#c))
                    }
                    AlterOp::DropConstraint(n) => quote!(.drop_constraint(#n)),
                };
                quote!(manager.alter_table(Table::alter().table(#t) #op .to_owned()).await?;)
            }
            Builder::CreateIndex {
                table,
                name,
                columns,
                unique,
                method,
                include,
                nulls_not_distinct,
                predicate,
                concurrently,
            } => {
                let t = table.tokens();
                let concurrently = concurrently.then(|| quote!(.concurrently()));
                let cols = columns.iter().map(|(c, desc)| {
                    if *desc {
                        quote!(.col((#c, IndexOrder::Desc)))
                    } else {
                        quote!(.col(#c))
                    }
                });
                let unique = unique.then(|| quote!(.unique()));
                let method = method.as_deref().map(|m| match m {
                    "hash" => quote!(.index_type(IndexType::Hash)),
                    m => quote!(.index_type(IndexType::Custom(#m.into()))),
                });
                let nnd = nulls_not_distinct.then(|| quote!(.nulls_not_distinct()));
                let predicate = predicate
                    .as_ref()
                    .map(|p| quote!(.and_where(Expr::cust(#p))));
                quote!(manager.create_index(Index::create().name(#name).table(#t) #(#cols)* #unique #method #(.include(#include))* #nnd #predicate #concurrently .to_owned()).await?;)
            }
            Builder::DropIndex {
                table,
                name,
                concurrently,
            } => {
                let t = table.tokens();
                let concurrently = concurrently.then(|| quote!(.concurrently()));
                quote!(manager.drop_index(Index::drop().name(#name).table(#t) #concurrently .to_owned()).await?;)
            }
            Builder::CreateForeignKey {
                name,
                table,
                columns,
                ref_table,
                ref_columns,
                on_delete,
                on_update,
            } => {
                let (t, r) = (table.tokens(), ref_table.tokens());
                let on_delete = on_delete.map(|a| {
                    let a = fk_action_tokens(a);
                    quote!(.on_delete(#a))
                });
                let on_update = on_update.map(|a| {
                    let a = fk_action_tokens(a);
                    quote!(.on_update(#a))
                });
                quote!(manager.create_foreign_key(ForeignKey::create().name(#name).from_tbl(#t) #(.from_col(#columns))* .to_tbl(#r) #(.to_col(#ref_columns))* #on_delete #on_update .to_owned()).await?;)
            }
            Builder::DropForeignKey { table, name } => {
                let t = table.tokens();
                quote!(manager.drop_foreign_key(ForeignKey::drop().name(#name).table(#t).to_owned()).await?;)
            }
        }
    }
}

fn fk_action(a: FkRule) -> ForeignKeyAction {
    match a {
        FkRule::Restrict => ForeignKeyAction::Restrict,
        FkRule::Cascade => ForeignKeyAction::Cascade,
        FkRule::SetNull => ForeignKeyAction::SetNull,
        FkRule::SetDefault => ForeignKeyAction::SetDefault,
    }
}

fn fk_action_tokens(a: FkRule) -> TokenStream {
    match a {
        FkRule::Restrict => quote!(ForeignKeyAction::Restrict),
        FkRule::Cascade => quote!(ForeignKeyAction::Cascade),
        FkRule::SetNull => quote!(ForeignKeyAction::SetNull),
        FkRule::SetDefault => quote!(ForeignKeyAction::SetDefault),
    }
}

fn col_def(c: &ColDef) -> SqColumnDef {
    let mut d = SqColumnDef::new(Alias::new(c.name.clone()));
    if let Some(ty) = &c.ty {
        match ty {
            ColType::SmallInteger => d.small_integer(),
            ColType::Integer => d.integer(),
            ColType::BigInteger => d.big_integer(),
            ColType::Float => d.float(),
            ColType::Double => d.double(),
            ColType::Decimal => d.decimal(),
            ColType::DecimalLen(p, s) => d.decimal_len(*p, *s),
            ColType::Boolean => d.boolean(),
            ColType::Text => d.text(),
            ColType::String => d.string(),
            ColType::StringLen(l) => d.string_len(*l),
            ColType::CharLen(l) => d.char_len(*l),
            ColType::Binary => d.binary(),
            ColType::Date => d.date(),
            ColType::Time => d.time(),
            ColType::DateTime => d.date_time(),
            ColType::TimestampWithTimeZone => d.timestamp_with_time_zone(),
            ColType::Interval => d.interval(None, None),
            ColType::Uuid => d.uuid(),
            ColType::Json => d.json(),
            ColType::JsonBinary => d.json_binary(),
            ColType::Inet => d.inet(),
            ColType::Cidr => d.cidr(),
            ColType::MacAddress => d.mac_address(),
            ColType::Money => d.money(),
            ColType::Custom(t) => d.custom(Alias::new(t.clone())),
        };
    }
    if c.not_null {
        d.not_null();
    }
    if c.null {
        d.null();
    }
    if let Some(e) = &c.default {
        d.default(Expr::cust(e.clone()));
    }
    if let Some(g) = &c.generated {
        d.generated(Expr::cust(g.clone()), true);
    }
    if c.auto_increment {
        d.auto_increment();
    }
    if c.primary_key {
        d.primary_key();
    }
    if c.unique {
        d.unique_key();
    }
    if let Some(e) = &c.extra {
        d.extra(e.clone());
    }
    if let Some(u) = &c.using {
        d.using(Expr::cust(u.clone()));
    }
    d
}

fn col_def_tokens(c: &ColDef) -> TokenStream {
    let name = &c.name;
    let n = |v: u32| Literal::u32_unsuffixed(v);
    let ty = c.ty.as_ref().map(|ty| match ty {
        ColType::SmallInteger => quote!(.small_integer()),
        ColType::Integer => quote!(.integer()),
        ColType::BigInteger => quote!(.big_integer()),
        ColType::Float => quote!(.float()),
        ColType::Double => quote!(.double()),
        ColType::Decimal => quote!(.decimal()),
        ColType::DecimalLen(p, s) => {
            let (p, s) = (n(*p), n(*s));
            quote!(.decimal_len(#p, #s))
        }
        ColType::Boolean => quote!(.boolean()),
        ColType::Text => quote!(.text()),
        ColType::String => quote!(.string()),
        ColType::StringLen(l) => {
            let l = n(*l);
            quote!(.string_len(#l))
        }
        ColType::CharLen(l) => {
            let l = n(*l);
            quote!(.char_len(#l))
        }
        ColType::Binary => quote!(.binary()),
        ColType::Date => quote!(.date()),
        ColType::Time => quote!(.time()),
        ColType::DateTime => quote!(.date_time()),
        ColType::TimestampWithTimeZone => quote!(.timestamp_with_time_zone()),
        ColType::Interval => quote!(.interval(None, None)),
        ColType::Uuid => quote!(.uuid()),
        ColType::Json => quote!(.json()),
        ColType::JsonBinary => quote!(.json_binary()),
        ColType::Inet => quote!(.inet()),
        ColType::Cidr => quote!(.cidr()),
        ColType::MacAddress => quote!(.mac_address()),
        ColType::Money => quote!(.money()),
        ColType::Custom(t) => quote!(.custom(#t)),
    });
    let not_null = c.not_null.then(|| quote!(.not_null()));
    let null = c.null.then(|| quote!(.null()));
    let default = c.default.as_ref().map(|d| quote!(.default(Expr::cust(#d))));
    let generated = c
        .generated
        .as_ref()
        .map(|g| quote!(.generated(Expr::cust(#g), true)));
    let auto_increment = c.auto_increment.then(|| quote!(.auto_increment()));
    let primary_key = c.primary_key.then(|| quote!(.primary_key()));
    let unique = c.unique.then(|| quote!(.unique_key()));
    let extra = c.extra.as_ref().map(|e| quote!(.extra(#e)));
    let using = c.using.as_ref().map(|u| quote!(.using(Expr::cust(#u))));
    quote!(ColumnDef::new(#name) #ty #not_null #null #default #generated #auto_increment #primary_key #unique #extra #using)
}
