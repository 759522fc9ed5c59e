//! Plain SQL for every change. Also the source of the raw statements the migration file runs
//! through `execute_unprepared` where sea-query cannot express a change, so the preview and the
//! migration say the same thing.

use std::borrow::Cow;

use autogen_diff::{Change, Plan};
use autogen_schema::ident::quote;
use autogen_schema::naming;
use autogen_schema::{
    Check, Column, EnumType, FkAction, ForeignKey, Identity, IdentityGeneration, Index, KeyPart,
    MatchType, PrimaryKey, QualifiedName, SequenceOptions, Table, Type,
};

use crate::names::{ident_list, lit, parenthesized, qualified_sql, table_sql, type_sql};

/// The whole plan: per change a `-- description` line and its statements.
pub(crate) fn render_plan(plan: &Plan) -> String {
    if plan.changes.is_empty() {
        return "-- no changes\n".to_string();
    }
    let mut out = String::new();
    if needs_no_transaction(plan) {
        out.push_str(
            "-- Run without an enclosing transaction: a new enum value cannot be used in the\n\
             -- transaction that adds it.\n\n",
        );
    }
    for (i, change) in plan.changes.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str("-- ");
        out.push_str(&change.describe());
        out.push('\n');
        for stmt in change_sql(change) {
            out.push_str(&stmt);
            out.push_str(";\n");
        }
    }
    out
}

/// A plan that adds an enum value and then uses it (a default, a check) cannot run in one
/// transaction: Postgres refuses to use a label before the transaction adding it commits.
pub(crate) fn needs_no_transaction(plan: &Plan) -> bool {
    plan.changes.iter().enumerate().any(|(i, c)| match c {
        Change::AddEnumValue { value, .. } => {
            let label = lit(value);
            plan.changes[i + 1..]
                .iter()
                .any(|later| change_sql(later).iter().any(|s| s.contains(&label)))
        }
        _ => false,
    })
}

/// The statements (without `;`) that apply `change`.
pub(crate) fn change_sql(change: &Change) -> Vec<String> {
    use Change::*;
    match change {
        CreateSchema { schema } => vec![format!("CREATE SCHEMA {}", quote(schema))],
        DropSchema { schema } => vec![format!("DROP SCHEMA {}", quote(schema))],
        CreateEnum { enum_type } => vec![create_enum(enum_type, &enum_type.labels)],
        DropEnum { enum_type } => vec![format!("DROP TYPE {}", enum_sql(enum_type))],
        AddEnumValue {
            enum_type, value, ..
        } => vec![add_enum_value(enum_type, value)],
        RemoveEnumValue {
            enum_type,
            value,
            usages,
        } => remove_enum_value(enum_type, value, usages),
        CreateTable { table } => create_table(table),
        DropTable { table } => vec![format!("DROP TABLE {}", table_sql(&table.qualified_name()))],
        RenameTable { from, to } => {
            vec![format!(
                "ALTER TABLE {} RENAME TO {}",
                table_sql(from),
                quote(to)
            )]
        }
        AddColumn { table, column } => {
            let mut v = vec![format!(
                "ALTER TABLE {} ADD COLUMN {}",
                table_sql(table),
                column_sql(
                    &recreated_column(table, column),
                    ColumnSqlOptions::default()
                )
            )];
            if let Some(c) = &column.comment {
                v.push(column_comment(table, &column.name, Some(c)));
            }
            v
        }
        DropColumn { table, column } => {
            vec![format!(
                "ALTER TABLE {} DROP COLUMN {}",
                table_sql(table),
                quote(&column.name)
            )]
        }
        RenameColumn { table, from, to } => vec![format!(
            "ALTER TABLE {} RENAME COLUMN {} TO {}",
            table_sql(table),
            quote(from),
            quote(to)
        )],
        AlterColumnType {
            table,
            column,
            to,
            using,
            ..
        } => {
            vec![alter_column_type(table, column, to, using.as_deref())]
        }
        SetNotNull { table, column } => {
            vec![alter_column(table, column, "SET NOT NULL")]
        }
        DropNotNull { table, column } => {
            vec![alter_column(table, column, "DROP NOT NULL")]
        }
        AlterDefault {
            table, column, to, ..
        } => vec![match to {
            Some(d) => alter_column(table, column, &format!("SET DEFAULT {d}")),
            None => drop_default(table, column),
        }],
        AlterIdentity {
            table,
            column,
            from,
            to,
        } => alter_identity(table, column, from.as_ref(), to.as_ref())
            .into_iter()
            .collect(),
        AddIndex { table, index } => vec![add_index(table, index)],
        DropIndex { table, index } => vec![if index.constraint {
            drop_constraint(table, &index.name)
        } else {
            format!("DROP INDEX {}", qualified_sql(&table.schema, &index.name))
        }],
        RenameIndex { table, from, to } => vec![rename_index(table, from, to)],
        AddPrimaryKey { table, primary_key } => vec![add_primary_key(table, primary_key)],
        DropPrimaryKey { table, primary_key } => vec![drop_constraint(table, &primary_key.name)],
        AddForeignKey { table, foreign_key } => vec![add_foreign_key(table, foreign_key)],
        DropForeignKey { table, foreign_key } => vec![drop_constraint(table, &foreign_key.name)],
        RenameForeignKey { table, from, to } => vec![rename_constraint(table, from, to)],
        AddCheck { table, check } => vec![add_check(table, check)],
        DropCheck { table, check } => vec![drop_constraint(table, &check.name)],
        SetTableComment { table, to, .. } => vec![table_comment(table, to.as_deref())],
        SetColumnComment {
            table, column, to, ..
        } => {
            vec![column_comment(table, column, to.as_deref())]
        }
    }
}

