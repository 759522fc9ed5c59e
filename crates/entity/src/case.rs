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

/// heck's `to_upper_camel_case`, without its `fmt` machinery for ASCII text (every field name
/// in practice): the loader calls it for every field, and heck's per-character
/// `to_lowercase` formatting showed up in profiles. Same words, same result; other text goes
/// to heck.
pub(crate) fn upper_camel(s: &str) -> String {
    if !s.is_ascii() {
        return s.to_upper_camel_case();
    }
    let mut out = String::with_capacity(s.len());
    ascii_words(s, |w| {
        let mut cs = w.chars();
        if let Some(first) = cs.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(cs.map(|c| c.to_ascii_lowercase()));
        }
    });
    out
}

/// heck's `to_snake_case`, like [`upper_camel`].
pub(crate) fn snake(s: &str) -> String {
    if !s.is_ascii() {
        return s.to_snake_case();
    }
    let mut out = String::with_capacity(s.len() + 4);
    ascii_words(s, |w| {
        if !out.is_empty() {
            out.push('_');
        }
        out.extend(w.chars().map(|c| c.to_ascii_lowercase()));
    });
    out
}

/// heck's word splitting (`transform`) for ASCII text: words are runs of alphanumerics, split
/// again before an upper-case letter that follows a lower-case one, and before the last of a
/// run of upper-case letters that a lower-case one follows (`HTTPServer` → `HTTP`, `Server`).
fn ascii_words(s: &str, mut word: impl FnMut(&str)) {
    #[derive(Clone, Copy, PartialEq)]
    enum Mode {
        Boundary,
        Lower,
        Upper,
    }
    for w in s.split(|c: char| !c.is_ascii_alphanumeric()) {
        let b = w.as_bytes();
        let mut init = 0;
        let mut mode = Mode::Boundary;
        for i in 0..b.len() {
            let c = b[i];
            let Some(&next) = b.get(i + 1) else {
                word(&w[init..]);
                break;
            };
            let next_mode = if c.is_ascii_lowercase() {
                Mode::Lower
            } else if c.is_ascii_uppercase() {
                Mode::Upper
            } else {
                mode
            };
            if next_mode == Mode::Lower && next.is_ascii_uppercase() {
                word(&w[init..i + 1]);
                init = i + 1;
                mode = Mode::Boundary;
            } else if mode == Mode::Upper && c.is_ascii_uppercase() && next.is_ascii_lowercase() {
                word(&w[init..i]);
                init = i;
                mode = Mode::Boundary;
            } else {
                mode = next_mode;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every string of up to five characters over an alphabet with both cases, a digit and two
    /// separators, plus real names: the fast paths agree with heck.
    #[test]
    fn fast_paths_agree_with_heck() {
        let alphabet = ['a', 'B', 'c', 'D', '1', '_', '-'];
        let mut cases: Vec<String> = [
            "cake_id",
            "CakeId",
            "HTTPServer",
            "r2d2_unit",
            "a__b",
            "_lead",
            "trail_",
            "ID",
            "userID",
            "x1Y2",
            "ABCdef",
            "",
            "__",
            "snake_case_42",
            "Über",
            "naïve_field",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let mut layer = vec![String::new()];
        for _ in 0..5 {
            let mut next = Vec::new();
            for p in &layer {
                for c in alphabet {
                    next.push(format!("{p}{c}"));
                }
            }
            cases.extend(next.iter().cloned());
            layer = next;
        }
        for s in &cases {
            assert_eq!(
                upper_camel(s),
                s.to_upper_camel_case(),
                "upper camel of {s:?}"
            );
            assert_eq!(snake(s), s.to_snake_case(), "snake of {s:?}");
        }
    }
}
