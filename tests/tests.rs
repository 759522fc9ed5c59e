//! End-to-end tests of autogen. One test binary (as ripgrep does); one module per area.

/// Adopting autogen on an existing database: only real drift is reported.
mod adopt;
/// The real `autogen` binary: init, revision, check, diff, inspect, errors and exit codes.
mod cli;
/// Differences once reported as "in sync", and input that once panicked (issue 10).
mod drift;
/// Several databases and tenant schemas in one grouped report; revision refusing a fleet.
mod fleet;
/// Free text (comments, labels, defaults, names) rendered into SQL and Rust never escapes.
mod hostile_text;
/// `inspect` without `--schema`: public plus every schema an entity names.
mod inspect_schemas;
/// `autogen lint` on hand-written migrations, `--deny` on lint and revision.
mod lint;
/// The online plan against a concurrent writer on a 200,000-row table (issue 11).
mod online_writer;
/// The entity loader against SeaORM's own SchemaBuilder (zero difference required).
mod oracle;
/// Partial models that disagree, unstated foreign key actions, quiet clean runs.
mod partial;
/// `--quiet` with an ephemeral cluster: nothing on stderr.
mod quiet_ephemeral;
/// Random schema pairs: before → up SQL → check clean → down SQL → the before catalog.
mod random_roundtrip;
/// The pull-request report and diagrams of the blog example (`--format markdown|mermaid|dot`).
mod report;
/// Fixture directories: before.sql + entities → generated migration → up → check → down.
mod roundtrip;
/// Data-aware hazards counted in a real database (exact counts, catalog fallback).
mod safety;
/// Shared by the modules above: fixture databases, the binary's run as a transcript.
mod support;
/// Terminal behaviour: `--color`, `NO_COLOR`, `--quiet`.
mod terminal;
/// Types the entities do not state: Rust type families, non-integer keys, unresolved types.
mod type_families;
