//! An ephemeral PostgreSQL cluster: `initdb` into a temp dir, then `postgres` listening only on a
//! unix socket in that dir.
//!
//! The server is started by a small guardian shell whose stdin is a pipe from this process: when
//! the pipe closes — on [`Drop`], or because this process exited in any way, even killed — the
//! guardian stops the server (immediate shutdown) and removes the directory. So a cluster kept in
//! a `static` (never dropped) is cleaned up too.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use crate::account::{Account, Wrapper};
use crate::{Error, binaries};

const START_TIMEOUT: Duration = Duration::from_secs(60);
const STOP_TIMEOUT: Duration = Duration::from_secs(15);

/// The guardian: starts postgres in the background, waits for stdin to close, then stops the
/// server and removes the cluster directory. Arguments: postgres, data dir, socket dir (the
/// cluster root), port, log file.
const GUARDIAN: &str = r#"trap '' INT HUP
"$1" -D "$2" -k "$3" -p "$4" -c listen_addresses= -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 >"$5" 2>&1 &
pid=$!
cat >/dev/null
kill -QUIT "$pid" 2>/dev/null
wait "$pid"
rm -rf "$3"
"#;

/// A running throwaway cluster. Dropping it stops the server and removes its files.
#[derive(Debug)]
pub struct Cluster {
    dir: PathBuf,
    port: u16,
    guardian: Option<Child>,
    lifeline: Option<ChildStdin>,
}

impl Cluster {
    /// Starts a new cluster from the local PostgreSQL binaries. Blocks until it accepts
    /// connections (or fails with the server log's tail).
    pub fn start() -> Result<Cluster, Error> {
        Cluster::start_with(|line| eprintln!("{line}"))
    }

    /// [`Cluster::start`] with its one informational line (which account runs the server when
    /// started as root) handed to `notice` instead of printed, so a caller can silence it
    /// (`autogen --quiet`) or style it.
    pub fn start_with(notice: impl FnOnce(String)) -> Result<Cluster, Error> {
        let bins = binaries::find()?;
        let account = Account::choose()?;
        let mut cluster = Cluster {
            dir: new_dir()?,
            port: free_port()?,
            guardian: None,
            lifeline: None,
        };
        if let Account::Other { name, wrapper, .. } = &account {
            let via = match wrapper {
                Wrapper::Runuser => "runuser",
                Wrapper::Setpriv => "setpriv",
                Wrapper::Su => "su",
            };
            notice(format!(
                "pgtemp: running as root; starting the ephemeral PostgreSQL cluster in {} as user `{name}` (via {via})",
                cluster.dir.display()
            ));
        }
        account.take_ownership(&cluster.dir)?;
        let data = cluster.dir.join("data");
        let log = cluster.dir.join("postgres.log");
        let (data_s, root_s, log_s) = (path_str(&data)?, path_str(&cluster.dir)?, path_str(&log)?);

        let initdb_path = path_str(&bins.initdb)?;
        let out = account
            .command(
                &initdb_path,
                &[
                    "-D",
                    &data_s,
                    "-U",
                    "postgres",
                    "-A",
                    "trust",
                    "-E",
                    "UTF8",
                    "--locale=C",
                    "--no-sync",
                ],
            )
            .current_dir(&cluster.dir)
            .stdin(Stdio::null())
            .output()
            .map_err(Error::io(format!("cannot run {initdb_path}")))?;
        if !out.status.success() {
            let mut output = String::from_utf8_lossy(&out.stdout).into_owned();
            output.push_str(&String::from_utf8_lossy(&out.stderr));
            return Err(Error::Command {
                command: format!("{initdb_path} -D {data_s}"),
                status: out.status.to_string(),
                output: tail(&output, 20),
            });
        }

        let postgres_path = path_str(&bins.postgres)?;
        let port = cluster.port.to_string();
        let mut child = account
            .command(
                "/bin/sh",
                &[
                    "-c",
                    GUARDIAN,
                    "pgtemp-guardian",
                    &postgres_path,
                    &data_s,
                    &root_s,
                    &port,
                    &log_s,
                ],
            )
            .current_dir(&cluster.dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(Error::io("cannot start the postgres guardian shell"))?;
        cluster.lifeline = child.stdin.take();
        cluster.guardian = Some(child);
        cluster.wait_ready(&data, &log)?;
        Ok(cluster)
    }

    /// One cluster for the whole process, started on first use. It is never dropped; its
    /// guardian removes it when the process exits.
    pub fn shared() -> Result<&'static Cluster, Error> {
        static SHARED: OnceLock<Result<Cluster, String>> = OnceLock::new();
        match SHARED.get_or_init(|| Cluster::start().map_err(|e| e.to_string())) {
            Ok(c) => Ok(c),
            Err(message) => Err(Error::Connect {
                target: "ephemeral cluster".into(),
                message: message.clone(),
            }),
        }
    }

