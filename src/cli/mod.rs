//! Command-line structure: clap derive structs only, one file per subcommand. Help text lives
//! in the doc comments: the first line is the short help, the rest the long help with examples.

pub mod config;
pub mod db_diag;
pub mod deps;
pub mod diff;
pub mod export;
pub mod generate;
pub mod import;
pub mod init;
pub mod log;
pub mod query;
pub mod search;
pub mod track;
pub mod watch;

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::output::ColorChoice;

/// The exit-code table, shown at the end of `--help` and in the man page.
pub const EXIT_CODES: &str = "\
Exit status:
  0    success, or something was found
  1    a valid negative answer: no match, differences, findings at or above the threshold
  2    an error (also when one item failed and the rest of the run went on)
  130  interrupted (Ctrl-C); a closed output pipe ends quietly with 0";

/// Keeps a project's history of text files without asking anything of the user.
///
/// obby watches a directory tree, records every version of every text file by content hash in an
/// embedded SQLite store (`.obby/`), diffs versions, answers questions about the history with
/// named SQL queries, and searches files and history with a full-text index. `db-diag` and `deps`
/// diagnose databases and audit dependency lockfiles.
///
/// Examples:
///   $ obby init
///   $ obby track
///   $ obby watch --track
///   $ obby log notes/todo.md
///   $ obby diff notes/todo.md --from ~1
#[derive(Debug, Parser)]
#[command(name = "obby", version, propagate_version = true, after_long_help = EXIT_CODES, max_term_width = 100)]
pub struct Cli {
    /// Options every subcommand takes.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// The subcommand.
    #[command(subcommand)]
    pub command: Command,
}

/// Options every subcommand takes.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of
    /// searching upward from the current directory.
    #[arg(
        long,
        global = true,
        env = "OBBY_STORE",
        value_name = "PATH",
        help_heading = "Global options"
    )]
    pub store: Option<PathBuf>,
    /// Write JSON Lines to stdout (`{"type":...,"data":...}`), ending with a `summary` record.
    #[arg(long, global = true, help_heading = "Global options")]
    pub json: bool,
    /// Print only errors and data, no per-item lines or messages.
    #[arg(short, long, global = true, help_heading = "Global options")]
    pub quiet: bool,
    /// Say more about what is happening (repeat for more).
    #[arg(short, long, global = true, action = clap::ArgAction::Count, help_heading = "Global options")]
    pub verbose: u8,
    /// When to color output: auto (a terminal, unless NO_COLOR is set), always, never.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN", help_heading = "Global options")]
    pub color: ColorChoice,
    /// Never draw progress bars (also: OBBY_NO_PROGRESS=1).
    #[arg(long, global = true, help_heading = "Global options")]
    pub no_progress: bool,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a store (`.obby/`) in a directory.
    Init(init::InitArgs),
    /// Record the current state of the files in scope as new versions.
    Track(track::TrackArgs),
    /// Show differences between files, directories or recorded versions.
    Diff(diff::DiffArgs),
    /// List recorded versions, newest first.
    Log(log::LogArgs),
    /// Show the effective settings and where each one came from.
    Config(config::ConfigArgs),
    /// Watch a tree and stream change events (and record them with --track).
    Watch(watch::WatchArgs),
    /// Run named, typed SQL queries over the history.
    Query(query::QueryArgs),
    /// Search files and their history with a full-text index.
    Search(search::SearchArgs),
    /// Diagnose the health, size and indexes of a SQLite or PostgreSQL database.
    #[command(name = "db-diag")]
    DbDiag(db_diag::DbDiagArgs),
    /// Audit dependency lockfiles against vulnerability advisories, offline.
    Deps(deps::DepsArgs),
    /// Import history from another tool (the original Python obby, JSON Lines).
    Import(import::ImportArgs),
    /// Export the history (to a git repository, JSON Lines).
    Export(export::ExportArgs),
    /// Generate shell completions and man pages.
    #[command(hide = true)]
    Generate(generate::GenerateArgs),
    /// Any other name runs `obby-NAME` from PATH.
    #[command(external_subcommand)]
    External(Vec<OsString>),
}

impl Command {
    /// The subcommand's name, for the JSON summary.
    #[must_use]
    pub fn name(&self) -> String {
        match self {
            Self::Init(_) => "init".into(),
            Self::Track(_) => "track".into(),
            Self::Diff(_) => "diff".into(),
            Self::Log(_) => "log".into(),
            Self::Config(_) => "config".into(),
            Self::Watch(_) => "watch".into(),
            Self::Query(_) => "query".into(),
            Self::Search(_) => "search".into(),
            Self::DbDiag(_) => "db-diag".into(),
            Self::Deps(d) => format!("deps {}", d.command.name()),
            Self::Import(_) => "import".into(),
            Self::Export(_) => "export".into(),
            Self::Generate(_) => "generate".into(),
            Self::External(args) => {
                args.first().map(|a| a.to_string_lossy().into_owned()).unwrap_or_default()
            }
        }
    }
}

/// The clap command tree (completions, man pages, tests).
#[must_use]
pub fn command() -> clap::Command {
    <Cli as clap::CommandFactory>::command()
}

#[cfg(test)]
mod tests {
    #[test]
    fn cli_definition_is_consistent() {
        super::command().debug_assert();
    }
}
