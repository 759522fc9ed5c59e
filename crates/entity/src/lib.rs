//! SeaORM 2.0 entity source files → the autogen schema model.
//!
//! [`load`] reads crates or directories of entity files; [`load_sources`] does the same for
//! in-memory files (tests, fuzzing, benchmarks). Both follow the module tree as rustc does,
//! read the compact, dense and expanded entity formats, and predict exactly the schema SeaORM
//! 2.0.4's `SchemaBuilder` creates on Postgres (types, identity, names of keys and indexes,
//! foreign keys, native enums).
//!
//! **Architecture invariant:** loading never panics. It returns a schema plus diagnostics with
//! file:line:col; a file that cannot be parsed is an error naming it, and the others are still
//! read.
//!
//! Code map, in pipeline order:
//! - `sources`: where files come from (file system or memory); a module directory inside a
//!   crate is read through the crate's root so that `crate::` paths resolve.
//! - `module_tree`: rustc's module tree (`mod`, `#[path]`, inline modules); unreached files.
//! - `macros`: item-position `macro_rules!` invocations expanded while the tree is built (a
//!   matcher over syn fragments with repetitions, and a transcriber), so macro-made newtypes,
//!   enums, aliases and entity modules are read as if written out; see docs/type-mapping.md.
//! - `resolve`: paths in the type namespace (`use`, globs, `super`/`crate`/`self`, and the names
//!   of the other crates loaded together).
//! - `dep_crates`: types from dependency crates ([`Crates`]), read lazily along the paths that
//!   need them.
//! - `formats::{compact, dense, expanded}` (with `attrs`, `case`): modules → `entity_def`s.
//! - `types`, `active_enum`, `column_type`: field types → SeaORM `ColumnType` → Postgres type.
//!   A field without `column_type` records its Rust type's family (`TypeSource::Rust`), so an
//!   existing column is compared by what the type reads and writes; a type that cannot be
//!   resolved is a warning (an error under `strict_types`) and the column keeps
//!   `TypeSource::Unresolved`. A non-integer key SeaORM's macro defaults to auto-increment
//!   (`pub id: Id` with `type Id = Uuid`) is a plain key: SeaORM's SchemaBuilder would panic
//!   on it, so such tables come from hand-written migrations (docs/type-mapping.md).
//! - `lower` (with `defaults`, `extra`): entity defs → tables, keys, indexes, foreign keys,
//!   enums, exactly as SeaORM's `SchemaBuilder` creates them; `merge`: partial models
//!   (disagreements become `findings`, settled against the database by
//!   [`settle_disagreements`]).
//! - `parallel`: the same pipeline on one worker thread per core (`tree`: the module tree
//!   from per-file summaries that `scan`/`lex` read without syn; `entities`: entity
//!   definitions read on workers from re-parsed files; `lowering`: tables made on workers,
//!   native enum types registered in entity order on the calling thread). Only
//!   syn-free data crosses threads. The sequential path above is the reference and the
//!   fallback (item-position macros, dependency crates, a file phase 2 reads differently).

mod active_enum;
mod attrs;
mod case;
mod column_type;
mod ctx;
mod defaults;
mod dep_crates;
mod diagnostics;
mod entity_def;
mod extra;
mod findings;
mod formats;
mod lower;
mod macros;
mod merge;
mod module_tree;
mod parallel;
mod resolve;
mod sources;
mod types;

use std::collections::BTreeMap;
use std::path::PathBuf;

pub use dep_crates::Crates;
pub use diagnostics::{Diagnostic, Severity};
pub use findings::{Attribute, Finding, FindingKind, Subject};
pub use lower::place_unqualified_enums;
pub use merge::settle_disagreements;

