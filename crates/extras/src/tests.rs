//! Parsing and applying extras files: what each statement becomes, and every error's position.

use expect_test::{Expect, expect};

use autogen_schema::{Column, Schema, Table, Type};

use crate::{Item, apply, parse};

fn show(text: &str) -> String {
    match parse("schema/extras.sql", text, "public") {
        Ok(items) => items
            .iter()
            .map(|d| match &d.item {
                Item::Index { table, index } => format!(
                    "{}: index {table} {}",
                    d.at,
                    serde_json::to_string(index).unwrap_or_default()
                ),
                Item::Check { table, check } => format!(
                    "{}: check {table} {}",
                    d.at,
                    serde_json::to_string(check).unwrap_or_default()
                ),
                Item::Extension { extension } => format!(
                    "{}: extension {}",
                    d.at,
                    serde_json::to_string(extension).unwrap_or_default()
                ),
            })
            .collect::<Vec<_>>()
            .join("\n"),
        Err(errors) => errors
            .iter()
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

fn check(text: &str, expect: Expect) {
    expect.assert_eq(&show(text));
}

#[test]
fn supported_statements() {
    check(
        r#"-- header comment
CREATE EXTENSION IF NOT EXISTS pg_trgm;
create extension citext with schema public;

CREATE INDEX posts_title_trgm ON posts USING gin (title gin_trgm_ops);
CREATE UNIQUE INDEX users_email_live ON public.users (email) WHERE deleted_at IS NULL;
CREATE INDEX users_lower_email ON users (lower(email), id DESC NULLS LAST);
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_cover ON orders (customer_id) INCLUDE (total, "Status");
ALTER TABLE ONLY orders ADD CONSTRAINT orders_total_positive CHECK (total > 0 AND total < 1e9);
CREATE INDEX users_email_c ON users (email COLLATE "C" text_pattern_ops, (email::text) COLLATE pg_catalog."C" DESC) NULLS NOT DISTINCT;
"#,
        expect![[r#"
            schema/extras.sql:2:1: extension {"name":"pg_trgm"}
            schema/extras.sql:3:1: extension {"name":"citext","schema":"public"}
            schema/extras.sql:5:1: index public.posts {"name":"posts_title_trgm","unique":false,"method":"gin","keys":[{"part":{"column":"title"},"nulls_first":false,"opclass":"gin_trgm_ops"}]}
            schema/extras.sql:6:1: index public.users {"name":"users_email_live","unique":true,"method":"btree","keys":[{"part":{"column":"email"},"nulls_first":false}],"predicate":"(deleted_at IS NULL)"}
            schema/extras.sql:7:1: index public.users {"name":"users_lower_email","unique":false,"method":"btree","keys":[{"part":{"expression":"lower(email)"},"nulls_first":false},{"part":{"column":"id"},"descending":true,"nulls_first":false}]}
            schema/extras.sql:8:1: index public.orders {"name":"orders_cover","unique":false,"method":"btree","keys":[{"part":{"column":"customer_id"},"nulls_first":false}],"include":["total","Status"]}
            schema/extras.sql:9:1: check public.orders {"name":"orders_total_positive","expression":"(total > 0 AND total < 1e9)"}
            schema/extras.sql:10:1: index public.users {"name":"users_email_c","unique":false,"method":"btree","keys":[{"part":{"column":"email"},"nulls_first":false,"opclass":"text_pattern_ops","collation":"C"},{"part":{"expression":"email::text"},"descending":true,"nulls_first":true,"collation":"C"}],"nulls_not_distinct":true}"#]],
    );
}

#[test]
fn errors_have_their_position() {
    check(
        "CREATE INDEX a ON t (x);\nCREATE INDEX b ON t USING (y);\n",
        expect![[r#"schema/extras.sql:2:27: error: syntax error at or near "(""#]],
    );
    check(
        "CREATE INDEX a ON t (x);\n\n  CREATE TABLE t (x int);\n",
        expect![
            "schema/extras.sql:3:3: error: unsupported statement CREATE TABLE: the extras file holds CREATE [UNIQUE] INDEX, ALTER TABLE … ADD CONSTRAINT … CHECK (…) and CREATE EXTENSION"
        ],
    );
    check(
        "CREATE INDEX ON t (x);\nALTER TABLE t ADD CHECK (x > 0);\nALTER TABLE t ADD CONSTRAINT u UNIQUE (x);\nALTER TABLE t DROP COLUMN x;\nCREATE EXTENSION hstore VERSION '1.8';\n",
        expect![[r#"
            schema/extras.sql:1:17: error: name the index (CREATE INDEX <name> ON …): autogen needs the name to create and drop it
            schema/extras.sql:2:19: error: name the constraint (ADD CONSTRAINT <name> CHECK (…)): autogen needs the name to create and drop it
            schema/extras.sql:3:19: error: unsupported constraint: only CHECK constraints are supported here (entities declare unique keys and foreign keys)
            schema/extras.sql:4:1: error: unsupported ALTER TABLE action: only ADD CONSTRAINT … CHECK (…) is supported
            schema/extras.sql:5:25: error: unsupported CREATE EXTENSION option VERSION: only SCHEMA is supported (the version is not managed; declare each extension CASCADE would install)"#]],
    );
    check(
        "CREATE INDEX a ON t (x) WHERE y = 'open;\n",
        expect![[
            r#"schema/extras.sql:1:35: error: unterminated quoted string at or near "'open; ""#
        ]],
    );
}

fn entities() -> Schema {
    let mut users = Table::new("public", "users");
    for c in ["id", "email", "deleted_at"] {
        users.columns.push(Column::new(c, Type::Text));
    }
    Schema {
        tables: vec![users],
        ..Schema::default()
    }
}

fn applied(text: &str) -> String {
    let declared = match parse("x.sql", text, "public") {
        Ok(d) => d,
        Err(e) => return format!("parse: {e:?}"),
    };
    let mut schema = entities();
    match apply(&mut schema, &declared) {
        Ok(()) => format!(
            "{} indexes, {} checks, {} extensions",
            schema.tables[0].indexes.len(),
            schema.tables[0].checks.len(),
            schema.extensions.len()
        ),
        Err(errors) => errors
            .iter()
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

#[test]
fn apply_adds_to_entity_tables_and_names_unknown_tables_and_columns() {
    expect![[r#"1 indexes, 1 checks, 1 extensions"#]].assert_eq(&applied(
        "CREATE EXTENSION pg_trgm;\nCREATE INDEX u_e ON users (lower(email)) WHERE deleted_at IS NULL;\nALTER TABLE users ADD CONSTRAINT u_c CHECK (email <> '');\n",
    ));
    expect![[r#"
        x.sql:1:21: error: table public.posts is not declared by any entity; extras may only add indexes and checks to entity tables
        x.sql:2:34: error: column emial of table public.users is not declared by its entity
        x.sql:3:41: error: column nope of table public.users is not declared by its entity
        x.sql:4:35: error: index u_e on public.users is already declared (by an entity or earlier in the extras)
        x.sql:6:1: error: extension pg_trgm is declared twice"#]]
    .assert_eq(&applied(
        "CREATE INDEX p_t ON posts (title);\nCREATE INDEX u_e ON users (lower(emial));\nCREATE INDEX u_x ON users (id) INCLUDE (nope);\nCREATE INDEX u_e ON users (email);CREATE INDEX u_e ON users (id);\nCREATE EXTENSION pg_trgm;\nCREATE EXTENSION pg_trgm;\n",
    ));
}

/// Hostile and malformed input: always a result, never a panic or an abort of the C library,
/// and every error carries a position inside the text.
#[test]
fn malformed_input_is_an_error_never_a_crash() {
    let deep = format!(
        "CREATE INDEX i ON t (({}1{}));",
        "(".repeat(5000),
        ")".repeat(5000)
    );
    let nots = format!(
        "CREATE INDEX i ON t (a) WHERE {}true;",
        "NOT ".repeat(20000)
    );
    let inputs = [
        "",
        ";;;",
        "-- only a comment",
        "/* unterminated",
        "CREATE INDEX i ON t ((",
        "CREATE INDEX i ON t (a) WHERE",
        "CREATE INDEX \"\" ON t (a);",
        "CREATE INDEX i ON t (a)\0;",
        "CREATE INDEX ï ON tü (ä) WHERE ö = 'ü';",
        "ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0), ADD CONSTRAINT d CHECK (b > 0);",
        "CREATE INDEX i ON t USING gin (a gin_trgm_ops(siglen = 32));",
        "CREATE INDEX i ON t (a) WITH (fillfactor = 50) TABLESPACE x;",
        "CREATE EXTENSION x CASCADE;",
        "CREATE INDEX i ON t (a ASC USING <);",
        "SELECT 1; CREATE INDEX i ON t (a); DROP EXTENSION x;",
        "CREATE INDEX i ON t ((a::text COLLATE \"C\"), (SELECT 1));",
        &deep,
        &nots,
    ];
    for text in inputs {
        match parse("f.sql", text, "public") {
            Ok(_) => {}
            Err(errors) => {
                assert!(!errors.is_empty(), "{text:?}");
                for e in errors {
                    let lines = text.lines().count().max(1);
                    assert!(e.at.line >= 1 && e.at.line <= lines + 1, "{text:?}: {e}");
                    assert!(!e.message.contains('\n'), "{e}");
                }
            }
        }
    }
}
