//! `obby export`.

use std::path::PathBuf;

use clap::Args;

/// Export the history (to a git repository, JSON Lines).
///
/// Examples:
///   $ obby export git ../notes-history
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The format.
    pub format: String,
    /// The target.
    pub target: Option<PathBuf>,
}
