//! `obby track`.

use crate::cli::track::TrackArgs;
use crate::{Context, ExitStatus};

/// Runs `obby track`.
///
/// # Errors
/// Not available yet.
pub fn run(_args: &TrackArgs, _ctx: &Context) -> anyhow::Result<ExitStatus> {
    Err(super::not_built("track"))
}
