//! `obby db-diag`.

use clap::Args;

/// Diagnose the health, size and indexes of a SQLite or PostgreSQL database.
///
/// Examples:
///   $ obby db-diag app.db
#[derive(Debug, Args)]
pub struct DbDiagArgs {
    /// The database: a SQLite file, `sqlite:PATH`, or `postgres://...` (default: the obby store).
    pub target: Option<String>,
}
