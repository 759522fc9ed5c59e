//! Tests of the diagram model and its renderers: snapshots of a small schema and of a plan's
//! marks, and hostile names checked against the subset of Mermaid's grammar the renderer emits
//! (`check_mermaid`), by hand and as a property. `cargo xtask render-diagrams` renders the same
//! kinds of input with the real Mermaid and Graphviz.

use std::collections::BTreeSet;

use autogen_diff::{Change, Plan};
use autogen_schema::{Column, ForeignKey, Index, PrimaryKey, QualifiedName, Schema, Table, Type};
use expect_test::expect;
use proptest::prelude::*;

use super::{Filter, dot, mermaid, of_plan, of_schema};

fn col(name: &str, ty: &str, nullable: bool) -> Column {
    let mut c = Column::new(name, Type::parse_pg(ty));
    c.nullable = nullable;
    c
}

fn fk(name: &str, cols: &[&str], schema: &str, table: &str) -> ForeignKey {
    ForeignKey::new(name, cols, schema, table, &["id"])
}

fn table(schema: &str, name: &str, columns: Vec<Column>) -> Table {
    let mut t = Table::new(schema, name);
    t.primary_key = Some(PrimaryKey {
        name: format!("{name}_pkey"),
        columns: vec![columns[0].name.clone()],
    });
    t.columns = columns;
    t
}

/// users ← posts ← comments, and tags (unrelated).
fn shop() -> Schema {
    let users = {
        let mut t = table(
            "public",
            "users",
            vec![
                col("id", "integer", false),
                col("email", "character varying(320)", false),
                col("created_at", "timestamp with time zone", false),
            ],
        );
        t.indexes = vec![Index::on_columns("users_email_key", &["email"], true)];
        t
    };
    let posts = {
        let mut t = table(
            "public",
            "posts",
            vec![
                col("id", "integer", false),
                col("author_id", "integer", true),
                col("price", "numeric(10,2)", false),
            ],
        );
        t.foreign_keys = vec![fk(
            "posts_author_id_fkey",
            &["author_id"],
            "public",
            "users",
        )];
        t
    };
    let comments = {
        let mut t = table(
            "public",
            "comments",
            vec![col("id", "bigint", false), col("post_id", "integer", false)],
        );
        t.foreign_keys = vec![fk("comments_post_id_fkey", &["post_id"], "public", "posts")];
        t
    };
    let tags = table("public", "tags", vec![col("id", "integer", false)]);
    Schema {
        tables: vec![users, posts, comments, tags],
        ..Schema::default()
    }
}

