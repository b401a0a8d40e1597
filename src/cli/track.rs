//! `obby track`.

use std::path::PathBuf;

use clap::Args;

/// Record the current state of the files in scope as new versions.
///
/// Scope: `.obbywatch` at the root lists directories/globs to include (absent: everything),
/// `.obbyignore` (gitignore syntax) and `.gitignore` exclude, `.obby/` and `.git/` are always
/// excluded. An unchanged file writes nothing; a stat cache skips reading unchanged files.
/// Prints `A path`, `M path`, `D path`, `R old -> new` per change.
///
/// Examples:
///   $ obby track
///   $ obby track notes/ docs/readme.md
///   $ obby track --dry-run
///   $ obby watch --json | obby track --stdin
///   $ find . -name '*.md' -print0 | obby track --stdin -0
#[derive(Debug, Args)]
pub struct TrackArgs {
    /// Files or directories to record (default: the whole store root).
    pub paths: Vec<PathBuf>,
    /// Read paths (one per line) or `obby watch --json` events from stdin and record those.
    #[arg(long)]
    pub stdin: bool,
    /// With --stdin: paths are NUL-separated.
    #[arg(short = '0', long = "null", requires = "stdin")]
    pub null: bool,
    /// Include files that .obbyignore and .gitignore exclude.
    #[arg(long)]
    pub no_ignore: bool,
    /// Follow symbolic links (by default a link is recorded as a link).
    #[arg(long)]
    pub follow: bool,
    /// Show what would be recorded without writing anything (no line stats, version ids 0).
    #[arg(short = 'n', long, conflicts_with = "stdin")]
    pub dry_run: bool,
    /// Hashing threads (default: one per core).
    #[arg(short = 'j', long, value_name = "N")]
    pub threads: Option<usize>,
}
