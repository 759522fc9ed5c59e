//! `pgtemp-cluster`: starts an ephemeral PostgreSQL cluster, prints `CLUSTER_DIR=…` and
//! `CLUSTER_URL=…`, and keeps it until stdin closes (Ctrl-D). With `--exit` it exits at once
//! without stopping anything, leaving the cleanup to the cluster's guardian (used by the tests
//! to prove that a cluster never outlives its process).

use std::io::Read;
use std::process::ExitCode;

fn main() -> ExitCode {
    let exit_at_once = match std::env::args().nth(1).as_deref() {
        None => false,
        Some("--exit") => true,
        Some(other) => {
            eprintln!("pgtemp-cluster: unknown argument `{other}`; usage: pgtemp-cluster [--exit]");
            return ExitCode::from(2);
        }
    };
    let cluster = match autogen_pgtemp::Cluster::start() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("pgtemp-cluster: {e}");
            return ExitCode::from(2);
        }
    };
    println!("CLUSTER_DIR={}", cluster.dir().display());
    println!("CLUSTER_URL={}", cluster.url());
    if exit_at_once {
        // Skip Drop on purpose: the guardian must notice the process is gone.
        std::process::exit(0);
    }
    let _ = std::io::stdin().read_to_end(&mut Vec::new());
    drop(cluster);
    ExitCode::SUCCESS
}
