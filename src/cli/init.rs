//! `obby init`.

use std::path::PathBuf;

use clap::Args;

/// Create a store (`.obby/`) in a directory.
///
/// The store holds the history database (`.obby/obby.db`) and the search index
/// (`.obby/index/`). Every other command finds it by walking up from the current directory.
///
/// Examples:
///   $ obby init
///   $ obby init ~/notes
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The project root (default: the current directory).
    pub dir: Option<PathBuf>,
}
