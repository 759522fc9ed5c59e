//! End-to-end tests of autogen. One test binary (as ripgrep does); one module per area.

/// The entity loader against SeaORM's own SchemaBuilder (zero difference required).
mod oracle;
/// Fixture directories: before.sql + entities → generated migration → up → check → down.
mod roundtrip;
/// The real `autogen` binary: init, revision, check, diff, inspect, errors and exit codes.
mod cli;
/// Adopting autogen on an existing database: only real drift is reported.
mod adopt;
/// Differences once reported as "in sync", and input that once panicked (issue 10).
mod drift;