pub(crate) fn enum_sql(e: &EnumType) -> String {
    qualified_sql(&e.schema, &e.name)
}

pub(crate) fn create_enum(e: &EnumType, labels: &[String]) -> String {
    format!(
        "CREATE TYPE {} AS ENUM ({})",
        enum_sql(e),
        labels.iter().map(|l| lit(l)).collect::<Vec<_>>().join(", ")
    )
}

/// Where a new label goes: `BEFORE` its successor, else `AFTER` its predecessor.
pub(crate) enum LabelPosition<'a> {
    Before(&'a str),
    After(&'a str),
    Only,
}

pub(crate) fn label_position<'a>(e: &'a EnumType, value: &str) -> LabelPosition<'a> {
    let Some(i) = e.labels.iter().position(|l| l == value) else {
        return LabelPosition::Only;
    };
    if let Some(next) = e.labels.get(i + 1) {
        LabelPosition::Before(next)
    } else if i > 0 {
        LabelPosition::After(&e.labels[i - 1])
    } else {
        LabelPosition::Only
    }
}

fn add_enum_value(e: &EnumType, value: &str) -> String {
    let position = match label_position(e, value) {
        LabelPosition::Before(l) => format!(" BEFORE {}", lit(l)),
        LabelPosition::After(l) => format!(" AFTER {}", lit(l)),
        LabelPosition::Only => String::new(),
    };
    format!(
        "ALTER TYPE {} ADD VALUE {}{position}",
        enum_sql(e),
        lit(value)
    )
}

/// The name the old type gets while a label is removed.
pub(crate) fn old_enum_name(e: &EnumType) -> String {
    naming::truncate_identifier(&format!("{}_old", e.name))
}

/// Postgres cannot drop a label: rename the type, create it again without the label, convert
/// every column that uses it through text, drop the old type.
pub(crate) fn remove_enum_value(
    e: &EnumType,
    value: &str,
    usages: &[(QualifiedName, String)],
) -> Vec<String> {
    let old = old_enum_name(e);
    let labels: Vec<String> = e.labels.iter().filter(|l| *l != value).cloned().collect();
    let mut v = vec![format!(
        "ALTER TYPE {} RENAME TO {}",
        enum_sql(e),
        quote(&old)
    )];
    v.push(create_enum(e, &labels));
    for (table, column) in usages {
        v.push(convert_enum_column(e, table, column));
    }
    v.push(format!("DROP TYPE {}", qualified_sql(&e.schema, &old)));
    v
}

