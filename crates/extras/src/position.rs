//! Byte offsets → `file:line:col`, and where in the text a syntax error is.
//!
//! libpg_query reports a syntax error's message but (through the `pg_query` crate) not its
//! position, so the position is found by asking the parser again: the shortest prefix of the
//! file, cut at a token end, whose error is not "at end of input" ends with the offending token
//! (a binary search over token ends; the predicate is monotone because a prefix that already
//! holds the error keeps it).

use autogen_schema::Origin;

/// Line starts of one file, for 1-based line and column (in characters) of byte offsets.
pub struct Lines<'a> {
    file: &'a str,
    text: &'a str,
}

impl<'a> Lines<'a> {
    pub fn new(file: &'a str, text: &'a str) -> Self {
        Lines { file, text }
    }

    pub fn text(&self) -> &'a str {
        self.text
    }

    /// The origin of byte `offset` (clamped to the text, moved back to a char boundary).
    pub fn at(&self, offset: usize) -> Origin {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        Origin {
            file: self.file.to_string(),
            line,
            column,
        }
    }

    /// The origin of a libpg_query location (`-1` when unknown: `fallback`).
    pub fn at_location(&self, location: i32, fallback: usize) -> Origin {
        self.at(usize::try_from(location).unwrap_or(fallback))
    }
}

/// The byte offset of the token a syntax error is at (the start of the text when it cannot be
/// found). `text` failed to parse.
pub fn syntax_error_offset(text: &str) -> usize {
    let tokens = match pg_query::scan(text) {
        Ok(scan) => scan.tokens,
        // The scanner itself failed (an unterminated quote or comment): our own tokenizer
        // says where.
        Err(_) => {
            return autogen_schema::sql_lex::tokenize(text)
                .err()
                .map_or(0, |e| e.at);
        }
    };
    let ends: Vec<(usize, usize)> = tokens
        .iter()
        .filter_map(|t| Some((usize::try_from(t.start).ok()?, usize::try_from(t.end).ok()?)))
        .filter(|(_, end)| *end <= text.len() && text.is_char_boundary(*end))
        .collect();
    let fails_inside = |k: usize| match pg_query::parse(&text[..ends[k].1], 0) {
        Ok(_) => false,
        Err(e) => !e.to_string().contains("at end of input"),
    };
    // The first k with fails_inside(k); the whole text fails, so if no prefix does, the error
    // is at its end.
    let (mut lo, mut hi) = (0usize, ends.len());
    while lo < hi {
        let mid = (lo + hi) / 2;
        if fails_inside(mid) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    match ends.get(lo) {
        Some((start, _)) => *start,
        None => text.trim_end().len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns_are_one_based_in_characters() {
        let lines = Lines::new("x.sql", "ab\nçd e\n");
        assert_eq!(lines.at(0).to_string(), "x.sql:1:1");
        assert_eq!(lines.at(3).to_string(), "x.sql:2:1");
        assert_eq!(lines.at(7).to_string(), "x.sql:2:4");
    }

    #[test]
    fn a_syntax_error_is_located_at_its_token() {
        let text = "CREATE INDEX a ON t (x);\nCREATE INDEX b ON t USING (y);\n";
        let at = syntax_error_offset(text);
        assert_eq!(&text[at..at + 1], "(", "{at}");
        let text = "CREATE INDEX a ON t (x);\nCREATE INDEX b ON t (y";
        assert_eq!(syntax_error_offset(text), text.len());
        let text = "CREATE INDEX a ON t (x) WHERE y = 'open;\n";
        assert_eq!(&text[syntax_error_offset(text)..][..1], "'");
    }
}
