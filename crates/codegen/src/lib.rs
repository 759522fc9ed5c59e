//! Code generation: a [`Plan`] → a sea-orm-migration Rust file, plain SQL, and the edit that
//! registers a new migration in a migration crate's `lib.rs`; the pull-request report
//! ([`markdown`]) and entity-relationship diagrams ([`diagram`]: Mermaid, Graphviz).
//!
//! **Architecture invariant:** pure and deterministic. Nothing here reads a clock, a file or the
//! network; the same plan and options give the same bytes.
//!
//! The migration file uses sea-query builders wherever sea-query 1.0 can say the change and falls
//! back to `execute_unprepared` raw SQL, preceded by a comment saying why, where it cannot. A
//! change that cannot be expressed safely is still rendered, with a `// TODO(review)` comment and
//! an entry in [`Rendered::warnings`]; never silently wrong SQL.

mod builder;
pub mod diagram;
mod format;
pub mod lower;
pub mod markdown;
mod migration;
mod module_name;
mod names;
mod register;
mod split;
mod sql;
mod text;

#[cfg(test)]
mod tests;

use autogen_diff::Plan;

pub use lower::{Online, Step, Stmt, lower, lower_in, lower_with};
pub use module_name::migration_module_name;
pub use register::{RegisterError, register_migration};
pub use split::split;

/// What the migration file says about itself.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MigrationOptions {
    /// The revision message, e.g. `add posts`.
    pub message: String,
    /// Header text saying when the file was generated; passed in, codegen reads no clock.
    pub generated_at: String,
    /// The model the plan starts from (the introspected database): each step's lock / rewrite
    /// classification in the header is made against it. Empty: classified without a database.
    pub current: autogen_schema::Schema,
    /// The online-safe plan (`--online`): CONCURRENTLY, NOT VALID + VALIDATE, timeouts.
    pub online: Option<Online>,
}

/// Generated text plus the things a human must look at.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rendered {
    pub source: String,
    /// One entry per `// TODO(review)` comment in `source`.
    pub warnings: Vec<String>,
}

/// The sea-orm-migration file for `plan`: `up()` applies it, `down()` applies `plan.inverse()`.
pub fn migration_rs(plan: &Plan, opts: &MigrationOptions) -> Rendered {
    migration::render(plan, opts)
}

/// The plan as plain SQL statements, each ending with `;`. The down SQL is
/// `sql(&plan.inverse())`. A statement sea-query can say is printed as sea-query prints it, so
/// this is exactly what the migration file's `up()` sends.
pub fn sql(plan: &Plan) -> String {
    sql_with(plan, None)
}

/// [`sql`], online-safe when `online` is given (the session settings first, then the online
/// forms). The down SQL is `sql_with(&plan.inverse(), online)`.
pub fn sql_with(plan: &Plan, online: Option<&Online>) -> String {
    let steps = lower_with(plan, &autogen_schema::Schema::default(), online);
    sql::render_plan(&lower::with_session(steps, online))
}

/// Every statement `sql(plan)` prints (and the migration file runs), in order, without `;`.
pub fn statements(plan: &Plan) -> Vec<String> {
    statements_with(plan, None)
}

/// Every statement `sql_with(plan, online)` prints, in order, without `;`.
pub fn statements_with(plan: &Plan, online: Option<&Online>) -> Vec<String> {
    let steps = lower_with(plan, &autogen_schema::Schema::default(), online);
    lower::with_session(steps, online)
        .iter()
        .flat_map(|s| s.statements.iter().map(Stmt::sql))
        .collect()
}
