//! Free text can never escape (issue 9, item 2): for arbitrary strings — line breaks, `--`, `*/`,
//! quotes, `$$`, backslashes, non-ASCII — used as comments, enum labels, a default and
//! identifiers (table, column, index and constraint names), the rendered up SQL, run as a user
//! runs it (`psql -f`), creates exactly the intended objects: the stored comments, labels, names
//! and default read back equal to the strings. The down SQL removes them again, and the rendered
//! Rust migration file parses with syn. `AUTOGEN_HOSTILE_CASES=N` runs more cases than the
//! default 24.

use std::process::Command;

use autogen_diff::{Change, Plan};
use autogen_pgtemp::TestDb;
use autogen_schema::{Column, EnumType, Index, Table, Type};
use proptest::prelude::*;

/// Pieces that break naive quoting or comments, mixed with ordinary text.
fn hostile() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("--".to_string()),
        Just("*/".to_string()),
        Just("/*".to_string()),
        Just("'".to_string()),
        Just("\"".to_string()),
        Just("$$".to_string()),
        Just("\\".to_string()),
        Just(";".to_string()),
        Just("DROP TABLE t; --".to_string()),
        Just("é".to_string()),
        Just("日本".to_string()),
        Just("\u{2028}".to_string()),
        "[a-zA-Z0-9 ]{0,3}",
        // Anything but NUL, which Postgres rejects in text.
        any::<char>()
            .prop_filter("no NUL", |c| *c != '\0')
            .prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..6).prop_map(|v| v.concat())
}

/// A name of at most 63 bytes (Postgres truncates longer ones) that is never empty.
fn name(prefix: &str, s: &str) -> String {
    let mut n = format!("{prefix}{s}");
    while n.len() > 63 {
        n.pop();
    }
    n
}

/// A plan creating an enum, and a table with a column, a default, comments, an index, a unique
/// constraint and a check, every name and text taken from `s`.
fn plan(s: &str) -> (Plan, Names) {
    let names = Names {
        enum_name: name("e", s),
        labels: vec![name("a", s), name("b", s)],
        table: name("t", s),
        column: name("c", s),
        index: name("i", s),
        unique: name("u", s),
        check: name("k", s),
        comment: s.to_string(),
        column_comment: s.to_string(),
        default: s.to_string(),
    };
    let enum_type = EnumType {
        schema: "public".into(),
        name: names.enum_name.clone(),
        labels: names.labels.clone(),
        origin: None,
    };
    let mut id = Column::new("id", Type::Integer);
    id.nullable = false;
    let mut c = Column::new(&names.column, Type::Text);
    c.default = Some(autogen_schema::ident::literal(s));
    c.comment = Some(s.to_string());
    let state = Column::new("state", Type::named("public", &names.enum_name));
    let mut table = Table::new("public", &names.table);
    table.columns = vec![id, c, state];
    table.comment = Some(s.to_string());
    let index = Index::on_columns(&names.index, &[names.column.as_str()], false);
    let mut unique = Index::on_columns(&names.unique, &["id"], true);
    unique.constraint = true;
    table.indexes = vec![index, unique];
    table.checks = vec![autogen_schema::Check {
        name: names.check.clone(),
        expression: "(id > 0)".into(),
        no_inherit: false,
    }];
    let plan = Plan {
        changes: vec![
            Change::CreateEnum { enum_type },
            Change::CreateTable { table },
        ],
        notes: vec![],
    };
    (plan, names)
}

#[derive(Debug, PartialEq)]
struct Names {
    enum_name: String,
    labels: Vec<String>,
    table: String,
    column: String,
    index: String,
    unique: String,
    check: String,
    comment: String,
    column_comment: String,
    default: String,
}

