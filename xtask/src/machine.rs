//! The machine a benchmark ran on: cores, CPU model, memory, PostgreSQL version and date, for
//! the report in `docs/performance.md`.

use tokio_postgres::Client;

#[derive(Clone, Debug)]
pub struct Machine {
    /// `nproc`: the CPUs this process may use.
    pub cpus: usize,
    pub cpu_model: String,
    pub memory: String,
    pub postgres: String,
    /// `/proc/loadavg`'s 1-minute figure when the run started: other work competing for the
    /// CPUs shows here.
    pub load_average: String,
    /// UTC, `YYYY-MM-DD HH:MM`.
    pub date: String,
}

/// The first value of `key` in a `key : value` file such as `/proc/cpuinfo`.
fn proc_value(path: &str, key: &str) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    text.lines().find_map(|line| {
        let (k, v) = line.split_once(':')?;
        (k.trim() == key).then(|| v.trim().to_owned())
    })
}

fn memory() -> String {
    proc_value("/proc/meminfo", "MemTotal")
        .and_then(|kb| kb.trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or_else(
            || "unknown".to_owned(),
            |kb| format!("{:.1} GiB", kb as f64 / 1024.0 / 1024.0),
        )
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|text| text.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "unknown".to_owned())
}

/// Describes this machine and the server `client` is connected to.
pub async fn describe(client: &Client) -> anyhow::Result<Machine> {
    let postgres: String = client.query_one("SHOW server_version", &[]).await?.get(0);
    Ok(Machine {
        cpus: std::thread::available_parallelism().map_or(1, usize::from),
        cpu_model: proc_value("/proc/cpuinfo", "model name")
            .unwrap_or_else(|| "unknown".to_owned()),
        memory: memory(),
        postgres: format!("PostgreSQL {postgres}"),
        load_average: load_average(),
        date: chrono::Utc::now().format("%Y-%m-%d %H:%M UTC").to_string(),
    })
}
