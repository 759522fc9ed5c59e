//! The blog's migrations. `autogen revision` adds new ones (the `mod` line and the
//! `Box::new(…)` entry) and keeps every other line of this file as it is.

pub use sea_orm_migration::prelude::*;

mod m20250101_000001_create_users;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            // The first migration was written by hand.
            Box::new(m20250101_000001_create_users::Migration),
            // inject-above (new migrations go above this line)
        ]
    }
}
