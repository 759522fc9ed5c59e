//! A lexer just fine enough for [`super::scan`]: identifiers (with their line and column),
//! punctuation, delimited groups; literals, lifetimes and comments are skipped, doc comments
//! become the `#[..]` / `#![..]` they stand for (as proc-macro2 lexes them). ASCII identifiers
//! only: anything it is not sure of gives `None` (the file is then parsed by syn).

/// A token and the byte range of its text.
pub(crate) struct Tok {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
}

pub(crate) enum Kind {
    /// An identifier or keyword (`r#x` included) on 1-based `line`, which starts at byte
    /// `line_start` (see [`Tok::column`]).
    Ident {
        line: usize,
        line_start: usize,
    },
    /// `joint`: another punctuation character follows directly.
    Punct {
        ch: char,
        joint: bool,
    },
    /// `(`, `[` or `{`.
    Group {
        open: char,
        toks: Vec<Tok>,
    },
    Literal,
}

impl Tok {
    pub fn text<'a>(&self, src: &'a str) -> &'a str {
        &src[self.start..self.end]
    }

    /// 1-based (line, column in characters) of an identifier, as `diagnostics::position`
    /// gives them for its span.
    pub fn position(&self, src: &str) -> Option<(usize, usize)> {
        match self.kind {
            Kind::Ident { line, line_start } => {
                Some((line, src[line_start..self.start].chars().count() + 1))
            }
            _ => None,
        }
    }
}

struct Lexer<'a> {
    src: &'a str,
    bytes: &'a [u8],
    pos: usize,
    line: usize,
    /// Byte offset where the current line starts.
    line_start: usize,
}

pub(crate) fn lex(src: &str) -> Option<Vec<Tok>> {
    let mut l = Lexer {
        src,
        bytes: src.as_bytes(),
        pos: 0,
        line: 1,
        line_start: 0,
    };
    let toks = l.seq(None)?;
    Some(toks)
}

const PUNCT: &[u8] = b"~!@#$%^&*-=+|;:,<.>/?";

