//! The plan: an ordered list of [`Change`]s. This type is the only thing codegen knows about.

use autogen_schema::{
    Check, Column, EnumType, Extension, ForeignKey, Identity, Index, PrimaryKey, QualifiedName,
    Table, Type,
};
use serde::{Deserialize, Serialize};

/// An ordered list of changes that takes the current schema to the desired one, plus notes for
/// the user (hints, unmanaged objects) that change nothing.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub changes: Vec<Change>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// The down plan: each change's inverse, in reverse order.
    pub fn inverse(&self) -> Plan {
        Plan {
            changes: self.changes.iter().rev().map(Change::inverse).collect(),
            notes: vec![],
        }
    }
}

/// Something the user should read that is not a change: a rename hint, an unmanaged object.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub kind: NoteKind,
    /// The object concerned, e.g. `public.users` or `public.users.email`.
    pub object: String,
    pub message: String,
    /// The index in [`Plan::changes`] of the change the note is about, when it is about one (a
    /// hazard): codegen and the report attach it to that change without matching text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change: Option<usize>,
    /// For an [`NoteKind::Unmanaged`] database object: which kind of object it is, so that
    /// output can summarize them per kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object_kind: Option<ObjectKind>,
}

/// The kind of a database object a note is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObjectKind {
    Index,
    ForeignKey,
    Check,
    Enum,
    Extension,
}

impl ObjectKind {
    /// The plural noun for a count of such objects: `indexes`, `foreign keys`.
    pub fn plural(self) -> &'static str {
        match self {
            ObjectKind::Index => "indexes",
            ObjectKind::ForeignKey => "foreign keys",
            ObjectKind::Check => "check constraints",
            ObjectKind::Enum => "enum types",
            ObjectKind::Extension => "extensions",
        }
    }

    /// The noun for one such object: `index`, `foreign key`.
    pub fn singular(self) -> &'static str {
        match self {
            ObjectKind::Index => "index",
            ObjectKind::ForeignKey => "foreign key",
            ObjectKind::Check => "check constraint",
            ObjectKind::Enum => "enum type",
            ObjectKind::Extension => "extension",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoteKind {
    /// A drop + add pair that looks like a rename; names the option that says so.
    RenameHint,
    /// A database object the entities cannot declare (kept, never dropped).
    Unmanaged,
    /// The change needs review (e.g. a type change with no known cast).
    Review,
    /// Orphan rows or NULLs may make the change fail.
    Hazard,
}

/// The objects in the way of recreating an enum type (removing a label), each with its table:
/// an index or CHECK whose expression names the type or a column of it (Postgres re-parses it
/// against the new type while the old one still exists, and `new <> old` has no operator; a
/// literal of the old type also keeps the old type from being dropped), and a foreign key
/// joining two columns of the type (after the first is converted the two types differ).
/// Dropped before the recreation and created again after it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct InTheWay {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub foreign_keys: Vec<(QualifiedName, ForeignKey)>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<(QualifiedName, Check)>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indexes: Vec<(QualifiedName, Index)>,
}

impl InTheWay {
    pub fn is_empty(&self) -> bool {
        self.foreign_keys.is_empty() && self.checks.is_empty() && self.indexes.is_empty()
    }

    /// The changes that drop these objects, foreign keys first.
    pub fn drops(&self) -> Vec<Change> {
        let fks = self
            .foreign_keys
            .iter()
            .map(|(t, f)| Change::DropForeignKey {
                table: t.clone(),
                foreign_key: f.clone(),
            });
        let checks = self.checks.iter().map(|(t, c)| Change::DropCheck {
            table: t.clone(),
            check: c.clone(),
        });
        let indexes = self.indexes.iter().map(|(t, i)| Change::DropIndex {
            table: t.clone(),
            index: i.clone(),
        });
        fks.chain(checks).chain(indexes).collect()
    }

    /// The changes that create them again, foreign keys last.
    pub fn restores(&self) -> Vec<Change> {
        self.drops().iter().rev().map(Change::inverse).collect()
    }

    /// `table.name` of each object, for descriptions.
    pub fn names(&self) -> Vec<String> {
        let fks = self
            .foreign_keys
            .iter()
            .map(|(t, f)| format!("foreign key {} on {t}", f.name));
        let checks = self
            .checks
            .iter()
            .map(|(t, c)| format!("check {} on {t}", c.name));
        let indexes = self
            .indexes
            .iter()
            .map(|(t, i)| format!("index {} on {t}", i.name));
        fks.chain(checks).chain(indexes).collect()
    }
}