    /// A URL for the `postgres` database, accepted by tokio-postgres, sqlx and psql:
    /// `postgres:///postgres?host=/tmp/autogen-pg-…&port=N&user=postgres`.
    pub fn url(&self) -> String {
        self.url_for("postgres")
    }

    /// Like [`Cluster::url`] for another database.
    pub fn url_for(&self, database: &str) -> String {
        format!(
            "postgres:///{}?host={}&port={}&user=postgres",
            database,
            encode_path(&self.dir.to_string_lossy()),
            self.port
        )
    }

    /// The cluster's directory (holding `data/`, the socket and `postgres.log`).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    fn wait_ready(&mut self, data: &Path, log: &Path) -> Result<(), Error> {
        let started = Instant::now();
        loop {
            if let Some(guardian) = self.guardian.as_mut()
                && let Ok(Some(status)) = guardian.try_wait()
            {
                return Err(Error::StartFailed {
                    dir: self.dir.display().to_string(),
                    status: status.to_string(),
                    log_tail: read_tail(log),
                });
            }
            if server_ready(data) {
                return Ok(());
            }
            if started.elapsed() > START_TIMEOUT {
                return Err(Error::StartTimeout {
                    dir: self.dir.display().to_string(),
                    seconds: START_TIMEOUT.as_secs(),
                    log_tail: read_tail(log),
                });
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        // Closing the pipe tells the guardian to stop the server and remove the directory.
        drop(self.lifeline.take());
        if let Some(mut guardian) = self.guardian.take() {
            let started = Instant::now();
            loop {
                match guardian.try_wait() {
                    Ok(Some(_)) | Err(_) => break,
                    Ok(None) if started.elapsed() > STOP_TIMEOUT => {
                        kill_postmaster(&self.dir.join("data"));
                        let _ = guardian.kill();
                        let _ = guardian.wait();
                        break;
                    }
                    Ok(None) => std::thread::sleep(Duration::from_millis(10)),
                }
            }
        }
        if self.dir.exists()
            && let Err(e) = std::fs::remove_dir_all(&self.dir)
        {
            eprintln!("pgtemp: cannot remove {}: {e}", self.dir.display());
        }
    }
}

/// `postmaster.pid` line 8 says `ready` once the server accepts connections.
fn server_ready(data: &Path) -> bool {
    std::fs::read_to_string(data.join("postmaster.pid")).is_ok_and(|pid| {
        pid.lines()
            .nth(7)
            .is_some_and(|status| status.trim() == "ready")
    })
}

fn kill_postmaster(data: &Path) {
    if let Ok(pid) = std::fs::read_to_string(data.join("postmaster.pid"))
        && let Some(pid) = pid
            .lines()
            .next()
            .map(str::trim)
            .filter(|p| p.parse::<u32>().is_ok())
    {
        let _ = Command::new("kill").args(["-KILL", pid]).status();
    }
}

fn new_dir() -> Result<PathBuf, Error> {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let base = std::env::temp_dir();
    for _ in 0..100 {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let dir = base.join(format!(
            "autogen-pg-{}-{n}-{}",
            std::process::id(),
            crate::testdb::random_suffix()
        ));
        match std::fs::create_dir(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(Error::io(format!("cannot create {}", dir.display()))(e)),
        }
    }
    Err(Error::Io {
        action: format!("cannot create a fresh directory under {}", base.display()),
        source: std::io::Error::from(std::io::ErrorKind::AlreadyExists),
    })
}

/// A port number nobody listens on now. The server listens only on a unix socket, so the port
/// only names the socket file, but a free one keeps URLs unambiguous.
fn free_port() -> Result<u16, Error> {
    let listener = std::net::TcpListener::bind(("127.0.0.1", 0))
        .map_err(Error::io("cannot pick a free port"))?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(Error::io("cannot pick a free port"))
}

fn path_str(p: &Path) -> Result<String, Error> {
    p.to_str().map(str::to_string).ok_or_else(|| Error::Io {
        action: format!("path {} is not UTF-8", p.display()),
        source: std::io::Error::from(std::io::ErrorKind::InvalidInput),
    })
}

fn encode_path(p: &str) -> String {
    let mut out = String::new();
    for b in p.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn read_tail(log: &Path) -> String {
    let mut text = String::new();
    match std::fs::File::open(log) {
        Ok(mut f) => {
            let _ = f.read_to_string(&mut text);
            tail(&text, 20)
        }
        Err(e) => format!("(no server log at {}: {e})", log.display()),
    }
}

fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}