/// How to load entities.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadOptions {
    /// The schema of entities without `schema_name`, and of native enum types.
    pub default_schema: String,
    /// Rust type path or name → SQL type text (`[types]` in autogen.toml), for types the loader
    /// cannot resolve (e.g. newtypes made by a proc macro or a dependency's macro).
    pub type_overrides: BTreeMap<String, String>,
    /// A field type the loader cannot resolve is an error (strict types), not a warning that
    /// leaves the column's type uncompared.
    pub strict_types: bool,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            default_schema: "public".into(),
            type_overrides: BTreeMap::new(),
            strict_types: false,
        }
    }
}

/// The desired schema and what the loader has to say about it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Loaded {
    pub schema: autogen_schema::Schema,
    pub diagnostics: Vec<Diagnostic>,
    /// Partial models that disagree: warnings that never block; see [`settle_disagreements`].
    pub findings: Vec<Finding>,
}

impl Loaded {
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }
}

/// Loads every entity reachable from `roots`. A root is a crate directory (with `Cargo.toml`),
/// a `src` directory, a `lib.rs` / `main.rs` / `mod.rs` file, or a plain directory of `.rs`
/// files.
pub fn load(roots: &[PathBuf], opts: &LoadOptions) -> Loaded {
    load_with_crates(roots, opts, &mut Crates::default)
}

/// [`load`], also resolving field types through other crates: workspace members and
/// dependencies whose source is on disk. `find_crates` is called at most once, and only when some
/// type path is not resolved by the loaded crates alone; a dependency crate is then read lazily,
/// only the modules along the paths that need it. Its entities are not loaded as tables.
pub fn load_with_crates(
    roots: &[PathBuf],
    opts: &LoadOptions,
    find_crates: &mut dyn FnMut() -> Crates,
) -> Loaded {
    guard(|| sources::load_fs(roots, opts, find_crates, parallel::workers()))
}

/// Loads entities from in-memory files (`path`, `text`); no IO. Crate roots are the `lib.rs`
/// (else `main.rs`) files, else the top-most `mod.rs` files, else each top-most directory as a
/// plain directory of files.
pub fn load_sources(files: &[(PathBuf, String)], opts: &LoadOptions) -> Loaded {
    guard(|| sources::load_memory(files, opts, parallel::workers()))
}

/// Turns an unexpected panic into an error diagnostic, so that a loader bug never takes the
/// CLI down with it. Tests call the inner functions directly so that panics stay visible.
fn guard(f: impl FnOnce() -> Loaded) -> Loaded {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(l) => l,
        Err(_) => Loaded {
            schema: Default::default(),
            diagnostics: vec![Diagnostic {
                severity: Severity::Error,
                file: PathBuf::new(),
                line: 1,
                column: 1,
                message: "internal error in the entity loader (please report it)".into(),
                help: None,
            }],
            findings: Vec::new(),
        },
    }
}

#[doc(hidden)]
/// [`load_sources`] without the panic guard, for the fuzz test.
pub fn load_sources_unguarded(files: &[(PathBuf, String)], opts: &LoadOptions) -> Loaded {
    sources::load_memory(files, opts, parallel::workers())
}

#[doc(hidden)]
/// [`load_sources`] without the panic guard on `workers` threads (0: the sequential loader),
/// for the test that both loaders agree.
pub fn load_sources_with_workers(
    files: &[(PathBuf, String)],
    opts: &LoadOptions,
    workers: usize,
) -> Loaded {
    sources::load_memory(files, opts, workers)
}

#[doc(hidden)]
/// Whether the last load on this thread was done by the parallel loader (not the sequential
/// one it falls back to), for tests.
pub fn last_load_was_parallel() -> bool {
    sources::last_load_was_parallel()
}

#[doc(hidden)]
/// [`load`] without the panic guard on `workers` threads (0: the sequential loader), for the
/// test that both loaders agree.
pub fn load_with_workers(roots: &[PathBuf], opts: &LoadOptions, workers: usize) -> Loaded {
    sources::load_fs(roots, opts, &mut Crates::default, workers)
}