fn psql(url: &str, sql: &str) -> Result<String, String> {
    let mut file = tempfile::NamedTempFile::new().map_err(|e| e.to_string())?;
    std::io::Write::write_all(&mut file, sql.as_bytes()).map_err(|e| e.to_string())?;
    let out = Command::new("psql")
        .args([
            "-X",
            "-q",
            "-A",
            "-t",
            "-v",
            "ON_ERROR_STOP=1",
            "--dbname",
            url,
            "-f",
        ])
        .arg(file.path())
        .output()
        .map_err(|e| e.to_string())?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

/// What the database holds, read back as the names it stores; text values as hex (so line
/// breaks survive `psql`'s output).
fn read_back(url: &str) -> Result<Names, String> {
    let hex = |x: &str| format!("encode(convert_to({x}, 'UTF8'), 'hex')");
    let query = format!(
        "SELECT {} FROM pg_type WHERE typtype = 'e' AND typnamespace = 'public'::regnamespace;\n\
         SELECT {} FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid WHERE t.typnamespace = 'public'::regnamespace ORDER BY e.enumsortorder;\n\
         SELECT {} FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace;\n\
         SELECT {} FROM pg_attribute WHERE attrelid = (SELECT oid FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace) AND attnum = 2;\n\
         SELECT {} FROM pg_class WHERE relkind = 'i' AND relnamespace = 'public'::regnamespace AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conindid = pg_class.oid);\n\
         SELECT {} FROM pg_constraint WHERE contype = 'u' AND connamespace = 'public'::regnamespace;\n\
         SELECT {} FROM pg_constraint WHERE contype = 'c' AND connamespace = 'public'::regnamespace;\n\
         SELECT {} FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace;\n\
         SELECT {} FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace;\n",
        hex("typname::text"),
        hex("enumlabel::text"),
        hex("relname::text"),
        hex("attname::text"),
        hex("relname::text"),
        hex("conname::text"),
        hex("conname::text"),
        hex("obj_description(oid, 'pg_class')"),
        hex("col_description(oid, 2)"),
    );
    let out = psql(url, &query)?;
    let lines: Vec<String> = out
        .lines()
        .map(|l| {
            let bytes: Vec<u8> = (0..l.len() / 2)
                .filter_map(|i| u8::from_str_radix(&l[2 * i..2 * i + 2], 16).ok())
                .collect();
            String::from_utf8_lossy(&bytes).into_owned()
        })
        .collect();
    if lines.len() != 10 {
        return Err(format!(
            "expected 10 values, read {}: {lines:?}",
            lines.len()
        ));
    }
    Ok(Names {
        enum_name: lines[0].clone(),
        labels: vec![lines[1].clone(), lines[2].clone()],
        table: lines[3].clone(),
        column: lines[4].clone(),
        index: lines[5].clone(),
        unique: lines[6].clone(),
        check: lines[7].clone(),
        comment: lines[8].clone(),
        column_comment: lines[9].clone(),
        default: String::new(),
    })
}

#[test]
fn hostile_text_stays_text() {
    let db = TestDb::new().expect("temp database");
    let url = db.url().to_string();
    let cases: u32 = std::env::var("AUTOGEN_HOSTILE_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(24);
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    });
    let result = runner.run(&hostile(), |s| {
        let (plan, want) = plan(&s);
        // The Rust file parses.
        let rust = autogen_codegen::migration_rs(
            &plan,
            &autogen_codegen::MigrationOptions {
                message: s.clone(),
                generated_at: s.clone(),
                ..Default::default()
            },
        );
        prop_assert!(
            syn::parse_file(&rust.source).is_ok(),
            "the migration file does not parse:\n{}",
            rust.source
        );
        prop_assert!(rust.warnings.is_empty(), "{:?}", rust.warnings);
        // The SQL creates exactly the intended objects.
        let up = autogen_codegen::sql(&plan);
        let reset = "DROP SCHEMA public CASCADE; CREATE SCHEMA public;\n";
        psql(&url, &format!("{reset}{up}"))
            .map_err(|e| TestCaseError::fail(format!("{e}\nin:\n{up}")))?;
        let mut got = read_back(&url).map_err(TestCaseError::fail)?;
        got.default = stored_default(&url, &want).map_err(TestCaseError::fail)?;
        prop_assert_eq!(&got, &want);
        // The down SQL removes everything.
        let down = autogen_codegen::sql(&plan.inverse());
        psql(&url, &down).map_err(|e| TestCaseError::fail(format!("{e}\nin:\n{down}")))?;
        let left = psql(
            &url,
            "SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace;\n\
             SELECT count(*) FROM pg_type WHERE typnamespace = 'public'::regnamespace;",
        )
        .map_err(TestCaseError::fail)?;
        prop_assert_eq!(left.trim(), "0\n0");
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

/// The default a new row gets for the text column.
fn stored_default(url: &str, want: &Names) -> Result<String, String> {
    let t = autogen_schema::ident::quote(&want.table);
    let c = autogen_schema::ident::quote(&want.column);
    let out = psql(
        url,
        &format!(
            "INSERT INTO {t} (id) VALUES (1);\n\
             SELECT encode(convert_to({c}, 'UTF8'), 'hex') FROM {t};\n\
             DELETE FROM {t};\n"
        ),
    )?;
    let l = out.trim();
    let bytes: Vec<u8> = (0..l.len() / 2)
        .filter_map(|i| u8::from_str_radix(&l[2 * i..2 * i + 2], 16).ok())
        .collect();
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
