//! Diagnostics: what the loader tells the user, each with file:line:col and, where it helps, what
//! to do about it.

use std::fmt;
use std::path::{Path, PathBuf};

use proc_macro2::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    Note,
}

impl Severity {
    fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub file: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column (in characters).
    pub column: usize,
    pub message: String,
    pub help: Option<String>,
}

impl Diagnostic {
    /// A diagnostic at the start of `span` in `file`.
    pub fn at(severity: Severity, file: &Path, span: Span, message: impl Into<String>) -> Self {
        let (line, column) = position(span);
        Diagnostic {
            severity,
            file: file.to_path_buf(),
            line,
            column,
            message: message.into(),
            help: None,
        }
    }

    /// A diagnostic about a whole file (line 1, column 1).
    pub fn file(severity: Severity, file: &Path, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            file: file.to_path_buf(),
            line: 1,
            column: 1,
            message: message.into(),
            help: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}: {}",
            self.file.display(),
            self.line,
            self.column,
            self.severity.as_str(),
            self.message
        )?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// 1-based (line, column) of a span's start. Spans from `syn::parse_str` of an attribute's string
/// value point into that string, so callers use the literal's own span for those.
pub fn position(span: Span) -> (usize, usize) {
    let start = span.start();
    (start.line.max(1), start.column + 1)
}

/// A 1-based (line, column) position, taken from a span where it was made: unlike a span it
/// can leave the thread that parsed the file (the parallel loader, `sources::parallel`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Pos {
    pub line: usize,
    pub column: usize,
}

impl From<Span> for Pos {
    fn from(span: Span) -> Self {
        let (line, column) = position(span);
        Pos { line, column }
    }
}

impl Diagnostic {
    /// A diagnostic at `pos` in `file`.
    pub(crate) fn at_pos(
        severity: Severity,
        file: &Path,
        pos: impl Into<Pos>,
        message: impl Into<String>,
    ) -> Self {
        let pos = pos.into();
        Diagnostic {
            severity,
            file: file.to_path_buf(),
            line: pos.line,
            column: pos.column,
            message: message.into(),
            help: None,
        }
    }
}

/// Collects diagnostics while loading.
#[derive(Default, Debug)]
pub(crate) struct Sink {
    pub items: Vec<Diagnostic>,
    /// Partial models that disagree ([`crate::merge`]).
    pub findings: Vec<crate::Finding>,
    /// Per diagnostic in `items`: the value types being lowered when it was pushed (see
    /// [`crate::ctx::Ctx::value_types`]); the parallel loader drops a worker's diagnostics of
    /// a value type an earlier worker already lowered, as one thread reports them once.
    pub under: Vec<Vec<(usize, usize)>>,
    /// The value types being lowered now, innermost last.
    pub lowering: Vec<(usize, usize)>,
}

impl Sink {
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
        self.under.push(self.lowering.clone());
    }

    pub fn error(&mut self, file: &Path, span: impl Into<Pos>, message: impl Into<String>) {
        self.push(Diagnostic::at_pos(Severity::Error, file, span, message));
    }

    pub fn error_help(
        &mut self,
        file: &Path,
        span: impl Into<Pos>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.push(Diagnostic::at_pos(Severity::Error, file, span, message).with_help(help));
    }

    pub fn warning(&mut self, file: &Path, span: impl Into<Pos>, message: impl Into<String>) {
        self.push(Diagnostic::at_pos(Severity::Warning, file, span, message));
    }

    pub fn warning_help(
        &mut self,
        file: &Path,
        span: impl Into<Pos>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.push(Diagnostic::at_pos(Severity::Warning, file, span, message).with_help(help));
    }
}
