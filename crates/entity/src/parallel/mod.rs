//! The loader on all cores. syn's trees cannot leave the thread that parsed them (proc-macro2's
//! fallback types are neither `Send` nor `Sync`, and a span's line and column live in that
//! thread's source map), so the threads exchange only what is free of syn:
//!
//! 1. [`tree`]: worker threads read the files and return per file a [`split::Summary`] (its
//!    modules' [`Scope`](crate::resolve::Scope)s, their `mod` children, a syntax error as a
//!    [`Diagnostic`](crate::Diagnostic)), made from tokens by `scan` (over `lex`), or from
//!    syn's tree (dropped on the worker) where `scan` is not sure. Files are asked for breadth
//!    first, in batches, as their parents' summaries arrive. The coordinator then walks the
//!    module tree exactly as [`module_tree::build`](crate::module_tree::build) does, from the
//!    summaries, so module ids, `reached` and the diagnostics are the sequential builder's.
//! 2. [`entities`]: the modules are split into contiguous ranges, one per worker; a worker
//!    parses its files again from the text phase 1 read (a few modules at a time, so that only
//!    those trees are alive), checking each against its summary,
//!    and the files of other modules that name resolution points into (kept for the rest of
//!    its range: the shared type files), and reads the entities with a resolver over the
//!    shared scopes. Entity definitions are `Send` (positions as line and column).
//! 3. [`lowering`]: the entities are lowered to tables on the workers, in contiguous ranges;
//!    the coordinator registers the native enum types in entity order while it merges the
//!    diagnostics, then merges partial models as before.
//!
//! The sequential path stays the reference and the fallback: a file with an item-position
//! macro (`macro_rules!` expansion follows textual order), a file phase 2 reads differently
//! from phase 1 (a syntax error only syn finds), and a type path left unresolved when there
//! are dependency crates to look in, are loaded sequentially.

pub(crate) mod entities;
mod lex;
pub(crate) mod lowering;
mod scan;
pub(crate) mod split;
pub(crate) mod tree;

use std::path::Path;

/// What reading one file gave.
pub(crate) enum ReadOutcome {
    Text(String),
    /// No such file (not an error: `mod x;` looks for `x.rs`, then `x/mod.rs`).
    Missing,
    /// Another IO error, reported as `cannot read file`.
    Failed(String),
}

/// Reads files from any thread.
pub(crate) type ReadFn<'a> = &'a (dyn Fn(&Path) -> ReadOutcome + Sync);

/// Worker threads: one per core (at least one, at most 8).
pub(crate) fn workers() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 8)
}
