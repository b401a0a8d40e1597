//! `obby generate` (hidden): completions and man pages, checked into the repository.

use std::path::PathBuf;

use clap::{Args, Subcommand};

/// Generate shell completions and man pages.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// What to generate.
    #[command(subcommand)]
    pub what: GenerateWhat,
}

/// What `obby generate` writes.
#[derive(Debug, Subcommand)]
pub enum GenerateWhat {
    /// Completions for bash, zsh, fish, elvish and powershell into DIR.
    Completions {
        /// Output directory.
        dir: PathBuf,
    },
    /// `obby.1` and one page per subcommand into DIR.
    Man {
        /// Output directory.
        dir: PathBuf,
    },
}
