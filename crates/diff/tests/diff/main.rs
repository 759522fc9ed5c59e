//! Differ tests: one binary. `cases` are desired/current pairs with the expected plan as text;
//! `property` diffs random model pairs and proves the plans by applying them.

mod build;
mod cases;
mod property;
