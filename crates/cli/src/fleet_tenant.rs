//! Tenant schemas: the entities without `schema_name` are loaded into a placeholder schema
//! ([`TENANT`]) and placed into each tenant schema in turn ([`place`]); one introspected model
//! covering every tenant is cut into one model per schema ([`split`]). Pure functions.

use std::collections::HashMap;

use autogen_schema::{Schema, Type};

/// The schema the loader gives entities without `schema_name` in a tenant check. Not a name a
/// real schema has (braces need quoting), so it never collides with an entity's own schema.
pub const TENANT: &str = "{tenant}";

/// The entities' model with every reference to [`TENANT`] (tables, foreign keys' referenced
/// schema, user types of columns, enums, sequences, views, domains) renamed to `tenant`.
pub fn place(template: &Schema, tenant: &str) -> Schema {
    let mut s = template.clone();
    let fix = |name: &mut String| {
        if name == TENANT {
            *name = tenant.to_string();
        }
    };
    for t in &mut s.tables {
        fix(&mut t.schema);
        for c in &mut t.columns {
            place_type(&mut c.ty, tenant);
        }
        for fk in &mut t.foreign_keys {
            fix(&mut fk.ref_schema);
        }
    }
    for e in &mut s.enums {
        fix(&mut e.schema);
    }
    for q in &mut s.sequences {
        fix(&mut q.schema);
    }
    for v in &mut s.views {
        fix(&mut v.schema);
    }
    for d in &mut s.domains {
        fix(&mut d.schema);
        place_type(&mut d.base, tenant);
    }
    for m in &mut s.missing_schemas {
        fix(m);
    }
    s
}

fn place_type(ty: &mut Type, tenant: &str) {
    match ty {
        Type::Array { element } => place_type(element, tenant),
        Type::Named { schema, .. } if schema == TENANT => *schema = tenant.to_string(),
        _ => {}
    }
}

/// The part of `schema` in the schemas `keep` says yes to.
pub fn only(schema: &Schema, keep: impl Fn(&str) -> bool) -> Schema {
    Schema {
        // Extensions belong to the database, not to a schema: every unit sees them all.
        extensions: schema.extensions.clone(),
        tables: schema
            .tables
            .iter()
            .filter(|t| keep(&t.schema))
            .cloned()
            .collect(),
        enums: schema
            .enums
            .iter()
            .filter(|e| keep(&e.schema))
            .cloned()
            .collect(),
        sequences: schema
            .sequences
            .iter()
            .filter(|x| keep(&x.schema))
            .cloned()
            .collect(),
        views: schema
            .views
            .iter()
            .filter(|x| keep(&x.schema))
            .cloned()
            .collect(),
        domains: schema
            .domains
            .iter()
            .filter(|x| keep(&x.schema))
            .cloned()
            .collect(),
        missing_schemas: schema
            .missing_schemas
            .iter()
            .filter(|x| keep(x))
            .cloned()
            .collect(),
    }
}

/// One model per schema of `schemas` (an empty one for a schema without objects), taking each
/// object out of `whole` once; objects of other schemas are left out.
pub fn split(whole: Schema, schemas: &[String]) -> HashMap<String, Schema> {
    let mut out: HashMap<String, Schema> = schemas
        .iter()
        .map(|s| (s.clone(), Schema::default()))
        .collect();
    for t in whole.tables {
        if let Some(s) = out.get_mut(&t.schema) {
            s.tables.push(t);
        }
    }
    for e in whole.enums {
        if let Some(s) = out.get_mut(&e.schema) {
            s.enums.push(e);
        }
    }
    for q in whole.sequences {
        if let Some(s) = out.get_mut(&q.schema) {
            s.sequences.push(q);
        }
    }
    for v in whole.views {
        if let Some(s) = out.get_mut(&v.schema) {
            s.views.push(v);
        }
    }
    for d in whole.domains {
        if let Some(s) = out.get_mut(&d.schema) {
            s.domains.push(d);
        }
    }
    out
}

/// The findings about partial models, with [`TENANT`] renamed to `tenant`.
pub fn place_findings(
    findings: &[autogen_entity::Finding],
    tenant: &str,
) -> Vec<autogen_entity::Finding> {
    findings
        .iter()
        .cloned()
        .map(|mut f| {
            if f.table.schema == TENANT {
                f.table.schema = tenant.to_string();
            }
            f
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use autogen_schema::{Column, EnumType, ForeignKey, Schema, Table, Type};

    use super::*;

    fn template() -> Schema {
        let mut users = Table::new(TENANT, "users");
        users
            .columns
            .push(Column::new("id", Type::parse_pg("integer")));
        users.columns.push(Column::new(
            "roles",
            Type::array(Type::named(TENANT, "role")),
        ));
        let mut posts = Table::new(TENANT, "posts");
        posts.foreign_keys.push(ForeignKey::new(
            "fk",
            &["user_id"],
            TENANT,
            "users",
            &["id"],
        ));
        let shared = Table::new("public", "plans");
        Schema {
            tables: vec![users, posts, shared],
            enums: vec![EnumType {
                schema: TENANT.into(),
                name: "role".into(),
                labels: vec!["admin".into()],
                origin: None,
            }],
            ..Default::default()
        }
    }

    #[test]
    fn placing_renames_every_reference_and_leaves_other_schemas() {
        let placed = place(&template(), "tenant_7");
        let text = serde_json::to_string(&placed).unwrap();
        assert!(!text.contains(TENANT), "{text}");
        assert_eq!(placed.tables[0].schema, "tenant_7");
        assert_eq!(
            placed.tables[0].columns[1].ty,
            Type::array(Type::named("tenant_7", "role"))
        );
        assert_eq!(placed.tables[1].foreign_keys[0].ref_schema, "tenant_7");
        assert_eq!(placed.tables[2].schema, "public");
        assert_eq!(placed.enums[0].schema, "tenant_7");
    }

    #[test]
    fn split_gives_every_schema_a_model_even_an_empty_one() {
        let whole = Schema {
            tables: vec![
                Table::new("tenant_1", "users"),
                Table::new("tenant_2", "users"),
                Table::new("tenant_2", "posts"),
                Table::new("public", "plans"),
            ],
            ..Default::default()
        };
        let names = ["tenant_1", "tenant_2", "tenant_3"].map(String::from);
        let parts = split(whole, &names);
        assert_eq!(parts["tenant_1"].tables.len(), 1);
        assert_eq!(parts["tenant_2"].tables.len(), 2);
        assert!(parts["tenant_3"].tables.is_empty());
        assert!(!parts.contains_key("public"));
    }
}