#[test]
fn whole_schema_as_mermaid_and_dot() {
    let d = of_schema(&shop(), &Filter::default());
    let text = mermaid(&d);
    check_mermaid(&text);
    expect![[r#"
        erDiagram
            comments {
                bigint id PK
                integer post_id FK
            }
            posts {
                integer id PK
                integer author_id FK
                numeric(10_2) price "numeric(10,2)"
            }
            tags {
                integer id PK
            }
            users {
                integer id PK
                varchar(320) email UK
                timestamptz created_at
            }
            comments }o--|| posts : "comments_post_id_fkey"
            posts }o--o| users : "posts_author_id_fkey"
    "#]]
    .assert_eq(&text);
    expect![[r##"
        digraph schema {
            graph [rankdir=LR, fontname="Helvetica"];
            node [shape=plaintext, fontname="Helvetica", fontsize=11];
            edge [fontname="Helvetica", fontsize=9, arrowhead=normal];
            t0 [label=<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="3">
                <TR><TD COLSPAN="2" BGCOLOR="#dde4ee"><B>comments</B></TD></TR>
                <TR><TD ALIGN="LEFT">id (PK)</TD><TD ALIGN="LEFT">bigint</TD></TR>
                <TR><TD ALIGN="LEFT">post_id (FK)</TD><TD ALIGN="LEFT">integer</TD></TR>
            </TABLE>>];
            t1 [label=<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="3">
                <TR><TD COLSPAN="2" BGCOLOR="#dde4ee"><B>posts</B></TD></TR>
                <TR><TD ALIGN="LEFT">id (PK)</TD><TD ALIGN="LEFT">integer</TD></TR>
                <TR><TD ALIGN="LEFT">author_id (FK)</TD><TD ALIGN="LEFT">integer</TD></TR>
                <TR><TD ALIGN="LEFT">price</TD><TD ALIGN="LEFT">numeric(10,2)</TD></TR>
            </TABLE>>];
            t2 [label=<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="3">
                <TR><TD COLSPAN="2" BGCOLOR="#dde4ee"><B>tags</B></TD></TR>
                <TR><TD ALIGN="LEFT">id (PK)</TD><TD ALIGN="LEFT">integer</TD></TR>
            </TABLE>>];
            t3 [label=<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="3">
                <TR><TD COLSPAN="2" BGCOLOR="#dde4ee"><B>users</B></TD></TR>
                <TR><TD ALIGN="LEFT">id (PK)</TD><TD ALIGN="LEFT">integer</TD></TR>
                <TR><TD ALIGN="LEFT">email (UK)</TD><TD ALIGN="LEFT">character varying(320)</TD></TR>
                <TR><TD ALIGN="LEFT">created_at</TD><TD ALIGN="LEFT">timestamp with time zone</TD></TR>
            </TABLE>>];
            t0 -> t1 [label=<comments_post_id_fkey>];
            t1 -> t3 [label=<posts_author_id_fkey>];
        }
    "##]]
    .assert_eq(&dot(&d));
}

#[test]
fn a_table_filter_adds_neighbours_with_key_columns_only() {
    let s = shop();
    let f = Filter {
        schemas: vec![],
        tables: vec!["posts".into(), "public.nope".into()],
    };
    assert_eq!(f.unmatched(&s), ["public.nope"]);
    let text = mermaid(&of_schema(&s, &f));
    check_mermaid(&text);
    expect![[r#"
        erDiagram
            comments {
                bigint id PK
                integer post_id FK
            }
            posts {
                integer id PK
                integer author_id FK
                numeric(10_2) price "numeric(10,2)"
            }
            users["users +2 columns"] {
                integer id PK
            }
            comments }o--|| posts : "comments_post_id_fkey"
            posts }o--o| users : "posts_author_id_fkey"
    "#]]
    .assert_eq(&text);
}

#[test]
fn a_plan_marks_tables_columns_and_foreign_keys() {
    let current = shop();
    let users = QualifiedName::new("public", "users");
    let posts = QualifiedName::new("public", "posts");
    let mut reviews = table(
        "public",
        "reviews",
        vec![
            col("id", "integer", false),
            col("post_id", "integer", false),
        ],
    );
    reviews.foreign_keys = vec![];
    let tags = current.table("public", "tags").cloned().unwrap();
    let plan = Plan {
        changes: vec![
            Change::DropTable { table: tags },
            Change::CreateTable {
                table: reviews.clone(),
            },
            Change::AddColumn {
                table: users.clone(),
                column: col("nickname", "text", true),
            },
            Change::DropColumn {
                table: users.clone(),
                column: col("created_at", "timestamp with time zone", false),
            },
            Change::AlterColumnType {
                table: posts.clone(),
                column: "price".into(),
                from: Type::parse_pg("numeric(10,2)"),
                to: Type::parse_pg("numeric(12,2)"),
                using: None,
                reverse_using: None,
                collation: None,
            },
            Change::RenameTable {
                from: posts,
                to: "articles".into(),
            },
            Change::AddForeignKey {
                table: reviews.qualified_name(),
                foreign_key: fk("reviews_post_id_fkey", &["post_id"], "public", "articles"),
            },
        ],
        notes: vec![],
    };
    let d = of_plan(&plan, &current);
    let text = mermaid(&d);
    check_mermaid(&text);
    let dot_text = dot(&d);
    check_dot(&dot_text, 5);
    assert!(
        dot_text.contains("<TR><TD ALIGN=\"LEFT\" BGCOLOR=\"#f7d4d4\">created_at</TD>"),
        "{dot_text}"
    );
    assert!(dot_text.contains("style=dashed") || !text.contains(".."));
    expect![[r#"
        erDiagram
            articles["articles (changed: renamed from posts)"] {
                integer id PK
                integer author_id FK
                numeric(12_2) price "numeric(12,2); type numeric(10,2) → numeric(12,2)"
            }
            comments {
                bigint id PK
                integer post_id FK
            }
            reviews["reviews (new)"] {
                integer id PK
                integer post_id FK
            }
            tags["tags (dropped)"] {
                integer id PK
            }
            users["users (changed)"] {
                integer id PK
                varchar(320) email UK
                text nickname "new"
                timestamptz created_at "dropped"
            }
            articles }o--o| users : "posts_author_id_fkey"
            comments }o--|| articles : "comments_post_id_fkey"
            reviews }o--|| articles : "reviews_post_id_fkey (new)"
    "#]]
    .assert_eq(&text);
}

/// Names that would break Mermaid or DOT syntax if written as they are.
fn hostile_names() -> Vec<&'static str> {
    vec![
        "order items",
        "a\"b",
        "x\n}\nerDiagram",
        "end",
        "style",
        "t_1",
        "pk",
        "1st",
        "direction TB",
        "%%{init: {\"theme\":\"dark\"}}%%",
        "```",
        "<script>alert(1)</script>",
        "#quot;",
        "a|b",
        "x] {",
        "naïve",
        "",
    ]
}

