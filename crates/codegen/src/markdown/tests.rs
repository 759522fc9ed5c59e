//! Tests of the pull-request report: a snapshot of a plan with every change kind (with table
//! sizes, counted data and notes), the size bound on a huge plan, and hostile names that must
//! not break out of a code span, a table cell, a code block or the diagram.

use autogen_diff::{Change, Note, NoteKind, ObjectKind, Plan};
use autogen_schema::{
    Check, Column, EnumType, FkAction, ForeignKey, Identity, IdentityGeneration, Index, PrimaryKey,
    QualifiedName, Schema, SequenceOptions, Table, Type,
};
use expect_test::expect_file;
use proptest::prelude::*;

use super::{DataNote, Report, TableSize, render};

fn q(name: &str) -> QualifiedName {
    QualifiedName::new("public", name)
}

fn col(name: &str, ty: &str, nullable: bool) -> Column {
    let mut c = Column::new(name, Type::parse_pg(ty));
    c.nullable = nullable;
    c
}

fn fk(name: &str, cols: &[&str], table: &str) -> ForeignKey {
    ForeignKey::new(name, cols, "public", table, &["id"])
}

fn pk(name: &str, cols: &[&str]) -> PrimaryKey {
    PrimaryKey {
        name: name.into(),
        columns: cols.iter().map(|c| c.to_string()).collect(),
    }
}

fn enum_type(name: &str, labels: &[&str]) -> EnumType {
    EnumType {
        schema: "public".into(),
        name: name.into(),
        labels: labels.iter().map(|l| l.to_string()).collect(),
        origin: None,
    }
}

fn table(name: &str, columns: Vec<Column>) -> Table {
    let mut t = Table::new("public", name);
    t.columns = columns;
    t
}

/// The database the plan starts from.
fn shop() -> Schema {
    let mut users = table(
        "users",
        vec![
            col("id", "integer", false),
            col("email", "character varying", true),
            col("name", "text", false),
            col("age", "integer", true),
            col("legacy_code", "text", true),
        ],
    );
    users.primary_key = Some(pk("users_pkey", &["id"]));
    users.indexes = vec![Index::on_columns("users_age_idx", &["age"], false)];
    users.checks = vec![Check {
        name: "users_age_check".into(),
        expression: "(age >= 0)".into(),
        no_inherit: false,
        not_valid: false,
    }];
    let mut orders = table(
        "orders",
        vec![
            col("id", "bigint", false),
            col("user_id", "integer", false),
            col("qty", "integer", false),
            col("note", "text", false),
            col("status", "order_status", false),
        ],
    );
    orders.primary_key = Some(pk("orders_pkey", &["id"]));
    orders.indexes = vec![Index::on_columns("orders_status_idx", &["status"], false)];
    orders.foreign_keys = vec![fk("orders_user_id_fkey", &["user_id"], "users")];
    let mut sessions = table(
        "sessions",
        vec![col("token", "text", false), col("user_id", "integer", true)],
    );
    sessions.primary_key = Some(pk("sessions_pkey", &["token"]));
    sessions.foreign_keys = vec![fk("sessions_user_id_fkey", &["user_id"], "users")];
    let mut reviews = table(
        "reviews",
        vec![
            col("id", "integer", false),
            col("order_id", "bigint", false),
        ],
    );
    reviews.primary_key = Some(pk("reviews_pkey", &["id"]));
    reviews.foreign_keys = vec![fk("reviews_order_fk", &["order_id"], "orders")];
    let old_audit = table(
        "old_audit",
        vec![col("id", "integer", false), col("msg", "text", true)],
    );
    let tags = table(
        "tags",
        vec![col("id", "integer", false), col("color", "color", true)],
    );
    Schema {
        tables: vec![users, orders, sessions, reviews, old_audit, tags],
        enums: vec![
            enum_type("order_status", &["new", "paid"]),
            enum_type("color", &["red", "mauve"]),
            enum_type("mood", &["happy", "sad"]),
        ],
        ..Schema::default()
    }
}

