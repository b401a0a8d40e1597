//! `obby diff`.

use std::path::PathBuf;

use clap::Args;

/// Show differences between files, directories or recorded versions.
///
/// Exit status 0 when equal, 1 when different, 2 on error, as `diff` and
/// `git diff --exit-code`.
///
/// REV is a version id, `~N` (N versions before the newest), or a time (`2026-11-20`, `2h`,
/// `yesterday`: the version current at that time).
///
/// Examples:
///   $ obby diff old.md new.md
///   $ obby diff notes/todo.md
///   $ obby diff notes/todo.md --from ~2 --to ~1
///   $ obby diff notes/ --from yesterday --stat
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// One tracked path (working copy against its last version), or two files/directories.
    #[arg(required = true, num_args = 1..=2)]
    pub paths: Vec<PathBuf>,
    /// Old side: a version id, ~N, or a time.
    #[arg(long, value_name = "REV")]
    pub from: Option<String>,
    /// New side: a version id, ~N, or a time (default: the working copy).
    #[arg(long, value_name = "REV")]
    pub to: Option<String>,
    /// Show a diffstat instead of the diff.
    #[arg(long, conflicts_with = "name_only")]
    pub stat: bool,
    /// Show only the names of changed files.
    #[arg(long)]
    pub name_only: bool,
    /// Lines of context.
    #[arg(short = 'U', long = "unified", value_name = "N", default_value_t = 3)]
    pub context: usize,
    /// Ignore changes in whitespace.
    #[arg(short = 'w', long)]
    pub ignore_whitespace: bool,
}
