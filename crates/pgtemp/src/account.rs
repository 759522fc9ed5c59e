//! Which account runs the server. PostgreSQL refuses to run as root, so when this process is
//! root the cluster runs as an unprivileged account (Debian's `postgres`, else `nobody`) through
//! `runuser`, `setpriv` or `su`, whichever exists.

use std::os::unix::fs::MetadataExt;
use std::process::Command;

use crate::Error;

/// How to start server programs.
#[derive(Clone, Debug)]
pub(crate) enum Account {
    /// As this process's own user.
    Current,
    /// As another, unprivileged user.
    Other {
        name: String,
        uid: u32,
        gid: u32,
        wrapper: Wrapper,
    },
}

#[derive(Clone, Copy, Debug)]
pub(crate) enum Wrapper {
    Runuser,
    Setpriv,
    Su,
}

impl Account {
    /// The account to use: the current one unless it is root.
    pub(crate) fn choose() -> Result<Account, Error> {
        if !is_root() {
            return Ok(Account::Current);
        }
        let candidates = ["postgres", "nobody"];
        let Some((name, uid, gid)) = candidates
            .iter()
            .find_map(|n| lookup_user(n).map(|(u, g)| (n.to_string(), u, g)))
        else {
            return Err(Error::NoUnprivilegedUser {
                user: candidates[0].into(),
            });
        };
        let wrapper = if which("runuser") {
            Wrapper::Runuser
        } else if which("setpriv") {
            Wrapper::Setpriv
        } else {
            Wrapper::Su
        };
        Ok(Account::Other {
            name,
            uid,
            gid,
            wrapper,
        })
    }

    /// A command that runs `program args…` as this account.
    pub(crate) fn command(&self, program: &str, args: &[&str]) -> Command {
        match self {
            Account::Current => {
                let mut c = Command::new(program);
                c.args(args);
                c
            }
            Account::Other {
                name,
                uid,
                gid,
                wrapper,
            } => {
                let mut c;
                match wrapper {
                    Wrapper::Runuser => {
                        c = Command::new("runuser");
                        c.args(["-u", name, "--", program]);
                    }
                    Wrapper::Setpriv => {
                        c = Command::new("setpriv");
                        c.arg(format!("--reuid={uid}"))
                            .arg(format!("--regid={gid}"))
                            .args(["--clear-groups", "--", program]);
                    }
                    Wrapper::Su => {
                        c = Command::new("su");
                        // `--` keeps su from parsing the program's own options.
                        c.args([
                            "-s",
                            "/bin/sh",
                            "-c",
                            "exec \"$0\" \"$@\"",
                            "--",
                            name,
                            program,
                        ]);
                    }
                }
                c.args(args);
                c
            }
        }
    }

    /// Makes `path` owned by this account (a no-op for the current account).
    pub(crate) fn take_ownership(&self, path: &std::path::Path) -> Result<(), Error> {
        match self {
            Account::Current => Ok(()),
            Account::Other { uid, gid, .. } => {
                std::os::unix::fs::chown(path, Some(*uid), Some(*gid))
                    .map_err(Error::io(format!("cannot chown {}", path.display())))
            }
        }
    }
}

fn is_root() -> bool {
    if let Ok(m) = std::fs::metadata("/proc/self") {
        return m.uid() == 0;
    }
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// `(uid, gid)` of a local user, from `/etc/passwd`.
fn lookup_user(name: &str) -> Option<(u32, u32)> {
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().find_map(|line| {
        let fields: Vec<&str> = line.split(':').collect();
        if fields.len() >= 4 && fields[0] == name {
            Some((fields[2].parse().ok()?, fields[3].parse().ok()?))
        } else {
            None
        }
    })
}

fn which(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_wrapper_runs_the_program_as_the_account() {
        let account = Account::choose().expect("an account to run postgres as");
        let Account::Other { name, uid, gid, .. } = account else {
            // Not root: the server runs as this user, with no wrapper.
            assert!(!is_root());
            return;
        };
        for wrapper in [Wrapper::Runuser, Wrapper::Setpriv, Wrapper::Su] {
            let program = match wrapper {
                Wrapper::Runuser => "runuser",
                Wrapper::Setpriv => "setpriv",
                Wrapper::Su => "su",
            };
            if !which(program) {
                continue;
            }
            let other = Account::Other {
                name: name.clone(),
                uid,
                gid,
                wrapper,
            };
            let out = other.command("id", &["-un"]).output().expect("run id");
            assert_eq!(
                String::from_utf8_lossy(&out.stdout).trim(),
                name,
                "{wrapper:?}: {out:?}"
            );
        }
    }
}
