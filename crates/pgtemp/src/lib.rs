//! Throwaway PostgreSQL: a fresh database per test on a configured server ([`TestDb`]), and an
//! ephemeral cluster started from the local PostgreSQL binaries ([`Cluster`]).
//!
//! [`TestDb`] uses the server named by `DATABASE_URL` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`). When that variable is unset and the default
//! server is unreachable, it falls back to one [`Cluster`] shared by the whole process.
//!
//! **Architecture invariant:** nothing here touches a database it did not create; every database
//! and cluster is dropped on `Drop` (also while a test panics), and a cluster stops itself when
//! the process that started it exits, however it exits.

mod account;
mod binaries;
mod block;
mod cluster;
mod error;
mod testdb;
pub mod url;

pub use cluster::Cluster;
pub use error::Error;
pub use testdb::{DEFAULT_SERVER_URL, TestDb, server_url};
