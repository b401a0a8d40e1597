//! `obby diff`.

use crate::cli::diff::DiffArgs;
use crate::{Context, ExitStatus};

/// Runs `obby diff`.
///
/// # Errors
/// Not available yet.
pub fn run(_args: &DiffArgs, _ctx: &Context) -> anyhow::Result<ExitStatus> {
    Err(super::not_built("diff"))
}
