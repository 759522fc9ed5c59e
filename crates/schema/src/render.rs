//! The human text form of a [`Schema`], read like `psql`'s `\d`: one block per table (columns,
//! indexes, checks, foreign keys, partition key, comment), then enum types, sequences, views
//! and domains. Pure and deterministic: the same schema gives the same text; no line ends in
//! whitespace.

use crate::ident::{literal, quote};
use crate::model::{
    Check, Column, Domain, EnumType, ForeignKey, IdentityGeneration, Index, IndexKey, KeyPart,
    MatchType, Schema, Sequence, SequenceOptions, Table, View,
};

/// The whole schema as text.
pub fn text(schema: &Schema) -> String {
    let mut blocks: Vec<String> = schema.tables.iter().map(table).collect();
    if !schema.enums.is_empty() {
        blocks.push(section("Enum types:", schema.enums.iter().map(enum_type)));
    }
    if !schema.sequences.is_empty() {
        blocks.push(section("Sequences:", schema.sequences.iter().map(sequence)));
    }
    let (materialized, plain): (Vec<&View>, Vec<&View>) =
        schema.views.iter().partition(|v| v.materialized);
    if !plain.is_empty() {
        blocks.push(section(
            "Views:",
            plain.iter().map(|v| title_name(&v.schema, &v.name)),
        ));
    }
    if !materialized.is_empty() {
        blocks.push(section(
            "Materialized views:",
            materialized.iter().map(|v| title_name(&v.schema, &v.name)),
        ));
    }
    if !schema.domains.is_empty() {
        blocks.push(section("Domains:", schema.domains.iter().map(domain)));
    }
    if !schema.extensions.is_empty() {
        blocks.push(section(
            "Extensions:",
            schema.extensions.iter().map(|e| {
                let mut line = quote(&e.name);
                if let Some(s) = &e.schema {
                    line.push_str(&format!(" (schema {})", quote(s)));
                }
                if let Some(v) = &e.version {
                    line.push_str(&format!(" version {v}"));
                }
                line
            }),
        ));
    }
    if blocks.is_empty() {
        return "(no tables)\n".to_string();
    }
    let mut out = blocks.join("\n");
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// One table's block.
pub fn table(t: &Table) -> String {
    let kind = if t.partition_key.is_some() {
        "Partitioned table"
    } else {
        "Table"
    };
    let mut out = format!("{kind} {}\n", title_name(&t.schema, &t.name));
    let with_comments = t.columns.iter().any(|c| c.comment.is_some());
    let mut header = vec!["Column", "Type", "Collation", "Nullable", "Default"];
    if with_comments {
        header.push("Description");
    }
    let rows: Vec<Vec<String>> = t
        .columns
        .iter()
        .map(|c| column_cells(c, with_comments))
        .collect();
    out.push_str(&grid(&header, &rows));

    let mut indexes: Vec<String> = Vec::new();
    if let Some(pk) = &t.primary_key {
        let cols: Vec<String> = pk.columns.iter().map(|c| quote(c)).collect();
        indexes.push(format!(
            "{} PRIMARY KEY, btree ({})",
            quote_always(&pk.name),
            cols.join(", ")
        ));
    }
    let mut sorted: Vec<&Index> = t.indexes.iter().collect();
    sorted.sort_by(|a, b| (!a.unique, &a.name).cmp(&(!b.unique, &b.name)));
    indexes.extend(sorted.into_iter().map(index));
    push_list(&mut out, "Indexes:", indexes);
    push_list(
        &mut out,
        "Check constraints:",
        t.checks.iter().map(check).collect(),
    );
    push_list(
        &mut out,
        "Foreign-key constraints:",
        t.foreign_keys.iter().map(foreign_key).collect(),
    );
    if let Some(key) = &t.partition_key {
        out.push_str(&format!("Partition key: {key}\n"));
    }
    if let Some(comment) = &t.comment {
        out.push_str(&format!("Comment: {}\n", literal(comment)));
    }
    out
}

fn column_cells(c: &Column, with_comments: bool) -> Vec<String> {
    let mut cells = vec![
        c.name.clone(),
        match &c.type_source {
            crate::TypeSource::Unresolved { rust_type } => format!("? (Rust type {rust_type})"),
            _ => c.ty.to_sql(),
        },
        c.collation.clone().unwrap_or_default(),
        if c.nullable {
            String::new()
        } else {
            "not null".into()
        },
        column_default(c),
    ];
    if with_comments {
        cells.push(c.comment.clone().unwrap_or_default());
    }
    cells
}

/// What psql shows in the Default column: the identity, the generation expression or the
/// default expression.
fn column_default(c: &Column) -> String {
    if let Some(identity) = &c.identity {
        let kind = match identity.generation {
            IdentityGeneration::Always => "always",
            IdentityGeneration::ByDefault => "by default",
        };
        let options = sequence_options(&identity.options);
        return if options.is_empty() {
            format!("generated {kind} as identity")
        } else {
            format!("generated {kind} as identity ({options})")
        };
    }
    if let Some(expr) = &c.generated {
        return format!("generated always as ({expr}) stored");
    }
    c.default.clone().unwrap_or_default()
}

/// `START 100 INCREMENT 5 …`: only the options that are set.
fn sequence_options(o: &SequenceOptions) -> String {
    let mut parts = Vec::new();
    let mut push = |name: &str, v: Option<i64>| {
        if let Some(v) = v {
            parts.push(format!("{name} {v}"));
        }
    };
    push("START", o.start);
    push("INCREMENT", o.increment);
    push("MINVALUE", o.min_value);
    push("MAXVALUE", o.max_value);
    push("CACHE", o.cache);
    if o.cycle {
        parts.push("CYCLE".into());
    }
    parts.join(" ")
}

/// `"users_email_key" UNIQUE CONSTRAINT, btree (email)`, as psql lists indexes.
fn index(i: &Index) -> String {
    format!("{} {}", quote_always(&i.name), index_definition(i))
}

/// An index without its name: `UNIQUE CONSTRAINT, btree (email) WHERE …`.
pub fn index_definition(i: &Index) -> String {
    let kind = match (i.unique, i.constraint) {
        (true, true) => "UNIQUE CONSTRAINT, ",
        (true, false) => "UNIQUE, ",
        _ => "",
    };
    let keys: Vec<String> = i.keys.iter().map(index_key).collect();
    let mut out = format!("{kind}{} ({})", i.method, keys.join(", "));
    if !i.include.is_empty() {
        let cols: Vec<String> = i.include.iter().map(|c| quote(c)).collect();
        out.push_str(&format!(" INCLUDE ({})", cols.join(", ")));
    }
    if i.nulls_not_distinct {
        out.push_str(" NULLS NOT DISTINCT");
    }
    if let Some(p) = &i.predicate {
        out.push_str(&format!(" WHERE {p}"));
    }
    if i.deferrable {
        out.push_str(if i.initially_deferred {
            " DEFERRABLE INITIALLY DEFERRED"
        } else {
            " DEFERRABLE"
        });
    }
    if i.invalid {
        out.push_str(" INVALID");
    }
    out
}

fn index_key(k: &IndexKey) -> String {
    let mut out = match &k.part {
        KeyPart::Column(c) => quote(c),
        KeyPart::Expression(e) => e.clone(),
    };
    if let Some(c) = &k.collation {
        out.push_str(&format!(" COLLATE {}", quote(c)));
    }
    if let Some(o) = &k.opclass {
        out.push(' ');
        out.push_str(o);
    }
    match (k.descending, k.nulls_first) {
        (false, true) => out.push_str(" NULLS FIRST"),
        (true, true) => out.push_str(" DESC"),
        (true, false) => out.push_str(" DESC NULLS LAST"),
        (false, false) => {}
    }
    out
}

fn check(c: &Check) -> String {
    let no_inherit = if c.no_inherit { " NO INHERIT" } else { "" };
    let not_valid = if c.not_valid { " NOT VALID" } else { "" };
    format!(
        "{} CHECK ({}){no_inherit}{not_valid}",
        quote_always(&c.name),
        c.expression
    )
}

/// `"fk" FOREIGN KEY (a) REFERENCES s.t(id) MATCH FULL ON UPDATE … ON DELETE … DEFERRABLE`,
/// in `pg_get_constraintdef`'s order.
fn foreign_key(f: &ForeignKey) -> String {
    format!("{} {}", quote_always(&f.name), foreign_key_definition(f))
}

/// A foreign key without its name: `FOREIGN KEY (a) REFERENCES s.t(id) ON DELETE CASCADE`.
pub fn foreign_key_definition(f: &ForeignKey) -> String {
    let cols = |cs: &[String]| cs.iter().map(|c| quote(c)).collect::<Vec<_>>().join(", ");
    let mut out = format!(
        "FOREIGN KEY ({}) REFERENCES {}({})",
        cols(&f.columns),
        f.referenced().to_sql(),
        cols(&f.ref_columns)
    );
    match f.match_type {
        MatchType::Simple => {}
        MatchType::Full => out.push_str(" MATCH FULL"),
        MatchType::Partial => out.push_str(" MATCH PARTIAL"),
    }
    if f.on_update != Default::default() {
        out.push_str(&format!(" ON UPDATE {}", f.on_update.sql()));
    }
    if f.on_delete != Default::default() {
        out.push_str(&format!(" ON DELETE {}", f.on_delete.sql()));
    }
    if f.deferrable {
        out.push_str(" DEFERRABLE");
    }
    if f.initially_deferred {
        out.push_str(" INITIALLY DEFERRED");
    }
    if f.not_valid {
        out.push_str(" NOT VALID");
    }
    out
}

fn enum_type(e: &EnumType) -> String {
    let labels: Vec<String> = e.labels.iter().map(|l| literal(l)).collect();
    format!("{} ({})", title_name(&e.schema, &e.name), labels.join(", "))
}

fn sequence(s: &Sequence) -> String {
    let mut out = format!("{} {}", title_name(&s.schema, &s.name), s.ty.to_sql());
    let options = sequence_options(&s.options);
    if !options.is_empty() {
        out.push(' ');
        out.push_str(&options);
    }
    if let Some((table, column)) = &s.owned_by {
        out.push_str(&format!(" OWNED BY {}.{}", quote(table), quote(column)));
    }
    out
}

fn domain(d: &Domain) -> String {
    let mut out = format!("{} {}", title_name(&d.schema, &d.name), d.base.to_sql());
    if d.not_null {
        out.push_str(" NOT NULL");
    }
    if let Some(default) = &d.default {
        out.push_str(&format!(" DEFAULT {default}"));
    }
    for c in &d.checks {
        out.push_str(&format!(" CONSTRAINT {}", check(c)));
    }
    out
}

/// psql's title form: `"schema.name"` with the raw names inside one pair of quotes.
fn title_name(schema: &str, name: &str) -> String {
    format!("\"{schema}.{name}\"")
}

fn quote_always(name: &str) -> String {
    crate::ident::quote_always(name)
}

fn section(title: &str, lines: impl Iterator<Item = String>) -> String {
    let mut out = format!("{title}\n");
    for line in lines {
        out.push_str(&format!("    {line}\n"));
    }
    out
}

fn push_list(out: &mut String, title: &str, lines: Vec<String>) {
    if !lines.is_empty() {
        out.push_str(&section(title, lines.into_iter()));
    }
}

/// psql's aligned table: ` a | b ` rows under a `---+---` rule, without trailing spaces.
fn grid(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!(" {c}{} ", " ".repeat(w - c.chars().count())))
            .collect();
        format!("{}\n", padded.join("|").trim_end())
    };
    let mut out = line(header.to_vec());
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(w + 2)).collect();
    out.push_str(&format!("{}\n", rule.join("+")));
    for row in rows {
        out.push_str(&line(row.iter().map(String::as_str).collect()));
    }
    out
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::text;
    use crate::model::*;
    use crate::types::Type;

    fn sample() -> Schema {
        let mut users = Table::new("public", "users");
        users.comment = Some("People".into());
        let mut id = Column::new("id", Type::Integer);
        id.nullable = false;
        id.identity = Some(Identity {
            generation: IdentityGeneration::ByDefault,
            options: SequenceOptions::default(),
        });
        let mut email = Column::new("email", Type::varchar(Some(255)));
        email.nullable = false;
        email.comment = Some("login".into());
        let mut mood = Column::new("mood", Type::named("public", "mood"));
        mood.default = Some("'ok'::mood".into());
        let mut full = Column::new("Full Name", Type::Text);
        full.generated = Some("(first || last)".into());
        full.collation = Some("C".into());
        users.columns = vec![id, email, mood, full];
        users.primary_key = Some(PrimaryKey {
            name: "users_pkey".into(),
            columns: vec!["id".into()],
        });
        let mut unique = Index::on_columns("users_email_key", &["email"], true);
        unique.constraint = true;
        unique.deferrable = true;
        let mut partial = Index::on_columns("users_recent_idx", &["id"], false);
        partial.keys[0].descending = true;
        partial.keys[0].nulls_first = true;
        partial.include = vec!["email".into()];
        partial.predicate = Some("(id > 10)".into());
        let mut failed = Index::on_columns("users_mood_idx", &["mood"], true);
        failed.invalid = true;
        users.indexes = vec![partial, unique, failed];
        users.checks = vec![Check {
            name: "users_id_check".into(),
            expression: "(id > 0)".into(),
            no_inherit: true,
            not_valid: true,
        }];
        users.foreign_keys = vec![ForeignKey {
            name: "fk".into(),
            columns: vec!["id".into()],
            ref_schema: "Other".into(),
            ref_table: "t".into(),
            ref_columns: vec!["id".into()],
            on_delete: FkAction::Cascade,
            on_update: FkAction::NoAction,
            match_type: MatchType::Simple,
            deferrable: true,
            initially_deferred: false,
            actions_stated: Default::default(),
            not_valid: false,
        }];
        Schema {
            tables: vec![users],
            enums: vec![EnumType {
                schema: "public".into(),
                name: "mood".into(),
                labels: vec!["sad".into(), "it's ok".into()],
                origin: None,
            }],
            sequences: vec![Sequence {
                schema: "public".into(),
                name: "n".into(),
                ty: Type::BigInt,
                options: SequenceOptions {
                    start: Some(5),
                    ..Default::default()
                },
                owned_by: None,
            }],
            views: vec![View {
                schema: "public".into(),
                name: "v".into(),
                materialized: false,
                reads: Vec::new(),
            }],
            domains: vec![],
            extensions: vec![],
            missing_schemas: vec![],
        }
    }

    #[test]
    fn renders_like_psql() {
        expect![[r#"
            Table "public.users"
             Column    | Type                   | Collation | Nullable | Default                                      | Description
            -----------+------------------------+-----------+----------+----------------------------------------------+-------------
             id        | integer                |           | not null | generated by default as identity             |
             email     | character varying(255) |           | not null |                                              | login
             mood      | public.mood            |           |          | 'ok'::mood                                   |
             Full Name | text                   | C         |          | generated always as ((first || last)) stored |
            Indexes:
                "users_pkey" PRIMARY KEY, btree (id)
                "users_email_key" UNIQUE CONSTRAINT, btree (email) DEFERRABLE
                "users_mood_idx" UNIQUE, btree (mood) INVALID
                "users_recent_idx" btree (id DESC) INCLUDE (email) WHERE (id > 10)
            Check constraints:
                "users_id_check" CHECK ((id > 0)) NO INHERIT NOT VALID
            Foreign-key constraints:
                "fk" FOREIGN KEY (id) REFERENCES "Other".t(id) ON DELETE CASCADE DEFERRABLE
            Comment: 'People'

            Enum types:
                "public.mood" ('sad', 'it''s ok')

            Sequences:
                "public.n" bigint START 5

            Views:
                "public.v"
        "#]].assert_eq(&text(&sample()));
    }

    #[test]
    fn empty_schema() {
        assert_eq!(text(&Schema::default()), "(no tables)\n");
    }
}