/// Converts one column from the renamed old enum type to the recreated one. Its default (which
/// names the old type) cannot be cast, so it is dropped and set again with the new type's name;
/// an array column converts through `text[]`.
pub(crate) fn convert_enum_column(e: &EnumType, table: &QualifiedName, column: &str) -> String {
    let t = table_sql(table);
    let c = quote(column);
    let ty = enum_sql(e);
    let reg = lit(&t);
    let attname = lit(column);
    format!(
        "DO $$\n\
         DECLARE\n\
         \x20   old_default text := (SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum WHERE d.adrelid = {reg}::regclass AND a.attname = {attname});\n\
         \x20   is_array boolean := (SELECT t.typcategory = 'A' FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid WHERE a.attrelid = {reg}::regclass AND a.attname = {attname});\n\
         BEGIN\n\
         \x20   ALTER TABLE {t} ALTER COLUMN {c} DROP DEFAULT;\n\
         \x20   IF is_array THEN\n\
         \x20       ALTER TABLE {t} ALTER COLUMN {c} TYPE {ty}[] USING {c}::text[]::{ty}[];\n\
         \x20   ELSE\n\
         \x20       ALTER TABLE {t} ALTER COLUMN {c} TYPE {ty} USING {c}::text::{ty};\n\
         \x20   END IF;\n\
         \x20   IF old_default IS NOT NULL THEN\n\
         \x20       EXECUTE 'ALTER TABLE {t_q} ALTER COLUMN {c_q} SET DEFAULT ' || replace(old_default, {old}, {new});\n\
         \x20   END IF;\n\
         END $$",
        t_q = t.replace('\'', "''"),
        c_q = c.replace('\'', "''"),
        old = lit(&old_enum_name(e)),
        new = lit(&e.name),
    )
}

/// The column as a statement that creates it writes it. A `serial` column's own sequence goes
/// away with the column (or its table), so recreating one, as the inverse of such a drop does,
/// uses the pseudo-type instead of a `nextval` default naming a sequence that no longer exists.
pub(crate) fn recreated_column<'a>(table: &QualifiedName, c: &'a Column) -> Cow<'a, Column> {
    match naming::serial_pseudo_type(table, c) {
        Some(pseudo) => {
            let mut c = c.clone();
            c.ty = Type::Other { sql: pseudo.into() };
            c.default = None;
            Cow::Owned(c)
        }
        None => Cow::Borrowed(c),
    }
}

#[derive(Clone, Copy, Default)]
pub(crate) struct ColumnSqlOptions {
    /// Write `PRIMARY KEY` on the column (a single-column key with Postgres's default name).
    pub inline_primary_key: bool,
    /// Write `UNIQUE` on the column (a unique constraint with Postgres's default name).
    pub inline_unique: bool,
}

/// `name type [COLLATE c] [NOT NULL] [DEFAULT d] [GENERATED …]`.
pub(crate) fn column_sql(c: &Column, opts: ColumnSqlOptions) -> String {
    let mut s = format!("{} {}", quote(&c.name), type_sql(&c.ty));
    if let Some(coll) = &c.collation {
        s.push_str(&format!(" COLLATE {}", collation_sql(coll)));
    }
    if !c.nullable && !opts.inline_primary_key {
        s.push_str(" NOT NULL");
    }
    if let Some(d) = &c.default {
        s.push_str(&format!(" DEFAULT {d}"));
    }
    if let Some(g) = &c.generated {
        s.push_str(&format!(" GENERATED ALWAYS AS {} STORED", parenthesized(g)));
    }
    if let Some(id) = &c.identity {
        s.push(' ');
        s.push_str(&identity_sql(id));
    }
    if opts.inline_primary_key {
        s.push_str(" PRIMARY KEY");
    }
    if opts.inline_unique {
        s.push_str(" UNIQUE");
    }
    s
}

/// A collation name as Postgres prints it may already be quoted (`"C"`); keep it then.
pub(crate) fn collation_sql(coll: &str) -> String {
    if coll.starts_with('"') || coll.contains('.') {
        coll.to_string()
    } else {
        quote(coll)
    }
}

pub(crate) fn identity_sql(id: &Identity) -> String {
    let generation = match id.generation {
        IdentityGeneration::Always => "ALWAYS",
        IdentityGeneration::ByDefault => "BY DEFAULT",
    };
    let opts = sequence_options_sql(&id.options);
    if opts.is_empty() {
        format!("GENERATED {generation} AS IDENTITY")
    } else {
        format!("GENERATED {generation} AS IDENTITY ({opts})")
    }
}

/// `START WITH 10 INCREMENT BY 2 …`, only the options that are set.
pub(crate) fn sequence_options_sql(o: &SequenceOptions) -> String {
    let mut parts = Vec::new();
    if let Some(v) = o.start {
        parts.push(format!("START WITH {v}"));
    }
    if let Some(v) = o.increment {
        parts.push(format!("INCREMENT BY {v}"));
    }
    if let Some(v) = o.min_value {
        parts.push(format!("MINVALUE {v}"));
    }
    if let Some(v) = o.max_value {
        parts.push(format!("MAXVALUE {v}"));
    }
    if let Some(v) = o.cache {
        parts.push(format!("CACHE {v}"));
    }
    if o.cycle {
        parts.push("CYCLE".into());
    }
    parts.join(" ")
}

