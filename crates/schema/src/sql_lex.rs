//! The one SQL tokenizer: splits expression text (defaults, CHECKs, index predicates, `extra`
//! clauses) into tokens as PostgreSQL's lexer does, knowing string literals (`'…'` with `''`,
//! `E'…'` with backslash escapes, `B'…'`, `X'…'`, `N'…'`, `U&'…'`), dollar quotes (`$tag$…$tag$`),
//! quoted identifiers (`"…"` with `""`), comments and operators. Malformed text (an unterminated
//! literal or comment, an unbalanced parenthesis) is an error with its byte offset, never a panic.

use std::fmt;

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A bare word (identifier or keyword), as written.
    Word,
    /// `"…"`, as written (quotes included).
    QuotedIdent,
    /// A string literal of any form, as written (prefix and quotes included).
    String,
    /// `$tag$…$tag$`, as written.
    DollarString,
    /// `42`, `1.5`, `1e10`, `.5`.
    Number,
    /// `$1`.
    Param,
    /// An operator: `+`, `<=`, `||`, `~*`, …
    Operator,
    /// `(`, `)`, `[`, `]`, `,`, `;`, `.`, `::`, `:`.
    Punct,
    /// `-- …` or `/* … */`.
    Comment,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token<'a> {
    pub kind: Kind,
    pub text: &'a str,
    /// Byte offset of the token in the input.
    pub at: usize,
}

impl Token<'_> {
    pub fn is(&self, punct: &str) -> bool {
        matches!(self.kind, Kind::Punct | Kind::Operator) && self.text == punct
    }

    /// A bare word equal to `kw`, ignoring case.
    pub fn is_word(&self, kw: &str) -> bool {
        self.kind == Kind::Word && self.text.eq_ignore_ascii_case(kw)
    }
}

/// Malformed SQL text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LexError {
    /// Byte offset where the problem starts.
    pub at: usize,
    pub message: String,
}

impl fmt::Display for LexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at byte {})", self.message, self.at)
    }
}

impl std::error::Error for LexError {}

fn err<T>(at: usize, message: impl Into<String>) -> Result<T, LexError> {
    Err(LexError {
        at,
        message: message.into(),
    })
}

const OP_CHARS: &str = "+-*/<>=~!@#%^&|`?";

/// Every token of `text`, comments included. Does not check bracket balance (see [`balanced`]).
pub fn tokenize(text: &str) -> Result<Vec<Token<'_>>, LexError> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let start = i;
        let kind = if c.is_ascii_whitespace() {
            i += 1;
            continue;
        } else if c == b'-' && b.get(i + 1) == Some(&b'-') {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
            Kind::Comment
        } else if c == b'/' && b.get(i + 1) == Some(&b'*') {
            i = block_comment(b, i)?;
            Kind::Comment
        } else if c == b'\'' {
            i = quoted(b, i, b'\'', false)?;
            Kind::String
        } else if let Some(prefix) = string_prefix(b, i) {
            let backslash = matches!(b[i], b'e' | b'E');
            i = quoted(b, i + prefix, b'\'', backslash)?;
            Kind::String
        } else if c == b'"' {
            i = quoted(b, i, b'"', false)?;
            Kind::QuotedIdent
        } else if c == b'$' && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
            i += 1;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            Kind::Param
        } else if c == b'$' {
            i = dollar(text, i)?;
            Kind::DollarString
        } else if c.is_ascii_digit() || (c == b'.' && b.get(i + 1).is_some_and(u8::is_ascii_digit))
        {
            i = number(b, i);
            Kind::Number
        } else if c.is_ascii_alphabetic() || c == b'_' || c >= 0x80 {
            while i < b.len()
                && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'$' || b[i] >= 0x80)
            {
                i += 1;
            }
            Kind::Word
        } else if c == b':' && b.get(i + 1) == Some(&b':') {
            i += 2;
            Kind::Punct
        } else if b"()[],;.:".contains(&c) {
            i += 1;
            Kind::Punct
        } else if OP_CHARS.as_bytes().contains(&c) {
            while i < b.len()
                && OP_CHARS.as_bytes().contains(&b[i])
                && !(b[i] == b'-' && b.get(i + 1) == Some(&b'-'))
                && !(b[i] == b'/' && b.get(i + 1) == Some(&b'*'))
            {
                i += 1;
            }
            Kind::Operator
        } else {
            let ch = text[i..].chars().next().unwrap_or('?');
            return err(i, format!("unexpected character `{ch}`"));
        };
        out.push(Token {
            kind,
            text: &text[start..i],
            at: start,
        });
    }
    Ok(out)
}