fn hostile_schema(names: &[&str]) -> Schema {
    let mut tables: Vec<Table> = Vec::new();
    for (i, n) in names.iter().enumerate() {
        let schema = if i % 3 == 0 { "public" } else { "other \"s\"" };
        let mut t = table(
            schema,
            n,
            vec![
                col("id", "integer", false),
                col(n, "text", true),
                Column::new("parent", Type::parse_pg("integer")),
            ],
        );
        if let Some(prev) = tables.last() {
            t.foreign_keys = vec![fk(n, &["parent"], &prev.schema, &prev.name)];
        }
        tables.push(t);
    }
    // The same name in two schemas.
    tables.push(table("public", "twin", vec![col("id", "integer", false)]));
    tables.push(table("other", "twin", vec![col("id", "integer", false)]));
    Schema {
        tables,
        ..Schema::default()
    }
}

#[test]
fn hostile_names_stay_labels() {
    let names = hostile_names();
    let s = hostile_schema(&names);
    let d = of_schema(&s, &Filter::default());
    let text = mermaid(&d);
    let entities = check_mermaid(&text);
    assert_eq!(entities, s.tables.len(), "{text}");
    check_dot(&dot(&d), s.tables.len());
}

proptest! {
    #[test]
    fn any_names_give_valid_mermaid_and_dot(
        names in proptest::collection::vec(any::<String>(), 1..6),
        column in any::<String>(),
        ty in any::<String>(),
    ) {
        let mut s = hostile_schema(&names.iter().map(String::as_str).collect::<Vec<_>>());
        s.tables[0].columns.push(Column::new(column, Type::parse_pg(&ty)));
        let d = of_schema(&s, &Filter::default());
        let distinct: std::collections::BTreeSet<_> =
            s.tables.iter().map(|t| t.qualified_name()).collect();
        prop_assert_eq!(check_mermaid(&mermaid(&d)), distinct.len());
        check_dot(&dot(&d), distinct.len());
    }
}

const RESERVED: &[&str] = &[
    "erdiagram",
    "style",
    "classdef",
    "class",
    "subgraph",
    "end",
    "one",
    "only",
    "many",
    "zero",
    "to",
    "optionally",
    "u",
    "acctitle",
    "accdescr",
    "direction",
    "title",
];

fn is_id(s: &str) -> bool {
    let mut c = s.chars();
    c.next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && c.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !RESERVED.contains(&s.to_ascii_lowercase().as_str())
}

fn is_word(s: &str) -> bool {
    let mut c = s.chars();
    c.next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && c.all(|c| c.is_ascii_alphanumeric() || "_()[]-".contains(c))
        && !["pk", "fk", "uk"].contains(&s.to_ascii_lowercase().as_str())
}

/// `"text"` with nothing Mermaid reads inside it; returns the rest of the line.
fn quoted(s: &str) -> &str {
    let body = s.strip_prefix('"').expect("a quoted label");
    let end = body.find('"').expect("a closing quote");
    let text = &body[..end];
    assert!(
        !text
            .chars()
            .any(|c| "%#`<>\\{}".contains(c) || c.is_control()),
        "label {text:?}"
    );
    let lower = text.to_ascii_lowercase();
    for (at, _) in lower.match_indices("direction") {
        assert!(
            !lower[at + 9..].starts_with(char::is_whitespace),
            "{text:?}"
        );
    }
    &body[end + 1..]
}

