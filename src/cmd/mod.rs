//! One entry point per subcommand: `run(args, &Context) -> anyhow::Result<ExitStatus>`.
//! Commands add context to library errors and decide what is printed; the library does the work.

pub mod config;
pub mod db_diag;
pub mod deps;
pub mod diff;
pub mod export;
pub mod external;
pub mod generate;
pub mod import;
pub mod init;
pub mod log;
pub mod query;
pub mod search;
pub mod track;
pub mod watch;

use crate::cli::Command;
use crate::{Context, ExitStatus};

/// Runs one subcommand.
///
/// # Errors
/// Whatever the command fails with; the caller prints it.
pub fn dispatch(command: Command, ctx: &Context) -> anyhow::Result<ExitStatus> {
    match command {
        Command::Init(args) => init::run(&args, ctx),
        Command::Track(args) => track::run(&args, ctx),
        Command::Diff(args) => diff::run(&args, ctx),
        Command::Log(args) => log::run(&args, ctx),
        Command::Config(args) => config::run(&args, ctx),
        Command::Watch(args) => watch::run(&args, ctx),
        Command::Query(args) => query::run(&args, ctx),
        Command::Search(args) => search::run(&args, ctx),
        Command::DbDiag(args) => db_diag::run(&args, ctx),
        Command::Deps(args) => deps::run(&args, ctx),
        Command::Import(args) => import::run(&args, ctx),
        Command::Export(args) => export::run(&args, ctx),
        Command::Generate(args) => generate::run(&args, ctx),
        Command::External(args) => external::run(&args, ctx),
    }
}