/// True when the table's primary key is one column named as Postgres names an inline key.
pub(crate) fn inline_primary_key(table: &Table) -> Option<&str> {
    let pk = table.primary_key.as_ref()?;
    (pk.columns.len() == 1 && pk.name == naming::inline_primary_key(&table.name))
        .then(|| pk.columns[0].as_str())
}

/// A unique constraint that can be written as `UNIQUE` on its column: one plain column, the
/// name Postgres gives it, nothing else special.
pub(crate) fn inline_unique_column<'a>(table: &Table, index: &'a Index) -> Option<&'a str> {
    let cols = index.column_names()?;
    let plain = index.unique
        && index.constraint
        && cols.len() == 1
        && index.method == "btree"
        && index.include.is_empty()
        && index.predicate.is_none()
        && !index.nulls_not_distinct
        && index.keys.iter().all(|k| {
            !k.descending && !k.nulls_first && k.opclass.is_none() && k.collation.is_none()
        });
    (plain && index.name == naming::inline_unique(&table.name, cols[0])).then(|| cols[0])
}

fn create_table(table: &Table) -> Vec<String> {
    let q = table.qualified_name();
    let pk_inline = inline_primary_key(table);
    let inline_uniques: Vec<&str> = table
        .indexes
        .iter()
        .filter_map(|i| inline_unique_column(table, i))
        .collect();
    let mut lines: Vec<String> = table
        .columns
        .iter()
        .map(|c| {
            column_sql(
                &recreated_column(&q, c),
                ColumnSqlOptions {
                    inline_primary_key: pk_inline == Some(c.name.as_str()),
                    inline_unique: inline_uniques.contains(&c.name.as_str()),
                },
            )
        })
        .collect();
    if let (Some(pk), None) = (&table.primary_key, pk_inline) {
        lines.push(format!(
            "CONSTRAINT {} PRIMARY KEY ({})",
            quote(&pk.name),
            ident_list(&pk.columns)
        ));
    }
    for index in table.indexes.iter().filter(|i| i.constraint) {
        if inline_unique_column(table, index).is_none() {
            lines.push(format!(
                "CONSTRAINT {} {}",
                quote(&index.name),
                unique_constraint_body(index)
            ));
        }
    }
    for check in &table.checks {
        lines.push(format!(
            "CONSTRAINT {} {}",
            quote(&check.name),
            check_body(check)
        ));
    }
    let mut create = format!(
        "CREATE TABLE {} (\n    {}\n)",
        table_sql(&q),
        lines.join(",\n    ")
    );
    if let Some(p) = &table.partition_key {
        create.push_str(&format!(" PARTITION BY {p}"));
    }
    let mut v = vec![create];
    for index in table.indexes.iter().filter(|i| !i.constraint) {
        v.push(create_index(&q, index));
    }
    if let Some(c) = &table.comment {
        v.push(table_comment(&q, Some(c)));
    }
    for c in &table.columns {
        if let Some(comment) = &c.comment {
            v.push(column_comment(&q, &c.name, Some(comment)));
        }
    }
    v
}

/// `UNIQUE [NULLS NOT DISTINCT] (a, b) [INCLUDE (c)]`.
pub(crate) fn unique_constraint_body(index: &Index) -> String {
    let mut s = "UNIQUE".to_string();
    if index.nulls_not_distinct {
        s.push_str(" NULLS NOT DISTINCT");
    }
    s.push_str(&format!(" ({})", index_keys_sql(index)));
    if !index.include.is_empty() {
        s.push_str(&format!(" INCLUDE ({})", ident_list(&index.include)));
    }
    match (index.deferrable, index.initially_deferred) {
        (true, true) => s.push_str(" DEFERRABLE INITIALLY DEFERRED"),
        (true, false) => s.push_str(" DEFERRABLE"),
        _ => {}
    }
    s
}

pub(crate) fn check_body(check: &Check) -> String {
    let mut s = format!("CHECK {}", parenthesized(&check.expression));
    if check.no_inherit {
        s.push_str(" NO INHERIT");
    }
    s
}

