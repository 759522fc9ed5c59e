//! Connecting from a URL, with errors that name `host:port/database` and never the password.

use std::str::FromStr;
use std::time::Duration;

use crate::error::{Error, pg_message};

/// Used when the URL sets no `connect_timeout`, so an unreachable host fails instead of hanging.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Connects and spawns the connection task on the current tokio runtime.
pub(crate) async fn connect(url: &str) -> Result<(tokio_postgres::Client, String), Error> {
    let mut config = tokio_postgres::Config::from_str(url).map_err(|e| Error::InvalidUrl {
        url: redact(url),
        message: pg_message(&e),
    })?;
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(CONNECT_TIMEOUT);
    }
    let target = describe(&config);
    let (client, connection) =
        config
            .connect(tokio_postgres::NoTls)
            .await
            .map_err(|e| Error::Connect {
                target: target.clone(),
                message: pg_message(&e),
            })?;
    tokio::spawn(async move {
        let _ = connection.await;
    });
    Ok((client, target))
}

/// `host:port/database` (a socket directory stands in for the host).
pub(crate) fn describe(config: &tokio_postgres::Config) -> String {
    let host = match config.get_hosts().first() {
        Some(tokio_postgres::config::Host::Tcp(h)) => h.clone(),
        #[cfg(unix)]
        Some(tokio_postgres::config::Host::Unix(p)) => p.display().to_string(),
        None => "localhost".to_string(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let user = config.get_user().unwrap_or("postgres");
    let db = config.get_dbname().unwrap_or(user);
    format!("{host}:{port}/{db}")
}

/// The URL without its password (for the one error that shows the URL: a malformed one).
fn redact(url: &str) -> String {
    let Some(start) = url.find("://").map(|i| i + 3) else {
        return "<unparsable>".into();
    };
    let rest = &url[start..];
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let shown = match (authority.rfind('@'), authority.find(':')) {
        (Some(at), Some(colon)) if colon < at => {
            format!("{}:***{}", &authority[..colon], &authority[at..])
        }
        _ => authority.to_string(),
    };
    let tail = &rest[end..];
    let tail = match tail.find("password=") {
        Some(p) => format!("{}password=***", &tail[..p]),
        None => tail.to_string(),
    };
    format!("{}{}{}", &url[..start], shown, tail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_never_show_passwords() {
        let config =
            tokio_postgres::Config::from_str("postgres://u:s3cret@db.host:6000/app").unwrap();
        assert_eq!(describe(&config), "db.host:6000/app");
        assert_eq!(redact("postgres://u:s3cret@h/db"), "postgres://u:***@h/db");
        assert_eq!(
            redact("postgres://h/db?password=s3cret"),
            "postgres://h/db?password=***"
        );
    }
}
