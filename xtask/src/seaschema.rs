//! The sea-schema 0.18.1 baseline: builds `fixtures/harness`'s `seaschema-bench` binary in
//! release mode and runs it on the benchmark database, under a run cap and a timeout.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context as _;

/// How much sea-schema work one size gets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Plan {
    /// Run it this many times; `capped` says the count is below the requested `--runs`.
    Run { runs: usize, capped: bool },
    /// Too slow at this size without `--full`.
    Skip,
}

/// The rules for capping sea-schema (it needs ~49 s for 500 tables on a 2-core machine).
#[derive(Clone, Debug)]
pub struct CapOptions {
    /// `--runs`.
    pub runs: usize,
    /// `--full`: also run at 2,000 tables and more.
    pub full: bool,
}

/// Sizes from which sea-schema gets a single run.
pub const SINGLE_RUN_FROM: usize = 500;
/// Sizes from which sea-schema is skipped unless `--full`.
pub const SKIP_FROM: usize = 2000;

pub fn plan(tables: usize, options: &CapOptions) -> Plan {
    if tables >= SKIP_FROM && !options.full {
        Plan::Skip
    } else if tables >= SINGLE_RUN_FROM && options.runs > 1 {
        Plan::Run {
            runs: 1,
            capped: true,
        }
    } else {
        Plan::Run {
            runs: options.runs,
            capped: false,
        }
    }
}

/// What the baseline binary printed.
#[derive(Clone, Debug, serde::Deserialize)]
pub struct Measured {
    pub runs: usize,
    pub median_ms: f64,
    /// Tables it found, to show that it saw the whole schema.
    pub tables: usize,
}

/// The outcome for one size.
#[derive(Clone, Debug)]
pub enum Outcome {
    Measured {
        measured: Measured,
        capped: bool,
    },
    /// Skipped by the size cap (see [`plan`]).
    Skipped,
    /// `--no-seaschema`.
    NotRequested,
    TimedOut(Duration),
}

/// Builds the baseline binary (release) and returns its path.
pub fn build(repo: &Path) -> anyhow::Result<PathBuf> {
    let manifest = repo.join("fixtures/harness/Cargo.toml");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    eprintln!("building the sea-schema baseline (fixtures/harness, release)...");
    let status = std::process::Command::new(cargo)
        .args(["build", "--quiet", "--release", "--manifest-path"])
        .arg(&manifest)
        .args(["-p", "seaschema-bench"])
        .status()
        .context("cannot run cargo to build seaschema-bench")?;
    anyhow::ensure!(
        status.success(),
        "building seaschema-bench failed ({status})"
    );
    let binary = repo.join("fixtures/harness/target/release/seaschema-bench");
    anyhow::ensure!(binary.is_file(), "{} was not built", binary.display());
    Ok(binary)
}

/// Runs the baseline `runs` times on `url`, killing it after `timeout`.
pub async fn run(
    binary: &Path,
    url: &str,
    runs: usize,
    timeout: Duration,
) -> anyhow::Result<Option<Measured>> {
    let child = tokio::process::Command::new(binary)
        .arg(url)
        .arg(runs.to_string())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .with_context(|| format!("cannot start {}", binary.display()))?;
    let output = match tokio::time::timeout(timeout, child.wait_with_output()).await {
        Ok(output) => output.context("seaschema-bench did not finish")?,
        // Dropping the future kills the child (kill_on_drop).
        Err(_) => return Ok(None),
    };
    anyhow::ensure!(
        output.status.success(),
        "seaschema-bench failed ({}): {}",
        output.status,
        String::from_utf8_lossy(&output.stderr).trim()
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    let measured = serde_json::from_str(stdout.trim())
        .with_context(|| format!("unexpected seaschema-bench output `{}`", stdout.trim()))?;
    Ok(Some(measured))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caps_follow_the_size() {
        let five = CapOptions {
            runs: 5,
            full: false,
        };
        assert_eq!(
            plan(100, &five),
            Plan::Run {
                runs: 5,
                capped: false
            }
        );
        assert_eq!(
            plan(500, &five),
            Plan::Run {
                runs: 1,
                capped: true
            }
        );
        assert_eq!(plan(2000, &five), Plan::Skip);
        let full = CapOptions {
            runs: 5,
            full: true,
        };
        assert_eq!(
            plan(2000, &full),
            Plan::Run {
                runs: 1,
                capped: true
            }
        );
        let one = CapOptions {
            runs: 1,
            full: false,
        };
        assert_eq!(
            plan(500, &one),
            Plan::Run {
                runs: 1,
                capped: false
            }
        );
    }
}
