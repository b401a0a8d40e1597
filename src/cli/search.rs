//! `obby search`.

use clap::Args;

/// Search files and their history with a full-text index.
///
/// Examples:
///   $ obby search parse config
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The query.
    pub query: Vec<String>,
}
