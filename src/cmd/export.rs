//! `obby export`.

use crate::cli::export::ExportArgs;
use crate::{Context, ExitStatus};

/// Runs `obby export`.
///
/// # Errors
/// Not available yet.
pub fn run(_args: &ExportArgs, _ctx: &Context) -> anyhow::Result<ExitStatus> {
    Err(super::not_built("export"))
}