/// The key list of an index: columns or `(expressions)`, with collation, operator class,
/// `DESC` and a non-default `NULLS` order.
pub(crate) fn index_keys_sql(index: &Index) -> String {
    index
        .keys
        .iter()
        .map(|k| {
            let mut s = match &k.part {
                KeyPart::Column(c) => quote(c),
                KeyPart::Expression(e) => parenthesized(e),
            };
            if let Some(c) = &k.collation {
                s.push_str(&format!(" COLLATE {}", collation_sql(c)));
            }
            if let Some(o) = &k.opclass {
                s.push_str(&format!(" {o}"));
            }
            if k.descending {
                s.push_str(" DESC");
            }
            match (k.descending, k.nulls_first) {
                (false, true) => s.push_str(" NULLS FIRST"),
                (true, false) => s.push_str(" NULLS LAST"),
                _ => {}
            }
            s
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `CREATE [UNIQUE] INDEX …` for an index not backed by a constraint.
pub(crate) fn create_index(table: &QualifiedName, index: &Index) -> String {
    let mut s = format!(
        "CREATE {}INDEX {} ON {}",
        if index.unique { "UNIQUE " } else { "" },
        quote(&index.name),
        table_sql(table)
    );
    if index.method != "btree" {
        s.push_str(&format!(" USING {}", index.method));
    }
    s.push_str(&format!(" ({})", index_keys_sql(index)));
    if !index.include.is_empty() {
        s.push_str(&format!(" INCLUDE ({})", ident_list(&index.include)));
    }
    if index.nulls_not_distinct {
        s.push_str(" NULLS NOT DISTINCT");
    }
    if let Some(p) = &index.predicate {
        s.push_str(&format!(" WHERE {p}"));
    }
    s
}

pub(crate) fn add_index(table: &QualifiedName, index: &Index) -> String {
    if index.constraint {
        format!(
            "ALTER TABLE {} ADD CONSTRAINT {} {}",
            table_sql(table),
            quote(&index.name),
            unique_constraint_body(index)
        )
    } else {
        create_index(table, index)
    }
}

pub(crate) fn rename_index(table: &QualifiedName, from: &str, to: &str) -> String {
    format!(
        "ALTER INDEX {} RENAME TO {}",
        qualified_sql(&table.schema, from),
        quote(to)
    )
}

pub(crate) fn add_primary_key(table: &QualifiedName, pk: &PrimaryKey) -> String {
    format!(
        "ALTER TABLE {} ADD CONSTRAINT {} PRIMARY KEY ({})",
        table_sql(table),
        quote(&pk.name),
        ident_list(&pk.columns)
    )
}

pub(crate) fn drop_constraint(table: &QualifiedName, name: &str) -> String {
    format!(
        "ALTER TABLE {} DROP CONSTRAINT {}",
        table_sql(table),
        quote(name)
    )
}

pub(crate) fn rename_constraint(table: &QualifiedName, from: &str, to: &str) -> String {
    format!(
        "ALTER TABLE {} RENAME CONSTRAINT {} TO {}",
        table_sql(table),
        quote(from),
        quote(to)
    )
}

pub(crate) fn add_foreign_key(table: &QualifiedName, fk: &ForeignKey) -> String {
    let mut s = format!(
        "ALTER TABLE {} ADD CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {} ({})",
        table_sql(table),
        quote(&fk.name),
        ident_list(&fk.columns),
        table_sql(&fk.referenced()),
        ident_list(&fk.ref_columns)
    );
    match fk.match_type {
        MatchType::Simple => {}
        MatchType::Full => s.push_str(" MATCH FULL"),
        MatchType::Partial => s.push_str(" MATCH PARTIAL"),
    }
    if fk.on_delete != FkAction::NoAction {
        s.push_str(&format!(" ON DELETE {}", fk.on_delete.sql()));
    }
    if fk.on_update != FkAction::NoAction {
        s.push_str(&format!(" ON UPDATE {}", fk.on_update.sql()));
    }
    if fk.deferrable {
        s.push_str(" DEFERRABLE");
        if fk.initially_deferred {
            s.push_str(" INITIALLY DEFERRED");
        }
    }
    if fk.not_valid {
        s.push_str(" NOT VALID");
    }
    s
}

pub(crate) fn add_check(table: &QualifiedName, check: &Check) -> String {
    format!(
        "ALTER TABLE {} ADD CONSTRAINT {} {}{}",
        table_sql(table),
        quote(&check.name),
        check_body(check),
        if check.not_valid { " NOT VALID" } else { "" }
    )
}

pub(crate) fn alter_column(table: &QualifiedName, column: &str, action: &str) -> String {
    format!(
        "ALTER TABLE {} ALTER COLUMN {} {action}",
        table_sql(table),
        quote(column)
    )
}

pub(crate) fn alter_column_type(
    table: &QualifiedName,
    column: &str,
    to: &Type,
    using: Option<&str>,
) -> String {
    let mut s = alter_column(table, column, &format!("TYPE {}", type_sql(to)));
    if let Some(u) = using {
        s.push_str(&format!(" USING {u}"));
    }
    s
}

pub(crate) fn drop_default(table: &QualifiedName, column: &str) -> String {
    alter_column(table, column, "DROP DEFAULT")
}

/// The default `START` of a sequence with these options (Postgres: MINVALUE for ascending,
/// MAXVALUE for descending sequences).
fn default_start(o: &SequenceOptions) -> i64 {
    if o.increment.unwrap_or(1) > 0 {
        o.min_value.unwrap_or(1)
    } else {
        o.max_value.unwrap_or(-1)
    }
}

/// `ADD GENERATED …`, `DROP IDENTITY`, or the `SET …` actions between two identities.
pub(crate) fn alter_identity(
    table: &QualifiedName,
    column: &str,
    from: Option<&Identity>,
    to: Option<&Identity>,
) -> Option<String> {
    match (from, to) {
        (None, None) => None,
        (None, Some(to)) => Some(alter_column(
            table,
            column,
            &format!("ADD {}", identity_sql(to)),
        )),
        (Some(_), None) => Some(alter_column(table, column, "DROP IDENTITY")),
        (Some(from), Some(to)) => {
            let mut actions = Vec::new();
            if from.generation != to.generation {
                actions.push(match to.generation {
                    IdentityGeneration::Always => "SET GENERATED ALWAYS".to_string(),
                    IdentityGeneration::ByDefault => "SET GENERATED BY DEFAULT".to_string(),
                });
            }
            let (a, b) = (&from.options, &to.options);
            if a.increment != b.increment {
                actions.push(format!("SET INCREMENT BY {}", b.increment.unwrap_or(1)));
            }
            if a.min_value != b.min_value {
                actions.push(match b.min_value {
                    Some(v) => format!("SET MINVALUE {v}"),
                    None => "SET NO MINVALUE".into(),
                });
            }
            if a.max_value != b.max_value {
                actions.push(match b.max_value {
                    Some(v) => format!("SET MAXVALUE {v}"),
                    None => "SET NO MAXVALUE".into(),
                });
            }
            if a.start != b.start {
                actions.push(format!(
                    "SET START WITH {}",
                    b.start.unwrap_or_else(|| default_start(b))
                ));
            }
            if a.cache != b.cache {
                actions.push(format!("SET CACHE {}", b.cache.unwrap_or(1)));
            }
            if a.cycle != b.cycle {
                actions.push(if b.cycle {
                    "SET CYCLE".into()
                } else {
                    "SET NO CYCLE".into()
                });
            }
            (!actions.is_empty()).then(|| alter_column(table, column, &actions.join(" ")))
        }
    }
}

pub(crate) fn table_comment(table: &QualifiedName, comment: Option<&str>) -> String {
    format!(
        "COMMENT ON TABLE {} IS {}",
        table_sql(table),
        comment.map(lit).unwrap_or("NULL".into())
    )
}

pub(crate) fn column_comment(table: &QualifiedName, column: &str, comment: Option<&str>) -> String {
    format!(
        "COMMENT ON COLUMN {}.{} IS {}",
        table_sql(table),
        quote(column),
        comment.map(lit).unwrap_or("NULL".into())
    )
}

#[cfg(test)]
mod catalog_state_tests {
    use autogen_schema::{Check, Index, QualifiedName};

    #[test]
    fn not_valid_and_deferrable_are_kept_when_restored() {
        let t = QualifiedName::new("public", "t");
        let mut u = Index::on_columns("t_a_key", &["a"], true);
        u.constraint = true;
        u.deferrable = true;
        u.initially_deferred = true;
        assert_eq!(
            super::add_index(&t, &u),
            "ALTER TABLE t ADD CONSTRAINT t_a_key UNIQUE (a) DEFERRABLE INITIALLY DEFERRED"
        );
        let c = Check {
            name: "t_a_check".into(),
            expression: "(a > 0)".into(),
            no_inherit: false,
            not_valid: true,
        };
        assert_eq!(
            super::add_check(&t, &c),
            "ALTER TABLE t ADD CONSTRAINT t_a_check CHECK (a > 0) NOT VALID"
        );
    }
}
