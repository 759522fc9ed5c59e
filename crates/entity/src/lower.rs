//! [`EntityDef`]s → schema tables, as SeaORM 2.0.4's `Schema::create_table_from_entity`,
//! `create_index_from_entity` and `create_enum_from_entity` build them (`src/schema/entity.rs`):
//! primary keys (inline `{table}_pkey` or composite `pk-{table}`), identity for auto-increment,
//! `unique` inline constraints, `indexed` / `unique_key` indexes, foreign keys from `belongs_to`
//! relations, and native enum types.

use std::collections::{BTreeMap, HashMap};

use autogen_schema::{
    EnumType, ForeignKey, Identity, IdentityGeneration, Index, Origin, PrimaryKey, Schema,
    SequenceOptions, Table, Type, TypeSource, equality, naming,
};

use crate::column_type::ColType;
use crate::ctx::Ctx;
use crate::defaults;
use crate::diagnostics::Pos;
use crate::entity_def::{ColumnDef, EntityDef};
use crate::extra;
use crate::module_tree::ModId;
use crate::resolve::Res;

/// SeaORM's own bookkeeping table: never a user entity.
const MIGRATIONS_TABLE: &str = "seaql_migrations";

/// Lowers the entities `include` accepts; the others still serve as relation targets.
pub(crate) fn lower(
    ctx: &mut Ctx<'_>,
    entities: &[EntityDef],
    include: &dyn Fn(&EntityDef) -> bool,
) -> Schema {
    let mut tables = Vec::with_capacity(entities.len());
    let mut enums: BTreeMap<String, EnumType> = BTreeMap::new();
    let by_module = by_module(entities);
    for e in entities.iter().filter(|e| lowered(e) && include(e)) {
        tables.push(lower_entity(
            ctx,
            e,
            &by_module,
            &mut Enums::Now(&mut enums),
        ));
    }
    finish(ctx, tables, enums)
}

/// The entity of each module (the first, where a module declares several), as relation
/// targets.
pub(crate) fn by_module(entities: &[EntityDef]) -> HashMap<ModId, &EntityDef> {
    entities.iter().rev().map(|e| (e.module, e)).collect()
}

/// Whether an entity becomes a table (SeaORM's bookkeeping table does not).
pub(crate) fn lowered(e: &EntityDef) -> bool {
    e.table != MIGRATIONS_TABLE
}

/// The schema of the lowered `tables` (partial models merged) and native enum types.
pub(crate) fn finish(
    ctx: &mut Ctx<'_>,
    tables: Vec<Table>,
    enums: BTreeMap<String, EnumType>,
) -> Schema {
    let mut schema = Schema {
        tables: crate::merge::merge(tables, &mut ctx.sink),
        enums: enums.into_values().collect(),
        ..Schema::default()
    };
    name_enum_types(&mut schema);
    schema.normalize();
    schema
}