/// Tokens without comments, with brackets checked: every `(`/`[` closed in order.
pub fn expression_tokens(text: &str) -> Result<Vec<Token<'_>>, LexError> {
    let tokens: Vec<Token<'_>> = tokenize(text)?
        .into_iter()
        .filter(|t| t.kind != Kind::Comment)
        .collect();
    balanced(&tokens)?;
    Ok(tokens)
}

/// Checks that brackets nest and close.
pub fn balanced(tokens: &[Token<'_>]) -> Result<(), LexError> {
    let mut stack: Vec<&Token<'_>> = Vec::new();
    for t in tokens.iter().filter(|t| t.kind == Kind::Punct) {
        match t.text {
            "(" | "[" => stack.push(t),
            ")" | "]" => {
                let open = if t.text == ")" { "(" } else { "[" };
                match stack.pop() {
                    Some(o) if o.text == open => {}
                    Some(o) => return err(o.at, format!("`{}` is closed by `{}`", o.text, t.text)),
                    None => return err(t.at, format!("`{}` without a matching `{open}`", t.text)),
                }
            }
            _ => {}
        }
    }
    match stack.pop() {
        Some(o) => err(o.at, format!("`{}` is never closed", o.text)),
        None => Ok(()),
    }
}

/// One SQL expression that can be embedded as `(<text>)` in a larger statement: it tokenizes,
/// its brackets balance, and it has no `;`, no comment and no top-level `,`.
pub fn single_expression(text: &str) -> Result<(), LexError> {
    let tokens = tokenize(text)?;
    if let Some(c) = tokens.iter().find(|t| t.kind == Kind::Comment) {
        return err(c.at, "a comment inside an expression");
    }
    balanced(&tokens)?;
    if tokens.is_empty() {
        return err(0, "empty expression");
    }
    let mut depth = 0i32;
    for t in &tokens {
        match t.text {
            "(" | "[" if t.kind == Kind::Punct => depth += 1,
            ")" | "]" if t.kind == Kind::Punct => depth -= 1,
            ";" if t.kind == Kind::Punct => return err(t.at, "`;` inside an expression"),
            "," if t.kind == Kind::Punct && depth == 0 => {
                return err(t.at, "`,` outside parentheses: more than one expression");
            }
            _ => {}
        }
    }
    Ok(())
}

/// The length of a string prefix (`E`, `B`, `X`, `N`, `U&`) when a literal starts at `i`.
fn string_prefix(b: &[u8], i: usize) -> Option<usize> {
    let prev_is_word = i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_');
    if prev_is_word {
        return None;
    }
    match (b.get(i), b.get(i + 1), b.get(i + 2)) {
        (Some(b'e' | b'E' | b'b' | b'B' | b'x' | b'X' | b'n' | b'N'), Some(b'\''), _) => Some(1),
        (Some(b'u' | b'U'), Some(b'&'), Some(b'\'')) => Some(2),
        _ => None,
    }
}

/// The end (exclusive) of a literal opened by `q` at `i`; a doubled `q` is an escaped one.
fn quoted(b: &[u8], i: usize, q: u8, backslash: bool) -> Result<usize, LexError> {
    let mut j = i + 1;
    while j < b.len() {
        if backslash && b[j] == b'\\' {
            j += 2;
            continue;
        }
        if b[j] == q {
            if b.get(j + 1) == Some(&q) {
                j += 2;
                continue;
            }
            return Ok(j + 1);
        }
        j += 1;
    }
    let what = if q == b'"' {
        "quoted identifier"
    } else {
        "string literal"
    };
    err(i, format!("unterminated {what}"))
}

fn block_comment(b: &[u8], i: usize) -> Result<usize, LexError> {
    let mut depth = 0;
    let mut j = i;
    while j + 1 < b.len() {
        if b[j] == b'/' && b[j + 1] == b'*' {
            depth += 1;
            j += 2;
        } else if b[j] == b'*' && b[j + 1] == b'/' {
            depth -= 1;
            j += 2;
            if depth == 0 {
                return Ok(j);
            }
        } else {
            j += 1;
        }
    }
    err(i, "unterminated comment")
}

/// `$tag$ … $tag$` (the tag may be empty).
fn dollar(text: &str, i: usize) -> Result<usize, LexError> {
    let b = text.as_bytes();
    let mut j = i + 1;
    while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_' || b[j] >= 0x80) {
        j += 1;
    }
    if b.get(j) != Some(&b'$') {
        return err(
            i,
            "a `$` that starts neither a parameter nor a dollar-quoted string",
        );
    }
    let tag = &text[i..=j];
    match text[j + 1..].find(tag) {
        Some(end) => Ok(j + 1 + end + tag.len()),
        None => err(i, format!("unterminated dollar-quoted string {tag}")),
    }
}

