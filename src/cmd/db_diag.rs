//! `obby db-diag`.

use crate::cli::db_diag::DbDiagArgs;
use crate::{Context, ExitStatus};

/// Runs `obby db-diag`.
///
/// # Errors
/// Not available yet.
pub fn run(_args: &DbDiagArgs, _ctx: &Context) -> anyhow::Result<ExitStatus> {
    Err(super::not_built("db-diag"))
}
