//! The introspector's error type. Every message is one line naming the server and database
//! (`host:port/db`), never a password.

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("invalid database URL `{url}`: {message}")]
    InvalidUrl { url: String, message: String },
    #[error("cannot connect to postgres at {target}: {message}")]
    Connect { target: String, message: String },
    #[error("schema {} does not exist in postgres at {target}", quoted_list(.schemas))]
    SchemaNotFound {
        schemas: Vec<String>,
        target: String,
    },
    #[error(
        "schema \"{schema}\" is a system schema and cannot be introspected (postgres at {target})"
    )]
    SystemSchema { schema: String, target: String },
    #[error("reading {what} from postgres at {target} failed: {message}")]
    Query {
        what: &'static str,
        target: String,
        message: String,
    },
    #[error("measuring {what} in postgres at {target} failed: {message}")]
    Measure {
        what: String,
        target: String,
        message: String,
    },
}

fn quoted_list(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("\"{n}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A one-line message for a tokio-postgres error: the server's own message when there is one,
/// else the innermost cause (`Connection refused (os error 111)`).
pub(crate) fn pg_message(e: &tokio_postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        return db.message().to_string();
    }
    let mut msg = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        msg = s.to_string();
        source = s.source();
    }
    msg.lines().next().unwrap_or_default().to_string()
}
