//! SQL text: the preview of lowered steps ([`render_plan`]), and the raw statements the lowering
//! uses where sea-query cannot say a change (the migration file runs the same text through
//! `execute_unprepared`). Names and literals go through `autogen_schema::ident` only.

use std::borrow::Cow;

use crate::text::sql_ident as quote;
use autogen_schema::naming;
use autogen_schema::{
    Check, Column, EnumType, FkAction, ForeignKey, Identity, IdentityGeneration, Index, KeyPart,
    MatchType, PrimaryKey, QualifiedName, SequenceOptions, Table, Type,
};

use crate::lower::Step;
use crate::names::{ident_list, parenthesized, type_sql};
pub(crate) use crate::names::{lit, qualified_sql, table_sql};
use crate::text::sql_comment;

/// The whole plan: per step a `-- description` line (and its explanation) and its statements,
/// each ending with `;`.
pub(crate) fn render_plan(steps: &[Step]) -> String {
    if steps.is_empty() {
        return "-- no changes\n".to_string();
    }
    let mut out = String::new();
    let reasons = crate::lower::no_transaction_reasons(steps);
    if reasons.concurrently {
        out.push_str(
            "-- Run without an enclosing transaction: CREATE/DROP INDEX CONCURRENTLY cannot run\n\
             -- inside a transaction block. Not atomic: a failure leaves the statements before it\n\
             -- applied (a failed CREATE INDEX CONCURRENTLY leaves an INVALID index: drop it before\n\
             -- running again).\n\n",
        );
    }
    if reasons.validate {
        out.push_str(
            "-- Run without an enclosing transaction: VALIDATE CONSTRAINT must not run in the\n\
             -- transaction of its ADD ... NOT VALID, or that lock (it blocks writes) is held through\n\
             -- the scan. Not atomic: a failed VALIDATE leaves the constraint NOT VALID.\n\n",
        );
    }
    if reasons.label {
        out.push_str(
            "-- Run without an enclosing transaction: a new enum value cannot be used in the\n\
             -- transaction that adds it.\n\n",
        );
    }
    for (i, step) in steps.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&sql_comment(&step.description));
        out.push('\n');
        if let Some(e) = &step.explain {
            out.push_str(&sql_comment(e));
            out.push('\n');
        }
        for stmt in &step.statements {
            out.push_str(&stmt.sql());
            out.push_str(";\n");
        }
    }
    out
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

/// `ALTER TYPE … ADD VALUE 'v' [BEFORE 'b' | AFTER 'a']`.
pub(crate) fn add_enum_value(
    e: &EnumType,
    value: &str,
    before: Option<&str>,
    after: Option<&str>,
) -> String {
    let mut s = format!("ALTER TYPE {} ADD VALUE {}", enum_sql(e), lit(value));
    if let Some(b) = before {
        s.push_str(&format!(" BEFORE {}", lit(b)));
    }
    if let Some(a) = after {
        s.push_str(&format!(" AFTER {}", lit(a)));
    }
    s
}

pub(crate) fn rename_type(e: &EnumType, to: &str) -> String {
    format!("ALTER TYPE {} RENAME TO {}", enum_sql(e), quote(to))
}

pub(crate) fn rename_table(from: &QualifiedName, to: &str) -> String {
    format!("ALTER TABLE {} RENAME TO {}", table_sql(from), quote(to))
}

pub(crate) fn add_column(table: &QualifiedName, column: &Column) -> String {
    format!(
        "ALTER TABLE {} ADD COLUMN {}",
        table_sql(table),
        column_sql(column, ColumnSqlOptions::default())
    )
}

pub(crate) fn drop_column(table: &QualifiedName, column: &str) -> String {
    format!(
        "ALTER TABLE {} DROP COLUMN {}",
        table_sql(table),
        quote(column)
    )
}

pub(crate) fn rename_column(table: &QualifiedName, from: &str, to: &str) -> String {
    format!(
        "ALTER TABLE {} RENAME COLUMN {} TO {}",
        table_sql(table),
        quote(from),
        quote(to)
    )
}

pub(crate) fn drop_index(table: &QualifiedName, name: &str) -> String {
    format!("DROP INDEX {}", qualified_sql(&table.schema, name))
}

pub(crate) fn drop_index_concurrently(table: &QualifiedName, name: &str) -> String {
    format!(
        "DROP INDEX CONCURRENTLY {}",
        qualified_sql(&table.schema, name)
    )
}

/// `ALTER TABLE t VALIDATE CONSTRAINT c`.
pub(crate) fn validate_constraint(table: &QualifiedName, name: &str) -> String {
    format!(
        "ALTER TABLE {} VALIDATE CONSTRAINT {}",
        table_sql(table),
        quote(name)
    )
}

