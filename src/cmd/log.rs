//! `obby log`.

use crate::cli::log::*;
use crate::{Context, ExitStatus};

/// Runs `obby log`.
///
/// # Errors
/// Not available yet.
pub fn run(_args: &LogArgs, _ctx: &Context) -> anyhow::Result<ExitStatus> {
    Err(super::not_built("log"))
}
