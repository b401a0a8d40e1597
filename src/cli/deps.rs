//! `obby deps`.

use std::path::PathBuf;

use clap::{Args, Subcommand};

/// Audit dependency lockfiles against vulnerability advisories, offline.
///
/// Examples:
///   $ obby deps audit
#[derive(Debug, Args)]
pub struct DepsArgs {
    /// The deps subcommand.
    #[command(subcommand)]
    pub command: DepsCommand,
}

/// The deps subcommands.
#[derive(Debug, Subcommand)]
pub enum DepsCommand {
    /// Audit lockfiles and show the findings.
    Audit {
        /// Files or directories to search for lockfiles.
        paths: Vec<PathBuf>,
    },
    /// Audit for CI: exit 1 on findings at or above --fail-on.
    Check {
        /// Files or directories to search for lockfiles.
        paths: Vec<PathBuf>,
    },
    /// Write the inventory with findings (json, sarif, markdown, cyclonedx).
    Report {
        /// Files or directories to search for lockfiles.
        paths: Vec<PathBuf>,
    },
    /// Plan (and apply) the smallest upgrades that fix the findings.
    Update {
        /// Files or directories to search for lockfiles.
        paths: Vec<PathBuf>,
    },
}

impl DepsCommand {
    /// The subcommand's name.
    #[must_use]
    pub fn name(&self) -> &'static str {
        match self {
            Self::Audit { .. } => "audit",
            Self::Check { .. } => "check",
            Self::Report { .. } => "report",
            Self::Update { .. } => "update",
        }
    }
}
