//! The crate's error type.

/// Everything that can go wrong while creating or dropping throwaway Postgres objects.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(
        "cannot find the PostgreSQL binary `{name}` on PATH or under /usr/lib/postgresql/*/bin; install PostgreSQL or set DATABASE_URL"
    )]
    BinaryNotFound { name: String },
    #[error(
        "running as root, but no unprivileged account `{user}` exists to run PostgreSQL as; create it or set DATABASE_URL"
    )]
    NoUnprivilegedUser { user: String },
    #[error("{action}: {source}")]
    Io {
        action: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{command} failed ({status}): {output}")]
    Command {
        command: String,
        status: String,
        output: String,
    },
    #[error(
        "postgres in {dir} did not become ready within {seconds} s; server log tail:\n{log_tail}"
    )]
    StartTimeout {
        dir: String,
        seconds: u64,
        log_tail: String,
    },
    #[error("postgres in {dir} exited during startup ({status}); server log tail:\n{log_tail}")]
    StartFailed {
        dir: String,
        status: String,
        log_tail: String,
    },
    #[error("cannot connect to postgres at {target}: {message}")]
    Connect { target: String, message: String },
    #[error("{statement} on {target} failed: {message}")]
    Sql {
        target: String,
        statement: String,
        message: String,
    },
    #[error("invalid database URL: {0}")]
    Url(String),
    #[error("the helper thread for {0} panicked")]
    Thread(String),
}

impl Error {
    pub(crate) fn io(action: impl Into<String>) -> impl FnOnce(std::io::Error) -> Error {
        let action = action.into();
        move |source| Error::Io { action, source }
    }
}

/// A one-line message for a tokio-postgres error: the server's message when there is one, else
/// the innermost cause.
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
