//! `obby deps`.

use crate::cli::deps::DepsArgs;
use crate::{Context, ExitStatus};

/// Runs `obby deps`.
///
/// # Errors
/// Not available yet.
pub fn run(_args: &DepsArgs, _ctx: &Context) -> anyhow::Result<ExitStatus> {
    Err(super::not_built("deps"))
}
