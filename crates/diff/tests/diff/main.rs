//! Differ tests: one binary. `cases` are desired/current pairs with the expected plan as text;
//! `property` diffs random model pairs and proves the plans by applying them; `scale` runs a
//! 500-table schema.

mod build;
mod cases;
mod property;
mod scale;
