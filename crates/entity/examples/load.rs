//! `cargo run --release -p autogen-entity --example load -- DIR [RUNS]`: loads the entities under
//! DIR, prints the time of each run and the process's peak RSS (for profiling the loader). It
//! uses the allocator the `autogen` binary uses.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = std::path::PathBuf::from(args.next().expect("usage: load DIR [RUNS]"));
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(1);
    for _ in 0..runs {
        let start = std::time::Instant::now();
        let loaded = autogen_entity::load(
            std::slice::from_ref(&dir),
            &autogen_entity::LoadOptions::default(),
        );
        eprintln!(
            "{:?}: {} tables, {} diagnostics",
            start.elapsed(),
            loaded.schema.tables.len(),
            loaded.diagnostics.len()
        );
    }
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    if let Some(l) = status.lines().find(|l| l.starts_with("VmHWM")) {
        eprintln!("{l}");
    }
}
