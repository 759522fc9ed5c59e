//! The `autogen` command line: clap options ([`opt`]), `autogen.toml` ([`config`]), commands as
//! plain functions ([`cmd`]), the edges to the database ([`db`], [`head`]) and to the migration
//! crate on disk ([`migrator`], [`write`]).
//!
//! **Architecture invariant:** only this crate touches the terminal, config files and the
//! migration crate on disk; `check`, `diff` and `revision` never write to the target database.
//! Exit codes: 0 ok / in sync, 1 drift, nothing to do or a step `--deny` names, 2 any error (see [`Outcome`]).

pub mod cargo_meta;
pub mod cmd;
pub mod config;
pub mod db;
pub mod difference;
pub mod discover;
pub mod fleet;
pub mod fleet_report;
pub mod fleet_tenant;
pub mod github;
pub mod head;
pub mod lint;
pub mod markdown;
pub mod migrator;
pub mod notes;
pub mod opt;
pub mod out;
pub mod project;
pub mod report;
pub mod safety;
pub mod style;
pub mod write;

use std::process::ExitCode;

use clap::Parser;

/// What a successful command tells the shell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Exit 0: done, or in sync.
    Ok,
    /// Exit 1: `check` found drift.
    Drift,
    /// Exit 1: `revision` had nothing to write.
    NothingToDo,
    /// Exit 1: `lint` or `revision` found a step of a kind `--deny` names.
    Denied,
}

impl Outcome {
    pub fn exit_code(self) -> ExitCode {
        match self {
            Outcome::Ok => ExitCode::SUCCESS,
            Outcome::Drift | Outcome::NothingToDo | Outcome::Denied => ExitCode::from(1),
        }
    }
}

/// Parses the command line, runs the command, and maps errors to exit code 2 with one line on
/// stderr (no backtrace).
pub fn main() -> ExitCode {
    let opt = match opt::Opt::try_parse() {
        Ok(opt) => opt,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    style::init(opt.color, opt.quiet);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return fail(&anyhow::anyhow!("cannot start the async runtime: {e}")),
    };
    // A bug must still end in one line and exit 2, not a panic message and a backtrace.
    std::panic::set_hook(Box::new(|info| {
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!(
            "error: internal error: {}{at}; please report this bug",
            what.replace('\n', " ")
        );
    }));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        runtime.block_on(cmd::run(opt))
    }));
    let code = match result {
        Ok(Ok(outcome)) => outcome.exit_code(),
        Ok(Err(e)) => fail(&e),
        Err(_) => ExitCode::from(2),
    };
    match out::finish() {
        Some(why) => fail(&anyhow::anyhow!("cannot write to standard output: {why}")),
        None => code,
    }
}

fn fail(e: &anyhow::Error) -> ExitCode {
    eprintln!("{} {e:#}", style::err(style::Role::Error, "error:"));
    ExitCode::from(2)
}
