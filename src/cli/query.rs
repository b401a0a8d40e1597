//! `obby query`.

use clap::Args;

/// Run named, typed SQL queries over the history.
///
/// Examples:
///   $ obby query --list
///   $ obby query recent-diffs --limit 10
#[derive(Debug, Args)]
pub struct QueryArgs {
    /// The query to run.
    pub name: Option<String>,
}
