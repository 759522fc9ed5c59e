//! SeaORM's `rename_all` case styles (sea-orm-macros `case_style.rs`), applied with heck as the
//! macros do.

use heck::{
    ToKebabCase, ToLowerCamelCase, ToShoutySnakeCase, ToSnakeCase, ToTitleCase, ToUpperCamelCase,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CaseStyle {
    Pascal,
    Camel,
    Snake,
    Kebab,
    ScreamingKebab,
    ShoutySnake,
    Title,
    Mixed,
    Lower,
    Upper,
}

/// The accepted spellings, exactly as sea-orm-macros accepts them.
pub(crate) fn parse(text: &str) -> Option<CaseStyle> {
    Some(match text {
        "camel_case" | "PascalCase" => CaseStyle::Pascal,
        "camelCase" => CaseStyle::Camel,
        "snake_case" | "snek_case" => CaseStyle::Snake,
        "kebab_case" | "kebab-case" => CaseStyle::Kebab,
        "SCREAMING-KEBAB-CASE" => CaseStyle::ScreamingKebab,
        "shouty_snake_case" | "shouty_snek_case" | "SCREAMING_SNAKE_CASE" => CaseStyle::ShoutySnake,
        "title_case" => CaseStyle::Title,
        "mixed_case" => CaseStyle::Mixed,
        "lowercase" => CaseStyle::Lower,
        "UPPERCASE" => CaseStyle::Upper,
        _ => return None,
    })
}

pub(crate) fn convert(s: &str, style: CaseStyle) -> String {
    match style {
        CaseStyle::Pascal => s.to_upper_camel_case(),
        CaseStyle::Kebab => s.to_kebab_case(),
        CaseStyle::Mixed => s.to_lower_camel_case(),
        CaseStyle::ShoutySnake => s.to_shouty_snake_case(),
        CaseStyle::Snake => s.to_snake_case(),
        CaseStyle::Title => s.to_title_case(),
        CaseStyle::Upper => s.to_uppercase(),
        CaseStyle::Lower => s.to_lowercase(),
        CaseStyle::ScreamingKebab => s.to_kebab_case().to_uppercase(),
        CaseStyle::Camel => {
            let pascal = s.to_upper_camel_case();
            let mut it = pascal.chars();
            match it.next() {
                Some(first) => first.to_lowercase().chain(it).collect(),
                None => String::new(),
            }
        }
    }
}

pub(crate) const VALID: &str = "camelCase, PascalCase, snake_case, kebab-case, SCREAMING_SNAKE_CASE, SCREAMING-KEBAB-CASE, title_case, mixed_case, lowercase, UPPERCASE";
