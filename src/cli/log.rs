//! `obby log`.

use std::path::PathBuf;

use clap::Args;

/// List recorded versions, newest first.
///
/// Examples:
///   $ obby log
///   $ obby log notes/todo.md --limit 5
///   $ obby log --since yesterday --json
#[derive(Debug, Args)]
pub struct LogArgs {
    /// Only versions of this path (a file, or everything under a directory).
    pub path: Option<PathBuf>,
    /// Only versions recorded since this time (`2h`, `yesterday`, `2026-11-20`).
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,
    /// At most this many versions.
    #[arg(short = 'n', long, value_name = "N")]
    pub limit: Option<usize>,
}