/// Where lowering puts the native enum types its columns use.
pub(crate) enum Enums<'a> {
    /// Into the registry, reporting what disagrees with it.
    Now(&'a mut BTreeMap<String, EnumType>),
    /// Recorded, to be registered later in entity order ([`register_enum`]): lowering on
    /// several threads (`parallel::lowering`).
    Later(&'a mut Vec<EnumUse>),
}

/// A column's use of a native enum type, recorded while lowering on a worker thread.
pub(crate) struct EnumUse {
    /// How many diagnostics the worker had reported before it.
    pub at: usize,
    pub module: ModId,
    pub span: Pos,
    pub name: String,
    pub labels: Vec<String>,
}

/// An ActiveEnum has no schema of its own: SeaORM creates the type, and writes it in column
/// definitions, unqualified, so it lands where the migration's search path puts it. The loader
/// predicts the default schema (SeaORM's SchemaBuilder on a default search path; the oracle
/// proves it). Against a database, an enum the default schema lacks that the database has, by
/// name and labels-agnostic, in the one schema where all the tables using it live, is that
/// enum (`schema_name = "app"` entities over `app.state`, made by migrations that set the
/// search path): it and its columns are moved there before the comparison.
pub fn place_unqualified_enums(desired: &mut Schema, current: &Schema) {
    fn base(ty: &mut Type) -> &mut Type {
        match ty {
            Type::Array { element } => base(element),
            other => other,
        }
    }
    for i in 0..desired.enums.len() {
        let (from, name) = (
            desired.enums[i].schema.clone(),
            desired.enums[i].name.clone(),
        );
        if current.enum_type(&from, &name).is_some() {
            continue;
        }
        let mut users = std::collections::BTreeSet::new();
        for t in &mut desired.tables {
            for c in &mut t.columns {
                if matches!(base(&mut c.ty), Type::Named { schema: s, name: n } if *s == from && *n == name)
                {
                    users.insert(t.schema.clone());
                }
            }
        }
        let Some(only) = users.iter().next().filter(|_| users.len() == 1).cloned() else {
            continue;
        };
        if only == from || current.enum_type(&only, &name).is_none() {
            continue;
        }
        for t in &mut desired.tables {
            for c in &mut t.columns {
                if let Type::Named { schema: s, name: n } = base(&mut c.ty)
                    && *s == from
                    && *n == name
                {
                    *s = only.clone();
                }
            }
        }
        desired.enums[i].schema = only;
    }
    desired.normalize();
}

/// `custom("mood")` or a `[types]` entry naming an enum the entities declare is that enum.
fn name_enum_types(schema: &mut Schema) {
    fn fix(ty: &mut Type, enums: &[EnumType]) {
        match ty {
            Type::Array { element } => fix(element, enums),
            Type::Other { sql } => {
                if let Some(e) = enums.iter().find(|e| e.name == *sql) {
                    *ty = Type::named(&e.schema, &e.name);
                }
            }
            _ => {}
        }
    }
    for t in &mut schema.tables {
        for c in t
            .columns
            .iter_mut()
            .filter(|c| !c.type_source.is_unresolved())
        {
            fix(&mut c.ty, &schema.enums);
        }
    }
}

fn origin(ctx: &Ctx<'_>, m: ModId, pos: Pos) -> Origin {
    Origin {
        file: ctx.file(m).display().to_string(),
        line: pos.line,
        column: pos.column,
    }
}

pub(crate) fn lower_entity(
    ctx: &mut Ctx<'_>,
    e: &EntityDef,
    all: &HashMap<ModId, &EntityDef>,
    enums: &mut Enums<'_>,
) -> Table {
    let file = ctx.file(e.module);
    let default_schema = ctx.opts.default_schema.clone();
    let mut t = Table::new(
        e.schema.clone().unwrap_or_else(|| default_schema.clone()),
        &e.table,
    );
    t.comment = e.comment.clone();
    // One spelling of the file for the table and its columns.
    let origin_file = ctx.file(e.module).display().to_string();
    let at = |pos: Pos| Origin {
        file: origin_file.clone(),
        line: pos.line,
        column: pos.column,
    };
    t.origin = Some(at(e.span));
    // Exact sizes: over thousands of tables, doubling growth's slack is a tenth of the peak.
    t.columns.reserve_exact(e.columns.len());
    let mut unique_keys: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for c in &e.columns {
        let Some(col_type) = &c.ty else { continue };
        let (ty, type_source) = if let Some((written, why)) = col_type.unresolved() {
            report_unresolved(ctx, e, c, written, why);
            let source = TypeSource::Unresolved {
                rust_type: written.to_string(),
            };
            let sql = written.to_string();
            (Type::Other { sql }, source)
        } else {
            register_enums(ctx, e.module, c.span, col_type, enums);
            match col_type.to_pg(&default_schema) {
                Ok(ty) => {
                    let family = col_type.family().filter(|_| c.rust_only);
                    let source =
                        family.map_or(TypeSource::Stated, |family| TypeSource::Rust { family });
                    (ty, source)
                }
                Err(msg) => {
                    ctx.sink.error(
                        file,
                        c.span,
                        format!("column `{}.{}`: {msg}", e.table, c.name),
                    );
                    continue;
                }
            }
        };
        let unresolved = type_source.is_unresolved();
        let is_pk = e.primary_key.contains(&c.variant);
        let mut col = autogen_schema::Column::new(&c.name, ty.clone());
        col.type_source = type_source;
        col.nullable = c.nullable && !is_pk;
        if is_pk && e.auto_increment && !unresolved {
            if col_type.identity_capable() {
                col.identity = Some(Identity {
                    generation: IdentityGeneration::ByDefault,
                    options: SequenceOptions::default(),
                });
            } else if ty.is_integer() {
                // SeaORM's SchemaBuilder cannot create this key, but projects whose tables come
                // from hand-written migrations (a `serial` over a `u32` field) use it at run
                // time: predict the auto-increment column such a migration makes, and say so.
                col.identity = Some(Identity {
                    generation: IdentityGeneration::ByDefault,
                    options: SequenceOptions::default(),
                });
                ctx.sink.warning_help(
                    file,
                    c.span,
                    format!(
                        "SeaORM cannot create `{}` ({ty}, ColumnType::{}) as an auto-increment key on Postgres (sea-query panics); autogen assumes an auto-increment {ty} column",
                        c.name,
                        column_type_name(col_type)
                    ),
                    "use i16/i32/i64 for a key SeaORM can create, or add #[sea_orm(auto_increment = false)]",
                );
            } else if e.auto_increment_stated {
                // A non-integer key (uuid, text) cannot be auto-increment; when SeaORM's own
                // default says it is (`pub id: Id` with `type Id = Uuid`), the key is plain, as
                // the hand-written migration that made the table has it. Only a written
                // `auto_increment = true` is worth a word.
                ctx.sink.warning_help(
                    file,
                    c.span,
                    format!(
                        "`{}` ({ty}) cannot be auto-increment on Postgres (SeaORM's SchemaBuilder panics on it); autogen predicts a plain key",
                        c.name
                    ),
                    "remove auto_increment = true, or use i16/i32/i64",
                );
            }
        }
        let default = c.default.as_ref().and_then(|d| ctx.parse_default(d));
        if let Some(msg) = default.as_deref().and_then(defaults::malformed_sql) {
            ctx.sink.error(file, c.span, msg);
        } else if let Some(spec) = default.as_ref().filter(|_| !unresolved) {
            match defaults::lower(spec, &ty) {
                Ok(d) => col.default = d,
                Err(msg) => ctx.sink.warning(
                    file,
                    c.span,
                    format!("cannot predict the default Postgres stores for `{}`: {msg}; the column's default is not compared", c.name),
                ),
            }
        }
        col.comment = c.comment.clone();
        col.renamed_from = c.renamed_from.clone();
        col.origin = Some(at(c.span));
        // Postgres drops an inline UNIQUE whose columns are the primary key's (one index
        // serves both), so `#[sea_orm(primary_key, unique)]` makes only `{table}_pkey`.
        if c.unique && !(is_pk && e.primary_key.len() == 1) {
            t.indexes.push(unique_constraint(&e.table, &c.name));
        }
        if c.indexed && !c.unique {
            t.indexes.push(Index::on_columns(
                naming::index(&e.table, &c.name),
                &[c.name.as_str()],
                false,
            ));
        }
        if let Some(k) = &c.unique_key {
            unique_keys
                .entry(k.clone())
                .or_default()
                .push(c.name.clone());
        }
        if let Some(x) = &c.extra {
            col.extra = Some(x.clone());
            match extra::apply(x, &e.table, &mut col, &mut t) {
                Ok(Some(w)) => ctx.sink.warning(file, c.span, w),
                Ok(None) => {}
                Err(msg) => ctx.sink.error(file, c.span, msg),
            }
        }
        t.columns.push(col);
    }
    for (k, cols) in unique_keys {
        let refs: Vec<&str> = cols.iter().map(String::as_str).collect();
        t.indexes.push(Index::on_columns(
            naming::unique_key(&e.table, &k),
            &refs,
            true,
        ));
    }
    let pk_cols: Vec<String> = e
        .primary_key
        .iter()
        .filter_map(|v| e.column_by_variant(v).map(|c| c.name.clone()))
        .collect();
    match pk_cols.len() {
        0 => ctx.sink.error_help(
            file,
            e.span,
            format!("entity `{}` has no primary key", e.table),
            "mark the key field(s) with #[sea_orm(primary_key)]",
        ),
        1 => {
            t.primary_key = Some(PrimaryKey {
                name: naming::inline_primary_key(&e.table),
                columns: pk_cols,
            })
        }
        _ => {
            t.primary_key = Some(PrimaryKey {
                name: naming::composite_primary_key(&e.table),
                columns: pk_cols,
            })
        }
    }
    for rel in &e.relations {
        if rel.skip_fk {
            continue;
        }
        let Some(fk) = foreign_key(ctx, e, rel, all) else {
            continue;
        };
        match t.foreign_keys.iter().find(|f| f.name == fk.name) {
            // Two relations to the same target (e.g. two entities over one table) make one FK.
            Some(same) if equality::foreign_keys_equal(same, &fk) => {}
            Some(_) => ctx.sink.error_help(
                file,
                rel.span,
                format!(
                    "two relations of `{}` make different foreign keys named `{}`",
                    e.table, fk.name
                ),
                "give one of them its own fk_name",
            ),
            None => t.foreign_keys.push(fk),
        }
    }
    t.indexes.shrink_to_fit();
    t.foreign_keys.shrink_to_fit();
    t
}

/// A field whose Rust type cannot be resolved: a warning at the field with the `[types]` line
/// that fixes it (the column is still compared, without its type), or an error under strict
/// types.
fn report_unresolved(ctx: &mut Ctx<'_>, e: &EntityDef, c: &ColumnDef, written: &str, why: &str) {
    let file = ctx.file(e.module);
    let fix = format!("declare it in autogen.toml, e.g. [types] \"{written}\" = \"text\"");
    let default = if c.default.is_some() {
        " or default"
    } else {
        ""
    };
    if ctx.opts.strict_types {
        ctx.sink.error_help(
            file,
            c.span,
            format!(
                "cannot resolve the column type of `{}.{}` (`{written}`): it {why}",
                e.table, c.name
            ),
            fix,
        );
    } else {
        ctx.sink.warning_help(
            file,
            c.span,
            format!(
                "cannot resolve the column type of `{}.{}` (`{written}`): it {why}; the column's type{default} is not compared, and a migration cannot add the column",
                e.table, c.name
            ),
            fix,
        );
    }
}

/// An inline `UNIQUE`: Postgres names the constraint `{table}_{column}_key`.
fn unique_constraint(table: &str, column: &str) -> Index {
    let mut i = Index::on_columns(naming::inline_unique(table, column), &[column], true);
    i.constraint = true;
    i
}

pub(crate) fn inline_unique(table: &str, column: &str) -> Index {
    unique_constraint(table, column)
}

fn register_enums(ctx: &mut Ctx<'_>, m: ModId, span: Pos, t: &ColType, enums: &mut Enums<'_>) {
    match t {
        ColType::Array(inner) => register_enums(ctx, m, span, inner, enums),
        ColType::Enum { name, variants } => match enums {
            Enums::Now(registry) => register_enum(ctx, m, span, name, variants, registry),
            Enums::Later(uses) => uses.push(EnumUse {
                at: ctx.sink.items.len(),
                module: m,
                span,
                name: name.clone(),
                labels: variants.clone(),
            }),
        },
        _ => {}
    }
}

/// Registers native enum type `name` (used by a column of module `m` at `span`), reporting
/// labels that disagree with its first use, and an upper-case name once.
pub(crate) fn register_enum(
    ctx: &mut Ctx<'_>,
    m: ModId,
    span: Pos,
    name: &String,
    variants: &Vec<String>,
    enums: &mut BTreeMap<String, EnumType>,
) {
    let schema = ctx.opts.default_schema.clone();
    if let Some(existing) = enums.get(name) {
        if existing.labels != *variants {
            let first = existing
                .origin
                .as_ref()
                .map(|o| o.to_string())
                .unwrap_or_default();
            ctx.sink.error_help(
                ctx.file(m),
                span,
                format!(
                    "enum type `{name}` is declared with labels {:?} here and {:?} at {first}",
                    variants, existing.labels
                ),
                "give the two ActiveEnums different enum_name values, or the same labels",
            );
        }
        return;
    }
    if name.chars().any(|c| c.is_ascii_uppercase()) {
        ctx.sink.warning(
            ctx.file(m),
            span,
            format!("enum name `{name}` has upper case letters: SeaORM creates type \"{name}\" but writes the column type unquoted (Postgres reads `{}`)", name.to_lowercase()),
        );
    }
    let origin = Some(origin(ctx, m, span));
    enums.insert(
        name.clone(),
        EnumType {
            schema,
            name: name.clone(),
            labels: variants.clone(),
            origin,
        },
    );
}

fn foreign_key(
    ctx: &mut Ctx<'_>,
    e: &EntityDef,
    rel: &crate::entity_def::RelationDef,
    all: &HashMap<ModId, &EntityDef>,
) -> Option<ForeignKey> {
    let file = ctx.file(e.module);
    let written = &rel.target_written;
    let target_mod = match ctx.res.resolve(e.module, &rel.target) {
        // `super::cake::Entity` is made by the derive, so it is missing from the source; a
        // missing module on the way (`crate::nowhere::Entity`) is not that entity's module.
        Res::Missing { module, rest, .. } if rest.is_empty() => Some(module),
        Res::Item { module, .. } => Some(module),
        _ => None,
    };
    let Some(target) = target_mod.and_then(|m| all.get(&m).copied()) else {
        ctx.sink.error_help(
            file,
            rel.span,
            format!("relation to unknown entity `{written}`"),
            "point belongs_to at an entity module, e.g. \"super::cake::Entity\" (an entity of another crate needs that crate in --entities too)",
        );
        return None;
    };
    let names = |ent: &EntityDef, vars: &[String], ctx: &mut Ctx<'_>| -> Option<Vec<String>> {
        let mut out = Vec::new();
        for v in vars {
            match ent.column_by_variant(v) {
                Some(c) => out.push(c.name.clone()),
                None => {
                    ctx.sink.error(
                        file,
                        rel.span,
                        format!("entity `{}` has no column `Column::{v}`", ent.table),
                    );
                    return None;
                }
            }
        }
        Some(out)
    };
    let from = names(e, &rel.from, ctx)?;
    let to = names(target, &rel.to, ctx)?;
    if from.len() != to.len() {
        ctx.sink.error(
            file,
            rel.span,
            format!(
                "relation `{written}`: {} from column(s) but {} to column(s)",
                from.len(),
                to.len()
            ),
        );
        return None;
    }
    let refs: Vec<&str> = from.iter().map(String::as_str).collect();
    Some(ForeignKey {
        name: match &rel.fk_name {
            Some(n) => naming::truncate_identifier(n),
            None => naming::foreign_key(&e.table, &refs),
        },
        columns: from,
        ref_schema: target
            .schema
            .clone()
            .unwrap_or_else(|| ctx.opts.default_schema.clone()),
        ref_table: target.table.clone(),
        ref_columns: to,
        on_delete: rel.on_delete.unwrap_or_default(),
        on_update: rel.on_update.unwrap_or_default(),
        match_type: Default::default(),
        deferrable: false,
        initially_deferred: false,
        actions_stated: autogen_schema::ActionsStated {
            on_delete: rel.on_delete.is_some(),
            on_update: rel.on_update.is_some(),
        },
        not_valid: false,
    })
}

