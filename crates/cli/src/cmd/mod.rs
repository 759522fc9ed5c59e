//! The commands, one plain async function per file, and the dispatch from [`crate::opt`].

mod check;
mod diff;
mod fleet;
mod init;
mod init_extras;
mod inspect;
mod lint;
mod revision;

use anyhow::Result;

use crate::Outcome;
use crate::opt::{Command, Opt};

pub async fn run(opt: Opt) -> Result<Outcome> {
    match &opt.command {
        Command::Inspect(o) => inspect::run(&opt, o).await,
        Command::Init(o) => init::run(&opt, o).await,
        Command::Revision(o) => revision::run(&opt, o).await,
        Command::Check(o) => check::run(&opt, o).await,
        Command::Diff(o) => diff::run(&opt, o).await,
        Command::Lint(o) => lint::run(&opt, o).await,
    }
}