/// Every `Change` kind once, against [`shop`].
fn every_change() -> Plan {
    let mut invoices = Table::new("billing", "invoices");
    invoices.columns = vec![col("id", "bigint", false), col("order_id", "bigint", false)];
    invoices.primary_key = Some(pk("invoices_pkey", &["id"]));
    let mut invoice_fk = fk("invoices_order_id_fkey", &["order_id"], "orders");
    invoice_fk.on_delete = FkAction::Cascade;
    let mut cascade = fk("orders_user_id_fkey", &["user_id"], "users");
    cascade.on_delete = FkAction::Cascade;
    let changes = vec![
        Change::CreateSchema {
            schema: "billing".into(),
        },
        Change::DropSchema {
            schema: "legacy".into(),
        },
        Change::CreateEnum {
            enum_type: enum_type("priority", &["low", "high"]),
        },
        Change::DropEnum {
            enum_type: enum_type("mood", &["happy", "sad"]),
        },
        Change::AddEnumValue {
            enum_type: enum_type("order_status", &["new", "paid", "shipped"]),
            value: "shipped".into(),
            usages: vec![(q("orders"), "status".into())],
            moved: false,
            in_the_way: Default::default(),
        },
        Change::RemoveEnumValue {
            enum_type: enum_type("color", &["red", "mauve"]),
            value: "mauve".into(),
            usages: vec![(q("tags"), "color".into())],
            moved: false,
            in_the_way: Default::default(),
        },
        Change::DropForeignKey {
            table: q("sessions"),
            foreign_key: fk("sessions_user_id_fkey", &["user_id"], "users"),
        },
        Change::DropTable {
            table: table(
                "old_audit",
                vec![col("id", "integer", false), col("msg", "text", true)],
            ),
        },
        Change::CreateTable { table: invoices },
        Change::RenameTable {
            from: q("tags"),
            to: "labels".into(),
        },
        Change::AddColumn {
            table: q("users"),
            column: col("nickname", "text", true),
        },
        Change::DropColumn {
            table: q("users"),
            column: col("legacy_code", "text", true),
        },
        Change::RenameColumn {
            table: q("users"),
            from: "name".into(),
            to: "full_name".into(),
        },
        Change::AlterColumnType {
            table: q("orders"),
            column: "qty".into(),
            from: Type::Integer,
            to: Type::BigInt,
            using: None,
            reverse_using: None,
            collation: None,
        },
        Change::SetNotNull {
            table: q("users"),
            column: "email".into(),
        },
        Change::DropNotNull {
            table: q("orders"),
            column: "note".into(),
        },
        Change::AlterDefault {
            table: q("orders"),
            column: "note".into(),
            from: None,
            to: Some("'n/a'::text".into()),
        },
        Change::AlterIdentity {
            table: q("users"),
            column: "id".into(),
            from: None,
            to: Some(Identity {
                generation: IdentityGeneration::ByDefault,
                options: SequenceOptions::default(),
            }),
        },
        Change::AddIndex {
            table: q("orders"),
            index: Index::on_columns("orders_user_id_idx", &["user_id"], false),
        },
        Change::DropIndex {
            table: q("users"),
            index: Index::on_columns("users_age_idx", &["age"], false),
        },
        Change::RenameIndex {
            table: q("orders"),
            from: "orders_status_idx".into(),
            to: "idx-orders-status".into(),
        },
        Change::AddPrimaryKey {
            table: q("labels"),
            primary_key: pk("labels_pkey", &["id"]),
        },
        Change::DropPrimaryKey {
            table: q("sessions"),
            primary_key: pk("sessions_pkey", &["token"]),
        },
        Change::AddForeignKey {
            table: QualifiedName::new("billing", "invoices"),
            foreign_key: ForeignKey {
                ref_schema: "public".into(),
                ..invoice_fk
            },
        },
        Change::RenameForeignKey {
            table: q("reviews"),
            from: "reviews_order_fk".into(),
            to: "reviews_order_id_fkey".into(),
        },
        Change::AlterForeignKey {
            table: q("orders"),
            from: fk("orders_user_id_fkey", &["user_id"], "users"),
            to: cascade,
        },
        Change::AddCheck {
            table: q("orders"),
            check: Check {
                name: "orders_qty_check".into(),
                expression: "(qty > 0)".into(),
                no_inherit: false,
                not_valid: false,
            },
        },
        Change::DropCheck {
            table: q("users"),
            check: Check {
                name: "users_age_check".into(),
                expression: "(age >= 0)".into(),
                no_inherit: false,
                not_valid: false,
            },
        },
        Change::SetTableComment {
            table: q("orders"),
            from: None,
            to: Some("Customer orders | one row per checkout".into()),
        },
        Change::SetColumnComment {
            table: q("users"),
            column: "email".into(),
            from: None,
            to: Some("login `name`".into()),
        },
        // Last, so the notes' step indices above stay put (a real plan creates extensions first
        // and drops them last; the report keeps the plan's order either way).
        Change::CreateExtension {
            extension: autogen_schema::Extension::named("pg_trgm"),
        },
        Change::DropExtension {
            extension: autogen_schema::Extension {
                schema: Some("public".into()),
                version: Some("1.6".into()),
                ..autogen_schema::Extension::named("citext")
            },
        },
    ];
    let notes = vec![
        Note {
            kind: NoteKind::Hazard,
            object: "public.users.email".into(),
            message: "rows holding NULL make SET NOT NULL fail".into(),
            change: Some(14),
            object_kind: None,
        },
        Note {
            kind: NoteKind::Hazard,
            object: "public.orders".into(),
            message: "orphan rows make the new foreign key fail".into(),
            change: Some(23),
            object_kind: None,
        },
        Note {
            kind: NoteKind::RenameHint,
            object: "public.users.legacy_code".into(),
            message: "dropped while nickname is added: if it is a rename, declare it in [renames.columns]".into(),
            change: None,
            object_kind: None,
        },
        Note {
            kind: NoteKind::Unmanaged,
            object: "public.orders_note_trgm".into(),
            message: "index not declared by any entity".into(),
            change: None,
            object_kind: Some(ObjectKind::Index),
        },
    ];
    Plan { changes, notes }
}