/// Checks `text` line by line against the Mermaid subset the renderer emits; returns the
/// number of entities declared. Relations must name declared entities.
pub(crate) fn check_mermaid(text: &str) -> usize {
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("erDiagram"));
    let mut ids = BTreeSet::new();
    let mut in_block = false;
    for line in lines {
        if in_block {
            if line == "    }" {
                in_block = false;
                continue;
            }
            let rest = line.strip_prefix("        ").expect(line);
            let mut parts = rest.splitn(3, ' ');
            let ty = parts.next().unwrap();
            let name = parts.next().expect(line);
            assert!(is_word(ty) && is_word(name), "{line:?}");
            let mut rest = parts.next().unwrap_or("");
            if !rest.starts_with('"') && !rest.is_empty() {
                let keys_end = rest.find(" \"").unwrap_or(rest.len());
                for k in rest[..keys_end].split(", ") {
                    assert!(["PK", "FK", "UK"].contains(&k), "{line:?}");
                }
                rest = rest[keys_end..].trim_start();
            }
            if !rest.is_empty() {
                assert_eq!(quoted(rest), "", "{line:?}");
            }
            continue;
        }
        let rest = line.strip_prefix("    ").expect(line);
        let id_end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        let id = &rest[..id_end];
        assert!(is_id(id), "{line:?}");
        let mut rest = &rest[id_end..];
        if let Some(r) = rest.strip_prefix(' ')
            && !r.starts_with('{')
        {
            // A relation.
            let (card, r) = r.split_at(6);
            assert!(
                ["}o", "|o"].contains(&&card[..2])
                    && ["--", ".."].contains(&&card[2..4])
                    && ["||", "o|"].contains(&&card[4..]),
                "{line:?}"
            );
            let r = r.strip_prefix(' ').expect(line);
            let other_end = r.find(' ').expect(line);
            assert!(
                ids.contains(id) && ids.contains(&r[..other_end]),
                "{line:?}"
            );
            let label = r[other_end..].strip_prefix(" : ").expect(line);
            assert_eq!(quoted(label), "", "{line:?}");
            continue;
        }
        if let Some(r) = rest.strip_prefix('[') {
            let r = quoted(r);
            rest = r.strip_prefix(']').expect(line);
        }
        match rest {
            "" => {}
            " {" => in_block = true,
            _ => panic!("{line:?}"),
        }
        assert!(ids.insert(id.to_string()), "duplicate id: {line:?}");
    }
    assert!(!in_block);
    ids.len()
}

/// Every line of the DOT text is one of the forms the renderer writes, each label's text
/// holding no `<`, `>` or line break of its own.
fn check_dot(text: &str, nodes: usize) {
    let mut n = 0;
    for line in text.lines() {
        assert!(!line.contains('\r'));
        let t = line.trim_start();
        if t.starts_with("<TR>") {
            let inner = t
                .replace("<TR>", "")
                .replace("</TR>", "")
                .replace("</TD>", "")
                .replace("<B>", "")
                .replace("</B>", "")
                .replace("<I>", "")
                .replace("</I>", "");
            for cell in inner.split("<TD").skip(1) {
                let text = &cell[cell.find('>').expect(line) + 1..];
                assert!(!text.contains(['<', '>', '"']), "{line:?}");
            }
        } else if t.starts_with('t') && t.contains(" [label=<<TABLE") {
            n += 1;
        } else if t.starts_with('t') && t.contains(" -> ") {
            let label = &t[t.find("label=<").expect(line) + 7..t.rfind('>').expect(line)];
            assert!(!label.contains(['<', '>', '"']), "{line:?}");
        } else {
            assert!(
                [
                    "digraph schema {",
                    "graph [",
                    "node [",
                    "edge [",
                    "</TABLE>>];",
                    "}"
                ]
                .iter()
                .any(|p| t.starts_with(p)),
                "{line:?}"
            );
        }
    }
    assert_eq!(n, nodes);
}
