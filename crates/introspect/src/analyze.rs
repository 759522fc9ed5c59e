//! Expressions analyzed by Postgres itself, read-only and without executing anything: every
//! probe becomes a scalar subquery `(SELECT (<expr>) FROM <table> LIMIT 1)` of one
//! `EXPLAIN (VERBOSE, COSTS OFF, FORMAT JSON)` statement, inside a `READ ONLY` transaction with
//! a statement timeout, rolled back. EXPLAIN without ANALYZE plans but never runs the query; the
//! plan prints each analyzed expression with implicit casts made explicit and constants folded,
//! against the table's real column types. An expression is embedded only when the tokenizer
//! says it is one well-formed expression (no `;`, comment or top-level `,`, balanced brackets),
//! so it cannot close the parentheses around it; the extended protocol refuses a second
//! statement anyway. One query for all probes; when it fails (an expression Postgres rejects),
//! each probe is retried alone under a savepoint so the others still get an answer.

use autogen_schema::analysis::{Analyzed, Probe};
use autogen_schema::{ident, sql_lex};

use crate::error::{Error, pg_message};

/// How long Postgres may spend planning the probes.
const STATEMENT_TIMEOUT: &str = "5s";

/// Analyzes `probes` on the database at `url`. Probes that are not one well-formed
/// expression, or that Postgres rejects, have no answer.
pub async fn analyze(url: &str, probes: &[Probe]) -> Result<Analyzed, Error> {
    let mut out = Analyzed::new();
    let probes: Vec<&Probe> = probes
        .iter()
        .filter(|p| sql_lex::single_expression(&p.expr).is_ok())
        .collect();
    if probes.is_empty() {
        return Ok(out);
    }
    let (client, target) = crate::connect::connect(url).await?;
    let failed = |e: tokio_postgres::Error| Error::Query {
        what: "the analysis of expressions",
        target: target.clone(),
        message: pg_message(&e),
    };
    client
        .batch_execute(&format!(
            "START TRANSACTION READ ONLY; SET LOCAL statement_timeout = '{STATEMENT_TIMEOUT}'"
        ))
        .await
        .map_err(failed)?;
    client
        .batch_execute("SAVEPOINT batch")
        .await
        .map_err(failed)?;
    match explain(&client, &probes).await {
        Some(answers) => out.extend(probes.iter().map(|p| (*p).clone()).zip(answers)),
        None => {
            client
                .batch_execute("ROLLBACK TO SAVEPOINT batch")
                .await
                .map_err(failed)?;
            for p in &probes {
                if let Some(mut a) = explain(&client, &[p]).await {
                    out.insert((*p).clone(), a.remove(0));
                } else {
                    client
                        .batch_execute("ROLLBACK TO SAVEPOINT batch")
                        .await
                        .map_err(failed)?;
                }
            }
        }
    }
    client.batch_execute("ROLLBACK").await.map_err(failed)?;
    Ok(out)
}

/// The statement for `probes`: one scalar subquery per probe, in order.
pub(crate) fn statement(probes: &[&Probe]) -> String {
    let items: Vec<String> = probes
        .iter()
        .map(|p| {
            let expr = match &p.cast {
                Some(ty) => format!("CAST((\n{}\n) AS {ty})", p.expr),
                None => format!("(\n{}\n)", p.expr),
            };
            format!("(SELECT {expr} FROM {} LIMIT 1)", p.table.to_sql())
        })
        .collect();
    format!(
        "EXPLAIN (VERBOSE, COSTS OFF, FORMAT JSON) SELECT {}",
        items.join(", ")
    )
}

/// The analyzed expressions, in probe order; `None` when Postgres refuses the statement or the
/// plan does not have the expected shape.
async fn explain(client: &tokio_postgres::Client, probes: &[&Probe]) -> Option<Vec<String>> {
    let rows = client.query(&statement(probes), &[]).await.ok()?;
    let text: JsonText = rows.first()?.try_get(0).ok()?;
    let answers = outputs(&text.0)?;
    (answers.len() == probes.len()).then_some(answers)
}

/// EXPLAIN's `json` column as text.
struct JsonText(String);

impl<'a> tokio_postgres::types::FromSql<'a> for JsonText {
    fn from_sql(
        _: &tokio_postgres::types::Type,
        raw: &'a [u8],
    ) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(JsonText(std::str::from_utf8(raw)?.to_string()))
    }

    fn accepts(ty: &tokio_postgres::types::Type) -> bool {
        matches!(
            *ty,
            tokio_postgres::types::Type::JSON | tokio_postgres::types::Type::TEXT
        )
    }
}

/// Each InitPlan's output of an EXPLAIN (FORMAT JSON) plan, the table alias Postgres gave the
/// subquery (`p_1.`) removed so both sides of a pair read alike.
pub(crate) fn outputs(json: &str) -> Option<Vec<String>> {
    let plan: serde_json::Value = serde_json::from_str(json).ok()?;
    let subplans = plan.get(0)?.get("Plan")?.get("Plans")?.as_array()?;
    subplans
        .iter()
        .filter(|p| p.get("Parent Relationship").and_then(|r| r.as_str()) == Some("InitPlan"))
        .map(|p| {
            let output = p.get("Output")?.get(0)?.as_str()?;
            let alias = p
                .get("Plans")
                .and_then(|c| c.get(0))
                .and_then(|c| c.get("Alias"))
                .and_then(|a| a.as_str());
            Some(match alias {
                Some(a) => without_qualifier(output, &format!("{}.", ident::quote(a))),
                None => output.to_string(),
            })
        })
        .collect()
}

/// `text` without `qualifier` where it starts a name (not inside another identifier).
fn without_qualifier(text: &str, qualifier: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(qualifier) {
        let before = rest[..at].chars().next_back();
        let inside_name = before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '"');
        out.push_str(&rest[..at]);
        if inside_name {
            out.push_str(qualifier);
        }
        rest = &rest[at + qualifier.len()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use autogen_schema::QualifiedName;

    #[test]
    fn the_statement_wraps_each_expression_on_its_own_lines() {
        let p = |expr: &str, cast: Option<&str>| Probe {
            table: QualifiedName::new("public", "P"),
            expr: expr.into(),
            cast: cast.map(str::to_string),
        };
        let (a, b) = (p("a > 0", None), p("7", Some("text")));
        assert_eq!(
            statement(&[&a, &b]),
            "EXPLAIN (VERBOSE, COSTS OFF, FORMAT JSON) SELECT (SELECT (\na > 0\n) FROM public.\"P\" LIMIT 1), (SELECT CAST((\n7\n) AS text) FROM public.\"P\" LIMIT 1)"
        );
    }

    #[test]
    fn outputs_are_read_per_init_plan_without_the_alias() {
        let json = r#"[{"Plan": {"Node Type": "Result", "Plans": [
            {"Parent Relationship": "InitPlan", "Output": ["(((p.a + 1) * 2) > 4)"],
             "Plans": [{"Alias": "p"}]},
            {"Parent Relationship": "InitPlan", "Output": ["((p_1.a + 2) > 4)"],
             "Plans": [{"Alias": "p_1"}]}]}}]"#;
        assert_eq!(
            outputs(json).unwrap(),
            ["(((a + 1) * 2) > 4)", "((a + 2) > 4)"]
        );
        assert_eq!(outputs("not json"), None);
        assert_eq!(without_qualifier("(p.a + top.b)", "p."), "(a + top.b)");
    }
}
