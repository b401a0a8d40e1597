//! `obby watch`.

use std::path::PathBuf;

use clap::Args;

/// Watch a tree and stream change events (and record them with --track).
///
/// Examples:
///   $ obby watch
///   $ obby watch --json | obby track --stdin
#[derive(Debug, Args)]
pub struct WatchArgs {
    /// Paths to watch (default: the store root, or the current directory without a store).
    pub paths: Vec<PathBuf>,
}
