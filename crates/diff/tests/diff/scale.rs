//! A 500-table schema: the differ and the plan replay stay linear enough to run in a test.

use autogen_diff::{DiffOptions, apply_all, diff};
use autogen_schema::Schema;

use crate::build::*;

fn big(tables: usize) -> Schema {
    let mut out = Vec::new();
    for i in 0..tables {
        let name = format!("t{i:03}");
        let mut t = table(&name)
            .id()
            .req("name", "character varying")
            .col("note", "text")
            .index(&format!("idx-{name}-name"), &["name"]);
        if i > 0 {
            let parent = format!("t{:03}", i - 1);
            t = t.col("parent_id", "integer").fk(
                &format!("fk-{name}-parent_id"),
                &["parent_id"],
                &parent,
                &["id"],
            );
        }
        out.push(t);
    }
    schema(out, vec![enum_type("mood", &["a", "b"])])
}

#[test]
fn five_hundred_tables_from_scratch_and_back() {
    let desired = big(500);
    let empty = Schema::default();
    let started = std::time::Instant::now();
    let plan = diff(&desired, &empty, &DiffOptions::default());
    // One enum, 500 tables, 499 foreign keys.
    assert_eq!(plan.changes.len(), 1 + 500 + 499);
    let mut up = empty.clone();
    apply_all(&mut up, &plan.changes).expect("the plan applies");
    assert!(diff(&desired, &up, &DiffOptions::default()).is_empty());
    assert!(diff(&desired, &desired, &DiffOptions::default()).is_empty());
    let back = diff(&empty, &desired, &DiffOptions::default());
    assert_eq!(back.changes.len(), 499 + 500 + 1);
    eprintln!("500 tables: {:?}", started.elapsed());
}
