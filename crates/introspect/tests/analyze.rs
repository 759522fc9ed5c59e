//! Postgres's own analysis of expressions (`analyze`): equal meanings print alike, different
//! ones do not, nothing is executed, and text that is not one expression is never sent.

mod common;

use std::time::{Duration, Instant};

use autogen_introspect::analyze;
use autogen_schema::QualifiedName;
use autogen_schema::analysis::Probe;

fn probe(expr: &str, cast: Option<&str>) -> Probe {
    Probe {
        table: QualifiedName::new("public", "p"),
        expr: expr.into(),
        cast: cast.map(str::to_string),
    }
}

#[tokio::test]
async fn analyzed_forms_compare_meaning_without_executing_anything() {
    let (db, client) = common::database_with(
        "CREATE TABLE p (a integer, price numeric(10,2), status varchar(20), code text);",
    )
    .await;
    let probes = [
        probe("(a + 1) * 2 > 4", None),
        probe("a + 1 * 2 > 4", None),
        probe("price::integer > 5", None),
        probe("price > 5", None),
        probe("(price > (5)::numeric)", None),
        probe("status IN ('a', 'b')", None),
        probe(
            "((status)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))",
            None,
        ),
        probe("'7'", Some("text")),
        probe("'007'::text", Some("text")),
        // Planned, never run: these would sleep or end the session.
        probe("pg_sleep(30) IS NOT NULL", None),
        probe("pg_terminate_backend(pg_backend_pid())", None),
        // Not one expression: never sent, no answer.
        probe("1) FROM p; SELECT (1", None),
        probe("a -- )", None),
    ];
    let started = Instant::now();
    let answers = analyze(db.url(), &probes).await.expect("analyze");
    assert!(started.elapsed() < Duration::from_secs(20));
    let a = |i: usize| answers.get(&probes[i]).cloned();
    assert_ne!(a(0), a(1), "grouping is meaning");
    assert_ne!(a(2), a(3), "a cast is meaning");
    assert_eq!(a(3), a(4));
    assert_eq!(a(3).as_deref(), Some("((price > '5'::numeric))"));
    assert_eq!(a(5), a(6), "IN is stored as = ANY (ARRAY[…])");
    assert_ne!(a(7), a(8), "'7' is not '007'");
    assert!(a(9).is_some() && a(10).is_some());
    assert_eq!((a(11), a(12)), (None, None));
    // An expression Postgres rejects has no answer; the others still get theirs.
    let mixed = [probe("no_such_column > 0", None), probe("a > 0", None)];
    let answers = analyze(db.url(), &mixed).await.expect("analyze");
    assert_eq!(answers.get(&mixed[0]), None);
    assert_eq!(
        answers.get(&mixed[1]).map(String::as_str),
        Some("((a > 0))")
    );
    // The session that created the table is alive.
    client
        .simple_query("SELECT 1")
        .await
        .expect("still connected");
}