/// `ALTER TABLE t ADD CONSTRAINT c UNIQUE USING INDEX c`: the index becomes the constraint's.
pub(crate) fn add_unique_using_index(table: &QualifiedName, name: &str) -> String {
    format!(
        "ALTER TABLE {} ADD CONSTRAINT {} UNIQUE USING INDEX {}",
        table_sql(table),
        quote(name),
        quote(name)
    )
}

/// `ALTER TABLE t ADD CONSTRAINT c CHECK (col IS NOT NULL) NOT VALID`.
pub(crate) fn add_not_null_check(table: &QualifiedName, name: &str, column: &str) -> String {
    format!(
        "ALTER TABLE {} ADD CONSTRAINT {} CHECK ({} IS NOT NULL) NOT VALID",
        table_sql(table),
        quote(name),
        quote(column)
    )
}

/// The name the old type gets while a label is removed.
pub(crate) fn old_enum_name(e: &EnumType) -> String {
    naming::truncate_identifier(&format!("{}_old", e.name))
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

/// A unique constraint that `CREATE TABLE` would silently merge into the primary key or into an
/// earlier unique constraint with the same definition (Postgres keeps one index and one
/// constraint for equal index specifications in one statement), so it is added after the
/// table with its own `ALTER TABLE … ADD CONSTRAINT`.
pub(crate) fn merged_by_create_table(table: &Table, index: &Index) -> bool {
    let same = |a: &Index, b: &Index| {
        a.keys == b.keys
            && a.include == b.include
            && a.method == b.method
            && a.predicate == b.predicate
            && a.nulls_not_distinct == b.nulls_not_distinct
    };
    if !index.constraint {
        return false;
    }
    if let Some(pk) = &table.primary_key {
        let cols: Vec<&str> = pk.columns.iter().map(String::as_str).collect();
        if same(index, &Index::on_columns("", &cols, true)) {
            return true;
        }
    }
    table
        .indexes
        .iter()
        .take_while(|i| !std::ptr::eq(*i, index))
        .filter(|i| i.constraint && !merged_by_create_table(table, i))
        .any(|i| same(i, index))
}

/// A unique constraint that can be written as `UNIQUE` on its column: one plain column, the
/// name Postgres gives it, nothing else special.
pub(crate) fn inline_unique_column<'a>(table: &Table, index: &'a Index) -> Option<&'a str> {
    if merged_by_create_table(table, index) {
        return None;
    }
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

/// `CREATE TABLE` with every column, key, unique constraint and check inline.
pub(crate) fn create_table(table: &Table) -> String {
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
        if inline_unique_column(table, index).is_none() && !merged_by_create_table(table, index) {
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
    let mut create = if lines.is_empty() {
        format!("CREATE TABLE {} ()", table_sql(&q))
    } else {
        format!(
            "CREATE TABLE {} (\n    {}\n)",
            table_sql(&q),
            lines.join(",\n    ")
        )
    };
    if let Some(p) = &table.partition_key {
        create.push_str(&format!(" PARTITION BY {p}"));
    }
    create
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
    create_index_maybe_concurrently(table, index, false)
}

/// `CREATE [UNIQUE] INDEX [CONCURRENTLY] …`.
pub(crate) fn create_index_maybe_concurrently(
    table: &QualifiedName,
    index: &Index,
    concurrently: bool,
) -> String {
    let mut s = format!(
        "CREATE {}INDEX {}{} ON {}",
        if index.unique { "UNIQUE " } else { "" },
        if concurrently { "CONCURRENTLY " } else { "" },
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
    collation: Option<&str>,
    using: Option<&str>,
) -> String {
    let mut ty = type_sql(to);
    if let Some(c) = collation {
        ty.push_str(&format!(" COLLATE {}", collation_sql(c)));
    }
    let mut s = alter_column(table, column, &format!("TYPE {ty}"));
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

/// `CREATE EXTENSION name [WITH SCHEMA s] [VERSION 'v']`: the schema and version only where the
/// model states them (the database's, when this undoes a drop, so the inverse is exact).
pub(crate) fn create_extension(extension: &autogen_schema::Extension) -> String {
    let mut sql = format!("CREATE EXTENSION {}", quote(&extension.name));
    if let Some(schema) = &extension.schema {
        sql.push_str(&format!(" WITH SCHEMA {}", quote(schema)));
    }
    if let Some(version) = &extension.version {
        sql.push_str(&format!(" VERSION {}", crate::text::sql_string(version)));
    }
    sql
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
