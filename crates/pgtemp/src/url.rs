//! Small helpers over Postgres connection URLs (`postgres://user:pw@host:port/db?params` and the
//! socket form `postgres:///db?host=/dir&port=5432&user=postgres`).

use std::str::FromStr;

use crate::Error;

/// `url` with its database (the path) replaced by `database`; everything else kept verbatim.
pub fn with_database(url: &str, database: &str) -> Result<String, Error> {
    let scheme_end = url
        .find("://")
        .ok_or_else(|| Error::Url(format!("`{}` has no `scheme://`", redact(url))))?
        + 3;
    let rest = &url[scheme_end..];
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let after_authority = &rest[authority_end..];
    let query = after_authority
        .find('?')
        .map(|q| &after_authority[q..])
        .unwrap_or("");
    Ok(format!(
        "{}{}/{}{}",
        &url[..scheme_end],
        &rest[..authority_end],
        encode(database),
        query
    ))
}

/// `host:port/database` (or `/socket/dir:port/database`) for messages; never shows a password.
pub fn describe(url: &str) -> String {
    match tokio_postgres::Config::from_str(url) {
        Ok(config) => describe_config(&config),
        Err(_) => redact(url),
    }
}

/// `host:port/database` of a parsed config.
pub fn describe_config(config: &tokio_postgres::Config) -> String {
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

/// The URL (or `key=value` connection string) with any password replaced by `***`.
pub fn redact(url: &str) -> String {
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else {
        // key=value form: hide `password=…`.
        return url
            .split_whitespace()
            .map(|kv| {
                if kv.starts_with("password=") {
                    "password=***"
                } else {
                    kv
                }
            })
            .collect::<Vec<_>>()
            .join(" ");
    };
    let rest = &url[scheme_end..];
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let mut out = match authority.rfind('@') {
        Some(at) => {
            let userinfo = &authority[..at];
            let user = userinfo.split(':').next().unwrap_or_default();
            let masked = if userinfo.contains(':') {
                format!("{user}:***")
            } else {
                user.into()
            };
            format!("{}{}{}", &url[..scheme_end], masked, &authority[at..])
        }
        None => format!("{}{}", &url[..scheme_end], authority),
    };
    let tail = &rest[authority_end..];
    let (path, query) = tail.split_once('?').unwrap_or((tail, ""));
    out.push_str(path);
    if !query.is_empty() {
        // A `password=` query parameter is masked too.
        let params: Vec<&str> = query
            .split('&')
            .map(|p| {
                if p.starts_with("password=") {
                    "password=***"
                } else {
                    p
                }
            })
            .collect();
        out.push('?');
        out.push_str(&params.join("&"));
    }
    out
}

/// Percent-encodes the characters that cannot appear raw in a URL path segment.
fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_database() {
        let cases = [
            (
                "postgres://postgres@127.0.0.1:5432/postgres",
                "postgres://postgres@127.0.0.1:5432/t1",
            ),
            (
                "postgres://u:p@h/db?sslmode=disable",
                "postgres://u:p@h/t1?sslmode=disable",
            ),
            ("postgres://h:5", "postgres://h:5/t1"),
            (
                "postgres:///postgres?host=/tmp/x&port=5&user=postgres",
                "postgres:///t1?host=/tmp/x&port=5&user=postgres",
            ),
        ];
        for (input, want) in cases {
            assert_eq!(with_database(input, "t1").unwrap(), want, "{input}");
        }
        assert!(with_database("nonsense", "t1").is_err());
    }

    #[test]
    fn describes_without_password() {
        assert_eq!(
            describe("postgres://u:secret@db.example:6000/app"),
            "db.example:6000/app"
        );
        assert_eq!(
            describe("postgres:///x?host=/tmp/s&port=7&user=postgres"),
            "/tmp/s:7/x"
        );
        assert_eq!(redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(
            redact("postgres://h/db?user=u&password=secret"),
            "postgres://h/db?user=u&password=***"
        );
    }
}
