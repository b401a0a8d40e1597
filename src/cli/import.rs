//! `obby import`.

use std::path::PathBuf;

use clap::Args;

/// Import history from another tool (the original Python obby, JSON Lines).
///
/// Examples:
///   $ obby import .db/obby.db
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The source.
    pub source: PathBuf,
}
