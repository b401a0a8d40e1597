//! `obby export`.

use std::path::PathBuf;

use clap::{Args, Subcommand};

/// Export the history (to a git repository, JSON Lines).
///
/// `git` writes one commit per tracking batch (or per version) into a git repository, with the
/// recorded times as author and committer times; running it again continues after the last
/// exported version. `jsonl` streams every version (path, time, change, hash, content) and the
/// history's notes as JSON Lines, which `obby import` reads back.
///
/// Examples:
///   $ obby export git ../notes-history
///   $ obby export git ../notes-history notes/ --per-version
///   $ obby export jsonl -o history.jsonl
///   $ obby export jsonl notes/todo.md | jq -r .path
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Where to.
    #[command(subcommand)]
    pub target: ExportTarget,
}

/// Export targets.
#[derive(Debug, Subcommand)]
pub enum ExportTarget {
    /// Write the history into a git repository (created when missing).
    ///
    /// Examples:
    ///   $ obby export git ../notes-history
    ///   $ obby export git ../notes-history --per-version
    Git(GitArgs),
    /// Stream the history as JSON Lines (see docs/export.md for the format).
    ///
    /// Examples:
    ///   $ obby export jsonl -o history.jsonl
    ///   $ obby export jsonl notes/ > notes.jsonl
    Jsonl(JsonlArgs),
}

/// `obby export git`.
#[derive(Debug, Args)]
pub struct GitArgs {
    /// The repository (created when it does not exist).
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// Only these files or directories.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// One commit per version instead of one per tracking batch.
    #[arg(long)]
    pub per_version: bool,
    /// Add the history on top of a repository whose history obby did not write.
    #[arg(long)]
    pub force: bool,
    /// Leave the repository's work tree and index alone (only commits and the branch change).
    #[arg(long)]
    pub no_checkout: bool,
}

/// `obby export jsonl`.
#[derive(Debug, Args)]
pub struct JsonlArgs {
    /// Write to FILE instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Only these files or directories.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}
