//! Expressions from the parse tree: their text as PostgreSQL's deparser writes them (one
//! canonical spelling whatever the file's layout; the database's own form is reached later by
//! Postgres's analysis, `autogen_schema::analysis`), and the columns they name.

use pg_query::NodeEnum;
use pg_query::protobuf::{
    LimitOption, Node, ParseResult, RawStmt, ResTarget, SelectStmt, SetOperation,
};

/// The deparsed text of one expression node, or `None` when the deparser cannot write it.
pub fn text(expr: &Node) -> Option<String> {
    let select = SelectStmt {
        target_list: vec![Node {
            node: Some(NodeEnum::ResTarget(Box::new(ResTarget {
                val: Some(Box::new(expr.clone())),
                ..ResTarget::default()
            }))),
        }],
        // Enum fields left at protobuf's 0 ("undefined") fail the C library's assertions.
        limit_option: LimitOption::Default as i32,
        op: SetOperation::SetopNone as i32,
        ..SelectStmt::default()
    };
    let tree = ParseResult {
        version: 0,
        stmts: vec![RawStmt {
            stmt: Some(Box::new(Node {
                node: Some(NodeEnum::SelectStmt(Box::new(select))),
            })),
            stmt_location: 0,
            stmt_len: 0,
        }],
    };
    let sql = pg_query::deparse(&tree, Default::default()).ok()?;
    sql.strip_prefix("SELECT ").map(str::to_string)
}

/// A column an expression names: its name and the byte offset of the reference (`-1`:
/// unknown).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColumnUse {
    pub name: String,
    pub location: i32,
}

/// Every plain column reference in `expr` (`col` or `table.col`; the last name is the
/// column), in tree order.
pub fn columns(expr: &Node) -> Vec<ColumnUse> {
    let mut out = Vec::new();
    if let Ok(json) = serde_json::to_value(expr) {
        walk(&json, &mut out);
    }
    out
}

fn walk(v: &serde_json::Value, out: &mut Vec<ColumnUse>) {
    match v {
        serde_json::Value::Object(map) => {
            if let Some(cref) = map.get("ColumnRef") {
                let names: Vec<&str> = cref
                    .get("fields")
                    .and_then(|f| f.as_array())
                    .map(|fields| {
                        fields
                            .iter()
                            .filter_map(|f| f.pointer("/node/String/sval")?.as_str())
                            .collect()
                    })
                    .unwrap_or_default();
                if let Some(name) = names.last() {
                    out.push(ColumnUse {
                        name: (*name).to_string(),
                        location: cref
                            .get("location")
                            .and_then(|l| l.as_i64())
                            .and_then(|l| i32::try_from(l).ok())
                            .unwrap_or(-1),
                    });
                }
            }
            for (key, child) in map {
                if key != "ColumnRef" {
                    walk(child, out);
                }
            }
        }
        serde_json::Value::Array(items) => {
            for item in items {
                walk(item, out);
            }
        }
        _ => {}
    }
}
