//! End-to-end tests of autogen. One test binary (as ripgrep does); one module per area.

/// Adopting autogen on an existing database: only real drift is reported.
mod adopt;
/// The real `autogen` binary: init, revision, check, diff, inspect, errors and exit codes.
mod cli;
/// The entity loader against SeaORM's own SchemaBuilder (zero difference required).
mod oracle;
/// Fixture directories: before.sql + entities → generated migration → up → check → down.
mod roundtrip;
/// Types the entities do not state: Rust type families, non-integer keys, unresolved types.
mod type_families;