/// `Unsigned`, `String`, `Custom`: the `ColumnType` variant, which tells why a `u32` key that
/// Postgres would store as `bigint` still cannot be an identity.
fn column_type_name(t: &ColType) -> String {
    let debug = format!("{t:?}");
    debug
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or_default()
        .to_string()
}

#[cfg(test)]
mod enum_schema_tests {
    use std::path::PathBuf;

    use autogen_schema::Type;

    const STATE: &str = r#"
use sea_orm::entity::prelude::*;
#[derive(Clone, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "Enum", enum_name = "state")]
pub enum State {
    #[sea_orm(string_value = "open")]
    Open,
}
"#;

    fn entity(schema: &str, table: &str) -> String {
        format!(
            r#"
use sea_orm::entity::prelude::*;
use crate::state::State;
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(schema_name = "{schema}", table_name = "{table}")]
pub struct Model {{
    #[sea_orm(primary_key)]
    pub id: i32,
    pub state: State,
    pub history: Vec<State>,
}}
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {{}}
impl ActiveModelBehavior for ActiveModel {{}}
"#
        )
    }

    fn load(files: &[(&str, String)]) -> autogen_schema::Schema {
        let files: Vec<(PathBuf, String)> = files
            .iter()
            .map(|(p, t)| (PathBuf::from(p), t.clone()))
            .collect();
        let loaded = crate::load_sources(&files, &crate::LoadOptions::default());
        assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
        loaded.schema
    }

    /// The database, as a migration that set the search path made it: `app.state`.
    fn current_with(schema: &str) -> autogen_schema::Schema {
        autogen_schema::Schema {
            enums: vec![autogen_schema::EnumType {
                schema: schema.into(),
                name: "state".into(),
                labels: vec!["open".into()],
                origin: None,
            }],
            ..Default::default()
        }
    }

    #[test]
    fn an_enum_used_only_from_one_other_schema_is_found_there() {
        let mut s = load(&[
            ("src/lib.rs", "mod state;\nmod task;\n".into()),
            ("src/state.rs", STATE.into()),
            ("src/task.rs", entity("app", "task")),
        ]);
        // What SeaORM creates on a default search path: the default schema.
        assert_eq!(s.enums[0].schema, "public");
        // A database with public.state keeps it there.
        let mut kept = s.clone();
        super::place_unqualified_enums(&mut kept, &current_with("public"));
        assert_eq!(kept.enums[0].schema, "public");
        super::place_unqualified_enums(&mut s, &current_with("app"));
        assert_eq!(s.enums[0].schema, "app");
        let t = &s.tables[0];
        assert_eq!(t.column("state").unwrap().ty, Type::named("app", "state"));
        assert_eq!(
            t.column("history").unwrap().ty,
            Type::Array {
                element: Box::new(Type::named("app", "state"))
            }
        );
    }

    #[test]
    fn an_enum_used_from_several_schemas_stays_in_the_default_one() {
        let mut s = load(&[
            ("src/lib.rs", "mod state;\nmod task;\nmod job;\n".into()),
            ("src/state.rs", STATE.into()),
            ("src/task.rs", entity("app", "task")),
            ("src/job.rs", entity("public", "job")),
        ]);
        super::place_unqualified_enums(&mut s, &current_with("app"));
        assert_eq!(s.enums[0].schema, "public");
    }
}
