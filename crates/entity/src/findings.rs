//! Findings: what the loader has to report about the entities that is not an error in a file,
//! such as partial models over one table that disagree about a column. They never block; the
//! CLI shows them in `check`'s report (text, JSON, GitHub annotations).

use std::fmt;

use autogen_schema::{Origin, QualifiedName};

/// Two entities over one table say different things about one object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub kind: FindingKind,
    pub table: QualifiedName,
    pub subject: Subject,
    /// The declaration the finding is about (for a nullability hazard, the NOT NULL field).
    pub here: Option<Origin>,
    /// The other entity's declaration.
    pub other: Option<Origin>,
    /// One line: what each place says and what autogen does about it.
    pub message: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FindingKind {
    /// A non-`Option` field over a column another entity declares `Option` (so the column is,
    /// or will be, nullable): reading a NULL written through the other entity fails at run time.
    NullabilityHazard,
    /// Two entities state different values of an attribute; the database's value is kept (the
    /// attribute is not compared), or the first entity's for an object the database lacks.
    Disagreement(Attribute),
}

/// The attribute two declarations disagree about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Attribute {
    Type,
    Default,
    Identity,
    Comment,
    /// A primary key, index or foreign key of the same name with another definition.
    Definition,
}

impl Attribute {
    pub fn as_str(self) -> &'static str {
        match self {
            Attribute::Type => "type",
            Attribute::Default => "default",
            Attribute::Identity => "identity",
            Attribute::Comment => "comment",
            Attribute::Definition => "definition",
        }
    }
}

/// What a finding is about, inside its table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Subject {
    Column(String),
    PrimaryKey,
    Index(String),
    ForeignKey(String),
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Subject::Column(c) => write!(f, "column {c}"),
            Subject::PrimaryKey => write!(f, "primary key"),
            Subject::Index(i) => write!(f, "index {i}"),
            Subject::ForeignKey(k) => write!(f, "foreign key {k}"),
        }
    }
}

impl Finding {
    /// `public.users.first_name` for a column, `public.users` (primary key, …) otherwise.
    pub fn object(&self) -> String {
        match &self.subject {
            Subject::Column(c) => format!("{}.{c}", self.table),
            other => format!("{} {other}", self.table),
        }
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(o) = &self.here {
            write!(f, "{o}: ")?;
        }
        write!(f, "warning: {}: {}", self.object(), self.message)
    }
}
