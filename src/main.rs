//! The `autogen` binary: everything lives in `autogen-cli`; this is only the entry point.

/// mimalloc: loading entities is mostly allocation (syn's nodes); it takes a third less CPU time
/// than with the system allocator (docs/performance.md, Round 3).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    autogen_cli::main()
}
