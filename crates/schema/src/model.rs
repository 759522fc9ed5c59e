//! The model structs. Plain data, serde-serializable, canonically ordered by [`Schema::normalize`].

use serde::{Deserialize, Serialize};

use crate::types::Type;

/// A whole database schema (possibly spanning several Postgres schemas).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schema {
    pub tables: Vec<Table>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub enums: Vec<EnumType>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sequences: Vec<Sequence>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub views: Vec<View>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub domains: Vec<Domain>,
    /// Installed extensions (`plpgsql` aside, which every database has).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extensions: Vec<Extension>,
    /// Database side only: compared Postgres schemas that do not exist (an entity names a schema
    /// the database lacks). The differ creates the ones the entities use.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing_schemas: Vec<String>,
}

/// A schema-qualified object name.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct QualifiedName {
    pub schema: String,
    pub name: String,
}

impl QualifiedName {
    pub fn new(schema: impl Into<String>, name: impl Into<String>) -> Self {
        QualifiedName {
            schema: schema.into(),
            name: name.into(),
        }
    }

    /// SQL text: `schema.name`, each part quoted only where Postgres needs it.
    pub fn to_sql(&self) -> String {
        format!(
            "{}.{}",
            crate::ident::quote(&self.schema),
            crate::ident::quote(&self.name)
        )
    }
}

impl std::fmt::Display for QualifiedName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.schema, self.name)
    }
}

/// Where a desired object was declared (entity side only), for messages: `src/post.rs:12:5`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Origin {
    pub file: String,
    pub line: usize,
    pub column: usize,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    pub schema: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Columns in ordinal order.
    pub columns: Vec<Column>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_key: Option<PrimaryKey>,
    /// Unique constraints, unique indexes and plain indexes (not the primary key's index).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indexes: Vec<Index>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub foreign_keys: Vec<ForeignKey>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<Check>,
    /// `pg_get_partkeydef` text (`RANGE (created_at)`) for a partitioned table; its partitions
    /// are not separate tables in the model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition_key: Option<String>,
    /// Entity side only: the table's previous name (rename hint).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
    /// Entity side only: where the entity was declared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
}

impl Table {
    pub fn new(schema: impl Into<String>, name: impl Into<String>) -> Self {
        Table {
            schema: schema.into(),
            name: name.into(),
            comment: None,
            columns: Vec::new(),
            primary_key: None,
            indexes: Vec::new(),
            foreign_keys: Vec::new(),
            checks: Vec::new(),
            partition_key: None,
            renamed_from: None,
            origin: None,
        }
    }

    pub fn qualified_name(&self) -> QualifiedName {
        QualifiedName::new(&self.schema, &self.name)
    }

    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    pub fn column_mut(&mut self, name: &str) -> Option<&mut Column> {
        self.columns.iter_mut().find(|c| c.name == name)
    }

    pub fn index(&self, name: &str) -> Option<&Index> {
        self.indexes.iter().find(|i| i.name == name)
    }

    pub fn foreign_key(&self, name: &str) -> Option<&ForeignKey> {
        self.foreign_keys.iter().find(|f| f.name == name)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: Type,
    pub nullable: bool,
    /// The default expression as Postgres stores it (`pg_get_expr` text). Compare with
    /// [`crate::equality::defaults_equal`], never with `==`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<Identity>,
    /// `GENERATED ALWAYS AS (expr) STORED`: the expression.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generated: Option<String>,
    /// A collation other than the type's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Entity side only: SeaORM's `renamed_from`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
    /// Entity side only: SeaORM's `extra` SQL appended to the column definition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra: Option<String>,
    /// Entity side only: where the field was declared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
    /// Entity side only: how the entity gave the type, which decides how it is compared
    /// ([`crate::equality::column_type_in_sync`]). The database's columns are all
    /// [`TypeSource::Stated`].
    #[serde(default, skip_serializing_if = "TypeSource::is_stated")]
    pub type_source: TypeSource,
}

/// How a desired column's type was given.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TypeSource {
    /// The type is stated exactly (`column_type`, `db_type`, an ActiveEnum, a `[types]` entry,
    /// the expanded format's `ColumnType`), or read from the database: compared exactly, except
    /// for a length or precision it leaves out ([`crate::equality::modifier_unstated`]).
    #[default]
    Stated,
    /// Only the Rust type is given: [`Column::ty`] is SeaORM's default mapping (what a new
    /// column gets), and an existing column is in sync when its type is one the Rust type reads
    /// and writes ([`crate::equality::family_accepts`]).
    Rust { family: TypeFamily },
    /// The Rust type could not be resolved (already reported with the `[types]` line that
    /// fixes it): the type is unknown, so it is never compared, and a step that must spell it
    /// (a new column or table) cannot be written. [`Column::ty`] then holds
    /// `Type::Other { sql: rust_type }` only so that the column has a type at all; nothing may
    /// read it.
    Unresolved {
        /// The type as written in the field (`UserId`, `Option<crate::ids::UserId>` without the
        /// `Option`).
        rust_type: String,
    },
}

