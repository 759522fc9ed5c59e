//! What several end-to-end test modules share: a fixture's database, and the real binary's run
//! as one transcript (exit code, stdout, stderr) for snapshots.

use std::path::{Path, PathBuf};
use std::process::Command;

use autogen_pgtemp::TestDb;

/// `fixtures/<name>` in this checkout.
pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

/// A recursive copy of `from` into `to`, leaving out any `target` directory (build output).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_name() == "target" {
            continue;
        }
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

/// A new test database with the fixture's `schema.sql` applied.
pub fn fixture_db(name: &str) -> TestDb {
    let db = TestDb::new().expect("a test database");
    let sql = std::fs::read_to_string(fixture(name).join("schema.sql")).unwrap();
    db.batch_execute(&sql).expect("schema.sql applies");
    db
}

/// `autogen ARGS` in `dir` with no `DATABASE_URL` from the environment: the exit code (-1 for a
/// signal), stdout and stderr.
pub fn autogen(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_autogen"))
        .args(args)
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .output()
        .expect("autogen runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `autogen ARGS --database-url URL` in `dir` with no `DATABASE_URL` from the environment:
/// `exit N`, then stdout and stderr, with each `(from, to)` of `replace` applied so snapshots do
/// not depend on where the checkout or the temp dir is.
pub fn transcript(dir: &Path, db: &TestDb, args: &[&str], replace: &[(&Path, &str)]) -> String {
    let args: Vec<&str> = args
        .iter()
        .copied()
        .chain(["--database-url", db.url()])
        .collect();
    let (code, stdout, stderr) = autogen(dir, &args);
    let mut text = format!("exit {code}\n--- stdout\n{stdout}--- stderr\n{stderr}");
    for (from, to) in replace {
        text = text.replace(&from.display().to_string(), to);
    }
    text
}

/// Runs a rendered SQL script the way a user does: the whole file through `psql`, which sends
/// each statement on its own (autocommit) and stops at the first error.
pub fn run_sql_script(url: &str, sql: &str) -> Result<(), String> {
    let mut file = tempfile::NamedTempFile::new().map_err(|e| format!("temp file: {e}"))?;
    std::io::Write::write_all(&mut file, sql.as_bytes()).map_err(|e| format!("{e}"))?;
    let out = Command::new("psql")
        .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "--dbname", url, "-f"])
        .arg(file.path())
        .output()
        .map_err(|e| format!("running psql: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).trim().to_string())
    }
}

/// `pg_dump --schema-only` of the database, without the per-run `\\restrict` key lines.
pub fn pg_dump(url: &str) -> Result<String, String> {
    let out = Command::new("pg_dump")
        .args([
            "--schema-only",
            "--no-owner",
            "--no-privileges",
            "--dbname",
            url,
        ])
        .output()
        .map_err(|e| format!("running pg_dump: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "pg_dump failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    // Recent pg_dump versions wrap the dump in `\restrict <random key>`; the key is noise here.
    Ok(String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| !l.starts_with("\\restrict ") && !l.starts_with("\\unrestrict "))
        .map(|l| format!("{l}\n"))
        .collect())
}