fn report<'a>(
    plan: &'a Plan,
    current: &'a Schema,
    data: &'a [DataNote],
    sizes: &'a [TableSize],
) -> Report<'a> {
    Report {
        title: "autogen diff",
        plan,
        current,
        online: None,
        data,
        sizes,
        remarks: &[],
        max_bytes: super::DEFAULT_MAX_BYTES,
        sql_withheld: None,
    }
}

#[test]
fn every_change_kind() {
    let plan = every_change();
    let current = shop();
    let data = [
        DataNote {
            change: 14,
            text: "12 row(s) hold NULL in public.users.email: SET NOT NULL fails until they are filled"
                .into(),
        },
        DataNote {
            change: 11,
            text: "48,113 non-NULL value(s) in public.users.legacy_code are deleted".into(),
        },
    ];
    let sizes = [
        TableSize {
            table: q("orders"),
            estimated_rows: Some(2_104_332),
            bytes: 188_743_680,
        },
        TableSize {
            table: q("users"),
            estimated_rows: Some(50_210),
            bytes: 9_437_184,
        },
        TableSize {
            table: q("sessions"),
            estimated_rows: None,
            bytes: 8_192,
        },
    ];
    let text = render(&report(&plan, &current, &data, &sizes));
    check_structure(&text);
    expect_file!["../../../../fixtures/report/every_change.md"].assert_eq(&text);
    // Deterministic.
    assert_eq!(text, render(&report(&plan, &current, &data, &sizes)));
}