impl Lexer<'_> {
    fn peek(&self, k: usize) -> Option<u8> {
        self.bytes.get(self.pos + k).copied()
    }

    fn newline_at(&mut self, i: usize) {
        self.line += 1;
        self.line_start = i + 1;
    }

    /// Advances over `n` bytes, counting lines.
    fn bump(&mut self, n: usize) {
        let end = (self.pos + n).min(self.bytes.len());
        for i in self.pos..end {
            if self.bytes[i] == b'\n' {
                self.newline_at(i);
            }
        }
        self.pos = end;
    }

    /// Tokens up to the closing delimiter `close` (or the end of the text for `None`).
    fn seq(&mut self, close: Option<u8>) -> Option<Vec<Tok>> {
        let mut out = Vec::new();
        loop {
            self.skip_space()?;
            let Some(c) = self.peek(0) else {
                return if close.is_none() { Some(out) } else { None };
            };
            let start = self.pos;
            match c {
                b')' | b']' | b'}' => {
                    return if Some(c) == close {
                        self.pos += 1;
                        Some(out)
                    } else {
                        None
                    };
                }
                b'(' | b'[' | b'{' => {
                    self.pos += 1;
                    let want = match c {
                        b'(' => b')',
                        b'[' => b']',
                        _ => b'}',
                    };
                    let toks = self.seq(Some(want))?;
                    out.push(Tok {
                        kind: Kind::Group {
                            open: c as char,
                            toks,
                        },
                        start,
                        end: self.pos,
                    });
                }
                b'/' if self.peek(1) == Some(b'/') || self.peek(1) == Some(b'*') => {
                    // A doc comment (`skip_space` left it): an attribute.
                    let inner = self.peek(2) == Some(b'!');
                    self.comment()?;
                    out.push(Tok {
                        kind: Kind::Punct {
                            ch: '#',
                            joint: inner,
                        },
                        start,
                        end: self.pos,
                    });
                    if inner {
                        out.push(Tok {
                            kind: Kind::Punct {
                                ch: '!',
                                joint: false,
                            },
                            start,
                            end: self.pos,
                        });
                    }
                    out.push(Tok {
                        kind: Kind::Group {
                            open: '[',
                            toks: Vec::new(),
                        },
                        start,
                        end: self.pos,
                    });
                }
                b'"' => {
                    self.string(usize::MAX)?;
                    self.suffix();
                    out.push(self.literal(start));
                }
                b'\'' => {
                    if self.peek(1) == Some(b'\\') || self.char_closes() {
                        self.char_lit()?;
                        self.suffix();
                        out.push(self.literal(start));
                    } else {
                        // A lifetime or label: `'` joint with the identifier after it.
                        self.pos += 1;
                        out.push(Tok {
                            kind: Kind::Punct {
                                ch: '\'',
                                joint: true,
                            },
                            start,
                            end: self.pos,
                        });
                    }
                }
                b'0'..=b'9' => {
                    while self
                        .peek(0)
                        .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
                    {
                        // `1..2` and `x.0.1` are not split: neither matters here.
                        self.pos += 1;
                    }
                    out.push(self.literal(start));
                }
                b'a'..=b'z' | b'A'..=b'Z' | b'_' => {
                    if self.prefixed_literal()?.is_some() {
                        self.suffix();
                        out.push(self.literal(start));
                        continue;
                    }
                    let (line, line_start) = (self.line, self.line_start);
                    if c == b'r' && self.peek(1) == Some(b'#') {
                        self.pos += 2;
                    }
                    let id_start = self.pos;
                    while self
                        .peek(0)
                        .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_')
                    {
                        self.pos += 1;
                    }
                    if self.pos == id_start {
                        return None;
                    }
                    out.push(Tok {
                        kind: Kind::Ident { line, line_start },
                        start,
                        end: self.pos,
                    });
                }
                _ if PUNCT.contains(&c) => {
                    self.pos += 1;
                    let joint = self
                        .peek(0)
                        .is_some_and(|b| PUNCT.contains(&b) || b == b'\'');
                    out.push(Tok {
                        kind: Kind::Punct {
                            ch: c as char,
                            joint,
                        },
                        start,
                        end: self.pos,
                    });
                }
                _ => return None,
            }
        }
    }

    fn literal(&self, start: usize) -> Tok {
        Tok {
            kind: Kind::Literal,
            start,
            end: self.pos,
        }
    }

    /// Whitespace and plain comments; stops before a doc comment.
    fn skip_space(&mut self) -> Option<()> {
        loop {
            match self.peek(0) {
                Some(b'\n') => {
                    self.newline_at(self.pos);
                    self.pos += 1;
                }
                Some(b' ' | b'\t' | b'\r') => self.pos += 1,
                Some(b'/') if self.peek(1) == Some(b'/') => {
                    let doc = match (self.peek(2), self.peek(3)) {
                        (Some(b'/'), Some(b'/')) => false,
                        (Some(b'/'), _) | (Some(b'!'), _) => true,
                        _ => false,
                    };
                    if doc {
                        return Some(());
                    }
                    self.comment()?;
                }
                Some(b'/') if self.peek(1) == Some(b'*') => {
                    let doc = match (self.peek(2), self.peek(3)) {
                        (Some(b'*'), Some(b'*' | b'/')) => false,
                        (Some(b'*'), _) | (Some(b'!'), _) => true,
                        _ => false,
                    };
                    if doc {
                        return Some(());
                    }
                    self.comment()?;
                }
                Some(b) if b.is_ascii() => return Some(()),
                Some(_) => return None,
                None => return Some(()),
            }
        }
    }

    /// A `//` or (nested) `/* */` comment.
    fn comment(&mut self) -> Option<()> {
        if self.peek(1) == Some(b'/') {
            let rest = &self.bytes[self.pos..];
            let n = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
            self.pos += n;
            return Some(());
        }
        self.pos += 2;
        let mut depth = 1;
        while depth > 0 {
            match (self.peek(0)?, self.peek(1)) {
                (b'/', Some(b'*')) => {
                    depth += 1;
                    self.pos += 2;
                }
                (b'*', Some(b'/')) => {
                    depth -= 1;
                    self.pos += 2;
                }
                (b'\n', _) => {
                    self.newline_at(self.pos);
                    self.pos += 1;
                }
                _ => self.pos += 1,
            }
        }
        Some(())
    }

    /// `"…"` from the opening quote (`hashes`: of a raw string, which has no escapes).
    fn string(&mut self, hashes: usize) -> Option<()> {
        self.pos += 1;
        loop {
            match self.peek(0)? {
                b'\\' if hashes == usize::MAX => self.bump(2),
                b'"' => {
                    let n = if hashes == usize::MAX { 0 } else { hashes };
                    if (1..=n).all(|k| self.peek(k) == Some(b'#')) {
                        self.pos += 1 + n;
                        return Some(());
                    }
                    self.pos += 1;
                }
                _ => self.bump(1),
            }
        }
    }

    /// Whether `'` at the cursor opens a character literal (`'x'`) rather than a lifetime.
    fn char_closes(&self) -> bool {
        let rest = &self.src[self.pos + 1..];
        let mut chars = rest.chars();
        matches!((chars.next(), chars.next()), (Some(_), Some('\'')))
    }

    fn char_lit(&mut self) -> Option<()> {
        self.pos += 1;
        loop {
            match self.peek(0)? {
                b'\\' => self.pos += 2,
                b'\'' => {
                    self.pos += 1;
                    return Some(());
                }
                b'\n' => return None,
                _ => self.pos += 1,
            }
        }
    }

    /// An identifier-like suffix after a literal (`"a"suffix`, `1u8`).
    fn suffix(&mut self) {
        while self
            .peek(0)
            .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_')
        {
            self.pos += 1;
        }
    }

    /// `b"…"`, `b'…'`, `br"…"`, `r"…"`, `r#"…"#`, `c"…"`, `cr"…"`: `Some(Some(()))` when one
    /// was read, `Some(None)` when the cursor is at an identifier.
    fn prefixed_literal(&mut self) -> Option<Option<()>> {
        let b0 = self.peek(0);
        let (skip, raw) = match (b0, self.peek(1), self.peek(2)) {
            (Some(b'b' | b'c'), Some(b'r'), Some(b'"' | b'#')) => (2, true),
            (Some(b'r'), Some(b'"'), _) => (1, true),
            (Some(b'r'), Some(b'#'), _) => {
                // `r#"…"#` (a raw string) or `r#ident`.
                let mut k = 1;
                while self.peek(k) == Some(b'#') {
                    k += 1;
                }
                if self.peek(k) == Some(b'"') {
                    (1, true)
                } else {
                    return Some(None);
                }
            }
            (Some(b'b' | b'c'), Some(b'"'), _) => (1, false),
            (Some(b'b'), Some(b'\''), _) => {
                self.pos += 1;
                self.char_lit()?;
                return Some(Some(()));
            }
            _ => return Some(None),
        };
        self.pos += skip;
        if raw {
            let mut hashes = 0;
            while self.peek(0) == Some(b'#') {
                hashes += 1;
                self.pos += 1;
            }
            if self.peek(0) != Some(b'"') {
                return None;
            }
            self.string(hashes)?;
        } else {
            self.string(usize::MAX)?;
        }
        Some(Some(()))
    }
}
