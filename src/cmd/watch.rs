//! `obby watch`.

use crate::cli::watch::WatchArgs;
use crate::{Context, ExitStatus};

/// Runs `obby watch`.
///
/// # Errors
/// Not available yet.
pub fn run(_args: &WatchArgs, _ctx: &Context) -> anyhow::Result<ExitStatus> {
    Err(super::not_built("watch"))
}
