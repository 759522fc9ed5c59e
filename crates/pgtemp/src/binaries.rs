//! Finding the local PostgreSQL server binaries: on `PATH`, else the highest version under
//! Debian's `/usr/lib/postgresql/<version>/bin`.

use std::path::{Path, PathBuf};

use crate::Error;

/// The two server programs a cluster needs.
#[derive(Clone, Debug)]
pub(crate) struct Binaries {
    pub initdb: PathBuf,
    pub postgres: PathBuf,
}

pub(crate) fn find() -> Result<Binaries, Error> {
    if let (Some(initdb), Some(postgres)) = (on_path("initdb"), on_path("postgres")) {
        return Ok(Binaries { initdb, postgres });
    }
    let mut versions: Vec<(Vec<u32>, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let version: Option<Vec<u32>> = name.split('.').map(|p| p.parse().ok()).collect();
            let bin = e.path().join("bin");
            let complete = bin.join("initdb").is_file() && bin.join("postgres").is_file();
            version.filter(|_| complete).map(|v| (v, bin))
        })
        .collect();
    versions.sort();
    match versions.pop() {
        Some((_, bin)) => Ok(Binaries {
            initdb: bin.join("initdb"),
            postgres: bin.join("postgres"),
        }),
        None => {
            let name = if on_path("initdb").is_none() {
                "initdb"
            } else {
                "postgres"
            };
            Err(Error::BinaryNotFound { name: name.into() })
        }
    }
}

fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| is_executable(p))
}

fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}
