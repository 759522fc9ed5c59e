//! The differ: `(desired, current, options) → Plan`.
//!
//! **Architecture invariant:** pure; no IO; never panics on any pair of valid models. Every
//! [`Change`] carries what its inverse needs, so `plan.inverse()` is the exact down plan.

pub mod plan;

pub use plan::{Change, Plan};
