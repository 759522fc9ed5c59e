//! See tests/tests.rs.
