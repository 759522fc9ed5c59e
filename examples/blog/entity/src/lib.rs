//! The blog's SeaORM entities (compact format, as `sea-orm-cli generate entity` writes them).

pub mod comments;
pub mod post_tags;
pub mod posts;
pub mod sea_orm_active_enums;
pub mod tags;
pub mod users;