/// One schema change. Every variant holds the before-state its inverse needs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    /// `CREATE SCHEMA`: an entity names a Postgres schema the database lacks.
    CreateSchema {
        schema: String,
    },
    /// `DROP SCHEMA` (the inverse of [`Change::CreateSchema`]; never planned otherwise).
    DropSchema {
        schema: String,
    },
    /// `CREATE EXTENSION`: declared in the extras SQL file, missing in the database. Created
    /// before every object that may need it.
    CreateExtension {
        extension: Extension,
    },
    /// `DROP EXTENSION` (never `CASCADE`): an undeclared extension under `manage = "all"` that
    /// nothing outside it depends on after the plan's other drops. Dropped last.
    DropExtension {
        extension: Extension,
    },
    CreateEnum {
        enum_type: EnumType,
    },
    DropEnum {
        enum_type: EnumType,
    },
    /// `ALTER TYPE … ADD VALUE … BEFORE/AFTER`; `enum_type` is the state *after* the change;
    /// `usages` (table, column) are the columns of that type, which the inverse must convert.
    AddEnumValue {
        enum_type: EnumType,
        value: String,
        usages: Vec<(QualifiedName, String)>,
        /// The label is not new: it moved, and the plan removed it just before (kept by the
        /// inverse, whose removal is then a move too).
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        moved: bool,
        /// A moved label: what the plan's first removal of a moved label of this type dropped,
        /// created again here (only on the type's last moved label). A new label: what is in
        /// the way of the inverse's recreation (nothing is done with it here).
        #[serde(default, skip_serializing_if = "InTheWay::is_empty")]
        in_the_way: InTheWay,
    },
    /// The inverse of [`Change::AddEnumValue`]: Postgres cannot drop a label, so the type is
    /// recreated without it and every column using it (`usages`: table, column) is converted.
    /// `enum_type` is the state *before* the change (it still holds `value`, so the inverse knows
    /// the label's position). Destructive: rows holding the label make it fail.
    RemoveEnumValue {
        enum_type: EnumType,
        value: String,
        usages: Vec<(QualifiedName, String)>,
        /// The label is added again later in the plan at another position (a move): the type is
        /// recreated with every label, no label is lost.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        moved: bool,
        /// What Postgres refuses to keep while the type is recreated, dropped first. A removed
        /// label: created again right after the recreation. A moved label: created again by the
        /// type's last moved [`Change::AddEnumValue`] (its expressions may name moved labels).
        #[serde(default, skip_serializing_if = "InTheWay::is_empty")]
        in_the_way: InTheWay,
    },
    /// A table with its columns, primary key, indexes and checks. Foreign keys are separate
    /// [`Change::AddForeignKey`]s so that cycles work.
    CreateTable {
        table: Table,
    },
    /// `table` holds the full before-state (without foreign keys, which are dropped first).
    DropTable {
        table: Table,
    },
    RenameTable {
        from: QualifiedName,
        to: String,
    },
    AddColumn {
        table: QualifiedName,
        column: Column,
    },
    DropColumn {
        table: QualifiedName,
        column: Column,
    },
    RenameColumn {
        table: QualifiedName,
        from: String,
        to: String,
    },
    AlterColumnType {
        table: QualifiedName,
        column: String,
        from: Type,
        to: Type,
        /// `USING` expression when Postgres cannot cast implicitly; `None` otherwise.
        using: Option<String>,
        /// Same, for the way back.
        reverse_using: Option<String>,
        /// The column's collation, kept across the change in both directions (Postgres resets
        /// it to the new type's default otherwise); written only where the type is collatable.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        collation: Option<String>,
    },
    SetNotNull {
        table: QualifiedName,
        column: String,
    },
    DropNotNull {
        table: QualifiedName,
        column: String,
    },
    /// Set (`to: Some`) or drop (`to: None`) a default; `from` is the before-state.
    AlterDefault {
        table: QualifiedName,
        column: String,
        from: Option<String>,
        to: Option<String>,
    },
    /// Add, drop or change an identity; `None` means "not an identity column".
    AlterIdentity {
        table: QualifiedName,
        column: String,
        from: Option<Identity>,
        to: Option<Identity>,
    },
    AddIndex {
        table: QualifiedName,
        index: Index,
    },
    DropIndex {
        table: QualifiedName,
        index: Index,
    },
    RenameIndex {
        table: QualifiedName,
        from: String,
        to: String,
    },
    AddPrimaryKey {
        table: QualifiedName,
        primary_key: PrimaryKey,
    },
    DropPrimaryKey {
        table: QualifiedName,
        primary_key: PrimaryKey,
    },
    AddForeignKey {
        table: QualifiedName,
        foreign_key: ForeignKey,
    },
    DropForeignKey {
        table: QualifiedName,
        foreign_key: ForeignKey,
    },
    RenameForeignKey {
        table: QualifiedName,
        from: String,
        to: String,
    },
    /// One foreign key (the same columns referencing the same table and columns) whose actions
    /// or other definition change: `from` is the database's, `to` the new one. Postgres has no
    /// `ALTER CONSTRAINT` for actions, so the steps are a drop and an add, but it is one change:
    /// one difference, one inverse, never an unrelated drop plus add.
    AlterForeignKey {
        table: QualifiedName,
        from: ForeignKey,
        to: ForeignKey,
    },
    AddCheck {
        table: QualifiedName,
        check: Check,
    },
    DropCheck {
        table: QualifiedName,
        check: Check,
    },
    SetTableComment {
        table: QualifiedName,
        from: Option<String>,
        to: Option<String>,
    },
    SetColumnComment {
        table: QualifiedName,
        column: String,
        from: Option<String>,
        to: Option<String>,
    },
}