fn number(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.' || b[i] == b'_') {
        // `1..2` is not a number followed by `.`; Postgres has no such syntax anyway.
        i += 1;
    }
    if i < b.len() && matches!(b[i], b'e' | b'E') {
        let sign = matches!(b.get(i + 1), Some(b'+' | b'-'));
        let digit = if sign { i + 2 } else { i + 1 };
        if b.get(digit).is_some_and(u8::is_ascii_digit) {
            i = digit;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
        }
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(Kind, &str)> {
        tokenize(text)
            .unwrap()
            .into_iter()
            .map(|t| (t.kind, t.text))
            .collect()
    }

    #[test]
    fn literals_identifiers_and_quotes() {
        assert_eq!(
            kinds(r#"E'a\'b' || 'it''s' || $x$ ) $x$ || "a""b" || U&'d' ::text"#),
            vec![
                (Kind::String, r"E'a\'b'"),
                (Kind::Operator, "||"),
                (Kind::String, "'it''s'"),
                (Kind::Operator, "||"),
                (Kind::DollarString, "$x$ ) $x$"),
                (Kind::Operator, "||"),
                (Kind::QuotedIdent, r#""a""b""#),
                (Kind::Operator, "||"),
                (Kind::String, "U&'d'"),
                (Kind::Punct, "::"),
                (Kind::Word, "text"),
            ]
        );
        assert_eq!(
            kinds("a-1 -- c\n/* x /* y */ */ 1.5e3"),
            vec![
                (Kind::Word, "a"),
                (Kind::Operator, "-"),
                (Kind::Number, "1"),
                (Kind::Comment, "-- c"),
                (Kind::Comment, "/* x /* y */ */"),
                (Kind::Number, "1.5e3"),
            ]
        );
        assert_eq!(
            kinds("type'x'"),
            vec![(Kind::Word, "type"), (Kind::String, "'x'")]
        );
    }

    #[test]
    fn malformed_text_is_an_error_with_its_offset() {
        let e = |t: &str| expression_tokens(t).unwrap_err().to_string();
        assert_eq!(
            e(r#"a::"int4 > 0"#),
            "unterminated quoted identifier (at byte 3)"
        );
        assert_eq!(e("a = 'x"), "unterminated string literal (at byte 4)");
        assert_eq!(e("(a > 0"), "`(` is never closed (at byte 0)");
        assert_eq!(e("a > 0)"), "`)` without a matching `(` (at byte 5)");
        assert_eq!(e("(a]"), "`(` is closed by `]` (at byte 0)");
        assert_eq!(
            e("$a$ x"),
            "unterminated dollar-quoted string $a$ (at byte 0)"
        );
        assert_eq!(e("a /* x"), "unterminated comment (at byte 2)");
        assert_eq!(e("a \\ b"), "unexpected character `\\` (at byte 2)");
    }

    #[test]
    fn single_expression_refuses_what_could_break_out_of_parentheses() {
        assert!(single_expression("(a + 1) * 2 > f(x, y)").is_ok());
        assert!(single_expression("a) FROM t; SELECT (1").is_err());
        assert!(single_expression("a -- )").is_err());
        assert!(single_expression("1, pg_sleep(1)").is_err());
        assert!(single_expression("1; DROP TABLE t").is_err());
        assert!(single_expression("  ").is_err());
    }
}