impl TypeSource {
    pub fn is_stated(&self) -> bool {
        *self == TypeSource::Stated
    }

    pub fn is_unresolved(&self) -> bool {
        matches!(self, TypeSource::Unresolved { .. })
    }
}

/// The column types a Rust type reads and writes correctly through sqlx on Postgres, beyond the
/// one SeaORM's default mapping creates (see `docs/type-mapping.md`). Rust types whose only
/// such type is SeaORM's default (`i32` → integer, `Uuid` → uuid, …) have no family.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TypeFamily {
    /// `String`, `&str`, `Cow<str>`: text, varchar / varchar(n), char(n), citext, name.
    Text,
    /// `serde_json::Value`, `Json`, `FromJsonQueryResult` structs: json, jsonb.
    Json,
    /// `Decimal`, `BigDecimal`: numeric with any precision and scale.
    Numeric,
    /// `NaiveDateTime`, `DateTime` (naive), `PrimitiveDateTime`: timestamp(p).
    Timestamp,
    /// `DateTime<Tz>`, `DateTimeUtc`, `DateTimeWithTimeZone`, `OffsetDateTime`: timestamptz(p).
    TimestampTz,
    /// `NaiveTime`, `Time`: time(p) without time zone.
    Time,
    /// `IpNetwork`: inet, cidr.
    Network,
    /// `Vec<T>`: arrays whose element is in `T`'s family.
    Array(Box<TypeFamily>),
}