impl Change {
    /// The change that undoes this one.
    pub fn inverse(&self) -> Change {
        use Change::*;
        match self.clone() {
            CreateEnum { enum_type } => DropEnum { enum_type },
            DropEnum { enum_type } => CreateEnum { enum_type },
            AddEnumValue {
                enum_type,
                value,
                usages,
                moved,
                in_the_way,
            } => RemoveEnumValue {
                enum_type,
                value,
                usages,
                moved,
                in_the_way,
            },
            RemoveEnumValue {
                enum_type,
                value,
                usages,
                moved,
                in_the_way,
            } => AddEnumValue {
                enum_type,
                value,
                usages,
                moved,
                in_the_way,
            },
            CreateTable { table } => DropTable { table },
            DropTable { table } => CreateTable { table },
            RenameTable { from, to } => RenameTable {
                from: QualifiedName::new(&from.schema, to),
                to: from.name,
            },
            AddColumn { table, column } => DropColumn { table, column },
            DropColumn { table, column } => AddColumn { table, column },
            RenameColumn { table, from, to } => RenameColumn {
                table,
                from: to,
                to: from,
            },
            AlterColumnType {
                table,
                column,
                from,
                to,
                using,
                reverse_using,
                collation,
            } => AlterColumnType {
                table,
                column,
                from: to,
                to: from,
                using: reverse_using,
                reverse_using: using,
                collation,
            },
            SetNotNull { table, column } => DropNotNull { table, column },
            DropNotNull { table, column } => SetNotNull { table, column },
            AlterDefault {
                table,
                column,
                from,
                to,
            } => AlterDefault {
                table,
                column,
                from: to,
                to: from,
            },
            AlterIdentity {
                table,
                column,
                from,
                to,
            } => AlterIdentity {
                table,
                column,
                from: to,
                to: from,
            },
            AddIndex { table, index } => DropIndex { table, index },
            DropIndex { table, index } => AddIndex { table, index },
            RenameIndex { table, from, to } => RenameIndex {
                table,
                from: to,
                to: from,
            },
            AddPrimaryKey { table, primary_key } => DropPrimaryKey { table, primary_key },
            DropPrimaryKey { table, primary_key } => AddPrimaryKey { table, primary_key },
            AddForeignKey { table, foreign_key } => DropForeignKey { table, foreign_key },
            DropForeignKey { table, foreign_key } => AddForeignKey { table, foreign_key },
            RenameForeignKey { table, from, to } => RenameForeignKey {
                table,
                from: to,
                to: from,
            },
            AlterForeignKey { table, from, to } => AlterForeignKey {
                table,
                from: to,
                to: from,
            },
            CreateSchema { schema } => DropSchema { schema },
            DropSchema { schema } => CreateSchema { schema },
            CreateExtension { extension } => DropExtension { extension },
            DropExtension { extension } => CreateExtension { extension },
            AddCheck { table, check } => DropCheck { table, check },
            DropCheck { table, check } => AddCheck { table, check },
            SetTableComment { table, from, to } => SetTableComment {
                table,
                from: to,
                to: from,
            },
            SetColumnComment {
                table,
                column,
                from,
                to,
            } => SetColumnComment {
                table,
                column,
                from: to,
                to: from,
            },
        }
    }
}
