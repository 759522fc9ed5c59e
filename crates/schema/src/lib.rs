//! The normalized PostgreSQL schema model: the one seam between every autogen crate.
//!
//! Both the live database (`autogen-introspect`) and the SeaORM entity files (`autogen-entity`)
//! lower into [`Schema`]; the differ compares two of them; nothing downstream knows where a
//! schema came from.
//!
//! **Architecture invariant:** this crate does no IO and cannot fail on IO. Equality rules that
//! say when two differently spelled objects mean the same thing live in [`equality`] and nowhere
//! else; SeaORM's naming conventions live in [`naming`].

pub mod analysis;
pub mod default_expr;
pub mod equality;
pub mod ident;
pub mod model;
pub mod naming;
pub mod render;
pub mod sql_lex;
pub mod types;

pub use model::*;
pub use types::Type;