impl Column {
    pub fn new(name: impl Into<String>, ty: Type) -> Self {
        Column {
            name: name.into(),
            ty,
            nullable: true,
            default: None,
            identity: None,
            generated: None,
            collation: None,
            comment: None,
            renamed_from: None,
            extra: None,
            origin: None,
            type_source: TypeSource::Stated,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdentityGeneration {
    Always,
    ByDefault,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    pub generation: IdentityGeneration,
    /// Only options that differ from Postgres's defaults for the column type.
    #[serde(default, skip_serializing_if = "SequenceOptions::is_default")]
    pub options: SequenceOptions,
}

/// Sequence options; `None` means Postgres's default for that option.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SequenceOptions {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub increment: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_value: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_value: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache: Option<i64>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub cycle: bool,
}

impl SequenceOptions {
    pub fn is_default(&self) -> bool {
        *self == SequenceOptions::default()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrimaryKey {
    pub name: String,
    pub columns: Vec<String>,
}

/// A unique constraint, a unique index or a plain index.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Index {
    pub name: String,
    pub unique: bool,
    /// Backed by a `UNIQUE` table constraint rather than `CREATE [UNIQUE] INDEX`. Not part of
    /// the definition: a unique constraint and a unique index over the same columns are equal.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub constraint: bool,
    /// Access method: `btree`, `gin`, `gist`, `brin`, `hash`, …
    pub method: String,
    pub keys: Vec<IndexKey>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<String>,
    /// Partial index predicate (`pg_get_expr` text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub predicate: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub nulls_not_distinct: bool,
    /// Database side only: `pg_index.indisvalid` is false, what a failed `CREATE INDEX
    /// CONCURRENTLY` leaves. Such an index is not used by queries and does not enforce
    /// uniqueness, so it never satisfies a declared index.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub invalid: bool,
    /// A `UNIQUE` constraint declared `DEFERRABLE` (`INITIALLY DEFERRED`). Entities cannot say
    /// it, so it is not compared; it is kept when the constraint is dropped and restored.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub deferrable: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub initially_deferred: bool,
}

impl Index {
    /// A plain ascending btree index over columns.
    pub fn on_columns(name: impl Into<String>, columns: &[&str], unique: bool) -> Self {
        Index {
            name: name.into(),
            unique,
            constraint: false,
            method: "btree".into(),
            keys: columns.iter().map(|c| IndexKey::column(*c)).collect(),
            include: Vec::new(),
            predicate: None,
            nulls_not_distinct: false,
            invalid: false,
            deferrable: false,
            initially_deferred: false,
        }
    }

    /// The key columns when every key is a plain column, else `None`.
    pub fn column_names(&self) -> Option<Vec<&str>> {
        self.keys
            .iter()
            .map(|k| match &k.part {
                KeyPart::Column(c) => Some(c.as_str()),
                KeyPart::Expression(_) => None,
            })
            .collect()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyPart {
    Column(String),
    /// An expression key, as `pg_get_indexdef` prints it (`lower((email)::text)`).
    Expression(String),
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct IndexKey {
    pub part: KeyPart,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub descending: bool,
    /// Resolved: Postgres's default is NULLS LAST for ASC and NULLS FIRST for DESC.
    pub nulls_first: bool,
    /// A non-default operator class.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opclass: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
}

impl IndexKey {
    pub fn column(name: impl Into<String>) -> Self {
        IndexKey {
            part: KeyPart::Column(name.into()),
            descending: false,
            nulls_first: false,
            opclass: None,
            collation: None,
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FkAction {
    #[default]
    NoAction,
    Restrict,
    Cascade,
    SetNull,
    SetDefault,
}

impl FkAction {
    pub fn sql(self) -> &'static str {
        match self {
            FkAction::NoAction => "NO ACTION",
            FkAction::Restrict => "RESTRICT",
            FkAction::Cascade => "CASCADE",
            FkAction::SetNull => "SET NULL",
            FkAction::SetDefault => "SET DEFAULT",
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchType {
    #[default]
    Simple,
    Full,
    Partial,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForeignKey {
    pub name: String,
    pub columns: Vec<String>,
    pub ref_schema: String,
    pub ref_table: String,
    pub ref_columns: Vec<String>,
    #[serde(default)]
    pub on_delete: FkAction,
    #[serde(default)]
    pub on_update: FkAction,
    #[serde(default)]
    pub match_type: MatchType,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub deferrable: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub initially_deferred: bool,
    /// Entity side: which of `on_delete` / `on_update` the relation states. An action it leaves
    /// unstated holds what SeaORM gives a new foreign key (nothing, so Postgres's `NO ACTION`)
    /// and is not compared with the database. The database states both.
    #[serde(default, skip_serializing_if = "ActionsStated::is_both")]
    pub actions_stated: ActionsStated,
    /// Database side only: added `NOT VALID` and never validated (existing rows unchecked).
    /// Not compared; kept when the constraint is dropped and restored.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub not_valid: bool,
}

/// Which foreign key actions are stated (see [`ForeignKey::actions_stated`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ActionsStated {
    pub on_delete: bool,
    pub on_update: bool,
}

impl ActionsStated {
    /// Both actions stated: every foreign key the database has, and a relation that says both.
    pub const BOTH: ActionsStated = ActionsStated {
        on_delete: true,
        on_update: true,
    };

    pub fn is_both(&self) -> bool {
        *self == Self::BOTH
    }
}

impl Default for ActionsStated {
    fn default() -> Self {
        Self::BOTH
    }
}

impl ForeignKey {
    /// A foreign key with Postgres's defaults for what it does not name: `NO ACTION` on delete
    /// and update (both stated, as the database has them), `MATCH SIMPLE`, not deferrable,
    /// validated.
    pub fn new(
        name: &str,
        columns: &[&str],
        ref_schema: &str,
        ref_table: &str,
        ref_columns: &[&str],
    ) -> Self {
        let owned = |v: &[&str]| v.iter().map(|c| c.to_string()).collect();
        ForeignKey {
            name: name.into(),
            columns: owned(columns),
            ref_schema: ref_schema.into(),
            ref_table: ref_table.into(),
            ref_columns: owned(ref_columns),
            on_delete: FkAction::NoAction,
            on_update: FkAction::NoAction,
            match_type: MatchType::Simple,
            deferrable: false,
            initially_deferred: false,
            actions_stated: ActionsStated::BOTH,
            not_valid: false,
        }
    }

    pub fn referenced(&self) -> QualifiedName {
        QualifiedName::new(&self.ref_schema, &self.ref_table)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    pub name: String,
    /// The boolean expression (`(price > 0)`), as `pg_get_constraintdef` prints it without the
    /// `CHECK` keyword and `NO INHERIT` suffix.
    pub expression: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub no_inherit: bool,
    /// Database side only: added `NOT VALID` and never validated (existing rows unchecked).
    /// Not compared; kept when the constraint is dropped and restored.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub not_valid: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnumType {
    pub schema: String,
    pub name: String,
    /// Labels in sort order.
    pub labels: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
}

impl EnumType {
    pub fn qualified_name(&self) -> QualifiedName {
        QualifiedName::new(&self.schema, &self.name)
    }
}

/// A sequence that is not an identity column's own (those live in [`Identity`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sequence {
    pub schema: String,
    pub name: String,
    #[serde(rename = "type")]
    pub ty: Type,
    #[serde(default, skip_serializing_if = "SequenceOptions::is_default")]
    pub options: SequenceOptions,
    /// `(table, column)` in the sequence's schema when `OWNED BY` (a `serial` column's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owned_by: Option<(String, String)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct View {
    pub schema: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub materialized: bool,
    /// The table columns its query reads (`pg_depend` of its rewrite rule), sorted: Postgres
    /// refuses to change their type while the view exists.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reads: Vec<(QualifiedName, String)>,
}

/// `CREATE EXTENSION`: entities cannot declare one; the extras SQL file can.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extension {
    pub name: String,
    /// The schema its objects live in. Desired side: `None` when the declaration does not say
    /// (`WITH SCHEMA`), and then it is not compared; the database always says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Database side only: the installed version, kept when the extension is dropped and
    /// created again by an inverse. Not compared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Database side only: objects outside the extension that depend on its members
    /// (`pg_describe_object` text, sorted), e.g. `index posts_title_trgm` or `column email of
    /// table users`. An extension with dependents the plan does not also drop is never dropped.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dependents: Vec<String>,
    /// Database side only: the indexes among [`Extension::dependents`] (schema, index name),
    /// so that a plan dropping them may drop the extension after them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dependent_indexes: Vec<QualifiedName>,
    /// Desired side only: where it was declared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
}

impl Extension {
    /// A declared extension: only its name (and optionally its schema) is stated.
    pub fn named(name: impl Into<String>) -> Self {
        Extension {
            name: name.into(),
            schema: None,
            version: None,
            dependents: Vec::new(),
            dependent_indexes: Vec::new(),
            origin: None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Domain {
    pub schema: String,
    pub name: String,
    pub base: Type,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub not_null: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<Check>,
}

impl Schema {
    pub fn table(&self, schema: &str, name: &str) -> Option<&Table> {
        self.tables
            .iter()
            .find(|t| t.schema == schema && t.name == name)
    }

    pub fn table_mut(&mut self, schema: &str, name: &str) -> Option<&mut Table> {
        self.tables
            .iter_mut()
            .find(|t| t.schema == schema && t.name == name)
    }

    pub fn extension(&self, name: &str) -> Option<&Extension> {
        self.extensions.iter().find(|e| e.name == name)
    }

    pub fn enum_type(&self, schema: &str, name: &str) -> Option<&EnumType> {
        self.enums
            .iter()
            .find(|e| e.schema == schema && e.name == name)
    }

    /// Canonical order: objects sorted by (schema, name); inside a table, indexes, foreign keys
    /// and checks sorted by name. Columns keep their ordinal order, enum labels their sort order.
    pub fn normalize(&mut self) {
        self.tables
            .sort_by(|a, b| (&a.schema, &a.name).cmp(&(&b.schema, &b.name)));
        for t in &mut self.tables {
            t.indexes.sort_by(|a, b| a.name.cmp(&b.name));
            t.foreign_keys.sort_by(|a, b| a.name.cmp(&b.name));
            t.checks.sort_by(|a, b| a.name.cmp(&b.name));
        }
        self.enums
            .sort_by(|a, b| (&a.schema, &a.name).cmp(&(&b.schema, &b.name)));
        self.sequences
            .sort_by(|a, b| (&a.schema, &a.name).cmp(&(&b.schema, &b.name)));
        self.views
            .sort_by(|a, b| (&a.schema, &a.name).cmp(&(&b.schema, &b.name)));
        self.domains
            .sort_by(|a, b| (&a.schema, &a.name).cmp(&(&b.schema, &b.name)));
        self.extensions.sort_by(|a, b| a.name.cmp(&b.name));
        self.missing_schemas.sort();
        self.missing_schemas.dedup();
    }
}
