//! Postgres schemas: an entity in a schema the database lacks makes the plan create it first
//! (`CREATE SCHEMA`); the inverse drops it.

use std::collections::BTreeSet;

use autogen_schema::Schema;

use crate::options::DiffOptions;
use crate::plan::Change;

/// A `CreateSchema` for every compared schema an entity's table or enum lives in that the
/// database lacks.
pub(crate) fn create(desired: &Schema, current: &Schema, opts: &DiffOptions) -> Vec<Change> {
    let used: BTreeSet<String> = desired
        .tables
        .iter()
        .map(|t| t.qualified_name())
        .chain(desired.enums.iter().map(|e| e.qualified_name()))
        .filter(|q| !opts.is_ignored(q))
        .filter(|q| current.missing_schemas.contains(&q.schema))
        .map(|q| q.schema)
        .collect();
    used.into_iter()
        .map(|schema| Change::CreateSchema { schema })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use autogen_schema::{Column, Table, Type};

    #[test]
    fn an_entity_in_a_missing_schema_creates_it_and_down_drops_it() {
        let mut t = Table::new("billing", "invoice");
        t.columns.push(Column::new("id", Type::Integer));
        let desired = Schema {
            tables: vec![t],
            ..Schema::default()
        };
        let current = Schema {
            missing_schemas: vec!["billing".into(), "unused".into()],
            ..Schema::default()
        };
        let plan = crate::diff(&desired, &current, &DiffOptions::default());
        let described: Vec<String> = plan.changes.iter().map(Change::describe).collect();
        assert_eq!(described[0], "create schema billing");
        assert!(described[1].starts_with("create table billing.invoice"));
        let mut after = current.clone();
        for c in &plan.changes {
            crate::apply::apply(&mut after, c).unwrap();
        }
        assert_eq!(after.missing_schemas, ["unused"]);
        for c in &plan.inverse().changes {
            crate::apply::apply(&mut after, c).unwrap();
        }
        assert_eq!(after, current);
        // Postgres refuses a table in a schema that does not exist, and so does replay.
        let mut fresh = current.clone();
        assert!(crate::apply::apply(&mut fresh, &plan.changes[1]).is_err());
    }
}
