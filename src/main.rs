//! The `autogen` binary: everything lives in `autogen-cli`; this is only the entry point.

fn main() -> std::process::ExitCode {
    autogen_cli::main()
}