#[test]
fn no_changes() {
    let text = render(&Report {
        remarks: &[
            "Partial models: public.users.bio: type text here but varchar at src/a.rs:3".into(),
        ],
        ..report(&Plan::default(), &Schema::default(), &[], &[])
    });
    expect_test::expect![[r#"
        <!-- autogen-report -->
        ### autogen diff

        **No schema changes**: the database matches the entities.

        Partial models: public.users.bio: type text here but varchar at src/a.rs:3
    "#]]
    .assert_eq(&text);
}

/// 4,000 new tables with 20 columns each: the body stays under the bound, and says what it left
/// out.
#[test]
fn a_huge_plan_is_summarised() {
    let changes: Vec<Change> = (0..4000)
        .map(|i| Change::CreateTable {
            table: table(
                &format!("table_{i:04}"),
                (0..20)
                    .map(|c| col(&format!("column_{c}"), "text", true))
                    .collect(),
            ),
        })
        .collect();
    let plan = Plan {
        changes,
        notes: vec![],
    };
    let current = Schema::default();
    let text = render(&report(&plan, &current, &[], &[]));
    assert!(
        text.len() <= super::DEFAULT_MAX_BYTES,
        "{} bytes",
        text.len()
    );
    assert!(text.contains("**Summary:** adds 4000 tables"), "{text}");
    assert!(text.contains("more step(s) not listed"), "{text}");
    assert!(text.contains("more line(s) not shown"), "{text}");
    assert!(text.contains("more not drawn"), "{text}");
    check_structure(&text);

    // 4,000 existing tables, each rewritten: the summary names five.
    let current = Schema {
        tables: (0..4000)
            .map(|i| table(&format!("table_{i:04}"), vec![col("n", "integer", false)]))
            .collect(),
        ..Schema::default()
    };
    let plan = Plan {
        changes: current
            .tables
            .iter()
            .map(|t| Change::AlterColumnType {
                table: t.qualified_name(),
                column: "n".into(),
                from: Type::Integer,
                to: Type::BigInt,
                using: None,
                reverse_using: None,
                collation: None,
            })
            .collect(),
        notes: vec![],
    };
    let text = render(&report(&plan, &current, &[], &[]));
    assert!(
        text.len() <= super::DEFAULT_MAX_BYTES,
        "{} bytes",
        text.len()
    );
    let summary = text
        .lines()
        .find(|l| l.starts_with("**Summary:**"))
        .unwrap();
    assert_eq!(
        summary,
        "**Summary:** alters 4000 columns; 4000 steps rewrite `table_0000`, `table_0001`, \
         `table_0002`, `table_0003`, `table_0004`, and 3995 more"
    );
    check_structure(&text);
}

proptest! {
    /// Whatever the names and comments, the report keeps its structure: one Markdown table whose
    /// rows have four cells, balanced code blocks, two `<details>`, and no HTML but its own.
    #[test]
    fn hostile_text_stays_in_place(
        name in any::<String>(),
        column in any::<String>(),
        comment in any::<String>(),
    ) {
        let mut t = table(&name, vec![col("id", "integer", false)]);
        t.primary_key = Some(pk(&format!("{name}_pkey"), &["id"]));
        let current = Schema { tables: vec![t], ..Schema::default() };
        let plan = Plan {
            changes: vec![
                Change::AddColumn { table: q(&name), column: col(&column, "text", true) },
                Change::SetTableComment { table: q(&name), from: None, to: Some(comment.clone()) },
                Change::SetNotNull { table: q(&name), column: column.clone() },
            ],
            notes: vec![Note {
                kind: NoteKind::Review,
                object: name.clone(),
                message: comment.clone(),
                change: None,
                object_kind: None,
            }],
        };
        let data = [DataNote { change: 2, text: comment.clone() }];
        let text = render(&report(&plan, &current, &data, &[]));
        check_structure(&text);
    }
}

#[test]
fn hostile_names_by_hand() {
    for name in [
        "a|b",
        "```",
        "x\n| 9 | injected | row |",
        "</details><script>alert(1)</script>",
        "`",
        " ` ",
        "<!-- autogen-report -->",
        "\n```\n</details>\n",
    ] {
        let mut t = table(name, vec![col("id", "integer", false)]);
        t.comment = Some(name.into());
        let current = Schema {
            tables: vec![t],
            ..Schema::default()
        };
        let plan = Plan {
            changes: vec![
                Change::AddColumn {
                    table: q(name),
                    column: col(name, "text", true),
                },
                Change::SetTableComment {
                    table: q(name),
                    from: Some(name.into()),
                    to: Some(format!("{name}\n{name}")),
                },
            ],
            notes: vec![],
        };
        check_structure(&render(&report(&plan, &current, &[], &[])));
    }
}

/// The structure every report has, whatever text it holds: line by line outside code blocks,
/// only the report's own HTML; table rows with exactly four cells; code blocks closed by their
/// own fence; the Mermaid block valid in the diagram tests' sense.
fn check_structure(text: &str) {
    let mut fence: Option<(String, String)> = None;
    let mut details = (0, 0);
    let mut mermaid = String::new();
    let mut table_rows = 0;
    for line in text.lines() {
        if let Some((f, lang)) = &fence {
            if line == f {
                if lang == "mermaid" {
                    crate::diagram::tests::check_mermaid(&mermaid);
                }
                fence = None;
            } else {
                assert!(
                    !(line.trim_start().starts_with(f.as_str())
                        && line.trim_start().trim_start_matches('`').trim().is_empty()),
                    "a line that could close the fence: {line:?}"
                );
                if lang == "mermaid" {
                    mermaid.push_str(line);
                    mermaid.push('\n');
                }
            }
            continue;
        }
        if line.starts_with("```") {
            let ticks: String = line.chars().take_while(|c| *c == '`').collect();
            fence = Some((ticks.clone(), line[ticks.len()..].to_string()));
            continue;
        }
        let outside = without_code_spans(line, line.starts_with('|'));
        for tag in [
            "<!-- autogen-report -->",
            "<details><summary>",
            "</summary>",
            "</details>",
            "<br>",
        ] {
            if outside.contains(tag) && tag.starts_with("<details") {
                details.0 += 1;
            }
            if outside == "</details>" && tag == "</details>" {
                details.1 += 1;
            }
        }
        let stripped = [
            "<!-- autogen-report -->",
            "<details><summary>",
            "</summary>",
            "</details>",
            "<br>",
        ]
        .iter()
        .fold(outside.clone(), |s, t| s.replace(t, ""));
        assert!(
            !stripped.contains('<'),
            "HTML outside the report's own: {line:?}"
        );
        if line.starts_with('|') {
            table_rows += 1;
            let pipes = unescaped_pipes(&outside);
            assert_eq!(pipes, 5, "a row with other than four cells: {line:?}");
        }
    }
    assert!(fence.is_none(), "an unclosed code block");
    if !text.contains("No schema changes") {
        assert_eq!(details, (2, 2), "{text}");
        assert!(table_rows >= 3);
    }
}

/// The line with its code spans (CommonMark: a run of N backticks up to the next run of exactly
/// N) replaced by `C`; in a table row, a code span must not hold a bare `|`.
fn without_code_spans(line: &str, table_row: bool) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '`' && (i == 0 || chars[i - 1] != '\\') {
            let n = chars[i..].iter().take_while(|c| **c == '`').count();
            let mut j = i + n;
            let mut closed = None;
            while j < chars.len() {
                if chars[j] == '`' {
                    let m = chars[j..].iter().take_while(|c| **c == '`').count();
                    if m == n {
                        closed = Some(j + m);
                        break;
                    }
                    j += m;
                } else {
                    j += 1;
                }
            }
            match closed {
                Some(end) => {
                    // `\|` inside a code span in a table is still the escaped pipe.
                    let inner: String = chars[i..end].iter().collect();
                    assert!(
                        !table_row || unescaped_pipes(&inner) == 0,
                        "a bare | in a code span: {line:?}"
                    );
                    out.push('C');
                    i = end;
                }
                None => {
                    out.extend(&chars[i..i + n]);
                    i += n;
                }
            }
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

fn unescaped_pipes(s: &str) -> usize {
    let chars: Vec<char> = s.chars().collect();
    (0..chars.len())
        .filter(|&i| chars[i] == '|' && (i == 0 || chars[i - 1] != '\\'))
        .count()
}
